import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { inflateSync } from "node:zlib"
import { get, withMock } from "./client.js"

const PNG = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

const pngSize = (bytes: Uint8Array) => {
  const view = Buffer.from(bytes)
  expect(view.subarray(12, 16).toString("ascii")).toBe("IHDR")
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) }
}

/** Inflates the IDAT data to prove the PNG's pixel stream is complete. */
const pngPixels = (bytes: Uint8Array) => {
  const view = Buffer.from(bytes)
  const parts: Array<Buffer> = []
  let offset = 8
  while (offset < view.length) {
    const length = view.readUInt32BE(offset)
    const type = view.subarray(offset + 4, offset + 8).toString("ascii")
    if (type === "IDAT") parts.push(view.subarray(offset + 8, offset + 8 + length))
    offset += 12 + length
  }
  return inflateSync(Buffer.concat(parts))
}

describe("mock emote CDN", () => {
  it.live("static emotes are real PNGs sized 28/56/112 by scale", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        for (const [scale, size] of [["1.0", 28], ["2.0", 56], ["3.0", 112]] as const) {
          const res = yield* get(`${mock.http.emoteCdnUrl}/25/static/light/${scale}`)
          expect(res.status).toBe(200)
          expect(res.headers.get("content-type")).toBe("image/png")
          expect([...res.bytes.subarray(0, 8)]).toEqual(PNG)
          expect(pngSize(res.bytes)).toEqual({ width: size, height: size })
          expect(pngPixels(res.bytes).length).toBe(size * (size * 3 + 1))
          expect(
            Buffer.from(res.bytes.subarray(res.bytes.length - 8, res.bytes.length - 4)).toString("ascii")
          ).toBe(
            "IEND"
          )
        }
        const light = yield* get(`${mock.http.emoteCdnUrl}/25/static/light/1.0`)
        const dark = yield* get(`${mock.http.emoteCdnUrl}/25/static/dark/1.0`)
        expect(Buffer.from(light.bytes).equals(Buffer.from(dark.bytes))).toBe(false)
      })
    ))

  it.live("animated emotes are GIF89a; default picks animated when there is one, else static", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const animated = (yield* mock.world.globalEmotes).find((e) => e.formats.includes("animated"))!
        expect(animated.id).toMatch(/^emotesv2_[0-9a-f]{32}$/)
        const gif = yield* get(`${mock.http.emoteCdnUrl}/${animated.id}/animated/dark/3.0`)
        expect(gif.status).toBe(200)
        expect(gif.headers.get("content-type")).toBe("image/gif")
        const bytes = Buffer.from(gif.bytes)
        expect(bytes.subarray(0, 6).toString("ascii")).toBe("GIF89a")
        expect(bytes.readUInt16LE(6)).toBe(112)
        expect(bytes.readUInt16LE(8)).toBe(112)
        expect(bytes.includes(Buffer.from("NETSCAPE2.0", "ascii"))).toBe(true)
        expect(bytes[bytes.length - 1]).toBe(0x3B)
        const byDefault = yield* get(`${mock.http.emoteCdnUrl}/${animated.id}/default/light/1.0`)
        expect(byDefault.headers.get("content-type")).toBe("image/gif")
        const staticDefault = yield* get(`${mock.http.emoteCdnUrl}/25/default/light/1.0`)
        expect(staticDefault.headers.get("content-type")).toBe("image/png")
      })
    ))

  it.live("404 for unknown emotes, animated-only requests of static emotes and bad scales or themes", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        for (
          const path of [
            "/999999999/static/light/1.0",
            "/25/animated/light/1.0",
            "/25/static/light/4.0",
            "/25/static/blue/1.0"
          ]
        ) {
          const res = yield* get(`${mock.http.emoteCdnUrl}${path}`)
          expect(res.status).toBe(404)
        }
      })
    ))

  it.live("the old v1 path serves the static picture", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const res = yield* get(`${mock.http.baseUrl}/emoticons/v1/25/2.0`)
        expect(res.headers.get("content-type")).toBe("image/png")
        expect(pngSize(res.bytes)).toEqual({ width: 56, height: 56 })
      })
    ))
})
