/**
 * Reads one pixel of a PNG screenshot (8-bit RGB or RGBA, not interlaced: what Chromium writes),
 * so the browser test can check the colours actually drawn.
 */
import { inflateSync } from "node:zlib"

/** The RGB colour at (x, y). */
export const pixel = (png: Uint8Array, x: number, y: number): readonly [number, number, number] => {
  const bytes = Buffer.from(png)
  let at = 8
  let width = 0
  let height = 0
  let channels = 0
  const data: Array<Buffer> = []
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at)
    const type = bytes.toString("ascii", at + 4, at + 8)
    const body = bytes.subarray(at + 8, at + 8 + length)
    if (type === "IHDR") {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      if (body[8] !== 8 || body[12] !== 0 || (body[9] !== 2 && body[9] !== 6)) {
        throw new Error("only 8-bit RGB/RGBA PNGs without interlacing are read")
      }
      channels = body[9] === 6 ? 4 : 3
    } else if (type === "IDAT") data.push(body)
    at += 12 + length
  }
  if (x < 0 || y < 0 || x >= width || y >= height) {
    throw new Error(`(${x}, ${y}) is outside ${width}x${height}`)
  }
  const raw = inflateSync(Buffer.concat(data))
  const stride = width * channels
  let previous = new Uint8Array(stride)
  let line = new Uint8Array(stride)
  for (let row = 0; row <= y; row++) {
    const filter = raw[row * (stride + 1)]
    const source = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1))
    line = new Uint8Array(stride)
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels] : 0
      const b = previous[i]
      const c = i >= channels ? previous[i - channels] : 0
      const p = a + b - c
      const pa = Math.abs(p - a)
      const pb = Math.abs(p - b)
      const pc = Math.abs(p - c)
      const predicted = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ?
        (a + b) >> 1 :
        pa <= pb && pa <= pc ?
        a :
        pb <= pc ?
        b :
        c
      line[i] = (source[i] + predicted) & 0xFF
    }
    previous = line
  }
  return [line[x * channels], line[x * channels + 1], line[x * channels + 2]]
}
