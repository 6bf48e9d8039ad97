/**
 * What both EventSub transports offer (the WebSocket client and the webhook receiver): typed
 * subscriptions as `Stream`s, one stream of everything, connection events and counters.
 *
 * Delivery is exactly once: Twitch delivers at least once, so a message whose id was already seen
 * is dropped (`stats.duplicates`), and one older than 10 minutes is dropped as stale
 * (`stats.stale`). Each stream has its own buffer of `bufferSize` items (default 4096; 0 =
 * unbounded). When it is full:
 * - `overflow: "backpressure"` (default): reading stops until the consumer catches up (for the
 *   WebSocket: the socket is paused and keepalive silence is not counted meanwhile; for webhooks:
 *   Twitch's request waits for its answer, and Twitch retries it later if it waited too long).
 * - `overflow: "dropOldest"`: the oldest buffered items are dropped and counted (`stats.dropped`).
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import type * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type { EventSubError, HelixError } from "../TwitchError.js"
import type { CloseReason } from "./CloseCode.js"
import type * as Definition from "./Definition.js"
import type { Delivered, Session } from "./Notification.js"

/**
 * What to do when a stream's buffer is full.
 *
 * @since 0.1.0
 * @category models
 */
export type Overflow = "backpressure" | "dropOldest"

/**
 * Buffer options of one stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamOptions {
  /** Items kept for a slow consumer (default: the client's, 4096; 0 = unbounded). */
  readonly bufferSize?: number | undefined
  /** What to do when they are too many (default: the client's, `backpressure`). */
  readonly overflow?: Overflow | undefined
}

/**
 * Why a subscription stream failed: a Twitch limit, a revocation, a bad condition
 * ({@link EventSubError}), or Twitch's answer to the create request ({@link HelixError}).
 *
 * @since 0.1.0
 * @category models
 */
export type SubscribeError = EventSubError | HelixError

/**
 * Connection and subscription changes, on `events`.
 *
 * @since 0.1.0
 * @category models
 */
export type ConnectionEvent = Data.TaggedEnum<{
  /** Connection attempt `attempt` starts (to `url`, without its query). */
  Connecting: { readonly attempt: number; readonly url: string }
  /** A `session_welcome` arrived: the session is usable. */
  Welcomed: { readonly sessionId: string; readonly keepaliveTimeoutSeconds: number }
  /**
   * Twitch created a subscription on the session (or verified a webhook): first, and again on each
   * new session. `condition` is the one sent (Twitch's names).
   */
  Subscribed: {
    readonly subscription: string
    readonly condition: Definition.WireCondition
    readonly id: string
    readonly cost: number
  }
  /** A subscription could not be created or recreated. */
  SubscribeFailed: {
    readonly subscription: string
    readonly condition: Definition.WireCondition
    readonly error: SubscribeError
  }
  /** Twitch sent `session_reconnect`: a new connection to its URL is opened before this one closes. */
  ReconnectRequested: { readonly sessionId: string }
  /** A connection ended: closed by Twitch (`reason`, `code`), silent past the keepalive, or failed. */
  Disconnected: {
    readonly reason: CloseReason | "Silent" | "NoWelcome" | "SocketError" | "Closed" | "ReconnectFailed"
    readonly code: Option.Option<number>
  }
  /** Waiting on the backoff schedule before connection attempt `attempt`. */
  Reconnecting: { readonly attempt: number }
  /** Twitch revoked a subscription. */
  Revoked: { readonly subscription: string; readonly status: string }
}>

/**
 * Constructors and matchers of {@link ConnectionEvent}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const ConnectionEvent = Data.taggedEnum<ConnectionEvent>()

/**
 * The EventSub metrics (Effect `Metric` counters), for both transports.
 *
 * @since 0.1.0
 * @category metrics
 */
export const metrics = {
  notifications: Metric.counter("effect_twitcher_eventsub_notifications", { incremental: true }),
  duplicates: Metric.counter("effect_twitcher_eventsub_duplicates", { incremental: true }),
  stale: Metric.counter("effect_twitcher_eventsub_stale", { incremental: true }),
  dropped: Metric.counter("effect_twitcher_eventsub_dropped", { incremental: true }),
  revocations: Metric.counter("effect_twitcher_eventsub_revocations", { incremental: true }),
  unreadable: Metric.counter("effect_twitcher_eventsub_unreadable", { incremental: true }),
  reconnects: Metric.counter("effect_twitcher_eventsub_reconnects", { incremental: true })
}

/**
 * The default buffer of a stream.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBufferSize = 4096

/**
 * What a client counted since it started.
 *
 * @since 0.1.0
 * @category models
 */
export interface Stats {
  /**
   * Notifications handed to streams (after dedupe). A WebSocket notification's event is decoded
   * when a stream pulls it: one that then does not decode counts here and as `unreadable`.
   */
  readonly notifications: number
  /** Copies of messages already delivered, dropped. */
  readonly duplicates: number
  /** Messages older than 10 minutes, dropped. */
  readonly stale: number
  /** Items dropped for slow consumers (`dropOldest`). */
  readonly dropped: number
  readonly revocations: number
  /** Messages that could not be read or whose event did not decode (logged, skipped). */
  readonly unreadable: number
  /** Connections after the first (session_reconnect or a lost connection). */
  readonly reconnects: number
}

/**
 * What both transports offer, for definitions `D` they can deliver.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service<D extends Definition.Any> {
  /**
   * The events of one subscription type with a condition. Running the stream creates the
   * subscription on Twitch (shared by streams with the same type and condition), keeps it across
   * reconnects, and deletes it when the last stream ends. It fails when Twitch revokes it, refuses
   * it, or a limit is reached.
   */
  readonly subscribe: <const S extends D>(
    definition: S,
    condition: Definition.Condition<S>,
    options?: StreamOptions
  ) => Stream.Stream<Definition.Event<S>, SubscribeError>
  /**
   * As `subscribe`, but the subscription exists on Twitch when this succeeds; its stream buffers
   * from then on. The subscription lives as long as the scope.
   */
  readonly subscribeScoped: <const S extends D>(
    definition: S,
    condition: Definition.Condition<S>,
    options?: StreamOptions
  ) => Effect.Effect<Stream.Stream<Definition.Event<S>, SubscribeError>, SubscribeError, Scope.Scope>
  /**
   * Keeps a subscription for the life of the scope without a stream of its own: its messages reach
   * `notifications` only (one buffer per message instead of two for a reader of everything). It
   * exists on Twitch when this succeeds; the returned effect succeeds when the scope closes and
   * fails as a stream of `subscribeScoped` would (revoked, refused on a later session).
   */
  readonly keepScoped: <const S extends D>(
    definition: S,
    condition: Definition.Condition<S>
  ) => Effect.Effect<Effect.Effect<void, SubscribeError>, SubscribeError, Scope.Scope>
  /** Every notification and revocation of this client's subscriptions, from when the stream starts. */
  readonly notifications: (options?: StreamOptions) => Stream.Stream<Delivered>
  /** Connection and subscription changes, from when the stream starts. */
  readonly events: Stream.Stream<ConnectionEvent>
  /** The WebSocket session in use (`None` for webhooks or while disconnected). */
  readonly session: Effect.Effect<Option.Option<Session>>
  readonly stats: Effect.Effect<Stats>
}
