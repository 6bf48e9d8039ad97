/**
 * Bits: the broadcaster's leaderboard (from the world's cheers), the cheermotes (global ones, and a
 * partner's own), the Bits transactions of an extension (its own client's app token only).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { rfc3339 } from "../../../world/Fixtures.js"
import { failHelix, paginate } from "../../shared.js"
import {
  data,
  type Handlers,
  type HelixRequest,
  json,
  page,
  queryInt,
  required,
  tokenUser
} from "../Handler.js"
import { index, names } from "../Wire.js"

const day = 86_400_000

/** The period's window around `started_at` (or now); `all` is everything. */
const window = (request: HelixRequest): { readonly start: number; readonly end: number } => {
  const period = request.query.get("period") ?? "all"
  const at = Date.parse(request.query.get("started_at") ?? rfc3339(request.now))
  const d = new Date(at)
  switch (period) {
    case "day": {
      const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
      return { start, end: start + day }
    }
    case "week": {
      const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7))
      return { start, end: start + 7 * day }
    }
    case "month":
      return {
        start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
        end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
      }
    case "year":
      return { start: Date.UTC(d.getUTCFullYear(), 0, 1), end: Date.UTC(d.getUTCFullYear() + 1, 0, 1) }
    default:
      return { start: 0, end: request.now }
  }
}

const tiers = [1, 100, 500, 1000, 5000, 10000, 100000] as const
const tierColors = ["#979797", "#9c3ee8", "#1db2a5", "#0099fe", "#f43021", "#f43021", "#f43021"]

/** A tier's pictures, on the mock's own cheermote CDN (`ThirdPartyCdn.ts`). */
const images = (base: string, prefix: string, tier: number) => {
  const urls = (theme: string, kind: string, ext: string) =>
    Object.fromEntries(
      ["1", "1.5", "2", "3", "4"].map((scale) => [
        scale,
        `${base}/actions/${prefix.toLowerCase()}/${theme}/${kind}/${tier}/${scale}.${ext}`
      ])
    )
  const theme = (name: string) => ({
    animated: urls(name, "animated", "gif"),
    static: urls(name, "static", "png")
  })
  return { dark: theme("dark"), light: theme("light") }
}

const cheermote = (base: string, prefix: string, type: string, order: number, lastUpdated: string) => ({
  prefix,
  tiers: tiers.map((minBits, k) => ({
    min_bits: minBits,
    id: String(minBits),
    color: tierColors[k],
    images: images(base, prefix, minBits),
    can_cheer: true,
    show_in_bits_card: true
  })),
  type,
  order,
  last_updated: lastUpdated,
  is_charitable: false
})

/**
 * The Bits handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-bits-leaderboard": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const count = queryInt(request, "count", 10)
      if (count < 1 || count > 100) {
        return yield* failHelix(400, "The count query parameter must be between 1 and 100.")
      }
      const { end, start } = window(request)
      const totals = new Map<string, number>()
      for (const cheer of request.state.cheers) {
        const at = Date.parse(cheer.at)
        if (cheer.broadcasterId === user.id && at >= start && at < end) {
          totals.set(cheer.userId, (totals.get(cheer.userId) ?? 0) + cheer.bits)
        }
      }
      const ranked = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      const only = request.query.get("user_id")
      const shown = only === undefined ? ranked.slice(0, count) : ranked.filter(([userId]) => userId === only)
      return json({
        data: shown.map(([userId, score]) => ({
          ...names(request.state, "user_", userId),
          rank: ranked.findIndex(([id]) => id === userId) + 1,
          score
        })),
        date_range: { started_at: rfc3339(start), ended_at: rfc3339(end) },
        total: shown.length
      })
    }),

  "get-cheermotes": (request) => {
    const updated = "2024-05-01T00:00:00Z"
    const base = request.ctx.baseUrl
    const all = [
      cheermote(base, "Cheer", "global_first_party", 1, updated),
      cheermote(base, "BibleThump", "global_first_party", 2, updated)
    ]
    const broadcasterId = request.query.get("broadcaster_id")
    const partner = broadcasterId === undefined ? undefined : index(request.state).users.get(broadcasterId)
    return Effect.succeed(data(
      partner !== undefined && partner.broadcasterType === "partner"
        ? [cheermote(base, `${partner.login.slice(0, 6)}Cheer`, "channel_custom", 3, updated), ...all]
        : all
    ))
  },

  "get-extension-transactions": (request) =>
    Effect.gen(function*() {
      const extensionId = required(request, "extension_id")
      if (request.caller.clientId !== extensionId) {
        return yield* failHelix(
          401,
          "The client ID in the app access token must be the extension's client ID."
        )
      }
      const ids = request.query.getAll("id")
      const found = request.state.extensionTransactions.filter((t) =>
        t.extensionId === extensionId && (ids.length === 0 || ids.includes(t.id))
      )
      const { cursor, data: items } = yield* paginate(request.query, found, {
        defaultFirst: 20,
        allowBefore: false
      })
      return page(
        items.map((t) => ({
          id: t.id,
          timestamp: t.timestamp,
          ...names(request.state, "broadcaster_", t.broadcasterId),
          ...names(request.state, "user_", t.userId),
          product_type: "BITS_IN_EXTENSION",
          product_data: {
            sku: t.sku,
            domain: `twitch.ext.${t.extensionId}`,
            cost: { amount: t.cost, type: "bits" },
            inDevelopment: false,
            displayName: t.displayName,
            expiration: "",
            broadcast: true
          }
        })),
        cursor
      )
    })
}
