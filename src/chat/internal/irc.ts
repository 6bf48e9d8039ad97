/**
 * The IRC scanner shared by `parseIrcLine` and `parseTwitchLine`: one pass with `indexOf` and
 * `charCodeAt` that finds the boundaries of tags, prefix, command and parameters, and the lazy
 * decoders that turn those ranges into values when they are first read.
 *
 * @internal
 */
import { IrcParseError, type IrcParseReason } from "../IrcError.js"
import type { IrcMessage, IrcPrefix } from "../IrcMessage.js"

const inspect = Symbol.for("nodejs.util.inspect.custom")

const SPACE = 32
const COLON = 58
const AT = 64
const SEMI = 59
const EQ = 61
const BANG = 33
const CR = 13
const LF = 10

/** Failure codes of {@link scan}; 0 is success. */
export const SCAN_OK = 0
/** @internal */
export const SCAN_EMPTY = 1
/** @internal */
export const SCAN_NO_COMMAND = 2
/** @internal */
export const SCAN_INVALID_COMMAND = 3

/**
 * Where the parts of the last scanned line are. One scratch object, overwritten by each scan: the
 * caller copies what it needs before scanning again (parsing is synchronous, so this is safe).
 */
export const S = {
  /** The line, without trailing CR/LF. */
  line: "",
  /** Tags are `line[1, tagsEnd)`; 0 when the line has none. */
  tagsEnd: 0,
  /** The prefix is `line[prefixStart, prefixEnd)`; `prefixEnd` is 0 when there is none. */
  prefixStart: 0,
  prefixEnd: 0,
  command: "",
  /** The index right after the command (a space or the end of the line). */
  paramsStart: 0
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122)

const isDigit = (c: number): boolean => c >= 48 && c <= 57

/**
 * The command of `line[start, end)`: a shared literal for the commands Twitch sends (no
 * allocation), a slice for other valid commands, `undefined` when invalid.
 */
const readCommand = (line: string, start: number, end: number): string | undefined => {
  const len = end - start
  switch (len) {
    case 3: {
      if (line.startsWith("CAP", start)) return "CAP"
      break
    }
    case 4: {
      const c = line.charCodeAt(start + 1)
      if (c === 73 && line.startsWith("PING", start)) return "PING"
      if (c === 79 && line.startsWith("PONG", start)) return "PONG"
      if (c === 79 && line.startsWith("JOIN", start)) return "JOIN"
      if (c === 65 && line.startsWith("PART", start)) return "PART"
      break
    }
    case 6: {
      if (line.startsWith("NOTICE", start)) return "NOTICE"
      break
    }
    case 7: {
      if (line.startsWith("PRIVMSG", start)) return "PRIVMSG"
      if (line.startsWith("WHISPER", start)) return "WHISPER"
      break
    }
    case 8: {
      if (line.startsWith("CLEARMSG", start)) return "CLEARMSG"
      break
    }
    case 9: {
      switch (line.charCodeAt(start)) {
        case 67:
          if (line.startsWith("CLEARCHAT", start)) return "CLEARCHAT"
          break
        case 82:
          if (line.startsWith("ROOMSTATE", start)) return "ROOMSTATE"
          if (line.startsWith("RECONNECT", start)) return "RECONNECT"
          break
        case 85:
          if (line.startsWith("USERSTATE", start)) return "USERSTATE"
          break
      }
      break
    }
    case 10: {
      if (line.startsWith("USERNOTICE", start)) return "USERNOTICE"
      break
    }
    case 15: {
      if (line.startsWith("GLOBALUSERSTATE", start)) return "GLOBALUSERSTATE"
      break
    }
  }
  if (len === 0) return undefined
  const c0 = line.charCodeAt(start)
  if (isDigit(c0)) {
    if (len === 3 && isDigit(line.charCodeAt(start + 1)) && isDigit(line.charCodeAt(start + 2))) {
      return line.slice(start, end)
    }
    return undefined
  }
  for (let i = start; i < end; i++) {
    if (!isLetter(line.charCodeAt(i))) return undefined
  }
  return line.slice(start, end)
}

/**
 * Scans a line into {@link S}. Returns {@link SCAN_OK} or a failure code. Never throws.
 *
 * Lenient where IRC servers are: trailing CR/LF are dropped, runs of spaces separate atoms,
 * leading spaces are skipped, and CR or NUL inside the line are kept as content (the transport
 * splits lines on LF).
 */
export const scan = (input: string): number => {
  let line = input
  let len = line.length
  if (len > 0) {
    const last = line.charCodeAt(len - 1)
    if (last === LF || last === CR) {
      let end = len - 1
      while (end > 0) {
        const c = line.charCodeAt(end - 1)
        if (c !== LF && c !== CR) break
        end--
      }
      line = line.slice(0, end)
      len = end
    }
  }
  let pos = 0
  while (pos < len && line.charCodeAt(pos) === SPACE) pos++
  if (pos >= len) return SCAN_EMPTY
  if (pos > 0) {
    line = line.slice(pos)
    len -= pos
    pos = 0
  }
  S.line = line
  let tagsEnd = 0
  if (line.charCodeAt(0) === AT) {
    const sp = line.indexOf(" ", 1)
    if (sp < 0) return SCAN_NO_COMMAND
    tagsEnd = sp
    pos = sp + 1
    while (line.charCodeAt(pos) === SPACE) pos++
  }
  let prefixStart = 0
  let prefixEnd = 0
  if (line.charCodeAt(pos) === COLON) {
    const sp = line.indexOf(" ", pos)
    if (sp < 0) return SCAN_NO_COMMAND
    prefixStart = pos + 1
    prefixEnd = sp > prefixStart ? sp : 0
    pos = sp + 1
    while (line.charCodeAt(pos) === SPACE) pos++
  }
  if (pos >= len) return SCAN_NO_COMMAND
  let cmdEnd = line.indexOf(" ", pos)
  if (cmdEnd < 0) cmdEnd = len
  const command = readCommand(line, pos, cmdEnd)
  if (command === undefined) return SCAN_INVALID_COMMAND
  S.tagsEnd = tagsEnd
  S.prefixStart = prefixStart
  S.prefixEnd = prefixEnd
  S.command = command
  S.paramsStart = cmdEnd
  return SCAN_OK
}

// ---------------------------------------------------------------------------------------------
// Tag values
// ---------------------------------------------------------------------------------------------

/**
 * Unescapes the tag value `line[start, end)` whose first backslash is at `bs` (`start <= bs <
 * end`). Unknown escapes drop the backslash, a trailing lone backslash is dropped.
 */
export const unescapeRange = (line: string, start: number, end: number, bs: number): string => {
  let out = ""
  let from = start
  let k = bs
  while (k >= 0 && k < end) {
    out += line.slice(from, k)
    if (k + 1 < end) {
      const c = line.charCodeAt(k + 1)
      switch (c) {
        case 58:
          out += ";"
          break
        case 115:
          out += " "
          break
        case 114:
          out += "\r"
          break
        case 110:
          out += "\n"
          break
        default:
          // `\\` gives `\`, any other escaped character stands for itself
          out += line[k + 1]
      }
    }
    from = k + 2
    if (from >= end) return out
    k = line.indexOf("\\", from)
  }
  return out + line.slice(from, end)
}

/** Unescapes a whole tag value string. */
export const unescapeTagValue = (value: string): string => {
  const bs = value.indexOf("\\")
  return bs < 0 ? value : unescapeRange(value, 0, value.length, bs)
}

/**
 * Decodes the tags `line[1, tagsEnd)` into a map. Keys without a value map to `""`; the first of
 * repeated keys wins (as in {@link findTag}); empty keys (`@;a=1`) are skipped.
 */
export const decodeTags = (line: string, tagsEnd: number): Map<string, string> => {
  const tags = new Map<string, string>()
  if (tagsEnd === 0) return tags
  // `bs` is the next backslash at or after `i`, or `tagsEnd` when there is none
  let bs = line.indexOf("\\", 1)
  if (bs < 0 || bs > tagsEnd) bs = tagsEnd
  let i = 1
  while (i < tagsEnd) {
    let semi = line.indexOf(";", i)
    if (semi < 0 || semi > tagsEnd) semi = tagsEnd
    let eq = i
    while (eq < semi && line.charCodeAt(eq) !== EQ) eq++
    if (bs < eq) {
      // a backslash inside the key is kept as written: look for one in the value
      bs = line.indexOf("\\", eq)
      if (bs < 0 || bs > tagsEnd) bs = tagsEnd
    }
    if (eq > i) {
      const key = line.slice(i, eq)
      if (!tags.has(key)) {
        tags.set(
          key,
          eq + 1 >= semi
            ? ""
            : bs < semi
            ? unescapeRange(line, eq + 1, semi, bs)
            : line.slice(eq + 1, semi)
        )
      }
    }
    i = semi + 1
    if (bs < i && bs < tagsEnd) {
      bs = line.indexOf("\\", i)
      if (bs < 0 || bs > tagsEnd) bs = tagsEnd
    }
  }
  return tags
}

/**
 * Finds the tag `key` in `line[1, tagsEnd)` and returns the start of its value (the end is in
 * `T.end`), or -1 when absent. `needle` is `";" + key`. When a key repeats, the first occurrence
 * wins: Twitch never repeats a tag, and stopping at the first match halves the cost of a lookup
 * (the ircdocs parser tests suggest the last; see `IrcMessage`).
 */
export const findTag = (line: string, tagsEnd: number, key: string, needle: string): number => {
  if (tagsEnd === 0) return -1
  const klen = key.length
  let p = 1 + klen
  if (p <= tagsEnd && line.startsWith(key, 1)) {
    const c = line.charCodeAt(p)
    if (p === tagsEnd || c === EQ || c === SEMI) return valueAt(line, tagsEnd, p)
  }
  let from = 1
  for (;;) {
    const hit = line.indexOf(needle, from)
    if (hit < 0 || hit >= tagsEnd) return -1
    p = hit + 1 + klen
    if (p <= tagsEnd) {
      const c = line.charCodeAt(p)
      if (p === tagsEnd || c === EQ || c === SEMI) return valueAt(line, tagsEnd, p)
    }
    from = hit + 1
  }
}

/** The end of the last found tag value. */
export const T = { end: 0 }

const valueAt = (line: string, tagsEnd: number, p: number): number => {
  if (p >= tagsEnd || line.charCodeAt(p) !== EQ) {
    T.end = p
    return p
  }
  const start = p + 1
  let semi = line.indexOf(";", start)
  if (semi < 0 || semi > tagsEnd) semi = tagsEnd
  T.end = semi
  return start
}

/** The unescaped value of the tag, or `undefined` when absent. */
export const tagValue = (line: string, tagsEnd: number, key: string, needle: string): string | undefined => {
  const start = findTag(line, tagsEnd, key, needle)
  if (start < 0) return undefined
  const end = T.end
  if (start === end) return ""
  for (let i = start; i < end; i++) {
    if (line.charCodeAt(i) === 92) return unescapeRange(line, start, end, i)
  }
  return line.slice(start, end)
}

/**
 * The tags of a message as a `ReadonlyMap` over the raw line: `get`/`has` look the one key up
 * without decoding the others (nothing is kept); iterating or `size` decodes them all, each time.
 */
export class LazyTags implements ReadonlyMap<string, string> {
  constructor(readonly raw: string, readonly tagsEnd: number) {}
  get(key: string): string | undefined {
    return tagValue(this.raw, this.tagsEnd, key, ";" + key)
  }
  has(key: string): boolean {
    return findTag(this.raw, this.tagsEnd, key, ";" + key) >= 0
  }
  get size(): number {
    return decodeTags(this.raw, this.tagsEnd).size
  }
  forEach(
    callback: (value: string, key: string, map: ReadonlyMap<string, string>) => void,
    thisArg?: unknown
  ): void {
    for (const [key, value] of decodeTags(this.raw, this.tagsEnd)) callback.call(thisArg, value, key, this)
  }
  entries(): MapIterator<[string, string]> {
    return decodeTags(this.raw, this.tagsEnd).entries()
  }
  keys(): MapIterator<string> {
    return decodeTags(this.raw, this.tagsEnd).keys()
  }
  values(): MapIterator<string> {
    return decodeTags(this.raw, this.tagsEnd).values()
  }
  [Symbol.iterator](): MapIterator<[string, string]> {
    return decodeTags(this.raw, this.tagsEnd).entries()
  }
  toJSON(): unknown {
    return Object.fromEntries(decodeTags(this.raw, this.tagsEnd))
  }
  [inspect](): unknown {
    return decodeTags(this.raw, this.tagsEnd)
  }
}

const noTags: ReadonlyMap<string, string> = new Map()

// ---------------------------------------------------------------------------------------------
// Prefix and parameters
// ---------------------------------------------------------------------------------------------

/** Splits `nick!user@host` in `line[start, end)`. */
export const decodePrefix = (line: string, start: number, end: number): IrcPrefix => {
  let bang = -1
  let at = -1
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i)
    if (c === BANG && bang < 0 && at < 0) bang = i
    else if (c === AT && at < 0) at = i
  }
  if (bang < 0 && at < 0) return { nick: line.slice(start, end), user: undefined, host: undefined }
  if (at < 0) return { nick: line.slice(start, bang), user: line.slice(bang + 1, end), host: undefined }
  if (bang < 0) return { nick: line.slice(start, at), user: undefined, host: line.slice(at + 1, end) }
  return { nick: line.slice(start, bang), user: line.slice(bang + 1, at), host: line.slice(at + 1, end) }
}

/** The parameters after `from` (the end of the command), in an array of exactly their number. */
export const decodeParams = (line: string, from: number): Array<string> => {
  const len = line.length
  // first pass: count (an array grown by push keeps room for 17 entries, which messages retain)
  let n = 0
  for (let i = from;;) {
    while (i < len && line.charCodeAt(i) === SPACE) i++
    if (i >= len) break
    n++
    if (line.charCodeAt(i) === COLON) break
    const sp = line.indexOf(" ", i)
    if (sp < 0) break
    i = sp + 1
  }
  const params = new Array<string>(n)
  let k = 0
  for (let i = from; k < n;) {
    while (line.charCodeAt(i) === SPACE) i++
    if (line.charCodeAt(i) === COLON) {
      params[k++] = line.slice(i + 1)
      break
    }
    let sp = line.indexOf(" ", i)
    if (sp < 0) sp = len
    params[k++] = line.slice(i, sp)
    i = sp + 1
  }
  return params
}

/**
 * The start of the last parameter (after its `:` if trailing), or -1 when there are no
 * parameters.
 */
export const lastParamStart = (line: string, from: number): number => {
  const trailing = line.indexOf(" :", from)
  if (trailing >= 0) return trailing + 2
  let end = line.length
  while (end > from && line.charCodeAt(end - 1) === SPACE) end--
  if (end <= from) return -1
  const sp = line.lastIndexOf(" ", end - 1)
  return sp < from ? -1 : sp + 1
}

/** The end of the last parameter: the line end unless it is a middle parameter with trailing spaces. */
export const lastParamEnd = (line: string, start: number): number => {
  if (line.charCodeAt(start - 1) === COLON) return line.length
  const sp = line.indexOf(" ", start)
  return sp < 0 ? line.length : sp
}

/** The first parameter as `[start, end)` in `P`, or false when there is none. */
export const firstParam = (line: string, from: number): boolean => {
  const len = line.length
  let i = from
  while (i < len && line.charCodeAt(i) === SPACE) i++
  if (i >= len) return false
  if (line.charCodeAt(i) === COLON) {
    P.start = i + 1
    P.end = len
    return true
  }
  const sp = line.indexOf(" ", i)
  P.start = i
  P.end = sp < 0 ? len : sp
  return true
}

/** The range found by {@link firstParam}. */
export const P = { start: 0, end: 0 }

// ---------------------------------------------------------------------------------------------
// The lazy message
// ---------------------------------------------------------------------------------------------

/**
 * An {@link IrcMessage} over the raw line: offsets are found by the scan, tags, prefix and params
 * are decoded on first read and kept.
 */
export class LazyIrcMessage implements IrcMessage {
  // Fields are assigned in the constructor, not declared with initializers: initializers are
  // defined per subclass map and go megamorphic (and slow) across the Twitch message classes.
  declare readonly raw: string
  declare readonly command: string
  /** @internal */
  declare readonly _tagsEnd: number
  /** @internal */
  declare readonly _prefixStart: number
  /** @internal */
  declare readonly _prefixEnd: number
  /** @internal */
  declare readonly _paramsStart: number
  /** @internal */
  declare _tags: ReadonlyMap<string, string> | undefined
  /** @internal */
  declare _params: Array<string> | undefined
  /** @internal */
  declare _prefix: IrcPrefix | undefined | null
  constructor(
    raw: string,
    command: string,
    tagsEnd: number,
    prefixStart: number,
    prefixEnd: number,
    paramsStart: number
  ) {
    this.raw = raw
    this.command = command
    this._tagsEnd = tagsEnd
    this._prefixStart = prefixStart
    this._prefixEnd = prefixEnd
    this._paramsStart = paramsStart
    this._tags = undefined
    this._params = undefined
    this._prefix = null
  }
  get tags(): ReadonlyMap<string, string> {
    return this._tags ??= this._tagsEnd === 0 ? noTags : new LazyTags(this.raw, this._tagsEnd)
  }
  get prefix(): IrcPrefix | undefined {
    if (this._prefix === null) {
      this._prefix = this._prefixEnd === 0
        ? undefined
        : decodePrefix(this.raw, this._prefixStart, this._prefixEnd)
    }
    return this._prefix
  }
  get params(): ReadonlyArray<string> {
    return this._params ??= decodeParams(this.raw, this._paramsStart)
  }
  toJSON(): unknown {
    return {
      tags: Object.fromEntries(this.tags),
      prefix: this.prefix,
      command: this.command,
      params: this.params
    }
  }
  [inspect](): unknown {
    return this.toJSON()
  }
}

/** Builds the lazy message from the scratch state of the last successful scan. */
export const fromScan = (): LazyIrcMessage =>
  new LazyIrcMessage(S.line, S.command, S.tagsEnd, S.prefixStart, S.prefixEnd, S.paramsStart)

const reasons: ReadonlyArray<IrcParseReason> = ["Empty", "Empty", "NoCommand", "InvalidCommand"]

const describe = (u: unknown): string => {
  try {
    return String(u)
  } catch {
    return Object.prototype.toString.call(u)
  }
}

/** The typed error for a scan failure code (or a non-string input). */
export const failure = (code: number, line: unknown): IrcParseError =>
  new IrcParseError(
    typeof line === "string"
      ? { reason: reasons[code], line }
      : { reason: "NotAString", line: describe(line) },
    true
  )
