import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import * as World from "../../../src/testing/mock/World.js"
import { client, patient, setup, waitEvent } from "./fixture.js"
import * as Virtual from "./virtual.js"

const factor = 1 / 150
const serverLimits = { messageWindowMs: 200, channelIntervalMs: 1000 * factor, duplicateWindowMs: 0 }
const clientLimits = ChatRateLimits.scaled(ChatRateLimits.twitchLimits, factor)

describe("ChatClient keepalive and reconnect", () => {
  it.scoped("answers the server's PINGs at once and stays connected", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control } = yield* setup({ pingInterval: "100 millis" })
      const chat = yield* client(config, { ...patient, transport: memory })
      yield* Effect.sleep("450 millis")
      const counters = yield* control.counters
      assert.isAtLeast(counters.pingsSent, 3)
      assert.isAtLeast(counters.pongsReceived, counters.pingsSent - 1)
      assert.strictEqual(counters.connections, 1)
      assert.strictEqual((yield* chat.stats).reconnects, 0)
    })))

  it.scoped("detects a silent server (PING without PONG) and reconnects, rejoining its channels", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control, live } = yield* setup()
      const chat = yield* client(config, {
        ...patient,
        transport: memory,
        keepalive: { idle: "150 millis", timeout: "150 millis" }
      })
      yield* chat.join(live[0])
      const disconnected = yield* Effect.fork(
        waitEvent(chat, (e) => e._tag === "Disconnected")
      )
      const rejoined = yield* Effect.fork(
        waitEvent(chat, (e) => e._tag === "Joined")
      )
      yield* control.setSilent(true)
      const event = yield* Fiber.join(disconnected)
      assert(event._tag === "Disconnected")
      assert.strictEqual(event.reason, "Silent")
      yield* Fiber.join(rejoined)
      assert.deepStrictEqual(yield* chat.joined, [live[0]])
      const outcome = yield* chat.say(live[0], "back again")
      assert.strictEqual(outcome._tag, "Sent")
      assert.strictEqual((yield* control.counters).logins, 2)
    })))

  it.scoped("RECONNECT mid-burst: new connection first, every send arrives exactly once, no message twice", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control, live } = yield* setup({ limits: serverLimits })
      const chat = yield* client(config, { ...patient, transport: memory, limits: clientLimits })
      const own = World.defaultUserLogin
      yield* chat.joinAll([own, live[0]])
      const inbound = yield* Effect.fork(
        chat.channel(live[0]).pipe(
          Stream.filter((m) => m._tag === "Privmsg"),
          Stream.takeUntil((m) => m._tag === "Privmsg" && m.text === "last"),
          Stream.runCollect,
          Effect.timeout("10 seconds")
        )
      )
      const burst = yield* Effect.fork(
        Effect.forEach(
          Array.from({ length: 80 }, (_, i) => i),
          (i) => chat.say(own, `reconnect burst ${i}`),
          { concurrency: "unbounded" }
        )
      )
      yield* control.awaitPrivmsgs(own, 20)
      const sent = yield* control.sendReconnect({ closeAfter: "300 millis" })
      assert.strictEqual(sent, 1)
      // Sends were still in flight when the RECONNECT came.
      assert.isBelow((yield* control.received(own)).length, 80)
      // Chat posted during the overlap reaches both connections; the stream has it once.
      yield* Effect.sleep("30 millis")
      const during = yield* control.postMessage({
        channel: live[0],
        login: World.secondUserLogin,
        text: "overlap"
      })
      const outcomes = yield* Fiber.join(burst)
      yield* control.postMessage({ channel: live[0], login: World.secondUserLogin, text: "last" })
      assert.deepStrictEqual([...new Set(outcomes.map((o) => o._tag))], ["Sent"])
      const received = yield* control.received(own)
      assert.strictEqual(received.length, 80)
      assert.strictEqual(new Set(received.map((r) => r.text)).size, 80)
      const messages = Chunk.toArray(yield* Fiber.join(inbound))
      assert.strictEqual(messages.filter((m) => m._tag === "Privmsg" && m.id === during.id).length, 1)
      const counters = yield* control.counters
      assert.strictEqual(counters.connections, 2)
      assert.strictEqual(Object.values(counters.violations).reduce((a, b) => a + b, 0), 0)
      assert.strictEqual((yield* chat.stats).reconnects, 1)
      assert.deepStrictEqual(yield* chat.joined, [live[0], own].sort())
    })))

  it.scoped("a dropped socket mid-burst: queued sends go out after the reconnect, none twice", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control, plain } = yield* setup({ limits: serverLimits })
      const chat = yield* client(config, { ...patient, transport: memory, limits: clientLimits })
      const channels = plain.slice(0, 2)
      yield* chat.joinAll(channels)
      const burst = yield* Effect.fork(
        Effect.forEach(
          Array.from({ length: 60 }, (_, i) => i),
          (i) => chat.say(channels[i % 2], `drop burst ${i}`),
          { concurrency: "unbounded" }
        )
      )
      yield* control.awaitPrivmsgs(channels[0], 10)
      assert.strictEqual(yield* control.dropConnections(), 1)
      // Sends were still in flight when the socket dropped.
      const before = (yield* control.received(channels[0])).length +
        (yield* control.received(channels[1])).length
      assert.isBelow(before, 60)
      const outcomes = yield* Fiber.join(burst)
      const texts = [
        ...(yield* control.received(channels[0])),
        ...(yield* control.received(channels[1]))
      ].map((r) => r.text)
      // No text arrived twice.
      assert.strictEqual(new Set(texts).size, texts.length)
      // Every Sent arrived exactly once; an Unconfirmed one (written when the socket died) at most once.
      const unconfirmed = outcomes.filter((o) => o._tag === "Unconfirmed")
      assert.isAtMost(unconfirmed.length, 2)
      for (const o of unconfirmed) assert(o._tag === "Unconfirmed" && o.reason === "ConnectionLost")
      for (const o of outcomes) {
        if (o._tag === "Sent") assert.strictEqual(texts.filter((t) => t === o.text).length, 1)
      }
      assert.strictEqual(
        outcomes.filter((o) => o._tag === "Sent").length + unconfirmed.length,
        60,
        JSON.stringify([
          (yield* control.counters).violations,
          outcomes.filter((o) => o._tag !== "Sent" && o._tag !== "Unconfirmed").length,
          outcomes.filter((o) => o._tag === "Unconfirmed").length
        ])
      )
      assert.isAtLeast(texts.length, 60 - unconfirmed.length)
      const counters = yield* control.counters
      assert.strictEqual(counters.connections, 2)
      assert.strictEqual(Object.values(counters.violations).reduce((a, b) => a + b, 0), 0)
    })))

  it.scoped("sends queued while disconnected go out after reconnecting", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control } = yield* setup()
      const chat = yield* client(config, {
        ...patient,
        transport: memory,
        reconnect: { base: "200 millis", max: "200 millis" }
      })
      const own = World.defaultUserLogin
      yield* chat.join(own)
      yield* control.dropConnections()
      yield* waitEvent(chat, (e) => e._tag === "Reconnecting")
      const outcomes = yield* Effect.forEach(["while", "disconnected"], (t) => chat.say(own, t), {
        concurrency: "unbounded"
      })
      assert.deepStrictEqual(outcomes.map((o) => o._tag), ["Sent", "Sent"])
      assert.deepStrictEqual((yield* control.received(own)).map((r) => r.text).sort(), [
        "disconnected",
        "while"
      ])
    })))
})

describe("ChatClient slow consumers", () => {
  it.scoped("backpressure: a slow consumer gets every message in order, nothing dropped", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control, live } = yield* setup()
      const chat = yield* client(config, {
        ...patient,
        transport: memory,
        bufferSize: 16,
        overflow: "backpressure"
      })
      yield* chat.join(live[0])
      let first = true
      // The stream starts now; the consumer stalls 300 ms on its first message, then reads slowly.
      const consumer = yield* Effect.fork(
        chat.channel(live[0]).pipe(
          Stream.filter((m) => m._tag === "Privmsg"),
          Stream.mapEffect((m) =>
            Effect.as(
              first ? Effect.sleep("300 millis").pipe(Effect.tap(() => (first = false))) : Effect.void,
              m
            )
          ),
          Stream.take(500),
          Stream.map((m) => (m._tag === "Privmsg" ? m.id : "")),
          Stream.runCollect,
          Effect.timeout("20 seconds")
        )
      )
      yield* Effect.sleep("20 millis")
      const blast = yield* Effect.fork(control.blast(live[0], 500))
      const ids = Chunk.toArray(yield* Fiber.join(consumer))
      assert.strictEqual(ids.length, 500)
      assert.strictEqual(new Set(ids).size, 500)
      // In the order the server sent them (its ids count up).
      assert.deepStrictEqual(ids, [...ids].sort())
      assert.strictEqual((yield* Fiber.join(blast)).lines, 500)
      assert.strictEqual((yield* chat.stats).dropped, 0)
      assert.strictEqual((yield* control.connections).length, 1)
    })))

  it.scoped("dropOldest: reading never stops, the oldest are dropped and counted", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control, live } = yield* setup()
      const chat = yield* client(config, {
        ...patient,
        transport: memory,
        bufferSize: 16,
        overflow: "dropOldest"
      })
      yield* chat.join(live[0])
      let consumed = 0
      const consumer = yield* Effect.fork(
        chat.stream({ channel: live[0] }).pipe(
          Stream.filter((m) => m._tag === "Privmsg"),
          Stream.tap(() => Effect.sleep("1 millis")),
          Stream.runForEach(() => Effect.sync(() => consumed++))
        )
      )
      yield* Effect.sleep("20 millis")
      const blast = yield* control.blast(live[0], 500)
      assert.strictEqual(blast.lines, 500)
      yield* Effect.sleep("200 millis")
      const dropped = (yield* chat.stats).dropped
      assert.isAbove(dropped, 0)
      // Everything was either consumed or dropped: 200 ms at 1 ms a message empties the buffer of 16.
      assert.strictEqual(consumed + dropped, 500)
      yield* Fiber.interrupt(consumer)
    })))
})

describe("ChatClient transports", () => {
  it.scopedLive("TLS (trusting the mock's certificate) and WebSocket", () =>
    Effect.gen(function*() {
      const { config, control, server } = yield* setup()
      const own = World.defaultUserLogin
      const tls = yield* client(config, {
        transport: "tls",
        port: server.tlsPort,
        tlsCa: server.tlsCertificatePem
      })
      yield* tls.join(own)
      assert.strictEqual((yield* tls.say(own, "over tls"))._tag, "Sent")
      const ws = yield* client(config, { transport: "websocket" })
      yield* ws.join(own)
      assert.strictEqual((yield* ws.say(own, "over websocket"))._tag, "Sent")
      const transports = (yield* control.received(own)).map((r) => r.transport)
      assert.strictEqual(transports.length, 2)
      assert.notStrictEqual(transports[0], transports[1])
    }))
})
