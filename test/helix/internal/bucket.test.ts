import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import * as HelixRateLimit from "../../../src/helix/HelixRateLimit.js"
import { bucketed } from "../../../src/helix/internal/bucket.js"
import type { Answer } from "../../../src/internal/http/failure.js"

const request = HttpClientRequest.get("https://api.twitch.tv/helix/users")

const answer = (status: number, headers: Record<string, string>): Answer => ({
  status,
  headers,
  text: "",
  info: () => ({ method: "GET", url: request.url })
})

/** A bucket part over a fresh limiter, and an attempt that counts its runs and answers `reply`. */
const setup = (reply: (run: number) => Effect.Effect<Answer>, max429 = 5) =>
  Effect.gen(function*() {
    const limiter = yield* HelixRateLimit.make({ initialLimit: 800 })
    const runs = yield* Ref.make(0)
    const attempt = Effect.flatMap(Ref.updateAndGet(runs, (n) => n + 1), reply)
    const around = bucketed({ limiter, max429, endpointOf: () => "/users" }, "user:1")
    return { limiter, runs, call: around(attempt, request) }
  })

describe("helix/internal/bucket bucketed", () => {
  it.effect("answers a 429 with points left at once (not the bucket), nothing waited", () =>
    Effect.gen(function*() {
      const { call, runs } = yield* setup(() =>
        Effect.succeed(answer(429, { "ratelimit-limit": "800", "ratelimit-remaining": "5" }))
      )
      const fiber = yield* Effect.fork(call)
      yield* TestClock.adjust(0)
      const done = yield* Fiber.poll(fiber)
      expect(Option.map(done, (exit) => exit._tag === "Success" && exit.value.status)).toEqual(
        Option.some(429)
      )
      expect(yield* Ref.get(runs)).toBe(1)
    }))

  it.effect("waits an empty bucket's 429 out until Ratelimit-Reset and sends again, at most max429 times", () =>
    Effect.gen(function*() {
      const { call, runs } = yield* setup(() =>
        Effect.map(
          Effect.clockWith((clock) => clock.currentTimeMillis),
          (now) =>
            answer(429, {
              "ratelimit-limit": "800",
              "ratelimit-remaining": "0",
              "ratelimit-reset": String(Math.ceil(now / 1000) + 2)
            })
        ), 2)
      const fiber = yield* Effect.fork(call)
      yield* TestClock.adjust(0)
      expect(yield* Ref.get(runs)).toBe(1)
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      for (let i = 0; i < 10 && Option.isNone(yield* Fiber.poll(fiber)); i++) {
        yield* TestClock.adjust("1 second")
      }
      const last = yield* Fiber.join(fiber)
      expect(last.status).toBe(429)
      // The first answer and two more after waiting: `max429` is 2.
      expect(yield* Ref.get(runs)).toBe(3)
    }))

  it.effect("gives the point back when the attempt is interrupted mid-request", () =>
    Effect.gen(function*() {
      const { call, limiter } = yield* setup(() => Effect.never)
      const fiber = yield* Effect.fork(call)
      yield* TestClock.adjust(0)
      const during = yield* limiter.state("user:1")
      expect(Option.map(during, (b) => b.inFlight)).toEqual(Option.some(1))
      yield* Fiber.interrupt(fiber)
      const after = yield* limiter.state("user:1")
      expect(Option.map(after, (b) => b.inFlight)).toEqual(Option.some(0))
    }))

  it.effect("settles the point from the answer's headers", () =>
    Effect.gen(function*() {
      const { call, limiter } = yield* setup(() =>
        Effect.succeed(answer(200, { "ratelimit-limit": "800", "ratelimit-remaining": "17" }))
      )
      expect((yield* call).status).toBe(200)
      const state = yield* limiter.state("user:1")
      expect(Option.map(state, (b) => [b.inFlight, Math.floor(b.tokens)])).toEqual(Option.some([0, 17]))
    }))
})
