import { describe, expect, it } from "@effect/vitest"
import * as Usher from "../../src/playlist/Usher.js"

const token = (kind: "live" | "vod", target: string) => ({
  kind,
  target,
  value: "{\"a\":1}",
  signature: "f00d"
})

describe("Usher.url", () => {
  it("builds the live URL with every parameter", () => {
    const url = new URL(
      Usher.url(token("live", "SomeChannel"), { baseUrl: "https://usher.ttvnw.net", p: 4242 })
    )
    expect(url.origin + url.pathname).toBe("https://usher.ttvnw.net/api/v2/channel/hls/somechannel.m3u8")
    expect(Object.fromEntries(url.searchParams)).toEqual({
      platform: "web",
      p: "4242",
      allow_source: "true",
      allow_audio_only: "true",
      playlist_include_framerate: "true",
      supported_codecs: "h264",
      sig: "f00d",
      token: "{\"a\":1}",
      fast_bread: "true"
    })
  })

  it("builds the VOD URL with nauth/nauthsig and configurable codecs", () => {
    const url = new URL(
      Usher.url(token("vod", "2200000001"), {
        baseUrl: "http://127.0.0.1:9",
        p: 0,
        supportedCodecs: ["av1", "h265", "h264"]
      })
    )
    expect(url.pathname).toBe("/vod/v2/2200000001.m3u8")
    expect(url.searchParams.get("nauthsig")).toBe("f00d")
    expect(url.searchParams.get("nauth")).toBe("{\"a\":1}")
    expect(url.searchParams.get("supported_codecs")).toBe("av1,h265,h264")
    expect(url.searchParams.has("sig")).toBe(false)
    expect(url.searchParams.has("fast_bread")).toBe(false)
  })

  it("encodes odd targets and falls back to h264 for an empty codec list", () => {
    const url = Usher.url(token("live", "a/b"), { baseUrl: "https://u", p: 1, supportedCodecs: [] })
    expect(url).toContain("/api/v2/channel/hls/a%2Fb.m3u8?")
    expect(new URL(url).searchParams.get("supported_codecs")).toBe("h264")
  })
})
