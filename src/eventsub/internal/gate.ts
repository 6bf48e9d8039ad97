/**
 * Exactly once to the user out of at-least-once from Twitch: a message whose id was seen is a
 * duplicate, one older than the replay window (10 minutes) is stale. The ids kept are bounded: at
 * most `window` of them (at least 90% of that once full), and none older than the replay window
 * once a sweep runs (an older copy is stale anyway).
 */

/** What to do with a message. */
export type Verdict = "deliver" | "duplicate" | "stale"

/** The gate's settings. */
export interface GateOptions {
  /** How many message ids are remembered at most. */
  readonly window: number
  /** Messages older than this (milliseconds) are refused. */
  readonly maxAgeMillis: number
}

/** A dedupe-and-staleness gate; `now` comes from the caller's `Clock`. */
export interface Gate {
  readonly admit: (messageId: string, timestamp: string, now: number) => Verdict
  /** Ids currently remembered. */
  readonly size: () => number
}

const digits2 = (s: string, at: number): number => {
  const a = s.charCodeAt(at) - 48
  const b = s.charCodeAt(at + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : Number.NaN
}

/**
 * Parses an RFC 3339 timestamp (nanoseconds are cut to milliseconds); `NaN` when it is not one.
 * Twitch's UTC form (`2026-12-03T10:11:12.123456789Z`) is read digit by digit (`Date.parse` takes
 * about 1 us for its nine fractional digits, on every message); anything else goes to `Date.parse`.
 */
export const timestampMillis = (timestamp: string): number => {
  const s = timestamp
  const n = s.length
  if (
    n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90 ||
    (n > 20 && (s.charCodeAt(19) !== 46 || n < 22))
  ) return Date.parse(s)
  let millis = 0
  for (let i = 20, scale = 100; i < n - 1; i++, scale /= 10) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) return Date.parse(s)
    if (scale >= 1) millis += d * scale
  }
  const month = digits2(s, 5)
  const day = digits2(s, 8)
  const hours = digits2(s, 11)
  const minutes = digits2(s, 14)
  const seconds = digits2(s, 17)
  if (
    !(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hours <= 23 && minutes <= 59 && seconds <= 59)
  ) {
    return Date.parse(s)
  }
  const year = digits2(s, 0) * 100 + digits2(s, 2)
  // Date.UTC reads years 0-99 as 1900-1999
  return year >= 100 ? Date.UTC(year, month - 1, day, hours, minutes, seconds, millis) : Date.parse(s)
}

/**
 * A copy of an id that shares no memory with the text it was read from: an id read from a frame
 * is a slice of it (V8 keeps the whole frame, ~1.5 KB, for as long as the slice lives), and the
 * gate keeps thousands of ids. V8 copies pieces shorter than 13 characters instead of slicing, so
 * the id is joined from pieces of 12 (cheaper than a JSON round trip).
 */
const own = (id: string): string => {
  let copy = ""
  for (let i = 0; i < id.length; i += 12) copy += id.slice(i, i + 12)
  return copy
}

/** Builds a gate. */
export const make = (options: GateOptions): Gate => {
  // insertion-ordered: the first entry is the oldest id
  const seen = new Map<string, number>()
  // Past the window, the oldest tenth (and any older than the replay window) go at once: one
  // sweep per window/10 messages instead of one deletion per message.
  const forgetOld = (now: number) => {
    const keep = options.window - Math.ceil(options.window / 10)
    for (const [id, at] of seen) {
      if (seen.size <= keep && now - at <= options.maxAgeMillis) break
      seen.delete(id)
    }
  }
  return {
    admit: (messageId, timestamp, now) => {
      const sent = timestampMillis(timestamp)
      // A timestamp that does not parse is not proof of staleness: the id check still applies.
      if (!Number.isNaN(sent) && now - sent > options.maxAgeMillis) return "stale"
      if (seen.has(messageId)) return "duplicate"
      seen.set(own(messageId), now)
      if (seen.size > options.window) forgetOld(now)
      return "deliver"
    },
    size: () => seen.size
  }
}
