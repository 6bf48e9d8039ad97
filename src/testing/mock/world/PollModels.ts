/**
 * The mock world's polls and predictions; the slice they fill. An `ACTIVE` poll whose duration has
 * passed reads as `COMPLETED` (the answer derives it from the clock).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * One choice of a poll.
 *
 * @since 0.1.0
 * @category models
 */
export const PollChoice = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  votes: Schema.Int,
  channelPointsVotes: Schema.Int
})

/**
 * A poll. `endedAt` is `""` while it runs.
 *
 * @since 0.1.0
 * @category models
 */
export const Poll = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  title: Schema.String,
  choices: Schema.Array(PollChoice),
  channelPointsVotingEnabled: Schema.Boolean,
  channelPointsPerVote: Schema.Int,
  status: Schema.Literal("ACTIVE", "COMPLETED", "TERMINATED", "ARCHIVED", "MODERATED", "INVALID"),
  duration: Schema.Int,
  startedAt: Schema.String,
  endedAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Poll = typeof Poll.Type

/**
 * One outcome of a prediction.
 *
 * @since 0.1.0
 * @category models
 */
export const PredictionOutcome = Schema.Struct({
  id: Schema.String,
  title: Schema.String,
  color: Schema.Literal("BLUE", "PINK"),
  users: Schema.Int,
  channelPoints: Schema.Int
})

/**
 * A prediction. `winningOutcomeId`, `endedAt` and `lockedAt` are `""` until set.
 *
 * @since 0.1.0
 * @category models
 */
export const Prediction = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  title: Schema.String,
  outcomes: Schema.Array(PredictionOutcome),
  predictionWindow: Schema.Int,
  status: Schema.Literal("ACTIVE", "CANCELED", "LOCKED", "RESOLVED"),
  winningOutcomeId: Schema.String,
  createdAt: Schema.String,
  endedAt: Schema.String,
  lockedAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Prediction = typeof Prediction.Type

/**
 * The polls and predictions slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const PollFields = {
  polls: Schema.Array(Poll),
  predictions: Schema.Array(Prediction)
}
