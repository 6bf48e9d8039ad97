/** What the EventSub benchmark's processes share. */

import type { Measured } from "../lib/meter.js"

/** The clients measured, and `raw`: a bare socket that parses nothing (the mock's ceiling). */
export type Kind = "ours" | "twurple" | "raw"

/** The text of the last message: the client reports when it sees it. */
export const SENTINEL = "__eventsub_bench_end__"

/** Where the clients connect, as the server process reports it. */
export interface ServerInfo {
  readonly port: number
  readonly helixUrl: string
  readonly wsUrl: string
  readonly clientId: string
  /** A user token of the mock's default user (every scope). */
  readonly token: string
  /** The condition: whose chat, and the reading user (the token's). */
  readonly broadcaster: string
  readonly user: string
}

/** What a worker reports (bench/lib/meter.ts), and what the parent adds. */
export interface WorkerResult extends Measured<Kind> {
  /** How long the mock took to push them (its blast, as the socket drained); set by the parent. */
  readonly sendMillis?: number
}

/**
 * The event fields the server sets (the mock fills the rest from the facts and its world): a chat
 * message with a text and an emote fragment, two badges, a color; no reply, no cheer.
 */
export const chatEvent = (text: string) => ({
  chatter_user_name: "Chatter42",
  color: "#00FF7F",
  message_type: "text",
  message: {
    text,
    fragments: [
      { type: "text", text: text.slice(0, 20), cheermote: null, emote: null, mention: null },
      {
        type: "emote",
        text: "Kappa",
        cheermote: null,
        emote: { id: "25", emote_set_id: "0", owner_id: "0", format: ["static"] },
        mention: null
      }
    ]
  },
  badges: [
    { set_id: "subscriber", id: "12", info: "14" },
    { set_id: "moderator", id: "1", info: "" }
  ],
  reply: null,
  cheer: null
})
