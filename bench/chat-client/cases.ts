/**
 * Running one chat-client case: a client process of `worker.ts` until its sentinel, blasting once
 * it says it is ready, and the line each pass prints.
 */
import { fork } from "node:child_process"
import { fmt } from "../lib/harness.js"
import type { Kind, WorkerResult } from "./shared.js"

/** What one client process gave: its result, or why it has none. */
export interface Outcome {
  readonly result?: WorkerResult
  readonly error?: string
}

// BENCH_CHILD_FLAGS adds Node flags to the clients, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
const childFlags = (process.env["BENCH_CHILD_FLAGS"] ?? "").split(" ").filter((f) => f.length > 0)

/** Runs one client process until its sentinel (blasting once it says it is ready). */
export const runCase = (
  workerPath: string,
  kind: Kind,
  port: number,
  channel: string,
  blast: () => Promise<void>,
  env: Readonly<Record<string, string>> = {}
): Promise<Outcome> =>
  new Promise((resolve) => {
    const child = fork(workerPath, [kind, "127.0.0.1", String(port), channel], {
      execArgv: ["--expose-gc", "--max-old-space-size=4096", ...childFlags],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, ...env }
    })
    let settled = false
    const settle = (outcome: Outcome) => {
      if (settled) return
      settled = true
      clearTimeout(timeout)
      resolve(outcome)
    }
    const timeout = setTimeout(() => {
      child.kill()
      settle({ error: "timed out after 60 s" })
    }, 60_000)
    child.on("message", (message: unknown) => {
      if (typeof message === "object" && message !== null && "ready" in message) {
        child.send("go")
        blast().catch((e: unknown) => settle({ error: `blast failed: ${String(e)}` }))
      } else {
        settle({ result: message as WorkerResult })
      }
    })
    child.once(
      "exit",
      (code, signal) => settle({ error: `exited with ${code ?? signal} before the sentinel` })
    )
  })

/** The columns of a results table. */
export const columns: ReadonlyArray<string> = [
  "client",
  "messages handed over",
  "messages/s",
  "messages/CPU-s",
  "peak RSS growth MB",
  "peak heap growth MB"
]

/** The line a pass prints for one case. */
export const logPass = (pass: number, kind: Kind, outcome: Outcome, width: number): void => {
  const r = outcome.result
  if (r === undefined) {
    console.log(`  pass ${pass} ${kind.padEnd(width)} FAILED: ${outcome.error ?? "no result"}`)
    return
  }
  console.log(
    `  pass ${pass} ${kind.padEnd(width)} ${String(r.count).padStart(7)} messages  ${
      fmt(r.count / r.millis * 1000).padStart(9)
    }/s  ${fmt(r.count / r.cpuMillis * 1000).padStart(9)}/CPU-s  peak RSS +${r.peakRssMb.toFixed(1)} MB`
  )
}
