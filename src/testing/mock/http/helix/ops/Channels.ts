/**
 * Channels: Get Channel Information (`delay` only for a partner's own token), Get Channel
 * Followers (only `total` without `moderator:read:followers` as the broadcaster or a moderator).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Channel } from "../../../world/Models.js"
import { failHelix, paginate, type Reply } from "../../shared.js"
import {
  bodyBoolean,
  bodyNumber,
  bodyString,
  data,
  fromWorld,
  type Handlers,
  hasScope,
  type HelixRequest,
  noContent,
  page,
  required,
  tokenUser
} from "../Handler.js"
import { index, newestFirst } from "../Wire.js"

const tagPattern = /^[\p{L}\p{N}]{1,25}$/u

/** The channel changes a Modify Channel Information body asks for, checked as Twitch checks them. */
const channelPatch = (
  request: HelixRequest,
  channel: Channel
): Effect.Effect<Partial<Omit<Channel, "broadcasterId">>, Reply> =>
  Effect.gen(function*() {
    const body = request.body
    const patch: { -readonly [K in keyof Channel]?: Channel[K] } = {}
    const gameId = bodyString(request, "game_id")
    if (gameId !== undefined) {
      if (gameId !== "" && gameId !== "0" && !request.state.games.some((g) => g.id === gameId)) {
        return yield* failHelix(400, "The ID in game_id is not valid.")
      }
      patch.gameId = gameId === "0" ? "" : gameId
    }
    const language = bodyString(request, "broadcaster_language")
    if (language !== undefined) patch.language = language
    const title = bodyString(request, "title")
    if (title !== undefined) {
      if (title.trim() === "") {
        return yield* failHelix(400, "The title field may not contain an empty string.")
      }
      patch.title = title
    }
    const delay = bodyNumber(request, "delay")
    if (delay !== undefined) {
      const owner = index(request.state).users.get(channel.broadcasterId)
      if (owner?.broadcasterType !== "partner") {
        return yield* failHelix(403, "Only partners may set a broadcast delay.")
      }
      if (delay < 0 || delay > 900) {
        return yield* failHelix(400, "The delay field may not exceed 900 seconds.")
      }
      patch.delay = delay
    }
    const tags = body["tags"]
    if (Array.isArray(tags)) {
      const list = tags.filter((t): t is string => typeof t === "string")
      if (list.length > 10 || list.some((t) => !tagPattern.test(t))) {
        return yield* failHelix(400, "The tags field may have at most 10 tags of 1 to 25 letters and digits.")
      }
      patch.tags = list
    }
    const labels = body["content_classification_labels"]
    if (Array.isArray(labels)) {
      const current = new Set(channel.contentClassificationLabels)
      for (const label of labels) {
        if (typeof label !== "object" || label === null) continue
        const id = "id" in label && typeof label.id === "string" ? label.id : ""
        const enabled = "is_enabled" in label && label.is_enabled === true
        if (enabled) current.add(id)
        else current.delete(id)
      }
      patch.contentClassificationLabels = [...current]
    }
    const branded = bodyBoolean(request, "is_branded_content")
    if (branded !== undefined) patch.isBrandedContent = branded
    if (Object.keys(patch).length === 0) {
      return yield* failHelix(400, "The request must update at least one field.")
    }
    return patch
  })

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

  "modify-channel-information": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const channel = request.state.channels.find((c) => c.broadcasterId === broadcasterId)
      if (channel === undefined) return yield* failHelix(400, "The ID in broadcaster_id was not found.")
      const patch = yield* channelPatch(request, channel)
      yield* fromWorld(request.ctx.world.updateChannel(broadcasterId, patch))
      return noContent
    }),

  "get-channel-editors": (request) => {
    const broadcasterId = required(request, "broadcaster_id")
    const ix = index(request.state)
    return Effect.succeed(data(
      request.state.editors.filter((e) => e.broadcasterId === broadcasterId).map((e) => ({
        user_id: e.userId,
        user_name: ix.users.get(e.userId)?.displayName ?? "",
        created_at: e.createdAt
      }))
    ))
  },

  "get-followed-channels": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const only = request.query.get("broadcaster_id")
      const ix = index(request.state)
      const follows = request.state.follows
        .filter((f) => f.fromId === user.id && (only === undefined || f.toId === only))
        .sort((a, b) => newestFirst(a.followedAt, b.followedAt))
      const { cursor, data: items } = yield* paginate(request.query, follows, {
        defaultFirst: 20,
        allowBefore: false
      })
      return page(
        items.map((f) => ({
          broadcaster_id: f.toId,
          broadcaster_login: ix.users.get(f.toId)?.login ?? "",
          broadcaster_name: ix.users.get(f.toId)?.displayName ?? "",
          followed_at: f.followedAt
        })),
        cursor,
        { total: follows.length }
      )
    }),

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
