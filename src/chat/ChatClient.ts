/**
 * The Twitch chat client: a scoped service with messages as a `Stream` of parsed Twitch messages
 * and every send going through a rate-limited queue per channel, under the limits of its account
 * (shared by every client of the account: {@link ChatRateLimits.ChatLimiters}), over either of
 * Twitch's two ways to chat with one API: IRC ({@link make}: one connection for the life of its
 * scope, over a provided {@link ChatTransport}: TLS by default, WebSocket, TCP, or a `Socket` of
 * your own), or EventSub for reading and Helix Send Chat Message for sending ({@link makeEventSub};
 * what differs there is said on it). What follows is the IRC client's.
 *
 * ```ts
 * const program = Effect.gen(function*() {
 *   const chat = yield* ChatClient.ChatClient
 *   yield* chat.join("pytwitcher")
 *   yield* chat.say("pytwitcher", "hello")
 *   yield* chat.channel("pytwitcher").pipe(ChatClient.forEachMessage((m) => Console.log(m._tag)))
 * })
 * program.pipe(Effect.provide(ChatClient.layer()), ...)
 * ```
 *
 * What it does for you:
 * - **Login** with the auth layer's user token (`chat:read`; `chat:edit` to send), or anonymously
 *   (read-only), with `PASS`, `NICK` and `USER`. The token's login is learned from the token, the
 *   auth layer's validation, or a validation at id.twitch.tv when an `HttpClient` is in context;
 *   otherwise `LoginFailed` says why. Capabilities follow IRCv3: one `CAP REQ` for tags, commands
 *   and membership (what Twitch grants); after a NAK (the REQ is atomic) the client asks what the
 *   server offers (`CAP LS 302`), asks for each alone and for `message-tags`, `server-time` and
 *   `echo-message` when offered; `CAP END` once every REQ is answered. Without tags and commands
 *   a send is confirmed by its echo (`echo-message`), or is `Unconfirmed` (`NoConfirmation`) once
 *   the server answered a PING written after it without refusing it (an error numeric such as
 *   404 is `Refused`). A connection that cannot be opened fails `ConnectFailed` saying what failed
 *   and where; a refused login is `LoginFailed` after one refresh attempt of the token.
 * - **Joins** go through Twitch's JOIN limit (20 per 10 s) and complete when Twitch confirms them;
 *   they fail with `JoinFailed` (Twitch's NOTICE, e.g. `msg_channel_suspended`) or `JoinTimeout`,
 *   counted from when the JOIN was written, not from when it was queued.
 * - **Sends** (`say`, `reply`, `me`, `sendRaw`) go through one queue per channel, drained through
 *   the limits of {@link ChatRateLimits} (20 or 100 per 30 s depending on the role learned from
 *   USERSTATE badges, 1 per second per channel for plain users), one message in flight per
 *   channel, and complete with a {@link SendOutcome} once Twitch answered: USERSTATE with the
 *   message id (`Sent`), a NOTICE (`Refused` with its `msg-id`), or nothing (`Unconfirmed`).
 *   Text with CR, LF or NUL is refused before it is queued; text over 500 characters is split on
 *   grapheme boundaries, or refused (`tooLong: "refuse"`). Text starting with `/` or `.` gets a
 *   zero-width space in front so Twitch does not run it as a command (`commands: "allow"` to
 *   send it as is; `me` for actions). A text identical to the previous one in the channel within
 *   30 s is refused at once (`Refused("msg_duplicate")`, not sent) or sent with
 *   {@link duplicateMarker} (`duplicates: "distinct"`); split parts are always made distinct.
 * - **Own messages** appear in the stream as PRIVMSGs synthesized from Twitch's USERSTATE answer.
 * - **Keepalive and reconnects**: PING answered at once; a silent server (no traffic for
 *   `keepalive.idle`, then no PONG within `keepalive.timeout`) and socket errors lead to a
 *   reconnect with capped exponential backoff and jitter (the backoff keeps growing until a
 *   connection stays up for `reconnect.stableAfter`, 30 s), a login with the current token and a
 *   rejoin of every channel. Every login goes through Twitch's 20 authentication attempts per
 *   10 s (`limits.auths`). On Twitch's RECONNECT the new connection is opened and joined before
 *   the old one is dropped, and messages seen on both are delivered once (PRIVMSG and USERNOTICE
 *   by id; CLEARCHAT, CLEARMSG, NOTICE and ROOMSTATE by command, params and tags, only while both
 *   connections are live, so identical ones outside the overlap are all delivered).
 *   Sends queued while disconnected go out after the reconnect, once their channel is joined
 *   again, unless the client has been offline for `offlineSendTimeout` (60 s): then they fail
 *   `ChatError("NotConnected")`, not sent; a send handed to a socket that died is `Unconfirmed`
 *   (`ConnectionLost`) and not sent again.
 * - **Spans**: `chat.start`, `chat.connect`, `chat.login`, `chat.join`, `chat.send` (with its
 *   outcome) and `chat.reconnect`; no attribute carries a token.
 *
 * **Slow consumers.** Each message stream has its own buffer of `bufferSize` messages
 * (default 4096; 0 = unbounded, as pytwitcherapi's `queuesize=0`). When it is full:
 * - `overflow: "backpressure"` (default): the client stops reading the socket until the consumer
 *   catches up. Nothing is lost, but while paused the client does not see PINGs either, and a
 *   consumer stalled for minutes gets the connection dropped by Twitch (the client then
 *   reconnects; messages sent meanwhile are lost at Twitch's side). The client's own keepalive
 *   does not count silence while it is paused (no reconnect of its own for it).
 * - `overflow: "dropOldest"`: the oldest buffered messages are dropped and counted
 *   (`stats.dropped`, metric `effect_twitcher_chat_messages_dropped`); reading never stops.
 * Before the first stream subscribes, the latest `bufferSize` messages are kept for it.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import * as AccessToken from "../auth/AccessToken.js"
import * as TwitchAuth from "../auth/TwitchAuth.js"
import type * as EventSubWebSocket from "../eventsub/EventSubWebSocket.js"
import { TwitchConfig } from "../TwitchConfig.js"
import type { ChatError, NotAuthorized } from "../TwitchError.js"
import * as ChatRateLimits from "./ChatRateLimits.js"
import * as ChatTransport from "./ChatTransport.js"
import * as drain from "./internal/drain.js"
import * as engine from "./internal/engine/engine.js"
import type * as State from "./internal/engine/state.js"
import * as text from "./internal/engine/text.js"
import * as eventSubEngine from "./internal/eventsub/engine.js"
import type { SendOutcome } from "./SendOutcome.js"
import type { TwitchMessage } from "./TwitchMessage.js"

/**
 * What to do when a message stream's buffer is full: stop reading the socket until the consumer
 * catches up, or drop the oldest buffered messages (counted).
 *
 * @since 0.1.0
 * @category models
 */
export type Overflow = "backpressure" | "dropOldest"

/**
 * Connection state changes, on {@link ChatClient.Service.events}.
 *
 * @since 0.1.0
 * @category models
 */
export type ConnectionEvent = Data.TaggedEnum<{
  /** A connection attempt starts. */
  Connecting: { readonly attempt: number }
  /** Logged in on connection number `connection`. */
  Connected: { readonly connection: number; readonly login: string; readonly anonymous: boolean }
  Joined: { readonly channel: string }
  /**
   * A join or rejoin attempt failed. After a user's `join`, and after Twitch refused a rejoin, the
   * channel is no longer wanted; a rejoin that timed out is retried with backoff.
   */
  JoinFailed: { readonly channel: string; readonly error: ChatError }
  Parted: { readonly channel: string }
  /** Twitch sent RECONNECT on this connection. */
  ReconnectRequested: { readonly connection: number }
  /** A connection was dropped (`Closed`, `Error`, `Silent` or `Reconnect`). */
  Disconnected: { readonly connection: number; readonly reason: string }
  /** Waiting `delay` before reconnect attempt `attempt`. */
  Reconnecting: { readonly attempt: number; readonly delay: Duration.Duration }
  /**
   * The client gave up (login refused or the token lacks a scope): message streams fail with
   * `error`, sends and joins (queued or new) fail with it at once.
   */
  Failed: { readonly error: ChatError | NotAuthorized }
  /** The client's scope closed. */
  Closed: { readonly at?: undefined }
}>

/**
 * Constructors and matchers of {@link ConnectionEvent}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ConnectionEvent = Data.taggedEnum<ConnectionEvent>()

/**
 * The connection state.
 *
 * @since 0.1.0
 * @category models
 */
export type ConnectionState = "Connecting" | "Connected" | "Reconnecting" | "Failed" | "Closed"

/**
 * What the client counted since it started.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  /** Messages delivered to the hub (after dedupe). */
  readonly received: number
  readonly sent: number
  readonly refused: number
  readonly unconfirmed: number
  /** Messages dropped for slow consumers (`dropOldest`, or the pre-subscription backlog). */
  readonly dropped: number
  /**
   * Inbound messages dropped as copies: a PRIVMSG/USERNOTICE whose id was already seen, or a
   * CLEARCHAT/CLEARMSG/NOTICE/ROOMSTATE seen on both connections of a RECONNECT overlap.
   */
  readonly duplicates: number
  readonly reconnects: number
  /** Lines that were not IRC (logged and skipped). */
  readonly invalidLines: number
}

/**
 * Options of a send.
 *
 * @since 0.1.0
 * @category models
 */
export interface SendOptions {
  /** Over 500 characters: split into several messages (default) or fail with `TooLong`. */
  readonly tooLong?: "split" | "refuse" | undefined
  /**
   * A text starting with `/` or `.` (after spaces) could be read by Twitch as a chat command (a
   * bot repeating viewers' text would run commands as itself). `escape` (the client's default)
   * puts a zero-width space (U+200B, {@link commandEscape}) before it; `allow` sends it as is.
   * Use `me` for actions; `me` texts are never escaped (they go inside `\x01ACTION`).
   */
  readonly commands?: "escape" | "allow" | undefined
  /**
   * Twitch refuses a message identical to the account's previous one in the channel within 30 s
   * (`msg_duplicate`). `refuse` (the client's default) completes such a send at once as `Refused`
   * (`msg_duplicate`) without sending it; `distinct` sends it with {@link duplicateMarker} (a space
   * and an invisible character) so Twitch takes it. Parts of one split text are always made
   * distinct this way.
   */
  readonly duplicates?: "refuse" | "distinct" | undefined
  /**
   * In a shared chat session, whether the message shows only in the channel it is sent to (Send
   * Chat Message's `for_source_only`; Twitch's default is true). EventSub transport with an app
   * token only: Twitch refuses it with a user token, and IRC has no such choice, so there the send
   * fails with `ChatError("Unsupported")` without sending anything.
   */
  readonly forSourceOnly?: boolean | undefined
}

/**
 * Options of a message stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamOptions {
  /** Only messages of this channel. */
  readonly channel?: string | undefined
  /** Overrides the client's buffer size for this stream (0 = unbounded). */
  readonly bufferSize?: number | undefined
  /** Overrides the client's overflow policy for this stream. */
  readonly overflow?: Overflow | undefined
}

/**
 * The chat client service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class ChatClient extends Context.Tag("effect-twitcher/ChatClient")<ChatClient, ChatClient.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace ChatClient {
  /**
   * What the chat client offers. Any fiber may send while others consume streams.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The login in use (`justinfan…` when anonymous). */
    readonly login: string
    readonly anonymous: boolean
    /**
     * Every message of every channel (and server messages), from when the stream starts. It ends
     * when the client's scope closes, and fails with the client's error when it gives up
     * (`Failed`: login refused on a reconnect, token without scope).
     */
    readonly messages: Stream.Stream<TwitchMessage, ChatError | NotAuthorized>
    /** The messages of one channel (ends like `messages`). */
    readonly channel: (channel: string) => Stream.Stream<TwitchMessage, ChatError | NotAuthorized>
    /** Messages with per-stream buffer options (ends like `messages`). */
    readonly stream: (options: StreamOptions) => Stream.Stream<TwitchMessage, ChatError | NotAuthorized>
    /** Connection state changes, from when the stream starts. */
    readonly events: Stream.Stream<ConnectionEvent>
    readonly state: Effect.Effect<ConnectionState>
    /**
     * Joins a channel; completes when Twitch confirms. The channel stays wanted until `part` and is
     * rejoined after every reconnect (timeouts of a rejoin are retried with backoff).
     */
    readonly join: (channel: string) => Effect.Effect<void, ChatError | NotAuthorized>
    /** Joins several channels concurrently (through the JOIN limit). */
    readonly joinAll: (channels: Iterable<string>) => Effect.Effect<void, ChatError | NotAuthorized>
    /** Leaves a channel (waits for Twitch's PART echo, at most the join timeout). */
    readonly part: (channel: string) => Effect.Effect<void, ChatError>
    /** Channels joined on the current connection. */
    readonly joined: Effect.Effect<ReadonlyArray<string>>
    /**
     * Sends a message. A text split into parts completes with the outcome of the first part that
     * was not `Sent` (later parts are not sent) or of the last part; `ids` lists the id of every
     * part Twitch accepted.
     */
    readonly say: (
      channel: string,
      text: string,
      options?: SendOptions
    ) => Effect.Effect<SendOutcome, ChatError | NotAuthorized>
    /** Sends a reply to the message `parentId` (Twitch's `reply-parent-msg-id`). */
    readonly reply: (
      channel: string,
      parentId: string,
      text: string,
      options?: SendOptions
    ) => Effect.Effect<SendOutcome, ChatError | NotAuthorized>
    /** Sends a `/me` action. */
    readonly me: (
      channel: string,
      text: string,
      options?: SendOptions
    ) => Effect.Effect<SendOutcome, ChatError | NotAuthorized>
    /**
     * Sends a raw IRC line. PRIVMSG goes through the send queue and limits like `say`; JOIN/PART
     * through `join`/`part`; anything else is written as is (`Written`).
     */
    readonly sendRaw: (line: string) => Effect.Effect<SendOutcome, ChatError | NotAuthorized>
    /**
     * Whether the account is broadcaster, moderator or VIP in the channel: from USERSTATE over IRC;
     * over EventSub from the account's own messages there (and its own channel).
     */
    readonly isElevated: (channel: string) => Effect.Effect<boolean>
    readonly stats: Effect.Effect<Stats>
    /**
     * The IRCv3 capabilities the server granted on the current connection (empty while
     * disconnected, and over EventSub). Without `twitch.tv/tags` and `twitch.tv/commands` sends
     * cannot be confirmed and complete `Unconfirmed` (`NoConfirmation`) once written.
     */
    readonly capabilities: Effect.Effect<ReadonlyArray<string>>
    /**
     * The number of the current connection (1 for the first; over EventSub, of the WebSocket
     * session), none while disconnected.
     */
    readonly connectionId: Effect.Effect<Option.Option<number>>
  }
}

/**
 * Options both ways to Twitch take (see {@link Options} for IRC, {@link EventSubOptions} for
 * EventSub). Everything is optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface CommonOptions {
  /** Channels to join before the client is handed out. */
  readonly channels?: ReadonlyArray<string> | undefined
  /** Buffer of each message stream (default 4096; 0 = unbounded). */
  readonly bufferSize?: number | undefined
  /** What a full buffer does (default `backpressure`). */
  readonly overflow?: Overflow | undefined
  /** Rate limits (default {@link ChatRateLimits.twitchLimits}). */
  readonly limits?: ChatRateLimits.Limits | undefined
  /** Use Twitch's verified-bot limits (ignored when `limits` is given). */
  readonly verifiedBot?: boolean | undefined
  /** How long to wait for Twitch's answer to a message (default 10 s). */
  readonly sendTimeout?: Duration.DurationInput | undefined
  /**
   * How many messages (parts of split texts counted one by one) may wait in one channel, queued or
   * in flight (default 1000; 0 = unbounded). A send that would go over fails at once with
   * `ChatError("QueueFull")` and is not sent: at 20 messages per 30 s, 1000 is 25 minutes of chat,
   * so a producer that outruns Twitch's limits learns it instead of growing memory without bound.
   */
  readonly sendQueueSize?: number | undefined
  /**
   * How long a join may take (default 10 s): over IRC from when the JOIN was written until Twitch
   * confirms it, over EventSub until Twitch created the channel's chat subscriptions.
   */
  readonly joinTimeout?: Duration.DurationInput | undefined
  /** Longest message in characters (code points; default 500). */
  readonly maxLength?: number | undefined
  /** Default for over-long texts (default `split`). */
  readonly tooLong?: "split" | "refuse" | undefined
  /** Default for texts that start like a chat command (default `escape`; see {@link SendOptions}). */
  readonly commands?: "escape" | "allow" | undefined
  /** Default for a repeat of the previous message within 30 s (default `refuse`; see {@link SendOptions}). */
  readonly duplicates?: "refuse" | "distinct" | undefined
  /** How many recent message ids are remembered to drop duplicates (default 4096). */
  readonly dedupeSize?: number | undefined
}

/**
 * Options of {@link make} (IRC). Host, port and TLS come from `TwitchConfig`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends CommonOptions {
  /**
   * How to reach the server: `tls` (default when `TwitchConfig.ircTls`), `tcp`, `websocket`
   * (`TwitchConfig.ircWebSocketUrl`), or a {@link ChatTransport} of your own. Without this option
   * the `ChatTransport` in context is used when there is one.
   */
  readonly transport?: "tls" | "tcp" | "websocket" | ChatTransport.ChatTransport.Service | undefined
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly webSocketUrl?: string | undefined
  /** Extra CA certificates (PEM) to trust for TLS, e.g. the mock Twitch's. */
  readonly tlsCa?: string | ReadonlyArray<string> | undefined
  readonly tlsRejectUnauthorized?: boolean | undefined
  /** Log in anonymously (read-only) even when a `TwitchAuth` is present. */
  readonly anonymous?: boolean | undefined
  /** The login to use with the token (default: the token's validated login). */
  readonly login?: string | undefined
  /**
   * How long sends wait for a connection while the client is disconnected (default 60 s), counted
   * from when the connection was lost: once the client has been offline that long, every send
   * waiting for a connection (queued ones included) and every new one fails with
   * `ChatError("NotConnected")`, until a connection is back. Such a message was not written, so it
   * was not sent (unlike `Unconfirmed`). Reconnect attempts go on meanwhile.
   */
  readonly offlineSendTimeout?: Duration.DurationInput | undefined
  /** How long to wait for the server's welcome (default 10 s). */
  readonly loginTimeout?: Duration.DurationInput | undefined
  /** Silence before a PING (default 60 s) and the wait for its PONG (default 10 s). */
  readonly keepalive?: {
    readonly idle?: Duration.DurationInput | undefined
    readonly timeout?: Duration.DurationInput | undefined
  } | undefined
  /**
   * Reconnect backoff: first delay (default 250 ms), doubled per attempt up to `max` (30 s),
   * jittered. The attempt count is reset only by a connection that stayed up for `stableAfter`
   * (default 30 s): a server that welcomes and then drops the client gets ever longer waits.
   */
  readonly reconnect?: {
    readonly base?: Duration.DurationInput | undefined
    readonly max?: Duration.DurationInput | undefined
    readonly stableAfter?: Duration.DurationInput | undefined
  } | undefined
  /** Connection attempts before `make` fails (default 3). */
  readonly initialAttempts?: number | undefined
}

/**
 * Options of {@link makeEventSub}: the common ones, and how to send and read.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventSubOptions extends CommonOptions {
  /**
   * Send with this app token (client credentials of the same client) instead of the user token:
   * Twitch shows the Chat Bot badge. The account must have granted the client `user:bot` (and
   * `user:write:chat`), and each broadcaster `channel:bot`, unless the account moderates there;
   * otherwise Twitch refuses the send (`Refused`, `http_403`). A `TwitchAuth` service (such as
   * `TwitchAuth.layerAppToken`'s) renews its token; a bare token is used as it is.
   */
  readonly appToken?: Redacted.Redacted<string> | TwitchAuth.TwitchAuth.Service | undefined
  /**
   * Options of the client's own EventSub WebSocket (URL, keepalive, backoff...), used when no
   * `EventSubWebSocket` is in context.
   */
  readonly webSocket?: EventSubWebSocket.Options | undefined
}

/**
 * The client's metrics (Effect `Metric`s): messages received, sent, refused, unconfirmed,
 * dropped, duplicates, reconnects, and the send wait (queue + limiter) in milliseconds.
 *
 * @since 0.1.0
 * @category metrics
 */
export const metrics = {
  received: Metric.counter("effect_twitcher_chat_messages_received", { incremental: true }),
  sent: Metric.counter("effect_twitcher_chat_messages_sent", { incremental: true }),
  refused: Metric.counter("effect_twitcher_chat_messages_refused", { incremental: true }),
  unconfirmed: Metric.counter("effect_twitcher_chat_messages_unconfirmed", { incremental: true }),
  dropped: Metric.counter("effect_twitcher_chat_messages_dropped", { incremental: true }),
  reconnects: Metric.counter("effect_twitcher_chat_reconnects", { incremental: true }),
  sendWait: Metric.histogram(
    "effect_twitcher_chat_send_wait_ms",
    MetricBoundaries.exponential({ start: 1, factor: 2, count: 18 })
  )
}

/**
 * The default buffer of a message stream.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBufferSize = 4096

const transportOf = (
  options: Options,
  config: TwitchConfig.Service,
  provided: Option.Option<ChatTransport.ChatTransport.Service>
): ChatTransport.ChatTransport.Service => {
  if (typeof options.transport === "object") return options.transport
  if (options.transport === undefined && provided._tag === "Some") return provided.value
  const kind = options.transport ?? (config.ircTls ? "tls" : "tcp")
  if (kind === "websocket") {
    return ChatTransport.webSocket({ url: options.webSocketUrl ?? config.ircWebSocketUrl })
  }
  const host = options.host ?? config.ircHost
  const port = options.port ?? config.ircPort
  if (kind === "tcp") return ChatTransport.tcp({ host, port })
  return ChatTransport.tls({
    host,
    port,
    ca: options.tlsCa,
    rejectUnauthorized: options.tlsRejectUnauthorized
  })
}

const recordSent = (outcome: SendOutcome) => {
  switch (outcome._tag) {
    case "Sent":
      metrics.sent.unsafeUpdate(1, [])
      break
    case "Refused":
      metrics.refused.unsafeUpdate(1, [])
      break
    case "Unconfirmed":
      metrics.unconfirmed.unsafeUpdate(1, [])
      break
    default:
      return
  }
  metrics.sendWait.unsafeUpdate(Duration.toMillis(outcome.waited), [])
}

const settingsOf = (options: Options): State.Settings => {
  const d = (input: Duration.DurationInput | undefined, fallback: Duration.DurationInput) =>
    Duration.decode(input ?? fallback)
  return {
    bufferSize: Math.max(0, options.bufferSize ?? defaultBufferSize),
    overflow: options.overflow ?? "backpressure",
    limits: options.limits ??
      (options.verifiedBot ? ChatRateLimits.verifiedBotLimits : ChatRateLimits.twitchLimits),
    timeouts: {
      send: d(options.sendTimeout, "10 seconds"),
      offlineSend: d(options.offlineSendTimeout, "60 seconds"),
      join: d(options.joinTimeout, "10 seconds"),
      login: d(options.loginTimeout, "10 seconds"),
      keepaliveIdle: d(options.keepalive?.idle, "60 seconds"),
      keepaliveAnswer: d(options.keepalive?.timeout, "10 seconds")
    },
    backoff: {
      base: d(options.reconnect?.base, "250 millis"),
      max: d(options.reconnect?.max, "30 seconds"),
      stableAfter: d(options.reconnect?.stableAfter, "30 seconds")
    },
    sendQueueSize: Math.max(0, options.sendQueueSize ?? 1000),
    initialAttempts: options.initialAttempts ?? 3,
    defaults: {
      maxLength: options.maxLength ?? 500,
      tooLong: options.tooLong ?? "split",
      commands: options.commands ?? "escape",
      duplicates: options.duplicates ?? "refuse"
    },
    dedupeSize: options.dedupeSize ?? 4096,
    hooks: {
      received: (n) => metrics.received.unsafeUpdate(n, []),
      dropped: (n) => metrics.dropped.unsafeUpdate(n, []),
      reconnect: () => metrics.reconnects.unsafeUpdate(1, []),
      sent: recordSent
    }
  }
}

/**
 * Connects, logs in and joins `options.channels`; the connection lives until the scope closes,
 * which parts every channel, sends QUIT and closes the socket. Uses the `TwitchAuth` in context
 * when there is one (anonymous otherwise, or with `anonymous: true`), the `ChatTransport` in
 * context when `transport` is not given, and the `ChatLimiters` in context (else the process's):
 * every client of one account shares that account's limits.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<ChatClient.Service, ChatError | NotAuthorized, TwitchConfig | Scope.Scope> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig
    const auth = yield* Effect.serviceOption(TwitchAuth.TwitchAuth)
    const transport = transportOf(options, config, yield* Effect.serviceOption(ChatTransport.ChatTransport))
    const client = yield* engine.make(settingsOf(options), transport, {
      anonymous: options.anonymous ?? false,
      login: options.login,
      auth: Option.getOrUndefined(auth)
    })
    yield* client.joinAll(options.channels ?? [])
    return client
  })

/**
 * A layer with a chat client (see {@link make}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<ChatClient, ChatError | NotAuthorized, TwitchConfig> => Layer.scoped(ChatClient, make(options))

const appAuthOf = (
  appToken: EventSubOptions["appToken"]
): Effect.Effect<TwitchAuth.TwitchAuth.Service | undefined> => {
  if (appToken === undefined) return Effect.succeed(undefined)
  if (!Redacted.isRedacted(appToken)) return Effect.succeed(appToken)
  return Effect.map(
    Ref.make(Option.some(AccessToken.make(appToken, { kind: "app" }))),
    TwitchAuth.fromRef
  )
}

/**
 * The client over EventSub and the API instead of IRC: the same service, messages and outcomes.
 * Reads `channel.chat.message`, `.notification`, `.clear`, `.clear_user_messages`,
 * `.message_delete` and `channel.chat_settings.update` over the EventSub WebSocket (the
 * `EventSubWebSocket` in context, or one of its own); `join` subscribes to them (no JOIN, no join
 * limit). Sends go through Helix Send Chat Message (`appToken` for the Chat Bot badge) under the
 * account's limits, and Twitch's `drop_reason` is the `Refused` reason. Needs the `TwitchAuth`
 * user token (`user:read:chat`; `user:write:chat` to send with it) and an `HttpClient`.
 *
 * What EventSub does not carry reads as absent: `firstMessage` and `returningChatter` are `None`,
 * a deleted message's text is `None`, a timeout's `banDuration` is `None` (read `channel.ban` for
 * it). `me` and raw IRC lines (other than PRIVMSG, JOIN, PART) fail with `Unsupported`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEventSub = (
  options: EventSubOptions = {}
): Effect.Effect<
  ChatClient.Service,
  ChatError | NotAuthorized,
  TwitchConfig | TwitchAuth.TwitchAuth | HttpClient.HttpClient | Scope.Scope
> =>
  Effect.gen(function*() {
    const auth = yield* TwitchAuth.TwitchAuth
    const client = yield* eventSubEngine.make(settingsOf(options), {
      auth,
      appAuth: yield* appAuthOf(options.appToken),
      webSocket: options.webSocket ?? {}
    })
    yield* client.joinAll(options.channels ?? [])
    return client
  })

/**
 * A layer with a chat client over EventSub and the API (see {@link makeEventSub}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerEventSub = (
  options: EventSubOptions = {}
): Layer.Layer<
  ChatClient,
  ChatError | NotAuthorized,
  TwitchConfig | TwitchAuth.TwitchAuth | HttpClient.HttpClient
> => Layer.scoped(ChatClient, makeEventSub(options))

/**
 * Runs `f` on every message of a stream, in order, one at a time, and ends with the stream:
 * `Stream.runForEach` (same errors, interruption, end and back-pressure: the next chunk is
 * pulled once `f` finished the previous one's messages, and the stream's scope closes with it),
 * built on `Stream.toPull` instead of a sink. Why: on V8 (Node 20), `Stream.runForEach` and
 * `runForEachChunk` on any Effect stream make the garbage collector promote every consumed chunk
 * (Effect's `Channel.fromEffect` keeps its effect in a closure), so a busy chat stream grows the
 * heap until the next full collection: in our chat-client benchmark 200,000 messages peaked at
 * ~120 MB of heap growth against ~15 MB drained this way, and cost 15-35% more CPU per message
 * (bench/README.md, chat-client). Any stream works, not only chat's.
 *
 * @since 0.1.0
 * @category consumers
 */
export const forEachMessage: {
  <A, E2, R2>(
    f: (message: A) => Effect.Effect<unknown, E2, R2>
  ): <E, R>(self: Stream.Stream<A, E, R>) => Effect.Effect<void, E | E2, R | R2>
  <A, E, R, E2, R2>(
    self: Stream.Stream<A, E, R>,
    f: (message: A) => Effect.Effect<unknown, E2, R2>
  ): Effect.Effect<void, E | E2, R | R2>
} = dual(2, drain.forEachMessage)

/**
 * {@link forEachMessage} a chunk at a time (`Stream.runForEachChunk` without its heap growth):
 * `f` gets each chunk the stream hands over, the next is pulled once `f` is done. For handlers
 * that loop over messages themselves, cheaper than an effect per message.
 *
 * @since 0.1.0
 * @category consumers
 */
export const forEachChunk: {
  <A, E2, R2>(
    f: (chunk: Chunk.Chunk<A>) => Effect.Effect<unknown, E2, R2>
  ): <E, R>(self: Stream.Stream<A, E, R>) => Effect.Effect<void, E | E2, R | R2>
  <A, E, R, E2, R2>(
    self: Stream.Stream<A, E, R>,
    f: (chunk: Chunk.Chunk<A>) => Effect.Effect<unknown, E2, R2>
  ): Effect.Effect<void, E | E2, R | R2>
} = dual(2, drain.forEachChunk)

/**
 * Whether a message belongs to `channel` (login with or without `#`).
 *
 * @since 0.1.0
 * @category utils
 */
export const isInChannel = (message: TwitchMessage, channel: string): boolean => {
  const received = text.channelOf(message)
  return received !== undefined && text.sameChannel(received, text.normalizeChannel(channel) ?? channel)
}

/**
 * Splits a text into parts Twitch accepts (at most `max` code points, on grapheme boundaries,
 * preferring spaces). What `say` does with over-long texts.
 *
 * @since 0.1.0
 * @category utils
 */
export const splitText: (text: string, max?: number) => ReadonlyArray<string> = (t, max = 500) =>
  text.splitText(t, max)

/**
 * What `say` and `reply` put before a text that starts with `/` or `.` (U+200B ZERO WIDTH SPACE),
 * unless `commands: "allow"`.
 *
 * @since 0.1.0
 * @category constants
 */
export const commandEscape: string = text.commandEscape

/**
 * What makes a message distinct from an identical previous one so Twitch does not refuse it as
 * `msg_duplicate`: a space and U+E0000 (invisible in Twitch's chat), appended to a repeated part of
 * a split text, and to a repeated `say` with `duplicates: "distinct"`.
 *
 * @since 0.1.0
 * @category constants
 */
export const duplicateMarker: string = text.duplicateMarker
