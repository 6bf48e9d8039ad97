/**
 * A tiny WebP encoder for the mock's 7TV pictures: lossless (VP8L) squares of two colours — a
 * disc on a background, with an alpha channel — each channel coded with a "simple" prefix code of
 * at most two symbols (one bit per channel per pixel), no transforms, no colour cache. Animated
 * pictures are an extended file (`VP8X` + `ANIM` + one `ANMF` frame per disc size), looping.
 *
 * @since 0.1.0
 */

type Rgba = readonly [number, number, number, number]

/** Writes bits least significant first, as VP8L reads them. */
const bitWriter = () => {
  const bytes: Array<number> = []
  let acc = 0
  let count = 0
  return {
    write: (value: number, bits: number) => {
      for (let i = 0; i < bits; i++) {
        acc |= ((value >>> i) & 1) << count
        count++
        if (count === 8) {
          bytes.push(acc)
          acc = 0
          count = 0
        }
      }
    },
    done: (): Buffer => Buffer.from(count > 0 ? [...bytes, acc] : bytes)
  }
}

/** The VP8L bitstream of a square: `fg` inside a disc of radius `radius` (share of half the side). */
const vp8l = (size: number, fg: Rgba, bg: Rgba, radius: number): Buffer => {
  const w = bitWriter()
  w.write(0x2f, 8) // signature
  w.write(size - 1, 14)
  w.write(size - 1, 14)
  w.write(1, 1) // alpha is used
  w.write(0, 3) // version
  w.write(0, 1) // no transform
  w.write(0, 1) // no colour cache
  w.write(0, 1) // no meta prefix codes
  // Channel order of the codes and of each pixel: green, red, blue, alpha; then distance.
  const channels = [1, 0, 2, 3] as const
  const symbols = channels.map((c) => [...new Set([fg[c], bg[c]])].sort((a, b) => a - b))
  for (const list of symbols) {
    w.write(1, 1) // simple code
    w.write(list.length - 1, 1)
    w.write(1, 1) // first symbol in 8 bits
    w.write(list[0], 8)
    if (list.length === 2) w.write(list[1], 8)
  }
  w.write(1, 1) // distance: simple code, one symbol (never read)
  w.write(0, 1)
  w.write(0, 1)
  w.write(0, 1)
  const r = size / 2
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const color = (x + 0.5 - r) ** 2 + (y + 0.5 - r) ** 2 <= (r * radius) ** 2 ? fg : bg
      // Two symbols: code 0 is the smaller, 1 the larger (canonical); one symbol takes no bits.
      channels.forEach((c, i) => {
        if (symbols[i].length === 2) w.write(color[c] === symbols[i][0] ? 0 : 1, 1)
      })
    }
  }
  return w.done()
}

const chunk = (type: string, data: Buffer): Buffer => {
  const head = Buffer.alloc(8)
  head.write(type, 0, "ascii")
  head.writeUInt32LE(data.length, 4)
  return Buffer.concat([head, data, data.length % 2 === 1 ? Buffer.from([0]) : Buffer.alloc(0)])
}

const riff = (chunks: ReadonlyArray<Buffer>): Buffer => {
  const body = Buffer.concat([Buffer.from("WEBP", "ascii"), ...chunks])
  const head = Buffer.alloc(8)
  head.write("RIFF", 0, "ascii")
  head.writeUInt32LE(body.length, 4)
  return Buffer.concat([head, body])
}

const uint24 = (n: number): Array<number> => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff]

/**
 * A square WebP of `size` pixels: an opaque `fg` disc on a transparent `bg`; with `animated`, two
 * frames of 500 ms (the disc grows), looping forever.
 *
 * @since 0.1.0
 * @category images
 */
export const webp = (
  size: number,
  fg: readonly [number, number, number],
  animated = false
): Buffer => {
  const front: Rgba = [...fg, 255]
  const back: Rgba = [0, 0, 0, 0]
  if (!animated) return riff([chunk("VP8L", vp8l(size, front, back, 0.8))])
  const header = Buffer.from([0x10 | 0x02, 0, 0, 0, ...uint24(size - 1), ...uint24(size - 1)]) // alpha, animation
  const anim = Buffer.from([0, 0, 0, 0, 0, 0]) // transparent background, loop forever
  const frames = [0.5, 0.8].map((radius) =>
    chunk(
      "ANMF",
      Buffer.concat([
        Buffer.from([
          ...uint24(0),
          ...uint24(0),
          ...uint24(size - 1),
          ...uint24(size - 1),
          ...uint24(500),
          0x02
        ]),
        chunk("VP8L", vp8l(size, front, back, radius))
      ])
    )
  )
  return riff([chunk("VP8X", header), chunk("ANIM", anim), ...frames])
}
