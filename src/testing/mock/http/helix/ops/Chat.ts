/**
 * Chat: emotes (global, a channel's, sets, a user's), chatters.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { Emote } from "../../../world/Models.js"
import { failHelix, paginate, type RouteContext } from "../../shared.js"
import { type Handlers, json, page, required, tokenUser } from "../Handler.js"
import { index } from "../Wire.js"

const emoteTemplate = (ctx: RouteContext) =>
  `${ctx.baseUrl}/emoticons/v2/{{id}}/{{format}}/{{theme_mode}}/{{scale}}`

const emoteBase = (ctx: RouteContext, e: Emote) => ({
  id: e.id,
  name: e.name,
  images: {
    url_1x: `${ctx.baseUrl}/emoticons/v2/${e.id}/static/light/1.0`,
    url_2x: `${ctx.baseUrl}/emoticons/v2/${e.id}/static/light/2.0`,
    url_4x: `${ctx.baseUrl}/emoticons/v2/${e.id}/static/light/3.0`
  },
  format: e.formats,
  scale: ["1.0", "2.0", "3.0"],
  theme_mode: ["light", "dark"]
})

/**
 * The Chat handlers for emotes and chatters.
 *
 * @since 0.1.0
 * @category handlers
 */
export const emoteHandlers: Handlers = {
  "get-global-emotes": ({ ctx, state: s }) =>
    Effect.succeed(json({
      data: s.emotes.filter((e) => e.ownerId === "0").map((e) => emoteBase(ctx, e)),
      template: emoteTemplate(ctx)
    })),

  "get-channel-emotes": (request) => {
    const { ctx, state: s } = request
    const broadcasterId = required(request, "broadcaster_id")
    const items = s.emotes.filter((e) => e.ownerId === broadcasterId).map((e) => ({
      ...emoteBase(ctx, e),
      tier: e.type === "subscriptions" ? (e.tier ?? "1000") : "",
      emote_type: e.type,
      emote_set_id: e.setId
    }))
    return Effect.succeed(json({ data: items, template: emoteTemplate(ctx) }))
  },

  "get-emote-sets": ({ ctx, query, state: s }) => {
    const setIds = query.getAll("emote_set_id")
    const items = s.emotes.filter((e) => setIds.includes(e.setId)).map((e) => ({
      ...emoteBase(ctx, e),
      emote_type: e.type,
      emote_set_id: e.setId,
      owner_id: e.ownerId
    }))
    return Effect.succeed(json({ data: items, template: emoteTemplate(ctx) }))
  },

  "get-user-emotes": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const s = request.state
      const subscribed = new Set(
        s.channels.filter((c) => c.subscribers.some((x) => x.userId === user.id)).map((c) => c.broadcasterId)
      )
      const followed = new Set(s.follows.filter((f) => f.fromId === user.id).map((f) => f.toId))
      const broadcasterId = request.query.get("broadcaster_id")
      const usable = s.emotes.filter((e) =>
        e.ownerId === "0" ||
        e.ownerId === user.id ||
        (e.type === "subscriptions" && subscribed.has(e.ownerId)) ||
        (e.type === "follower" && (followed.has(e.ownerId) || e.ownerId === broadcasterId))
      )
      const { cursor, data } = yield* paginate(request.query, usable, {
        defaultFirst: 100,
        allowBefore: false
      })
      return page(
        data.map((e) => ({
          id: e.id,
          name: e.name,
          emote_type: e.type,
          emote_set_id: e.setId,
          owner_id: e.ownerId,
          format: e.formats,
          scale: ["1.0", "2.0", "3.0"],
          theme_mode: ["light", "dark"]
        })),
        cursor,
        { template: emoteTemplate(request.ctx) }
      )
    }),

  "get-chatters": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const s = request.state
      const broadcasterId = required(request, "broadcaster_id")
      const channel = s.channels.find((c) => c.broadcasterId === broadcasterId)
      if (channel === undefined) return yield* failHelix(400, "Invalid broadcaster_id")
      if (user.id !== broadcasterId && !channel.moderators.includes(user.id)) {
        return yield* failHelix(403, "The user in moderator_id is not one of the broadcaster's moderators.")
      }
      const ix = index(s)
      const present = s.chatters.filter((c) => c.channelId === broadcasterId).flatMap((c) => {
        const u = ix.users.get(c.userId)
        return u === undefined ? [] : [{ user_id: u.id, user_login: u.login, user_name: u.displayName }]
      })
      const { cursor, data } = yield* paginate(request.query, present, {
        defaultFirst: 100,
        allowBefore: false,
        max: 1000
      })
      return page(data, cursor, { total: present.length })
    })
}
