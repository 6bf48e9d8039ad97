/**
 * Channels: Get Channel Information (`delay` only for a partner's own token), Get Channel
 * Followers (only `total` without `moderator:read:followers` as the broadcaster or a moderator).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { paginate } from "../../shared.js"
import { data, type Handlers, hasScope, page, required, tokenUser } from "../Handler.js"
import { index, newestFirst } from "../Wire.js"

/**
 * The Channels handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-channel-information": ({ caller, query, state: s }) => {
    const ids = query.getAll("broadcaster_id")
    const ix = index(s)
    const me = Option.flatMap(caller.token, (t) => Option.fromNullable(t.userId))
    const found = s.channels.filter((c) => ids.includes(c.broadcasterId) && !c.suspended).flatMap((c) => {
      const user = ix.users.get(c.broadcasterId)
      if (user === undefined) return []
      const ownPartner = Option.contains(me, c.broadcasterId) && user.broadcasterType === "partner"
      return [{
        broadcaster_id: c.broadcasterId,
        broadcaster_login: user.login,
        broadcaster_name: user.displayName,
        broadcaster_language: c.language,
        game_name: ix.games.get(c.gameId)?.name ?? "",
        game_id: c.gameId,
        title: c.title,
        delay: ownPartner ? c.delay : 0,
        tags: c.tags,
        content_classification_labels: c.contentClassificationLabels,
        is_branded_content: c.isBrandedContent
      }]
    })
    return Effect.succeed(data(found))
  },

  "get-channel-followers": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const { query, state: s } = request
      const broadcasterId = required(request, "broadcaster_id")
      const filterUser = query.get("user_id")
      const channel = s.channels.find((c) => c.broadcasterId === broadcasterId)
      const all = s.follows
        .filter((f) => f.toId === broadcasterId && (filterUser === undefined || f.fromId === filterUser))
        .sort((a, b) => newestFirst(a.followedAt, b.followedAt))
      const privileged = hasScope(request, "moderator:read:followers") &&
        (user.id === broadcasterId || (channel?.moderators.includes(user.id) ?? false))
      const ix = index(s)
      const { cursor, data: items } = yield* paginate(query, privileged ? all : [], {
        defaultFirst: 20,
        allowBefore: false
      })
      return page(
        items.map((f) => {
          const follower = ix.users.get(f.fromId)
          return {
            followed_at: f.followedAt,
            user_id: f.fromId,
            user_login: follower?.login ?? "",
            user_name: follower?.displayName ?? ""
          }
        }),
        cursor,
        { total: all.length }
      )
    })
}
