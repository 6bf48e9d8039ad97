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

/** Parses an RFC 3339 timestamp (nanoseconds are cut to milliseconds); `NaN` when it is not one. */
export const timestampMillis = (timestamp: string): number => Date.parse(timestamp)

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
      seen.set(messageId, now)
      if (seen.size > options.window) forgetOld(now)
      return "deliver"
    },
    size: () => seen.size
  }
}
