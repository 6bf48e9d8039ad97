/**
 * The EventSub control handle: fire any type (built from the facts and the world, fields
 * overridable) to the matching subscriptions, stale messages and resends for duplicate tests,
 * `session_reconnect`, dropped connections, keepalives off, revocations, and what is open,
 * subscribed and sharded now.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import * as Blast from "./Blast.js"
import * as ConduitStore from "./ConduitStore.js"
import * as Delivery from "./Delivery.js"
import * as Facts from "./Facts.js"
import {
  type ConduitInfo,
  type Control,
  type Fire,
  MockEventSubError,
  type SessionInfo,
  type SubscriptionInfo
} from "./Model.js"
import { isObject, type JsonObject } from "./Payload.js"
import * as Reconnect from "./Reconnect.js"
import * as Sessions from "./Sessions.js"
import { type Conduit, conduits, type Env, type Session, type Subscription, subscriptions } from "./State.js"
import * as Time from "./Time.js"

const checkType = (fire: Fire): Effect.Effect<void, MockEventSubError> => {
  const versions = Facts.versionsOf(fire.type)
  if (versions.length === 0) {
    return new MockEventSubError({ message: `unknown subscription type ${fire.type}` })
  }
  if (fire.version !== undefined && !versions.some((v) => v.version === fire.version)) {
    return new MockEventSubError({ message: `${fire.type} has no version ${fire.version}` })
  }
  return Effect.void
}

/** The caller's event fields as JSON (the public type takes `unknown` values). */
const eventValues = (fire: Fire): JsonObject => {
  const value: unknown = JSON.parse(JSON.stringify(fire.event ?? {}))
  return isObject(value) ? value : {}
}

const emission = (fire: Fire): Delivery.Emission => ({
  type: fire.type,
  condition: fire.condition ?? {},
  event: eventValues(fire)
})

const sessionInfo = (subs: ReadonlyArray<Subscription>) => (session: Session): SessionInfo => {
  const owned = subs.filter((s) =>
    s.transport.method === "websocket" && s.transport.sessionId === session.id && s.status === "enabled"
  )
  return {
    id: session.id,
    status: session.reconnectToken === undefined ? "connected" : "reconnecting",
    connectedAt: session.connectedAt,
    keepaliveTimeoutSeconds: session.keepaliveSeconds,
    clientId: owned[0]?.clientId,
    userId: owned[0]?.userId,
    subscriptions: owned.length
  }
}

const subscriptionInfo = (sub: Subscription): SubscriptionInfo => ({
  id: sub.id,
  type: sub.type,
  version: sub.version,
  status: sub.status,
  cost: sub.cost,
  condition: sub.condition,
  createdAt: sub.createdAt,
  method: sub.transport.method,
  target: sub.transport.method === "websocket"
    ? sub.transport.sessionId
    : sub.transport.method === "webhook"
    ? sub.transport.callback
    : sub.transport.conduitId,
  clientId: sub.clientId,
  userId: sub.userId
})

const setKeepalives = (env: Env, enabled: boolean, sessionId?: string) =>
  Effect.gen(function*() {
    if (sessionId === undefined) yield* Ref.set(env.state.keepalives, enabled)
    for (const session of yield* Sessions.all(env)) {
      if (sessionId === undefined || session.id === sessionId) {
        yield* Ref.update(session.live, (l) => ({ ...l, keepalives: enabled }))
      }
    }
  })

const enabledCount = (subs: ReadonlyMap<string, Subscription>, type: string | undefined) =>
  [...subs.values()].filter((s) => s.status === "enabled" && (type === undefined || s.type === type)).length

const awaitSubscriptions = (env: Env, count: number, type?: string) =>
  Stream.runDrain(
    Stream.takeUntil(env.state.subscriptions.changes, (subs) => enabledCount(subs, type) >= count)
  )

const conduitInfo = (conduit: Conduit): ConduitInfo => ({
  id: conduit.id,
  clientId: conduit.clientId,
  shards: conduit.shards.map((shard) => ({
    id: shard.id,
    status: shard.status,
    method: shard.transport.method,
    sessionId: shard.transport.method === "websocket" ? shard.transport.sessionId : undefined,
    callback: shard.transport.method === "webhook" ? shard.transport.callback : undefined
  })),
  idleSince: conduit.idleSince === undefined ? undefined : Time.formatMillis(conduit.idleSince)
})

const awaitShards = (env: Env, conduitId: string, count: number, exactly: boolean) =>
  Stream.runDrain(
    Stream.takeUntil(env.state.conduits.changes, (all) => {
      const enabled = all.get(conduitId)?.shards.filter(ConduitStore.isEnabled).length ?? 0
      return exactly ? enabled === count : enabled >= count
    })
  )

/**
 * The control handle of a server.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (env: Env): Control => ({
  fire: (fire) =>
    Effect.zipRight(checkType(fire), Delivery.emit(env, emission(fire), { version: fire.version })),
  fireStale: (fire, age = Duration.minutes(11)) =>
    Effect.zipRight(
      checkType(fire),
      Delivery.emit(env, emission(fire), {
        version: fire.version,
        ageMs: Duration.toMillis(Duration.decode(age))
      })
    ),
  blast: (fire, count) =>
    Effect.zipRight(checkType(fire), Blast.blast(env, emission(fire), count, fire.version)),
  resend: (messageId) => Delivery.resend(env, messageId),
  payload: (fire) =>
    Effect.gen(function*() {
      yield* checkType(fire)
      const spec = Facts.find(fire.type, fire.version)
      if (spec === undefined) return yield* new MockEventSubError({ message: `unknown ${fire.type}` })
      return yield* Delivery.eventFor(
        env,
        spec,
        fire.condition ?? {},
        [eventValues(fire)],
        yield* env.ids.uuid
      )
    }),
  sendReconnect: (sessionId) => Reconnect.sendTo(env, sessionId),
  drop: (options) =>
    Effect.gen(function*() {
      const targets = (yield* Sessions.all(env)).filter((s) =>
        options?.sessionId === undefined || s.id === options.sessionId
      )
      for (const session of targets) yield* Sessions.close(env, session, options?.code ?? 4006)
      return targets.length
    }),
  setKeepalives: (enabled, sessionId) => setKeepalives(env, enabled, sessionId),
  revoke: (subscriptionId, status) => Delivery.revoke(env, subscriptionId, status),
  sessions: Effect.gen(function*() {
    const subs = [...(yield* subscriptions(env)).values()]
    return (yield* Sessions.all(env)).map(sessionInfo(subs))
  }),
  subscriptions: Effect.map(subscriptions(env), (subs) => [...subs.values()].map(subscriptionInfo)),
  awaitSubscriptions: (count, type) => awaitSubscriptions(env, count, type),
  conduits: Effect.map(conduits(env), (all) => [...all.values()].map(conduitInfo)),
  awaitShards: (conduitId, count, options) => awaitShards(env, conduitId, count, options?.exactly === true),
  counters: Ref.get(env.state.counters)
})
