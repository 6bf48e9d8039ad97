/**
 * Hype Train: the channel's current (or latest) train with its all-time high. The contributions
 * follow the spec's shape (each carries the train's times and kind), as the generated client reads
 * it.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { data, type Handlers, required } from "../Handler.js"
import { names } from "../Wire.js"

/**
 * The Hype Train handler.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-hype-train-status": (request) => {
    const broadcasterId = required(request, "broadcaster_id")
    const s = request.state
    const train = s.hypeTrains.filter((t) => t.broadcasterId === broadcasterId).at(-1)
    if (train === undefined) return Effect.succeed(data([]))
    const owner = names(s, "", broadcasterId)
    return Effect.succeed(data([{
      current: {
        id: train.id,
        broadcaster_user_id: broadcasterId,
        broadcaster_user_login: owner["login"],
        broadcaster_user_name: owner["name"],
        level: train.level,
        total: train.total,
        progress: train.progress,
        goal: train.goal,
        top_contributions: train.contributions.map((c) => ({
          ...names(s, "user_", c.userId),
          type: "regular",
          total: c.total,
          shared_train_participants: [],
          started_at: train.startedAt,
          expires_at: train.expiresAt,
          is_shared_train: false
        }))
      },
      all_time_high: {
        level: train.allTimeHighLevel,
        total: train.allTimeHighTotal,
        achieved_at: train.allTimeHighAt
      }
    }]))
  }
}
