/**
 * Spans and metrics of effect-twitcher exported with OpenTelemetry (`@effect/opentelemetry`): a few
 * Helix calls and a token check, traced and measured, printed by the console exporters. Swap the
 * console exporters for OTLP ones (`@opentelemetry/exporter-trace-otlp-http`,
 * `@opentelemetry/exporter-metrics-otlp-http`) to ship them to a collector, Jaeger, Grafana Tempo...
 *
 *   npx tsx examples/observability.ts          # against the built-in mock Twitch
 *   TWITCH_CLIENT_ID=<id> TWITCH_TOKEN=<token> npx tsx examples/observability.ts
 *
 * No token, client secret, code or playback signature appears in a span attribute or a metric label.
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import {
  ConsoleMetricExporter,
  PeriodicExportingMetricReader,
  type PushMetricExporter
} from "@opentelemetry/sdk-metrics"
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanExporter } from "@opentelemetry/sdk-trace-base"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Url from "node:url"
import { TwitchAuth } from "../src/auth/index.js"
import { Games, Helix, Paging, Streams } from "../src/helix/index.js"
import { Environment } from "../src/testing/index.js"

/** The traced work: who the token is, the top games, and the live streams of the first. */
export const program = Effect.gen(function*() {
  const user = yield* Effect.either(TwitchAuth.currentUser)
  yield* Console.log(user._tag === "Right" ? `Signed in as ${user.right.login}` : "An app token")
  const games = yield* Games.Games
  const streams = yield* Streams.Streams
  const top = yield* Paging.collect(games.top(), { limit: 3 })
  for (const game of top) {
    const live = yield* Paging.collect(streams.list({ gameIds: [game.id], pageSize: 5 }), { limit: 5 })
    yield* Console.log(`${game.name}: ${live.length} live streams`)
  }
}).pipe(Effect.withSpan("example.observability"))

/** Twitch (or the mock) and Helix, over undici. */
export const twitch = Helix.layer().pipe(
  Layer.provideMerge(Environment.layer({ mock: { irc: false } })),
  Layer.provide(NodeHttpClient.layerUndici)
)

/**
 * The OpenTelemetry SDK as a layer: spans to `spans` in batches, metrics to `metrics` every
 * `intervalMillis` (and once more when the layer closes).
 */
export const telemetry = (spans: SpanExporter, metrics: PushMetricExporter, intervalMillis = 10_000) =>
  NodeSdk.layer(() => ({
    resource: { serviceName: "effect-twitcher-example" },
    spanProcessor: new BatchSpanProcessor(spans),
    metricReader: new PeriodicExportingMetricReader({
      exporter: metrics,
      exportIntervalMillis: intervalMillis
    })
  }))

if (process.argv[1] !== undefined && Url.pathToFileURL(process.argv[1]).href === import.meta.url) {
  program.pipe(
    Effect.provide(twitch),
    Effect.provide(telemetry(new ConsoleSpanExporter(), new ConsoleMetricExporter())),
    NodeRuntime.runMain
  )
}
