/**
 * The mock world's clips and stream markers; the slice they fill. Videos are the world's VODs
 * (`Models.ts`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A clip. `videoId` is `""` when the VOD is gone; `vodOffset` is `-1` then (Twitch sends `null`).
 *
 * @since 0.1.0
 * @category models
 */
export const Clip = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  creatorId: Schema.String,
  videoId: Schema.String,
  gameId: Schema.String,
  language: Schema.String,
  title: Schema.String,
  viewCount: Schema.Int,
  createdAt: Schema.String,
  duration: Schema.Number,
  vodOffset: Schema.Int,
  isFeatured: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type Clip = typeof Clip.Type

/**
 * A marker in a live stream (and its VOD).
 *
 * @since 0.1.0
 * @category models
 */
export const StreamMarker = Schema.Struct({
  id: Schema.String,
  userId: Schema.String,
  videoId: Schema.String,
  createdAt: Schema.String,
  positionSeconds: Schema.Int,
  description: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type StreamMarker = typeof StreamMarker.Type

/**
 * The clips and markers slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const MediaFields = {
  clips: Schema.Array(Clip),
  markers: Schema.Array(StreamMarker)
}
