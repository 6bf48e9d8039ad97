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

/** The next surrogate pair (a high surrogate followed by a low one) in a string, from `lastIndex`. */
const pair = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g

/** Where the next surrogate pair at or after `from` starts in `text`, or `end` when none before it. */
const nextPair = (text: string, from: number, end: number): number => {
  pair.lastIndex = from
  if (!pair.test(text)) return end
  const at = pair.lastIndex - 2
  return at < end ? at : end
}

/**
 * The walk from code points to UTF-16 units over `text[start, end)`: `u` is the unit of code
 * point `cp`, `next` the next surrogate pair at or after `u` (or `end`). Code points before a pair
 * are one unit each, so the walk jumps from pair to pair instead of reading every character.
 */
const W = { cp: 0, u: 0, next: 0 }

/** Moves the walk forward to code point `cp` (or to `end`). */
const walkTo = (text: string, cp: number, end: number): void => {
  while (W.cp < cp && W.u < end) {
    const need = cp - W.cp
    const room = W.next - W.u
    if (need <= room) {
      W.u += need
      W.cp = cp
      return
    }
    W.u = W.next
    W.cp += room
    if (W.u >= end) return
    // the pair: one code point, two units
    W.u += 2
    W.cp++
    W.next = nextPair(text, W.u, end)
  }
}

/**
 * Decodes the emote tag `spec[specStart, specEnd)` for the text `text[textStart, textEnd)`, sorted
 * by position. Ranges are clamped to the text: one that starts past the end is dropped, one that
 * ends past it is cut at the end; malformed entries are skipped. Positions are relative to the
 * text; names are sliced from it.
 */
export const decodeEmotes = (
  spec: string,
  specStart: number,
  specEnd: number,
  text: string,
  textStart: number,
  textEnd: number
): ReadonlyArray<Emote> => {
  if (specEnd <= specStart) return noEmotes
  let n = 0
  let sorted = true
  const len = specEnd
  let i = specStart
  while (i < len) {
    let slash = spec.indexOf("/", i)
    if (slash < 0 || slash > len) slash = len
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
  W.cp = 0
  W.u = textStart
  W.next = nextPair(text, textStart, textEnd)
  for (let k = 0; k < n; k++) {
    const start = starts[k]
    if (start < W.cp) {
      // overlapping ranges: restart the walk
      W.cp = 0
      W.u = textStart
      W.next = nextPair(text, textStart, textEnd)
    }
    walkTo(text, start, textEnd)
    if (W.u >= textEnd) break
    const utf16Start = W.u
    walkTo(text, ends[k] + 1, textEnd)
    const u = W.u
    out.push({
      id: ids[k],
      name: text.slice(utf16Start, u),
      start,
      end: W.cp - 1,
      utf16Start: utf16Start - textStart,
      utf16End: u - textStart
    })
  }
  for (let k = 0; k < n; k++) ids[k] = ""
  return out
}

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
