/**
 * The EventSub server's one state record and what every part is given. Subscriptions live in a
 * `SubscriptionRef` (the chat tap follows its changes), sessions in a registry `Ref` with a `Ref`
 * of hot fields per session; {@link Env} adds the world, the options, ids and the runtime for
 * socket callbacks. Parts are functions of an `Env`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type * as MockWorld from "../World.js"
import type { Ids } from "./Ids.js"
import type { Counters } from "./Model.js"

/**
 * Where a subscription's messages go.
 *
 * @since 0.1.0
 * @category models
 */
export type Transport =
  | {
    readonly method: "websocket"
    readonly sessionId: string
    readonly connectedAt: string
    readonly disconnectedAt: string | undefined
  }
  | { readonly method: "webhook"; readonly callback: string; readonly secret: Redacted.Redacted<string> }
  | { readonly method: "conduit"; readonly conduitId: string }

/**
 * What backs a conduit shard: a WebSocket session (none until one is assigned) or a webhook
 * callback.
 *
 * @since 0.1.0
 * @category models
 */
export type ShardTransport =
  | {
    readonly method: "websocket"
    readonly sessionId: string | undefined
    readonly connectedAt: string | undefined
    readonly disconnectedAt: string | undefined
  }
  | { readonly method: "webhook"; readonly callback: string; readonly secret: Redacted.Redacted<string> }

/**
 * One shard of a conduit (its id is its index, as a string).
 *
 * @since 0.1.0
 * @category models
 */
export interface Shard {
  readonly id: string
  readonly status: string
  readonly transport: ShardTransport
  /** Webhook messages given up on in a row. */
  readonly failures: number
}

/**
 * A conduit: an app's subscriptions spread over its shards.
 *
 * @since 0.1.0
 * @category models
 */
export interface Conduit {
  readonly id: string
  readonly clientId: string
  readonly shards: ReadonlyArray<Shard>
  /** Since when (epoch ms) no shard is enabled; `undefined` while one is. */
  readonly idleSince: number | undefined
}

/**
 * One subscription.
 *
 * @since 0.1.0
 * @category models
 */
export interface Subscription {
  readonly id: string
  readonly type: string
  readonly version: string
  readonly condition: Readonly<Record<string, string>>
  readonly status: string
  readonly cost: number
  readonly createdAt: string
  readonly clientId: string
  /** The token's user (WebSocket subscriptions); `undefined` for app-token ones. */
  readonly userId: string | undefined
  readonly transport: Transport
  /** When it stopped being enabled or pending (epoch ms), for pruning. */
  readonly disabledAt: number | undefined
  /** Webhook messages given up on in a row. */
  readonly failures: number
}

/**
 * An open WebSocket as the server drives it.
 *
 * @since 0.1.0
 * @category models
 */
export interface SocketHandle {
  readonly send: (text: string) => void
  /** Sends and completes once the frame was handed to the OS (back-pressure for bursts). */
  readonly sendFlushed: (text: string) => Effect.Effect<void>
  readonly close: (code: number, reason: string) => void
  readonly ping: () => void
  /** Destroys the socket without a close frame. */
  readonly terminate: () => void
  /** Runs `sends` with the socket corked: the frames sent meanwhile leave in one write (bursts). */
  readonly batch?: ((sends: () => void) => void) | undefined
}

/**
 * A session's fields that change often.
 *
 * @since 0.1.0
 * @category models
 */
export interface SessionLive {
  /** Epoch ms of the last message sent (keepalive timer). */
  readonly lastSentAt: number
  readonly keepalives: boolean
  readonly awaitingPong: boolean
  /** Whether a subscription was ever created on (or moved to) it. */
  readonly used: boolean
  readonly closed: boolean
}

/**
 * One WebSocket session.
 *
 * @since 0.1.0
 * @category models
 */
export interface Session {
  readonly id: string
  readonly socket: SocketHandle
  /** The URL it connected to without its query (`ws://<host>/ws`): reconnect URLs start with it. */
  readonly url: string
  readonly connectedAt: string
  readonly keepaliveSeconds: number
  readonly live: Ref.Ref<SessionLive>
  /** Set by `session_reconnect`: the token of its reconnect URL. */
  readonly reconnectToken: string | undefined
}

/**
 * A message kept for `resend`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Sent {
  readonly messageId: string
  readonly subscriptionId: string
  readonly outbound: Outbound
}

/**
 * A message for a subscription, before a transport frames it.
 *
 * @since 0.1.0
 * @category models
 */
export type Outbound =
  | {
    readonly _tag: "Notification"
    readonly messageId: string
    readonly timestamp: string
    readonly event: Readonly<Record<string, unknown>>
  }
  | { readonly _tag: "Revocation"; readonly messageId: string; readonly timestamp: string }

/**
 * The server's options with defaults applied (durations in milliseconds).
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly keepaliveSeconds: number
  readonly pingIntervalMs: number
  readonly reconnectGraceMs: number
  readonly websocketRetentionMs: number
  readonly webhookRetentionMs: number
  readonly webhook: {
    readonly timeoutMs: number
    readonly retries: number
    readonly retryDelayMs: number
    readonly failuresBeforeRevocation: number
  }
}

/**
 * The chat tap, once attached: makes sure the IRC observer is in a channel.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChatTap {
  readonly ensure: (broadcasterId: string) => Effect.Effect<void>
}

/**
 * The server's state.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerState {
  /** Oldest first. */
  readonly subscriptions: SubscriptionRef.SubscriptionRef<ReadonlyMap<string, Subscription>>
  readonly sessions: Ref.Ref<ReadonlyMap<string, Session>>
  /** Reconnect URL token to the session it replaces. */
  readonly reconnects: Ref.Ref<ReadonlyMap<string, string>>
  /** Whether new sessions get keepalives. */
  readonly keepalives: Ref.Ref<boolean>
  /** The last messages, for `resend`. */
  readonly log: Ref.Ref<ReadonlyArray<Sent>>
  readonly counters: Ref.Ref<Counters>
  readonly chatTap: Ref.Ref<Option.Option<ChatTap>>
  /** Conduits by id, oldest first (the routing table of conduit subscriptions). */
  readonly conduits: SubscriptionRef.SubscriptionRef<ReadonlyMap<string, Conduit>>
}

/**
 * What every part is given.
 *
 * @since 0.1.0
 * @category models
 */
export interface Env {
  readonly world: MockWorld.World.Service
  readonly settings: Settings
  readonly ids: Ids
  readonly http: HttpClient.HttpClient
  /** Runs an effect from a socket callback, in the server's scope. */
  readonly run: <A, E>(effect: Effect.Effect<A, E>) => void
  readonly scope: Scope.Scope
  readonly state: ServerState
}

/**
 * How many sent messages {@link ServerState.log} keeps.
 *
 * @since 0.1.0
 * @category constants
 */
export const logSize = 1_000

const zero: Counters = {
  connections: 0,
  welcomes: 0,
  keepalives: 0,
  notifications: 0,
  revocations: 0,
  reconnects: 0,
  closes: {},
  webhookAttempts: 0,
  webhookFailures: 0,
  undelivered: 0,
  conduitRetries: 0,
  conduitDropped: 0
}

/**
 * A fresh state.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<ServerState> = Effect.all({
  subscriptions: SubscriptionRef.make<ReadonlyMap<string, Subscription>>(new Map()),
  sessions: Ref.make<ReadonlyMap<string, Session>>(new Map()),
  reconnects: Ref.make<ReadonlyMap<string, string>>(new Map()),
  keepalives: Ref.make(true),
  log: Ref.make<ReadonlyArray<Sent>>([]),
  counters: Ref.make(zero),
  chatTap: Ref.make(Option.none<ChatTap>()),
  conduits: SubscriptionRef.make<ReadonlyMap<string, Conduit>>(new Map())
})

/**
 * Adds to a counter.
 *
 * @since 0.1.0
 * @category utils
 */
export const count = (
  env: Env,
  key: Exclude<keyof Counters, "closes">,
  n = 1
): Effect.Effect<void> => Ref.update(env.state.counters, (c) => ({ ...c, [key]: c[key] + n }))

/**
 * Counts a server-side close.
 *
 * @since 0.1.0
 * @category utils
 */
export const countClose = (env: Env, code: number): Effect.Effect<void> =>
  Ref.update(
    env.state.counters,
    (c) => ({ ...c, closes: { ...c.closes, [code]: (c.closes[code] ?? 0) + 1 } })
  )

/**
 * Changes subscriptions with a pure function.
 *
 * @since 0.1.0
 * @category utils
 */
export const updateSubscriptions = (
  env: Env,
  f: (subs: ReadonlyMap<string, Subscription>) => ReadonlyMap<string, Subscription>
): Effect.Effect<void> => SubscriptionRef.update(env.state.subscriptions, f)

/**
 * The current subscriptions, oldest first.
 *
 * @since 0.1.0
 * @category utils
 */
export const subscriptions = (env: Env): Effect.Effect<ReadonlyMap<string, Subscription>> =>
  SubscriptionRef.get(env.state.subscriptions)

/**
 * Changes conduits with a pure function that also returns a result.
 *
 * @since 0.1.0
 * @category utils
 */
export const modifyConduits = <A>(
  env: Env,
  f: (conduits: ReadonlyMap<string, Conduit>) => readonly [A, ReadonlyMap<string, Conduit>]
): Effect.Effect<A> => SubscriptionRef.modify(env.state.conduits, f)

/**
 * The current conduits, oldest first.
 *
 * @since 0.1.0
 * @category utils
 */
export const conduits = (env: Env): Effect.Effect<ReadonlyMap<string, Conduit>> =>
  SubscriptionRef.get(env.state.conduits)
