/**
 * Ads: Start Commercial (live channels only, 8-minute cooldown), Get Ad Schedule, Snooze Next Ad.
 * Twitch answers these for the broadcaster's own token only.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { adScheduleOf, commercialCooldown } from "../../../world/Broadcast.js"
import { failHelix } from "../../shared.js"
import {
  bodyNumber,
  bodyString,
  data,
  fromWorld,
  type Handlers,
  type HelixRequest,
  required,
  tokenUser
} from "../Handler.js"

/** The broadcaster, who must be the token's user. */
const own = (request: HelixRequest, broadcasterId: string) =>
  Effect.flatMap(tokenUser(request), (user) =>
    user.id === broadcasterId
      ? Effect.succeed(broadcasterId)
      : failHelix(401, "The ID in broadcaster_id must match the user ID found in the request's OAuth token."))

/**
 * The Ads handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "start-commercial": (request) =>
    Effect.gen(function*() {
      const broadcasterId = bodyString(request, "broadcaster_id") ?? ""
      const length = bodyNumber(request, "length") ?? 30
      if (length < 1 || length > 180) {
        return yield* failHelix(400, "The length field must be between 1 and 180.")
      }
      const run = yield* fromWorld(request.ctx.world.startCommercial(broadcasterId, length))
      return data([{ length: run, message: "", retry_after: commercialCooldown }])
    }),

  "get-ad-schedule": (request) =>
    Effect.gen(function*() {
      const ads = adScheduleOf(request.state, yield* own(request, required(request, "broadcaster_id")))
      return data([{
        snooze_count: ads.snoozeCount,
        snooze_refresh_at: ads.snoozeRefreshAt,
        next_ad_at: ads.nextAdAt,
        duration: ads.duration,
        last_ad_at: ads.lastAdAt,
        preroll_free_time: ads.prerollFreeTime
      }])
    }),

  "snooze-next-ad": (request) =>
    Effect.gen(function*() {
      const broadcasterId = yield* own(request, required(request, "broadcaster_id"))
      const ads = yield* fromWorld(request.ctx.world.snoozeNextAd(broadcasterId))
      return data([{
        snooze_count: ads.snoozeCount,
        snooze_refresh_at: ads.snoozeRefreshAt,
        next_ad_at: ads.nextAdAt
      }])
    })
}
