/**
 * EventSub's timestamps: RFC3339 with nanoseconds (`2026-12-03T06:44:00.123456789Z`), as Twitch
 * sends them in `message_timestamp`, `connected_at`, `created_at` and the events' date-time fields.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

/**
 * Formats epoch nanoseconds as RFC3339 with nine fractional digits.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatNanos = (nanos: bigint): string => {
  const millis = nanos / 1_000_000n
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, "0")
  return new Date(Number(millis)).toISOString().replace(/\.\d{3}Z$/, `.${fraction}Z`)
}

/**
 * Formats epoch milliseconds as RFC3339 with nine fractional digits.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatMillis = (millis: number): string => formatNanos(BigInt(Math.floor(millis)) * 1_000_000n)

/**
 * Now, from the `Clock`, as an EventSub timestamp.
 *
 * @since 0.1.0
 * @category formatting
 */
export const now: Effect.Effect<string> = Effect.map(Clock.currentTimeNanos, formatNanos)
