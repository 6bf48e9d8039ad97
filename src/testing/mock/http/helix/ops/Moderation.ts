/**
 * Moderation: AutoMod (checks, held messages, settings), bans and timeouts, unban requests, blocked
 * terms, deleting chat messages, shield mode, warnings and suspicious users. The token's user must
 * be the broadcaster or one of their moderators. Writes publish world events (CLEARCHAT, CLEARMSG
 * on IRC). Moderators and VIPs are in `ModerationRoles.ts`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { autoModSettingsOf, banInForce } from "../../../world/Moderation.js"
import type { AutoModSettings, Ban, BlockedTerm, UnbanRequest } from "../../../world/ModerationModels.js"
import type { WorldState } from "../../../world/State.js"
import { failHelix, paginate } from "../../shared.js"
import {
  bodyBoolean,
  bodyNumber,
  bodyRecord,
  bodyString,
  data,
  fromWorld,
  type Handlers,
  type HelixRequest,
  moderatorOf,
  noContent,
  page,
  required
} from "../Handler.js"
import { names, newestFirst, orNull } from "../Wire.js"

const autoModJson = (x: AutoModSettings) => ({
  broadcaster_id: x.broadcasterId,
  moderator_id: x.moderatorId,
  overall_level: x.overallLevel,
  disability: x.disability,
  aggression: x.aggression,
  sexuality_sex_or_gender: x.sexualitySexOrGender,
  misogyny: x.misogyny,
  bullying: x.bullying,
  swearing: x.swearing,
  race_ethnicity_or_religion: x.raceEthnicityOrReligion,
  sex_based_terms: x.sexBasedTerms
})

const levels: ReadonlyArray<readonly [string, keyof Omit<AutoModSettings, "broadcasterId" | "moderatorId">]> =
  [
    ["overall_level", "overallLevel"],
    ["disability", "disability"],
    ["aggression", "aggression"],
    ["sexuality_sex_or_gender", "sexualitySexOrGender"],
    ["misogyny", "misogyny"],
    ["bullying", "bullying"],
    ["swearing", "swearing"],
    ["race_ethnicity_or_religion", "raceEthnicityOrReligion"],
    ["sex_based_terms", "sexBasedTerms"]
  ]

const termJson = (t: BlockedTerm) => ({
  broadcaster_id: t.broadcasterId,
  moderator_id: t.moderatorId,
  id: t.id,
  text: t.text,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
  expires_at: orNull(t.expiresAt)
})

const unbanRequestJson = (s: WorldState, r: UnbanRequest) => ({
  id: r.id,
  ...names(s, "broadcaster_", r.broadcasterId),
  ...names(s, "moderator_", r.moderatorId),
  ...names(s, "user_", r.userId),
  text: r.text,
  status: r.status,
  created_at: r.createdAt,
  resolved_at: r.resolvedAt === "" ? r.createdAt : r.resolvedAt,
  resolution_text: r.resolutionText
})

const banJson = (s: WorldState, b: Ban) => ({
  ...names(s, "user_", b.userId),
  expires_at: b.expiresAt,
  created_at: b.createdAt,
  reason: b.reason,
  ...names(s, "moderator_", b.moderatorId)
})

/** The words AutoMod holds at level 1 and up (besides the channel's blocked terms). */
const heldWords = ["idiot", "stupid", "terrible"]

const permitted = (request: HelixRequest, broadcasterId: string, text: string) => {
  const lower = text.toLowerCase()
  const level = request.state.autoModSettings.find((a) => a.broadcasterId === broadcasterId)?.aggression ?? 0
  const blocked = request.state.blockedTerms.some((t) =>
    t.broadcasterId === broadcasterId && lower.includes(t.text.toLowerCase())
  )
  return !blocked && !(level > 0 && heldWords.some((w) => lower.includes(w)))
}

const shieldJson = (s: WorldState, broadcasterId: string) => {
  const x = s.shieldModes.find((m) => m.broadcasterId === broadcasterId)
  return {
    is_active: x?.isActive ?? false,
    ...names(s, "moderator_", x?.moderatorId ?? ""),
    last_activated_at: x?.lastActivatedAt ?? ""
  }
}

/**
 * The Moderation handlers (without moderators and VIPs).
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "check-automod-status": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const raw = request.body["data"]
      const messages = Array.isArray(raw) ? raw : []
      if (messages.length > 100) return yield* failHelix(400, "The data field may have at most 100 messages.")
      return data(messages.flatMap((m) => {
        if (typeof m !== "object" || m === null) return []
        const id = "msg_id" in m && typeof m.msg_id === "string" ? m.msg_id : ""
        const text = "msg_text" in m && typeof m.msg_text === "string" ? m.msg_text : ""
        return [{ msg_id: id, is_permitted: permitted(request, broadcasterId, text) }]
      }))
    }),

  "manage-held-automod-messages": (request) =>
    Effect.gen(function*() {
      const id = bodyString(request, "msg_id") ?? ""
      const held = request.state.heldMessages.find((m) => m.id === id)
      if (held === undefined) {
        return yield* failHelix(404, "The message specified in the msg_id field was not found.")
      }
      yield* moderatorOf(request, held.broadcasterId)
      yield* fromWorld(request.ctx.world.resolveHeldMessage(id, bodyString(request, "action") === "ALLOW"))
      return noContent
    }),

  "get-automod-settings": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      return data([autoModJson(autoModSettingsOf(request.state, broadcasterId, moderator.id))])
    }),

  "update-automod-settings": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      const given = levels.flatMap(([wire, key]) => {
        const value = bodyNumber(request, wire)
        return value === undefined ? [] : [[key, value] as const]
      })
      if (given.some(([, v]) => v < 0 || v > 4)) {
        return yield* failHelix(400, "AutoMod levels must be between 0 and 4.")
      }
      if (
        given.some(([k]) => k === "overallLevel") && given.length > 1
      ) {
        return yield* failHelix(400, "Set either overall_level or the individual levels, not both.")
      }
      const settings = yield* request.ctx.world.updateAutoMod(
        broadcasterId,
        moderator.id,
        Object.fromEntries(given)
      )
      return data([autoModJson(settings)])
    }),

  "get-banned-users": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const users = request.query.getAll("user_id")
      const bans = request.state.bans
        .filter((b) =>
          b.broadcasterId === broadcasterId && banInForce(b, request.now) &&
          (users.length === 0 || users.includes(b.userId))
        )
        .sort((a, b) => newestFirst(a.createdAt, b.createdAt))
      const { cursor, data: items } = yield* paginate(request.query, bans, {
        defaultFirst: 20,
        allowBefore: true
      })
      return page(items.map((b) => banJson(request.state, b)), cursor)
    }),

  "ban-user": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      const ban = bodyRecord(request, "data")
      const duration = typeof ban["duration"] === "number" ? ban["duration"] : undefined
      if (duration !== undefined && (duration < 1 || duration > 1_209_600)) {
        return yield* failHelix(400, "The duration field must be between 1 and 1209600 seconds.")
      }
      const reason = typeof ban["reason"] === "string" ? ban["reason"] : ""
      if ([...reason].length > 500) {
        return yield* failHelix(400, "The reason field may have at most 500 characters.")
      }
      const made = yield* fromWorld(request.ctx.world.ban({
        broadcasterId,
        userId: typeof ban["user_id"] === "string" ? ban["user_id"] : "",
        moderatorId: moderator.id,
        reason,
        ...(duration === undefined ? {} : { durationSeconds: duration })
      }))
      return data([{
        broadcaster_id: made.broadcasterId,
        moderator_id: made.moderatorId,
        user_id: made.userId,
        created_at: made.createdAt,
        end_time: orNull(made.expiresAt)
      }])
    }),

  "unban-user": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      yield* fromWorld(request.ctx.world.unban(broadcasterId, required(request, "user_id"), moderator.id))
      return noContent
    }),

  "get-unban-requests": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      yield* moderatorOf(request, broadcasterId)
      const status = required(request, "status")
      const userId = request.query.get("user_id")
      const found = request.state.unbanRequests.filter((r) =>
        r.broadcasterId === broadcasterId && r.status === status &&
        (userId === undefined || r.userId === userId)
      )
      const { cursor, data: items } = yield* paginate(request.query, found, {
        defaultFirst: 20,
        allowBefore: false
      })
      return page(items.map((r) => unbanRequestJson(request.state, r)), cursor)
    }),

  "resolve-unban-requests": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      const status = required(request, "status")
      if (status !== "approved" && status !== "denied") {
        return yield* failHelix(400, "The status query parameter must be approved or denied.")
      }
      const resolved = yield* fromWorld(request.ctx.world.resolveUnbanRequest({
        id: required(request, "unban_request_id"),
        broadcasterId,
        moderatorId: moderator.id,
        status,
        resolutionText: request.query.get("resolution_text") ?? ""
      }))
      return data([unbanRequestJson(yield* request.ctx.world.snapshot, resolved)])
    }),

  "get-blocked-terms": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      yield* moderatorOf(request, broadcasterId)
      const terms = request.state.blockedTerms.filter((t) => t.broadcasterId === broadcasterId)
      const { cursor, data: items } = yield* paginate(request.query, terms, {
        defaultFirst: 20,
        allowBefore: false
      })
      return page(items.map(termJson), cursor)
    }),

  "add-blocked-term": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      const text = bodyString(request, "text") ?? ""
      if ([...text].length < 2 || [...text].length > 500) {
        return yield* failHelix(400, "The text field must have 2 to 500 characters.")
      }
      return data([termJson(yield* request.ctx.world.addBlockedTerm(broadcasterId, moderator.id, text))])
    }),

  "remove-blocked-term": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      yield* moderatorOf(request, broadcasterId)
      yield* request.ctx.world.removeBlockedTerm(broadcasterId, required(request, "id"))
      return noContent
    }),

  "delete-chat-messages": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      yield* request.ctx.world.deleteChatMessages(
        broadcasterId,
        moderator.id,
        request.query.get("message_id")
      )
      return noContent
    }),

  "update-shield-mode-status": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      yield* request.ctx.world.setShieldMode(
        broadcasterId,
        moderator.id,
        bodyBoolean(request, "is_active") === true
      )
      return data([shieldJson(yield* request.ctx.world.snapshot, broadcasterId)])
    }),

  "get-shield-mode-status": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      yield* moderatorOf(request, broadcasterId)
      return data([shieldJson(request.state, broadcasterId)])
    }),

  "warn-chat-user": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      if (moderator.id !== required(request, "moderator_id")) {
        return yield* failHelix(
          401,
          "The ID in moderator_id must match the user ID found in the request's OAuth token."
        )
      }
      const warning = bodyRecord(request, "data")
      const userId = typeof warning["user_id"] === "string" ? warning["user_id"] : ""
      const reason = typeof warning["reason"] === "string" ? warning["reason"] : ""
      if (reason === "" || [...reason].length > 500) {
        return yield* failHelix(400, "The reason field must have 1 to 500 characters.")
      }
      if (
        !request.state.users.some((u) => u.id === userId)
      ) {
        return yield* failHelix(400, "The user in user_id was not found.")
      }
      const made = yield* request.ctx.world.warn({ broadcasterId, userId, moderatorId: moderator.id, reason })
      return data([{
        broadcaster_id: made.broadcasterId,
        user_id: made.userId,
        moderator_id: made.moderatorId,
        reason: made.reason
      }])
    }),

  "add-suspicious-status-to-chat-user": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      const userId = bodyString(request, "user_id") ?? ""
      const status = bodyString(request, "status") === "RESTRICTED" ? "RESTRICTED" : "ACTIVE_MONITORING"
      const updatedAt = yield* request.ctx.world.setSuspicious(broadcasterId, userId, moderator.id, status)
      return data([{
        user_id: userId,
        broadcaster_id: broadcasterId,
        moderator_id: moderator.id,
        updated_at: updatedAt,
        status,
        types: ["MANUALLY_ADDED"]
      }])
    }),

  "remove-suspicious-status-from-chat-user": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const moderator = yield* moderatorOf(request, broadcasterId)
      const userId = required(request, "user_id")
      const updatedAt = yield* request.ctx.world.setSuspicious(
        broadcasterId,
        userId,
        moderator.id,
        "NO_TREATMENT"
      )
      return data([{
        user_id: userId,
        broadcaster_id: broadcasterId,
        moderator_id: moderator.id,
        updated_at: updatedAt,
        status: "NO_TREATMENT",
        types: []
      }])
    })
}
