/** What the chat-client benchmark and its worker processes share. */

import type { Measured } from "../lib/meter.js"

/** The clients under test, by transport. */
export type Kind =
  | "ours-tcp"
  | "ours-ws"
  | "ours-tcp-each"
  | "ours-ws-each"
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

/** What a worker reports (bench/lib/meter.ts). */
export type WorkerResult = Measured<Kind>

/** Posted after the blast: the client stops counting when it sees it. */
export const SENTINEL = "bench-end-sentinel"
