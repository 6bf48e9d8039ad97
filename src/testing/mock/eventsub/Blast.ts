/**
 * Bursts for benchmarks and load tests: `count` notifications of one type to every matching
 * WebSocket subscription, as fast as each socket takes them. The event is built once per
 * subscription; every message gets its own `message_id` (a reserved block of ids) and the same
 * timestamp, and an event with a `message_id` of its own (chat messages and notices) gets that
 * same id there too: each is a different chat message, as in a busy chat. Sends wait for the socket every 1,000 messages, so memory stays bounded. Messages are
 * not kept for `resend`. Webhook subscriptions are skipped.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Delivery from "./Delivery.js"
import * as Facts from "./Facts.js"
import type { BlastResult } from "./Model.js"
import * as Sessions from "./Sessions.js"
import { count as increment, type Env, type Subscription, subscriptions } from "./State.js"
import * as Time from "./Time.js"
import * as Wire from "./Wire.js"

const batch = 1_000

/** Sends `count` copies of one subscription's notification, each with its own id; returns how many went out. */
const burst = (env: Env, sub: Subscription, emission: Delivery.Emission, count: number) =>
  Effect.gen(function*() {
    const spec = Facts.find(sub.type, sub.version)
    if (spec === undefined || sub.transport.method !== "websocket") return 0
    const session = yield* Sessions.find(env, sub.transport.sessionId)
    if (Option.isNone(session)) return 0
    const ids = yield* env.ids.uuids(count)
    const built = yield* Delivery.eventFor(env, spec, sub.condition, [emission.event], ids(0))
    const timestamp = yield* Time.now
    const marker = `blast-${ids(0)}`
    const event = typeof built.message_id === "string" ? { ...built, message_id: marker } : built
    // The id goes where the marker is (the metadata's message id, and the event's).
    const parts = Wire.message(sub, { _tag: "Notification", messageId: marker, timestamp, event }).split(
      marker
    )
    const frame = (id: string) => parts.join(id)
    const socket = session.value.socket
    let sent = 0
    while (sent < count) {
      if ((yield* Ref.get(session.value.live)).closed) break
      const end = Math.min(count, sent + batch)
      for (; sent < end - 1; sent++) socket.send(frame(ids(sent)))
      yield* socket.sendFlushed(frame(ids(sent)))
      sent++
    }
    const now = yield* Clock.currentTimeMillis
    yield* Ref.update(session.value.live, (l) => ({ ...l, lastSentAt: now }))
    return sent
  })

/**
 * Sends `count` notifications of an emission to each matching enabled WebSocket subscription.
 *
 * @since 0.1.0
 * @category blast
 */
export const blast = (
  env: Env,
  emission: Delivery.Emission,
  count: number,
  version?: string
): Effect.Effect<BlastResult> =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const subs = [...(yield* subscriptions(env)).values()].filter((s) =>
      s.status === "enabled" && Delivery.matches(s, emission) &&
      (version === undefined || s.version === version)
    )
    let messages = 0
    for (const sub of subs) messages += yield* burst(env, sub, emission, Math.max(0, Math.floor(count)))
    yield* increment(env, "notifications", messages)
    return { messages, subscriptions: subs.length, millis: (yield* Clock.currentTimeMillis) - start }
  })
