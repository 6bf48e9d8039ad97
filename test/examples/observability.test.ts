/**
 * The OpenTelemetry example, run in-process with in-memory exporters: the spans and metrics it
 * exports are the library's (Helix operations, the token check, the HTTP pipeline's metrics), they
 * nest under the example's span, and no credential of the mock appears in any exported attribute.
 */
import { describe, expect, it } from "@effect/vitest"
import { ExportResultCode } from "@opentelemetry/core"
import {
  AggregationTemporality,
  type PushMetricExporter,
  type ResourceMetrics
} from "@opentelemetry/sdk-metrics"
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import { program, telemetry, twitch } from "../../examples/observability.js"
import { credentials } from "../../src/testing/MockTwitch.js"

const secrets = [
  credentials.userToken,
  credentials.appToken,
  credentials.clientSecret,
  credentials.refreshToken
]

/** Exporters that keep what they were given (the SDK's in-memory ones forget it on shutdown). */
const keeping = () => {
  const spans: Array<ReadableSpan> = []
  const metrics: Array<ResourceMetrics> = []
  const spanExporter: SpanExporter = {
    export: (batch, done) => {
      spans.push(...batch)
      done({ code: ExportResultCode.SUCCESS })
    },
    shutdown: () => Promise.resolve()
  }
  const metricExporter: PushMetricExporter = {
    export: (batch, done) => {
      metrics.push(batch)
      done({ code: ExportResultCode.SUCCESS })
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE
  }
  return { spans, metrics, spanExporter, metricExporter }
}

describe("examples/observability.ts", () => {
  it.live(
    "exports the library's spans and metrics through OpenTelemetry, with no secret in them",
    () =>
      Effect.gen(function*() {
        const kept = keeping()
        // The SDK layer closes after the program: spans flushed, metrics exported once more.
        yield* program.pipe(
          Effect.provide(twitch),
          Effect.provide(
            Layer.merge(
              telemetry(kept.spanExporter, kept.metricExporter, 60_000),
              Logger.remove(Logger.defaultLogger)
            )
          )
        )
        const finished = kept.spans
        const names = new Set(finished.map((s) => s.name))
        expect(names).toContain("example.observability")
        expect([...names].some((n) => n.startsWith("Helix "))).toBe(true)
        const root = finished.find((s) => s.name === "example.observability")!
        const helix = finished.filter((s) => s.name.startsWith("Helix "))
        expect(helix.every((s) => s.spanContext().traceId === root.spanContext().traceId)).toBe(true)

        const exported = kept.metrics.flatMap((m) => m.scopeMetrics.flatMap((s) => s.metrics))
        const metricNames = new Set(exported.map((m) => m.descriptor.name))
        expect([...metricNames].some((n) => n.startsWith("effect_twitcher_http"))).toBe(true)

        const everything = JSON.stringify({
          spans: finished.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events })),
          metrics: exported.map((m) => m.dataPoints.map((p) => p.attributes))
        })
        for (const secret of secrets) expect(everything).not.toContain(secret)
      }),
    30_000
  )
})
