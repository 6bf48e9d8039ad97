/**
 * The HTTP pipeline's metrics (Effect `Metric`s): requests by area, endpoint and status, their
 * latency, retries, and Helix's 429s and bucket. A metric per label set is made once from its
 * tagged key and kept: `Metric.tagged` would union the labels and look the key up in the registry
 * on every update, which a profile showed as a per-call cost.
 *
 * @since 0.1.0
 * @internal
 */
import type * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricKey from "effect/MetricKey"
import * as MetricLabel from "effect/MetricLabel"

const requestsKey = MetricKey.counter("effect_twitcher_http_requests", {
  incremental: true,
  description: "HTTP requests sent to Twitch (every attempt), by area, endpoint and status"
})
const latencyKey = MetricKey.histogram(
  "effect_twitcher_http_request_duration_ms",
  MetricBoundaries.exponential({ start: 1, factor: 2, count: 16 }),
  "Time from request to the end of the answer, in milliseconds"
)
const retriesKey = MetricKey.counter("effect_twitcher_http_retries", {
  incremental: true,
  description: "Retries of requests after a transport failure, a timeout or a 5xx answer"
})
const throttledKey = MetricKey.counter("effect_twitcher_helix_throttled", {
  incremental: true,
  description: "Helix answers with status 429 (rate limited)"
})
const remainingKey = MetricKey.gauge("effect_twitcher_helix_bucket_remaining", {
  description: "Points left in the Helix rate-limit bucket, as Twitch last said"
})

/**
 * Requests sent (every attempt), tagged `area`, `endpoint` and `status` (the HTTP status, or
 * `error` when no answer came).
 *
 * @since 0.1.0
 * @category metrics
 */
export const requests = Metric.fromMetricKey(requestsKey)

/**
 * Time from sending a request to the end of its answer's body in milliseconds, tagged `area`
 * and `endpoint`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const latency = Metric.fromMetricKey(latencyKey)

/**
 * Retries after a transport failure, a timeout or a 5xx answer, tagged `area`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const retryCount = Metric.fromMetricKey(retriesKey)

/**
 * Helix answers with status 429, tagged `endpoint`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const throttled = Metric.fromMetricKey(throttledKey)

/**
 * Points left in a Helix bucket as Twitch last said (`Ratelimit-Remaining`), tagged `bucket`
 * (`app` or `user`).
 *
 * @since 0.1.0
 * @category metrics
 */
export const bucketRemaining = Metric.fromMetricKey(remainingKey)

const labels = (pairs: ReadonlyArray<readonly [string, string]>) =>
  pairs.map(([key, value]) => MetricLabel.make(key, value))

/** At most this many label sets per metric are kept; more are recorded under `endpoint=other`. */
const maxLabelSets = 1000

/** A cache of metrics by label set, bounded: past the bound, `fallback`'s metric is used. */
const memo = <A>(make: (key: string) => A) => {
  const cache = new Map<string, A>()
  const get = (key: string): A => {
    let found = cache.get(key)
    if (found === undefined) {
      found = make(key)
      cache.set(key, found)
    }
    return found
  }
  return (key: string, fallback: string): A =>
    cache.get(key) ?? (cache.size >= maxLabelSets ? get(fallback) : get(key))
}

const retriesOf = memo((area) =>
  Metric.fromMetricKey(MetricKey.taggedWithLabels(retriesKey, labels([["area", area]])))
)

/**
 * The effect that counts one retry of `area`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const retries = (area: string): Effect.Effect<void> => Metric.increment(retriesOf(area, area))

const throttledOf = memo((endpoint) =>
  Metric.fromMetricKey(MetricKey.taggedWithLabels(throttledKey, labels([["endpoint", endpoint]])))
)

/**
 * Counts a 429 answer of a Helix endpoint.
 *
 * @since 0.1.0
 * @category metrics
 */
export const countThrottled = (endpoint: string): Effect.Effect<void> =>
  Metric.increment(throttledOf(endpoint, "other"))

const remainingOf = memo((bucket) =>
  Metric.fromMetricKey(MetricKey.taggedWithLabels(remainingKey, labels([["bucket", bucket]])))
)

/**
 * Records the points left in a Helix bucket (`app` or `user`).
 *
 * @since 0.1.0
 * @category metrics
 */
export const recordRemaining = (bucket: "app" | "user", remaining: number): Effect.Effect<void> =>
  Metric.set(remainingOf(bucket, bucket), remaining)

/**
 * {@link recordRemaining} without an effect of its own, under the caller's metric labels.
 *
 * @since 0.1.0
 * @category metrics
 */
export const unsafeRecordRemaining = (
  bucket: "app" | "user",
  remaining: number,
  tags: ReadonlyArray<MetricLabel.MetricLabel>
): void => remainingOf(bucket, bucket).unsafeUpdate(remaining, tags)

/**
 * Records one attempt of `area` at once, without an effect of its own (the pipeline calls it from
 * the step that ends the attempt): counted by endpoint and status (`error` when no answer came)
 * and timed, under the caller's metric labels as `Metric.increment` and `Metric.update` would be.
 *
 * @since 0.1.0
 * @category metrics
 */
export const recorder = (area: string) => {
  const counters = memo((key) => {
    const [endpoint, status] = key.split("\u0000") as [string, string]
    return Metric.fromMetricKey(
      MetricKey.taggedWithLabels(
        requestsKey,
        labels([["area", area], ["endpoint", endpoint], ["status", status]])
      )
    )
  })
  const histograms = memo((endpoint) =>
    Metric.fromMetricKey(
      MetricKey.taggedWithLabels(latencyKey, labels([["area", area], ["endpoint", endpoint]]))
    )
  )
  return (
    endpoint: string,
    status: string,
    millis: number,
    tags: ReadonlyArray<MetricLabel.MetricLabel>
  ): void => {
    counters(`${endpoint}\u0000${status}`, `other\u0000${status}`).unsafeUpdate(1, tags)
    histograms(endpoint, "other").unsafeUpdate(millis, tags)
  }
}
