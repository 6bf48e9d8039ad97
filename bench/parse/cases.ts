/**
 * The parsers compared by the parse benchmark. Each case gives `parse` (line → message, what a
 * chat stack calls per line) and `read` (what a user reads from a message: text, emotes, badges,
 * color, time, sender, channel), each done through the library's own API.
 *
 * Groups:
 * - `generic`: IRC parsers (tags, prefix, command, params). `read` takes the tags a user reads,
 *   the nick and the last parameter.
 * - `twitch`: Twitch-typed parsers. `read` takes the typed fields of a PRIVMSG and the kind and
 *   system message of a USERNOTICE.
 * - `floor`: splitting received text into lines, no parsing.
 */
import { createRequire } from "node:module"
import type { IrcMessage } from "../../src/chat/IrcMessage.js"
import type { TwitchMessage } from "../../src/chat/TwitchMessage.js"

/** A loaded case. */
export interface Loaded {
  readonly parse: (line: string) => unknown
  readonly read: (message: unknown) => number
}

/** A parser under test. */
export interface ParseCase {
  readonly id: string
  readonly label: string
  readonly group: "floor" | "generic" | "twitch"
  readonly ours: boolean
  /** Where a case decodes on read, `read` is where the decoding cost shows. */
  readonly lazy: boolean
  readonly load: () => Promise<Loaded>
}

const require = createRequire(import.meta.url)

/** The number of UTF-16 units of a string, or 0: a cheap use of a value the optimizer keeps. */
const len = (s: unknown): number => typeof s === "string" ? s.length : 0

// --- peers' shapes, as far as the benchmark touches them ---------------------------------------

interface PlainIrc {
  readonly tags: Record<string, string | true | null | undefined>
  readonly prefix: string | null
  readonly command: string | null
  readonly params: ReadonlyArray<string>
}

interface TmiParser {
  readonly msg: (line: string) => PlainIrc | null
  readonly badges: (tags: PlainIrc["tags"]) => PlainIrc["tags"]
  readonly badgeInfo: (tags: PlainIrc["tags"]) => PlainIrc["tags"]
  readonly emotes: (tags: PlainIrc["tags"]) => PlainIrc["tags"]
}

interface TmiUtils {
  readonly unescapeIRC: (value: string) => string
}

interface TmiTyped {
  readonly tags: Record<string, unknown>
  readonly prefix: string | null
  readonly command: string | null
  readonly params: ReadonlyArray<string>
}

interface DankIrc {
  readonly ircTags: Record<string, string | null | undefined>
  readonly ircPrefix: { readonly nickname?: string | undefined } | undefined
  readonly ircParameters: ReadonlyArray<string>
}

interface DankPrivmsg {
  readonly messageText: string
  readonly emotes: ReadonlyArray<{ readonly id: string; readonly startIndex: number }>
  readonly badges: ReadonlyArray<unknown>
  readonly colorRaw: string
  readonly serverTimestamp: Date
  readonly displayName: string
  readonly senderUserID: string
  readonly channelName: string
}

interface DankUsernotice {
  readonly messageTypeID: string
  readonly systemMessage: string
  readonly channelName: string
}

// dank-twitch-irc's .d.ts re-exports without file extensions, which NodeNext cannot follow
interface DankModule {
  readonly parseIRCMessage: (line: string) => DankIrc
  readonly parseTwitchMessage: (line: string) => DankIrc
  readonly PrivmsgMessage: abstract new(...args: ReadonlyArray<never>) => DankPrivmsg
  readonly UsernoticeMessage: abstract new(...args: ReadonlyArray<never>) => DankUsernotice
}

const loadDank = async (): Promise<DankModule> =>
  (await import("@mastondzn/dank-twitch-irc")) as unknown as DankModule

const nickOf = (prefix: string | null): string => {
  if (prefix === null) return ""
  const bang = prefix.indexOf("!")
  return bang < 0 ? prefix : prefix.slice(0, bang)
}

const readPlain = (message: unknown): number => {
  const m = message as PlainIrc | null
  if (m === null) return 0
  const t = m.tags
  return len(t["display-name"]) + len(t["color"]) + len(t["tmi-sent-ts"]) + len(t["emotes"]) +
    len(t["badges"]) +
    len(nickOf(m.prefix)) + len(m.params[m.params.length - 1])
}

export const cases: ReadonlyArray<ParseCase> = [
  {
    id: "floor",
    label: "floor: split received text into lines",
    group: "floor",
    ours: false,
    lazy: false,
    load: async () => ({ parse: (line) => line, read: (line) => len(line) })
  },
  // --- generic -------------------------------------------------------------------------------
  {
    id: "ours-irc",
    label: "effect-twitcher parseIrcLine",
    group: "generic",
    ours: true,
    lazy: true,
    load: async () => {
      const { parseIrcLine } = await import("../../src/chat/IrcParser.js")
      return {
        parse: (line) => {
          const r = parseIrcLine(line)
          return r._tag === "Right" ? r.right : r.left
        },
        read: (message) => {
          const m = message as IrcMessage
          const t = m.tags
          return len(t.get("display-name")) + len(t.get("color")) + len(t.get("tmi-sent-ts")) +
            len(t.get("emotes")) + len(t.get("badges")) + len(m.prefix?.nick) +
            len(m.params[m.params.length - 1])
        }
      }
    }
  },
  {
    id: "irc-message",
    label: "irc-message 3.0 parse",
    group: "generic",
    ours: false,
    lazy: false,
    load: async () => {
      const ircMessage = require("irc-message") as { readonly parse: (line: string) => PlainIrc | null }
      return { parse: (line) => ircMessage.parse(line), read: readPlain }
    }
  },
  {
    id: "tmi-irc",
    label: "tmi.js 1.8 parser.msg",
    group: "generic",
    ours: false,
    lazy: false,
    load: async () => {
      const parser = require("tmi.js/lib/parser.js") as TmiParser
      return { parse: (line) => parser.msg(line), read: readPlain }
    }
  },
  {
    id: "dank-irc",
    label: "dank-twitch-irc 7.2 parseIRCMessage",
    group: "generic",
    ours: false,
    lazy: false,
    load: async () => {
      const { parseIRCMessage } = await loadDank()
      return {
        parse: (line) => parseIRCMessage(line),
        read: (message) => {
          const m = message as DankIrc
          const t = m.ircTags
          return len(t["display-name"]) + len(t["color"]) + len(t["tmi-sent-ts"]) + len(t["emotes"]) +
            len(t["badges"]) + len(m.ircPrefix?.nickname) + len(m.ircParameters[m.ircParameters.length - 1])
        }
      }
    }
  },
  {
    id: "ircv3-irc",
    label: "ircv3 0.33 parseMessage (generic types)",
    group: "generic",
    ours: false,
    lazy: true,
    load: async () => {
      const { parseMessage } = await import("ircv3")
      type M = ReturnType<typeof parseMessage>
      return {
        parse: (line) => parseMessage(line),
        read: (message) => {
          const m = message as M
          const t = m.tags
          const params = m.rawParamValues
          return len(t.get("display-name")) + len(t.get("color")) + len(t.get("tmi-sent-ts")) +
            len(t.get("emotes")) + len(t.get("badges")) + len(m.prefix?.nick) + len(params[params.length - 1])
        }
      }
    }
  },
  // --- Twitch-typed --------------------------------------------------------------------------
  {
    id: "ours-twitch",
    label: "effect-twitcher parseTwitchLine",
    group: "twitch",
    ours: true,
    lazy: true,
    load: async () => {
      const { parseTwitchLine } = await import("../../src/chat/TwitchMessage.js")
      return {
        parse: (line) => {
          const r = parseTwitchLine(line)
          return r._tag === "Right" ? r.right : r.left
        },
        read: (message) => {
          const m = message as TwitchMessage
          if (m._tag === "Privmsg") {
            let n = 0
            for (const e of m.emotes) n += len(e.id) + e.utf16Start
            return len(m.text) + n + m.badges.size + (m.color._tag === "Some" ? len(m.color.value) : 0) +
              (m.sentAt._tag === "Some" ? m.sentAt.value.getTime() & 1 : 0) + len(m.displayName) +
              len(m.userId) + len(m.channel)
          }
          if (m._tag === "UserNotice") return len(m.kind) + len(m.systemMessage) + len(m.channel)
          return 1
        }
      }
    }
  },
  {
    id: "tmi-twitch",
    label: "tmi.js 1.8 parser.msg + its tag decoding",
    group: "twitch",
    ours: false,
    lazy: false,
    load: async () => {
      const parser = require("tmi.js/lib/parser.js") as TmiParser
      const utils = require("tmi.js/lib/utils.js") as TmiUtils
      // what tmi.js's client does to every message before emitting it (lib/client.js handleMessage)
      const parse = (line: string): TmiTyped | null => {
        const message = parser.msg(line)
        if (message === null) return null
        const tags = parser.badges(parser.badgeInfo(parser.emotes(message.tags))) as Record<string, unknown>
        for (const key in tags) {
          if (key === "emote-sets" || key === "ban-duration" || key === "bits") continue
          let value = tags[key]
          if (typeof value === "boolean") value = null
          else if (value === "1") value = true
          else if (value === "0") value = false
          else if (typeof value === "string") value = utils.unescapeIRC(value)
          tags[key] = value
        }
        return message as unknown as TmiTyped
      }
      return {
        parse,
        read: (message) => {
          const m = message as TmiTyped | null
          if (m === null) return 0
          if (m.command === "PRIVMSG") {
            const t = m.tags
            const emotes = t["emotes"] as Record<string, ReadonlyArray<string>> | null
            let n = 0
            if (emotes) { for (const id in emotes) n += len(id) + emotes[id].length }
            const badges = t["badges"] as Record<string, string> | null
            return len(m.params[1]) + n + (badges ? Object.keys(badges).length : 0) + len(t["color"]) +
              (new Date(Number(t["tmi-sent-ts"])).getTime() & 1) + len(t["display-name"]) +
              len(t["user-id"]) +
              len(m.params[0])
          }
          if (m.command === "USERNOTICE") {
            return len(m.tags["msg-id"]) + len(m.tags["system-msg"]) + len(m.params[0])
          }
          return 1
        }
      }
    }
  },
  {
    id: "dank-twitch",
    label: "dank-twitch-irc 7.2 parseTwitchMessage",
    group: "twitch",
    ours: false,
    lazy: false,
    load: async () => {
      const { parseTwitchMessage, PrivmsgMessage, UsernoticeMessage } = await loadDank()
      return {
        parse: (line) => parseTwitchMessage(line),
        read: (message) => {
          if (message instanceof PrivmsgMessage) {
            let n = 0
            for (const e of message.emotes) n += len(e.id) + e.startIndex
            return len(message.messageText) + n + message.badges.length + len(message.colorRaw) +
              (message.serverTimestamp.getTime() & 1) + len(message.displayName) + len(message.senderUserID) +
              len(message.channelName)
          }
          if (message instanceof UsernoticeMessage) {
            return len(message.messageTypeID) + len(message.systemMessage) + len(message.channelName)
          }
          return 1
        }
      }
    }
  },
  {
    id: "twurple",
    label: "Twurple 8.2 parseTwitchMessage (ircv3 + Twitch types)",
    group: "twitch",
    ours: false,
    lazy: true,
    load: async () => {
      const { ChatMessage, parseTwitchMessage, UserNotice } = await import("@twurple/chat")
      return {
        parse: (line) => parseTwitchMessage(line),
        read: (message) => {
          if (message instanceof ChatMessage) {
            let n = 0
            for (const [id, ranges] of message.emoteOffsets) n += len(id) + ranges.length
            const user = message.userInfo
            return len(message.text) + n + user.badges.size + len(user.color) + (message.date.getTime() & 1) +
              len(user.displayName) + len(user.userId) + len(message.target)
          }
          if (message instanceof UserNotice) {
            return len(message.tags.get("msg-id")) + len(message.tags.get("system-msg")) +
              len(message.rawParamValues[0])
          }
          return 1
        }
      }
    }
  }
]
