/**
 * Per-endpoint limits on the TestClock: callers wait for the window, first come first served, and
 * the daily whisper recipients fail before the request.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as EndpointLimits from "../../src/helix/EndpointLimits.js"

/** Starts `count` calls at once and returns when (test time, ms) each one was let through. */
const releases = (
  limit: EndpointLimits.Limit<unknown>,
  calls: ReadonlyArray<EndpointLimits.Call>,
  stepMs: number
) =>
  Effect.gen(function*() {
    const state = yield* EndpointLimits.makeState()
    const start = yield* TestClock.currentTimeMillis
    const times: Array<number> = []
    const fibers = yield* Effect.forEach(calls, (call, i) =>
      Effect.fork(
        Effect.zipRight(
          limit.take(state, call),
          Effect.map(TestClock.currentTimeMillis, (t) => (times[i] = t - start))
        )
      ))
    for (
      let elapsed = 0;
      elapsed < 60 * 60 * 1000 && times.filter((t) => t !== undefined).length < calls.length;
    ) {
      yield* TestClock.adjust(stepMs)
      elapsed += stepMs
    }
    yield* Effect.forEach(fibers, Fiber.join)
    return times
  })

const call = (operation: string, params: Record<string, unknown>): EndpointLimits.Call => ({
  operation,
  params
})

describe("EndpointLimits", () => {
  it("finds the earliest moment that keeps every window under its count", () => {
    const windows = [{ count: 3, millis: 1000 }, { count: 5, millis: 60_000 }]
    expect(EndpointLimits.earliest([], 10, windows)).toBe(10)
    expect(EndpointLimits.earliest([0, 100, 200], 300, windows)).toBe(1000)
    expect(EndpointLimits.earliest([0, 100, 200, 1000, 1100], 1200, windows)).toBe(60_000)
    expect(EndpointLimits.earliest([500], 100, windows)).toBe(500)
  })

  it.effect("announcements: one per 2 s per channel, other channels not held up", () =>
    Effect.gen(function*() {
      const limit = EndpointLimits.byOperation["send-chat-announcement"]
      const times = yield* releases(limit, [
        call("send-chat-announcement", { broadcaster_id: "1" }),
        call("send-chat-announcement", { broadcaster_id: "1" }),
        call("send-chat-announcement", { broadcaster_id: "2" }),
        call("send-chat-announcement", { broadcaster_id: "1" })
      ], 100)
      expect(times).toEqual([0, 2000, 0, 4000])
    }))

  it.effect("shoutouts: 2 min per channel, the same target again only after 60 min", () =>
    Effect.gen(function*() {
      const limit = EndpointLimits.byOperation["send-a-shoutout"]
      const times = yield* releases(limit, [
        call("send-a-shoutout", { from_broadcaster_id: "1", to_broadcaster_id: "7" }),
        call("send-a-shoutout", { from_broadcaster_id: "1", to_broadcaster_id: "8" }),
        call("send-a-shoutout", { from_broadcaster_id: "1", to_broadcaster_id: "7" })
      ], 60_000)
      expect(times).toEqual([0, 120_000, 3_600_000])
    }))

  it.effect("moderators: 10 per 10 s per channel; raids 10 per 10 min", () =>
    Effect.gen(function*() {
      const mods = yield* releases(
        EndpointLimits.byOperation["add-channel-moderator"],
        Array.from({ length: 12 }, () => call("add-channel-moderator", { broadcaster_id: "1" })),
        100
      )
      expect(mods.slice(9)).toEqual([0, 10_000, 10_000])
      const raids = yield* releases(
        EndpointLimits.byOperation["start-a-raid"],
        Array.from({ length: 11 }, () => call("start-a-raid", { from_broadcaster_id: "1" })),
        60_000
      )
      expect(raids[10]).toBe(600_000)
    }))

  it.effect("whispers: 3 per second and 100 per minute", () =>
    Effect.gen(function*() {
      const times = yield* releases(
        EndpointLimits.byOperation["send-whisper"],
        Array.from({ length: 101 }, () => call("send-whisper", { from_user_id: "1", to_user_id: "2" })),
        1000
      )
      expect(times.slice(0, 7)).toEqual([0, 0, 0, 1000, 1000, 1000, 2000])
      expect(times[100]).toBe(60_000)
    }))

  it.effect("whispers to a 41st new recipient in a day fail before the request; old ones still pass", () =>
    Effect.gen(function*() {
      const state = yield* EndpointLimits.makeState()
      const limit = EndpointLimits.byOperation["send-whisper"]
      const whisper = (to: number) =>
        limit.take(state, call("send-whisper", { from_user_id: "1", to_user_id: `${to}` }))
      for (let to = 0; to < EndpointLimits.maxWhisperRecipients; to++) {
        const fiber = yield* Effect.fork(whisper(to))
        yield* TestClock.adjust(1000)
        yield* Fiber.join(fiber)
      }
      const refused = yield* Effect.flip(whisper(999))
      expect(refused._tag).toBe("LimitExceeded")
      expect(refused.retryAfter.getTime()).toBe(24 * 60 * 60 * 1000)
      const again = yield* Effect.fork(whisper(3))
      yield* TestClock.adjust(1000)
      expect(Option.isSome(yield* Fiber.poll(again))).toBe(true)
      yield* TestClock.adjust(24 * 60 * 60 * 1000)
      yield* whisper(999)
    }))
})
