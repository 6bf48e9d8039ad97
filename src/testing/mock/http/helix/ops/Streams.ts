/**
 * Streams: Get Streams (filters ANDed, most viewers first), Get Followed Streams.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { StreamMarker } from "../../../world/MediaModels.js"
import { failHelix, paginate } from "../../shared.js"
import { bodyString, data, fromWorld, type Handlers, page, required, tokenUser } from "../Handler.js"
import { index, liveStreams, names, newestFirst, streamJson } from "../Wire.js"

const markerJson = (m: StreamMarker) => ({
  id: m.id,
  created_at: m.createdAt,
  description: m.description,
  position_seconds: m.positionSeconds,
  url: `https://www.twitch.tv/videos/${m.videoId}?t=${Math.floor(m.positionSeconds / 3600)}h${
    Math.floor((m.positionSeconds % 3600) / 60)
  }m${m.positionSeconds % 60}s`
})

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
    }),

  "get-stream-key": (request) => {
    const broadcasterId = required(request, "broadcaster_id")
    const key = request.state.streamKeys.find((k) => k.broadcasterId === broadcasterId)?.key ??
      `live_${broadcasterId}_mockstreamkey`
    return Effect.succeed(data([{ stream_key: key }]))
  },

  "create-stream-marker": (request) =>
    Effect.gen(function*() {
      const description = bodyString(request, "description") ?? ""
      if ([...description].length > 140) {
        return yield* failHelix(400, "The description field may have at most 140 characters.")
      }
      const marker = yield* fromWorld(
        request.ctx.world.createMarker(bodyString(request, "user_id") ?? "", description)
      )
      return data([{
        id: marker.id,
        created_at: marker.createdAt,
        position_seconds: marker.positionSeconds,
        description: marker.description
      }])
    }),

  "get-stream-markers": (request) =>
    Effect.gen(function*() {
      const s = request.state
      const userId = request.query.get("user_id")
      const videoId = request.query.get("video_id")
      if ((userId === undefined) === (videoId === undefined)) {
        return yield* failHelix(400, "Exactly one of the user_id and video_id query parameters is required.")
      }
      const newest = s.vods.filter((v) => v.userId === userId).sort((a, b) =>
        newestFirst(a.createdAt, b.createdAt)
      )[0]
      const video = videoId ?? newest?.id
      const vod = s.vods.find((v) => v.id === video)
      if (vod === undefined) return yield* failHelix(404, "The video was not found.")
      const markers = s.markers.filter((m) => m.videoId === vod.id).sort((a, b) =>
        a.positionSeconds - b.positionSeconds
      )
      const { cursor, data: items } = yield* paginate(request.query, markers, {
        defaultFirst: 20,
        allowBefore: true
      })
      return page(
        [{
          ...names(s, "user_", vod.userId),
          videos: [{ video_id: vod.id, markers: items.map(markerJson) }]
        }],
        cursor
      )
    })
}
