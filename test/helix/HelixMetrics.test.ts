import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as HelixClient from "../../src/helix/HelixClient.js"
import { Users } from "../../src/helix/Users.js"
import { layer, seen, tooManyRequests, wireUser } from "./fakeHelix.js"

const { metrics } = HelixClient
const requests = (endpoint: string, status: string) =>
  Metric.value(
    metrics.requests.pipe(
      Metric.tagged("area", "helix"),
      Metric.tagged("endpoint", endpoint),
      Metric.tagged("status", status)
    )
  ).pipe(Effect.map((s) => s.count))
const latencyCount = (endpoint: string) =>
  Metric.value(metrics.latency.pipe(Metric.tagged("area", "helix"), Metric.tagged("endpoint", endpoint)))
    .pipe(
      Effect.map((s) => s.count)
    )
const retries = Metric.value(metrics.retries.pipe(Metric.tagged("area", "helix"))).pipe(
  Effect.map((s) => s.count)
)
const throttled = (endpoint: string) =>
  Metric.value(metrics.throttled.pipe(Metric.tagged("endpoint", endpoint))).pipe(Effect.map((s) => s.count))
const remaining = Metric.value(metrics.bucketRemaining.pipe(Metric.tagged("bucket", "user"))).pipe(
  Effect.map((s) => s.value)
)

const snapshot = Effect.all({
  ok: requests("/users", "200"),
  failed: requests("/users", "500"),
  limited: requests("/users", "429"),
  latency: latencyCount("/users"),
  retries,
  throttled: throttled("/users")
})

describe("HelixClient metrics", () => {
  it.live("count requests by endpoint and status, latency, retries, 429s and the bucket's remaining points", () =>
    Effect.gen(function*() {
      const users = yield* Users
      const before = yield* snapshot
      const found = yield* users.byLogin("bob")
      expect(Option.getOrThrow(found).login).toBe("bob")
      expect((yield* seen).length).toBe(3)
      const after = yield* snapshot
      expect(after.failed - before.failed).toBe(1)
      expect(after.limited - before.limited).toBe(1)
      expect(after.ok - before.ok).toBe(1)
      expect(after.latency - before.latency).toBe(3)
      // The 500 is a retry; the 429 is waited out by the bucket, not retried with backoff.
      expect(after.retries - before.retries).toBe(1)
      expect(after.throttled - before.throttled).toBe(1)
      expect(yield* remaining).toBe(737)
    }).pipe(Effect.provide(
      layer((_, index) =>
        Effect.map(Clock.currentTimeMillis, (now) =>
          index === 0
            ? { status: 500, body: { error: "Internal Server Error", status: 500, message: "boom" } }
            : index === 1
            ? tooManyRequests(Math.floor(now / 1000))
            : {
              body: { data: [wireUser("bob")] },
              headers: { "Ratelimit-Limit": "800", "Ratelimit-Remaining": "737", "Ratelimit-Reset": "1" }
            }), { helix: { retryBase: "5 millis" } })
    )))
})
