/**
 * Shared pieces of the benchmarks: the registry types, running a case in a child process, timing
 * rounds and measuring retained heap.
 */
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"

/** Options given to every benchmark by `bench/run.ts`. */
export interface RunOptions {
  /** Fewer rounds and a smaller corpus: a smoke run, not figures to publish. */
  readonly quick: boolean
  /** How many times every case runs (interleaved); the best figure of the passes is kept. */
  readonly passes: number
}

/** A benchmark registered in `bench/benchmarks.ts`. */
export interface Benchmark {
  readonly name: string
  readonly description: string
  readonly run: (options: RunOptions) => Promise<void>
}

/**
 * Runs `worker` in a fresh Node process with `--expose-gc`, passing `args`, and resolves with the
 * first message it sends over IPC. A `.ts` worker runs under tsx; a `.js` one (see
 * `compileForNode`) under plain Node.
 */
export const runInChild = <A>(worker: string | URL, args: ReadonlyArray<string>): Promise<A> =>
  new Promise((resolve, reject) => {
    const path = typeof worker === "string" ? worker : fileURLToPath(worker)
    const loader = path.endsWith(".ts") ? ["--import", "tsx"] : []
    const child = fork(path, [...args], {
      execArgv: [...loader, "--expose-gc", "--max-old-space-size=4096"],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    let result: { readonly value: A } | undefined
    child.once("message", (message) => {
      result = { value: message as A }
    })
    child.once("error", reject)
    child.once("exit", (code) => {
      if (result !== undefined) resolve(result.value)
      else reject(new Error(`${path} ${args.join(" ")} exited with ${code} without a result`))
    })
  })

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined) throw new Error("run with --expose-gc")
  for (let i = 0; i < 4; i++) collect()
}

/** The heap in use after full collections. */
export const heapAfterGc = (): number => {
  gc()
  return process.memoryUsage().heapUsed
}

const cpuMs = (): number => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

/**
 * Lines per second of `body` over `count` lines: `rounds` rounds, each repeating the body until
 * `minMs` of wall time passed. A round's rate is lines per second of the process's CPU time
 * (user + system, all threads, so GC helpers count): on a shared machine, time spent waiting
 * for a core is not charged to the parser. Returns the best and the median round.
 */
export const measureRate = (
  count: number,
  body: () => number,
  options: { readonly rounds: number; readonly minMs: number; readonly warmupMs: number }
): { readonly best: number; readonly median: number; readonly checksum: number } => {
  let checksum = 0
  const warmEnd = performance.now() + options.warmupMs
  do checksum += body()
  while (performance.now() < warmEnd)
  const rates: Array<number> = []
  for (let r = 0; r < options.rounds; r++) {
    let n = 0
    const start = performance.now()
    const cpuStart = cpuMs()
    do {
      checksum += body()
      n += count
    } while (performance.now() - start < options.minMs)
    rates.push(n / Math.max(0.001, cpuMs() - cpuStart) * 1000)
  }
  rates.sort((a, b) => a - b)
  return { best: rates[rates.length - 1], median: rates[Math.floor(rates.length / 2)], checksum }
}

/** Formats a number with thousands separators. */
export const fmt = (n: number): string => Math.round(n).toLocaleString("en-US")

/** Renders a Markdown table. */
export const table = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: ReadonlyArray<string>) =>
    `| ${cells.map((c, i) => i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])).join(" | ")} |`
  return [
    line(head),
    `|${widths.map((w, i) => i === 0 ? `${"-".repeat(w + 2)}` : `${"-".repeat(w + 1)}:`).join("|")}|`,
    ...rows.map(line)
  ].join("\n")
}
