import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import * as Events from "../overlay/events.js"
import { cli, type Recorder, runWith } from "./support.js"

describe("twitcher overlay", () => {
  it.live(
    "serves the overlay of the mock's most watched channel until interrupted: page, live events",
    () =>
      Effect.gen(function*() {
        const recorder: Recorder = { out: [], err: [], status: [] }
        const fiber = yield* Effect.fork(runWith(["overlay", "--mock", "--json", "--lines", "5"], recorder))
        const line = yield* Effect.suspend(() =>
          recorder.out.length > 0 ? Effect.succeed(recorder.out[0]) : Effect.fail("not yet")
        ).pipe(Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 400 }))
        const started = JSON.parse(line) as { channel: string; url: string }
        expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
        expect(started.channel).toMatch(/^[a-z0-9_]+$/)

        const page = yield* Effect.tryPromise(() => fetch(started.url))
        const html = yield* Effect.tryPromise(() => page.text())
        expect(page.headers.get("content-security-policy")).toContain("script-src 'self'")
        expect(html).toContain(`#${started.channel} chat overlay`)
        expect(html).toContain(`data-lines="5"`)

        const stream = yield* Events.read(`${started.url}events`, 2)
        expect(stream.type).toBe("text/event-stream")
        expect(stream.data).toHaveLength(2)
        expect(stream.data.every((e) => typeof e === "object" && e !== null && "type" in e)).toBe(true)

        yield* Fiber.interrupt(fiber)
        const closed = yield* Effect.either(Effect.tryPromise(() => fetch(started.url)))
        expect(closed._tag).toBe("Left")
      }),
    60_000
  )

  it.effect("refuses a channel that is not a login", () =>
    Effect.gen(function*() {
      const result = yield* cli(["overlay", "--mock", "not a login!"])
      expect(result.code).toBe(2)
      expect(result.err).toContain("is not a channel login")
    }))
})
