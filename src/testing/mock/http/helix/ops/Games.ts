/**
 * Games: Get Top Games (by live viewers) and Get Games (by id, name or IGDB id).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { failHelix, paginate } from "../../shared.js"
import { data, type Handlers, page } from "../Handler.js"
import { gameJson, liveStreams } from "../Wire.js"

/**
 * The Games handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-top-games": ({ query, state: s }) =>
    Effect.gen(function*() {
      const viewers = new Map<string, number>()
      for (const x of liveStreams(s)) viewers.set(x.gameId, (viewers.get(x.gameId) ?? 0) + x.viewerCount)
      const ordered = [...s.games].sort((a, b) =>
        (viewers.get(b.id) ?? 0) - (viewers.get(a.id) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
      )
      const { cursor, data: items } = yield* paginate(query, ordered, { defaultFirst: 20, allowBefore: true })
      return page(items.map(gameJson), cursor)
    }),

  "get-games": ({ query, state: s }) => {
    const ids = query.getAll("id")
    const names = query.getAll("name")
    const igdb = query.getAll("igdb_id")
    if (ids.length + names.length + igdb.length === 0) {
      return failHelix(400, "Missing required parameter: id, name or igdb_id")
    }
    const found = s.games.filter((g) =>
      ids.includes(g.id) || names.includes(g.name) || (g.igdbId !== "" && igdb.includes(g.igdbId))
    )
    return Effect.succeed(data(found.map(gameJson)))
  }
}
