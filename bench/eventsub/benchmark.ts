/**
 * EventSub end to end: a server on loopback pushes N `channel.chat.message` notifications (with
 * fragments, badges, a reply on some) then a sentinel over one WebSocket to one client subscribed
 * to them. Each client runs in its own Node process and reads every event as a user's code would
 * (text, chatter name, fragments, badges, color): ours (`EventSubWebSocket` consuming the typed
 * `Stream` of `subscribeScoped`, default buffer with backpressure) and Twurple's
 * `EventSubWsListener` (`onChannelChatMessage`, pointed at the same server with
 * `TWURPLE_MOCK_API_PORT`, as for twitch-cli's mock). Both create the subscription through the
 * server's Helix endpoint first.
 *
 * Reported, best of the interleaved passes (at least 3): messages per second of wall time from
 * "go" to the sentinel (the server's frames are built before "go"), messages per CPU-second of the
 * client process, and its smallest peak RSS and heap growth. Our code runs compiled to ES2022 as
 * `npm run build` emits it.
 */
import { fork } from "node:child_process"
import { compileForNode } from "../lib/compile.js"
import { type Benchmark, fmt, type RunOptions, table } from "../lib/harness.js"
import * as Server from "./server.js"
import type { Kind, WorkerResult } from "./shared.js"

const kinds: ReadonlyArray<{ readonly kind: Kind; readonly label: string }> = [
  { kind: "ours", label: "effect-twitcher EventSubWebSocket (typed Stream)" },
  { kind: "twurple", label: "Twurple 8.1 EventSubWsListener" }
]

// BENCH_CHILD_FLAGS adds Node flags to the clients, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
const childFlags = (process.env["BENCH_CHILD_FLAGS"] ?? "").split(" ").filter((f) => f.length > 0)

const runCase = (workerPath: string, kind: Kind, n: number): Promise<WorkerResult | string> =>
  Server.start().then((server) =>
    new Promise<WorkerResult | string>((resolve) => {
      const child = fork(workerPath, [kind, String(server.port)], {
        execArgv: ["--expose-gc", "--max-old-space-size=4096", ...childFlags],
        stdio: ["ignore", "inherit", "inherit", "ipc"]
      })
      let settled = false
      const settle = (outcome: WorkerResult | string) => {
        if (settled) return
        settled = true
        clearTimeout(timeout)
        // the worker exits by itself after its result (flushing a CPU profile when asked)
        const kill = setTimeout(() => child.kill(), 3_000)
        const done = () => {
          clearTimeout(kill)
          void server.close().then(() => resolve(outcome))
        }
        if (child.exitCode !== null) done()
        else child.once("exit", done)
      }
      const timeout = setTimeout(() => settle("timed out after 120 s"), 120_000)
      child.on("message", (message: unknown) => {
        if (typeof message === "object" && message !== null && "ready" in message) {
          const frames = server.prepare(n)
          child.send("go")
          frames.send().catch((e: unknown) => settle(`send failed: ${String(e)}`))
        } else {
          settle(message as WorkerResult)
        }
      })
      child.once("exit", (code) => settle(`exited with ${code} before the sentinel`))
    })
  )

const run = async (options: RunOptions): Promise<void> => {
  const n = options.quick ? 10_000 : 100_000
  const expected = n + 1
  const passes = options.quick ? options.passes : Math.max(3, options.passes)
  const workerPath = compileForNode(new URL("./worker.ts", import.meta.url))
  console.log(`${fmt(n)} channel.chat.message notifications + 1 sentinel, ${passes} interleaved pass(es)`)
  const results = new Map<Kind, Array<WorkerResult>>()
  for (let pass = 1; pass <= passes; pass++) {
    for (const { kind } of kinds) {
      const outcome = await runCase(workerPath, kind, n)
      if (typeof outcome === "string") {
        console.log(`  pass ${pass} ${kind.padEnd(8)} FAILED: ${outcome}`)
        continue
      }
      results.set(kind, [...(results.get(kind) ?? []), outcome])
      console.log(
        `  pass ${pass} ${kind.padEnd(8)} ${String(outcome.count).padStart(7)} events  ${
          fmt(outcome.count / outcome.millis * 1000).padStart(9)
        }/s  ${fmt(outcome.count / outcome.cpuMillis * 1000).padStart(9)}/CPU-s  peak RSS +${
          outcome.peakRssMb.toFixed(1)
        } MB, heap +${outcome.peakHeapMb.toFixed(1)} MB`
      )
    }
  }
  const complete = (kind: Kind) => (results.get(kind) ?? []).filter((r) => r.count === expected)
  const best = (kind: Kind, f: (r: WorkerResult) => number) => Math.max(0, ...complete(kind).map(f))
  const least = (kind: Kind, f: (r: WorkerResult) => number) => Math.min(...complete(kind).map(f))
  const rate = (kind: Kind) => best(kind, (r) => expected / r.millis * 1000)
  const cpuRate = (kind: Kind) => best(kind, (r) => expected / r.cpuMillis * 1000)
  console.log("")
  console.log(table(
    ["client", "events handed over", "events/s", "events/CPU-s", "peak RSS growth MB", "peak heap growth MB"],
    kinds.map(({ kind, label }) => {
      const all = results.get(kind) ?? []
      if (complete(kind).length === 0) {
        return [label, all.length === 0 ? "not run" : "incomplete", "—", "—", "—", "—"]
      }
      return [
        kind === "ours" ? `**${label}**` : label,
        `${fmt(expected)} (all)`,
        fmt(rate(kind)),
        fmt(cpuRate(kind)),
        least(kind, (r) => r.peakRssMb).toFixed(1),
        least(kind, (r) => r.peakHeapMb).toFixed(1)
      ]
    })
  ))
  if (complete("ours").length === 0 || complete("twurple").length === 0) return
  const speed = rate("ours") / rate("twurple")
  const memory = least("ours", (r) => r.peakRssMb) / least("twurple", (r) => r.peakRssMb)
  console.log("")
  console.log(table(["ours vs Twurple", "ratio", "target", "verdict"], [
    ["events/s", `${speed.toFixed(2)}x`, "≥ 3x", speed >= 3 ? "met" : "MISSED"],
    ["events/CPU-s", `${(cpuRate("ours") / cpuRate("twurple")).toFixed(2)}x`, "—", "—"],
    ["peak RSS growth", `${memory.toFixed(2)}x`, "≤ 1x", memory <= 1 ? "met" : "MISSED"]
  ]))
}

/** The EventSub benchmark. */
export const eventSubBenchmark: Benchmark = {
  name: "eventsub",
  description: "EventSub over WebSocket end to end: ours vs Twurple's EventSubWsListener",
  run
}
