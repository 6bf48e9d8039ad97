/**
 * Streams: Get Streams (filters ANDed, most viewers first), Get Followed Streams.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { paginate } from "../../shared.js"
import { type Handlers, page, tokenUser } from "../Handler.js"
import { index, liveStreams, streamJson } from "../Wire.js"

/**
 * The Streams handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-streams": ({ query, state: s }) =>
    Effect.gen(function*() {
      const ix = index(s)
      const userIds = query.getAll("user_id")
      const logins = query.getAll("user_login").map((l) => l.toLowerCase())
      const gameIds = query.getAll("game_id")
      const langs = query.getAll("language")
      const filtered = liveStreams(s).filter((x) => {
        if (userIds.length + logins.length > 0) {
          const login = ix.users.get(x.userId)?.login ?? ""
          if (!userIds.includes(x.userId) && !logins.includes(login)) return false
        }
        if (gameIds.length > 0 && !gameIds.includes(x.gameId)) return false
        if (langs.length > 0 && !langs.includes(x.language)) return false
        return true
      })
      const { cursor, data } = yield* paginate(query, filtered, { defaultFirst: 20, allowBefore: true })
      return page(data.map((x) => streamJson(s, x)), cursor)
    }),

  "get-followed-streams": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const s = request.state
      const followed = new Set(s.follows.filter((f) => f.fromId === user.id).map((f) => f.toId))
      const live = liveStreams(s).filter((x) => followed.has(x.userId))
      const { cursor, data } = yield* paginate(request.query, live, { defaultFirst: 100, allowBefore: false })
      return page(data.map((x) => streamJson(s, x)), cursor)
    })
}
