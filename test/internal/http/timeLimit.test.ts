import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import * as HttpPipeline from "../../../src/internal/http/pipeline.js"

describe("the pipeline's time limit", () => {
  it.effect("its sleeper ends with the call, also when the call runs uninterruptibly (a finalizer)", () =>
    Effect.gen(function*() {
      const limited = HttpPipeline.timeLimit(Duration.seconds(30))
      // A completed attempt's scope is left alone: only a sleeper still alive at 30 s closes it.
      const closedLate: Array<string> = []
      const attempt = (name: string) =>
        Effect.as(Effect.addFinalizer(() => Effect.sync(() => closedLate.push(name))), name)
      expect(yield* limited(attempt("plain"))).toBe("plain")
      expect(yield* Effect.uninterruptible(limited(attempt("in a finalizer")))).toBe("in a finalizer")
      yield* TestClock.adjust("31 seconds")
      expect(closedLate).toEqual([])
    }))
})
