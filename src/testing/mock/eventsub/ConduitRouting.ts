/**
 * Where a conduit subscription's messages go: the shard a hash of the channel id picks; when that
 * shard is disabled or its session is gone, one retry on another enabled shard (same message id);
 * when that fails too, or no other shard is enabled, the message is dropped (counted
 * `conduitDropped`; retries are counted `conduitRetries`). A WebSocket shard takes the message in
 * its session's envelope (the subscription's transport shows the conduit); a webhook shard gets a
 * signed POST with the webhook retries.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ConduitStore from "./ConduitStore.js"
import * as ConduitWebhook from "./ConduitWebhook.js"
import * as Sessions from "./Sessions.js"
import {
  type Conduit,
  conduits,
  count,
  type Env,
  type Outbound,
  type Session,
  type Shard,
  type Subscription
} from "./State.js"
import * as Wire from "./Wire.js"

/** Sends to one shard; false when it is down (disabled, no session, or the session ended). */
const toShard = (env: Env, conduit: Conduit, shard: Shard, sub: Subscription, outbound: Outbound) =>
  Effect.gen(function*() {
    if (!ConduitStore.isEnabled(shard)) return false
    const t = shard.transport
    if (t.method === "webhook") {
      const ref = { conduitId: conduit.id, shardId: shard.id, target: t }
      yield* Effect.forkIn(ConduitWebhook.deliver(env, ref, sub, outbound), env.scope)
      return true
    }
    if (t.sessionId === undefined) return false
    const session = yield* Sessions.find(env, t.sessionId)
    return Option.isSome(session) && (yield* Sessions.send(session.value, Wire.message(sub, outbound)))
  })

/**
 * The conduit of a subscription, when it has one that still exists.
 *
 * @since 0.1.0
 * @category routing
 */
export const conduitOf = (env: Env, sub: Subscription): Effect.Effect<Option.Option<Conduit>> =>
  sub.transport.method === "conduit"
    ? Effect.map(
      conduits(env),
      (all) =>
        Option.fromNullable(sub.transport.method === "conduit" ? all.get(sub.transport.conduitId) : undefined)
    )
    : Effect.succeed(Option.none())

/**
 * Puts one message of a conduit subscription on a shard: the hashed one, else one retry.
 *
 * @since 0.1.0
 * @category routing
 */
export const send = (env: Env, sub: Subscription, outbound: Outbound): Effect.Effect<void> =>
  Effect.gen(function*() {
    const conduit = yield* conduitOf(env, sub)
    if (Option.isNone(conduit)) return yield* count(env, "conduitDropped")
    const key = ConduitStore.routingKey(sub)
    const first = ConduitStore.primary(conduit.value, key)
    let sent = first !== undefined && (yield* toShard(env, conduit.value, first, sub, outbound))
    if (!sent && first !== undefined) {
      const second = ConduitStore.fallback(conduit.value, key, first)
      if (second !== undefined) {
        yield* count(env, "conduitRetries")
        sent = yield* toShard(env, conduit.value, second, sub, outbound)
      }
    }
    if (!sent) return yield* count(env, "conduitDropped")
    yield* count(env, outbound._tag === "Revocation" ? "revocations" : "notifications")
  })

const openSession = (env: Env, shard: Shard | undefined) =>
  Effect.gen(function*() {
    if (shard === undefined || !ConduitStore.isEnabled(shard)) return Option.none<Session>()
    const t = shard.transport
    if (t.method !== "websocket" || t.sessionId === undefined) return Option.none<Session>()
    const session = yield* Sessions.find(env, t.sessionId)
    return Option.isSome(session) && !(yield* Sessions.isClosed(session.value))
      ? session
      : Option.none<Session>()
  })

/**
 * The open session a conduit subscription's messages go to now (the hashed shard's, else the
 * retry shard's, `retry` then true), for bursts; `None` when neither is an open WebSocket shard.
 *
 * @since 0.1.0
 * @category routing
 */
export const sessionFor = (
  env: Env,
  sub: Subscription
): Effect.Effect<Option.Option<{ readonly session: Session; readonly retry: boolean }>> =>
  Effect.gen(function*() {
    const conduit = yield* conduitOf(env, sub)
    if (Option.isNone(conduit)) return Option.none()
    const key = ConduitStore.routingKey(sub)
    const first = ConduitStore.primary(conduit.value, key)
    const session = yield* openSession(env, first)
    if (Option.isSome(session)) return Option.some({ session: session.value, retry: false })
    if (first === undefined) return Option.none()
    const second = yield* openSession(env, ConduitStore.fallback(conduit.value, key, first))
    return Option.map(second, (s) => ({ session: s, retry: true }))
  })
