import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Random from "effect/Random"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as State from "../../../../src/chat/internal/engine/state.js"

describe("engine/state", () => {
  it.effect("awaitStatus: at once when the status fits, else on the change that makes it fit", () =>
    Effect.gen(function*() {
      const status = yield* SubscriptionRef.make(State.initial)
      const wants = (channel: string) => (s: State.Status) => s.wanted.has(channel) ? channel : undefined
      let evaluated = 0
      const waiting = yield* Effect.fork(State.awaitStatus(status, (s) => {
        evaluated++
        return wants("room")(s)
      }))
      yield* Effect.yieldNow()
      yield* SubscriptionRef.update(status, (s): State.Status => ({ ...s, phase: "Connected" }))
      yield* SubscriptionRef.update(
        status,
        (s) => ({ ...s, wanted: State.withChannel(s.wanted, "room", true) })
      )
      assert.strictEqual(yield* Fiber.join(waiting), "room")
      // Checked once now and once per change, never in a loop.
      assert.isAtMost(evaluated, 4)
      assert.strictEqual(yield* State.awaitStatus(status, wants("room")), "room")
    }))

  it.effect("withChannel returns the same set when nothing changes", () =>
    Effect.sync(() => {
      const set = new Set(["a"])
      assert.strictEqual(State.withChannel(set, "a", true), set)
      assert.deepStrictEqual([...State.withChannel(set, "b", true)], ["a", "b"])
      assert.deepStrictEqual([...State.withChannel(set, "a", false)], [])
    }))

  it.effect("backoff doubles per attempt up to max, jittered to 50-100%", () =>
    Effect.gen(function*() {
      const settings = { base: Duration.millis(100), max: Duration.seconds(1) }
      for (const [attempt, full] of [[1, 100], [2, 200], [3, 400], [4, 800], [5, 1000], [9, 1000]] as const) {
        for (let i = 0; i < 20; i++) {
          const ms = Duration.toMillis(yield* State.backoff(settings, attempt))
          assert.isAtLeast(ms, full / 2)
          assert.isAtMost(ms, full)
        }
      }
    }).pipe(Effect.withRandom(Random.make(7))))
})
