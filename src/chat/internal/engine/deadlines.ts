/**
 * The send timeouts of one client on a single timer: a fiber that sleeps until the earliest
 * deadline still running, fires it, and ends when none is left. A send that gets its answer
 * cancels its deadline, which leaves nothing alive: no sleeper or timer per message (on
 * `TestClock` an interrupted sleep stays in its list until its time, so one per message made
 * every timer fired re-sort hundreds of them).
 *
 * Every deadline is now plus the client's `sendTimeout`, so they come in order; one that would
 * come earlier than the last (a clock set back) is fired when the timer next wakes.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as State from "./state.js"

interface Entry {
  readonly at: number
  readonly fire: Effect.Effect<void>
  done: boolean
}

interface Timer {
  readonly due: Array<Entry>
  running: boolean
}

const timers = new WeakMap<State.State, Timer>()

const run = (timer: Timer): Effect.Effect<void> =>
  Effect.gen(function*() {
    for (;;) {
      while (timer.due.length > 0 && timer.due[0].done) timer.due.shift()
      const head = timer.due[0]
      if (head === undefined) return
      const now = yield* Clock.currentTimeMillis
      if (head.at > now) {
        yield* Effect.sleep(Duration.millis(head.at - now))
        continue
      }
      timer.due.shift()
      head.done = true
      yield* head.fire
    }
  }).pipe(Effect.ensuring(Effect.sync(() => (timer.running = false))))

/**
 * Runs `fire` after `duration` unless the returned cancel is called first (see the module doc).
 * The timer lives in the client's fiber scope.
 */
export const schedule = (
  state: State.State,
  duration: Duration.DurationInput,
  fire: Effect.Effect<void>
): Effect.Effect<() => void> =>
  Effect.gen(function*() {
    const entry: Entry = {
      at: (yield* Clock.currentTimeMillis) + Duration.toMillis(duration),
      fire,
      done: false
    }
    let timer = timers.get(state)
    if (timer === undefined) {
      timer = { due: [], running: false }
      timers.set(state, timer)
    }
    timer.due.push(entry)
    if (!timer.running) {
      timer.running = true
      yield* Effect.forkIn(run(timer), state.fibers)
    }
    return () => {
      entry.done = true
    }
  })
