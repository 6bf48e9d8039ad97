import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as MasterPlaylist from "../../src/playlist/MasterPlaylist.js"
import { fixture, withoutWireIds } from "./fixtures.js"

const summary = (playlist: MasterPlaylist.MasterPlaylist) =>
  playlist.variants.map((v) => ({
    name: v.name,
    quality: v.quality,
    isSource: v.isSource,
    isAudioOnly: v.isAudioOnly,
    resolution: Option.getOrUndefined(Option.map(v.resolution, (r) => `${r.width}x${r.height}`)),
    frameRate: Option.getOrUndefined(v.frameRate),
    codecs: v.codecs.join(",")
  }))

const liveLadder = [
  {
    name: "1080p60",
    quality: "source",
    isSource: true,
    isAudioOnly: false,
    resolution: "1920x1080",
    frameRate: 60,
    codecs: "avc1.64002A,mp4a.40.2"
  },
  {
    name: "720p60",
    quality: "720p60",
    isSource: false,
    isAudioOnly: false,
    resolution: "1280x720",
    frameRate: 60,
    codecs: "avc1.4D401F,mp4a.40.2"
  },
  {
    name: "480p",
    quality: "480p",
    isSource: false,
    isAudioOnly: false,
    resolution: "852x480",
    frameRate: 30,
    codecs: "avc1.4D401F,mp4a.40.2"
  },
  {
    name: "360p",
    quality: "360p",
    isSource: false,
    isAudioOnly: false,
    resolution: "640x360",
    frameRate: 30,
    codecs: "avc1.4D401F,mp4a.40.2"
  },
  {
    name: "160p",
    quality: "160p",
    isSource: false,
    isAudioOnly: false,
    resolution: "284x160",
    frameRate: 30,
    codecs: "avc1.4D401F,mp4a.40.2"
  },
  {
    name: "audio_only",
    quality: "audio",
    isSource: false,
    isAudioOnly: true,
    resolution: undefined,
    frameRate: undefined,
    codecs: "mp4a.40.2"
  }
]

describe("MasterPlaylist.parse", () => {
  it.effect("parses the usher v1 shape (EXT-X-MEDIA names)", () =>
    Effect.gen(function*() {
      const playlist = yield* MasterPlaylist.parse(fixture("live-usher-v1.m3u8"))
      expect(playlist.shape).toBe("media")
      expect(summary(playlist)).toEqual(liveLadder)
      const source = playlist.variants[0]!
      expect(source.bandwidth).toBe(8042999)
      expect(source.url).toBe("https://video-weaver.fra05.hls.ttvnw.net/v1/playlist/CpkFsource.m3u8")
      expect(playlist.info["NODE"]).toBe("video-edge-c2a1b4.fra05")
      expect(playlist.info["USER-COUNTRY"]).toBe("DE")
      expect(playlist.restrictedQualities).toEqual([])
    }))

  it.effect("parses the usher v2 shape (IVS-NAME / STABLE-VARIANT-ID) to the same variants", () =>
    Effect.gen(function*() {
      const v1 = yield* MasterPlaylist.parse(fixture("live-usher-v1.m3u8"))
      const v2 = yield* MasterPlaylist.parse(fixture("live-usher-v2.m3u8"))
      expect(v2.shape).toBe("ivs")
      expect(summary(v2)).toEqual(summary(v1))
      expect(v2.variants[0]!.bandwidth).toBe(9146586)
      expect(v2.info).toEqual({
        NODE: "video-edge-c2a1b4.fra05",
        "SERVER-TIME": "1790000000.12",
        "USER-COUNTRY": "DE"
      })
    }))

  it.effect("parses a VOD in both shapes to identical variants (Source and IVS-NAME=audio)", () =>
    Effect.gen(function*() {
      const v1 = yield* MasterPlaylist.parse(fixture("vod-usher-v1.m3u8"))
      const v2 = yield* MasterPlaylist.parse(fixture("vod-usher-v2.m3u8"))
      expect(v1.variants.map((v) => v.name)).toEqual(["1080p60", "720p60", "480p", "160p", "audio_only"])
      expect(v1.variants[0]!.isSource).toBe(true)
      expect(v1.variants[0]!.quality).toBe("source")
      expect(withoutWireIds(v2.variants)).toEqual(withoutWireIds(v1.variants))
      expect(v1.variants.every((v) => Option.isNone(v.stableVariantId))).toBe(true)
      expect(v2.variants.map((v) => Option.getOrNull(v.stableVariantId))).toEqual(
        ["chunked", "720p60", "480p30", "160p30", "audio_only"]
      )
      expect(v1.info["ORIGIN"]).toBe("s3")
      expect(v2.info["ORIGIN"]).toBe("s3")
    }))

  it.effect("parses the 2026 v2 capture with SESSION-DATA plus EXT-X-MEDIA and an HEVC source", () =>
    Effect.gen(function*() {
      const playlist = yield* MasterPlaylist.parse(fixture("live-usher-v2-media.m3u8"))
      expect(playlist.shape).toBe("media")
      expect(playlist.variants.map((v) => v.quality)).toEqual([
        "source",
        "1080p60",
        "720p60",
        "480p",
        "audio"
      ])
      const source = playlist.variants[0]!
      expect(source.name).toBe("1440p60")
      expect(source.codecs).toEqual(["hev1.1.2.L150.90", "mp4a.40.2"])
      expect(source.height).toEqual(Option.some(1440))
      expect(playlist.info["USER-COUNTRY"]).toBe("NL")
    }))

  it.effect("skips unusable variants, resolves relative URLs against the playlist URL", () =>
    Effect.gen(function*() {
      const logged: Array<string> = []
      const collector = Logger.make(({ annotations, message }) => {
        logged.push(`${String(message)} ${JSON.stringify(Object.fromEntries(annotations))}`)
      })
      const playlist = yield* MasterPlaylist.parse(fixture("broken-variants.m3u8"), {
        url: "https://usher.example/api/v2/channel/hls/x.m3u8?token=secret"
      }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, collector)))
      expect(playlist.variants.map((v) => v.name)).toEqual(["480p"])
      expect(logged).toHaveLength(2)
      expect(logged[0]).toContain("no BANDWIDTH")
      expect(logged[1]).toContain("no name")
      expect(playlist.variants[0]!.url).toBe("https://usher.example/api/v2/channel/relative/480p30.m3u8")
      expect(playlist.url).toEqual(
        Option.some("https://usher.example/api/v2/channel/hls/x.m3u8?token=secret")
      )
    }))

  it.effect("fails with DecodeError on a media playlist, HTML, and an empty body", () =>
    Effect.gen(function*() {
      const media = yield* Effect.flip(MasterPlaylist.parse(fixture("media-playlist.m3u8")))
      expect(media._tag).toBe("DecodeError")
      expect(media.detail).toContain("media playlist")
      const html = yield* Effect.flip(
        MasterPlaylist.parse("<html>Not found</html>", {
          url: "https://usher.example/x.m3u8?token=secret&sig=abc"
        })
      )
      expect(html.detail).toContain("#EXTM3U")
      expect(html.request?.url).toBe("https://usher.example/x.m3u8")
      const empty = yield* Effect.flip(MasterPlaylist.parse(""))
      expect(empty._tag).toBe("DecodeError")
      const noVariant = yield* Effect.flip(
        MasterPlaylist.parse("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\n\n")
      )
      expect(noVariant._tag).toBe("DecodeError")
    }))

  it("normalizes names from both shapes", () => {
    expect(MasterPlaylist.normalizeName("1080p60 (source)")).toBe("1080p60")
    expect(MasterPlaylist.normalizeName("Audio Only")).toBe("audio_only")
    expect(MasterPlaylist.normalizeName("audio")).toBe("audio_only")
    expect(MasterPlaylist.normalizeName("Source")).toBe("source")
    expect(
      MasterPlaylist.normalizeName(
        "Source",
        Option.some(new MasterPlaylist.Resolution({ width: 1280, height: 720 })),
        Option.some(30)
      )
    ).toBe("720p")
    expect(
      MasterPlaylist.normalizeName(
        "chunked",
        Option.some(new MasterPlaylist.Resolution({ width: 1920, height: 1080 })),
        Option.some(59.94)
      )
    )
      .toBe("1080p60")
    expect(MasterPlaylist.normalizeName("high")).toBe("high")
  })
})

const row = (v: MasterPlaylist.Variant) =>
  [
    v.name,
    v.quality,
    Option.getOrNull(Option.map(v.resolution, (r) => `${r.width}x${r.height}`)),
    Option.getOrNull(v.videoCodec),
    v.portrait,
    v.isSource
  ] as const

describe("MasterPlaylist.parse with enhanced broadcasting and several codecs", () => {
  it.effect("names portrait renditions apart and picks one landscape source", () =>
    Effect.gen(function*() {
      const playlist = yield* MasterPlaylist.parse(fixture("live-enhanced-broadcasting.m3u8"))
      expect(playlist.shape).toBe("ivs")
      // Twitch's IVS-NAME is `1080p60` for both 1080x1920 and 1920x1080, and every rendition
      // (audio too) is flagged as the source.
      expect(playlist.variants.map(row)).toEqual([
        ["1080p60-portrait", "1080p60-portrait", "1080x1920", "h264", true, true],
        ["1080p60", "source", "1920x1080", "h264", false, true],
        ["720p60", "720p60", "1280x720", "h264", false, true],
        ["480p-portrait", "480p-portrait", "480x852", "h264", true, true],
        ["480p", "480p", "852x480", "h264", false, true],
        ["360p-portrait", "360p-portrait", "360x640", "h264", true, true],
        ["360p", "360p", "640x360", "h264", false, true],
        ["audio_only", "audio", null, null, false, true]
      ])
      expect(playlist.variants.map((v) => Option.getOrNull(v.stableVariantId))).toEqual([
        "1080p60_vertical",
        "1080p60",
        "720p60",
        "480p30_vertical",
        "480p30",
        "360p30_vertical",
        "360p30",
        "audio_only"
      ])
      const portrait = playlist.variants[0]!
      expect(portrait.shortSide).toEqual(Option.some(1080))
      expect(portrait.height).toEqual(Option.some(1920))
      expect(portrait.fps).toEqual(Option.some(60))
      expect(portrait.url).toBe("https://fra06.playlist.live-video.net/v1/playlist/EbV1080p60.m3u8")
    }))

  it.effect("names renditions of one quality in several codecs by codec, H.264 keeping the name", () =>
    Effect.gen(function*() {
      const playlist = yield* MasterPlaylist.parse(fixture("live-multi-codec.m3u8"))
      expect(playlist.shape).toBe("media")
      expect(playlist.variants.map(row)).toEqual([
        ["1440p60", "source", "2560x1440", "h265", false, true],
        ["1080p60-av1", "1080p60-av1", "1920x1080", "av1", false, false],
        ["1080p60-h265", "1080p60-h265", "1920x1080", "h265", false, false],
        ["1080p60", "1080p60", "1920x1080", "h264", false, false],
        ["720p60-av1", "720p60-av1", "1280x720", "av1", false, false],
        ["720p60", "720p60", "1280x720", "h264", false, false],
        ["480p", "480p", "852x480", "h264", false, false],
        ["360p", "360p", "640x360", "h264", false, false],
        ["160p", "160p", "284x160", "h264", false, false],
        ["audio_only", "audio", null, null, false, false]
      ])
      expect(playlist.variants[1]!.fps).toEqual(Option.some(60))
      expect(playlist.variants[1]!.shortSide).toEqual(Option.some(1080))
    }))

  it.effect("the same ladder in the v1 shape (EXT-X-MEDIA names) gets the same names", () =>
    Effect.gen(function*() {
      const v2 = yield* MasterPlaylist.parse(fixture("live-enhanced-broadcasting.m3u8"))
      // Rewritten as usher v1 would serve it: NAME="<name> (source)", GROUP-ID per rendition.
      const v1 = ["#EXTM3U"]
      for (const v of v2.variants) {
        const group = Option.getOrThrow(v.stableVariantId)
        const plain = v.isAudioOnly ? "audio_only" : v.name.replace(/-portrait$/, "")
        const twitchName = v.isSource ? `${plain} (source)` : plain
        const size = Option.match(v.resolution, {
          onNone: () => "",
          onSome: (r) => `,RESOLUTION=${r.width}x${r.height}`
        })
        const rate = Option.match(v.frameRate, { onNone: () => "", onSome: (f) => `,FRAME-RATE=${f}` })
        v1.push(
          `#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID="${group}",NAME="${twitchName}",AUTOSELECT=YES,DEFAULT=YES`,
          `#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth}${size},CODECS="${
            v.codecs.join(",")
          }",VIDEO="${group}"${rate}`,
          v.url
        )
      }
      const parsed = yield* MasterPlaylist.parse(v1.join("\n"))
      expect(parsed.shape).toBe("media")
      expect(parsed.variants.map(row)).toEqual(v2.variants.map(row))
    }))

  it.effect("a VIDEO group naming several renditions does not lend one name to all", () =>
    Effect.gen(function*() {
      const playlist = yield* MasterPlaylist.parse([
        "#EXTM3U",
        `#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID="chunked",NAME="1080p60 (source)",AUTOSELECT=YES,DEFAULT=YES`,
        `#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID="chunked",NAME="720p60 (source)",AUTOSELECT=YES,DEFAULT=YES`,
        `#EXT-X-STREAM-INF:BANDWIDTH=8000000,RESOLUTION=1920x1080,CODECS="avc1.64002A,mp4a.40.2",VIDEO="chunked",FRAME-RATE=60.000`,
        "https://edge.example/a.m3u8",
        `#EXT-X-STREAM-INF:BANDWIDTH=3000000,RESOLUTION=720x1280,CODECS="avc1.4D401F,mp4a.40.2",VIDEO="chunked",FRAME-RATE=60.000`,
        "https://edge.example/b.m3u8"
      ].join("\n"))
      expect(playlist.variants.map((v) => [v.name, v.quality])).toEqual([
        ["1080p60", "source"],
        ["720p60-portrait", "720p60-portrait"]
      ])
    }))

  it("derives names from the short side of a portrait resolution", () => {
    expect(
      MasterPlaylist.normalizeName(
        "chunked",
        Option.some(new MasterPlaylist.Resolution({ width: 1080, height: 1920 })),
        Option.some(60)
      )
    ).toBe("1080p60")
  })
})

// Renders the same ladder in either shape, as usher would.
interface Rung {
  readonly height: number
  readonly fps: 30 | 60
  readonly bandwidth: number
}
const nameOf = (r: Rung) => (r.fps === 30 ? `${r.height}p` : `${r.height}p${r.fps}`)
const render = (rungs: ReadonlyArray<Rung>, shape: "media" | "ivs"): string => {
  const lines = ["#EXTM3U"]
  rungs.forEach((r, i) => {
    const source = i === 0
    const name = nameOf(r)
    const group = source ? "chunked" : `${r.height}p${r.fps}`
    const res = `RESOLUTION=${Math.round(r.height * 16 / 9)}x${r.height}`
    const common = `BANDWIDTH=${r.bandwidth},${res},CODECS="avc1.4D401F,mp4a.40.2",FRAME-RATE=${r.fps}.000`
    if (shape === "media") {
      lines.push(
        `#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID="${group}",NAME="${
          source ? `${name} (source)` : name
        }",AUTOSELECT=YES,DEFAULT=YES`
      )
      lines.push(`#EXT-X-STREAM-INF:${common},VIDEO="${group}"`)
    } else {
      lines.push(
        `#EXT-X-STREAM-INF:${common},STABLE-VARIANT-ID="${group}",IVS-NAME="${name}",IVS-VARIANT-SOURCE="${
          source ? "source" : "transcode"
        }"`
      )
    }
    lines.push(`https://edge.example/${group}.m3u8`)
  })
  if (shape === "media") {
    lines.push(`#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID="audio_only",NAME="Audio Only",AUTOSELECT=NO,DEFAULT=NO`)
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=160000,CODECS="mp4a.40.2",VIDEO="audio_only"`)
  } else {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=160000,CODECS="mp4a.40.2",STABLE-VARIANT-ID="audio_only",IVS-NAME="audio_only",IVS-VARIANT-SOURCE="transcode"`
    )
  }
  lines.push("https://edge.example/audio_only.m3u8")
  return lines.join("\n") + "\n"
}

const rungArb = FastCheck.record({
  height: FastCheck.integer({ min: 144, max: 2160 }),
  fps: FastCheck.constantFrom(30 as const, 60 as const),
  bandwidth: FastCheck.integer({ min: 100_000, max: 20_000_000 })
})

describe("MasterPlaylist.parse properties", () => {
  it("both shapes of any ladder parse to the same variants", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.array(rungArb, { minLength: 1, maxLength: 8 }), (rungs) => {
        const media = Effect.runSync(MasterPlaylist.parse(render(rungs, "media")))
        const ivs = Effect.runSync(MasterPlaylist.parse(render(rungs, "ivs")))
        expect(withoutWireIds(ivs.variants)).toEqual(withoutWireIds(media.variants))
        // Names are unique: a rung served twice is Twitch's name plus `_alt`, as streamlink names it.
        const names = media.variants.map((v) => v.name)
        expect(new Set(names).size).toBe(names.length)
        expect(names.map((n) => n.replace(/_alt\d*$/, ""))).toEqual([...rungs.map(nameOf), "audio_only"])
        expect(media.variants.filter((v) => v.isSource).length).toBe(1)
        expect(media.variants.map((v) => v.bandwidth)).toEqual([...rungs.map((r) => r.bandwidth), 160000])
      }),
      { numRuns: 200 }
    )
  })

  it("never throws on arbitrary input: a playlist or a DecodeError", () => {
    const lineArb = FastCheck.oneof(
      FastCheck.string(),
      FastCheck.constantFrom(
        "#EXT-X-STREAM-INF:BANDWIDTH=1,IVS-NAME=\"x\"",
        "#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID=\"chunked\"",
        "#EXT-X-STREAM-INF:",
        "#EXT-X-SESSION-DATA:DATA-ID=\"A\"",
        "#EXT-X-TWITCH-INFO:",
        "https://x/y.m3u8",
        "#EXTINF:2.0,live"
      )
    )
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(lineArb, { maxLength: 12 }),
        FastCheck.boolean(),
        (lines, header) => {
          const text = (header ? ["#EXTM3U", ...lines] : lines).join("\n")
          const result = Effect.runSync(
            Effect.either(MasterPlaylist.parse(text)).pipe(Logger.withMinimumLogLevel(LogLevel.None))
          )
          if (Either.isLeft(result)) expect(result.left._tag).toBe("DecodeError")
          else expect(result.right.variants.length).toBeGreaterThan(0)
        }
      ),
      { numRuns: 300 }
    )
  })
})
