/**
 * Helix's point bucket, mirrored on our side: Twitch refills `Ratelimit-Limit` points per minute
 * into a bucket of the same size, per client id and user. We keep one local bucket per token,
 * synchronised from the `Ratelimit-*` headers of every response, and wait before sending when it is
 * empty instead of provoking a 429. Concurrent callers share the bucket of their token.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"

/**
 * What one bucket knows. `tokens` is fractional: the bucket refills continuously.
 *
 * @since 0.1.0
 * @category models
 */
export interface BucketState {
  /** Points refilled per minute, which is also the bucket size. */
  readonly limit: number
  /** Points available at `updatedAt`. */
  readonly tokens: number
  /** Clock time (ms) of the last update. */
  readonly updatedAt: number
  /** Requests sent and not yet answered. */
  readonly inFlight: number
  /** When Twitch said the bucket is full again (epoch ms), if known. */
  readonly resetAt: Option.Option<number>
  /**
   * Points regained per millisecond: `limit` per minute as Twitch documents, or, when a response
   * says how far the bucket is from full and when it will be full, the rate that implies.
   */
  readonly refillPerMs: number
}

/**
 * The rate-limit headers of one response.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitHeaders {
  readonly limit: Option.Option<number>
  readonly remaining: Option.Option<number>
  /** Epoch seconds. */
  readonly reset: Option.Option<number>
}

/**
 * The headers of an answer that never came (a transport failure or an interrupted request): the
 * point is given back to the in-flight count and nothing else changes.
 *
 * @since 0.1.0
 * @category constants
 */
export const noHeaders: RateLimitHeaders = {
  limit: Option.none(),
  remaining: Option.none(),
  reset: Option.none()
}

/**
 * A set of buckets keyed by bucket (see `HelixClient.bucketKey`: per user, or per app).
 *
 * @since 0.1.0
 * @category models
 */
export interface HelixRateLimit {
  /** Takes one point for `key`, waiting (on the Effect clock) while the bucket is empty. */
  readonly acquire: (key: string) => Effect.Effect<void>
  /** Records the headers of a response to a request that had acquired a point. */
  readonly settle: (key: string, headers: RateLimitHeaders) => Effect.Effect<void>
  /**
   * Records a 429: empties the bucket and returns how long to wait before retrying (until
   * `Ratelimit-Reset`, at least one refill step, at most `maxWait`).
   */
  readonly throttled: (key: string, headers: RateLimitHeaders) => Effect.Effect<Duration.Duration>
  /** The bucket of `key`, if any request was made with it. */
  readonly state: (key: string) => Effect.Effect<Option.Option<BucketState>>
}

/**
 * The bucket size Twitch documents for Helix (800 points per minute).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultLimit = 800

const minute = 60_000

const refill = (bucket: BucketState, now: number): BucketState => {
  const elapsed = Math.max(0, now - bucket.updatedAt)
  const tokens = Math.min(bucket.limit, bucket.tokens + elapsed * bucket.refillPerMs)
  return { ...bucket, tokens, updatedAt: now }
}

const fresh = (limit: number, now: number): BucketState => ({
  limit,
  tokens: limit,
  updatedAt: now,
  inFlight: 0,
  resetAt: Option.none(),
  refillPerMs: limit / minute
})

/** The refill rate that the headers imply, when they say how far from full and for how long. */
const impliedRate = (
  limit: number,
  remaining: Option.Option<number>,
  resetAt: Option.Option<number>,
  now: number,
  fallback: number
): number => {
  if (Option.isNone(remaining) || Option.isNone(resetAt)) return fallback
  const missing = limit - remaining.value
  const millis = resetAt.value - now
  if (missing <= 0 || millis <= 0) return fallback
  // Never slower than the documented per-minute refill would be for this limit.
  return Math.max(missing / millis, limit / (10 * minute))
}

/**
 * Reads `Ratelimit-Limit`, `Ratelimit-Remaining` and `Ratelimit-Reset` from response headers
 * (names are case-insensitive; missing or malformed values are `None`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseHeaders = (headers: Readonly<Record<string, string | undefined>>): RateLimitHeaders => {
  const read = (name: string): Option.Option<number> => {
    const raw = headers[name] ?? headers[name.toLowerCase()]
    if (raw === undefined || raw.trim() === "") return Option.none()
    const value = Number(raw)
    return Number.isFinite(value) ? Option.some(value) : Option.none()
  }
  return {
    limit: read("ratelimit-limit"),
    remaining: read("ratelimit-remaining"),
    reset: read("ratelimit-reset")
  }
}

/**
 * Creates the buckets. `initialLimit` is assumed until Twitch's headers say otherwise; `maxWait`
 * caps a single wait after a 429.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly initialLimit?: number
  readonly maxWait?: Duration.DurationInput
} = {}): Effect.Effect<HelixRateLimit> =>
  Effect.sync(() => {
    const initialLimit = options.initialLimit ?? defaultLimit
    const maxWait = Duration.toMillis(options.maxWait ?? Duration.seconds(61))
    // One `Ref` per bucket (a handful: the app, and each user whose token is used), found in a
    // plain map: an update is one `Ref.modify` of that bucket, without copying a map of them all.
    const buckets = new Map<string, Ref.Ref<BucketState>>()
    const bucketOf = (key: string, now: number): Ref.Ref<BucketState> => {
      let found = buckets.get(key)
      if (found === undefined) {
        found = Ref.unsafeMake(fresh(initialLimit, now))
        buckets.set(key, found)
      }
      return found
    }

    /** One `Ref.modify` of the bucket, refilled up to now (the fiber's `Clock`). */
    const update = <A>(key: string, f: (bucket: BucketState, now: number) => readonly [A, BucketState]) =>
      Effect.clockWith((clock) => {
        const now = clock.unsafeCurrentTimeMillis()
        return Ref.modify(bucketOf(key, now), (bucket) => f(refill(bucket, now), now))
      })

    const acquire = (key: string): Effect.Effect<void> =>
      Effect.flatMap(
        update(key, (bucket): readonly [number, BucketState] => {
          if (bucket.tokens >= 1) {
            return [0, { ...bucket, tokens: bucket.tokens - 1, inFlight: bucket.inFlight + 1 }]
          }
          const wait = Math.ceil((1 - bucket.tokens) / bucket.refillPerMs)
          return [Math.max(1, wait), bucket]
        }),
        (wait) =>
          wait === 0
            ? Effect.void
            : Effect.logDebug("Helix rate limit: bucket empty, waiting").pipe(
              Effect.annotateLogs({ waitMs: wait }),
              Effect.zipRight(Effect.sleep(Duration.millis(wait))),
              Effect.zipRight(Effect.suspend(() => acquire(key)))
            )
      )

    const settle = (key: string, headers: RateLimitHeaders) =>
      update(key, (bucket, now) => {
        const inFlight = Math.max(0, bucket.inFlight - 1)
        const limit = Option.getOrElse(headers.limit, () => bucket.limit)
        const tokens = Option.match(headers.remaining, {
          onNone: () => bucket.tokens,
          // The server's count already includes this request; the others in flight will each cost one.
          onSome: (remaining) => Math.max(0, Math.min(limit, remaining - inFlight))
        })
        const resetAt = Option.map(headers.reset, (s) => s * 1000)
        const refillPerMs = impliedRate(limit, headers.remaining, resetAt, now, limit / minute)
        return [undefined, {
          ...bucket,
          limit,
          tokens,
          inFlight,
          refillPerMs,
          resetAt: Option.orElse(resetAt, () => bucket.resetAt)
        }]
      })

    const throttled = (key: string, headers: RateLimitHeaders) =>
      update(key, (bucket, now): readonly [Duration.Duration, BucketState] => {
        const limit = Option.getOrElse(headers.limit, () => bucket.limit)
        const step = Math.ceil(1 / bucket.refillPerMs)
        const untilReset = Option.match(headers.reset, { onNone: () => step, onSome: (s) => s * 1000 - now })
        const wait = Math.min(maxWait, Math.max(step, untilReset))
        return [Duration.millis(wait), {
          ...bucket,
          limit,
          tokens: 0,
          inFlight: Math.max(0, bucket.inFlight - 1),
          refillPerMs: impliedRate(
            limit,
            Option.some(0),
            Option.map(headers.reset, (s) => s * 1000),
            now,
            bucket.refillPerMs
          ),
          resetAt: Option.map(headers.reset, (s) => s * 1000)
        }]
      })

    const state = (key: string) =>
      Effect.suspend(() => {
        const ref = buckets.get(key)
        return ref === undefined ? Effect.succeedNone : Effect.map(Ref.get(ref), Option.some)
      })

    return { acquire, settle, throttled, state }
  })
