/**
 * A heartbeat for tests of code that could freeze the process (issue #17): a fiber ticks every
 * `tickMs` and records the longest gap between two ticks, which a test checks against a bound.
 *
 * A frozen process runs no fiber, timer or test timeout of its own, so a watchdog thread (with its
 * own event loop) watches the ticks too: when none came for `watchdogMs` it writes why to stderr
 * and kills the test process. Vitest (pool `forks`) then reports the file as failed instead of
 * waiting forever.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { Worker } from "node:worker_threads"

/** What a running heartbeat reports. */
export interface Heartbeat {
  /** The longest gap between two ticks so far, in milliseconds. */
  readonly maxGap: Effect.Effect<number>
  /** Fails when a gap between two ticks went over `boundMs`. */
  readonly check: Effect.Effect<void, Error>
}

/** The watchdog thread: plain JavaScript, run with `eval` (no test transform reaches a worker). */
const watchdogSource = `
const { workerData } = require("node:worker_threads")
const fs = require("node:fs")
const ticks = new Int32Array(workerData.buffer)
let last = Atomics.load(ticks, 0)
let since = performance.now()
setInterval(() => {
  const now = performance.now()
  const current = Atomics.load(ticks, 0)
  if (current !== last) {
    last = current
    since = now
    return
  }
  if (current > 0 && now - since > workerData.watchdogMs) {
    fs.writeSync(2, "\\nheartbeat: the test process ran no timer for " + Math.round(now - since) +
      " ms (frozen event loop); " + workerData.label + "; killing it\\n")
    process.kill(process.pid, "SIGKILL")
  }
}, 50)
`

/**
 * Starts a heartbeat in the scope: the ticking fiber and the watchdog thread stop with it.
 */
export const start = (options: {
  /** Shown when the watchdog kills the process. */
  readonly label: string
  readonly tickMs?: number | undefined
  /** Longest accepted gap between two ticks (default 1,500 ms: a loaded machine pauses). */
  readonly boundMs?: number | undefined
  /** Silence after which the watchdog kills the process (default 8 s). */
  readonly watchdogMs?: number | undefined
}): Effect.Effect<Heartbeat, never, Scope.Scope> =>
  Effect.gen(function*() {
    const tickMs = options.tickMs ?? 10
    const boundMs = options.boundMs ?? 1_500
    const buffer = new SharedArrayBuffer(4)
    const ticks = new Int32Array(buffer)
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        const worker = new Worker(watchdogSource, {
          eval: true,
          workerData: { buffer, watchdogMs: options.watchdogMs ?? 8_000, label: options.label }
        })
        worker.unref()
        return worker
      }),
      (worker) => Effect.promise(() => worker.terminate())
    )
    let maxGap = 0
    let last = yield* Clock.currentTimeMillis
    yield* Effect.forkScoped(Effect.forever(
      Effect.zipRight(
        Effect.sleep(tickMs),
        Effect.map(Clock.currentTimeMillis, (now) => {
          maxGap = Math.max(maxGap, now - last)
          last = now
          Atomics.add(ticks, 0, 1)
        })
      )
    ))
    const gap = Effect.map(Clock.currentTimeMillis, (now) => Math.max(maxGap, now - last))
    return {
      maxGap: gap,
      check: Effect.flatMap(gap, (g) =>
        g > boundMs
          ? Effect.fail(
            new Error(`the process stopped for ${g} ms (bound ${boundMs} ms): a fiber did not yield`)
          )
          : Effect.void)
    }
  })
