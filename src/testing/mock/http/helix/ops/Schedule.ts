/**
 * Schedule: a channel's stream schedule (segments from `start_time` on, recurring ones at their
 * next weekly start), its iCalendar (public, no token), vacation settings and segments.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { rfc3339 } from "../../../world/Fixtures.js"
import { scheduleSettingsOf } from "../../../world/Schedule.js"
import type { ScheduleSegment } from "../../../world/ScheduleModels.js"
import type { WorldState } from "../../../world/State.js"
import { failHelix, paginate, type Reply } from "../../shared.js"
import {
  bodyBoolean,
  bodyString,
  fromWorld,
  type Handlers,
  type HelixRequest,
  json,
  noContent,
  queryBool,
  required,
  text
} from "../Handler.js"
import { index, names, orNull } from "../Wire.js"

const week = 7 * 86_400_000

/** A segment as it next occurs at or after `from` (recurring segments repeat weekly). */
const occurrence = (x: ScheduleSegment, from: number): ScheduleSegment => {
  const start = Date.parse(x.startTime)
  const end = start + x.durationMinutes * 60_000
  if (!x.isRecurring || end >= from) return x
  const weeks = Math.ceil((from - end) / week)
  return { ...x, startTime: rfc3339(start + weeks * week) }
}

const segmentJson = (s: WorldState, x: ScheduleSegment) => {
  const game = index(s).games.get(x.categoryId)
  return {
    id: x.id,
    start_time: x.startTime,
    end_time: rfc3339(Date.parse(x.startTime) + x.durationMinutes * 60_000),
    title: x.title,
    canceled_until: orNull(x.canceledUntil),
    category: game === undefined ? null : { id: game.id, name: game.name },
    is_recurring: x.isRecurring
  }
}

const scheduleJson = (s: WorldState, broadcasterId: string, segments: ReadonlyArray<ScheduleSegment>) => {
  const settings = scheduleSettingsOf(s, broadcasterId)
  return {
    segments: segments.map((x) => segmentJson(s, x)),
    ...names(s, "broadcaster_", broadcasterId),
    vacation: settings.vacationStartTime === ""
      ? null
      : { start_time: settings.vacationStartTime, end_time: settings.vacationEndTime }
  }
}

/** A segment's duration in minutes from the body's string. */
const minutes = (request: HelixRequest): Effect.Effect<number | undefined, Reply> => {
  const raw = bodyString(request, "duration")
  if (raw === undefined) return Effect.succeed(undefined)
  return /^\d+$/.test(raw)
    ? Effect.succeed(Number(raw))
    : failHelix(400, "The duration field must be a number of minutes.")
}

const icalTime = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d+/, "")

const icalendar = (s: WorldState, broadcasterId: string, now: number) => {
  const owner = index(s).users.get(broadcasterId)
  const events = s.scheduleSegments.filter((x) => x.broadcasterId === broadcasterId).flatMap((x) => {
    const y = occurrence(x, now)
    const end = rfc3339(Date.parse(y.startTime) + y.durationMinutes * 60_000)
    return [
      "BEGIN:VEVENT",
      `UID:${y.id}`,
      `DTSTAMP:${icalTime(rfc3339(now))}`,
      `DTSTART:${icalTime(y.startTime)}`,
      `DTEND:${icalTime(end)}`,
      `SUMMARY:${y.title}`,
      ...(y.isRecurring ? ["RRULE:FREQ=WEEKLY"] : []),
      "END:VEVENT"
    ]
  })
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//twitch.tv//StreamSchedule//1.0",
    `X-WR-CALNAME:${owner?.displayName ?? broadcasterId}`,
    ...events,
    "END:VCALENDAR",
    ""
  ].join("\r\n")
}

/**
 * The Schedule handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-channel-stream-schedule": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const from = Date.parse(request.query.get("start_time") ?? rfc3339(request.now))
      const ids = request.query.getAll("id")
      const segments = request.state.scheduleSegments
        .filter((x) => x.broadcasterId === broadcasterId && (ids.length === 0 || ids.includes(x.id)))
        .map((x) => occurrence(x, from))
        .sort((a, b) => (a.startTime < b.startTime ? -1 : 1))
      if (segments.length === 0) return yield* failHelix(404, "The broadcaster has no schedule segments.")
      const { cursor, data } = yield* paginate(request.query, segments, {
        defaultFirst: 20,
        allowBefore: false,
        max: 25
      })
      return json({
        data: scheduleJson(request.state, broadcasterId, data),
        ...(cursor === undefined ? {} : { pagination: { cursor } })
      })
    }),

  "get-channel-icalendar": (request) =>
    Effect.succeed(
      text(icalendar(request.state, required(request, "broadcaster_id"), request.now), "text/calendar")
    ),

  "update-channel-stream-schedule": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const enabled = queryBool(request, "is_vacation_enabled")
      const start = request.query.get("vacation_start_time")
      const end = request.query.get("vacation_end_time")
      if (
        enabled === true &&
        (start === undefined || end === undefined || request.query.get("timezone") === undefined)
      ) {
        return yield* failHelix(400, "A vacation needs vacation_start_time, vacation_end_time and timezone.")
      }
      const timezone = request.query.get("timezone")
      yield* fromWorld(request.ctx.world.updateScheduleSettings(broadcasterId, {
        ...(enabled === undefined
          ? {}
          : { vacation: enabled ? { startTime: start ?? "", endTime: end ?? "" } : null }),
        ...(timezone === undefined ? {} : { timezone })
      }))
      return noContent
    }),

  "create-channel-stream-schedule-segment": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const title = bodyString(request, "title")
      const categoryId = bodyString(request, "category_id")
      const recurring = bodyBoolean(request, "is_recurring")
      const segment = yield* fromWorld(request.ctx.world.createSegment(broadcasterId, {
        startTime: bodyString(request, "start_time") ?? "",
        timezone: bodyString(request, "timezone") ?? "UTC",
        durationMinutes: (yield* minutes(request)) ?? 240,
        ...(title === undefined ? {} : { title }),
        ...(categoryId === undefined ? {} : { categoryId }),
        ...(recurring === undefined ? {} : { isRecurring: recurring })
      }))
      return json({ data: scheduleJson(yield* request.ctx.world.snapshot, broadcasterId, [segment]) })
    }),

  "update-channel-stream-schedule-segment": (request) =>
    Effect.gen(function*() {
      const broadcasterId = required(request, "broadcaster_id")
      const duration = yield* minutes(request)
      const startTime = bodyString(request, "start_time")
      const title = bodyString(request, "title")
      const categoryId = bodyString(request, "category_id")
      const canceled = bodyBoolean(request, "is_canceled")
      const timezone = bodyString(request, "timezone")
      const segment = yield* fromWorld(
        request.ctx.world.updateSegment(broadcasterId, required(request, "id"), {
          ...(startTime === undefined ? {} : { startTime }),
          ...(duration === undefined ? {} : { durationMinutes: duration }),
          ...(title === undefined ? {} : { title }),
          ...(categoryId === undefined ? {} : { categoryId }),
          ...(canceled === undefined ? {} : { isCanceled: canceled }),
          ...(timezone === undefined ? {} : { timezone })
        })
      )
      return json({ data: scheduleJson(yield* request.ctx.world.snapshot, broadcasterId, [segment]) })
    }),

  "delete-channel-stream-schedule-segment": (request) =>
    Effect.as(
      request.ctx.world.deleteSegment(required(request, "broadcaster_id"), required(request, "id")),
      noContent
    )
}
