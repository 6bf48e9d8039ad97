/**
 * What happened to a message the chat client sent: Twitch accepted it (with the id it gave it),
 * refused it (with the NOTICE `msg-id` saying why), or never answered.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import type { Privmsg } from "./TwitchMessage.js"

/**
 * Why a send got no answer.
 *
 * - `Timeout`: Twitch did not answer within `sendTimeout` (it drops some messages silently, e.g.
 *   after a rate-limit violation).
 * - `ConnectionLost`: the connection ended after the line was written and before Twitch answered.
 *   The message may or may not have arrived; it is not sent again (at most once).
 * - `NoConfirmation`: written, but the server did not grant the `twitch.tv/tags` and
 *   `twitch.tv/commands` capabilities, so it never answers a PRIVMSG (an IRC server other than
 *   Twitch, or one that NAKed them). Completes as soon as the line is written.
 *
 * @since 0.1.0
 * @category models
 */
export type UnconfirmedReason = "Timeout" | "ConnectionLost" | "NoConfirmation"

/**
 * The outcome of one line (one part of a split text).
 *
 * - `Sent`: Twitch answered with USERSTATE carrying the message `id`; `message` is the PRIVMSG as
 *   others see it (synthesized from the USERSTATE tags and the text) and also went to the stream.
 * - `Refused`: Twitch answered with a NOTICE; `reason` is its `msg-id` (`msg_ratelimit`,
 *   `msg_duplicate`, `msg_slowmode`, `msg_banned`, `msg_channel_suspended`, ...).
 * - `Unconfirmed`: no answer (see {@link UnconfirmedReason}).
 * - `Written`: a raw line other than PRIVMSG: written to the socket, Twitch sends no answer.
 *
 * `waited` is the time spent in the send queue and the rate limiter; `part`/`parts` say which part
 * of a split text the outcome is for (1 of 1 when not split).
 *
 * A split text is sent part by part and stops at the first part that is not `Sent`; `say` and
 * `reply` then complete with that part's outcome (or the last part's when all were sent), and
 * `ids` lists the ids Twitch gave every part it accepted, in order (this part's own id last when
 * it is `Sent`), so parts already in chat can be found (moderation, deletion) even when a later
 * one was refused. For a text that was not split, `ids` is `[id]` when `Sent`, `[]` otherwise.
 *
 * @since 0.1.0
 * @category models
 */
export type SendOutcome = Data.TaggedEnum<{
  Sent: {
    readonly channel: string
    readonly text: string
    readonly id: string
    readonly message: Privmsg
    readonly waited: Duration.Duration
    readonly part: number
    readonly parts: number
    /** Ids of the parts of this text that Twitch accepted, in order (see above). */
    readonly ids: ReadonlyArray<string>
  }
  Refused: {
    readonly channel: string
    readonly text: string
    readonly reason: string
    readonly notice: string
    readonly waited: Duration.Duration
    readonly part: number
    readonly parts: number
    /** Ids of the parts of this text that Twitch accepted, in order (see above). */
    readonly ids: ReadonlyArray<string>
  }
  Unconfirmed: {
    readonly channel: string
    readonly text: string
    readonly reason: UnconfirmedReason
    readonly waited: Duration.Duration
    readonly part: number
    readonly parts: number
    /** Ids of the parts of this text that Twitch accepted, in order (see above). */
    readonly ids: ReadonlyArray<string>
  }
  Written: {
    readonly line: string
    readonly waited: Duration.Duration
  }
}>

/**
 * Constructors, `$is` and `$match` for {@link SendOutcome}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const SendOutcome = Data.taggedEnum<SendOutcome>()

/**
 * Whether Twitch accepted the message.
 *
 * @since 0.1.0
 * @category guards
 */
export const isSent: (outcome: SendOutcome) => outcome is Extract<SendOutcome, { _tag: "Sent" }> = SendOutcome
  .$is("Sent")

/**
 * Whether Twitch refused the message.
 *
 * @since 0.1.0
 * @category guards
 */
export const isRefused: (outcome: SendOutcome) => outcome is Extract<SendOutcome, { _tag: "Refused" }> =
  SendOutcome.$is("Refused")
