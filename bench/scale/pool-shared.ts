/** What the pool case of the scale benchmark and its worker process tell each other. */

/** The worker joined every channel (or gave up). */
export interface Joined {
  readonly phase: "joined"
  /** Wall time of `joinAll`, from the pool made to the last channel confirmed. */
  readonly joinMs: number
  readonly channels: number
  readonly failed: number
  readonly connections: number
  /** Heap growth after full GCs: the pool with every channel joined, idle. */
  readonly heapBytes: number
  readonly rssBytes: number
  /** The first failed join's error, if any. */
  readonly firstError: string | undefined
}

/** The worker handed over every message of the traffic. */
export interface Done {
  readonly phase: "done"
  /** Messages of the traffic handed over. */
  readonly count: number
  /** Wall time from "go" to the last expected message. */
  readonly millis: number
  /** The worker's CPU time (user + system) over the same span. */
  readonly cpuMillis: number
  readonly peakRssMb: number
  readonly peakHeapMb: number
  readonly byKind: Readonly<Record<string, number>>
  /** A sum over what was read, so no read is optimized away. */
  readonly touched: number
}

/** From the parent: start counting. */
export interface Go {
  readonly go: true
}

/** From the parent, once its traffic is out: how many messages to expect. */
export interface Expect {
  readonly expect: number
}
