/**
 * Goals: the broadcaster's creator goals.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { data, type Handlers, required } from "../Handler.js"
import { index } from "../Wire.js"

/**
 * The Goals handler.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-creator-goals": (request) => {
    const broadcasterId = required(request, "broadcaster_id")
    const owner = index(request.state).users.get(broadcasterId)
    return Effect.succeed(data(
      request.state.goals.filter((g) => g.broadcasterId === broadcasterId).map((g) => ({
        id: g.id,
        broadcaster_id: g.broadcasterId,
        broadcaster_name: owner?.displayName ?? "",
        broadcaster_login: owner?.login ?? "",
        type: g.type,
        description: g.description,
        current_amount: g.currentAmount,
        target_amount: g.targetAmount,
        created_at: g.createdAt
      }))
    ))
  }
}
