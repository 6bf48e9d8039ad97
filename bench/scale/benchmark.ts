/**
 * `npm run bench -- scale`: thousands of channels in one process and over many.
 *
 * - (a) `pool.ts`: one `ChatPool` reading 5,000 channels of the mock IRC server anonymously, with
 *   a realistic message mix: time until every channel is joined against what the JOIN limit
 *   allows, memory per channel, messages per second.
 * - (b) `conduit.ts`: three worker processes sharing 5,000 channels through one EventSub conduit:
 *   events per second summed, each worker's share, and what a killed worker costs.
 *
 * Each case prints its own figures; `bench/README.md` records them.
 */
import type { Benchmark, RunOptions } from "../lib/harness.js"
import type { ScaleCase } from "./case.js"
import { runConduit } from "./conduit.js"
import { poolCase } from "./pool.js"

/** Part (b): a conduit fleet. */
const conduitCase: ScaleCase = {
  name: "conduit",
  title: "(b) a conduit fleet: three worker processes, one conduit, 5,000 channels",
  run: runConduit
}

/** The cases, in the order they run. */
export const cases: ReadonlyArray<ScaleCase> = [poolCase, conduitCase]

// BENCH_SCALE_CASES="pool" runs only the named cases.
const only = (process.env["BENCH_SCALE_CASES"] ?? "").split(" ").filter((c) => c.length > 0)

const run = async (options: RunOptions): Promise<void> => {
  for (const scaleCase of cases) {
    if (only.length > 0 && !only.includes(scaleCase.name)) continue
    console.log(`### ${scaleCase.name}: ${scaleCase.title}\n`)
    await scaleCase.run(options)
    console.log("")
  }
}

/** The scale benchmark, for the registry. */
export const scaleBenchmark: Benchmark = {
  name: "scale",
  description:
    "thousands of channels: a ChatPool over many connections and a conduit fleet of three processes",
  run
}
