/**
 * Moderators and VIPs: the channels a user moderates, a channel's moderators and VIPs, adding and
 * removing them (a VIP must stop being one before becoming a moderator and the other way round,
 * as Twitch answers with 422). Changes publish `RoleChanged` and `ChannelUpdated` (new badges on
 * IRC).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { paginate } from "../../shared.js"
import { failHelix } from "../../shared.js"
import {
  fromWorld,
  type Handlers,
  type HelixRequest,
  noContent,
  page,
  required,
  tokenUser
} from "../Handler.js"
import { index } from "../Wire.js"

const userRefs = (request: HelixRequest, ids: ReadonlyArray<string>) => {
  const ix = index(request.state)
  return ids.map((id) => ({
    user_id: id,
    user_login: ix.users.get(id)?.login ?? "",
    user_name: ix.users.get(id)?.displayName ?? ""
  }))
}

const listed = (request: HelixRequest, key: "moderators" | "vips", max: number) =>
  Effect.gen(function*() {
    const broadcasterId = required(request, "broadcaster_id")
    const channel = request.state.channels.find((c) => c.broadcasterId === broadcasterId)
    const only = request.query.getAll("user_id")
    if (only.length > max) {
      return yield* failHelix(400, `The parameter "user_id" may be specified at most ${max} times`)
    }
    const ids = (channel?.[key] ?? []).filter((id) => only.length === 0 || only.includes(id))
    const { cursor, data } = yield* paginate(request.query, userRefs(request, ids), {
      defaultFirst: 20,
      allowBefore: false
    })
    return page(data, cursor)
  })

/** Adds or removes a role after Twitch's own checks. */
const setRole = (request: HelixRequest, role: "moderator" | "vip", add: boolean) =>
  Effect.gen(function*() {
    const broadcasterId = required(request, "broadcaster_id")
    const userId = required(request, "user_id")
    const channel = request.state.channels.find((c) => c.broadcasterId === broadcasterId)
    if (channel === undefined) return yield* failHelix(400, "The ID in broadcaster_id was not found.")
    if (!request.state.users.some((u) => u.id === userId)) {
      return yield* failHelix(400, "The ID in user_id was not found.")
    }
    const isMod = channel.moderators.includes(userId)
    const isVip = channel.vips.includes(userId)
    if (add && role === "moderator" && isVip) {
      return yield* failHelix(
        422,
        "The user in user_id is a VIP. To make them a moderator, you must first remove them as a VIP."
      )
    }
    if (add && role === "vip" && isMod) {
      return yield* failHelix(
        422,
        "The user in user_id is a moderator. To make them a VIP, you must first remove them as a moderator."
      )
    }
    if (add && role === "vip" && isVip) {
      return yield* failHelix(422, "The user in user_id is already a VIP.")
    }
    if (!add && role === "vip" && !isVip) {
      return yield* failHelix(422, "The user in user_id is not a VIP in the broadcaster's channel.")
    }
    if (add && role === "vip" && channel.vips.length >= 100) {
      return yield* failHelix(409, "The broadcaster doesn't have available VIP slots.")
    }
    yield* fromWorld(request.ctx.world.setRole({ broadcasterId, userId, role, add }))
    return noContent
  })

/**
 * The moderators and VIPs handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-moderated-channels": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const ix = index(request.state)
      const channels = request.state.channels.filter((c) => c.moderators.includes(user.id)).map((c) => ({
        broadcaster_id: c.broadcasterId,
        broadcaster_login: ix.users.get(c.broadcasterId)?.login ?? "",
        broadcaster_name: ix.users.get(c.broadcasterId)?.displayName ?? ""
      }))
      const { cursor, data } = yield* paginate(request.query, channels, {
        defaultFirst: 20,
        allowBefore: false
      })
      return page(data, cursor)
    }),

  "get-moderators": (request) => listed(request, "moderators", 100),
  "add-channel-moderator": (request) => setRole(request, "moderator", true),
  "remove-channel-moderator": (request) => setRole(request, "moderator", false),
  "get-vips": (request) => listed(request, "vips", 100),
  "add-channel-vip": (request) => setRole(request, "vip", true),

  "remove-channel-vip": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const broadcasterId = required(request, "broadcaster_id")
      if (user.id !== broadcasterId && user.id !== required(request, "user_id")) {
        return yield* failHelix(403, "Only the broadcaster or the VIP themselves may remove a VIP.")
      }
      return yield* setRole(request, "vip", false)
    })
}
