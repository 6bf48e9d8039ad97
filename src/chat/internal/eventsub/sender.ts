/**
 * Sending over the API: the send queue's exchange is Helix Send Chat Message (no connection to
 * wait for, no JOIN needed), through the account's limits like IRC (Twitch applies the same ones
 * to the API), and its answer is the outcome:
 *
 * - `is_sent: true`: `Sent`, with Twitch's message id and the message as others see it.
 * - `is_sent: false`: `Refused`, `reason` the `drop_reason.code` (`msg_duplicate`,
 *   `msg_slowmode`, `msg_banned`...) and `notice` its message. `msg_ratelimit` stops sending for one
 *   window, as on IRC.
 * - Twitch refused the request itself (400, 403, 422, 429): `Refused` with `reason` `http_<status>`
 *   and Twitch's message. A token Twitch does not take (401, or a 403 naming a scope) fails the send
 *   with `NotAuthorized`.
 * - No answer (a timeout within `sendTimeout`, a reset, a 5xx): `Unconfirmed`; the request may
 *   have reached Twitch, so it is not sent again (at most once, as on IRC). The timeout is the
 *   client's shared send timer (`engine/deadlines.ts`), ended with the answer.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { InvalidParams } from "../../../helix/OperationError.js"
import { ChatError, type HelixError, type NotAuthorized } from "../../../TwitchError.js"
import { SendOutcome } from "../../SendOutcome.js"
import type * as TM from "../../TwitchMessage.js"
import { parseTwitchLine } from "../../TwitchMessage.js"
import * as Deadlines from "../engine/deadlines.js"
import * as SendQueue from "../engine/sendQueue.js"
import type * as State from "../engine/state.js"
import type * as Api from "./api.js"
import type * as Channels from "./channels.js"
import * as Lines from "./lines.js"
import type { OwnBadges } from "./reader.js"

type Failure = ChatError | NotAuthorized

/** What the sender needs from the engine. */
export interface Context {
  readonly state: State.State
  readonly api: Api.Api
  readonly channels: Channels.Channels
  readonly me: Api.User
  readonly own: OwnBadges
}

/** The message as others see it, built from what Twitch answered and what the client knows. */
const sentMessage = (
  ctx: Context,
  req: SendQueue.Request,
  roomId: string,
  id: string,
  text: string,
  at: number
): TM.Privmsg | undefined => {
  const parsed = parseTwitchLine(Lines.sent({
    id,
    login: ctx.me.login,
    userId: ctx.me.id,
    displayName: ctx.me.displayName,
    channel: req.channel,
    roomId,
    text,
    replyTo: req.replyTo,
    badges: ctx.own.get(req.channel) ?? [],
    at: new Date(at)
  }))
  return Either.isRight(parsed) && parsed.right._tag === "Privmsg" ? parsed.right : undefined
}

type Base = SendQueue.Base & { readonly waited: Duration.Duration }

/** What a failed request means for the send. */
const failed = (
  ctx: Context,
  base: Base,
  error: HelixError | InvalidParams
): Effect.Effect<SendOutcome, Failure> => {
  switch (error._tag) {
    case "NotAuthorized":
      return Effect.fail(error)
    case "HttpError":
      return error.status >= 500
        ? Effect.succeed(SendOutcome.Unconfirmed({ ...base, reason: "ConnectionLost" }))
        : SendQueue.refused(
          ctx.state,
          base,
          `http_${error.status}`,
          error.twitchMessage ?? error.error ?? `Twitch answered ${error.status}`
        )
    case "TransportError":
      return Effect.succeed(
        SendOutcome.Unconfirmed({ ...base, reason: error.step === "Timeout" ? "Timeout" : "ConnectionLost" })
      )
    case "DecodeError":
      // Twitch answered, but not in a form that says whether it took the message.
      return Effect.succeed(SendOutcome.Unconfirmed({ ...base, reason: "NoConfirmation" }))
    case "InvalidParams":
      return Effect.fail(
        new ChatError({ reason: "InvalidText", channel: base.channel, detail: error.message })
      )
  }
}

/** One try at sending `req` with Send Chat Message (see {@link SendQueue.Attempt}). */
export const attempt = (ctx: Context): SendQueue.Attempt => (req) =>
  Effect.gen(function*() {
    const { state } = ctx
    if (req.cancelled) return undefined
    const room = yield* ctx.channels.roomId(req.channel).pipe(
      Effect.mapError((e) =>
        e._tag === "NotAuthorized"
          ? e
          : new ChatError({
            reason: "Refused",
            channel: req.channel,
            detail: `looking up the channel failed: ${e.message}`
          })
      )
    )
    if (Option.isNone(room)) {
      return yield* new ChatError({
        reason: "Refused",
        channel: req.channel,
        detail: "no Twitch user has this login"
      })
    }
    const prepared = yield* SendQueue.prepare(state, req)
    if (Either.isLeft(prepared)) return prepared.left
    const { base, text } = prepared.right
    const permit = yield* SendQueue.permit(state, req.channel)
    const sentAt = yield* Clock.currentTimeMillis
    const timed = { ...base, waited: Duration.millis(sentAt - req.enqueuedAt) }
    const expired = yield* Deferred.make<void>()
    const cancel = yield* Deadlines.schedule(
      state,
      state.settings.timeouts.send,
      Deferred.succeed(expired, void 0)
    )
    const answer = yield* ctx.api.sendMessage({
      broadcasterId: room.value,
      senderId: ctx.me.id,
      message: text,
      replyParentMessageId: req.replyTo,
      forSourceOnly: req.extra.forSourceOnly
    }).pipe(
      Effect.either,
      Effect.raceFirst(Effect.as(Deferred.await(expired), "timeout" as const)),
      Effect.ensuring(Effect.sync(cancel)),
      Effect.ensuring(permit.settle)
    )
    if (answer === "timeout") return SendOutcome.Unconfirmed({ ...timed, reason: "Timeout" })
    if (Either.isLeft(answer)) return yield* failed(ctx, timed, answer.left)
    if (Option.isNone(answer.right)) return SendOutcome.Unconfirmed({ ...timed, reason: "NoConfirmation" })
    const item = answer.right.value
    if (!item.isSent) {
      const drop = Option.getOrUndefined(item.dropReason)
      return yield* SendQueue.refused(
        state,
        timed,
        drop?.code ?? "dropped",
        drop?.message ?? "Twitch did not send it"
      )
    }
    const message = sentMessage(ctx, req, room.value, item.messageId, text, sentAt)
    if (message === undefined) return SendOutcome.Unconfirmed({ ...timed, reason: "NoConfirmation" })
    return yield* SendQueue.accepted(state, req, timed, item.messageId, message)
  })
