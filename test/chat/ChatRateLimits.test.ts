import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import * as ChatRateLimits from "../../src/chat/ChatRateLimits.js"

const limits: ChatRateLimits.Limits = {
  ...ChatRateLimits.twitchLimits,
  messageWindow: "1 second",
  userMessages: 3,
  elevatedMessages: 5,
  channelInterval: "100 millis",
  joinWindow: "1 second",
  joins: 2
}

/** Sends `n` messages to `channel` one after another, settling each at once; their start times. */
const sends = (limiter: ChatRateLimits.ChatRateLimiter, n: number, channel: string, elevated = false) =>
  Effect.forEach(Array.from({ length: n }), () =>
    Effect.gen(function*() {
      const permit = yield* limiter.acquireSend(channel, () => elevated)
      yield* permit.settle
      return yield* Clock.currentTimeMillis
    }))

/** Runs `effect` over a minute of the TestClock; times it returns are made relative to its start. */
const run = (effect: Effect.Effect<ReadonlyArray<number>>) =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust("1 minute")
    return (yield* Fiber.join(fiber)).map((t) => t - start)
  })

describe("ChatRateLimits", () => {
  it.effect("a sliding window per account, a gap per channel for plain users", () =>
    Effect.gen(function*() {
      const limiter = yield* ChatRateLimits.make(limits)
      assert.deepStrictEqual(yield* run(sends(limiter, 4, "a")), [0, 100, 200, 1000])
      const elevated = yield* ChatRateLimits.make(limits)
      assert.deepStrictEqual(yield* run(sends(elevated, 6, "b", true)), [0, 0, 0, 0, 0, 1000])
    }))

  it.effect("a slot counts as 'now' until settled: a pending send holds the window", () =>
    Effect.gen(function*() {
      const limiter = yield* ChatRateLimits.make({ ...limits, channelInterval: 0 })
      const pending = yield* Effect.all([1, 2, 3].map(() => limiter.acquireSend("a", () => false)))
      const fourth = yield* Effect.fork(limiter.acquireSend("a", () => false))
      yield* TestClock.adjust("5 seconds")
      assert.isNull(fourth.unsafePoll())
      yield* pending[0].settle // answered at 5 s: leaves the window at 6 s
      yield* TestClock.adjust("999 millis")
      assert.isNull(fourth.unsafePoll())
      yield* TestClock.adjust("1 millis")
      const permit = yield* Fiber.join(fourth)
      assert.strictEqual(Duration.toMillis(permit.waited), 6000)
    }))

  it.effect("msg_ratelimit: penalize fills the window whatever the role", () =>
    Effect.gen(function*() {
      const limiter = yield* ChatRateLimits.make(limits)
      yield* limiter.penalize
      assert.strictEqual(yield* limiter.messagesInWindow, 5)
      assert.deepStrictEqual(yield* run(sends(limiter, 1, "a", true)), [1000])
    }))

  it.effect("joins and logins have windows of their own", () =>
    Effect.gen(function*() {
      const limiter = yield* ChatRateLimits.make({ ...limits, auths: 1, authWindow: "500 millis" })
      const times = yield* run(Effect.forEach([1, 2, 3], () =>
        Effect.flatMap(limiter.acquireJoin, (p) =>
          Effect.zipRight(p.settle, Clock.currentTimeMillis))))
      assert.deepStrictEqual(times, [0, 0, 1000])
      const auths = yield* run(Effect.forEach([1, 2], () =>
        Effect.flatMap(limiter.acquireAuth, (p) =>
          Effect.zipRight(p.settle, Clock.currentTimeMillis))))
      assert.deepStrictEqual(auths, [0, 500])
    }))

  it("scaled windows are rounded to the microsecond", () => {
    const scaled = ChatRateLimits.scaled(ChatRateLimits.twitchLimits, 1 / 150)
    assert.strictEqual(Duration.toMillis(Duration.decode(scaled.messageWindow)), 200)
    assert.strictEqual(Duration.toMillis(Duration.decode(scaled.channelInterval)), 6.667)
    assert.strictEqual(Duration.toMillis(Duration.decode(scaled.duplicateWindow ?? 0)), 200)
  })

  it.scoped("a registry hands every holder of an account (and limits) the same limiter, while one holds it", () =>
    Effect.gen(function*() {
      const registry = ChatRateLimits.makeLimiters()
      const a = yield* registry.acquire("bot", limits)
      const b = yield* registry.acquire("bot", limits)
      const other = yield* registry.acquire("someone", limits)
      assert.strictEqual(a, b)
      assert.notStrictEqual(a, other)
      assert.notStrictEqual(a, yield* registry.acquire("bot", ChatRateLimits.twitchLimits))
      const later = yield* Effect.scoped(registry.acquire("fresh", limits))
      assert.notStrictEqual(later, yield* registry.acquire("fresh", limits))
    }))
})
