/**
 * A small IRCv3 line parser and formatter for the mock IRC server only (the library's own fast
 * parser lives in `src/chat/`; the mock must not depend on it, so the two check each other).
 *
 * @since 0.1.0
 */

/**
 * One IRC line: tags (unescaped values), optional prefix, command and parameters (the trailing
 * parameter, if any, is the last element).
 *
 * @since 0.1.0
 * @category models
 */
export interface IrcLine {
  readonly tags: ReadonlyMap<string, string>
  readonly prefix: string | undefined
  readonly command: string
  readonly params: ReadonlyArray<string>
}

const unescapeMap: Record<string, string> = { ":": ";", "s": " ", "\\": "\\", "r": "\r", "n": "\n" }

/**
 * Unescapes an IRCv3 tag value (`\:` `\s` `\\` `\r` `\n`; any other escaped character loses its
 * backslash; a trailing lone backslash is dropped).
 *
 * @since 0.1.0
 * @category encoding
 */
export const unescapeTag = (value: string): string => {
  if (!value.includes("\\")) return value
  let out = ""
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c !== "\\") {
      out += c
      continue
    }
    i++
    if (i >= value.length) break
    const next = value[i]
    out += unescapeMap[next] ?? next
  }
  return out
}

/**
 * Escapes a tag value for the wire.
 *
 * @since 0.1.0
 * @category encoding
 */
export const escapeTag = (value: string): string =>
  /[;\s\\]/.test(value)
    ? value.replace(/[\\; \r\n]/g, (c) =>
      c === "\\" ? "\\\\" : c === ";" ? "\\:" : c === " " ? "\\s" : c === "\r" ? "\\r" : "\\n")
    : value

/**
 * Parses one line (without its `\r\n`). Returns `undefined` for an empty or malformed line.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (input: string): IrcLine | undefined => {
  let line = input
  if (line.endsWith("\r\n")) line = line.slice(0, -2)
  else if (line.endsWith("\n") || line.endsWith("\r")) line = line.slice(0, -1)
  let pos = 0
  const tags = new Map<string, string>()
  const skipSpaces = () => {
    while (line.charCodeAt(pos) === 32) pos++
  }
  skipSpaces()
  if (line[pos] === "@") {
    const end = line.indexOf(" ", pos)
    if (end === -1) return undefined
    for (const part of line.slice(pos + 1, end).split(";")) {
      if (part === "") continue
      const eq = part.indexOf("=")
      if (eq === -1) tags.set(part, "")
      else tags.set(part.slice(0, eq), unescapeTag(part.slice(eq + 1)))
    }
    pos = end + 1
    skipSpaces()
  }
  let prefix: string | undefined
  if (line[pos] === ":") {
    const end = line.indexOf(" ", pos)
    if (end === -1) return undefined
    prefix = line.slice(pos + 1, end)
    pos = end + 1
    skipSpaces()
  }
  const cmdEnd = line.indexOf(" ", pos)
  const command = (cmdEnd === -1 ? line.slice(pos) : line.slice(pos, cmdEnd)).toUpperCase()
  if (command === "") return undefined
  const params: Array<string> = []
  if (cmdEnd !== -1) {
    pos = cmdEnd + 1
    while (pos < line.length) {
      skipSpaces()
      if (pos >= line.length) break
      if (line[pos] === ":") {
        params.push(line.slice(pos + 1))
        break
      }
      const end = line.indexOf(" ", pos)
      if (end === -1) {
        params.push(line.slice(pos))
        break
      }
      params.push(line.slice(pos, end))
      pos = end + 1
    }
  }
  return { tags, prefix, command, params }
}

/**
 * Formats a tag section (`@k=v;k2=v2 `, keys in the given order) or `""` for no tags.
 *
 * @since 0.1.0
 * @category encoding
 */
export const formatTags = (tags: ReadonlyArray<readonly [string, string]>): string => {
  if (tags.length === 0) return ""
  let out = "@"
  for (let i = 0; i < tags.length; i++) {
    if (i > 0) out += ";"
    out += tags[i][0] + "=" + escapeTag(tags[i][1])
  }
  return out + " "
}

/**
 * Formats a line without `\r\n`: tags (sorted by key, as Twitch sends them), prefix, command and
 * parameters; the last parameter becomes a trailing one when `trailing` is set.
 *
 * @since 0.1.0
 * @category encoding
 */
export const format = (options: {
  readonly tags?: Readonly<Record<string, string>> | undefined
  readonly prefix?: string | undefined
  readonly command: string
  readonly params?: ReadonlyArray<string> | undefined
  readonly trailing?: string | undefined
}): string => {
  let out = options.tags
    ? formatTags(Object.entries(options.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : ""
  if (options.prefix !== undefined) out += ":" + options.prefix + " "
  out += options.command
  for (const p of options.params ?? []) out += " " + p
  if (options.trailing !== undefined) out += " :" + options.trailing
  return out
}

/**
 * Removes the tag section of a formatted line (for clients without the `twitch.tv/tags` capability).
 *
 * @since 0.1.0
 * @category encoding
 */
export const stripTags = (line: string): string => {
  if (line.charCodeAt(0) !== 64) return line
  const space = line.indexOf(" ")
  return space === -1 ? line : line.slice(space + 1)
}

/**
 * The command of a formatted line, cheaply (used to decide which capability a line needs).
 *
 * @since 0.1.0
 * @category parsing
 */
export const commandOf = (line: string): string => {
  let pos = 0
  if (line.charCodeAt(0) === 64) pos = line.indexOf(" ") + 1
  if (line.charCodeAt(pos) === 58) pos = line.indexOf(" ", pos) + 1
  const end = line.indexOf(" ", pos)
  return end === -1 ? line.slice(pos) : line.slice(pos, end)
}

/**
 * Splits a text into Unicode code points, the unit Twitch's emote indices count in.
 *
 * @since 0.1.0
 * @category emotes
 */
export const codePoints = (text: string): Array<string> => Array.from(text)

/**
 * Builds the `emotes` tag value for `text`: every whitespace-separated word equal to a known emote
 * name gets a zero-based inclusive range counted in code points, grouped by emote id in order of
 * first appearance.
 *
 * @since 0.1.0
 * @category emotes
 */
export const emoteTag = (text: string, emotes: ReadonlyMap<string, string>): string => {
  if (emotes.size === 0) return ""
  const ranges = new Map<string, Array<string>>()
  const cps = codePoints(text)
  let start = 0
  const flush = (end: number) => {
    if (end > start) {
      const word = cps.slice(start, end).join("")
      const id = emotes.get(word)
      if (id !== undefined) {
        const list = ranges.get(id)
        const range = `${start}-${end - 1}`
        if (list) list.push(range)
        else ranges.set(id, [range])
      }
    }
  }
  for (let i = 0; i < cps.length; i++) {
    if (cps[i] === " ") {
      flush(i)
      start = i + 1
    }
  }
  flush(cps.length)
  return Array.from(ranges, ([id, list]) => `${id}:${list.join(",")}`).join("/")
}
