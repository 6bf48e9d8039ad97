/**
 * Bursts for benchmarks and load tests: `count` notifications of one type to every matching
 * WebSocket or conduit subscription (through the session of the shard it routes to), as fast as
 * each socket takes them. The event is built once per
 * subscription; every message gets its own `message_id` (a reserved block of ids) and the same
 * timestamp, and an event with a `message_id` of its own (chat messages and notices) gets that
 * same id there too: each is a different chat message, as in a busy chat. Up to 1,000 messages
 * (over all subscriptions) leave in one write (the socket corked), then the burst waits for the
 * socket, so memory stays bounded, and gives the event loop a turn, so sockets that closed are
 * seen. Messages are not kept for `resend`. Webhook subscriptions are skipped.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as ConduitRouting from "./ConduitRouting.js"
import * as Delivery from "./Delivery.js"
import * as Facts from "./Facts.js"
import type { BlastResult } from "./Model.js"
import type * as Payload from "./Payload.js"
import * as Sessions from "./Sessions.js"
import { count as increment, type Env, type Session, type Subscription, subscriptions } from "./State.js"
import * as Time from "./Time.js"
import * as Wire from "./Wire.js"

const batch = 1_000

/**
 * A turn of Node's event loop for I/O: without it a burst keeps the loop from reading sockets, and a
 * peer that died goes unnoticed (its shard stays enabled) until the burst ends.
 */
const ioTurn = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})

/**
 * The open session a subscription's messages go to now: its own, or its conduit's routed shard's
 * (`retry`: the hashed shard was down, this is the one retry's).
 */
const sessionOf = (
  env: Env,
  sub: Subscription
): Effect.Effect<Option.Option<{ readonly session: Session; readonly retry: boolean }>> => {
  switch (sub.transport.method) {
    case "websocket":
      return Effect.map(
        Sessions.find(env, sub.transport.sessionId),
        Option.map((session) => ({ session, retry: false }))
      )
    case "conduit":
      return ConduitRouting.sessionFor(env, sub)
    case "webhook":
      return Effect.succeed(Option.none())
  }
}

/**
 * The frame of message `id` (the event is built once; only the id differs): the id goes wherever
 * the marker is (the metadata's message id, and the event's own when it has one).
 */
const framer = (sub: Subscription, event: Payload.JsonObject, timestamp: string, marker: string) => {
  const parts = Wire.message(sub, { _tag: "Notification", messageId: marker, timestamp, event }).split(marker)
  return (id: string) => parts.join(id)
}

/**
 * Sends `count` copies of one subscription's notification, each with its own id; returns how many
 * went out. A conduit subscription's session is looked up again when it ends mid-burst (the retry
 * shard takes over); what finds no session is counted dropped.
 */
const burst = (
  env: Env,
  sub: Subscription,
  emission: Delivery.Emission,
  count: number,
  unflushed: { n: number }
) =>
  Effect.gen(function*() {
    const spec = Facts.find(sub.type, sub.version)
    if (spec === undefined || sub.transport.method === "webhook") return 0
    let target = yield* sessionOf(env, sub)
    const ids = yield* env.ids.uuids(count)
    const built = yield* Delivery.eventFor(env, spec, sub.condition, [emission.event], ids(0))
    const marker = `blast-${ids(0)}`
    const event = typeof built.message_id === "string" ? { ...built, message_id: marker } : built
    const frame = framer(sub, event, yield* Time.now, marker)
    let sent = 0
    while (sent < count && Option.isSome(target)) {
      const session = target.value.session
      const socket = session.socket
      if (yield* Sessions.isClosed(session)) {
        target = sub.transport.method === "conduit" ? yield* sessionOf(env, sub) : Option.none()
        continue
      }
      const start = sent
      // Written without waiting until `batch` messages (over all subscriptions) are pending.
      const end = Math.min(count, sent + batch - unflushed.n)
      unflushed.n += end - sent
      const sendAll = () => {
        for (; sent < end - 1; sent++) socket.send(frame(ids(sent)))
      }
      if (socket.batch === undefined) sendAll()
      else socket.batch(sendAll)
      if (unflushed.n >= batch) {
        yield* socket.sendFlushed(frame(ids(sent)))
        unflushed.n = 0
        yield* ioTurn
      } else {
        socket.send(frame(ids(sent)))
      }
      sent++
      if (target.value.retry) yield* increment(env, "conduitRetries", sent - start)
      const now = yield* Clock.currentTimeMillis
      yield* Ref.update(session.live, (l) => ({ ...l, lastSentAt: now }))
    }
    if (sub.transport.method === "conduit" && sent < count) {
      yield* increment(env, "conduitDropped", count - sent)
    }
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
    const unflushed = { n: 0 }
    for (const sub of subs) {
      messages += yield* burst(env, sub, emission, Math.max(0, Math.floor(count)), unflushed)
    }
    yield* increment(env, "notifications", messages)
    return { messages, subscriptions: subs.length, millis: (yield* Clock.currentTimeMillis) - start }
  })
