/**
 * Decoding of the `emotes` tag (`id:start-end,start-end/id2:start-end`). Twitch counts positions
 * in Unicode code points; JS strings index UTF-16 units, so each occurrence also gets the UTF-16
 * offsets to slice the text with.
 *
 * @internal
 */
import type { Emote } from "../TwitchMessage.js"

/** The empty emote list, shared. */
export const noEmotes: ReadonlyArray<Emote> = Object.freeze([])

// Scratch space reused across calls (decoding is synchronous): ids and ranges as parsed.
const ids: Array<string> = []
const starts: Array<number> = []
const ends: Array<number> = []

/** A non-negative integer in `s[start, end)`, or -1. */
const readIndex = (s: string, start: number, end: number): number => {
  if (start >= end || end - start > 9) return -1
  let n = 0
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}

/**
 * Decodes the emote tag for `text`, sorted by position. Ranges are clamped to the text: one that
 * starts past the end is dropped, one that ends past it is cut at the end; malformed entries are
 * skipped.
 */
export const decodeEmotes = (spec: string | undefined, text: string): ReadonlyArray<Emote> => {
  if (spec === undefined || spec.length === 0) return noEmotes
  let n = 0
  let sorted = true
  const len = spec.length
  let i = 0
  while (i < len) {
    let slash = spec.indexOf("/", i)
    if (slash < 0) slash = len
    let colon = i
    while (colon < slash && spec.charCodeAt(colon) !== 58) colon++
    if (colon > i && colon < slash) {
      const id = spec.slice(i, colon)
      let r = colon + 1
      while (r < slash) {
        let comma = r
        let dash = -1
        for (; comma < slash; comma++) {
          const c = spec.charCodeAt(comma)
          if (c === 44) break
          if (c === 45 && dash < 0) dash = comma
        }
        if (dash > r) {
          const start = readIndex(spec, r, dash)
          const end = readIndex(spec, dash + 1, comma)
          if (start >= 0 && end >= start) {
            if (n > 0 && starts[n - 1] > start) sorted = false
            ids[n] = id
            starts[n] = start
            ends[n] = end
            n++
          }
        }
        r = comma + 1
      }
    }
    i = slash + 1
  }
  if (n === 0) return noEmotes
  if (!sorted) sortScratch(n)
  const out: Array<Emote> = []
  const tlen = text.length
  // walk the text once, counting code points (`cp`) and UTF-16 units (`u`)
  let cp = 0
  let u = 0
  for (let k = 0; k < n; k++) {
    const start = starts[k]
    if (start < cp) {
      // overlapping ranges: restart the walk
      cp = 0
      u = 0
    }
    while (cp < start && u < tlen) {
      const c = text.charCodeAt(u)
      u += c >= 0xd800 && c <= 0xdbff && isLow(text.charCodeAt(u + 1)) ? 2 : 1
      cp++
    }
    if (u >= tlen) break
    const utf16Start = u
    const end = ends[k]
    while (cp <= end && u < tlen) {
      const c = text.charCodeAt(u)
      u += c >= 0xd800 && c <= 0xdbff && isLow(text.charCodeAt(u + 1)) ? 2 : 1
      cp++
    }
    out.push({ id: ids[k], name: text.slice(utf16Start, u), start, end: cp - 1, utf16Start, utf16End: u })
  }
  for (let k = 0; k < n; k++) ids[k] = ""
  return out
}

const isLow = (d: number): boolean => d >= 0xdc00 && d <= 0xdfff

/** Insertion sort of the first `n` scratch entries by start (lists are short). */
const sortScratch = (n: number): void => {
  for (let a = 1; a < n; a++) {
    const id = ids[a]
    const start = starts[a]
    const end = ends[a]
    let b = a - 1
    while (b >= 0 && starts[b] > start) {
      ids[b + 1] = ids[b]
      starts[b + 1] = starts[b]
      ends[b + 1] = ends[b]
      b--
    }
    ids[b + 1] = id
    starts[b + 1] = start
    ends[b + 1] = end
  }
}
