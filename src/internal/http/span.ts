/**
 * The spans of the library's calls. `Effect.withSpan` ends a span with the effect's exit, and
 * Effect's own tracer keeps that exit on the ended span: a Get Streams call's span held its page of
 * 100 decoded streams. Measured: spans kept a call's answer alive past later calls (through
 * references the young-generation collector has to follow), so most of each answer was copied to
 * the old generation, 100-190 KB per call, and collecting cost more than decoding. These spans end
 * with `Exit.void` on success (a failure keeps its cause: that is what a trace is read for), and
 * never capture a stack trace.
 *
 * @since 0.1.0
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import type * as Tracer from "effect/Tracer"

/**
 * Runs `effect` in a new span (a child of the current one), ended with `Exit.void` on success and
 * the failure's exit otherwise, on the fiber's `Clock`.
 *
 * @since 0.1.0
 * @category tracing
 */
export const withSpan = (name: string, options: Omit<Tracer.SpanOptions, "captureStackTrace">) => {
  const made = Effect.makeSpan(name, { ...options, captureStackTrace: false })
  return <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(
      made,
      (span) =>
        Effect.onExit(Effect.withParentSpan(effect, span), (exit) =>
          Effect.withFiberRuntime<void>((fiber) => {
            if (span.status._tag === "Started") {
              const timed = fiber.getFiberRef(FiberRef.currentTracerTimingEnabled)
              const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
              span.end(
                timed ? clock.unsafeCurrentTimeNanos() : BigInt(0),
                Exit.isSuccess(exit) ? Exit.void : exit
              )
            }
            return Effect.void
          }))
    )
}
