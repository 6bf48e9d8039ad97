/**
 * Channel points: custom rewards (only the app that created a reward may change it or its
 * redemptions, as Twitch enforces by client id) and their redemptions.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { CustomReward, Redemption } from "../../../world/RewardModels.js"
import type { RewardSettings } from "../../../world/Rewards.js"
import type { WorldState } from "../../../world/State.js"
import { failHelix, paginate, type Reply } from "../../shared.js"
import {
  bodyString,
  data,
  fromWorld,
  type Handlers,
  type HelixRequest,
  noContent,
  page,
  queryBool,
  required
} from "../Handler.js"
import { names } from "../Wire.js"

const defaultImage = (id: string) => ({
  url_1x: `https://static-cdn.jtvnw.net/custom-reward-images/default-1.png#${id}`,
  url_2x: `https://static-cdn.jtvnw.net/custom-reward-images/default-2.png#${id}`,
  url_4x: `https://static-cdn.jtvnw.net/custom-reward-images/default-4.png#${id}`
})

const rewardJson = (s: WorldState, r: CustomReward) => ({
  ...names(s, "broadcaster_", r.broadcasterId),
  id: r.id,
  title: r.title,
  prompt: r.prompt,
  cost: r.cost,
  image: null,
  default_image: defaultImage(r.id),
  background_color: r.backgroundColor,
  is_enabled: r.isEnabled,
  is_user_input_required: r.isUserInputRequired,
  max_per_stream_setting: { is_enabled: r.isMaxPerStreamEnabled, max_per_stream: r.maxPerStream },
  max_per_user_per_stream_setting: {
    is_enabled: r.isMaxPerUserPerStreamEnabled,
    max_per_user_per_stream: r.maxPerUserPerStream
  },
  global_cooldown_setting: {
    is_enabled: r.isGlobalCooldownEnabled,
    global_cooldown_seconds: r.globalCooldownSeconds
  },
  is_paused: r.isPaused,
  is_in_stock: true,
  should_redemptions_skip_request_queue: r.shouldRedemptionsSkipRequestQueue,
  redemptions_redeemed_current_stream: null,
  cooldown_expires_at: null
})

const redemptionJson = (s: WorldState, r: Redemption) => {
  const reward = s.customRewards.find((x) => x.id === r.rewardId)
  return {
    ...names(s, "broadcaster_", r.broadcasterId),
    id: r.id,
    user_id: r.userId,
    user_name: names(s, "user_", r.userId)["user_name"],
    user_login: names(s, "user_", r.userId)["user_login"],
    reward: {
      id: r.rewardId,
      title: reward?.title ?? "",
      prompt: reward?.prompt ?? "",
      cost: reward?.cost ?? 0
    },
    user_input: r.userInput,
    status: r.status,
    redeemed_at: r.redeemedAt
  }
}

const optional = <A>(schema: Schema.Schema<A>, key: string) =>
  Schema.optionalWith(schema, { exact: true }).pipe(Schema.fromKey(key))

/** A reward's settings in a Create or Update Custom Reward body. */
const Settings = Schema.Struct({
  title: optional(Schema.String, "title"),
  prompt: optional(Schema.String, "prompt"),
  cost: optional(Schema.Int, "cost"),
  backgroundColor: optional(Schema.String, "background_color"),
  isEnabled: optional(Schema.Boolean, "is_enabled"),
  isUserInputRequired: optional(Schema.Boolean, "is_user_input_required"),
  isMaxPerStreamEnabled: optional(Schema.Boolean, "is_max_per_stream_enabled"),
  maxPerStream: optional(Schema.Int, "max_per_stream"),
  isMaxPerUserPerStreamEnabled: optional(Schema.Boolean, "is_max_per_user_per_stream_enabled"),
  maxPerUserPerStream: optional(Schema.Int, "max_per_user_per_stream"),
  isGlobalCooldownEnabled: optional(Schema.Boolean, "is_global_cooldown_enabled"),
  globalCooldownSeconds: optional(Schema.Int, "global_cooldown_seconds"),
  isPaused: optional(Schema.Boolean, "is_paused"),
  shouldRedemptionsSkipRequestQueue: optional(Schema.Boolean, "should_redemptions_skip_request_queue")
})

/** The reward settings of a body (the router checked each field's type), checked as Twitch does. */
const settingsOf = (request: HelixRequest): Effect.Effect<RewardSettings, Reply> => {
  const decoded = Schema.decodeUnknownOption(Settings)(request.body)
  if (Option.isNone(decoded)) return failHelix(400, "The reward settings are not valid.")
  const settings: RewardSettings = decoded.value
  const title = bodyString(request, "title")
  if (title !== undefined && (title.trim() === "" || [...title].length > 45)) {
    return failHelix(400, "The title field must have 1 to 45 characters.")
  }
  if ([...(bodyString(request, "prompt") ?? "")].length > 200) {
    return failHelix(400, "The prompt field may have at most 200 characters.")
  }
  const cost = request.body["cost"]
  if (typeof cost === "number" && cost < 1) return failHelix(400, "The cost field must be at least 1.")
  const color = bodyString(request, "background_color")
  if (color !== undefined && !/^#[0-9A-Fa-f]{6}$/.test(color)) {
    return failHelix(400, "The background_color field must be a hex color like #9147FF.")
  }
  return Effect.succeed(settings)
}

/**
 * The Channel Points handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "create-custom-rewards": (request) =>
    Effect.gen(function*() {
      const settings = yield* settingsOf(request)
      const reward = yield* fromWorld(request.ctx.world.createReward(
        required(request, "broadcaster_id"),
        request.caller.clientId,
        { ...settings, title: bodyString(request, "title") ?? "", cost: settings.cost ?? 1 }
      ))
      return data([rewardJson(yield* request.ctx.world.snapshot, reward)])
    }),

  "delete-custom-reward": (request) =>
    Effect.as(
      fromWorld(
        request.ctx.world.deleteReward(
          required(request, "broadcaster_id"),
          required(request, "id"),
          request.caller.clientId
        )
      ),
      noContent
    ),

  "get-custom-reward": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const ids = request.query.getAll("id")
      const manageable = queryBool(request, "only_manageable_rewards") === true
      const found = request.state.customRewards.filter((r) =>
        r.broadcasterId === broadcasterId && (ids.length === 0 || ids.includes(r.id)) &&
        (!manageable || r.clientId === request.caller.clientId)
      )
      if (ids.length > 0 && found.length === 0) {
        return yield* failHelix(404, "The custom reward specified in the id query parameter was not found.")
      }
      return data(found.map((r) => rewardJson(request.state, r)))
    }),

  "update-custom-reward": (request) =>
    Effect.gen(function*() {
      const settings = yield* settingsOf(request)
      const reward = yield* fromWorld(request.ctx.world.updateReward(
        required(request, "broadcaster_id"),
        required(request, "id"),
        request.caller.clientId,
        settings
      ))
      return data([rewardJson(yield* request.ctx.world.snapshot, reward)])
    }),

  "get-custom-reward-redemption": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const rewardId = required(request, "reward_id")
      const ids = request.query.getAll("id")
      const status = request.query.get("status")
      if (ids.length === 0 && status === undefined) {
        return yield* failHelix(
          400,
          "The status query parameter is required if you don't specify the id query parameter."
        )
      }
      if (!request.state.customRewards.some((r) => r.broadcasterId === broadcasterId && r.id === rewardId)) {
        return yield* failHelix(
          404,
          "The custom reward specified in the reward_id query parameter was not found."
        )
      }
      const found = request.state.redemptions
        .filter((r) =>
          r.rewardId === rewardId && (ids.length === 0 || ids.includes(r.id)) &&
          (status === undefined || r.status === status)
        )
        .sort((a, b) =>
          (a.redeemedAt < b.redeemedAt ? -1 : 1) * (request.query.get("sort") === "NEWEST" ? -1 : 1)
        )
      const { cursor, data: items } = yield* paginate(request.query, found, {
        defaultFirst: 20,
        allowBefore: false,
        max: 50
      })
      return page(items.map((r) => redemptionJson(request.state, r)), cursor)
    }),

  "update-redemption-status": (request) =>
    Effect.gen(function*() {
      const status = bodyString(request, "status") === "CANCELED" ? "CANCELED" : "FULFILLED"
      const updated = yield* fromWorld(request.ctx.world.updateRedemptions({
        broadcasterId: required(request, "broadcaster_id"),
        rewardId: required(request, "reward_id"),
        ids: request.query.getAll("id"),
        clientId: request.caller.clientId,
        status
      }))
      const s = yield* request.ctx.world.snapshot
      return data(updated.map((r) => redemptionJson(s, r)))
    })
}
