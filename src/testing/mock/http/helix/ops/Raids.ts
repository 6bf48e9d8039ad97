/**
 * Raids: start one (one pending raid at a time), cancel it.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { data, fromWorld, type Handlers, noContent, required } from "../Handler.js"

/**
 * The Raids handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "start-a-raid": (request) =>
    Effect.gen(function*() {
      const raid = yield* fromWorld(
        request.ctx.world.startRaid(
          required(request, "from_broadcaster_id"),
          required(request, "to_broadcaster_id")
        )
      )
      const target = request.state.channels.find((c) => c.broadcasterId === raid.toBroadcasterId)
      return data([{
        created_at: raid.createdAt,
        is_mature: (target?.contentClassificationLabels.length ?? 0) > 0
      }])
    }),

  "cancel-a-raid": (request) =>
    Effect.as(fromWorld(request.ctx.world.cancelRaid(required(request, "broadcaster_id"))), noContent)
}
