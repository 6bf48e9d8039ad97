/**
 * Chat (settings and messages): badges, chat settings (room modes plus the non-moderator delay),
 * shared chat, announcements, shoutouts (live broadcasters only), Send Chat Message (sent, or
 * dropped as Twitch drops it: banned, timed out, duplicate, slow mode, over the chat limits; 422
 * past 500 characters; with an app token for a bot the sender and the broadcaster authorized, the
 * Chat Bot path) and chat colors. Writes publish world events the IRC server turns
 * into ROOMSTATE, PRIVMSG and USERNOTICE lines.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { grantedScopes } from "../../../eventsub/Rules.js"
import { dropReasons } from "../../../world/Messaging.js"
import type { RoomState } from "../../../world/Models.js"
import type { WorldState } from "../../../world/State.js"
import { failHelix, type Reply } from "../../shared.js"
import * as EndpointLimits from "../EndpointLimits.js"
import {
  bodyBoolean,
  bodyNumber,
  bodyString,
  data,
  fromWorld,
  type Handlers,
  type HelixRequest,
  moderatorOf,
  noContent,
  required,
  tokenUser
} from "../Handler.js"
import { index } from "../Wire.js"

/** A badge version; its pictures are on the mock's own badge CDN (`ThirdPartyCdn.ts`), as Twitch's are on its CDN. */
const badgeVersion = (base: string, setId: string, id: string, title: string) => ({
  id,
  image_url_1x: `${base}/badges/v1/${setId}-${id}/1`,
  image_url_2x: `${base}/badges/v1/${setId}-${id}/2`,
  image_url_4x: `${base}/badges/v1/${setId}-${id}/3`,
  title,
  description: title,
  click_action: "none",
  click_url: ""
})

const globalBadges = (base: string) => [
  { set_id: "broadcaster", versions: [badgeVersion(base, "broadcaster", "1", "Broadcaster")] },
  { set_id: "moderator", versions: [badgeVersion(base, "moderator", "1", "Moderator")] },
  { set_id: "vip", versions: [badgeVersion(base, "vip", "1", "VIP")] },
  { set_id: "partner", versions: [badgeVersion(base, "partner", "1", "Verified")] },
  { set_id: "staff", versions: [badgeVersion(base, "staff", "1", "Staff")] },
  { set_id: "bot-badge", versions: [badgeVersion(base, "bot-badge", "1", "Chat Bot")] },
  { set_id: "premium", versions: [badgeVersion(base, "premium", "1", "Prime Gaming")] },
  { set_id: "turbo", versions: [badgeVersion(base, "turbo", "1", "Turbo")] },
  { set_id: "subscriber", versions: [badgeVersion(base, "subscriber", "0", "Subscriber")] },
  {
    set_id: "bits",
    versions: ["1", "100", "1000", "5000", "10000"].map((v) => badgeVersion(base, "bits", v, `cheer ${v}`))
  }
]

/** Twitch's named chat colors. */
const namedColors: Readonly<Record<string, string>> = {
  blue: "#0000FF",
  blue_violet: "#8A2BE2",
  cadet_blue: "#5F9EA0",
  chocolate: "#D2691E",
  coral: "#FF7F50",
  dodger_blue: "#1E90FF",
  firebrick: "#B22222",
  golden_rod: "#DAA520",
  green: "#008000",
  hot_pink: "#FF69B4",
  orange_red: "#FF4500",
  red: "#FF0000",
  sea_green: "#2E8B57",
  spring_green: "#00FF7F",
  yellow_green: "#9ACD32"
}

/** Get/Update Chat Settings' item: modes from the room state, `null` durations when off. */
const settingsJson = (
  s: WorldState,
  broadcasterId: string,
  roomState: RoomState,
  moderatorId: string | undefined
) => {
  const delay = s.chatDelays.find((d) => d.broadcasterId === broadcasterId)?.seconds ?? 0
  return {
    broadcaster_id: broadcasterId,
    emote_mode: roomState.emoteOnly,
    follower_mode: roomState.followersOnly >= 0,
    follower_mode_duration: roomState.followersOnly >= 0 ? roomState.followersOnly : null,
    ...(moderatorId === undefined ? {} : {
      moderator_id: moderatorId,
      non_moderator_chat_delay: delay > 0,
      non_moderator_chat_delay_duration: delay > 0 ? delay : null
    }),
    slow_mode: roomState.slow > 0,
    slow_mode_wait_time: roomState.slow > 0 ? roomState.slow : null,
    subscriber_mode: roomState.subsOnly,
    unique_chat_mode: roomState.r9k
  }
}

/** The room-state changes of an Update Chat Settings body, checked as Twitch checks them. */
const roomPatch = (request: HelixRequest): Effect.Effect<Partial<RoomState>, Reply> => {
  const patch: { -readonly [K in keyof RoomState]?: RoomState[K] } = {}
  const emote = bodyBoolean(request, "emote_mode")
  if (emote !== undefined) patch.emoteOnly = emote
  const followers = bodyBoolean(request, "follower_mode")
  const minutes = bodyNumber(request, "follower_mode_duration")
  if (minutes !== undefined && (minutes < 0 || minutes > 129600)) {
    return failHelix(400, "The follower_mode_duration field must be between 0 and 129600 minutes.")
  }
  if (followers === false) patch.followersOnly = -1
  else if (followers === true || minutes !== undefined) patch.followersOnly = minutes ?? 0
  const slow = bodyBoolean(request, "slow_mode")
  const wait = bodyNumber(request, "slow_mode_wait_time")
  if (wait !== undefined && (wait < 3 || wait > 120)) {
    return failHelix(400, "The slow_mode_wait_time field must be between 3 and 120 seconds.")
  }
  if (slow === false) patch.slow = 0
  else if (slow === true || wait !== undefined) patch.slow = wait ?? 30
  const subs = bodyBoolean(request, "subscriber_mode")
  if (subs !== undefined) patch.subsOnly = subs
  const unique = bodyBoolean(request, "unique_chat_mode")
  if (unique !== undefined) patch.r9k = unique
  return Effect.succeed(patch)
}

const isLive = (s: WorldState, userId: string) => s.streams.some((x) => x.userId === userId)

/**
 * Send Chat Message with an app token (the Chat Bot badge): the sender granted the client
 * `user:write:chat` and `user:bot`, and the broadcaster `channel:bot` unless the sender moderates
 * the channel (or is its broadcaster). Twitch answers 403 otherwise.
 */
const chatBotGrants = (request: HelixRequest, broadcasterId: string, senderId: string) => {
  const clientId = request.caller.clientId
  const s = request.state
  const sender = grantedScopes(s, clientId, senderId)
  const missing = ["user:write:chat", "user:bot"].filter((scope) => !sender.has(scope))
  if (missing.length > 0) {
    return failHelix(
      403,
      `The sender has not authorized this client to chat as a bot (${missing.join(", ")}).`
    )
  }
  const channel = s.channels.find((c) => c.broadcasterId === broadcasterId)
  const moderates = senderId === broadcasterId || (channel?.moderators.includes(senderId) ?? false)
  if (moderates || grantedScopes(s, clientId, broadcasterId).has("channel:bot")) return Effect.void
  return failHelix(
    403,
    "The sender is not permitted to send chat messages to the broadcaster's chat room: the broadcaster has " +
      "not granted channel:bot and the sender is not a moderator."
  )
}

/**
 * The Chat handlers for badges, settings and messages.
 *
 * @since 0.1.0
 * @category handlers
 */
export const messageHandlers: Handlers = {
  "get-global-chat-badges": (request) => Effect.succeed(data(globalBadges(request.ctx.baseUrl))),

  "get-channel-chat-badges": (request) => {
    const broadcasterId = required(request, "broadcaster_id")
    const owner = index(request.state).users.get(broadcasterId)
    if (owner === undefined || owner.broadcasterType === "") return Effect.succeed(data([]))
    const subscriber = {
      set_id: "subscriber",
      versions: ["0", "3", "6", "12"].map((v) =>
        badgeVersion(request.ctx.baseUrl, `subscriber-${broadcasterId}`, v, `${v}-Month Subscriber`)
      )
    }
    const bits = {
      set_id: "bits",
      versions: ["1", "100"].map((v) =>
        badgeVersion(request.ctx.baseUrl, `bits-${broadcasterId}`, v, `cheer ${v}`)
      )
    }
    return Effect.succeed(data(owner.broadcasterType === "partner" ? [subscriber, bits] : [subscriber]))
  },

  "get-chat-settings": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const channel = request.state.channels.find((c) => c.broadcasterId === broadcasterId)
      if (channel === undefined) return yield* failHelix(400, "The ID in broadcaster_id was not found.")
      const moderatorId = request.query.get("moderator_id")
      const asModerator = moderatorId !== undefined &&
        (moderatorId === broadcasterId || channel.moderators.includes(moderatorId))
      return data([
        settingsJson(request.state, broadcasterId, channel.roomState, asModerator ? moderatorId : undefined)
      ])
    }),

  "update-chat-settings": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      const patch = yield* roomPatch(request)
      const world = request.ctx.world
      const roomState = yield* fromWorld(world.setRoomState(broadcasterId, patch))
      const delay = bodyBoolean(request, "non_moderator_chat_delay")
      const seconds = bodyNumber(request, "non_moderator_chat_delay_duration")
      if (delay === false) yield* world.setChatDelay(broadcasterId, 0)
      else if (delay === true || seconds !== undefined) yield* world.setChatDelay(broadcasterId, seconds ?? 2)
      return data([settingsJson(yield* world.snapshot, broadcasterId, roomState, moderator.id)])
    }),

  "get-shared-chat-session": () => Effect.succeed(data([])),

  "send-chat-announcement": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      const message = bodyString(request, "message") ?? ""
      if (message.trim() === "" || [...message].length > 500) {
        return yield* failHelix(400, "The message field must have 1 to 500 characters.")
      }
      const color = bodyString(request, "color")
      yield* request.ctx.world.sendAnnouncement({
        broadcasterId,
        moderatorId: moderator.id,
        message,
        color: color === "blue" || color === "green" || color === "orange" || color === "purple"
          ? color
          : "primary"
      })
      return noContent
    }),

  "send-a-shoutout": (request) =>
    Effect.gen(function*() {
      const from = required(request, "from_broadcaster_id")
      const moderator = yield* moderatorOf(request, from)
      if (!isLive(request.state, from)) {
        return yield* failHelix(
          400,
          "The broadcaster is not streaming live or does not have one or more viewers."
        )
      }
      yield* fromWorld(request.ctx.world.sendShoutout({
        fromBroadcasterId: from,
        toBroadcasterId: required(request, "to_broadcaster_id"),
        moderatorId: moderator.id
      }))
      return noContent
    }),

  "send-chat-message": (request) =>
    Effect.gen(function*() {
      const message = bodyString(request, "message") ?? ""
      if (message.trim() === "") return yield* failHelix(400, "The message field may not be empty.")
      if ([...message].length > 500) return yield* failHelix(422, "The message is too large.")
      const broadcasterId = bodyString(request, "broadcaster_id") ?? ""
      const senderId = bodyString(request, "sender_id") ?? ""
      const forSourceOnly = bodyBoolean(request, "for_source_only")
      const chatBot = Option.isNone(request.caller.user)
      if (chatBot) yield* chatBotGrants(request, broadcasterId, senderId)
      else if (forSourceOnly !== undefined) {
        return yield* failHelix(400, "The for_source_only field may be set only with an app access token.")
      }
      const verdict = yield* EndpointLimits.take(request, EndpointLimits.chatMessages)
      const sent = yield* fromWorld(request.ctx.world.sendChatMessage({
        broadcasterId,
        senderId,
        text: message,
        replyParentMessageId: bodyString(request, "reply_parent_message_id") ?? "",
        rateLimited: verdict._tag === "Refused",
        chatBot,
        forSourceOnly
      })).pipe(Effect.onError(() => EndpointLimits.giveBack(request.ctx, verdict)))
      // A message dropped for another reason does not use up a send (as on IRC).
      if (sent.dropReason !== "") yield* EndpointLimits.giveBack(request.ctx, verdict)
      if (sent.dropReason === "msg_ratelimit") yield* EndpointLimits.countRefusal(request, false)
      return data([{
        message_id: sent.id,
        is_sent: sent.dropReason === "",
        ...(sent.dropReason === ""
          ? {}
          : {
            drop_reason: { code: sent.dropReason, message: dropReasons[sent.dropReason] ?? sent.dropReason }
          })
      }])
    }),

  "get-user-chat-color": (request) => {
    const ix = index(request.state)
    return Effect.succeed(data(
      request.query.getAll("user_id").flatMap((id) => {
        const user = ix.users.get(id)
        return user === undefined
          ? []
          : [{ user_id: id, user_login: user.login, user_name: user.displayName, color: user.chatColor }]
      })
    ))
  },

  "update-user-chat-color": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const raw = required(request, "color")
      const color = Option.fromNullable(
        namedColors[raw] ?? (/^#[0-9A-Fa-f]{6}$/.test(raw) ? raw.toUpperCase() : undefined)
      )
      if (Option.isNone(color)) return yield* failHelix(400, "The color field names no color Twitch knows.")
      yield* fromWorld(request.ctx.world.setChatColor(user.id, color.value))
      return noContent
    })
}
