/**
 * Running a chat test on `TestClock`: the test body runs in a fiber, and the clock jumps from one
 * pending timer to the next until the body is done, as in a discrete-event simulation. With
 * in-memory connections (`memory.ts`) nothing waits for real time, so a test that covers minutes
 * of reconnects, backoff and limit windows takes milliseconds, and its timing is exact.
 *
 * Before each timer it fires, `TestClock` lets the fibers settle by waiting three times for a real
 * `setTimeout(0)` (at least 1 ms each). Here the body's fibers run on a scheduler of our own
 * instead, so the harness knows when none of them has work left: a step waits exactly until then
 * (a `setImmediate` turn, microseconds), and no sooner.
 */
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Scheduler from "effect/Scheduler"
import * as TestClock from "effect/TestClock"

/** Drains before handing the thread to the event loop (real I/O, timers) once. */
const drainsPerTurn = 2048

/**
 * A first-in first-out scheduler that runs its tasks in microtasks (as Effect's default does) and
 * says whether any are left: the fibers of the body are idle when its queue is empty.
 */
const makeScheduler = () => {
  let tasks: Array<Scheduler.Task> = []
  let scheduled = false
  let drains = 0
  const drain = () => {
    const batch = tasks
    tasks = []
    for (const task of batch) task()
    if (tasks.length === 0) {
      scheduled = false
      drains = 0
    } else if (++drains % drainsPerTurn === 0) setImmediate(drain)
    else queueMicrotask(drain)
  }
  const scheduler = Scheduler.make((task) => {
    tasks.push(task)
    if (scheduled) return
    scheduled = true
    queueMicrotask(drain)
  })
  return { scheduler, idle: () => !scheduled }
}

/**
 * Waits, in event-loop turns, until the scheduler has nothing left to run: every fiber of the body
 * waits for a timer, a queue or a deferred. Used by `TestClock` before it fires each timer. A body
 * that never stops working (a busy loop) is let through after `maxTurns`, as `TestClock` would,
 * so the harness's virtual-time limit still reports it.
 */
const settle = (idle: () => boolean, maxTurns = 100): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    let turns = 0
    let handle = setImmediate(function check() {
      if (idle() || ++turns >= maxTurns) resume(Effect.void)
      else handle = setImmediate(check)
    })
    return Effect.sync(() => clearImmediate(handle))
  })

/**
 * Runs `body` while advancing the `TestClock` to each next timer; fails when `body` has not
 * finished after `limitMillis` of virtual time (a hang, reported instead of waited for).
 */
export const run = <A, E, R>(
  body: Effect.Effect<A, E, R>,
  limitMillis = 15 * 60_000
): Effect.Effect<A, E | Error, R> => {
  const { idle, scheduler } = makeScheduler()
  return Effect.gen(function*() {
    const clock = yield* TestClock.testClock()
    // `TestClock`'s settling step before each timer it fires (three real `setTimeout(0)`s, and a
    // fiber forked and interrupted to warn after 5 s). Kept as it is where its shape changed.
    const settled = settle(idle)
    if ("yieldTimer" in clock && Effect.isEffect(clock.yieldTimer)) Reflect.set(clock, "yieldTimer", settled)
    if ("awaitSuspended" in clock && typeof clock.awaitSuspended === "function") {
      Reflect.set(clock, "awaitSuspended", () => settled)
    }
    const start = yield* Clock.currentTimeMillis
    const fiber = yield* Effect.fork(body)
    let idleSteps = 0
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
      idleSteps = next === Number.POSITIVE_INFINITY ? idleSteps + 1 : 0
      if (idleSteps > 500) {
        yield* Fiber.interrupt(fiber)
        return yield* Effect.fail(new Error("stuck: not done, and no timer pending"))
      }
      // Set, not adjusted by a difference: windows shrunk in tests have fractional milliseconds.
      if (next === Number.POSITIVE_INFINITY) yield* TestClock.adjust(0)
      else yield* TestClock.setTime(Math.max(now, next))
    }
  }).pipe(Effect.withScheduler(scheduler))
}

/** Virtual milliseconds since `start` (read `start` with `Clock.currentTimeMillis`). */
export const since = (start: number): Effect.Effect<number> =>
  Effect.map(Clock.currentTimeMillis, (now) => now - start)
