/**
 * Whispers: Send Whisper (kept in the world for the recipient; 500 characters to a new recipient,
 * 10,000 otherwise, as Twitch allows).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { failHelix } from "../../shared.js"
import { bodyString, fromWorld, type Handlers, noContent, required } from "../Handler.js"

/**
 * The Whispers handler.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "send-whisper": (request) =>
    Effect.gen(function*() {
      const from = required(request, "from_user_id")
      const to = required(request, "to_user_id")
      const message = bodyString(request, "message") ?? ""
      const known = request.state.whispers.some((w) =>
        (w.fromUserId === from && w.toUserId === to) || (w.fromUserId === to && w.toUserId === from)
      )
      const max = known ? 10_000 : 500
      if (message === "" || [...message].length > max) {
        return yield* failHelix(400, `The message field must have 1 to ${max} characters.`)
      }
      yield* fromWorld(request.ctx.world.sendWhisper(from, to, message))
      return noContent
    })
}
