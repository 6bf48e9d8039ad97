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
import type * as Twurple from "@twurple/chat"
import { createRequire } from "node:module"
import type { IrcMessage } from "../../src/chat/IrcMessage.js"
import type { TwitchMessage } from "../../src/chat/TwitchMessage.js"

/** A loaded case. */
export interface Loaded {
  readonly parse: (line: string) => unknown
  readonly read: (message: unknown) => number
  /**
   * Twitch-typed cases: what a chat logger reads (the `logger` read set): every typed field of a
   * PRIVMSG (ids, channel, sender, text, time, color, all badges and badge info, emotes, bits,
   * first/returning flags, roles, reply, shared-chat source), a USERNOTICE's ids, kind, texts,
   * sender, time, badges and every `msg-param-*`, the target of a CLEARCHAT/CLEARMSG, JOIN/PART,
   * room modes and NOTICEs.
   */
  readonly readAll?: ((message: unknown) => number) | undefined
}

/** The read sets: `user` (what a chat UI reads) and `logger` (see {@link Loaded.readAll}). */
export type ReadSet = "user" | "logger"

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

/** A cheap use of a value of any kind (so that reading it is not optimized away). */
const use = (u: unknown): number =>
  typeof u === "string"
    ? u.length
    : typeof u === "number"
    ? u & 1
    : u === true
    ? 1
    : u instanceof Date
    ? u.getTime() & 1
    : 0

/** Uses every entry of a map. */
const useMap = (m: ReadonlyMap<string, unknown> | undefined): number => {
  let n = 0
  if (m !== undefined) { for (const [k, v] of m) n += k.length + use(v) }
  return n
}

/** Uses every own property of an object (tmi.js's decoded tags). */
const useRecord = (o: unknown): number => {
  let n = 0
  if (typeof o === "object" && o !== null) {
    for (const k in o) n += k.length + use((o as Record<string, unknown>)[k])
  }
  return n
}

const ACTION = "\u0001ACTION "

/** The text of a PRIVMSG trailing parameter without the `/me` wrapper, as the peers' clients do. */
const actionText = (t: string | undefined): string =>
  t !== undefined && t.startsWith(ACTION) ? t.slice(8, t.endsWith("\u0001") ? -1 : undefined) : t ?? ""

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

interface DankBadge {
  readonly name: string
  readonly version: string
}

/** The further fields the logger read set takes (see `readAllDank`). */
interface DankPrivmsgAll extends DankPrivmsg, DankIrc {
  readonly messageID: string
  readonly channelID: string
  readonly senderUsername: string
  readonly isAction: boolean
  readonly badges: ReadonlyArray<DankBadge>
  readonly badgeInfo: ReadonlyArray<DankBadge>
  readonly emotes: ReadonlyArray<
    { readonly id: string; readonly startIndex: number; readonly endIndex: number }
  >
  readonly bits: number | undefined
  readonly isMod: boolean
  readonly replyParentMessageID: string | undefined
  readonly replyParentUserLogin: string | undefined
  readonly replyParentMessageBody: string | undefined
  readonly replyParentDisplayName: string | undefined
  readonly sourceChannelID: string | undefined
}

interface DankUsernoticeAll extends DankUsernotice, DankIrc {
  readonly messageID: string
  readonly messageText: string | undefined
  readonly senderUsername: string
  readonly displayName: string
  readonly senderUserID: string
  readonly channelID: string
  readonly serverTimestamp: Date
  readonly badges: ReadonlyArray<DankBadge>
  readonly colorRaw: string
  readonly eventParams: Record<string, string | number | boolean>
}

interface DankClearchat extends DankIrc {
  readonly channelName: string
  readonly targetUsername: string | undefined
  readonly banDuration: number | undefined
}

interface DankClearmsg extends DankIrc {
  readonly channelName: string
  readonly targetUsername: string
  readonly targetMessageID: string
  readonly targetMessageContent: string
}

// dank-twitch-irc's .d.ts re-exports without file extensions, which NodeNext cannot follow
interface DankModule {
  readonly parseIRCMessage: (line: string) => DankIrc
  readonly parseTwitchMessage: (line: string) => DankIrc
  readonly PrivmsgMessage: abstract new(...args: ReadonlyArray<never>) => DankPrivmsg
  readonly UsernoticeMessage: abstract new(...args: ReadonlyArray<never>) => DankUsernotice
  readonly ClearchatMessage: abstract new(...args: ReadonlyArray<never>) => DankClearchat
  readonly ClearmsgMessage: abstract new(...args: ReadonlyArray<never>) => DankClearmsg
  readonly JoinMessage: abstract new(
    ...args: ReadonlyArray<never>
  ) => DankIrc & { readonly joinedUsername: string; readonly channelName: string }
  readonly PartMessage: abstract new(
    ...args: ReadonlyArray<never>
  ) => DankIrc & { readonly partedUsername: string; readonly channelName: string }
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

// --- the logger read set -----------------------------------------------------------------------

const some = (o: { readonly _tag: "Some"; readonly value: unknown } | { readonly _tag: "None" }): number =>
  o._tag === "Some" ? use(o.value) : 0

const readAllOurs = (m: TwitchMessage): number => {
  switch (m._tag) {
    case "Privmsg": {
      let n = 0
      for (const e of m.emotes) n += len(e.id) + e.utf16Start + e.utf16End
      n += useMap(m.badges) + useMap(m.badgeInfo)
      n += len(m.id) + len(m.channel) + len(m.roomId) + len(m.login) + len(m.displayName) + len(m.userId) +
        len(m.text) + use(m.isAction) + some(m.sentAt) + some(m.color) + some(m.bits) + some(m.firstMessage) +
        some(m.returningChatter) + use(m.mod) + use(m.subscriber) + use(m.vip) + use(m.turbo) +
        len(m.userType)
      const reply = m.reply
      if (reply._tag === "Some") {
        n += len(reply.value.msgId) + len(reply.value.userLogin) + len(reply.value.body) +
          len(reply.value.displayName)
      }
      const shared = m.sharedChat
      if (shared._tag === "Some") n += len(shared.value.roomId)
      return n
    }
    case "UserNotice":
      return len(m.id) + len(m.kind) + len(m.systemMessage) + some(m.text) + len(m.login) +
        len(m.displayName) +
        len(m.userId) + len(m.channel) + len(m.roomId) + some(m.sentAt) + useMap(m.badges) + some(m.color) +
        useMap(m.msgParams)
    case "ClearChat":
      return len(m.channel) + some(m.targetLogin) + some(m.banDuration) + some(m.targetUserId) +
        some(m.sentAt)
    case "ClearMsg":
      return len(m.channel) + len(m.login) + len(m.targetMsgId) + some(m.text)
    case "Join":
    case "Part":
      return len(m.channel) + len(m.login)
    case "RoomState":
      return len(m.channel) + some(m.slow) + some(m.followersOnly)
    case "Notice":
      return len(m.text) + some(m.msgId)
    default:
      return 1
  }
}

const readAllTmi = (m: TmiTyped): number => {
  const t = m.tags
  switch (m.command) {
    case "PRIVMSG": {
      let n = 0
      const emotes = t["emotes"] as Record<string, ReadonlyArray<string>> | null
      if (emotes) { for (const id in emotes) for (const range of emotes[id]) n += id.length + range.length }
      n += useRecord(t["badges"]) + useRecord(t["badge-info"])
      const text = m.params[1]
      return n + len(t["id"]) + len(m.params[0]) + len(t["room-id"]) + len(nickOf(m.prefix)) +
        len(t["display-name"]) + len(t["user-id"]) + len(actionText(text)) + use(text?.startsWith(ACTION)) +
        (new Date(Number(t["tmi-sent-ts"])).getTime() & 1) + len(t["color"]) + use(t["bits"]) +
        use(t["first-msg"]) + use(t["returning-chatter"]) + use(t["mod"]) + use(t["subscriber"]) +
        use(t["vip"]) +
        use(t["turbo"]) + len(t["user-type"]) + len(t["reply-parent-msg-id"]) +
        len(t["reply-parent-user-login"]) +
        len(t["reply-parent-msg-body"]) + len(t["reply-parent-display-name"]) + len(t["source-room-id"])
    }
    case "USERNOTICE": {
      let n = 0
      for (const key in t) if (key.startsWith("msg-param-")) n += key.length + use(t[key])
      return n + len(t["id"]) + len(t["msg-id"]) + len(t["system-msg"]) + len(m.params[1]) + len(t["login"]) +
        len(t["display-name"]) + len(t["user-id"]) + len(m.params[0]) + len(t["room-id"]) +
        (new Date(Number(t["tmi-sent-ts"])).getTime() & 1) + useRecord(t["badges"]) + len(t["color"])
    }
    case "CLEARCHAT":
      return len(m.params[0]) + len(m.params[1]) + use(t["ban-duration"]) + len(t["target-user-id"]) +
        (new Date(Number(t["tmi-sent-ts"])).getTime() & 1)
    case "CLEARMSG":
      return len(m.params[0]) + len(t["login"]) + len(t["target-msg-id"]) + len(m.params[1])
    case "JOIN":
    case "PART":
      return len(m.params[0]) + len(nickOf(m.prefix))
    case "ROOMSTATE":
      return len(m.params[0]) + use(t["slow"]) + use(t["followers-only"])
    case "NOTICE":
      return len(m.params[1]) + len(t["msg-id"])
    default:
      return 1
  }
}

const useBadges = (badges: ReadonlyArray<DankBadge> | undefined): number => {
  let n = 0
  if (badges !== undefined) { for (const b of badges) n += b.name.length + b.version.length }
  return n
}

const readAllDank = (dank: DankModule) => (message: unknown): number => {
  if (message instanceof dank.PrivmsgMessage) {
    const m = message as DankPrivmsgAll
    const t = m.ircTags
    let n = 0
    for (const e of m.emotes) n += len(e.id) + e.startIndex + e.endIndex
    return n + useBadges(m.badges) + useBadges(m.badgeInfo) + len(m.messageID) + len(m.channelName) +
      len(m.channelID) + len(m.senderUsername) + len(m.displayName) + len(m.senderUserID) +
      len(m.messageText) +
      use(m.isAction) + (m.serverTimestamp.getTime() & 1) + len(m.colorRaw) + use(m.bits) +
      use(t["first-msg"] === "1") +
      use(t["returning-chatter"] === "1") + use(m.isMod) + use(t["subscriber"] === "1") +
      use(t["vip"] !== undefined) +
      use(t["turbo"] === "1") + len(t["user-type"]) + len(m.replyParentMessageID) +
      len(m.replyParentUserLogin) +
      len(m.replyParentMessageBody) + len(m.replyParentDisplayName) + len(m.sourceChannelID)
  }
  if (message instanceof dank.UsernoticeMessage) {
    const m = message as DankUsernoticeAll
    let n = 0
    for (const key in m.eventParams) n += key.length + use(m.eventParams[key])
    return n + len(m.messageID) + len(m.messageTypeID) + len(m.systemMessage) + len(m.messageText) +
      len(m.senderUsername) + len(m.displayName) + len(m.senderUserID) + len(m.channelName) +
      len(m.channelID) +
      (m.serverTimestamp.getTime() & 1) + useBadges(m.badges) + len(m.colorRaw)
  }
  if (message instanceof dank.ClearchatMessage) {
    return len(message.channelName) + len(message.targetUsername) + use(message.banDuration) +
      len(message.ircTags["target-user-id"]) + len(message.ircTags["tmi-sent-ts"])
  }
  if (message instanceof dank.ClearmsgMessage) {
    return len(message.channelName) + len(message.targetUsername) + len(message.targetMessageID) +
      len(message.targetMessageContent)
  }
  if (message instanceof dank.JoinMessage) return len(message.channelName) + len(message.joinedUsername)
  if (message instanceof dank.PartMessage) return len(message.channelName) + len(message.partedUsername)
  const m = message as DankIrc
  return len(m.ircTags["slow"]) + len(m.ircTags["msg-id"]) + len(m.ircParameters[m.ircParameters.length - 1])
}

type TwurpleModule = typeof Twurple

const readAllTwurple = (twurple: TwurpleModule) => (message: unknown): number => {
  if (message instanceof twurple.ChatMessage) {
    const user = message.userInfo
    const t = message.tags
    let n = 0
    for (const [id, ranges] of message.emoteOffsets) for (const range of ranges) n += id.length + range.length
    const text = message.text
    return n + useMap(user.badges) + useMap(user.badgeInfo) + len(message.id) + len(message.target) +
      len(message.channelId) + len(user.userName) + len(user.displayName) + len(user.userId) +
      len(actionText(text)) +
      use(text.startsWith(ACTION)) + (message.date.getTime() & 1) + len(user.color) + use(message.bits) +
      use(message.isFirst) + use(message.isReturningChatter) + use(user.isMod) + use(user.isSubscriber) +
      use(user.isVip) + use(t.get("turbo") === "1") + len(user.userType) + len(message.parentMessageId) +
      len(message.parentMessageUserName) + len(message.parentMessageText) +
      len(message.parentMessageUserDisplayName) + len(message.sourceChannelId)
  }
  if (message instanceof twurple.UserNotice) {
    const user = message.userInfo
    let n = 0
    for (const [key, value] of message.tags) if (key.startsWith("msg-param-")) n += key.length + value.length
    const params = message.rawParamValues
    return n + len(message.id) + len(message.tags.get("msg-id")) + len(message.tags.get("system-msg")) +
      len(params[1]) + len(user.userName) + len(user.displayName) + len(user.userId) + len(params[0]) +
      len(message.channelId) + (message.date.getTime() & 1) + useMap(user.badges) + len(user.color)
  }
  if (message instanceof twurple.ClearChat) {
    const params = message.rawParamValues
    return len(params[0]) + len(params[1]) + len(message.tags.get("ban-duration")) +
      len(message.targetUserId) +
      (message.date.getTime() & 1)
  }
  if (message instanceof twurple.ClearMsg) {
    const params = message.rawParamValues
    return len(params[0]) + len(message.userName) + len(message.targetMessageId) + len(params[1])
  }
  const m = message as {
    readonly command: string
    readonly tags: Map<string, string>
    readonly prefix?: { readonly nick: string } | undefined
    readonly rawParamValues: ReadonlyArray<string>
  }
  const params = m.rawParamValues
  if (m.command === "JOIN" || m.command === "PART") return len(params[0]) + len(m.prefix?.nick)
  return len(m.tags.get("slow")) + len(m.tags.get("msg-id")) + len(params[params.length - 1])
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
        },
        readAll: (message) => readAllOurs(message as TwitchMessage)
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
        },
        readAll: (message) => message === null ? 0 : readAllTmi(message as TmiTyped)
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
      const dank = await loadDank()
      const { parseTwitchMessage, PrivmsgMessage, UsernoticeMessage } = dank
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
        },
        readAll: readAllDank(dank)
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
      const twurple = await import("@twurple/chat")
      const { ChatMessage, parseTwitchMessage, UserNotice } = twurple
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
        },
        readAll: readAllTwurple(twurple)
      }
    }
  }
]
