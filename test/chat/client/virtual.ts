/**
 * Running a chat test on `TestClock`: the test body runs in a fiber, and the clock jumps from one
 * pending timer to the next until the body is done, as in a discrete-event simulation. With
 * in-memory connections (`memory.ts`) nothing waits for real time, so a test that covers minutes
 * of reconnects, backoff and limit windows takes milliseconds, and its timing is exact.
 */
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"

/**
 * Runs `body` while advancing the `TestClock` to each next timer; fails when `body` has not
 * finished after `limitMillis` of virtual time (a hang, reported instead of waited for).
 */
export const run = <A, E, R>(
  body: Effect.Effect<A, E, R>,
  limitMillis = 15 * 60_000
): Effect.Effect<A, E | Error, R> =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const fiber = yield* Effect.fork(body)
    let idle = 0
    for (;;) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) return yield* done.value
      const now = yield* Clock.currentTimeMillis
      if (now - start > limitMillis) {
        yield* Fiber.interrupt(fiber)
        return yield* Effect.fail(new Error(`not done after ${limitMillis} ms of virtual time`))
      }
      const sleeps = yield* TestClock.sleeps()
      if (process.env.VIRTUAL_DEBUG) {
        console.log(
          "virtual",
          now - start,
          "sleeps",
          Chunk.size(sleeps),
          Chunk.toReadonlyArray(sleeps).slice(0, 5).map((t) => t - start)
        )
      }
      const next = Chunk.reduce(sleeps, Number.POSITIVE_INFINITY, (min, at) => Math.min(min, at))
      // No timer pending: the fibers are busy with in-memory I/O; let them run (a while).
      idle = next === Number.POSITIVE_INFINITY ? idle + 1 : 0
      if (idle > 500) {
        yield* Fiber.interrupt(fiber)
        return yield* Effect.fail(new Error("stuck: not done, and no timer pending"))
      }
      // Set, not adjusted by a difference: windows shrunk in tests have fractional milliseconds.
      if (next === Number.POSITIVE_INFINITY) yield* TestClock.adjust(0)
      else yield* TestClock.setTime(Math.max(now, next))
    }
  })

/** Virtual milliseconds since `start` (read `start` with `Clock.currentTimeMillis`). */
export const since = (start: number): Effect.Effect<number> =>
  Effect.map(Clock.currentTimeMillis, (now) => now - start)
