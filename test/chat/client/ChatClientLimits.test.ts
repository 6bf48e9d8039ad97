/**
 * The limits, on TestClock: client and mock run on one virtual clock over in-memory connections,
 * so elapsed times are exact (no load on the machine can stretch them).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type * as ChatClient from "../../../src/chat/ChatClient.js"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import * as World from "../../../src/testing/mock/World.js"
import { client, patient, setup } from "./fixture.js"
import * as Virtual from "./virtual.js"

// Twitch's limits shrunk 150x on both sides: 30 s -> 200 ms, 1 s -> ~6.7 ms, 10 s -> ~67 ms.
const factor = 1 / 150
const windowMs = 200
const serverLimits = {
  messageWindowMs: windowMs,
  channelIntervalMs: 1000 * factor,
  joinWindowMs: 10_000 * factor,
  duplicateWindowMs: 0
}
const clientLimits = ChatRateLimits.scaled(ChatRateLimits.twitchLimits, factor)

describe("ChatClient limits", () => {
  // 80 sends: four windows of 20, so the limit has to hold across three window turns.
  it.scoped("a burst of 80 sends over 3 channels as a plain user: zero violations, no slower than needed", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, plain, memory } = yield* setup({ limits: serverLimits })
      const chat = yield* client(config, { ...patient, limits: clientLimits, transport: memory })
      const channels = plain.slice(0, 3)
      yield* chat.joinAll(channels)
      const start = yield* Clock.currentTimeMillis
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 80 }, (_, i) => i),
        (i) => chat.say(channels[i % 3], `burst ${i}`),
        { concurrency: "unbounded" }
      )
      const elapsed = yield* Virtual.since(start)
      const notSent = outcomes.filter((o) => o._tag !== "Sent")
      assert.deepStrictEqual(notSent, [], JSON.stringify(notSent.slice(0, 3)))
      const counters = yield* control.counters
      assert.deepStrictEqual(Object.values(counters.violations).reduce((a, b) => a + b, 0), 0)
      assert.strictEqual(counters.privmsgsAccepted, 80)
      // 20 per window: the last 20 can go out 3 windows after the first 20.
      const minimum = (80 / 20 - 1) * windowMs
      assert.isAtLeast(elapsed, minimum)
      assert.isAtMost(elapsed, minimum + windowMs, `took ${elapsed} ms for a minimum of ${minimum} ms`)
      const limited = outcomes.filter((o) => o._tag === "Sent" && o.part === 1)
      assert.strictEqual(limited.length, 80)
    })))

  it.scoped("as broadcaster the limit is 100 per window", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, memory } = yield* setup({ limits: serverLimits })
      const chat = yield* client(config, { ...patient, limits: clientLimits, transport: memory })
      yield* chat.join(World.defaultUserLogin)
      assert.isTrue(yield* chat.isElevated(World.defaultUserLogin))
      const start = yield* Clock.currentTimeMillis
      yield* Effect.forEach(
        Array.from({ length: 210 }, (_, i) => i),
        (i) => chat.say(World.defaultUserLogin, `own ${i}`),
        { concurrency: "unbounded" }
      )
      const elapsed = yield* Virtual.since(start)
      const counters = yield* control.counters
      assert.strictEqual(Object.values(counters.violations).reduce((a, b) => a + b, 0), 0)
      assert.strictEqual(counters.privmsgsAccepted, 210)
      // 100, 100, 10: two window turns.
      assert.isAtLeast(elapsed, 2 * windowMs)
      // Far below the 10 windows a plain user would need.
      assert.isAtMost(elapsed, 4 * windowMs, `took ${elapsed} ms`)
    })))

  it.scoped("becoming moderator (USERSTATE badges) switches the limit live, and back", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, plain, memory } = yield* setup({
        limits: { ...serverLimits, messageWindowMs: 600 }
      })
      const chat = yield* client(config, {
        ...patient,
        limits: { ...clientLimits, messageWindow: "600 millis" },
        transport: memory
      })
      const channel = plain[0]
      yield* chat.join(channel)
      assert.isFalse(yield* chat.isElevated(channel))
      yield* control.setRole({ channel, login: World.defaultUserLogin, role: "moderator", enabled: true })
      yield* chat.isElevated(channel).pipe(
        Effect.filterOrFail((e) => e),
        Effect.retry(Schedule.spaced("10 millis")),
        Effect.timeout("2 seconds")
      )
      const start = yield* Clock.currentTimeMillis
      yield* Effect.forEach(
        Array.from({ length: 60 }, (_, i) => i),
        (i) => chat.say(channel, `as mod ${i}`),
        { concurrency: "unbounded" }
      )
      const elapsed = yield* Virtual.since(start)
      // As a plain user 60 messages need at least 2 windows (1200 ms).
      assert.isBelow(elapsed, 1200, `took ${elapsed} ms`)
      yield* control.setRole({ channel, login: World.defaultUserLogin, role: "moderator", enabled: false })
      yield* chat.isElevated(channel).pipe(
        Effect.filterOrFail((e) => !e),
        Effect.retry(Schedule.spaced("10 millis")),
        Effect.timeout("2 seconds")
      )
      yield* Effect.forEach(
        Array.from({ length: 25 }, (_, i) => i),
        (i) => chat.say(channel, `plain again ${i}`),
        { concurrency: "unbounded" }
      )
      const counters = yield* control.counters
      assert.strictEqual(Object.values(counters.violations).reduce((a, b) => a + b, 0), 0)
      assert.strictEqual(counters.privmsgsAccepted, 85)
    })))

  it.scoped("joins many channels within the join limit; each completes when confirmed", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, plain, memory } = yield* setup({ limits: serverLimits })
      const chat = yield* client(config, { ...patient, limits: clientLimits, transport: memory })
      const channels = plain.slice(0, 30)
      assert.strictEqual(channels.length, 30)
      const start = yield* Clock.currentTimeMillis
      yield* chat.joinAll(channels)
      const elapsed = yield* Virtual.since(start)
      assert.deepStrictEqual(yield* chat.joined, [...channels].sort())
      const counters = yield* control.counters
      assert.strictEqual(counters.violations.joinRate, 0)
      assert.strictEqual(counters.joins, 30)
      // 20 per ~67 ms window: the last 10 wait one window.
      assert.isAtLeast(elapsed, 10_000 * factor - 5)
      const connections = yield* control.connections
      assert.strictEqual(connections[0].channels.length, 30)
      yield* chat.part(channels[0])
      assert.strictEqual((yield* chat.joined).length, 29)
    })))
})

describe("ChatClient limits per account", () => {
  const twoClients = (separate: boolean) =>
    Effect.gen(function*() {
      const { config, control, plain, memory } = yield* setup({
        limits: { ...serverLimits, joinWindowMs: 10_000 * factor }
      })
      const options: ChatClient.Options = {
        ...patient,
        joinTimeout: "2 seconds",
        limits: clientLimits,
        transport: memory
      }
      // Without the shared limiter: each client its own registry (as in two processes).
      const make = separate
        ? client(config, options).pipe(Effect.provide(ChatRateLimits.layerLimiters()))
        : client(config, options)
      const [a, b] = yield* Effect.all([make, make])
      const joins = yield* Effect.all([
        Effect.either(a.joinAll(plain.slice(0, 15))),
        Effect.either(b.joinAll(plain.slice(15, 30)))
      ], { concurrency: 2 })
      const burst = (chat: typeof a, channels: ReadonlyArray<string>, tag: string) =>
        Effect.forEach(
          Array.from({ length: 30 }, (_, i) => i),
          (i) => chat.say(channels[i % channels.length], `${tag} ${i}`),
          { concurrency: "unbounded" }
        )
      const outcomes = yield* Effect.all([
        burst(a, plain.slice(0, 3), "a"),
        burst(b, plain.slice(15, 18), "b")
      ], {
        concurrency: 2
      })
      const joined = joins.filter((j) => j._tag === "Right").length
      return { joined, outcomes: outcomes.flat(), violations: (yield* control.counters).violations }
    })

  it.scoped("two clients of one account share the join and send limits: no violation", () =>
    Virtual.run(Effect.gen(function*() {
      const { joined, outcomes, violations } = yield* twoClients(false)
      assert.strictEqual(joined, 2)
      assert.deepStrictEqual(outcomes.filter((o) => o._tag !== "Sent"), [])
      assert.strictEqual(violations.joinRate, 0)
      assert.strictEqual(violations.userRate, 0)
    })))

  it.scoped("(the same two clients with a limiter each break Twitch's limits)", () =>
    Virtual.run(Effect.gen(function*() {
      const { joined, outcomes, violations } = yield* twoClients(true)
      assert.isAbove(violations.joinRate, 0)
      assert.isBelow(joined, 2)
      assert.isAbove(violations.userRate, 0)
      assert.isAbove(outcomes.filter((o) => o._tag !== "Sent").length, 0)
    })))
})
