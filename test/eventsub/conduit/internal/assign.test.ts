import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import * as Assign from "../../../../src/eventsub/conduit/internal/assign.js"
import { type HelixError, HttpError, NotAuthorized } from "../../../../src/TwitchError.js"

type Answer = Effect.Effect<Option.Option<string>, HelixError>

const httpError = (status: number) =>
  new HttpError({
    status,
    request: { method: "PATCH", url: "https://api.twitch.tv/helix/eventsub/conduits/shards" }
  })

/** A fake Helix: each update answers the next of `answers` (the last one repeats), at the `Clock`'s time. */
const fake = (answers: ReadonlyArray<Answer>, shardCount: Option.Option<number> = Option.some(4)) => {
  const calls: Array<number> = []
  const api: Assign.Api = {
    update: () =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        calls.push(now)
        return answers[Math.min(calls.length, answers.length) - 1]
      }),
    shardCount: Effect.succeed(shardCount)
  }
  return { api, calls }
}

const target = { conduitId: "c1", shardId: "2" }

const run = (
  api: Assign.Api,
  overrides: Partial<Assign.RetryOptions> = {}
) => {
  const refusals: Array<readonly [string, number]> = []
  const effect = Assign.assign(api, target, "session-1", {
    schedule: Schedule.exponential("250 millis", 2),
    window: Duration.seconds(8),
    timeout: Duration.seconds(10),
    current: Effect.succeed(true),
    onRefused: (refusal, attempt) => Effect.sync(() => refusals.push([refusal._tag, attempt])),
    ...overrides
  })
  return { effect, refusals }
}

const taken: Answer = Effect.succeedNone
const notConnected: Answer = Effect.succeedSome("The websocket session is not connected.")

describe("conduit shard assignment (TestClock)", () => {
  it.effect("a transient refusal is retried with backoff on the Clock until Twitch takes the shard", () =>
    Effect.gen(function*() {
      const { api, calls } = fake([Effect.fail(httpError(503)), notConnected, taken])
      const { effect, refusals } = run(api)
      const fiber = yield* Effect.fork(effect)
      yield* TestClock.adjust("249 millis")
      assert.deepStrictEqual(calls, [0])
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("1 millis")
      assert.deepStrictEqual(calls, [0, 250])
      yield* TestClock.adjust("500 millis")
      assert.deepStrictEqual(calls, [0, 250, 750])
      assert.deepStrictEqual(yield* Fiber.join(fiber), undefined)
      assert.deepStrictEqual(refusals, [["Transient", 1], ["Transient", 2]])
    }))

  it.effect("a conduit that is gone (404) fails at once with ConduitNotFound, no retry", () =>
    Effect.gen(function*() {
      const { api, calls } = fake([Effect.fail(httpError(404))])
      const { effect, refusals } = run(api)
      const refusal = yield* Effect.flip(effect)
      assert.deepStrictEqual(calls, [0])
      assert.deepStrictEqual(refusals, [["Permanent", 1]])
      assert.deepStrictEqual(
        refusal._tag === "Permanent"
          ? [refusal.error.reason, refusal.error.conduitId, refusal.error.shardId, refusal.error.status]
          : [],
        ["ConduitNotFound", "c1", "2", 404]
      )
    }))

  it.effect("a shard Twitch refuses is checked against Get Conduits: gone or too small is for good", () =>
    Effect.gen(function*() {
      const outside = yield* Effect.flip(run(fake([notConnected], Option.some(2)).api).effect)
      assert.deepStrictEqual(
        outside._tag === "Permanent" ? [outside.error.reason, outside.error.shardCount] : [],
        ["ShardOutOfRange", 2]
      )
      assert.include(outside._tag === "Permanent" ? outside.error.message : "", "resize")
      const gone = yield* Effect.flip(run(fake([notConnected], Option.none()).api).effect)
      assert.deepStrictEqual(gone._tag === "Permanent" ? gone.error.reason : "", "ConduitNotFound")
    }))

  it.effect("400 and a token Twitch refuses are for good; a 5xx and a 429 are not", () =>
    Effect.gen(function*() {
      const notAuthorized = new NotAuthorized({ reason: "WrongTokenKind", needs: ["app"], status: 401 })
      for (const error of [httpError(400), httpError(403), notAuthorized]) {
        const refusal = yield* Effect.flip(run(fake([Effect.fail(error)]).api).effect)
        assert.deepStrictEqual(refusal._tag === "Permanent" ? refusal.error.reason : "", "Refused")
      }
      for (const status of [429, 500, 503]) {
        const { api, calls } = fake([Effect.fail(httpError(status)), taken])
        const fiber = yield* Effect.fork(run(api).effect)
        yield* TestClock.adjust("250 millis")
        yield* Fiber.join(fiber)
        assert.strictEqual(calls.length, 2, `${status}`)
      }
    }))

  it.effect("transient refusals stop within the window: bounded attempts, the last refusal returned", () =>
    Effect.gen(function*() {
      const { api, calls } = fake([notConnected])
      const { effect, refusals } = run(api)
      const fiber = yield* Effect.fork(effect)
      yield* TestClock.adjust("1 minute")
      const refusal = yield* Effect.flip(Fiber.join(fiber))
      assert.strictEqual(refusal._tag, "Transient")
      // 250 ms doubling within 8 s: attempts at 0, 0.25, 0.75, 1.75, 3.75 and 7.75 s.
      assert.deepStrictEqual(calls, [0, 250, 750, 1750, 3750, 7750])
      assert.deepStrictEqual(refusals.map(([, n]) => n), [1, 2, 3, 4, 5, 6])
    }))

  it.effect("no retry once the session is no longer the shard's, and none with a zero window", () =>
    Effect.gen(function*() {
      const replaced = fake([notConnected])
      yield* Effect.flip(run(replaced.api, { current: Effect.succeed(false) }).effect)
      assert.deepStrictEqual(replaced.calls, [0])
      const once = fake([notConnected])
      const fiber = yield* Effect.fork(run(once.api, { window: Duration.zero }).effect)
      yield* TestClock.adjust("1 minute")
      yield* Effect.flip(Fiber.join(fiber))
      assert.deepStrictEqual(once.calls, [0])
    }))

  it.effect("an attempt Twitch does not answer in time is a transient refusal (retried within the window)", () =>
    Effect.gen(function*() {
      const { api, calls } = fake([Effect.never, taken])
      const { effect, refusals } = run(api, { window: Duration.seconds(20) })
      const fiber = yield* Effect.fork(effect)
      yield* TestClock.adjust("10 seconds")
      assert.deepStrictEqual(refusals, [["Transient", 1]])
      yield* TestClock.adjust("250 millis")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(calls, [0, 10_250])
    }))
})
