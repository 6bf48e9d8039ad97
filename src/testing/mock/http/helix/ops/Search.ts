/**
 * Search: Search Categories (every word of the query in the name) and Search Channels (the query
 * anywhere in the login, exact and prefix matches first; `live_only` matches the display name and
 * the category too).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { Channel } from "../../../world/Models.js"
import { failHelix, paginate } from "../../shared.js"
import { type Handlers, page } from "../Handler.js"
import { index } from "../Wire.js"

const nonBlankQuery = (query: string | undefined) =>
  query === undefined || query.trim() === ""
    ? failHelix(400, "Missing required parameter \"query\"")
    : Effect.succeed(query)

/**
 * The Search handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "search-categories": ({ query, state: s }) =>
    Effect.gen(function*() {
      const parts = (yield* nonBlankQuery(query.get("query"))).toLowerCase().split(/\s+/).filter((x) =>
        x.length > 0
      )
      const matching = s.games.filter((g) => parts.every((part) => g.name.toLowerCase().includes(part)))
      const { cursor, data } = yield* paginate(query, matching, { defaultFirst: 20, allowBefore: false })
      return page(data.map((g) => ({ box_art_url: g.boxArtUrl, name: g.name, id: g.id })), cursor)
    }),

  "search-channels": ({ query, state: s }) =>
    Effect.gen(function*() {
      const q = (yield* nonBlankQuery(query.get("query"))).toLowerCase()
      const liveOnly = query.get("live_only") === "true"
      const ix = index(s)
      // Twitch matches the query anywhere in the name (`panda` finds `calmpanda4`), case-insensitively,
      // and ranks names that are or start with it first. 0 = exact, 1 = prefix, 2 = inside, 3 = no match.
      const rank = (name: string) => {
        const at = name.toLowerCase().indexOf(q)
        return at < 0 ? 3 : at > 0 ? 2 : name.length === q.length ? 0 : 1
      }
      const ranks = new Map<string, number>()
      for (const c of s.channels) {
        const user = c.suspended ? undefined : ix.users.get(c.broadcasterId)
        if (user === undefined) continue
        if (!liveOnly) {
          ranks.set(c.broadcasterId, rank(user.login))
          continue
        }
        const stream = ix.live.get(c.broadcasterId)
        if (stream === undefined) continue
        const gameName = ix.games.get(stream.gameId)?.name ?? ""
        ranks.set(c.broadcasterId, Math.min(rank(user.login), rank(user.displayName), rank(gameName)))
      }
      const rankOf = (c: Channel) => ranks.get(c.broadcasterId) ?? 3
      const ordered = s.channels.filter((c) => rankOf(c) < 3).sort((a, b) => {
        const la = ix.live.get(a.broadcasterId)?.viewerCount ?? -1
        const lb = ix.live.get(b.broadcasterId)?.viewerCount ?? -1
        return rankOf(a) - rankOf(b) || lb - la || (a.broadcasterId < b.broadcasterId ? -1 : 1)
      })
      const { cursor, data } = yield* paginate(query, ordered, { defaultFirst: 20, allowBefore: false })
      return page(
        data.map((c) => {
          const user = ix.users.get(c.broadcasterId)
          const stream = ix.live.get(c.broadcasterId)
          const gameId = stream?.gameId ?? c.gameId
          return {
            broadcaster_language: c.language,
            broadcaster_login: user?.login ?? "",
            display_name: user?.displayName ?? "",
            game_id: gameId,
            game_name: ix.games.get(gameId)?.name ?? "",
            id: c.broadcasterId,
            is_live: stream !== undefined,
            tag_ids: [],
            tags: c.tags,
            thumbnail_url: user?.profileImageUrl ?? "",
            title: stream?.title ?? c.title,
            started_at: stream?.startedAt ?? ""
          }
        }),
        cursor
      )
    })
}
