/**
 * Decoding of the `emotes` tag (`id:start-end,start-end/id2:start-end`). Twitch counts positions
 * in Unicode code points; JS strings index UTF-16 units, so each occurrence also gets the UTF-16
 * offsets to slice the text with.
 *
 * @internal
 */
import type { Emote } from "../TwitchMessage.js"
import { unescapeRange } from "./irc.js"

/** The empty emote list, shared. */
export const noEmotes: ReadonlyArray<Emote> = Object.freeze([])

// Scratch space reused across calls (decoding is synchronous): ids and ranges as parsed, and the
// order of the ranges by start when they are not written in that order.
const ids: Array<string> = []
const starts: Array<number> = []
const ends: Array<number> = []
let order = new Int32Array(64)

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
 * Reads the emote tag `spec[specStart, specEnd)` into the scratch arrays, in one pass over its
 * characters; returns how many ranges it holds, or -1 when `escaped` and it holds a backslash (the
 * caller unescapes it and reads it again). An entry is `id:range,range` (entries joined by `/`, the
 * id up to the first `:`, entries without one or with an empty id skipped); a range is
 * `start-end`, each 1 to 9 digits; malformed ranges are skipped.
 */
const readSpec = (spec: string, specStart: number, specEnd: number, escaped: boolean): number => {
  let n = 0
  let i = specStart
  while (i < specEnd) {
    const idStart = i
    let c = 0
    for (; i < specEnd; i++) {
      c = spec.charCodeAt(i)
      if (c === 58 || c === 47) break
      if (c === 92 && escaped) return -1
    }
    if (c !== 58 || i === idStart || i >= specEnd) {
      // no `:` in this entry, or an empty id: skip to the next entry
      while (i < specEnd && spec.charCodeAt(i) !== 47) {
        if (spec.charCodeAt(i) === 92 && escaped) return -1
        i++
      }
      i++
      continue
    }
    const id = spec.slice(idStart, i)
    i++
    // ranges up to `/` or the end: `phase` 0 in the start, 1 in the end, 2 malformed
    for (;;) {
      let start = 0
      let startDigits = 0
      let end = 0
      let endDigits = 0
      let phase = 0
      c = 0
      for (; i < specEnd; i++) {
        c = spec.charCodeAt(i)
        if (c === 44 || c === 47) break
        const d = c - 48
        if (d >= 0 && d <= 9) {
          if (phase === 0) {
            start = start * 10 + d
            startDigits++
          } else {
            end = end * 10 + d
            endDigits++
          }
        } else if (c === 45 && phase === 0) {
          phase = 1
        } else {
          if (c === 92 && escaped) return -1
          phase = 2
        }
      }
      if (
        phase === 1 && startDigits > 0 && startDigits <= 9 && endDigits > 0 && endDigits <= 9 &&
        end >= start
      ) {
        ids[n] = id
        starts[n] = start
        ends[n] = end
        n++
      }
      i++
      if (c !== 44) break
    }
  }
  return n
}

/**
 * Decodes the emote tag `spec[specStart, specEnd)` for the text `text[textStart, textEnd)`, sorted
 * by position (ranges written at one position keep their order). Ranges are clamped to the text:
 * one that starts past the end is dropped, one that ends past it is cut at the end; malformed
 * entries are skipped. Positions are relative to the text; names are sliced from it. With
 * `escaped`, the spec is a raw tag value: one holding a backslash is unescaped first.
 */
export const decodeEmotes = (
  spec: string,
  specStart: number,
  specEnd: number,
  text: string,
  textStart: number,
  textEnd: number,
  escaped = false
): ReadonlyArray<Emote> => {
  if (specEnd <= specStart) return noEmotes
  let n = readSpec(spec, specStart, specEnd, escaped)
  if (n < 0) {
    const value = unescapeRange(spec, specStart, specEnd, spec.indexOf("\\", specStart))
    n = readSpec(value, 0, value.length, false)
  }
  if (n === 0) return noEmotes
  const out = place(n, text, textStart, textEnd)
  for (let k = 0; k < n; k++) ids[k] = ""
  return out
}

/** Whether the first `n` scratch ranges are in order of their starts. */
const inOrder = (n: number): boolean => {
  for (let k = 1; k < n; k++) if (starts[k - 1] > starts[k]) return false
  return true
}

/** Sorts the first `n` scratch ranges by start (stable): their indexes, in order, in {@link order}. */
const sortOrder = (n: number): void => {
  if (order.length < n) order = new Int32Array(n * 2)
  for (let a = 0; a < n; a++) {
    const start = starts[a]
    let b = a - 1
    while (b >= 0 && starts[order[b]] > start) {
      order[b + 1] = order[b]
      b--
    }
    order[b + 1] = a
  }
}

/** The emotes of the first `n` scratch ranges, placed in `text[textStart, textEnd)`. */
const place = (n: number, text: string, textStart: number, textEnd: number): Array<Emote> => {
  const sorted = inOrder(n)
  if (!sorted) sortOrder(n)
  const out: Array<Emote> = []
  W.cp = 0
  W.u = textStart
  W.next = nextPair(text, textStart, textEnd)
  for (let j = 0; j < n; j++) {
    const k = sorted ? j : order[j]
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
  return out
}
