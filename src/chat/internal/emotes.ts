/**
 * Decoding of the `emotes` tag (`id:start-end,start-end/id2:start-end`). Twitch counts positions
 * in Unicode code points; JS strings index UTF-16 units, so each occurrence also gets the UTF-16
 * offsets to slice the text with.
 *
 * @internal
 */
import type { Emote } from "../TwitchMessage.js"

/** A non-negative integer in `s[start, end)`, or -1. */
const readInt = (s: string, start: number, end: number): number => {
  if (start >= end || end - start > 9) return -1
  let n = 0
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}

const noEmotes: ReadonlyArray<Emote> = Object.freeze([])

/**
 * Decodes the emote tag for `text`, sorted by position. Ranges are clamped to the text: one that
 * starts past the end is dropped, one that ends past it is cut at the end; malformed entries are
 * skipped.
 */
export const decodeEmotes = (spec: string | undefined, text: string): ReadonlyArray<Emote> => {
  if (spec === undefined || spec.length === 0) return noEmotes
  const ids: Array<string> = []
  const starts: Array<number> = []
  const ends: Array<number> = []
  const len = spec.length
  let i = 0
  while (i < len) {
    let slash = spec.indexOf("/", i)
    if (slash < 0) slash = len
    const colon = spec.indexOf(":", i)
    if (colon > i && colon < slash) {
      const id = spec.slice(i, colon)
      let r = colon + 1
      while (r < slash) {
        let comma = spec.indexOf(",", r)
        if (comma < 0 || comma > slash) comma = slash
        const dash = spec.indexOf("-", r)
        if (dash > r && dash < comma) {
          const start = readInt(spec, r, dash)
          const end = readInt(spec, dash + 1, comma)
          if (start >= 0 && end >= start) {
            // insertion keeps the list sorted by start (lists are short)
            let at = starts.length
            while (at > 0 && starts[at - 1] > start) at--
            ids.splice(at, 0, id)
            starts.splice(at, 0, start)
            ends.splice(at, 0, end)
          }
        }
        r = comma + 1
      }
    }
    i = slash + 1
  }
  if (ids.length === 0) return noEmotes
  const out: Array<Emote> = []
  const tlen = text.length
  // walk the text once, counting code points (`cp`) and UTF-16 units (`u`)
  let cp = 0
  let u = 0
  for (let k = 0; k < ids.length; k++) {
    const start = starts[k]
    if (start < cp) {
      // overlapping ranges: restart the walk
      cp = 0
      u = 0
    }
    while (cp < start && u < tlen) {
      u += isPair(text, u) ? 2 : 1
      cp++
    }
    if (u >= tlen) break
    const utf16Start = u
    const end = ends[k]
    while (cp <= end && u < tlen) {
      u += isPair(text, u) ? 2 : 1
      cp++
    }
    out.push({
      id: ids[k],
      name: text.slice(utf16Start, u),
      start,
      end: cp - 1,
      utf16Start,
      utf16End: u
    })
  }
  return out
}

const isPair = (text: string, u: number): boolean => {
  const c = text.charCodeAt(u)
  if (c < 0xd800 || c > 0xdbff) return false
  const d = text.charCodeAt(u + 1)
  return d >= 0xdc00 && d <= 0xdfff
}
