/**
 * Every benchmark `npm run bench` knows, in the order they run. To add one (e.g. a chat client
 * end to end), write `bench/<name>/benchmark.ts` exporting a `Benchmark` and list it here.
 */
import { chatClientBenchmark } from "./chat-client/benchmark.js"
import { eventSubBenchmark } from "./eventsub/benchmark.js"
import { helixBenchmark } from "./helix/benchmark.js"
import type { Benchmark } from "./lib/harness.js"
import { parseBenchmark } from "./parse/benchmark.js"
import { scaleBenchmark } from "./scale/benchmark.js"

export const benchmarks: ReadonlyArray<Benchmark> = [
  parseBenchmark,
  chatClientBenchmark,
  helixBenchmark,
  eventSubBenchmark,
  scaleBenchmark
]
