/**
 * Charity: the broadcaster's running campaign and its donations.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { Money } from "../../../world/CommunityModels.js"
import { paginate } from "../../shared.js"
import { data, type Handlers, page, required } from "../Handler.js"
import { names } from "../Wire.js"

const money = (m: typeof Money.Type) => ({
  value: m.value,
  decimal_places: m.decimalPlaces,
  currency: m.currency
})

/**
 * The Charity handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-charity-campaign": (request) => {
    const broadcasterId = required(request, "broadcaster_id")
    return Effect.succeed(data(
      request.state.charityCampaigns.filter((c) => c.broadcasterId === broadcasterId).map((c) => ({
        id: c.id,
        ...names(request.state, "broadcaster_", c.broadcasterId),
        charity_name: c.charityName,
        charity_description: c.charityDescription,
        charity_logo: c.charityLogo,
        charity_website: c.charityWebsite,
        current_amount: money(c.currentAmount),
        target_amount: money(c.targetAmount)
      }))
    ))
  },

  "get-charity-campaign-donations": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const campaigns = new Set(
        request.state.charityCampaigns.filter((c) => c.broadcasterId === broadcasterId).map((c) => c.id)
      )
      const donations = request.state.charityDonations.filter((d) => campaigns.has(d.campaignId))
      const { cursor, data: items } = yield* paginate(request.query, donations, {
        defaultFirst: 20,
        allowBefore: false
      })
      return page(
        items.map((d) => ({
          id: d.id,
          campaign_id: d.campaignId,
          ...names(request.state, "user_", d.userId),
          amount: money(d.amount)
        })),
        cursor
      )
    })
}
