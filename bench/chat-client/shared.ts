/** What the chat-client benchmark and its worker processes share. */

/** The clients under test, by transport. */
export type Kind =
  | "ours-tcp"
  | "ours-ws"
  | "ours-tcp-pull"
  | "tmi.js-ws"
  | "twurple-ws"
  | "twurple-tcp"
  | "ours-eventsub"
  | "twurple-eventsub"

/**
 * What the EventSub cases' workers need from the mock (in the environment, `BENCH_EVENTSUB`): the
 * client id and a user token of the reading account, its id and the broadcaster's.
 */
export interface EventSubAccount {
  readonly clientId: string
  readonly token: string
  readonly userId: string
  readonly broadcasterId: string
}

/** What a worker reports. */
export interface WorkerResult {
  readonly kind: Kind
  /** Chat messages handed over to the consumer (the blast plus the sentinel). */
  readonly count: number
  /** Wall time from "go" to the sentinel. */
  readonly millis: number
  /** The client process's CPU time (user + system) over the same span. */
  readonly cpuMillis: number
  readonly peakRssMb: number
  readonly peakHeapMb: number
  /** A sum over what was read, so that no read is optimized away; must be positive. */
  readonly touched: number
}

/** Posted after the blast: the client stops counting when it sees it. */
export const SENTINEL = "bench-end-sentinel"
