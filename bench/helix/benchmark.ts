/**
 * The helix benchmark: the per-call cost of one Get Streams page of 100 streams through our Helix
 * pipeline (auth header, bucket, retry wrapper, decode), against a bare undici request of the same
 * URL with `JSON.parse` and against Twurple's `ApiClient.streams.getStreams`, all against the same
 * static loopback server (its own process), each case in its own process, one call after another.
 */
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { compileForNode } from "../lib/compile.js"
import { type Benchmark, runInChild, type RunOptions, table } from "../lib/harness.js"
import type { CaseResult } from "./worker.js"

const cases = [
  { id: "bare", label: "undici request + JSON.parse (bare)" },
  { id: "ours", label: "**effect-twitcher HelixClient.page(Stream)**" },
  {
    id: "ours-unknown",
    label: "effect-twitcher HelixClient.page(Schema.Unknown): pipeline, no model decode"
  },
  { id: "twurple", label: "Twurple 8.2 ApiClient.streams.getStreams" },
  { id: "decode-only", label: "Schema decode of the 100 streams alone (parsed body, no I/O)" }
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
  wallBest: Math.min(a.wallBest, b.wallBest),
  wallMedian: Math.min(a.wallMedian, b.wallMedian),
  cpuBest: Math.min(a.cpuBest, b.cpuBest),
  cpuMedian: Math.min(a.cpuMedian, b.cpuMedian),
  calls: a.calls + b.calls
})

const ms = (n: number) => n.toFixed(3)
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`

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
      for (const spec of cases) {
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
  console.log()
  console.log(table(
    ["case", "wall ms/call", "client CPU ms/call", "wall vs bare", "CPU vs bare"],
    cases.map((spec) => {
      const r = of(spec.id)
      const io = spec.id !== "decode-only"
      return [
        spec.label,
        ms(r.wallBest),
        ms(r.cpuBest),
        io ? ratio(r.wallBest, of("bare").wallBest) : "—",
        io ? ratio(r.cpuBest, of("bare").cpuBest) : "—"
      ]
    })
  ))
  const bare = of("bare")
  const ours = of("ours")
  const unknown = of("ours-unknown")
  console.log()
  console.log(table(["figure", "wall", "client CPU", "target", "verdict"], [
    [
      "ours / bare",
      ratio(ours.wallBest, bare.wallBest),
      ratio(ours.cpuBest, bare.cpuBest),
      "≤ 1.2x",
      ours.wallBest / bare.wallBest <= 1.2 ? "met" : "MISSED"
    ],
    [
      "ours without model decode / bare",
      ratio(unknown.wallBest, bare.wallBest),
      ratio(unknown.cpuBest, bare.cpuBest),
      "",
      ""
    ],
    [
      "ours / Twurple",
      ratio(ours.wallBest, of("twurple").wallBest),
      ratio(ours.cpuBest, of("twurple").cpuBest),
      "",
      ""
    ],
    [
      "pipeline overhead over bare (ms/call)",
      ms(unknown.wallBest - bare.wallBest),
      ms(unknown.cpuBest - bare.cpuBest),
      "",
      ""
    ],
    [
      "model decode (ours - ours without decode, ms/call)",
      ms(ours.wallBest - unknown.wallBest),
      ms(ours.cpuBest - unknown.cpuBest),
      "",
      ""
    ]
  ]))
}

/** The helix benchmark, as registered in `bench/benchmarks.ts`. */
export const helixBenchmark: Benchmark = {
  name: "helix",
  description: "one Get Streams page of 100 through our Helix pipeline vs bare undici and Twurple",
  run
}
