/**
 * Joins over the pool, on TestClock: spread over connections of at most `channelsPerConnection`,
 * all through the account's one JOIN limit (the mock counts JOINs per user over every connection).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Metric from "effect/Metric"
import * as ChatPool from "../../../src/chat/pool/ChatPool.js"
import * as World from "../../../src/testing/mock/World.js"
import * as Virtual from "../client/virtual.js"
import { joinWindowMs, pool, setup, violations } from "./fixture.js"

describe("ChatPool joins", () => {
  it.scoped("60 channels over 3 connections of 20: every JOIN within the account's limit, none late", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, memory, plain } = yield* setup()
      const chat = yield* pool(config, { transport: memory, channelsPerConnection: 20 })
      const channels = plain.slice(0, 60)
      assert.strictEqual(channels.length, 60)
      const start = yield* Clock.currentTimeMillis
      yield* chat.joinAll(channels)
      const elapsed = (yield* Clock.currentTimeMillis) - start

      const counters = yield* control.counters
      assert.strictEqual(violations(counters), 0, JSON.stringify(counters.violations))
      assert.strictEqual(counters.joins, 60)
      // One window of 20 JOINs per ~67 ms for the whole account: the last 20 wait two windows.
      assert.isAtLeast(elapsed, 2 * joinWindowMs)
      assert.isAtMost(elapsed, 4 * joinWindowMs, `took ${elapsed} ms`)

      assert.deepStrictEqual(yield* chat.joined, [...channels].sort())
      const connections = yield* chat.connections
      assert.deepStrictEqual(connections.map((c) => c.channels.length), [20, 20, 20])
      assert.deepStrictEqual(connections.map((c) => c.state), ["Connected", "Connected", "Connected"])
      // The server agrees: three sessions of the one user, 20 channels each, none twice.
      const sessions = yield* control.connections
      assert.deepStrictEqual(sessions.map((s) => s.login), Array(3).fill(World.defaultUserLogin))
      assert.deepStrictEqual(sessions.map((s) => s.channels.length), [20, 20, 20])
      assert.strictEqual(new Set(sessions.flatMap((s) => s.channels)).size, 60)
      assert.strictEqual(yield* chat.state, "Connected")
    })))

  it.scoped("a parted channel frees its place; the next channel takes it instead of a new connection", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, memory, plain } = yield* setup()
      const chat = yield* pool(config, { transport: memory, channelsPerConnection: 2 })
      yield* chat.joinAll(plain.slice(0, 4))
      yield* chat.part(plain[1])
      yield* chat.join(plain[4])
      const connections = yield* chat.connections
      assert.deepStrictEqual(connections.map((c) => c.channels), [
        [plain[0], plain[4]].sort(),
        [plain[2], plain[3]].sort()
      ])
      assert.strictEqual((yield* control.connections).length, 2)
      // Joining a channel twice keeps one place.
      yield* chat.join(`#${plain[0].toUpperCase()}`)
      assert.strictEqual((yield* chat.joined).length, 4)
    })))

  it.scoped("joinAll tries every channel and fails with the first failure; failed channels take no place", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, plain } = yield* setup()
      const chat = yield* pool(config, {
        transport: memory,
        channelsPerConnection: 5,
        joinTimeout: "1 second"
      })
      const error = yield* Effect.flip(chat.joinAll([plain[0], "no_such_channel_here", plain[1], "bad name"]))
      assert.strictEqual(error._tag, "ChatError")
      assert.deepStrictEqual(yield* chat.joined, [plain[0], plain[1]].sort())
      const placed = (yield* chat.connections).flatMap((c) => c.channels)
      assert.deepStrictEqual(placed.sort(), [plain[0], plain[1]].sort())
    })))

  it.scoped("an anonymous pool: every connection its own justinfan, one join budget for all", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, memory, plain } = yield* setup()
      const chat = yield* pool(config, { transport: memory, channelsPerConnection: 10 }, true)
      assert.isTrue(chat.anonymous)
      const start = yield* Clock.currentTimeMillis
      yield* chat.joinAll(plain.slice(0, 40))
      const elapsed = (yield* Clock.currentTimeMillis) - start
      const sessions = yield* control.connections
      assert.strictEqual(sessions.length, 4)
      assert.isTrue(sessions.every((s) => s.anonymous && s.login?.startsWith("justinfan") === true))
      // 40 JOINs at 20 per window for the pool as a whole: at least one window, though the
      // server would have let each connection do 20 at once.
      assert.isAtLeast(elapsed, joinWindowMs)
      assert.strictEqual((yield* control.counters).joins, 40)
    })))

  it.scoped("metrics: connections, channels (per connection) and pending joins, back to zero when closed", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, plain } = yield* setup()
      const gauge = (metric: Metric.Metric.Gauge<number>) => Effect.map(Metric.value(metric), (s) => s.value)
      const perConnection = (n: number) =>
        gauge(ChatPool.metrics.channelsPerConnection.pipe(Metric.tagged("connection", String(n))))
      yield* Effect.scoped(Effect.gen(function*() {
        const chat = yield* pool(config, { transport: memory, channelsPerConnection: 4 })
        const joining = yield* Effect.fork(chat.joinAll(plain.slice(0, 30)))
        yield* Effect.sleep("1 millis")
        assert.isAbove(yield* gauge(ChatPool.metrics.joinsPending), 0)
        yield* Fiber.join(joining)
        assert.strictEqual(yield* gauge(ChatPool.metrics.connections), 8)
        assert.strictEqual(yield* gauge(ChatPool.metrics.channels), 30)
        assert.strictEqual(yield* perConnection(1), 4)
        assert.strictEqual(yield* perConnection(8), 2)
        assert.strictEqual(yield* gauge(ChatPool.metrics.joinsPending), 0)
      }))
      assert.strictEqual(yield* gauge(ChatPool.metrics.connections), 0)
      assert.strictEqual(yield* gauge(ChatPool.metrics.channels), 0)
      assert.strictEqual(yield* perConnection(1), 0)
    })))
})
