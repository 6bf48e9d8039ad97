/**
 * A pool of chat connections behind one `ChatClient`: for bots that read many channels (loggers,
 * moderation tools, analytics). Channels are spread over connections of at most
 * `channelsPerConnection` each (default {@link defaultChannelsPerConnection}); every connection is
 * a whole chat client of the same account, so they share that account's limiter (joins, logins,
 * messages: Twitch counts them per account, whatever the connection), and each one reconnects on
 * its own and rejoins only its own channels. Messages of all connections come as one `Stream`,
 * sends go over the connection holding their channel and complete with the same `SendOutcome`.
 *
 * ```ts
 * // was: ChatClient.layer({ anonymous: true })
 * const chat = ChatPool.layer({ anonymous: true, channels: manyChannels })
 * // the program keeps using ChatClient.ChatClient
 * ```
 *
 * - **Joins** go through the account's JOIN limit (20 per 10 s; 2,000 for a verified bot), the
 *   same limiter a lone `ChatClient` of the account uses, so the pool's connections together
 *   never exceed it. `joinAll` keeps as many joins in flight as the limit allows per window (so
 *   thousands of channels do not wake thousands of waiters at every window) and joins every
 *   channel even when some fail, then fails with the first failure.
 * - **Twitch's cap** of 100 channels at once for an account that is neither broadcaster nor
 *   moderator there ({@link ChannelCap}): past it the pool warns once and joins anyway (the
 *   account may moderate them), or, with `overCap: "fail"`, refuses at once; a refusal is a
 *   `ChatError("JoinFailed")` with `noticeId` `msg_concurrent_channel_limit_reached` and a detail
 *   saying what to do. Anonymous pools have no cap unless `channelCap` gives one.
 * - **Connections** open when a channel needs one. The first must log in for `make` to succeed
 *   (`initialAttempts`, like a lone client); a later one keeps trying with the reconnect backoff,
 *   as a dropped one does, and the joins placed on it wait for it. A connection whose client gives
 *   up (login refused on a reconnect) fails the pool: its streams end with that error.
 * - **Anonymous** pools log every connection in as its own `justinfan`, yet draw from one limiter
 *   (Twitch documents no limits for anonymous logins, so the pool keeps to an account's).
 * - **Spans**: `chat.pool.start`, `chat.pool.open` (a connection), `chat.pool.join`; each
 *   connection's own `chat.*` spans nest inside. **Metrics**: {@link metrics}.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import type * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type { TwitchConfig } from "../../TwitchConfig.js"
import type { ChatError, NotAuthorized } from "../../TwitchError.js"
import * as ChatClient from "../ChatClient.js"
import * as ChatRateLimits from "../ChatRateLimits.js"
import type * as ChannelCap from "./ChannelCap.js"
import * as internal from "./internal/pool.js"

/**
 * Channels per connection unless `channelsPerConnection` says otherwise. Twitch documents no limit
 * per connection; what one connection carries is what a dropped one loses, and its channels come
 * back only at the account's JOIN rate (20 per 10 s): 50 are rejoined within 20 s. An account at
 * Twitch's 100-channel cap is spread over two connections, and 5,000 channels read anonymously
 * over 100 (their 100 logins take 50 s at 20 per 10 s, well within the 2,500 s their JOINs take).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultChannelsPerConnection = 50

/**
 * Options of {@link make}: those of a `ChatClient` (each connection's), and the pool's own.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends ChatClient.Options {
  /** Most channels on one connection (default {@link defaultChannelsPerConnection}). */
  readonly channelsPerConnection?: number | undefined
  /**
   * Channels the account may be in at once where it is neither broadcaster nor moderator
   * (default: {@link ChannelCap.twitchCap} for an account, none for an anonymous pool; `"none"`
   * turns the check off).
   */
  readonly channelCap?: number | "none" | undefined
  /** What a join past the cap does (default `warn`; see {@link ChannelCap.OverCap}). */
  readonly overCap?: ChannelCap.OverCap | undefined
}

/**
 * One connection of the pool, as {@link ChatPool.Service.connections} reports it.
 *
 * @since 0.1.0
 * @category models
 */
export interface PoolConnection {
  /** Its number in the pool (1 for the first). */
  readonly connection: number
  /** The channels placed on it (joined, or joining), sorted. */
  readonly channels: ReadonlyArray<string>
  /** Its state (`Connecting` until its first login). */
  readonly state: ChatClient.ConnectionState
  /** Its client's current connection number (it counts its own reconnects). */
  readonly connectionId: Option.Option<number>
  /** What it counted (none until its first login). */
  readonly stats: Option.Option<ChatClient.Stats>
}

/**
 * A connection event of the pool, with the number of the connection it happened on.
 *
 * @since 0.1.0
 * @category models
 */
export interface PoolEvent {
  readonly connection: number
  readonly event: ChatClient.ConnectionEvent
}

/**
 * The pool service tag. {@link layer} provides the pool under this tag and under
 * `ChatClient.ChatClient`.
 *
 * @since 0.1.0
 * @category tags
 */
export class ChatPool extends Context.Tag("effect-twitcher/ChatPool")<ChatPool, ChatPool.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace ChatPool {
  /**
   * A `ChatClient` over many connections, and what the pool adds. Of the client's members:
   * `login` is the first connection's, `events` merges every connection's (their `connection`
   * numbers are each connection's own; {@link PoolEvent}s say which connection), `state` is
   * `Connected` when every connection is, `joined` lists the channels joined over all of them,
   * `capabilities` and `connectionId` are the first connection's, `stats` sums them all.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service extends ChatClient.ChatClient.Service {
    readonly channelsPerConnection: number
    /** The pool's connections, oldest first. */
    readonly connections: Effect.Effect<ReadonlyArray<PoolConnection>>
    /** Connection events of every connection, from when the stream starts. */
    readonly connectionEvents: Stream.Stream<PoolEvent>
  }
}

/**
 * The pool's metrics (Effect `Metric`s, summed over the pools of the process): connections open,
 * channels placed, channels per connection (tagged `connection`: its number in its pool), and
 * joins started and not finished. Messages, sends and reconnects are counted by each connection
 * in `ChatClient.metrics`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const metrics = {
  connections: Metric.gauge("effect_twitcher_chat_pool_connections"),
  channels: Metric.gauge("effect_twitcher_chat_pool_channels"),
  channelsPerConnection: Metric.gauge("effect_twitcher_chat_pool_connection_channels"),
  joinsPending: Metric.gauge("effect_twitcher_chat_pool_joins_pending")
}

const settingsOf = (options: Options): internal.Settings => {
  const limits = options.limits ??
    (options.verifiedBot ? ChatRateLimits.verifiedBotLimits : ChatRateLimits.twitchLimits)
  const cap = options.channelCap
  return {
    capacity: Math.max(1, Math.floor(options.channelsPerConnection ?? defaultChannelsPerConnection)),
    cap: cap === "none" ? "none" : cap,
    overCap: options.overCap ?? "warn",
    joinConcurrency: Math.max(1, limits.joins),
    bufferSize: Math.max(0, options.bufferSize ?? ChatClient.defaultBufferSize),
    overflow: options.overflow ?? "backpressure",
    metrics
  }
}

/**
 * Opens the pool's first connection (failing like `ChatClient.make` when it cannot log in), then
 * joins `options.channels` over as many connections as they need; everything lives until the
 * scope closes (each connection parts its channels and quits). Uses the `TwitchAuth`,
 * `ChatTransport` and `ChatLimiters` in context as `ChatClient.make` does.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<ChatPool.Service, ChatError | NotAuthorized, TwitchConfig | Scope.Scope> =>
  internal.make(settingsOf(options), options).pipe(
    Effect.tap((pool) => pool.joinAll(options.channels ?? []))
  )

/**
 * A layer with a pool (see {@link make}) as `ChatPool` and as `ChatClient.ChatClient`: swap it for
 * `ChatClient.layer` and the program is unchanged.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<ChatPool | ChatClient.ChatClient, ChatError | NotAuthorized, TwitchConfig> =>
  Layer.scopedContext(
    Effect.map(
      make(options),
      (pool) => Context.make(ChatPool, pool).pipe(Context.add(ChatClient.ChatClient, pool))
    )
  )
