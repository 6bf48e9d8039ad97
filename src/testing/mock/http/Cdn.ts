/**
 * The mock's emote CDN: `/emoticons/v2/<id>/<format>/<theme>/<scale>` (and the old
 * `/emoticons/v1/<id>/<scale>`) answers real image bytes — a
 * PNG for `static`, an animated GIF89a for `animated` (`default` picks animated when the emote has
 * it) — sized 28, 56 or 112 pixels for scales 1.0, 2.0 and 3.0, colored by emote id and theme.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { deflateSync } from "node:zlib"
import { type Counted, helixError, type RouteContext } from "./shared.js"

const crcTable = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

const crc32 = (bytes: Uint8Array): number => {
  let c = 0xFFFFFFFF
  for (const b of bytes) c = crcTable[(c ^ b) & 0xFF] ^ (c >>> 8)
  return (c ^ 0xFFFFFFFF) >>> 0
}

const chunk = (type: string, data: Uint8Array): Buffer => {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, "ascii")
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/**
 * Encodes a square RGB PNG of `size` pixels: a `fg` disc on a `bg` background.
 *
 * @since 0.1.0
 * @category images
 */
export const png = (
  size: number,
  fg: readonly [number, number, number],
  bg: readonly [number, number, number]
) => {
  const raw = Buffer.alloc(size * (size * 3 + 1))
  const r = size / 2
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1)
    raw[row] = 0
    for (let x = 0; x < size; x++) {
      const inside = (x + 0.5 - r) ** 2 + (y + 0.5 - r) ** 2 <= (r * 0.8) ** 2
      const [cr, cg, cb] = inside ? fg : bg
      raw[row + 1 + x * 3] = cr
      raw[row + 2 + x * 3] = cg
      raw[row + 3 + x * 3] = cb
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // truecolor RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0))
  ])
}

/** LZW-encodes 2-bit pixel indices, clearing the table every two codes so codes stay 3 bits wide. */
const lzw = (pixels: Uint8Array): Buffer => {
  const clear = 4
  const end = 5
  const out: Array<number> = []
  let acc = 0
  let bits = 0
  const emit = (code: number) => {
    acc |= code << bits
    bits += 3
    while (bits >= 8) {
      out.push(acc & 0xFF)
      acc >>>= 8
      bits -= 8
    }
  }
  for (let i = 0; i < pixels.length; i++) {
    if (i % 2 === 0) emit(clear)
    emit(pixels[i])
  }
  emit(end)
  if (bits > 0) out.push(acc & 0xFF)
  const blocks: Array<number> = [2]
  for (let i = 0; i < out.length; i += 255) {
    const part = out.slice(i, i + 255)
    blocks.push(part.length, ...part)
  }
  blocks.push(0)
  return Buffer.from(blocks)
}

/**
 * Encodes a square animated GIF89a of `size` pixels, looping forever: two frames, a `fg` disc
 * growing on a `bg` background.
 *
 * @since 0.1.0
 * @category images
 */
export const gif = (
  size: number,
  fg: readonly [number, number, number],
  bg: readonly [number, number, number]
) => {
  const header = Buffer.alloc(13)
  header.write("GIF89a", 0, "ascii")
  header.writeUInt16LE(size, 6)
  header.writeUInt16LE(size, 8)
  header[10] = 0x80 | 0x01 // global color table, 4 entries (2 bits)
  const palette = Buffer.from([...bg, ...fg, 0, 0, 0, 255, 255, 255])
  const loop = Buffer.from([
    0x21,
    0xFF,
    0x0B,
    ...Buffer.from("NETSCAPE2.0", "ascii"),
    0x03,
    0x01,
    0x00,
    0x00,
    0x00
  ])
  const frames = [0.5, 0.8].map((radius) => {
    const pixels = new Uint8Array(size * size)
    const r = size / 2
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        pixels[y * size + x] = (x + 0.5 - r) ** 2 + (y + 0.5 - r) ** 2 <= (r * radius) ** 2 ? 1 : 0
      }
    }
    const control = Buffer.from([0x21, 0xF9, 0x04, 0x04, 0x32, 0x00, 0x00, 0x00]) // 0.5 s per frame
    const descriptor = Buffer.alloc(10)
    descriptor[0] = 0x2C
    descriptor.writeUInt16LE(size, 5)
    descriptor.writeUInt16LE(size, 7)
    return Buffer.concat([control, descriptor, lzw(pixels)])
  })
  return Buffer.concat([header, palette, loop, ...frames, Buffer.from([0x3B])])
}

const sizes: Record<string, number> = { "1.0": 28, "2.0": 56, "3.0": 112 }

/**
 * The colour of the disc in an emote's picture (from its id), so tests can check what was drawn.
 *
 * @since 0.1.0
 * @category images
 */
export const colorOf = (id: string): readonly [number, number, number] => {
  let h = 2166136261
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619)
  return [(h >>> 16) & 0xFF, (h >>> 8) & 0xFF, h & 0xFF]
}

const image = (kind: "png" | "gif", id: string, theme: "light" | "dark", size: number): Buffer => {
  const bg: readonly [number, number, number] = theme === "dark" ? [24, 24, 27] : [255, 255, 255]
  return kind === "png" ? png(size, colorOf(id), bg) : gif(size, colorOf(id), bg)
}

const emoteImage = (ctx: RouteContext, v1: boolean) =>
  Effect.gen(function*() {
    const params = yield* HttpRouter.params
    // v1 (`/emoticons/v1/<id>/<scale>`, what pytwitcherapi used) serves the static light picture.
    const { format, id, scale, theme } = v1 ? { ...params, format: "static", theme: "light" } : params
    const size = sizes[scale ?? ""]
    const notFound = helixError(404, "Not Found")
    if (id === undefined || size === undefined || (theme !== "light" && theme !== "dark")) return notFound
    const emote = yield* ctx.world.emote(id)
    if (Option.isNone(emote)) return notFound
    const animated = emote.value.formats.includes("animated")
    const kind = format === "static" ? "png" : format === "animated" ?
      (animated ? "gif" : undefined) :
      format === "default"
      ? (animated ? "gif" : "png")
      : undefined
    if (kind === undefined) return notFound
    return HttpServerResponse.uint8Array(image(kind, id, theme, size), {
      contentType: kind === "png" ? "image/png" : "image/gif",
      headers: { "cache-control": "public, max-age=31536000" }
    })
  })

/**
 * The CDN routes (at the server root).
 *
 * @since 0.1.0
 * @category routers
 */
export const routes = (
  ctx: RouteContext,
  counted: Counted
): HttpRouter.HttpRouter<never, HttpServerRequest.HttpServerRequest> =>
  HttpRouter.empty.pipe(
    HttpRouter.get(
      "/emoticons/v2/:id/:format/:theme/:scale",
      counted("GET", "/emoticons/v2/:id/:format/:theme/:scale", emoteImage(ctx, false))
    ),
    HttpRouter.get(
      "/emoticons/v1/:id/:scale",
      counted("GET", "/emoticons/v1/:id/:scale", emoteImage(ctx, true))
    )
  )
