/**
 * The HTTP pipeline's metrics (Effect `Metric`s): requests by area, endpoint and status, their
 * latency, retries, and Helix's 429s and bucket. Tagged metrics are made once per label set and
 * kept, so recording one costs no more than an update.
 *
 * @since 0.1.0
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"

/**
 * Requests sent (every attempt), tagged `area`, `endpoint` and `status` (the HTTP status, or
 * `error` when no answer came).
 *
 * @since 0.1.0
 * @category metrics
 */
export const requests = Metric.counter("effect_twitcher_http_requests", {
  incremental: true,
  description: "HTTP requests sent to Twitch (every attempt), by area, endpoint and status"
})

/**
 * Time from sending a request to the end of its answer's body in milliseconds, tagged `area`
 * and `endpoint`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const latency = Metric.histogram(
  "effect_twitcher_http_request_duration_ms",
  MetricBoundaries.exponential({ start: 1, factor: 2, count: 16 }),
  "Time from request to the end of the answer, in milliseconds"
)

/**
 * Retries after a transport failure, a timeout or a 5xx answer, tagged `area`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const retryCount = Metric.counter("effect_twitcher_http_retries", {
  incremental: true,
  description: "Retries of requests after a transport failure, a timeout or a 5xx answer"
})

/**
 * Helix answers with status 429, tagged `endpoint`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const throttled = Metric.counter("effect_twitcher_helix_throttled", {
  incremental: true,
  description: "Helix answers with status 429 (rate limited)"
})

/**
 * Points left in a Helix bucket as Twitch last said (`Ratelimit-Remaining`), tagged `bucket`
 * (`app` or `user`).
 *
 * @since 0.1.0
 * @category metrics
 */
export const bucketRemaining = Metric.gauge("effect_twitcher_helix_bucket_remaining", {
  description: "Points left in the Helix rate-limit bucket, as Twitch last said"
})

/** At most this many label sets per metric are kept; more are recorded under `endpoint=other`. */
const maxLabelSets = 1000

const memo = <A>(make: (key: string) => A) => {
  const cache = new Map<string, A>()
  return (key: string, fallback: string): A => {
    let found = cache.get(key)
    if (found === undefined) {
      if (cache.size >= maxLabelSets) return memoFallback(cache, fallback, make)
      found = make(key)
      cache.set(key, found)
    }
    return found
  }
}

const memoFallback = <A>(cache: Map<string, A>, key: string, make: (key: string) => A): A => {
  let found = cache.get(key)
  if (found === undefined) {
    found = make(key)
    cache.set(key, found)
  }
  return found
}

const retriesOf = memo((area) => Metric.tagged(retryCount, "area", area))

/**
 * The effect that counts one retry of `area`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const retries = (area: string): Effect.Effect<void> => Metric.increment(retriesOf(area, area))

const throttledOf = memo((endpoint) => Metric.tagged(throttled, "endpoint", endpoint))

/**
 * Counts a 429 answer of a Helix endpoint.
 *
 * @since 0.1.0
 * @category metrics
 */
export const countThrottled = (endpoint: string): Effect.Effect<void> =>
  Metric.increment(throttledOf(endpoint, "other"))

const remainingOf = memo((bucket) => Metric.tagged(bucketRemaining, "bucket", bucket))

/**
 * Records the points left in a Helix bucket (`app` or `user`).
 *
 * @since 0.1.0
 * @category metrics
 */
export const recordRemaining = (bucket: "app" | "user", remaining: number): Effect.Effect<void> =>
  Metric.set(remainingOf(bucket, bucket), remaining)

/**
 * Wraps an attempt of `area` so that it is counted by endpoint and status and timed (on the
 * Effect `Clock`).
 *
 * @since 0.1.0
 * @category metrics
 */
export const measure = (area: string) => {
  const counters = memo((key) => {
    const [endpoint, status] = key.split("\u0000") as [string, string]
    return Metric.tagged(requests, "area", area).pipe(
      Metric.tagged("endpoint", endpoint),
      Metric.tagged("status", status)
    )
  })
  const histograms = memo((endpoint) =>
    Metric.tagged(latency, "area", area).pipe(Metric.tagged("endpoint", endpoint))
  )
  return <A extends { readonly status: number }, E>(
    endpoint: string,
    effect: Effect.Effect<A, E>
  ): Effect.Effect<A, E> =>
    Effect.flatMap(
      Clock.currentTimeMillis,
      (start) =>
        Effect.onExit(effect, (exit) =>
          Effect.flatMap(Clock.currentTimeMillis, (end) => {
            const status = Exit.isSuccess(exit) ? String(exit.value.status) : "error"
            if (Exit.isInterrupted(exit)) return Effect.void
            return Effect.zipRight(
              Metric.increment(counters(`${endpoint}\u0000${status}`, `other\u0000${status}`)),
              Metric.update(histograms(endpoint, "other"), end - start)
            )
          }))
    )
}
