/**
 * Subscriptions: a broadcaster's subscribers (with Twitch's `points`), and whether a user
 * subscribes to a channel.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { failHelix, paginate } from "../../shared.js"
import { data, type Handlers, page, required } from "../Handler.js"
import { index, names } from "../Wire.js"

const points: Readonly<Record<string, number>> = { "1000": 1, "2000": 2, "3000": 6 }

/**
 * The Subscriptions handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-broadcaster-subscriptions": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const only = request.query.getAll("user_id")
      const all = request.state.channels.find((c) => c.broadcasterId === broadcasterId)?.subscribers ?? []
      const found = all.filter((x) => only.length === 0 || only.includes(x.userId))
      const owner = index(request.state).users.get(broadcasterId)
      const { cursor, data: items } = yield* paginate(request.query, found, {
        defaultFirst: 20,
        allowBefore: true
      })
      return page(
        items.map((x) => ({
          ...names(request.state, "broadcaster_", broadcasterId),
          gifter_id: "",
          gifter_login: "",
          gifter_name: "",
          is_gift: false,
          plan_name: `Channel Subscription (${owner?.login ?? broadcasterId})`,
          tier: x.tier,
          ...names(request.state, "user_", x.userId)
        })),
        cursor,
        { points: all.reduce((n, x) => n + (points[x.tier] ?? 0), 0), total: all.length }
      )
    }),

  "check-user-subscription": (request) => {
    const broadcasterId = required(request, "broadcaster_id")
    const userId = required(request, "user_id")
    const sub = request.state.channels.find((c) => c.broadcasterId === broadcasterId)?.subscribers.find((x) =>
      x.userId === userId
    )
    return sub === undefined
      ? failHelix(404, `${userId} has no subscription to ${broadcasterId}`)
      : Effect.succeed(
        data([{ ...names(request.state, "broadcaster_", broadcasterId), is_gift: false, tier: sub.tier }])
      )
  }
}
