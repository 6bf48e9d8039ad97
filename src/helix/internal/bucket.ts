/**
 * The transport's rate-limit bucket around each attempt: the bucket a token draws from, a point
 * taken before the attempt, settled from the answer's headers after it (given back when the
 * attempt fails or is interrupted), and a 429 of an empty bucket waited out and sent again.
 *
 * @since 0.1.0
 * @internal
 */
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Crypto from "node:crypto"
import type { AccessToken } from "../../auth/AccessToken.js"
import type { Answer } from "../../internal/http/failure.js"
import * as HttpMetrics from "../../internal/http/metrics.js"
import type * as HttpPipeline from "../../internal/http/pipeline.js"
import * as HelixRateLimit from "../HelixRateLimit.js"

/**
 * What the bucket part needs from the transport.
 *
 * @internal
 */
export interface Bucket {
  readonly limiter: HelixRateLimit.HelixRateLimit
  /** How many 429 answers in a row are waited out before the last one is returned. */
  readonly max429: number
  /** The endpoint of a request as metrics and logs record it. */
  readonly endpointOf: (request: HttpClientRequest.HttpClientRequest) => string
}

const tokenDigests = new WeakMap<AccessToken, string>()

/**
 * The bucket a token draws from (see `HelixClient.bucketKey`).
 *
 * @internal
 */
export const bucketKey = (token: AccessToken): string => {
  if (token.kind === "app") return "app"
  if (Option.isSome(token.userId)) return `user:${token.userId.value}`
  let digest = tokenDigests.get(token)
  if (digest === undefined) {
    digest = `token:${
      Crypto.createHash("sha256").update(Redacted.value(token.value)).digest("base64url").slice(0, 22)
    }`
    tokenDigests.set(token, digest)
  }
  return digest
}

/**
 * Settles the point of an answered attempt from its headers (recording the points left); for a
 * 429 of an empty bucket, how long to wait before sending again.
 */
const settled = (bucket: Bucket, key: string, answer: Answer, request: HttpClientRequest.HttpClientRequest) =>
  Effect.withFiberRuntime<Duration.Duration | undefined>((fiber) => {
    const headers = HelixRateLimit.parseHeaders(answer.headers)
    if (Option.isSome(headers.remaining)) {
      const tags = fiber.getFiberRef(FiberRef.currentMetricLabels)
      HttpMetrics.unsafeRecordRemaining(key === "app" ? "app" : "user", headers.remaining.value, tags)
    }
    // A 429 with points left is not the bucket (EventSub's "websocket transports limit
    // exceeded", "too many subscriptions"): answered at once, nothing waited out.
    const throttled = answer.status === 429 &&
      !(Option.isSome(headers.remaining) && headers.remaining.value > 0)
    return throttled
      ? Effect.zipLeft(
        bucket.limiter.throttled(key, headers),
        HttpMetrics.countThrottled(bucket.endpointOf(request))
      )
      : Effect.as(bucket.limiter.settle(key, headers), undefined)
  })

/**
 * Around every attempt of the pipeline of bucket `key`: a point taken from the bucket before it,
 * given back or settled from the answer's headers after it (even when the caller is interrupted
 * mid-request), and a 429 waited out until `Ratelimit-Reset` and sent again (at most `max429`
 * times).
 *
 * @internal
 */
export const bucketed = (bucket: Bucket, key: string) =>
(
  attempt: HttpPipeline.Attempt,
  request: HttpClientRequest.HttpClientRequest
): HttpPipeline.Attempt => {
  const { limiter, max429 } = bucket
  const once = Effect.uninterruptibleMask((restore) =>
    Effect.zipRight(
      restore(limiter.acquire(key)),
      Effect.flatMap(
        Effect.onExit(restore(attempt), (exit) =>
          Exit.isSuccess(exit) ? Effect.void : limiter.settle(key, HelixRateLimit.noHeaders)),
        (answer) =>
          Effect.map(settled(bucket, key, answer, request), (wait) => ({ answer, wait }))
      )
    )
  )
  const loop = (throttledSoFar: number): HttpPipeline.Attempt =>
    Effect.flatMap(once, ({ answer, wait }) =>
      wait === undefined || throttledSoFar >= max429
        ? Effect.succeed(answer)
        : Effect.logDebug("Helix 429: waiting for the rate-limit reset").pipe(
          Effect.annotateLogs({ endpoint: bucket.endpointOf(request), waitMs: Duration.toMillis(wait) }),
          Effect.zipRight(Effect.sleep(wait)),
          Effect.zipRight(Effect.suspend(() => loop(throttledSoFar + 1)))
        ))
  return loop(0)
}
