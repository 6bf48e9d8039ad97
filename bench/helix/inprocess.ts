/**
 * Profiling aid for the helix benchmark (not a registered benchmark): our pipeline over an
 * in-memory `HttpClient` that answers the Get Streams page at once, so that a CPU profile shows
 * the pipeline's own per-call work without socket I/O. `node --cpu-prof inprocess.js [item] [ms] [variant]`
 * with `item` `unknown` (default) or `stream`; prints microseconds per call.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Schema from "effect/Schema"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as HelixClient from "../../src/helix/HelixClient.js"
import { Stream as LiveStream } from "../../src/helix/Stream.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import { streamsPage } from "./page.js"

const body = JSON.stringify(streamsPage(100))
const headers = {
  "content-type": "application/json",
  "ratelimit-limit": "100000000",
  "ratelimit-remaining": "99999999",
  "ratelimit-reset": "9999999999"
}
// One answer, its body read once (the platform caches it): every call gets it at no I/O cost.
const answer = HttpClientResponse.fromWeb(
  HttpClientRequest.get("http://127.0.0.1:1/helix/streams"),
  new Response(body, { status: 200, headers })
)
const client = HttpClient.make(() => Effect.succeed(answer))

const main = async (item: string, ms: number) => {
  const runtime = ManagedRuntime.make(
    HelixClient.layer().pipe(
      Layer.provide(
        TwitchAuth.layerStatic(AccessToken.make("benchtoken0123456789", { kind: "user", userId: "1" }))
      ),
      Layer.provide(TwitchConfig.layer({ clientId: "benchclient", helixUrl: "http://127.0.0.1:1/helix" })),
      Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
    )
  )
  await Effect.runPromise(answer.text)
  const helix = await runtime.runPromise(HelixClient.HelixClient)
  const call = item === "stream"
    ? helix.page("/streams", LiveStream, { query: { first: 100 } })
    : helix.page("/streams", Schema.Unknown, { query: { first: 100 } })
  const bare = async () => (JSON.parse(body) as { data: Array<unknown> }).data.length
  const request = HttpClientRequest.get("http://127.0.0.1:1/helix/streams?first=100")
  const platform = Effect.flatMap(client.execute(request), (r) => Effect.map(r.text, (t) => JSON.parse(t)))
  const variants = [
    ["platform execute + JSON.parse", () => runtime.runPromise(platform)],
    ["same, tracing off", () => runtime.runPromise(Effect.withTracerEnabled(platform, false))],
    ["same + Effect.timeout", () => runtime.runPromise(Effect.timeout(platform, "30 seconds"))],
    ["JSON.parse of the body", bare],
    ["runPromise(Effect.void)", () => runtime.runPromise(Effect.void)],
    ["ours", () => runtime.runPromise(call)],
    ["ours, tracing off", () => runtime.runPromise(Effect.withTracerEnabled(call, false))]
  ] as const
  const only = process.argv[4]
  const selected = variants.filter(([name]) => only === undefined || name === only)
  if (process.env["CALLS"] !== undefined) {
    // A fixed number of calls of each selected variant (for --trace-gc-nvp: bytes promoted per call).
    for (const [name, f] of selected) {
      for (let i = 0; i < Number(process.env["CALLS"]); i++) await f()
      console.log(`${name}: ${process.env["CALLS"]} calls`)
    }
    return runtime.dispose()
  }
  const best = new Map<string, { wall: number; cpu: number }>()
  // Interleaved rounds, best of each: the machine is shared, a round can be slowed by others.
  for (let round = 0; round < 5; round++) {
    for (const [name, f] of selected) {
      const start = performance.now()
      const cpu = process.cpuUsage()
      let n = 0
      while (performance.now() - start < ms) {
        await f()
        n++
      }
      const used = process.cpuUsage(cpu)
      const wall = (performance.now() - start) / n * 1000
      const cpuPerCall = (used.user + used.system) / n
      const previous = best.get(name)
      best.set(name, {
        wall: Math.min(wall, previous?.wall ?? Infinity),
        cpu: Math.min(cpuPerCall, previous?.cpu ?? Infinity)
      })
    }
  }
  for (const [name, { cpu, wall }] of best) {
    console.log(
      `${name.padEnd(28)} wall ${wall.toFixed(1).padStart(8)} us/call, CPU ${
        cpu.toFixed(1).padStart(8)
      } us/call`
    )
  }
  await runtime.dispose()
}

main(process.argv[2] ?? "unknown", Number(process.argv[3] ?? 3000))
