/**
 * `npm run bench -- scale`: thousands of channels. Part (b) here: three worker processes sharing
 * 5,000 channels through one EventSub conduit (`conduit.ts`). Part (a), the IRC connection pool
 * reading 5,000 channels, is another module of this folder, run from here too once it lands.
 */
import type { Benchmark, RunOptions } from "../lib/harness.js"
import { runConduit } from "./conduit.js"

const run = async (options: RunOptions): Promise<void> => {
  console.log("### (b) a conduit fleet: three worker processes, one conduit, 5,000 channels\n")
  await runConduit(options)
}

/** The scale benchmark. */
export const scaleBenchmark: Benchmark = {
  name: "scale",
  description: "Scaling out: a conduit fleet of three worker processes on 5,000 channels",
  run
}
