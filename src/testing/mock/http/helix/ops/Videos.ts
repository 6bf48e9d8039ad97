/**
 * Videos: the world's VODs as archives (by id, user or game; filtered by language, period and
 * type; sorted by time, trending or views), and deleting one's own.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { Vod } from "../../../world/Models.js"
import type { WorldState } from "../../../world/State.js"
import { failHelix, paginate } from "../../shared.js"
import { data, type Handlers, page, tokenUser } from "../Handler.js"
import { names, newestFirst } from "../Wire.js"

const duration = (seconds: number) =>
  `${seconds >= 3600 ? `${Math.floor(seconds / 3600)}h` : ""}${Math.floor((seconds % 3600) / 60)}m${
    seconds % 60
  }s`

/** A stable view count of a VOD (Twitch's changes; the mock's is a function of the id). */
const views = (v: Vod) => (Number(v.id) % 9973) + 100

const videoJson = (s: WorldState, v: Vod) => {
  const channel = s.channels.find((c) => c.broadcasterId === v.userId)
  const user = names(s, "user_", v.userId)
  return {
    id: v.id,
    stream_id: null,
    ...user,
    title: v.title,
    description: "",
    created_at: v.createdAt,
    published_at: v.createdAt,
    url: `https://www.twitch.tv/videos/${v.id}`,
    thumbnail_url: `https://static-cdn.jtvnw.net/cf_vods/mock/${
      user["user_login"]
    }_${v.id}//thumb/thumb0-%{width}x%{height}.jpg`,
    viewable: "public",
    view_count: views(v),
    language: channel?.language ?? "en",
    type: "archive",
    duration: duration(v.durationSeconds),
    muted_segments: null
  }
}

const periods: Readonly<Record<string, number>> = {
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000
}

/**
 * The Videos handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-videos": (request) =>
    Effect.gen(function*() {
      const q = request.query
      const ids = q.getAll("id")
      const userId = q.get("user_id")
      const gameId = q.get("game_id")
      if (ids.length === 0 && userId === undefined && gameId === undefined) {
        return yield* failHelix(400, "Missing required parameter: id, user_id or game_id")
      }
      const since = request.now - (periods[q.get("period") ?? "all"] ?? Infinity)
      const type = q.get("type") ?? "all"
      const language = q.get("language")
      const found = request.state.vods.filter((v) =>
        (ids.length === 0 || ids.includes(v.id)) && (userId === undefined || v.userId === userId) &&
        (gameId === undefined || v.gameId === gameId) && Date.parse(v.createdAt) >= since &&
        (type === "all" || type === "archive") &&
        (language === undefined ||
          request.state.channels.some((c) => c.broadcasterId === v.userId && c.language === language))
      )
      if (ids.length > 0 && found.length === 0) return yield* failHelix(404, "The videos were not found.")
      const sorted = q.get("sort") === "views"
        ? [...found].sort((a, b) => views(b) - views(a))
        : [...found].sort((a, b) => newestFirst(a.createdAt, b.createdAt))
      const { cursor, data: items } = yield* paginate(q, sorted, { defaultFirst: 20, allowBefore: true })
      return page(items.map((v) => videoJson(request.state, v)), cursor)
    }),

  "delete-videos": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const ids = request.query.getAll("id")
      if (ids.length > 5) {
        return yield* failHelix(400, "The parameter \"id\" may be specified at most 5 times")
      }
      const foreign = ids.filter((id) => request.state.vods.some((v) => v.id === id && v.userId !== user.id))
      if (foreign.length > 0) return yield* failHelix(401, "The user may delete only their own videos.")
      return data(yield* request.ctx.world.deleteVideos(user.id, ids))
    })
}
