/**
 * Drops entitlements: a user token sees its own user's, an app token any (filtered by id, user,
 * game and status); updating the fulfillment status answers per status which ids it applied to.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { failHelix, paginate } from "../../shared.js"
import { bodyString, data, type Handlers, page } from "../Handler.js"

/**
 * The Entitlements handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-drops-entitlements": (request) =>
    Effect.gen(function*() {
      const q = request.query
      const own = Option.map(request.caller.user, (u) => u.id)
      if (Option.isSome(own) && q.get("user_id") !== undefined) {
        return yield* failHelix(400, "The user_id query parameter may not be used with a user access token.")
      }
      const userId = Option.getOrUndefined(own) ?? q.get("user_id")
      const ids = q.getAll("id")
      const found = request.state.entitlements.filter((e) =>
        (userId === undefined || e.userId === userId) && (ids.length === 0 || ids.includes(e.id)) &&
        (q.get("game_id") === undefined || e.gameId === q.get("game_id")) &&
        (q.get("fulfillment_status") === undefined || e.fulfillmentStatus === q.get("fulfillment_status"))
      )
      const { cursor, data: items } = yield* paginate(q, found, {
        defaultFirst: 20,
        allowBefore: false,
        max: 1000
      })
      return page(
        items.map((e) => ({
          id: e.id,
          benefit_id: e.benefitId,
          timestamp: e.timestamp,
          user_id: e.userId,
          game_id: e.gameId,
          fulfillment_status: e.fulfillmentStatus,
          last_updated: e.lastUpdated
        })),
        cursor
      )
    }),

  "update-drops-entitlements": (request) =>
    Effect.gen(function*() {
      const raw = request.body["entitlement_ids"]
      const ids = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === "string") : []
      if (ids.length > 100) {
        return yield* failHelix(400, "The entitlement_ids field may have at most 100 ids.")
      }
      const status = bodyString(request, "fulfillment_status") === "FULFILLED" ? "FULFILLED" : "CLAIMED"
      const userId = Option.getOrUndefined(Option.map(request.caller.user, (u) => u.id))
      const outcome = yield* request.ctx.world.updateEntitlements(userId, ids, status)
      return data(outcome.map((o) => ({ status: o.status, ids: o.ids })))
    })
}
