/**
 * Channel names and message texts: normalizing channels (Twitch logins and RFC 1459/IRCv3 names),
 * checking texts, splitting long ones, escaping command-like ones and marking parts that would
 * repeat the previous message. Pure functions.
 *
 * @internal
 */
import * as Either from "effect/Either"
import { ChatError } from "../../../TwitchError.js"
import type * as ChatClient from "../../ChatClient.js"
import type * as TM from "../../TwitchMessage.js"

/**
 * The key of a channel: lowercase, one leading `#` removed (as the parser reports channels):
 * `#Pytwitcher` and `pytwitcher` are `pytwitcher`, `#chan-name` is `chan-name`, `&local` stays
 * `&local`. Undefined when it cannot be a channel name (RFC 2812: no space, control character,
 * comma or colon; at most 200 characters).
 */
export const normalizeChannel = (channel: string): string | undefined => {
  const name = (channel.charCodeAt(0) === 35 ? channel.slice(1) : channel).toLowerCase()
  if (name.length === 0 || name.length > 200) return undefined
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c <= 32 || c === 44 || c === 58 || c === 127) return undefined
  }
  return name
}

/**
 * The key of a channel as the parser reports it (`m.channel`, its one leading `#` already
 * removed): lowercase.
 */
export const receivedKey = (channel: string): string => channel.toLowerCase()

/** The channel as written on the wire: `#name`, or `&name` for a server-local channel. */
export const wireChannel = (key: string): string => key.charCodeAt(0) === 38 ? key : `#${key}`

/** Whether a channel as received (`m.channel`) is the channel `key`. */
export const sameChannel = (received: string, key: string): boolean =>
  received === key || received.toLowerCase() === key

/** The channel a message belongs to, if any (as received). */
export const channelOf = (m: TM.TwitchMessage): string | undefined => {
  switch (m._tag) {
    case "Privmsg":
    case "UserNotice":
    case "ClearChat":
    case "ClearMsg":
    case "RoomState":
    case "UserState":
    case "Join":
    case "Part":
    case "Names":
    case "EndOfNames":
      return m.channel
    case "Notice":
      return m.channel._tag === "Some" ? m.channel.value : undefined
    default:
      return undefined
  }
}

/** The index of the first CR, LF or NUL, or -1. */
export const forbiddenIndex = (text: string): number => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 13 || c === 10 || c === 0) return i
  }
  return -1
}

/** Length in code points (what Twitch's 500-character limit counts). */
export const codePoints = (text: string): number => {
  let n = 0
  for (const _ of text) n++
  return n
}

let segmenter: Intl.Segmenter | undefined

/**
 * Splits `text` into parts of at most `max` code points, on grapheme boundaries, preferring the
 * last space of a part when it falls in its second half. Leading/trailing spaces of parts are
 * trimmed.
 */
export const splitText = (text: string, max: number): Array<string> => {
  if (codePoints(text) <= max) return [text]
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })
  const parts: Array<string> = []
  let current: Array<string> = []
  let currentLength = 0
  let lastSpace = -1
  const flush = (upTo: number) => {
    const head = current.slice(0, upTo).join("").trim()
    if (head.length > 0) parts.push(head)
    current = current.slice(upTo)
    currentLength = 0
    lastSpace = -1
    for (let i = 0; i < current.length; i++) {
      currentLength += codePoints(current[i])
      if (current[i] === " ") lastSpace = i
    }
  }
  for (const { segment } of segmenter.segment(text)) {
    const size = codePoints(segment)
    if (currentLength + size > max) {
      flush(lastSpace > current.length / 2 ? lastSpace + 1 : current.length)
      if (currentLength + size > max) flush(current.length)
    }
    current.push(segment)
    currentLength += size
    if (segment === " ") lastSpace = current.length - 1
  }
  flush(current.length)
  return parts
}

/**
 * What `say` puts before a text Twitch could run as a chat command (`/color red`, `.me`):
 * U+200B ZERO WIDTH SPACE. It is invisible, needs no help from Twitch's command parser (nor a
 * Twitch server), and the text Twitch shows is exactly the one sent.
 */
export const commandEscape = "\u200B"

/**
 * What makes a message distinct from an identical previous one (Twitch refuses a message equal
 * to the account's previous one in the channel within 30 s: `msg_duplicate`): a space and
 * U+E0000, invisible in Twitch's chat, as chat clients (Chatterino, 7TV) append. The space keeps
 * the marker off the last word, so an emote there is still one.
 */
export const duplicateMarker = " \u{E0000}"

/** How long Twitch remembers the previous message for `msg_duplicate` (unless the limits say). */
export const duplicateWindowMillis = 30_000

const looksLikeCommand = (text: string) => /^\s*[./]/.test(text)

/** What a send asks for, with the client's defaults applied. */
export interface Compose {
  readonly action: boolean
  readonly replyTo: string | undefined
  readonly tooLong: "split" | "refuse"
  readonly commands: "escape" | "allow"
  readonly maxLength: number
}

/** One line of a composed send: the PRIVMSG and the text as Twitch shows it. */
export interface Line {
  readonly line: string
  readonly text: string
}

const tooLong = (channel: string, length: number, max: number, what = "") =>
  new ChatError({ reason: "TooLong", channel, detail: `${length} characters${what}; Twitch accepts ${max}` })

const hasRepeat = (parts: ReadonlyArray<string>) => parts.some((p, i) => i > 0 && p === parts[i - 1])

/**
 * The parts of a text: split when over the limit (or refused), escaped when they look like a
 * command (split again if the escape takes a part over), and a part identical to the part before
 * it marked with {@link duplicateMarker} (split with room for it), so Twitch takes each part.
 */
const partsOf = (channel: string, text: string, o: Compose): Either.Either<Array<string>, ChatError> => {
  const max = o.action ? o.maxLength - 9 : o.maxLength
  const length = codePoints(text)
  if (length > max && o.tooLong === "refuse") return Either.left(tooLong(channel, length, max))
  const escape = !o.action && o.commands === "escape"
  let room = max
  let parts = splitText(text, room)
  if (escape && parts.some((p) => looksLikeCommand(p) && codePoints(p) + 1 > max)) {
    if (o.tooLong === "refuse") {
      return Either.left(tooLong(channel, length + 1, max, " with the command escape"))
    }
    room = max - 1
    parts = splitText(text, room)
  }
  if (hasRepeat(parts)) parts = splitText(text, room - codePoints(duplicateMarker))
  if (escape) parts = parts.map((p) => looksLikeCommand(p) ? commandEscape + p : p)
  const out: Array<string> = []
  for (const p of parts) out.push(out.length > 0 && out[out.length - 1] === p ? p + duplicateMarker : p)
  return Either.right(out)
}

/**
 * Checks a text and turns it into the PRIVMSG lines to send, one per part.
 */
export const compose = (
  channel: string,
  text: string,
  o: Compose
): Either.Either<Array<Line>, ChatError> => {
  const bad = forbiddenIndex(text)
  if (bad >= 0) {
    return Either.left(
      new ChatError({
        reason: "InvalidText",
        channel,
        detail: `CR, LF or NUL at index ${bad}: a chat message is one line`
      })
    )
  }
  // Twitch's message ids are UUIDs: nothing else may reach the tag (no empty value, no `;`,
  // space, backslash or line break).
  if (o.replyTo !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(o.replyTo)) {
    return Either.left(new ChatError({ reason: "InvalidText", channel, detail: "invalid reply parent id" }))
  }
  if (text.trim().length === 0) {
    return Either.left(new ChatError({ reason: "InvalidText", channel, detail: "empty message" }))
  }
  const tags = o.replyTo === undefined ? "" : `@reply-parent-msg-id=${o.replyTo} `
  return Either.map(partsOf(channel, text, o), (parts) =>
    parts.map((part) => {
      const wire = o.action ? `\x01ACTION ${part}\x01` : part
      return { line: `${tags}PRIVMSG ${wireChannel(channel)} :${wire}`, text: wire }
    }))
}

/**
 * The wire text to send for a message that may repeat the previous one in its channel: as is when
 * it does not, with {@link duplicateMarker} (inside an ACTION) when it does and that is wanted and
 * fits, or `undefined` when it must not be sent (a repeat the caller chose to refuse).
 */
export const distinct = (
  text: string,
  previous: string | undefined,
  mode: ChatClient.SendOptions["duplicates"],
  maxLength: number
): string | undefined => {
  if (previous !== text) return text
  if (mode !== "distinct") return undefined
  const action = text.startsWith("\x01ACTION ") && text.endsWith("\x01")
  const body = action ? text.slice(8, -1) : text
  if (codePoints(body) + codePoints(duplicateMarker) > maxLength - (action ? 9 : 0)) return undefined
  return action ? `\x01ACTION ${body}${duplicateMarker}\x01` : text + duplicateMarker
}
