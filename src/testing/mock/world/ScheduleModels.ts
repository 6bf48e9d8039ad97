/**
 * The mock world's stream schedules: segments (one-off or weekly) and each channel's vacation; the
 * slice they fill.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A scheduled broadcast. `categoryId` and `canceledUntil` are `""` when unset; `startTime` is
 * RFC3339 UTC; a recurring segment repeats weekly.
 *
 * @since 0.1.0
 * @category models
 */
export const ScheduleSegment = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  startTime: Schema.String,
  durationMinutes: Schema.Int,
  title: Schema.String,
  categoryId: Schema.String,
  isRecurring: Schema.Boolean,
  canceledUntil: Schema.String,
  timezone: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ScheduleSegment = typeof ScheduleSegment.Type

/**
 * A channel's schedule settings: its vacation (`""` when none) and time zone.
 *
 * @since 0.1.0
 * @category models
 */
export const ScheduleSettings = Schema.Struct({
  broadcasterId: Schema.String,
  vacationStartTime: Schema.String,
  vacationEndTime: Schema.String,
  timezone: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ScheduleSettings = typeof ScheduleSettings.Type

/**
 * The schedule slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const ScheduleFields = {
  scheduleSegments: Schema.Array(ScheduleSegment),
  scheduleSettings: Schema.Array(ScheduleSettings)
}
