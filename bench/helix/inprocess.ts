/**
 * Profiling aid for the helix benchmark (not a registered benchmark): our calls over an in-memory
 * `HttpClient` that answers the Get Streams page at once, so that a CPU profile (`node --cpu-prof`)
 * or an allocation profile shows our own per-call work without socket I/O.
 * `node inprocess.js [ms] [variant]` prints microseconds per call of every variant (or only the
 * named one); `CALLS=n` makes a fixed number of calls instead (for `--trace-gc-nvp`), with
 * `MINOR_GC=1` (and `--expose-gc`) a scavenge after each, `SNAPSHOT=file` a heap snapshot at the end.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { writeHeapSnapshot } from "node:v8"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as Operations from "../../src/helix/generated/Operations.js"
import { StreamsApi } from "../../src/helix/generated/StreamsApi.js"
import * as Helix from "../../src/helix/Helix.js"
import { HelixClient } from "../../src/helix/HelixClient.js"
import type { LiveStream } from "../../src/helix/LiveStream.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import { streamsPage } from "./page.js"

const body = JSON.stringify(streamsPage(100))
const headers = {
  "content-type": "application/json",
  "ratelimit-limit": "100000000",
  "ratelimit-remaining": "99999999",
  "ratelimit-reset": "9999999999"
}
// One answer, its body read once (the platform caches it): every call gets it at no I/O cost (a
// fresh web `Response` per call would cost more than all the rest).
const answer = HttpClientResponse.fromWeb(
  HttpClientRequest.get("http://127.0.0.1:1/helix/streams"),
  new Response(body, { status: 200, headers })
)
const client = HttpClient.make(() => Effect.succeed(answer))

let sink = 0
const read = (s: LiveStream) => {
  sink += s.id.length + s.userLogin.length + Option.getOrElse(s.gameName, () => "").length + s.viewerCount +
    s.startedAt.getTime() + s.tags.length + s.thumbnail(320, 180).length
}

const main = async (ms: number) => {
  const runtime = ManagedRuntime.make(
    Helix.layer().pipe(
      Layer.provide(
        TwitchAuth.layerStatic(AccessToken.make("benchtoken0123456789", { kind: "user", userId: "1" }))
      ),
      Layer.provide(TwitchConfig.layer({ clientId: "benchclient", helixUrl: "http://127.0.0.1:1/helix" })),
      Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
    )
  )
  await Effect.runPromise(answer.text)
  const [streams, helix] = await runtime.runPromise(Effect.all([StreamsApi, HelixClient]))
  const list = Effect.map(
    Stream.runCollect(Stream.take(streams.list({ first: 100 }), 100)),
    (chunk) => Chunk.forEach(chunk, read)
  )
  const pageInStream = Effect.map(
    Stream.runCollect(Stream.take(
      Stream.flattenIterables(
        Stream.fromEffect(Effect.map(streams.listPage({ first: 100 }), (p) => p.data))
      ),
      100
    )),
    (chunk) => Chunk.forEach(chunk, read)
  )
  const listForEach = Stream.runForEach(
    Stream.take(streams.list({ first: 100 }), 100),
    (s) => Effect.sync(() => read(s))
  )
  const page = Effect.map(streams.listPage({ first: 100 }), (p) => p.data.forEach(read))
  const unknown = helix.page("/streams", Schema.Unknown, { query: { first: 100 } })
  const fastItem = Effect.map(
    helix.page("/streams", Operations.getStreams.item, { query: { first: 100 } }),
    (p) => p.data.forEach(read)
  )
  const request = HttpClientRequest.get("http://127.0.0.1:1/helix/streams?first=100")
  const platform = Effect.flatMap(client.execute(request), (r) => Effect.map(r.text, (t) => JSON.parse(t)))
  // Scoped (closing the scope aborts), the platform's span off: how the pipeline calls it.
  const platformAsUsed = Effect.scoped(
    Effect.locally(
      Effect.flatMap(
        HttpClient.withScope(client).execute(request),
        (r) => Effect.map(r.text, (t) => JSON.parse(t))
      ),
      HttpClient.currentTracerDisabledWhen,
      () => true
    )
  )
  const variants = [
    ["platform execute + JSON.parse", () => runtime.runPromise(platform)],
    ["platform as the pipeline uses it", () => runtime.runPromise(platformAsUsed)],
    ["runPromise(Effect.void)", () => runtime.runPromise(Effect.void)],
    ["transport, Schema.Unknown", () => runtime.runPromise(unknown)],
    ["transport, fast item + reads", () => runtime.runPromise(fastItem)],
    ["listPage + reads", () => runtime.runPromise(page)],
    ["StreamsApi.list + reads", () => runtime.runPromise(list)],
    ["page in a Stream", () => runtime.runPromise(pageInStream)],
    ["list, runForEach", () => runtime.runPromise(listForEach)],
    ["listPage, tracing off", () => runtime.runPromise(Effect.withTracerEnabled(page, false))]
  ] as const
  const only = process.argv[3]
  const selected = variants.filter(([name]) => only === undefined || name === only)
  if (process.env["CALLS"] !== undefined) {
    for (const [name, f] of selected) {
      const minor = process.env["MINOR_GC"] === undefined
        ? undefined
        : (globalThis as { gc?: (options: { type: string }) => void }).gc
      for (let i = 0; i < Number(process.env["CALLS"]); i++) {
        await f()
        // Exploration: a scavenge after each call shows what a call leaves alive after it returned.
        if (minor !== undefined) {
          if (process.env["MINOR_GC"] === "later") await new Promise((resolve) => setTimeout(resolve, 0))
          minor({ type: "minor" })
        }
      }
      console.log(`${name}: ${process.env["CALLS"]} calls`)
    }
    // Exploration: what is still reachable after the calls.
    if (process.env["SNAPSHOT"] !== undefined) writeHeapSnapshot(process.env["SNAPSHOT"])
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
      `${name.padEnd(30)} wall ${wall.toFixed(1).padStart(8)} us/call, CPU ${
        cpu.toFixed(1).padStart(8)
      } us/call`
    )
  }
  if (sink === 0) console.log("nothing read")
  await runtime.dispose()
}

main(Number(process.argv[2] ?? 2000))
