import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Emotes from "../../src/playlist/Emotes.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as FakeTwitch from "./fakeTwitch.js"

const withEmotes = Emotes.layer().pipe(Layer.provideMerge(FakeTwitch.layer))
const v2Id = "emotesv2_0123456789abcdef0123456789abcdef"

describe("Emotes.url", () => {
  it("builds CDN v2 URLs with defaults default/dark/1.0", () => {
    expect(Emotes.url("25")).toBe("https://static-cdn.jtvnw.net/emoticons/v2/25/default/dark/1.0")
    expect(Emotes.url(v2Id, { format: "animated", theme: "light", scale: "3.0" })).toBe(
      `https://static-cdn.jtvnw.net/emoticons/v2/${v2Id}/animated/light/3.0`
    )
    // pytwitcherapi's numeric sizes
    expect(Emotes.url("25", { scale: 2, format: "static" })).toBe(
      "https://static-cdn.jtvnw.net/emoticons/v2/25/static/dark/2.0"
    )
    expect(Emotes.url("a/b?c", { baseUrl: "http://127.0.0.1:1/emoticons/v2/" })).toBe(
      "http://127.0.0.1:1/emoticons/v2/a%2Fb%3Fc/default/dark/1.0"
    )
  })

  it("sniffs image kinds from their header", () => {
    expect(Emotes.sniff(FakeTwitch.png)).toEqual(Option.some("png"))
    expect(Emotes.sniff(FakeTwitch.gif)).toEqual(Option.some("gif"))
    expect(Emotes.sniff(Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50])))
      .toEqual(
        Option.some("webp")
      )
    expect(Emotes.sniff(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual(Option.some("jpeg"))
    expect(Emotes.sniff(new TextEncoder().encode("<html>"))).toEqual(Option.none())
    expect(Emotes.sniff(new Uint8Array())).toEqual(Option.none())
    expect(Emotes.dimensions(FakeTwitch.png)).toEqual(Option.some({ width: 1, height: 1 }))
    expect(Emotes.dimensions(FakeTwitch.gif)).toEqual(Option.some({ width: 1, height: 1 }))
    expect(Emotes.dimensions(FakeTwitch.png.slice(0, 20))).toEqual(Option.none())
  })
})

const onMock = Emotes.layer().pipe(
  Layer.provideMerge(MockTwitch.layerTwitchConfig),
  Layer.provideMerge(MockTwitch.layer({ irc: false })),
  Layer.provide(NodeHttpClient.layerUndici)
)

describe("Emotes against MockTwitch's CDN", () => {
  it.scopedLive("downloads real PNG pictures at 28, 56 and 112 px, dark and light", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const emotes = yield* Emotes.Emotes
      const url = emotes.url("25", { format: "static", scale: 3 })
      expect(url).toBe(`${mock.http.emoteCdnUrl}/25/static/dark/3.0`)
      for (const [scale, px] of [["1.0", 28], ["2.0", 56], ["3.0", 112]] as const) {
        const picture = yield* emotes.picture("25", { format: "static", scale })
        expect(picture.kind).toBe("png")
        expect(Array.from(picture.bytes.slice(0, 8))).toEqual([
          0x89,
          0x50,
          0x4e,
          0x47,
          0x0d,
          0x0a,
          0x1a,
          0x0a
        ])
        expect(Emotes.dimensions(picture.bytes)).toEqual(Option.some({ width: px, height: px }))
        expect(picture.contentType).toEqual(Option.some("image/png"))
      }
      const dark = yield* emotes.picture("25", { theme: "dark" })
      const light = yield* emotes.picture("25", { theme: "light" })
      expect(light.bytes).not.toEqual(dark.bytes)
      expect(light.url).toBe(`${mock.http.emoteCdnUrl}/25/default/light/1.0`)
    }).pipe(Effect.provide(onMock)))

  it.scopedLive("downloads an animated emote as a GIF (animated and default), by its emotesv2 id", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const emotes = yield* Emotes.Emotes
      const glitch = (yield* mock.world.globalEmotes).find((e) => e.formats.includes("animated"))!
      expect(glitch.id).toMatch(/^emotesv2_[0-9a-f]{32}$/)
      const animated = yield* emotes.picture(glitch.id, { format: "animated", scale: "2.0" })
      expect(animated.kind).toBe("gif")
      expect(new TextDecoder().decode(animated.bytes.slice(0, 6))).toBe("GIF89a")
      expect(Emotes.dimensions(animated.bytes)).toEqual(Option.some({ width: 56, height: 56 }))
      expect((yield* emotes.picture(glitch.id)).kind).toBe("gif")
      expect((yield* emotes.picture(glitch.id, { format: "static" })).kind).toBe("png")
    }).pipe(Effect.provide(onMock)))

  it.scopedLive("fails with HttpError 404 for an unknown emote or a missing animation", () =>
    Effect.gen(function*() {
      const emotes = yield* Emotes.Emotes
      const unknown = yield* Effect.flip(emotes.picture("999999999"))
      expect(unknown).toMatchObject({ _tag: "HttpError", status: 404 })
      const notAnimated = yield* Effect.flip(emotes.picture("25", { format: "animated" }))
      expect(notAnimated).toMatchObject({ _tag: "HttpError", status: 404 })
    }).pipe(Effect.provide(onMock)))

  it.scopedLive("maps a dropped CDN connection to TransportError", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const emotes = yield* Emotes.Emotes
      yield* mock.control.drop({ surface: "cdn" })
      expect(yield* Effect.flip(emotes.picture("25"))).toMatchObject({ _tag: "TransportError" })
    }).pipe(Effect.provide(onMock)))
})

describe("Emotes against a scripted CDN", () => {
  it.scopedLive("fails with DecodeError when the CDN answers something that is not an image", () =>
    Effect.gen(function*() {
      const emotes = yield* Emotes.Emotes
      const error = yield* Effect.flip(emotes.picture("html"))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("not an image")
      const ok = yield* emotes.picture("25", { format: "static" })
      expect(ok.bytes).toEqual(FakeTwitch.png)
      const [first] = yield* FakeTwitch.seen
      expect(first!.headers["user-agent"]).toContain("effect-twitcher")
    }).pipe(Effect.provide(withEmotes)))
})

describe("Emotes.layerTest", () => {
  it.effect("serves given pictures and 404s the rest", () =>
    Effect.gen(function*() {
      const emotes = yield* Emotes.Emotes
      const picture = yield* emotes.picture("1", { scale: "2.0" })
      expect(picture.kind).toBe("gif")
      expect(yield* Effect.flip(emotes.picture("2"))).toMatchObject({ _tag: "HttpError", status: 404 })
    }).pipe(Effect.provide(Emotes.layerTest({ "1": FakeTwitch.gif }))))
})
