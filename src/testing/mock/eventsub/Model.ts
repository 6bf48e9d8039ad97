/**
 * Public types of the mock's EventSub server: options, the running server, what the control
 * handle reports (sessions, subscriptions, counters) and the control handle itself.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"

/**
 * Why a control operation failed (unknown session, subscription, type or message).
 *
 * @since 0.1.0
 * @category errors
 */
export class MockEventSubError extends Schema.TaggedError<MockEventSubError>(
  "effect-twitcher/MockEventSubError"
)("MockEventSubError", { message: Schema.String }) {}

/**
 * How webhook deliveries are retried. Twitch documents that it retries a notification the callback
 * did not accept with a 2xx in time and revokes the subscription (`notification_failures_exceeded`)
 * after too many failures, without numbers: these are the mock's.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookPolicy {
  /** How long a callback may take to answer (default 10 s). */
  readonly timeout: Duration.DurationInput
  /** Retries of one message after the first attempt (default 3). */
  readonly retries: number
  /** Delay before the first retry, doubled for each next one (default 1 s). */
  readonly retryDelay: Duration.DurationInput
  /** Messages given up on in a row before the subscription is revoked (default 5). */
  readonly failuresBeforeRevocation: number
}

/**
 * Options of the EventSub server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Keepalive timeout when the URL has no `keepalive_timeout_seconds` (default 10). */
  readonly keepaliveSeconds?: number | undefined
  /** How often a WebSocket ping is sent; a ping unanswered by the next one closes with 4002 (default 30 s; 0 disables). */
  readonly pingInterval?: Duration.DurationInput | undefined
  /** How long a session may stay open after `session_reconnect` before 4004 (default 30 s). */
  readonly reconnectGrace?: Duration.DurationInput | undefined
  /** How long disabled subscriptions stay listed (default 60 s for WebSocket ones, 10 days for webhooks). */
  readonly disabledRetention?: Duration.DurationInput | undefined
  readonly webhook?: Partial<WebhookPolicy> | undefined
}

/**
 * A WebSocket session as the control handle reports it.
 *
 * @since 0.1.0
 * @category models
 */
export interface SessionInfo {
  readonly id: string
  /** `connected`, or `reconnecting` after `session_reconnect`. */
  readonly status: "connected" | "reconnecting"
  readonly connectedAt: string
  readonly keepaliveTimeoutSeconds: number
  /** The client and user its subscriptions belong to, once it has one. */
  readonly clientId: string | undefined
  readonly userId: string | undefined
  /** Enabled subscriptions on it. */
  readonly subscriptions: number
}

/**
 * A subscription as the control handle reports it (the Get EventSub Subscriptions shape, plus
 * who owns it).
 *
 * @since 0.1.0
 * @category models
 */
export interface SubscriptionInfo {
  readonly id: string
  readonly type: string
  readonly version: string
  readonly status: string
  readonly cost: number
  readonly condition: Readonly<Record<string, string>>
  readonly createdAt: string
  readonly method: "websocket" | "webhook" | "conduit"
  /** The session (websocket), callback (webhook) or conduit id. */
  readonly target: string
  readonly clientId: string
  readonly userId: string | undefined
}

/**
 * A conduit shard as the control handle reports it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ShardInfo {
  readonly id: string
  readonly status: string
  readonly method: "websocket" | "webhook"
  /** The WebSocket session behind it (the last one, once disabled). */
  readonly sessionId: string | undefined
  readonly callback: string | undefined
}

/**
 * A conduit as the control handle reports it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ConduitInfo {
  readonly id: string
  readonly clientId: string
  readonly shards: ReadonlyArray<ShardInfo>
  /** Since when no shard is enabled (RFC3339); deleted 72 h after. */
  readonly idleSince: string | undefined
}

/**
 * What the server counted since it started.
 *
 * @since 0.1.0
 * @category models
 */
export interface Counters {
  readonly connections: number
  readonly welcomes: number
  readonly keepalives: number
  readonly notifications: number
  readonly revocations: number
  readonly reconnects: number
  /** Server-side closes by close code. */
  readonly closes: Readonly<Record<string, number>>
  readonly webhookAttempts: number
  readonly webhookFailures: number
  /** Notifications for a subscription whose session or callback was gone. */
  readonly undelivered: number
  /** Conduit notifications resent to another shard because the hashed one was down. */
  readonly conduitRetries: number
  /** Conduit notifications dropped: the hashed shard and the one retry both failed (or none was enabled). */
  readonly conduitDropped: number
}

/**
 * What to fire with {@link Control.fire}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fire {
  readonly type: string
  /** Only subscriptions of this version (default: every version, each with its own payload). */
  readonly version?: string | undefined
  /** Only subscriptions whose condition has these values. */
  readonly condition?: Readonly<Record<string, string>> | undefined
  /** Event fields to set (deep, partial); everything else is built from the facts and the world. */
  readonly event?: Readonly<Record<string, unknown>> | undefined
}

/**
 * What a fire delivered.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fired {
  /** One message id per matching subscription. */
  readonly messageIds: ReadonlyArray<string>
  readonly subscriptions: ReadonlyArray<string>
}

/**
 * What a blast sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface BlastResult {
  /** Notifications sent, over all subscriptions. */
  readonly messages: number
  readonly subscriptions: number
  readonly millis: number
}

/**
 * The close codes the control handle can drop a session with (4000 internal error, 4005 network
 * timeout, 4006 network error), or `abrupt` for a socket destroyed without a close frame.
 *
 * @since 0.1.0
 * @category models
 */
export type DropCode = 4000 | 4005 | 4006 | "abrupt"

/**
 * Revocation reasons Twitch sends.
 *
 * @since 0.1.0
 * @category models
 */
export type RevocationStatus =
  | "authorization_revoked"
  | "user_removed"
  | "version_removed"
  | "moderator_removed"
  | "chat_user_banned"
  | "notification_failures_exceeded"

/**
 * The control handle: fire events, steer sessions, revoke, resend, inspect (sessions,
 * subscriptions, conduits).
 *
 * @since 0.1.0
 * @category models
 */
export interface Control {
  /** Sends a notification of `type` to every enabled subscription that matches. */
  readonly fire: (fire: Fire) => Effect.Effect<Fired, MockEventSubError>
  /** Like {@link Control.fire}, with a `message_timestamp` older than Twitch's 10-minute replay window. */
  readonly fireStale: (fire: Fire, age?: Duration.DurationInput) => Effect.Effect<Fired, MockEventSubError>
  /**
   * Sends `count` notifications of one type to each matching WebSocket subscription as fast as the
   * sockets take them (one event per subscription, a fresh `message_id` each; for benchmarks).
   */
  readonly blast: (fire: Fire, count: number) => Effect.Effect<BlastResult, MockEventSubError>
  /** Sends the message with this id again, unchanged (same `message_id`), to its subscription. */
  readonly resend: (messageId: string) => Effect.Effect<void, MockEventSubError>
  /** The event payload fire would build for a type and version, without sending it. */
  readonly payload: (
    fire: Fire & { readonly version: string }
  ) => Effect.Effect<Readonly<Record<string, unknown>>, MockEventSubError>
  /** Sends `session_reconnect` to one session or all; returns their reconnect URLs. */
  readonly sendReconnect: (sessionId?: string) => Effect.Effect<ReadonlyArray<string>>
  /** Closes one session or all with a code; returns how many. */
  readonly drop: (options?: {
    readonly sessionId?: string | undefined
    readonly code?: DropCode | undefined
  }) => Effect.Effect<number>
  /** Turns keepalive messages off or on, for one session or all (and future sessions when for all). */
  readonly setKeepalives: (enabled: boolean, sessionId?: string) => Effect.Effect<void>
  /** Revokes a subscription: one revocation message, then it is disabled with that status. */
  readonly revoke: (
    subscriptionId: string,
    status?: RevocationStatus
  ) => Effect.Effect<void, MockEventSubError>
  readonly sessions: Effect.Effect<ReadonlyArray<SessionInfo>>
  readonly subscriptions: Effect.Effect<ReadonlyArray<SubscriptionInfo>>
  /** Waits until `count` subscriptions are enabled (all, or of one type). */
  readonly awaitSubscriptions: (count: number, type?: string) => Effect.Effect<void>
  /** Every conduit with its shards. */
  readonly conduits: Effect.Effect<ReadonlyArray<ConduitInfo>>
  /** Waits until `count` shards of a conduit are enabled (or, with `exactly`, until exactly `count` are). */
  readonly awaitShards: (
    conduitId: string,
    count: number,
    options?: { readonly exactly?: boolean | undefined }
  ) => Effect.Effect<void>
  readonly counters: Effect.Effect<Counters>
}

/**
 * The running server: where clients connect and its control handle.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventSubServer {
  /** `ws://127.0.0.1:<port>/ws` (Twitch's path, and twitch-cli's). */
  readonly wsUrl: string
  /** `<base>/eventsub/subscriptions`, the twitch-cli layout of the subscription calls. */
  readonly subscriptionsUrl: string
  /** `<base>/eventsub/mock`, the loopback control endpoint (fire, reconnect, drop, ...). */
  readonly controlUrl: string
  readonly control: Control
  /**
   * Turns the chat of the IRC server on this TCP port into notifications, for the life of the
   * scope (`MockTwitch` does this when it runs IRC).
   */
  readonly followChat: (ircPort: number) => Effect.Effect<void, never, Scope.Scope>
}
