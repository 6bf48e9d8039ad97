/**
 * From "this happened" to messages: an {@link Emission} (a type, the condition values it is about,
 * the event values the world knows) goes to every enabled subscription of that type whose
 * condition matches, each with a payload built for its version; {@link send} is the one function
 * that puts a message on a transport (a WebSocket session, a webhook callback, a conduit's shard). Also revocations, and resending a kept message unchanged.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { generator } from "../world/Random.js"
import * as ConduitRouting from "./ConduitRouting.js"
import { hash } from "./ConduitStore.js"
import * as Facts from "./Facts.js"
import { type Fired, MockEventSubError, type RevocationStatus } from "./Model.js"
import * as Payload from "./Payload.js"
import * as Sessions from "./Sessions.js"
import {
  count,
  type Env,
  logSize,
  type Outbound,
  type Subscription,
  subscriptions,
  updateSubscriptions
} from "./State.js"
import * as Subscriptions from "./Subscriptions.js"
import * as Time from "./Time.js"
import * as Webhook from "./Webhook.js"
import * as Wire from "./Wire.js"

/**
 * Something that happened, for the subscriptions of one type: the condition values it is about
 * (e.g. `broadcaster_user_id`) and the event values known (deep, partial).
 *
 * @since 0.1.0
 * @category models
 */
export interface Emission {
  readonly type: string
  readonly condition: Readonly<Record<string, string>>
  readonly event: Payload.JsonObject
}

const toSession = (env: Env, sub: Subscription, outbound: Outbound) =>
  Effect.gen(function*() {
    if (sub.transport.method !== "websocket") return
    const session = yield* Sessions.find(env, sub.transport.sessionId)
    const sent = Option.isSome(session) && (yield* Sessions.send(session.value, Wire.message(sub, outbound)))
    yield* count(
      env,
      !sent ? "undelivered" : outbound._tag === "Revocation" ? "revocations" : "notifications"
    )
  })

/**
 * Puts one message on a subscription's transport; a conduit subscription's goes to the shard a
 * hash of its channel id picks, or to one other shard when that one is down (`ConduitRouting`).
 *
 * @since 0.1.0
 * @category delivery
 */
export const send = (env: Env, sub: Subscription, outbound: Outbound): Effect.Effect<void> => {
  switch (sub.transport.method) {
    case "websocket":
      return toSession(env, sub, outbound)
    case "webhook":
      return Effect.asVoid(Effect.forkIn(Webhook.deliver(env, sub, outbound), env.scope))
    case "conduit":
      return ConduitRouting.send(env, sub, outbound)
  }
}

/**
 * Whether an emission is for a subscription: same type, and every condition value both name is
 * equal (a subscription's empty optional fields match anything).
 *
 * @since 0.1.0
 * @category delivery
 */
export const matches = (sub: Subscription, emission: Emission): boolean => {
  if (sub.type !== emission.type) return false
  for (const [key, value] of Object.entries(sub.condition)) {
    const wanted = emission.condition[key]
    if (value !== "" && wanted !== undefined && wanted !== value) return false
  }
  return true
}

/**
 * The event of one message: the subscription's condition, then `values`, completed from its
 * version's field tree and the world.
 *
 * @since 0.1.0
 * @category delivery
 */
export const eventFor = (
  env: Env,
  spec: Facts.SubscriptionType,
  condition: Readonly<Record<string, string>>,
  values: ReadonlyArray<Payload.JsonObject>,
  messageId: string
): Effect.Effect<Payload.JsonObject> =>
  Effect.gen(function*() {
    const s = yield* env.world.snapshot
    return Payload.build({
      spec,
      condition,
      values,
      users: s.users,
      now: yield* Time.now,
      random: generator(env.world.seed ^ hash(messageId))
    })
  })

const keep = (env: Env, sub: Subscription, outbound: Outbound) =>
  Ref.update(env.state.log, (log) => {
    const next = [...log, { messageId: outbound.messageId, subscriptionId: sub.id, outbound }]
    return next.length > logSize ? next.slice(next.length - logSize) : next
  })

/**
 * Sends an emission to every matching enabled subscription (of one version when given); `ageMs`
 * backdates the message timestamp (stale messages).
 *
 * @since 0.1.0
 * @category delivery
 */
export const emit = (
  env: Env,
  emission: Emission,
  options: { readonly version?: string | undefined; readonly ageMs?: number | undefined } = {}
): Effect.Effect<Fired> =>
  Effect.gen(function*() {
    const subs = [...(yield* subscriptions(env)).values()].filter((s) =>
      s.status === "enabled" && matches(s, emission) &&
      (options.version === undefined || s.version === options.version)
    )
    const messageIds: Array<string> = []
    for (const sub of subs) {
      const spec = Facts.find(sub.type, sub.version)
      if (spec === undefined) continue
      const messageId = yield* env.ids.uuid
      const timestamp = options.ageMs === undefined
        ? yield* Time.now
        : Time.formatMillis((yield* Effect.clockWith((c) => c.currentTimeMillis)) - options.ageMs)
      const event = yield* eventFor(env, spec, sub.condition, [emission.event], messageId)
      const outbound: Outbound = { _tag: "Notification", messageId, timestamp, event }
      yield* keep(env, sub, outbound)
      yield* send(env, sub, outbound)
      messageIds.push(messageId)
    }
    return { messageIds, subscriptions: subs.map((s) => s.id) }
  })

/**
 * Sends a kept message again, unchanged, to its subscription's current transport.
 *
 * @since 0.1.0
 * @category delivery
 */
export const resend = (env: Env, messageId: string): Effect.Effect<void, MockEventSubError> =>
  Effect.gen(function*() {
    const sent = (yield* Ref.get(env.state.log)).find((s) => s.messageId === messageId)
    if (sent === undefined) return yield* new MockEventSubError({ message: `no kept message ${messageId}` })
    const sub = (yield* subscriptions(env)).get(sent.subscriptionId)
    if (sub === undefined) {
      return yield* new MockEventSubError({ message: `the subscription of message ${messageId} is gone` })
    }
    yield* send(env, sub, sent.outbound)
  })

/**
 * Revokes a subscription: it is disabled with `status` and gets one revocation message.
 *
 * @since 0.1.0
 * @category delivery
 */
export const revoke = (
  env: Env,
  subscriptionId: string,
  status: RevocationStatus = "authorization_revoked"
): Effect.Effect<void, MockEventSubError> =>
  Effect.gen(function*() {
    const sub = (yield* subscriptions(env)).get(subscriptionId)
    if (sub === undefined || !Subscriptions.isActive(sub)) {
      return yield* new MockEventSubError({ message: `no active subscription ${subscriptionId}` })
    }
    if (sub.transport.method === "webhook") return yield* Webhook.revoke(env, sub, status)
    const now = yield* Effect.clockWith((c) => c.currentTimeMillis)
    const revoked = Subscriptions.withStatus(sub, status, now)
    yield* updateSubscriptions(env, (subs) => Subscriptions.setStatus(subs, sub.id, status, now))
    yield* send(env, revoked, {
      _tag: "Revocation",
      messageId: yield* env.ids.uuid,
      timestamp: yield* Time.now
    })
  })
