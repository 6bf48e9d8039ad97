/**
 * EventSub end to end: the project's mock Twitch, in a process of its own, pushes N
 * `channel.chat.message` notifications (its `control.blast`: the event built once, with an emote
 * fragment and two badges, a fresh message id each) then a sentinel over one WebSocket to one
 * client subscribed to them. Each client runs in its own Node process and reads every event as a
 * user's code would (text, chatter name, fragments, badges, color): ours (`EventSubWebSocket`
 * consuming the typed `Stream` of `subscribeScoped`, default buffer with backpressure) and Twurple's
 * `EventSubWsListener` (`onChannelChatMessage`, pointed at the mock with `TWURPLE_MOCK_API_PORT`,
 * as for twitch-cli's mock). Both create the subscription through the mock's Helix first (ours at
 * `/helix/eventsub/subscriptions`, Twurple at twitch-cli's `/eventsub/subscriptions`).
 *
 * Reported, best of the interleaved passes (at least 3): messages per second of wall time from
 * "go" to the sentinel, messages per CPU-second of the client process, and its smallest peak RSS
 * and heap growth. Our code and the mock run compiled to ES2022 as `npm run build` emits it.
 */
import { fork } from "node:child_process"
import { compileForNode } from "../lib/compile.js"
import { type Benchmark, fmt, type RunOptions, table } from "../lib/harness.js"
import type { Kind, ServerInfo, WorkerResult } from "./shared.js"

const kinds: ReadonlyArray<{ readonly kind: Kind; readonly label: string }> = [
  { kind: "ours", label: "effect-twitcher EventSubWebSocket (typed Stream)" },
  { kind: "twurple", label: "Twurple 8.1 EventSubWsListener" },
  { kind: "raw", label: "baseline: a bare ws socket counting frames (no parsing)" }
]

// BENCH_CHILD_FLAGS adds Node flags to the clients, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof";
// BENCH_SERVER_FLAGS to the mock's process.
const flags = (name: string) => (process.env[name] ?? "").split(" ").filter((f) => f.length > 0)
const childFlags = flags("BENCH_CHILD_FLAGS")

/** The mock in its own process: its info once it listens, `blast(n)`, `close()`. */
const startServer = (serverPath: string) =>
  new Promise<{
    readonly info: ServerInfo
    readonly blast: (n: number) => Promise<unknown>
    readonly close: () => void
  }>((resolve, reject) => {
    const child = fork(serverPath, [], {
      execArgv: flags("BENCH_SERVER_FLAGS"),
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    child.once("error", reject)
    child.once("message", (info) =>
      resolve({
        info: info as ServerInfo,
        blast: (n) =>
          new Promise((done) => {
            child.once("message", done)
            child.send({ blast: n })
          }),
        close: () => child.kill()
      }))
  })

const runCase = (paths: { readonly worker: string; readonly server: string }, kind: Kind, n: number) =>
  startServer(paths.server).then((server) =>
    new Promise<WorkerResult | string>((resolve) => {
      const child = fork(paths.worker, [kind, JSON.stringify(server.info)], {
        execArgv: ["--expose-gc", "--max-old-space-size=4096", ...childFlags],
        stdio: ["ignore", "inherit", "inherit", "ipc"]
      })
      let settled = false
      let sendMillis = Number.NaN
      const settle = (outcome: WorkerResult | string) => {
        if (settled) return
        settled = true
        clearTimeout(timeout)
        // the worker exits by itself after its result (flushing a CPU profile when asked)
        const kill = setTimeout(() => child.kill(), 3_000)
        const done = () => {
          clearTimeout(kill)
          server.close()
          resolve(typeof outcome === "string" ? outcome : { ...outcome, sendMillis })
        }
        if (child.exitCode !== null) done()
        else child.once("exit", done)
      }
      const timeout = setTimeout(() => settle("timed out after 120 s"), 120_000)
      child.on("message", (message: unknown) => {
        if (typeof message === "object" && message !== null && "ready" in message) {
          child.send("go")
          server.blast(n).then(
            (answer) => {
              if (typeof answer === "object" && answer !== null && "error" in answer) {
                settle(`the mock failed: ${String(answer.error)}`)
              } else if (typeof answer === "object" && answer !== null && "millis" in answer) {
                sendMillis = Number(answer.millis)
              }
            },
            (e: unknown) => settle(`blast failed: ${String(e)}`)
          )
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
  const paths = {
    worker: compileForNode(new URL("./worker.ts", import.meta.url)),
    server: compileForNode(new URL("./server.ts", import.meta.url), "eventsub-server")
  }
  console.log(`${fmt(n)} channel.chat.message notifications + 1 sentinel, ${passes} interleaved pass(es)`)
  const results = new Map<Kind, Array<WorkerResult>>()
  for (let pass = 1; pass <= passes; pass++) {
    for (const { kind } of kinds) {
      const outcome = await runCase(paths, kind, n)
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
        } MB, heap +${outcome.peakHeapMb.toFixed(1)} MB; the mock pushed them at ${
          fmt(n / (outcome.sendMillis ?? Number.NaN) * 1000)
        }/s`
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
