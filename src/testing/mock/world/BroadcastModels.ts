/**
 * The mock world's broadcasting state: each channel's ad schedule, raids, stream keys and editors;
 * the slice they fill.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A channel's ad schedule. Times are epoch seconds (`0` when none), as Get Ad Schedule sends them.
 *
 * @since 0.1.0
 * @category models
 */
export const AdSchedule = Schema.Struct({
  broadcasterId: Schema.String,
  snoozeCount: Schema.Int,
  snoozeRefreshAt: Schema.Int,
  nextAdAt: Schema.Int,
  duration: Schema.Int,
  lastAdAt: Schema.Int,
  prerollFreeTime: Schema.Int
})

/**
 * @since 0.1.0
 * @category models
 */
export type AdSchedule = typeof AdSchedule.Type

/**
 * A raid from one channel to another, pending until it starts or is canceled.
 *
 * @since 0.1.0
 * @category models
 */
export const Raid = Schema.Struct({
  fromBroadcasterId: Schema.String,
  toBroadcasterId: Schema.String,
  createdAt: Schema.String,
  status: Schema.Literal("pending", "canceled")
})

/**
 * @since 0.1.0
 * @category models
 */
export type Raid = typeof Raid.Type

/**
 * A channel's stream key.
 *
 * @since 0.1.0
 * @category models
 */
export const StreamKey = Schema.Struct({
  broadcasterId: Schema.String,
  key: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type StreamKey = typeof StreamKey.Type

/**
 * A user who may edit a channel.
 *
 * @since 0.1.0
 * @category models
 */
export const Editor = Schema.Struct({
  broadcasterId: Schema.String,
  userId: Schema.String,
  createdAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Editor = typeof Editor.Type

/**
 * The broadcasting slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const BroadcastFields = {
  adSchedules: Schema.Array(AdSchedule),
  raids: Schema.Array(Raid),
  streamKeys: Schema.Array(StreamKey),
  editors: Schema.Array(Editor)
}
