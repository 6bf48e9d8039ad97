/** What the EventSub benchmark's processes share. */

/** The clients measured. */
export type Kind = "ours" | "twurple"

/** The text of the last message: the client reports when it sees it. */
export const SENTINEL = "__eventsub_bench_end__"

/** The broadcaster and the reading user of the subscription. */
export const BROADCASTER = "100"
export const USER = "1"

/** What a worker reports. */
export interface WorkerResult {
  readonly kind: Kind
  /** Messages handed over to the consumer. */
  readonly count: number
  readonly millis: number
  readonly cpuMillis: number
  readonly peakRssMb: number
  readonly peakHeapMb: number
  /** Characters read from the events (so the reads are not optimized away). */
  readonly touched: number
}
