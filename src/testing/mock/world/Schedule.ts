/**
 * The world's stream schedules: segments (30 to 1380 minutes, one-off or weekly, canceled until
 * their next end) and each channel's vacation.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import { rfc3339 } from "./Fixtures.js"
import { ALNUM } from "./Random.js"
import type { ScheduleSegment, ScheduleSettings } from "./ScheduleModels.js"
import type { WorldState } from "./State.js"
import { newString, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * What a segment is made of or changed to.
 *
 * @since 0.1.0
 * @category models
 */
export interface SegmentInput {
  readonly startTime?: string
  readonly durationMinutes?: number
  readonly title?: string
  readonly categoryId?: string
  readonly isRecurring?: boolean
  readonly isCanceled?: boolean
  readonly timezone?: string
}

/**
 * The schedule part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly createSegment: (
    broadcasterId: string,
    input: SegmentInput & {
      readonly startTime: string
      readonly durationMinutes: number
      readonly timezone: string
    }
  ) => Effect.Effect<ScheduleSegment, WorldError>
  readonly updateSegment: (
    broadcasterId: string,
    id: string,
    input: SegmentInput
  ) => Effect.Effect<ScheduleSegment, WorldError>
  readonly deleteSegment: (broadcasterId: string, id: string) => Effect.Effect<void>
  readonly updateScheduleSettings: (
    broadcasterId: string,
    input: {
      readonly vacation?: { readonly startTime: string; readonly endTime: string } | null
      readonly timezone?: string
    }
  ) => Effect.Effect<ScheduleSettings, WorldError>
}

const checked = (segment: ScheduleSegment, s: WorldState): ScheduleSegment | WorldError => {
  if (Number.isNaN(Date.parse(segment.startTime))) {
    return fail("InvalidInput", "The start_time field is not an RFC3339 time.")
  }
  if (segment.durationMinutes < 30 || segment.durationMinutes > 1380) {
    return fail("InvalidInput", "The duration field must be between 30 and 1380 minutes.")
  }
  if ([...segment.title].length > 140) {
    return fail("InvalidInput", "The title field may have at most 140 characters.")
  }
  if (segment.categoryId !== "" && !s.games.some((g) => g.id === segment.categoryId)) {
    return fail("InvalidInput", "The category_id field names no category.")
  }
  return segment
}

const apply = (segment: ScheduleSegment, input: SegmentInput): ScheduleSegment => {
  const next: ScheduleSegment = {
    ...segment,
    ...(input.startTime === undefined ? {} : { startTime: rfc3339(Date.parse(input.startTime)) }),
    ...(input.durationMinutes === undefined ? {} : { durationMinutes: input.durationMinutes }),
    ...(input.title === undefined ? {} : { title: input.title }),
    ...(input.categoryId === undefined ? {} : { categoryId: input.categoryId }),
    ...(input.isRecurring === undefined ? {} : { isRecurring: input.isRecurring }),
    ...(input.timezone === undefined ? {} : { timezone: input.timezone })
  }
  if (input.isCanceled === undefined) return next
  const end = Date.parse(next.startTime) + next.durationMinutes * 60_000
  return { ...next, canceledUntil: input.isCanceled ? rfc3339(end) : "" }
}

const settingsOf = (s: WorldState, broadcasterId: string): ScheduleSettings =>
  s.scheduleSettings.find((x) => x.broadcasterId === broadcasterId) ??
    { broadcasterId, vacationStartTime: "", vacationEndTime: "", timezone: "UTC" }

const updateSettings = (
  broadcasterId: string,
  input: Parameters<Service["updateScheduleSettings"]>[1]
): Transition<ScheduleSettings> =>
(s) => {
  const current = settingsOf(s, broadcasterId)
  const vacation = input.vacation
  if (
    vacation !== undefined && vacation !== null &&
    !(Date.parse(vacation.startTime) < Date.parse(vacation.endTime))
  ) {
    return fail("InvalidInput", "The vacation_start_time must be before the vacation_end_time.")
  }
  const next: ScheduleSettings = {
    ...current,
    ...(input.timezone === undefined ? {} : { timezone: input.timezone }),
    ...(vacation === undefined ? {} : vacation === null
      ? { vacationStartTime: "", vacationEndTime: "" }
      : {
        vacationStartTime: rfc3339(Date.parse(vacation.startTime)),
        vacationEndTime: rfc3339(Date.parse(vacation.endTime))
      })
  }
  return [next, {
    ...s,
    scheduleSettings: [...s.scheduleSettings.filter((x) => x.broadcasterId !== broadcasterId), next]
  }]
}

/**
 * The schedule operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ transition, update }: Store): Service => ({
  createSegment: (broadcasterId, input) =>
    transition((s) => {
      const [id, s1] = newString(s, 24, ALNUM)
      const segment = checked(
        apply({
          id,
          broadcasterId,
          startTime: input.startTime,
          durationMinutes: input.durationMinutes,
          title: "",
          categoryId: "",
          isRecurring: true,
          canceledUntil: "",
          timezone: input.timezone
        }, input),
        s
      )
      return "id" in segment
        ? [segment, { ...s1, scheduleSegments: [...s1.scheduleSegments, segment] }]
        : segment
    }),
  updateSegment: (broadcasterId, id, input) =>
    transition((s) => {
      const found = s.scheduleSegments.find((x) => x.broadcasterId === broadcasterId && x.id === id)
      if (found === undefined) return fail("NotFound", "The segment specified in the id field was not found.")
      const segment = checked(apply(found, input), s)
      return "id" in segment
        ? [segment, { ...s, scheduleSegments: s.scheduleSegments.map((x) => (x === found ? segment : x)) }]
        : segment
    }),
  deleteSegment: (broadcasterId, id) =>
    update((s) => [undefined, {
      ...s,
      scheduleSegments: s.scheduleSegments.filter((x) => !(x.broadcasterId === broadcasterId && x.id === id))
    }]),
  updateScheduleSettings: (broadcasterId, input) => transition(updateSettings(broadcasterId, input))
})

/**
 * A channel's schedule settings (UTC and no vacation when never set).
 *
 * @since 0.1.0
 * @category utils
 */
export const scheduleSettingsOf = settingsOf
