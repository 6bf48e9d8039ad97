/**
 * The Twitch chat message model: a tagged union over the commands Twitch sends, with typed fields
 * (badges as maps, colors as options, 0/1 as booleans, numbers, timestamps as dates, emotes with
 * code-point and UTF-16 positions), and {@link parseTwitchLine} to get one from a raw line.
 *
 * Fields are decoded from the raw line when read (each tag found with one `indexOf`; emotes and
 * `msgParams` are kept once decoded), so a message costs little until it is looked at and keeps
 * little after; the types are plain readonly data and do not show it. `JSON.stringify` and
 * `console.log` show the decoded fields.
 *
 * Messages read over EventSub (`ChatClient.makeEventSub`) are the same model: each event is written
 * as the IRC line Twitch's IRC sends for it (so `raw`, `irc` and `tags` are that line), with a tag
 * only where EventSub has the field; what it lacks reads as absent (`firstMessage`, a deleted
 * message's text...).
 *
 * @since 0.1.0
 */
import type * as Either from "effect/Either"
import type * as Option from "effect/Option"
import * as internal from "./internal/twitch.js"
import type { IrcParseError } from "./IrcError.js"
import type { IrcMessage } from "./IrcMessage.js"

/**
 * Who sent a message: the IRC prefix `nick!user@host` (pytwitcherapi's `Chatter`). On Twitch the
 * nick and user are the login.
 *
 * @since 0.1.0
 * @category models
 */
export interface Chatter {
  readonly nick: string
  readonly user: string
  readonly host: string
}

/**
 * One emote occurrence in a message text. `start`/`end` are Twitch's inclusive code-point
 * positions (clamped to the text); `text.slice(utf16Start, utf16End)` is `name`. `id` is what the
 * emote CDN needs (`https://static-cdn.jtvnw.net/emoticons/v2/{id}/{format}/{theme}/{scale}`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Emote {
  readonly id: string
  readonly name: string
  readonly start: number
  readonly end: number
  readonly utf16Start: number
  readonly utf16End: number
}

/**
 * The message a reply answers (`reply-parent-*` tags).
 *
 * @since 0.1.0
 * @category models
 */
export interface ReplyParent {
  readonly msgId: string
  readonly userId: string
  readonly userLogin: string
  readonly displayName: string
  readonly body: string
}

/**
 * The first message of the reply thread (`reply-thread-parent-*` tags).
 *
 * @since 0.1.0
 * @category models
 */
export interface ThreadParent {
  readonly msgId: string
  readonly userLogin: string
  readonly userId: Option.Option<string>
  readonly displayName: Option.Option<string>
}

/**
 * Where a shared-chat message comes from (`source-*` tags): the source channel's room id, the
 * message id there, the sender's badges in that channel, and whether it is shown only there.
 *
 * @since 0.1.0
 * @category models
 */
export interface SharedChatSource {
  readonly roomId: string
  readonly messageId: string
  readonly badges: ReadonlyMap<string, string>
  readonly badgeInfo: ReadonlyMap<string, string>
  readonly only: boolean
  /** USERNOTICE only: the notice kind in the source channel (`source-msg-id`). */
  readonly kind: Option.Option<string>
}

/**
 * What every Twitch message has: the raw line, the generic IRC view and its tags.
 *
 * @since 0.1.0
 * @category models
 */
export interface Base {
  readonly raw: string
  readonly irc: IrcMessage
  readonly tags: ReadonlyMap<string, string>
}

/**
 * The sender fields shared by PRIVMSG, USERNOTICE and WHISPER (and pytwitcherapi's message
 * model: `color`, `subscriber`, `turbo`, `userType`, `emotes`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Sender {
  /** The sender's login. */
  readonly login: string
  readonly displayName: string
  readonly userId: string
  /** `#RRGGBB`; none when the user never chose a color. */
  readonly color: Option.Option<string>
  /** Badge set id → version, e.g. `subscriber` → `12`. */
  readonly badges: ReadonlyMap<string, string>
  /** Badge set id → extra info, e.g. `subscriber` → `14` (exact months). */
  readonly badgeInfo: ReadonlyMap<string, string>
  readonly subscriber: boolean
  readonly turbo: boolean
  readonly mod: boolean
  readonly vip: boolean
  /** `""`, `mod`, `admin`, `global_mod` or `staff`. */
  readonly userType: string
  /** Emote occurrences in the text, by position. */
  readonly emotes: ReadonlyArray<Emote>
}

/**
 * A chat message (PRIVMSG).
 *
 * @since 0.1.0
 * @category models
 */
export interface Privmsg extends Base, Sender {
  readonly _tag: "Privmsg"
  /** The channel login, without `#`. */
  readonly channel: string
  /** The message; for `/me` without the `\x01ACTION ` wrapper. */
  readonly text: string
  /** Whether the message was sent with `/me`. */
  readonly isAction: boolean
  readonly chatter: Chatter
  /** The message id (`id`). */
  readonly id: string
  readonly roomId: string
  readonly bits: Option.Option<number>
  /** `tmi-sent-ts`. */
  readonly sentAt: Option.Option<Date>
  /**
   * Whether this is the sender's first message in the channel (`first-msg`). `None` where the
   * source does not say: EventSub's `channel.chat.message` has no such field.
   */
  readonly firstMessage: Option.Option<boolean>
  /** Whether the sender is a returning chatter (`returning-chatter`); `None` on EventSub, as above. */
  readonly returningChatter: Option.Option<boolean>
  readonly reply: Option.Option<ReplyParent>
  readonly thread: Option.Option<ThreadParent>
  readonly sharedChat: Option.Option<SharedChatSource>
  readonly customRewardId: Option.Option<string>
  /** `msg-id`, e.g. `highlighted-message`. */
  readonly msgId: Option.Option<string>
}

/**
 * Who gifted the sub that a pay-forward passes on (`msg-param-prior-gifter-*`); the id and names
 * are none when that gift was anonymous.
 *
 * @since 0.1.0
 * @category models
 */
export interface PriorGifter {
  readonly priorGifterAnonymous: boolean
  readonly priorGifterId: Option.Option<string>
  readonly priorGifterLogin: Option.Option<string>
  readonly priorGifterDisplayName: Option.Option<string>
}

/**
 * The kind-specific part of a USERNOTICE, from its `msg-param-*` tags. Counts Twitch always sends
 * with the kind are numbers (0 if Twitch omitted one); others are options. Kinds without a case
 * here are `Other`: read `UserNotice.msgParams`.
 *
 * @since 0.1.0
 * @category models
 */
export type UserNoticeEvent =
  | {
    readonly _tag: "Sub" | "Resub"
    readonly cumulativeMonths: number
    readonly streakMonths: Option.Option<number>
    readonly shouldShareStreak: boolean
    /** `Prime`, `1000`, `2000` or `3000`. */
    readonly plan: string
    readonly planName: string
  }
  | {
    readonly _tag: "SubGift"
    readonly months: number
    readonly giftMonths: number
    readonly recipientId: string
    readonly recipientLogin: string
    readonly recipientDisplayName: string
    readonly plan: string
    readonly planName: string
  }
  | {
    readonly _tag: "SubMysteryGift"
    readonly count: number
    readonly plan: string
    readonly senderCount: Option.Option<number>
  }
  | {
    readonly _tag: "GiftPaidUpgrade"
    readonly senderLogin: string
    readonly senderName: string
    readonly promoName: Option.Option<string>
    readonly promoGiftTotal: Option.Option<number>
  }
  | {
    readonly _tag: "AnonGiftPaidUpgrade"
    readonly promoName: Option.Option<string>
    readonly promoGiftTotal: Option.Option<number>
  }
  | {
    readonly _tag: "Raid"
    readonly login: string
    readonly displayName: string
    readonly viewerCount: number
  }
  | { readonly _tag: "Unraid" }
  | { readonly _tag: "BitsBadgeTier"; readonly threshold: number }
  | {
    readonly _tag: "Announcement"
    /** `PRIMARY`, `BLUE`, `GREEN`, `ORANGE` or `PURPLE`. */
    readonly color: string
  }
  | {
    readonly _tag: "ViewerMilestone"
    /** e.g. `watch-streak`. */
    readonly category: string
    readonly milestoneId: string
    readonly value: number
    readonly reward: Option.Option<number>
  }
  | { readonly _tag: "Ritual"; readonly name: string }
  | {
    /** A notice of another channel of a shared chat session (`sharedchatnotice`). */
    readonly _tag: "SharedChatNotice"
    /** The notice kind in the source channel (`source-msg-id`): `sub`, `raid`, `announcement`... */
    readonly sourceKind: string
    /** That notice decoded as its own kind (the `msg-param-*` tags are the source's). */
    readonly sourceEvent: UserNoticeEvent
  }
  | {
    /** Gifts to the community triggered by a sub gift or cheer (`rewardgift`). */
    readonly _tag: "RewardGift"
    readonly domain: string
    readonly selectedCount: number
    readonly totalRewardCount: number
    readonly triggerAmount: number
    /** `SUBGIFT` or `CHEER`. */
    readonly triggerType: string
  }
  | PriorGifter & {
    /** A gifted sub paid forward to one user (`standardpayforward`). */
    readonly _tag: "StandardPayForward"
    readonly recipientId: string
    readonly recipientLogin: string
    readonly recipientDisplayName: string
  }
  | PriorGifter & {
    /** A gifted sub paid forward to the community (`communitypayforward`). */
    readonly _tag: "CommunityPayForward"
  }
  | {
    /** A Prime sub converted to a paid one (`primepaidupgrade`). */
    readonly _tag: "PrimePaidUpgrade"
    /** `1000`, `2000` or `3000`. */
    readonly plan: string
  }
  | {
    /** A Combo sent with Bits (`onetapgiftredeemed`); the other `msg-param-*` tags stay in `msgParams`. */
    readonly _tag: "OneTapGiftRedeemed"
    readonly bitsSpent: number
    /** Which Combo, e.g. `heart` or `hype`. */
    readonly giftId: string
  }
  | {
    /** A Prime Gaming gift to the community received (`primecommunitygiftreceived`). */
    readonly _tag: "PrimeCommunityGiftReceived"
    readonly giftName: string
    readonly recipient: string
  }
  | {
    /** Years (in months) as a moderator of the channel (`modiversary`). */
    readonly _tag: "Modiversary"
    readonly months: number
  }
  | { readonly _tag: "Other"; readonly kind: string }

/**
 * A USERNOTICE: subs, gifts, raids, announcements, milestones and the like.
 *
 * @since 0.1.0
 * @category models
 */
export interface UserNotice extends Base, Sender {
  readonly _tag: "UserNotice"
  readonly channel: string
  /** `msg-id`: `sub`, `resub`, `subgift`, `raid`, `announcement`, ... */
  readonly kind: string
  /** The message the user attached, if any; `emotes` refer to it. */
  readonly text: Option.Option<string>
  /** Twitch's description for chat (`system-msg`), unescaped. */
  readonly systemMessage: string
  readonly id: string
  readonly roomId: string
  readonly sentAt: Option.Option<Date>
  readonly sharedChat: Option.Option<SharedChatSource>
  /** Every `msg-param-*` tag, without the prefix, unescaped. */
  readonly msgParams: ReadonlyMap<string, string>
  readonly event: UserNoticeEvent
}

/**
 * A NOTICE from the server. `channel` is none for `NOTICE *` (e.g. login failures).
 *
 * @since 0.1.0
 * @category models
 */
export interface Notice extends Base {
  readonly _tag: "Notice"
  readonly channel: Option.Option<string>
  readonly text: string
  /** e.g. `msg_ratelimit`, `slow_on`. */
  readonly msgId: Option.Option<string>
  readonly targetUserId: Option.Option<string>
}

/**
 * CLEARCHAT: the whole chat cleared (no target), a user banned (target, no duration) or timed out
 * (target and duration in seconds).
 *
 * @since 0.1.0
 * @category models
 */
export interface ClearChat extends Base {
  readonly _tag: "ClearChat"
  readonly channel: string
  readonly roomId: string
  readonly targetLogin: Option.Option<string>
  readonly targetUserId: Option.Option<string>
  readonly banDuration: Option.Option<number>
  readonly sentAt: Option.Option<Date>
}

/**
 * CLEARMSG: one message deleted.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClearMsg extends Base {
  readonly _tag: "ClearMsg"
  readonly channel: string
  /**
   * The deleted message's text. `None` where the source does not say: EventSub's
   * `channel.chat.message_delete` has only the message id.
   */
  readonly text: Option.Option<string>
  readonly login: string
  readonly roomId: string
  readonly targetMsgId: string
  readonly sentAt: Option.Option<Date>
}

/**
 * ROOMSTATE: on JOIN with every setting, on change with only the changed one (others are none).
 *
 * @since 0.1.0
 * @category models
 */
export interface RoomState extends Base {
  readonly _tag: "RoomState"
  readonly channel: string
  readonly roomId: string
  readonly emoteOnly: Option.Option<boolean>
  /** Minutes of following required; -1 means off, 0 any follower. */
  readonly followersOnly: Option.Option<number>
  readonly r9k: Option.Option<boolean>
  /** Seconds between messages. */
  readonly slow: Option.Option<number>
  readonly subsOnly: Option.Option<boolean>
}

/**
 * USERSTATE: your own state in a channel, on JOIN and after each PRIVMSG you send.
 *
 * @since 0.1.0
 * @category models
 */
export interface UserState extends Base {
  readonly _tag: "UserState"
  readonly channel: string
  readonly displayName: string
  readonly color: Option.Option<string>
  readonly badges: ReadonlyMap<string, string>
  readonly badgeInfo: ReadonlyMap<string, string>
  readonly emoteSets: ReadonlyArray<string>
  /** The id of the message you just sent, when this follows a PRIVMSG. */
  readonly id: Option.Option<string>
  readonly mod: boolean
  readonly subscriber: boolean
  readonly turbo: boolean
  readonly userType: string
}

/**
 * GLOBALUSERSTATE: your own state after login.
 *
 * @since 0.1.0
 * @category models
 */
export interface GlobalUserState extends Base {
  readonly _tag: "GlobalUserState"
  readonly displayName: string
  readonly color: Option.Option<string>
  readonly badges: ReadonlyMap<string, string>
  readonly badgeInfo: ReadonlyMap<string, string>
  readonly emoteSets: ReadonlyArray<string>
  readonly userId: string
  readonly turbo: boolean
  readonly userType: string
}

/**
 * WHISPER (inbound; whether Twitch still delivers it over IRC is unconfirmed).
 *
 * @since 0.1.0
 * @category models
 */
export interface Whisper extends Base, Sender {
  readonly _tag: "Whisper"
  readonly chatter: Chatter
  /** The recipient's login. */
  readonly recipient: string
  readonly text: string
  readonly messageId: string
  readonly threadId: string
}

/**
 * JOIN of a user (yours, or others' with the membership capability).
 *
 * @since 0.1.0
 * @category models
 */
export interface Join extends Base {
  readonly _tag: "Join"
  readonly channel: string
  readonly login: string
  readonly chatter: Chatter
}

/**
 * PART of a user.
 *
 * @since 0.1.0
 * @category models
 */
export interface Part extends Base {
  readonly _tag: "Part"
  readonly channel: string
  readonly login: string
  readonly chatter: Chatter
}

/**
 * 353 (RPL_NAMREPLY): logins in a channel; there may be several before {@link EndOfNames}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Names extends Base {
  readonly _tag: "Names"
  readonly channel: string
  readonly names: ReadonlyArray<string>
}

/**
 * 366 (RPL_ENDOFNAMES).
 *
 * @since 0.1.0
 * @category models
 */
export interface EndOfNames extends Base {
  readonly _tag: "EndOfNames"
  readonly channel: string
}

/**
 * PING: answer with a PONG carrying the same `text`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Ping extends Base {
  readonly _tag: "Ping"
  readonly text: string
}

/**
 * PONG: the answer to our PING.
 *
 * @since 0.1.0
 * @category models
 */
export interface Pong extends Base {
  readonly _tag: "Pong"
  readonly text: string
}

/**
 * RECONNECT: the server will drop the connection soon; reconnect and re-join.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reconnect extends Base {
  readonly _tag: "Reconnect"
}

/**
 * CAP: capability negotiation (`ACK`, `NAK`, `LS`, ...).
 *
 * @since 0.1.0
 * @category models
 */
export interface Cap extends Base {
  readonly _tag: "Cap"
  readonly subcommand: string
  readonly capabilities: ReadonlyArray<string>
}

/**
 * A numeric reply other than 353/366 (001-004, 372, 375, 376, 421, ...). `text` is the last
 * parameter.
 *
 * @since 0.1.0
 * @category models
 */
export interface Numeric extends Base {
  readonly _tag: "Numeric"
  readonly code: number
  readonly text: string
}

/**
 * Any other command, or a known one whose parameters do not fit (e.g. a PRIVMSG without text):
 * nothing is lost, read `irc`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Unknown extends Base {
  readonly _tag: "Unknown"
  readonly command: string
}

/**
 * Every message Twitch chat sends.
 *
 * @since 0.1.0
 * @category models
 */
export type TwitchMessage =
  | Privmsg
  | UserNotice
  | Notice
  | ClearChat
  | ClearMsg
  | RoomState
  | UserState
  | GlobalUserState
  | Whisper
  | Join
  | Part
  | Names
  | EndOfNames
  | Ping
  | Pong
  | Reconnect
  | Cap
  | Numeric
  | Unknown

/**
 * Parses one line from Twitch chat into a {@link TwitchMessage}. Fails only when the line is not
 * IRC at all (the {@link IrcParseError} carries it); a known command with unfitting parameters is
 * `Unknown`. Never throws.
 *
 * When a tag repeats, the first occurrence wins, for typed fields and `tags` alike.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseTwitchLine: (line: string) => Either.Either<TwitchMessage, IrcParseError> =
  internal.parseTwitchLine
