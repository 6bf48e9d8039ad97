/**
 * Guest Star: the channel's settings, its running session, invites and slots. The broadcaster
 * manages settings and sessions; the broadcaster or a moderator manages invites and slots.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { guestStarSettingsOf, type SlotChange } from "../../../world/Community.js"
import type { GuestStarSession, GuestStarSettings } from "../../../world/CommunityModels.js"
import type { WorldState } from "../../../world/State.js"
import { failHelix, type Reply } from "../../shared.js"
import {
  bodyBoolean,
  bodyNumber,
  bodyString,
  data,
  fromWorld,
  type Handlers,
  type HelixRequest,
  json,
  moderatorOf,
  noContent,
  queryBool,
  required,
  tokenUser
} from "../Handler.js"
import { index } from "../Wire.js"

const sessionJson = (s: WorldState, session: GuestStarSession) => {
  const ix = index(s)
  return {
    id: session.id,
    guests: session.guests.map((g) => ({
      slot_id: g.slotId,
      is_live: g.isLive,
      user_id: g.userId,
      user_display_name: ix.users.get(g.userId)?.displayName ?? "",
      user_login: ix.users.get(g.userId)?.login ?? "",
      volume: g.volume,
      assigned_at: g.assignedAt,
      audio_settings: { is_host_enabled: true, is_guest_enabled: g.audioEnabled, is_available: true },
      video_settings: { is_host_enabled: true, is_guest_enabled: g.videoEnabled, is_available: true }
    }))
  }
}

/** The broadcaster, who must be the token's user. */
const broadcaster = (request: HelixRequest): Effect.Effect<string, Reply> => {
  const broadcasterId = required(request, "broadcaster_id")
  return Effect.flatMap(tokenUser(request), (user) =>
    user.id === broadcasterId
      ? Effect.succeed(broadcasterId)
      : failHelix(403, "The ID in broadcaster_id must match the user ID found in the request's OAuth token."))
}

/** Applies a slot change to the running session, as the broadcaster or a moderator. */
const change = (request: HelixRequest, slotChange: SlotChange) =>
  Effect.gen(function*() {
    const broadcasterId = required(request, "broadcaster_id")
    yield* moderatorOf(request, broadcasterId)
    yield* fromWorld(
      request.ctx.world.changeGuestStarSession(broadcasterId, required(request, "session_id"), slotChange)
    )
    return noContent
  })

const layouts: ReadonlyArray<GuestStarSettings["groupLayout"]> = [
  "TILED_LAYOUT",
  "SCREENSHARE_LAYOUT",
  "HORIZONTAL_LAYOUT",
  "VERTICAL_LAYOUT"
]

/**
 * The Guest Star handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-channel-guest-star-settings": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      yield* moderatorOf(request, broadcasterId)
      const x = guestStarSettingsOf(request.state, broadcasterId)
      return json({
        is_moderator_send_live_enabled: x.isModeratorSendLiveEnabled,
        slot_count: x.slotCount,
        is_browser_source_audio_enabled: x.isBrowserSourceAudioEnabled,
        group_layout: x.groupLayout,
        browser_source_token: x.browserSourceToken
      })
    }),

  "update-channel-guest-star-settings": (request) =>
    Effect.gen(function*() {
      const broadcasterId = yield* broadcaster(request)
      const layout = layouts.find((l) => l === bodyString(request, "group_layout"))
      const sendLive = bodyBoolean(request, "is_moderator_send_live_enabled")
      const slots = bodyNumber(request, "slot_count")
      const audio = bodyBoolean(request, "is_browser_source_audio_enabled")
      yield* fromWorld(request.ctx.world.updateGuestStarSettings(
        broadcasterId,
        {
          ...(sendLive === undefined ? {} : { isModeratorSendLiveEnabled: sendLive }),
          ...(slots === undefined ? {} : { slotCount: slots }),
          ...(audio === undefined ? {} : { isBrowserSourceAudioEnabled: audio }),
          ...(layout === undefined ? {} : { groupLayout: layout })
        },
        bodyBoolean(request, "regenerate_browser_sources") === true
      ))
      return noContent
    }),

  "get-guest-star-session": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      yield* moderatorOf(request, broadcasterId)
      const running = request.state.guestStarSessions.filter((x) =>
        x.broadcasterId === broadcasterId && x.endedAt === ""
      )
      return data(running.map((x) => sessionJson(request.state, x)))
    }),

  "create-guest-star-session": (request) =>
    Effect.gen(function*() {
      const session = yield* fromWorld(request.ctx.world.startGuestStarSession(yield* broadcaster(request)))
      return data([sessionJson(yield* request.ctx.world.snapshot, session)])
    }),

  "end-guest-star-session": (request) =>
    Effect.gen(function*() {
      const broadcasterId = yield* broadcaster(request)
      const session = yield* fromWorld(
        request.ctx.world.endGuestStarSession(broadcasterId, required(request, "session_id"))
      )
      return data([sessionJson(yield* request.ctx.world.snapshot, session)])
    }),

  "get-guest-star-invites": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      yield* moderatorOf(request, broadcasterId)
      const session = request.state.guestStarSessions.find((x) =>
        x.broadcasterId === broadcasterId && x.id === required(request, "session_id")
      )
      if (session === undefined) {
        return yield* failHelix(400, "The session_id does not name a Guest Star session of the broadcaster.")
      }
      return data(session.invites.map((i) => ({
        user_id: i.userId,
        invited_at: i.invitedAt,
        status: i.status,
        is_video_enabled: false,
        is_audio_enabled: false,
        is_video_available: true,
        is_audio_available: true
      })))
    }),

  "send-guest-star-invite": (request) =>
    change(request, { _tag: "Invite", guestId: required(request, "guest_id") }),

  "delete-guest-star-invite": (request) =>
    change(request, { _tag: "Uninvite", guestId: required(request, "guest_id") }),

  "assign-guest-star-slot": (request) =>
    change(request, {
      _tag: "Assign",
      guestId: required(request, "guest_id"),
      slotId: required(request, "slot_id")
    }),

  "update-guest-star-slot": (request) => {
    const source = required(request, "source_slot_id")
    return change(request, {
      _tag: "Move",
      sourceSlotId: source,
      destinationSlotId: request.query.get("destination_slot_id") ?? source
    })
  },

  "delete-guest-star-slot": (request) =>
    change(request, {
      _tag: "Remove",
      guestId: required(request, "guest_id"),
      slotId: required(request, "slot_id"),
      reinvite: request.query.get("should_reinvite_guest") === "true"
    }),

  "update-guest-star-slot-settings": (request) => {
    const audio = queryBool(request, "is_audio_enabled")
    const video = queryBool(request, "is_video_enabled")
    const live = queryBool(request, "is_live")
    const raw = request.query.get("volume")
    const volume = raw === undefined ? undefined : Number(raw)
    if (volume !== undefined && (volume < 0 || volume > 100)) {
      return failHelix(400, "The volume query parameter must be between 0 and 100.")
    }
    return change(request, {
      _tag: "Media",
      slotId: required(request, "slot_id"),
      ...(audio === undefined ? {} : { audio }),
      ...(video === undefined ? {} : { video }),
      ...(live === undefined ? {} : { live }),
      ...(volume === undefined ? {} : { volume })
    })
  }
}
