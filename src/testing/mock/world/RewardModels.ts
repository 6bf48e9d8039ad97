/**
 * The mock world's channel points: custom rewards (each owned by the client id that created it, as
 * Twitch lets only that app change it) and their redemptions; the slice they fill.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A custom reward. Limits are off when their flag is off; `0` values are Twitch's "unset".
 *
 * @since 0.1.0
 * @category models
 */
export const CustomReward = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  /** The client id of the app that created it (only that app may update or delete it). */
  clientId: Schema.String,
  title: Schema.String,
  prompt: Schema.String,
  cost: Schema.Int,
  backgroundColor: Schema.String,
  isEnabled: Schema.Boolean,
  isUserInputRequired: Schema.Boolean,
  isMaxPerStreamEnabled: Schema.Boolean,
  maxPerStream: Schema.Int,
  isMaxPerUserPerStreamEnabled: Schema.Boolean,
  maxPerUserPerStream: Schema.Int,
  isGlobalCooldownEnabled: Schema.Boolean,
  globalCooldownSeconds: Schema.Int,
  isPaused: Schema.Boolean,
  shouldRedemptionsSkipRequestQueue: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type CustomReward = typeof CustomReward.Type

/**
 * A viewer's redemption of a custom reward.
 *
 * @since 0.1.0
 * @category models
 */
export const Redemption = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  rewardId: Schema.String,
  userId: Schema.String,
  userInput: Schema.String,
  status: Schema.Literal("CANCELED", "FULFILLED", "UNFULFILLED"),
  redeemedAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Redemption = typeof Redemption.Type

/**
 * The channel points slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const RewardFields = {
  customRewards: Schema.Array(CustomReward),
  redemptions: Schema.Array(Redemption)
}
