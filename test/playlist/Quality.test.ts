import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Option from "effect/Option"
import type * as Codec from "../../src/playlist/Codec.js"
import * as MasterPlaylist from "../../src/playlist/MasterPlaylist.js"
import * as Quality from "../../src/playlist/Quality.js"
import { enhancedOptions, fixture, multiCodecOptions } from "./fixtures.js"

const live = Effect.runSync(MasterPlaylist.parse(fixture("live-usher-v2.m3u8"))).variants
const hybrid = Effect.runSync(MasterPlaylist.parse(fixture("live-usher-v2-media.m3u8"))).variants
const pick = (variants: ReadonlyArray<MasterPlaylist.Variant>, quality: string) =>
  Option.getOrUndefined(Option.map(Quality.select(variants, quality), (v) => v.name))

describe("Quality", () => {
  it("lists options by name: the source first, audio_only last, transcodes in Twitch's order", () => {
    expect(Quality.options(live)).toEqual(["1080p60", "720p60", "480p", "360p", "160p", "audio_only"])
    // Twitch's order is kept for transcodes; source and audio are moved whatever the order served.
    expect(Quality.options([...live].reverse())).toEqual([
      "1080p60",
      "160p",
      "360p",
      "480p",
      "720p60",
      "audio_only"
    ])
    expect(Quality.options(hybrid)).toEqual(["1440p60", "1080p60", "720p60", "480p", "audio_only"])
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
    expect(Quality.parseRequest("720p60-Portrait")).toEqual({
      _tag: "AtMost",
      height: 720,
      fps: 60,
      portrait: true
    })
    expect(Quality.parseRequest("1080p-hevc")).toEqual({
      _tag: "AtMost",
      height: 1080,
      fps: 30,
      codec: "h265"
    })
    expect(Quality.parseRequest("1080p60-portrait-av1")).toEqual({
      _tag: "AtMost",
      height: 1080,
      fps: 60,
      portrait: true,
      codec: "av1"
    })
    expect(Quality.parseRequest("best-portrait")).toEqual({ _tag: "Best", portrait: true })
    expect(Quality.parseRequest("worst")).toEqual({ _tag: "Worst" })
    expect(Quality.parseRequest("1080p60_alt")).toEqual({ _tag: "Named", name: "1080p60_alt" })
  })

  it("recognises restricted qualities by Twitch name", () => {
    expect(Quality.isRestricted("1080p60", ["1080p60", "720p60"])).toBe(true)
    expect(Quality.isRestricted("480p", ["480p30"])).toBe(true)
    expect(Quality.isRestricted("source", ["chunked"])).toBe(true)
    expect(Quality.isRestricted("360p", ["1080p60"])).toBe(false)
    expect(Quality.isRestricted("best", ["1080p60"])).toBe(false)
    // Our suffixes name the same Twitch quality.
    expect(Quality.isRestricted("1080p60-portrait", ["1080p60"])).toBe(true)
    expect(Quality.isRestricted("720p60-av1", ["720p60"])).toBe(true)
    expect(Quality.isRestricted("720p60-av1", ["1080p60"])).toBe(false)
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
        available: ["720p60", "480p", "360p", "160p", "audio_only"]
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

const enhanced = Effect.runSync(MasterPlaylist.parse(fixture("live-enhanced-broadcasting.m3u8"))).variants
const multi = Effect.runSync(MasterPlaylist.parse(fixture("live-multi-codec.m3u8"))).variants
const url = (
  variants: ReadonlyArray<MasterPlaylist.Variant>,
  quality: string,
  options?: Quality.SelectOptions
) => Option.getOrUndefined(Option.map(Quality.select(variants, quality, options), (v) => v.url))
const chosen = (variants: ReadonlyArray<MasterPlaylist.Variant>, quality: string) =>
  Effect.map(Quality.choose({ variants, restrictedQualities: [] }, quality, "c"), (v) => v.name)

describe("Quality with enhanced broadcasting (portrait beside landscape)", () => {
  it("lists every rendition once by a unique name, the landscape source first", () => {
    expect(Quality.options(enhanced)).toEqual(enhancedOptions)
  })

  it("prefers landscape for source, best, worst and a resolution; -portrait asks for portrait", () => {
    const edge = "https://fra06.playlist.live-video.net/v1/playlist/"
    // The portrait 1080p60 is listed first and carries more bandwidth: it must not win.
    expect(url(enhanced, "source")).toBe(`${edge}EbL1080p60.m3u8`)
    expect(url(enhanced, "best")).toBe(`${edge}EbL1080p60.m3u8`)
    expect(url(enhanced, "1080p60")).toBe(`${edge}EbL1080p60.m3u8`)
    expect(url(enhanced, "4320p120")).toBe(`${edge}EbL1080p60.m3u8`)
    expect(url(enhanced, "720p")).toBe(`${edge}EbL480p30.m3u8`)
    expect(url(enhanced, "worst")).toBe(`${edge}EbL360p30.m3u8`)
    expect(url(enhanced, "1080p60-portrait")).toBe(`${edge}EbV1080p60.m3u8`)
    expect(url(enhanced, "best-portrait")).toBe(`${edge}EbV1080p60.m3u8`)
    // No 720p60 portrait rendition: the best portrait one below it.
    expect(url(enhanced, "720p60-portrait")).toBe(`${edge}EbV480p30.m3u8`)
    expect(url(enhanced, "worst-portrait")).toBe(`${edge}EbV360p30.m3u8`)
    expect(url(enhanced, "200p-portrait")).toBeUndefined()
    expect(url(enhanced, "audio")).toBe(`${edge}EbAudio.m3u8`)
  })

  it.effect("chooses every option back by its name, and a portrait one by its STABLE-VARIANT-ID", () =>
    Effect.gen(function*() {
      for (const name of Quality.options(enhanced)) expect(yield* chosen(enhanced, name)).toBe(name)
      expect(yield* chosen(enhanced, "1080p60_vertical")).toBe("1080p60-portrait")
      expect(yield* chosen(enhanced, "480P-PORTRAIT")).toBe("480p-portrait")
    }))

  it("a portrait-only stream still answers a plain resolution", () => {
    const portraitOnly = enhanced.filter((v) => v.portrait || v.isAudioOnly)
    expect(Option.map(Quality.select(portraitOnly, "720p"), (v) => v.name)).toEqual(
      Option.some("480p-portrait")
    )
    expect(Option.map(Quality.select(portraitOnly, "source"), (v) => v.name)).toEqual(
      Option.some("1080p60-portrait")
    )
  })
})

describe("Quality with AV1 and HEVC transcodes beside H.264", () => {
  it("lists every rendition once and ends with audio_only", () => {
    expect(Quality.options(multi)).toEqual(multiCodecOptions)
    expect(multiCodecOptions.at(-1)).toBe("audio_only")
  })

  it.effect("a name picks its rendition whatever the preference; a codec suffix pins the codec", () =>
    Effect.gen(function*() {
      for (const name of Quality.options(multi)) expect(yield* chosen(multi, name)).toBe(name)
      expect(pick(multi, "1080p60-hevc")).toBe("1080p60-h265")
      expect(pick(multi, "1080p-av1")).toBe("720p60-av1")
      expect(pick(multi, "720p60-h265")).toBeUndefined()
      const preferAv1 = yield* Quality.choose(
        { variants: multi, restrictedQualities: [] },
        "1080p60",
        "c",
        { preferredCodecs: ["av1"] }
      )
      expect(preferAv1.name).toBe("1080p60")
    }))

  it("breaks ties between codecs of one size and frame rate by preference, H.264 first by default", () => {
    const name = (quality: string, preferredCodecs?: ReadonlyArray<Codec.Codec>) =>
      Option.getOrUndefined(
        Option.map(Quality.select(multi, quality, preferredCodecs ? { preferredCodecs } : {}), (v) => v.name)
      )
    expect(name("1080p")).toBe("720p60")
    expect(name("1080p", ["av1", "h265", "h264"])).toBe("720p60-av1")
    expect(name("1200p")).toBe("1080p60")
    expect(name("1200p", ["h265"])).toBe("1080p60-h265")
    expect(name("1200p", ["av1"])).toBe("1080p60-av1")
    // Size comes before codec: the HEVC 1440p60 is the best whatever the preference.
    expect(name("best", ["h264"])).toBe("1440p60")
    expect(name("source")).toBe("1440p60")
    expect(name("worst", ["av1"])).toBe("160p")
    expect(Option.map(Quality.select("1080p", { preferredCodecs: ["av1"] })(multi), (v) => v.name)).toEqual(
      Option.some("720p60-av1")
    )
  })
})

// Random ladders mixing portrait, landscape and codecs, rendered as usher v2 with Twitch's names.
const rendition = FastCheck.record({
  height: FastCheck.constantFrom(160, 360, 480, 720, 1080, 1440),
  fps: FastCheck.constantFrom(30, 60),
  portrait: FastCheck.boolean(),
  codec: FastCheck.constantFrom("avc1.64002A", "hev1.1.6.L150.90", "av01.0.09M.08"),
  source: FastCheck.boolean(),
  bandwidth: FastCheck.integer({ min: 100_000, max: 12_000_000 })
})

const renderMixed = (
  rungs: ReadonlyArray<typeof rendition extends FastCheck.Arbitrary<infer A> ? A : never>
) => {
  const lines = ["#EXTM3U"]
  rungs.forEach((r, i) => {
    const long = Math.round(r.height * 16 / 9)
    const size = r.portrait ? `${r.height}x${long}` : `${long}x${r.height}`
    const name = r.fps === 30 ? `${r.height}p` : `${r.height}p${r.fps}`
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${r.bandwidth},RESOLUTION=${size},CODECS="${r.codec},mp4a.40.2",` +
        `FRAME-RATE=${r.fps}.000,STABLE-VARIANT-ID="v${i}",IVS-NAME="${name}",` +
        `IVS-VARIANT-SOURCE="${r.source ? "source" : "transcode"}"`,
      `https://edge.example/v${i}.m3u8`
    )
  })
  lines.push(
    `#EXT-X-STREAM-INF:BANDWIDTH=160000,CODECS="mp4a.40.2",STABLE-VARIANT-ID="audio_only",IVS-NAME="audio_only",IVS-VARIANT-SOURCE="source"`,
    "https://edge.example/audio.m3u8"
  )
  return lines.join("\n")
}

describe("Quality properties on mixed ladders", () => {
  it("names are unique, options end with audio_only and each picks its own rendition back", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.array(rendition, { minLength: 1, maxLength: 10 }), (rungs) => {
        const variants = Effect.runSync(MasterPlaylist.parse(renderMixed(rungs))).variants
        const names = variants.map((v) => v.name)
        expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length)
        const listed = Quality.options(variants)
        expect(listed.at(-1)).toBe("audio_only")
        // Renditions differ in bandwidth or URL only by chance: none is dropped unless identical.
        expect(listed.length).toBe(
          new Set(
            variants.map((v) =>
              JSON.stringify([v.resolution, v.frameRate, v.codecs, v.bandwidth, v.isSource])
            )
          )
            .size
        )
        for (const name of listed) {
          const v = Effect.runSync(Quality.choose({ variants, restrictedQualities: [] }, name, "c"))
          expect(v.name).toBe(name)
        }
        expect(variants.filter((v) => v.quality === "source").length).toBe(
          rungs.some((r) => r.source) ? 1 : 0
        )
        // Landscape first: best is portrait only when the stream has no landscape rendition.
        const best = Option.getOrThrow(Quality.select(variants, "best"))
        expect(best.portrait).toBe(rungs.every((r) => r.portrait))
      }),
      { numRuns: 300 }
    )
  })
})
