import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Emotes from "../../src/playlist/Emotes.js"
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
  })
})

describe("Emotes against a loopback CDN", () => {
  it.scopedLive("downloads a picture and checks it is a real image", () =>
    Effect.gen(function*() {
      const emotes = yield* Emotes.Emotes
      const url = emotes.url("25", { format: "static", scale: 3 })
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/emoticons\/v2\/25\/static\/dark\/3\.0$/)
      const picture = yield* emotes.picture("25", { format: "static", scale: 3 })
      expect(picture.kind).toBe("png")
      expect(Array.from(picture.bytes.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
      expect(picture.bytes).toEqual(FakeTwitch.png)
      expect(picture.contentType).toEqual(Option.some("image/png"))
      expect(picture.url).toBe(url)
      const animated = yield* emotes.picture(v2Id, { format: "animated", theme: "light" })
      expect(animated.kind).toBe("gif")
      const [first] = yield* FakeTwitch.seen
      expect(first!.headers["user-agent"]).toContain("effect-twitcher")
    }).pipe(Effect.provide(withEmotes)))

  it.scopedLive("fails with HttpError 404 for an unknown emote or a missing animation", () =>
    Effect.gen(function*() {
      const emotes = yield* Emotes.Emotes
      const unknown = yield* Effect.flip(emotes.picture("999999999"))
      expect(unknown).toMatchObject({ _tag: "HttpError", status: 404 })
      const notAnimated = yield* Effect.flip(emotes.picture("25", { format: "animated" }))
      expect(notAnimated).toMatchObject({ _tag: "HttpError", status: 404 })
    }).pipe(Effect.provide(withEmotes)))

  it.scopedLive("fails with DecodeError when the CDN answers something that is not an image", () =>
    Effect.gen(function*() {
      const emotes = yield* Emotes.Emotes
      const error = yield* Effect.flip(emotes.picture("html"))
      expect(error._tag).toBe("DecodeError")
      expect(error.message).toContain("not an image")
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
