/**
 * The helix benchmark: the per-call cost of one Get Streams page of 100 streams the way a user gets
 * it (the generated `StreamsApi.listPage`, and `StreamsApi.list` as a Stream: token check,
 * parameters, auth header, bucket, retry wrapper, spans, fast decode into `LiveStream`s) and reads
 * it, against a bare undici request of the same URL with `JSON.parse` and the same reads, the
 * `@effect/platform` client alone, and Twurple's `ApiClient.streams.getStreams`, all against the
 * same static loopback server (its own process), each case in its own process, one call after
 * another. Every case must read the same values (a checksum) with one request per call.
 */
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { compileForNode } from "../lib/compile.js"
import { type Benchmark, runInChild, type RunOptions, table } from "../lib/harness.js"
import type { CaseResult } from "./worker.js"

const cases = [
  { id: "bare", label: "undici request + JSON.parse + reads (bare)", io: true },
  { id: "platform", label: "@effect/platform undici HttpClient + JSON.parse + reads", io: true },
  {
    id: "ours",
    label: "**effect-twitcher StreamsApi.listPage (generated, one page) + reads**",
    io: true
  },
  {
    id: "ours-stream",
    label: "effect-twitcher StreamsApi.list (generated, Stream, take 100) + reads",
    io: true
  },
  {
    id: "ours-unknown",
    label: "effect-twitcher HelixClient.page(Schema.Unknown) + bare reads: transport, no model decode",
    io: true
  },
  { id: "twurple", label: "Twurple 8.2 ApiClient.streams.getStreams + reads", io: true },
  { id: "decode-only", label: "JSON.parse + fast decode of the 100 streams + reads (no I/O)", io: false },
  { id: "parse-only", label: "JSON.parse + bare reads (no I/O)", io: false }
] as const

const startServer = () =>
  new Promise<{ readonly port: number; readonly stop: () => void }>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./server.ts", import.meta.url)), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    child.once("error", reject)
    child.once(
      "message",
      (message) => resolve({ port: (message as { port: number }).port, stop: () => child.kill() })
    )
  })

const best = (a: CaseResult, b: CaseResult): CaseResult => ({
  ...a,
  requestsPerCall: Math.max(a.requestsPerCall, b.requestsPerCall),
  wallBest: Math.min(a.wallBest, b.wallBest),
  wallMedian: Math.min(a.wallMedian, b.wallMedian),
  cpuBest: Math.min(a.cpuBest, b.cpuBest),
  cpuMedian: Math.min(a.cpuMedian, b.cpuMedian),
  calls: a.calls + b.calls
})

const ms = (n: number) => n.toFixed(3)
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`

/** `BENCH_HELIX_CASES="bare ours"` runs only the named cases (for profiling; not for publishing). */
const only = process.env["BENCH_HELIX_CASES"]?.split(/\s+/).filter((id) => id !== "")
const selected = cases.filter((spec) => only === undefined || spec.id === "bare" || only.includes(spec.id))

const run = async (options: RunOptions): Promise<void> => {
  const worker = compileForNode(new URL("./worker.ts", import.meta.url))
  const server = await startServer()
  console.log(
    `static loopback server on 127.0.0.1:${server.port} (own process); node ${process.version}; ` +
      `${options.passes} pass(es), every case in its own process, our code compiled to ES2022 by TypeScript\n`
  )
  const results = new Map<string, CaseResult>()
  try {
    for (let pass = 1; pass <= options.passes; pass++) {
      for (const spec of selected) {
        const result = await runInChild<CaseResult>(worker, [
          spec.id,
          String(server.port),
          options.quick ? "1" : "0"
        ])
        const previous = results.get(spec.id)
        results.set(spec.id, previous === undefined ? result : best(previous, result))
        console.log(
          `  pass ${pass} ${spec.id.padEnd(13)} wall ${ms(result.wallBest)} ms/call (median ${
            ms(result.wallMedian)
          })` +
            `  cpu ${ms(result.cpuBest)} ms/call (median ${ms(result.cpuMedian)})  ${result.calls} calls`
        )
      }
    }
  } finally {
    server.stop()
  }
  const of = (id: string) => results.get(id)!
  const bare = of("bare")
  const checksums = new Set(selected.map((spec) => of(spec.id).checksum))
  if (checksums.size !== 1) throw new Error(`the cases read different values: ${[...checksums].join(", ")}`)
  console.log()
  console.log(table(
    ["case", "wall ms/call", "client CPU ms/call", "wall vs bare", "CPU vs bare", "requests/call"],
    selected.map((spec) => {
      const r = of(spec.id)
      return [
        spec.label,
        ms(r.wallBest),
        ms(r.cpuBest),
        spec.io ? ratio(r.wallBest, bare.wallBest) : "—",
        spec.io ? ratio(r.cpuBest, bare.cpuBest) : "—",
        spec.io ? r.requestsPerCall.toFixed(2) : "—"
      ]
    })
  ))
  if (selected.length < cases.length) return
  const ours = of("ours")
  const figure = (name: string, a: CaseResult, b: CaseResult, target = "") => [
    name,
    ratio(a.wallBest, b.wallBest),
    ratio(a.cpuBest, b.cpuBest),
    target,
    target === "" ? "" : a.wallBest / b.wallBest <= 1.2 ? "met" : "MISSED"
  ]
  const overhead = (name: string, a: CaseResult, b: CaseResult) => [
    name,
    ms(a.wallBest - b.wallBest),
    ms(a.cpuBest - b.cpuBest),
    "",
    ""
  ]
  console.log()
  console.log(table(["figure", "wall", "client CPU", "target", "verdict"], [
    figure("ours (StreamsApi.listPage) / bare", ours, bare, "≤ 1.2x"),
    figure("ours as a Stream (StreamsApi.list) / bare", of("ours-stream"), bare),
    figure("ours without model decode / bare", of("ours-unknown"), bare),
    figure("@effect/platform client alone / bare", of("platform"), bare),
    figure("ours / Twurple", ours, of("twurple")),
    overhead("ours over the platform client alone (ms/call)", ours, of("platform")),
    overhead("decode over bare reads, no I/O (ms/call)", of("decode-only"), of("parse-only")),
    overhead("Stream over one page Effect (ms/call)", of("ours-stream"), ours)
  ]))
}

/** The helix benchmark, as registered in `bench/benchmarks.ts`. */
export const helixBenchmark: Benchmark = {
  name: "helix",
  description: "one Get Streams page of 100 through our Helix pipeline vs bare undici and Twurple",
  run
}
