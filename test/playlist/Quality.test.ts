import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Option from "effect/Option"
import * as MasterPlaylist from "../../src/playlist/MasterPlaylist.js"
import * as Quality from "../../src/playlist/Quality.js"
import { fixture } from "./fixtures.js"

const live = Effect.runSync(MasterPlaylist.parse(fixture("live-usher-v2.m3u8"))).variants
const hybrid = Effect.runSync(MasterPlaylist.parse(fixture("live-usher-v2-media.m3u8"))).variants
const pick = (variants: ReadonlyArray<MasterPlaylist.Variant>, quality: string) =>
  Option.getOrUndefined(Option.map(Quality.select(variants, quality), (v) => v.name))

describe("Quality", () => {
  it("lists options source first, audio last, transcodes in Twitch's order", () => {
    expect(Quality.options(live)).toEqual(["source", "720p60", "480p", "360p", "160p", "audio"])
    // Twitch's order is kept for transcodes; source and audio are moved whatever the order served.
    expect(Quality.options([...live].reverse())).toEqual([
      "source",
      "160p",
      "360p",
      "480p",
      "720p60",
      "audio"
    ])
    expect(Quality.options(hybrid)).toEqual(["source", "1080p60", "720p60", "480p", "audio"])
  })

  it("selects source, best, worst and audio", () => {
    expect(pick(live, "source")).toBe("1080p60")
    expect(pick(live, "SOURCE")).toBe("1080p60")
    expect(pick(live, "best")).toBe("1080p60")
    expect(pick(live, "worst")).toBe("160p")
    expect(pick(live, "audio")).toBe("audio_only")
    expect(pick(live, "audio_only")).toBe("audio_only")
    expect(pick(hybrid, "best")).toBe("1440p60")
  })

  it("selects the best variant at or below a height and frame rate", () => {
    expect(pick(live, "720p60")).toBe("720p60")
    // No frame rate means 30 fps, as in Twitch's names: 720p60 is above 720p.
    expect(pick(live, "720p")).toBe("480p")
    expect(pick(live, "1080p30")).toBe("720p60")
    expect(pick(live, "1080p60")).toBe("1080p60")
    expect(pick(live, "4320p120")).toBe("1080p60")
    expect(pick(live, "480p30")).toBe("480p")
    expect(pick(live, "400p")).toBe("360p")
    expect(pick(live, "160p")).toBe("160p")
    expect(pick(live, "144p")).toBeUndefined()
    expect(pick(live, "high")).toBeUndefined()
    expect(pick([], "best")).toBeUndefined()
  })

  it("is dual", () => {
    expect(Option.map(Quality.select("360p")(live), (v) => v.name)).toEqual(Option.some("360p"))
  })

  it("parses requests", () => {
    expect(Quality.parseRequest(" 720P60 ")).toEqual({ _tag: "AtMost", height: 720, fps: 60 })
    expect(Quality.parseRequest("480p")).toEqual({ _tag: "AtMost", height: 480, fps: 30 })
    expect(Quality.parseRequest("chunked")).toEqual({ _tag: "Source" })
    expect(Quality.parseRequest("mobile")).toEqual({ _tag: "Named", name: "mobile" })
  })

  it("recognises restricted qualities by Twitch name", () => {
    expect(Quality.isRestricted("1080p60", ["1080p60", "720p60"])).toBe(true)
    expect(Quality.isRestricted("480p", ["480p30"])).toBe(true)
    expect(Quality.isRestricted("source", ["chunked"])).toBe(true)
    expect(Quality.isRestricted("360p", ["1080p60"])).toBe(false)
    expect(Quality.isRestricted("best", ["1080p60"])).toBe(false)
  })

  it.effect("chooses exact names first, then reports subscriber-only, then at-or-below or Unavailable", () =>
    Effect.gen(function*() {
      const restricted = { variants: live.filter((v) => !v.isSource), restrictedQualities: ["1080p60"] }
      expect((yield* Quality.choose(restricted, "720p60", "chan")).name).toBe("720p60")
      expect((yield* Quality.choose(restricted, "best", "chan")).name).toBe("720p60")
      expect(yield* Effect.flip(Quality.choose(restricted, "1080p60", "chan"))).toMatchObject({
        _tag: "QualityRestricted",
        channel: "chan",
        reason: "SubscriberOnly",
        available: ["720p60", "480p", "360p", "160p", "audio"]
      })
      expect(yield* Effect.flip(Quality.choose(restricted, "120p", "chan"))).toMatchObject({
        reason: "Unavailable"
      })
      // A subscriber's playlist has the quality even though the token still lists it.
      expect(
        (yield* Quality.choose({ variants: live, restrictedQualities: ["1080p60"] }, "1080p60", "c")).isSource
      )
        .toBe(true)
    }))

  it("never selects above the request (property)", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.integer({ min: 100, max: 2200 }),
        FastCheck.constantFrom(30, 60),
        (height, fps) => {
          const chosen = Quality.select(hybrid, `${height}p${fps}`)
          const fitting = hybrid.filter((v) =>
            !v.isAudioOnly &&
            (Option.getOrThrow(v.height) < height ||
              (Option.getOrThrow(v.height) === height && Option.getOrThrow(v.fps) <= fps))
          )
          if (fitting.length === 0) return Option.isNone(chosen)
          const v = Option.getOrThrow(chosen)
          // at or below, and nothing fitting is better
          return fitting.includes(v) && fitting.every((f) => Quality.VariantOrder(f, v) <= 0)
        }
      ),
      { numRuns: 300 }
    )
  })
})
