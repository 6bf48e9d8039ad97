/**
 * Clips: create a clip of a live stream (202, as Twitch answers while it processes) or of a VOD
 * (by the broadcaster or one of their editors), list clips by broadcaster, game or id, and the
 * download URLs of a channel's clips.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Clip } from "../../../world/MediaModels.js"
import type { WorldState } from "../../../world/State.js"
import { failHelix, paginate, type Reply } from "../../shared.js"
import {
  data,
  fromWorld,
  type Handlers,
  type HelixRequest,
  page,
  queryBool,
  queryInt,
  required,
  tokenUser
} from "../Handler.js"
import { index, newestFirst } from "../Wire.js"

const clipJson = (s: WorldState, c: Clip) => {
  const ix = index(s)
  return {
    id: c.id,
    url: `https://clips.twitch.tv/${c.id}`,
    embed_url: `https://clips.twitch.tv/embed?clip=${c.id}`,
    broadcaster_id: c.broadcasterId,
    broadcaster_name: ix.users.get(c.broadcasterId)?.displayName ?? "",
    creator_id: c.creatorId,
    creator_name: ix.users.get(c.creatorId)?.displayName ?? "",
    video_id: c.videoId,
    game_id: c.gameId,
    language: c.language,
    title: c.title,
    view_count: c.viewCount,
    created_at: c.createdAt,
    thumbnail_url: `https://static-cdn.jtvnw.net/twitch-clips/${c.id}-preview-480x272.jpg`,
    duration: c.duration,
    vod_offset: c.vodOffset < 0 ? null : c.vodOffset,
    is_featured: c.isFeatured
  }
}

const created = (c: Clip) => data([{ id: c.id, edit_url: `https://clips.twitch.tv/${c.id}/edit` }], 202)

/** A clip's duration: 5 to 60 seconds, 30 when not given. */
const durationOf = (request: HelixRequest): Effect.Effect<number, Reply> => {
  const raw = request.query.get("duration")
  const duration = raw === undefined ? 30 : Number(raw)
  return duration >= 5 && duration <= 60
    ? Effect.succeed(duration)
    : failHelix(400, "The duration query parameter must be between 5 and 60 seconds.")
}

/** The editor (the caller's user when it has one), who must be the broadcaster or one of their editors. */
const editorOf = (request: HelixRequest, broadcasterId: string): Effect.Effect<string, Reply> => {
  const editorId = required(request, "editor_id")
  if (Option.exists(request.caller.user, (u) => u.id !== editorId)) {
    return failHelix(401, "The ID in editor_id must match the user ID found in the request's OAuth token.")
  }
  const allowed = editorId === broadcasterId ||
    request.state.editors.some((e) => e.broadcasterId === broadcasterId && e.userId === editorId)
  return allowed
    ? Effect.succeed(editorId)
    : failHelix(403, "The user in editor_id is not one of the broadcaster's editors.")
}

/**
 * The Clips handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "create-clip": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const title = request.query.get("title")
      const clip = yield* fromWorld(request.ctx.world.createClip({
        broadcasterId: required(request, "broadcaster_id"),
        creatorId: user.id,
        durationSeconds: yield* durationOf(request),
        ...(title === undefined ? {} : { title })
      }))
      return created(clip)
    }),

  "get-clips": (request) =>
    Effect.gen(function*() {
      const broadcasterId = request.query.get("broadcaster_id")
      const gameId = request.query.get("game_id")
      const ids = request.query.getAll("id")
      if (broadcasterId === undefined && gameId === undefined && ids.length === 0) {
        return yield* failHelix(400, "Missing required parameter: broadcaster_id, game_id or id")
      }
      const from = Date.parse(request.query.get("started_at") ?? "1970-01-01T00:00:00Z")
      const until = Date.parse(request.query.get("ended_at") ?? "9999-01-01T00:00:00Z")
      const featured = queryBool(request, "is_featured")
      const found = request.state.clips
        .filter((c) =>
          (broadcasterId === undefined || c.broadcasterId === broadcasterId) &&
          (gameId === undefined || c.gameId === gameId) && (ids.length === 0 || ids.includes(c.id)) &&
          Date.parse(c.createdAt) >= from && Date.parse(c.createdAt) <= until &&
          (featured === undefined || c.isFeatured === featured)
        )
        .sort((a, b) => b.viewCount - a.viewCount || newestFirst(a.createdAt, b.createdAt))
      const { cursor, data: items } = yield* paginate(request.query, found, {
        defaultFirst: 20,
        allowBefore: true
      })
      return page(items.map((c) => clipJson(request.state, c)), cursor)
    }),

  "create-clip-from-vod": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const editorId = yield* editorOf(request, broadcasterId)
      const duration = yield* durationOf(request)
      const offset = queryInt(request, "vod_offset", 0)
      if (offset < duration) {
        return yield* failHelix(400, "The vod_offset must be at least the clip's duration.")
      }
      const clip = yield* fromWorld(request.ctx.world.createClip({
        broadcasterId,
        creatorId: editorId,
        title: required(request, "title"),
        durationSeconds: duration,
        vod: { id: required(request, "vod_id"), offsetSeconds: offset - duration }
      }))
      return created(clip)
    }),

  "get-clips-download": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      yield* editorOf(request, broadcasterId)
      const ids = request.query.getAll("clip_id")
      if (ids.length > 10) {
        return yield* failHelix(400, "The parameter \"clip_id\" may be specified at most 10 times")
      }
      const found = request.state.clips.filter((c) => c.broadcasterId === broadcasterId && ids.includes(c.id))
      return data(found.map((c) => ({
        clip_id: c.id,
        landscape_download_url: `https://production.assets.clips.twitchcdn.net/${c.id}/landscape.mp4`,
        portrait_download_url: `https://production.assets.clips.twitchcdn.net/${c.id}/portrait.mp4`
      })))
    })
}
