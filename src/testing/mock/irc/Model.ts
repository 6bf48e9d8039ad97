/**
 * Types of the mock IRC server: options, limits, counters, the control handle and its error.
 * Re-exported by `src/testing/mock/IrcServer.ts`.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as World from "../World.js"
import type { RawConnection, TransportKind } from "./Transport.js"

/**
 * Why a control operation failed (unknown channel or user, bad argument).
 *
 * @since 0.1.0
 * @category errors
 */
export class MockIrcError extends Schema.TaggedError<MockIrcError>("effect-twitcher/MockIrcError")(
  "MockIrcError",
  { message: Schema.String }
) {}

/**
 * Twitch's chat limits, overridable so tests can shrink windows. Defaults follow twitch-facts §5.8.
 *
 * @since 0.1.0
 * @category models
 */
export interface Limits {
  /** Window of the per-user message buckets (30 s). */
  readonly messageWindowMs: number
  /** Messages per window for a user who is not broadcaster/moderator/VIP in the target channel (20). */
  readonly userMessages: number
  /** Messages per window when broadcaster/moderator/VIP in the target channel (100). */
  readonly elevatedMessages: number
  /** Minimum gap between two messages of a plain user in one channel (1000 ms); 0 disables. */
  readonly channelIntervalMs: number
  /** Window of the JOIN bucket (10 s). */
  readonly joinWindowMs: number
  /** JOIN attempts per window (20). */
  readonly joins: number
  /** Window of the authentication bucket (10 s). */
  readonly authWindowMs: number
  /**
   * Authentication attempts (a PASS+NICK pair; anonymous `justinfan` logins are not counted) per
   * window per login (20). Over it: `NOTICE * :Login unsuccessful`, the connection closes.
   */
  readonly auths: number
  /**
   * Chat rooms a user may be in at once over all their connections (100 since 2024-05-15); rooms
   * where the user is broadcaster or moderator and anonymous connections do not count.
   */
  readonly concurrentRooms: number
  /** Same text again within this window is `msg_duplicate` (30 s); 0 disables. */
  readonly duplicateWindowMs: number
  /** Longest accepted message in code points (500). */
  readonly maxMessageLength: number
}

/**
 * The default limits (Twitch's documented ones for a regular account).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultLimits: Limits = {
  messageWindowMs: 30_000,
  userMessages: 20,
  elevatedMessages: 100,
  channelIntervalMs: 1_000,
  joinWindowMs: 10_000,
  joins: 20,
  authWindowMs: 10_000,
  auths: 20,
  concurrentRooms: 100,
  duplicateWindowMs: 30_000,
  maxMessageLength: 500
}

/**
 * Options of the IRC server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Plain TCP port on 127.0.0.1 (default 0: the OS chooses). */
  readonly tcpPort?: number | undefined
  /** TLS port (default 0). */
  readonly tlsPort?: number | undefined
  /** WebSocket port (default 0). */
  readonly wsPort?: number | undefined
  /** How often the server sends `PING :tmi.twitch.tv` (default 60 s). A client that did not answer the previous PING by the next one is disconnected. */
  readonly pingInterval?: Duration.DurationInput | undefined
  /**
   * Generated chat lines per second per live channel with someone joined (default 1; 0 turns the
   * generator off). Its occasional room-mode changes go through the world (Helix sees them too).
   */
  readonly chatterRate?: number | undefined
  /** Seed of the chatter generator (default: the world's seed). */
  readonly seed?: number | undefined
  /** Limit overrides. */
  readonly limits?: Partial<Limits> | undefined
  /**
   * Enforce the room modes on client PRIVMSGs as Twitch does: `r9k`, `emote-only`, `subs-only` and
   * `followers-only` refuse with `msg_r9k`, `msg_emoteonly`, `msg_subsonly`,
   * `msg_followersonly(_zero|_followed)` (default false: the default world has live channels in
   * those modes, and existing tests send plain text there; `npm run mock` turns it on).
   */
  readonly enforceRoomModes?: boolean | undefined
  /** Certificate and key for TLS (default: the shipped self-signed localhost fixture). */
  readonly certificatePem?: string | undefined
  readonly privateKeyPem?: string | undefined
}

/**
 * Kinds of limit violations the server counts.
 *
 * @since 0.1.0
 * @category models
 */
export type ViolationKind =
  /** Over the 20 (or 100) messages per window per user: `msg_ratelimit`. */
  | "userRate"
  /** Under 1 s since the previous message in the channel: `msg_ratelimit`. */
  | "channelRate"
  /** Slow mode: `msg_slowmode`. */
  | "slowMode"
  /** Same text within the duplicate window: `msg_duplicate`. */
  | "duplicate"
  /** Longer than the message limit: dropped silently. */
  | "tooLong"
  /** Banned in the channel: `msg_banned`. */
  | "banned"
  /** Timed out in the channel: `msg_timedout`. */
  | "timedOut"
  /** Over 20 JOIN attempts per window: the JOIN is dropped silently. */
  | "joinRate"
  /** Over 20 authentication attempts per window: `NOTICE * :Login unsuccessful`, connection closed. */
  | "authRate"
  /** A JOIN past 100 concurrent rooms: `msg_concurrent_channel_limit_reached`, not joined. */
  | "concurrentRooms"
  /** An anonymous (`justinfan`) connection tried to send: dropped silently. */
  | "anonymousSend"
  /** The token lacks `chat:edit`: dropped silently. */
  | "missingScope"
  /** Sending to a suspended channel: `msg_channel_suspended`. */
  | "suspended"
  /** Unique-chat (`r9k`) mode, a message over 9 characters seen before in the room: `msg_r9k`. */
  | "r9k"
  /** Emote-only mode, a message with anything but emotes: `msg_emoteonly`. */
  | "emoteOnly"
  /** Subscribers-only mode, not a subscriber: `msg_subsonly`. */
  | "subsOnly"
  /** Followers-only mode, not following (long enough): `msg_followersonly`, `_zero` or `_followed`. */
  | "followersOnly"

/**
 * What the server counted since it started.
 *
 * @since 0.1.0
 * @category models
 */
export interface Counters {
  /** Connections accepted, all transports. */
  readonly connections: number
  /** Connections open now. */
  readonly openConnections: number
  /** Successful logins (users and anonymous). */
  readonly logins: number
  readonly loginFailures: number
  readonly linesReceived: number
  readonly linesSent: number
  /** PRIVMSGs from clients that passed every check and were relayed. */
  readonly privmsgsAccepted: number
  readonly joins: number
  readonly pingsSent: number
  readonly pongsReceived: number
  readonly violations: Readonly<Record<ViolationKind, number>>
}

/**
 * A PRIVMSG a client sent and the server accepted.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReceivedMessage {
  readonly id: string
  readonly channel: string
  readonly login: string
  readonly userId: string
  readonly text: string
  readonly replyParentMsgId: string | undefined
  readonly transport: TransportKind
  /** The line as relayed to other clients (with tags). */
  readonly line: string
  readonly at: number
}

/**
 * A message posted through the control handle.
 *
 * @since 0.1.0
 * @category models
 */
export interface PostedMessage {
  readonly id: string
  readonly line: string
  /** Connections the line was queued to. */
  readonly recipients: number
}

/**
 * One open connection, as the control handle reports it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConnectionInfo {
  readonly id: number
  readonly transport: TransportKind
  /** `undefined` before login; `justinfan...` for anonymous. */
  readonly login: string | undefined
  readonly anonymous: boolean
  readonly capabilities: ReadonlyArray<string>
  readonly channels: ReadonlyArray<string>
}

/**
 * Result of {@link Control.blast}.
 *
 * @since 0.1.0
 * @category models
 */
export interface BlastResult {
  /** Lines written per connection. */
  readonly lines: number
  readonly connections: number
  readonly bytes: number
  readonly millis: number
}

/**
 * A USERNOTICE to send with {@link Control.sendUserNotice}.
 *
 * @since 0.1.0
 * @category models
 */
export interface UserNotice {
  readonly channel: string
  /** `sub`, `resub`, `subgift`, `raid`, `announcement`, ... */
  readonly msgId: string
  /** The user it is about (must exist in the world). */
  readonly login: string
  readonly systemMsg: string
  /** `msg-param-*` tags without the prefix, e.g. `{ "cumulative-months": "3" }`. */
  readonly params?: Readonly<Record<string, string>> | undefined
  /** The user's attached message. */
  readonly text?: string | undefined
}

/**
 * The control handle: inject traffic, cause faults, change roles and rooms, read counters.
 * Channels are logins with or without `#`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Control {
  /** Posts a chat message as `login` into `channel`, as if that user had sent it (no limits). */
  readonly postMessage: (options: {
    readonly channel: string
    readonly login: string
    readonly text: string
    readonly replyParentMsgId?: string | undefined
    /** Sends it as `/me` (`\x01ACTION ...\x01`). */
    readonly action?: boolean | undefined
  }) => Effect.Effect<PostedMessage, MockIrcError>
  /** Sends a raw line (without `\r\n`) to every logged-in client, or to those in `channel`, or to one user's connections; returns how many got it. */
  readonly sendRaw: (
    line: string,
    target?: { readonly channel?: string | undefined; readonly login?: string | undefined }
  ) => Effect.Effect<number>
  /** Sends a USERNOTICE with full tags; returns its line. */
  readonly sendUserNotice: (notice: UserNotice) => Effect.Effect<string, MockIrcError>
  /** Generates `count` chatter lines into a channel now (as the generator would); returns them. */
  readonly generate: (channel: string, count?: number) => Effect.Effect<ReadonlyArray<string>, MockIrcError>
  /** Changes the generator's rate (lines per second per channel; 0 stops it). */
  readonly setChatterRate: (perSecond: number) => Effect.Effect<void>
  /** Drops every connection, or only `login`'s. Returns how many were dropped. */
  readonly dropConnections: (login?: string) => Effect.Effect<number>
  /** Sends `:tmi.twitch.tv RECONNECT` to every logged-in client; closes them after `closeAfter` if given. */
  readonly sendReconnect: (
    options?: { readonly closeAfter?: Duration.DurationInput | undefined }
  ) => Effect.Effect<
    number
  >
  /** Makes the currently open connections silent (nothing is sent to them, PINGs unanswered) or lifts it. */
  readonly setSilent: (silent: boolean) => Effect.Effect<void>
  /** Whether client PINGs get a PONG (default true). */
  readonly setAnswerPings: (answer: boolean) => Effect.Effect<void>
  /** Delays every outgoing line by this much (0 to stop). */
  readonly setOutgoingDelay: (delay: Duration.DurationInput) => Effect.Effect<void>
  /** Gives or takes a role in a channel (in the world); joined clients of that user get a fresh USERSTATE. */
  readonly setRole: (options: {
    readonly channel: string
    readonly login: string
    readonly role: "moderator" | "vip" | "subscriber"
    readonly enabled: boolean
    /** Subscription months when enabling `subscriber` (default 1). */
    readonly months?: number | undefined
  }) => Effect.Effect<void, MockIrcError>
  /** Suspends a channel (JOIN and PRIVMSG get `msg_channel_suspended`) or lifts it. */
  readonly suspendChannel: (channel: string, suspended: boolean) => Effect.Effect<void, MockIrcError>
  /** Changes room modes in the world; joined clients get ROOMSTATE with the changed tags. */
  readonly setRoomState: (
    channel: string,
    patch: Partial<World.RoomState>
  ) => Effect.Effect<World.RoomState, MockIrcError>
  /** Bans (`seconds` absent) or times out a user in a channel and sends CLEARCHAT. */
  readonly ban: (options: {
    readonly channel: string
    readonly login: string
    readonly seconds?: number | undefined
  }) => Effect.Effect<void, MockIrcError>
  readonly unban: (channel: string, login: string) => Effect.Effect<void, MockIrcError>
  /** Clears a whole chat (CLEARCHAT without a user). */
  readonly clearChat: (channel: string) => Effect.Effect<void, MockIrcError>
  /** Deletes one message (CLEARMSG). */
  readonly deleteMessage: (channel: string, messageId: string) => Effect.Effect<void, MockIrcError>
  readonly counters: Effect.Effect<Counters>
  readonly connections: Effect.Effect<ReadonlyArray<ConnectionInfo>>
  /** Accepted client PRIVMSGs of a channel so far. */
  readonly received: (channel: string) => Effect.Effect<ReadonlyArray<ReceivedMessage>>
  /** Waits until `count` client PRIVMSGs were accepted in `channel`; returns the first `count`. */
  readonly awaitPrivmsgs: (channel: string, count: number) => Effect.Effect<ReadonlyArray<ReceivedMessage>>
  /** Waits until `count` connections are logged in. */
  readonly awaitLogins: (count: number) => Effect.Effect<void>
  /**
   * Pushes `count` generated PRIVMSG lines with full tags to everyone joined to `channel` as fast
   * as the sockets take them (waits on `drain`). Lines cycle through a pool of 1,024 generated
   * messages, but every line gets its own `id` (seeded, counter-based: unique and reproducible) and
   * a strictly increasing `tmi-sent-ts` (1 ms apart at least, so a large blast runs ahead of the
   * clock), so a client that drops duplicate ids keeps them all.
   */
  readonly blast: (channel: string, count: number) => Effect.Effect<BlastResult, MockIrcError>
}

/**
 * A running IRC server.
 *
 * @since 0.1.0
 * @category models
 */
export interface IrcServer {
  readonly host: "127.0.0.1"
  readonly tcpPort: number
  readonly tlsPort: number
  readonly wsPort: number
  /** `ws://127.0.0.1:<wsPort>` */
  readonly wsUrl: string
  /** The certificate the TLS listener presents (trust it as CA). */
  readonly tlsCertificatePem: string
  readonly control: Control
  /**
   * Serves a connection that did not come through a listener: an in-memory pair, for tests that
   * run client and server on `TestClock` without sockets.
   */
  readonly accept: (connection: RawConnection) => void
}
