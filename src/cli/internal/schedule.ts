/**
 * `schedule show` (a channel's upcoming stream segments and vacation) and `schedule ical` (the
 * schedule as iCalendar text, for a calendar app), over the generated `Schedule` service.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Models from "../../helix/generated/models.js"
import { Schedule } from "../../helix/generated/Schedule.js"
import { CliError } from "../CliError.js"
import * as Output from "../Output.js"
import { Tty } from "../Tty.js"
import * as Actors from "./actors.js"
import { when } from "./clips.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"

const encodeSchedule = Schema.encodeSync(Models.ChannelStreamScheduleData)

const segmentFlags = (s: Models.ChannelStreamScheduleSegment) =>
  [
    s.isRecurring ? "weekly" : "",
    Option.match(s.canceledUntil, { onNone: () => "", onSome: () => "canceled" })
  ].filter((f) => f !== "").join(", ") || "-"

const printSchedule = (schedule: Models.ChannelStreamScheduleData) =>
  Effect.gen(function*() {
    const tty = yield* Tty
    yield* Render.fields([
      ["schedule of", `${schedule.broadcasterName} (${schedule.broadcasterLogin})`],
      ...Option.match(schedule.vacation, {
        onNone: () => [],
        onSome: (v) => [["vacation", `${when(v.startTime)} to ${when(v.endTime)} UTC`] as const]
      })
    ])
    if (schedule.segments.length === 0) return yield* Console.log("No upcoming segments.")
    yield* Console.log(Output.table(tty.style, schedule.segments, [
      { header: "START (UTC)", cell: (s) => when(s.startTime) },
      { header: "END", cell: (s) => when(s.endTime).slice(11) },
      { header: "TITLE", cell: (s) => Output.sanitize(s.title) || "-", maxWidth: 40 },
      {
        header: "CATEGORY",
        cell: (s) => Option.match(s.category, { onNone: () => "-", onSome: (c) => c.name })
      },
      { header: "REPEATS", cell: segmentFlags }
    ]))
  })

const scheduleShow = Command.make(
  "show",
  {
    ...O.common,
    limit: O.integer("limit", { min: 1, max: 25 }).pipe(
      Options.withDescription("How many segments at most (1 to 25)"),
      Options.withDefault(25)
    ),
    channel: Actors.channelArg
  },
  (o) =>
    Actors.withHelix(
      o,
      Effect.gen(function*() {
        const channel = yield* Actors.channelOf(o.channel, o.json)
        // One page of the schedule: its `data` is the page's only item.
        const [schedule] = yield* Effect.flatMap(Schedule, (s) =>
          Effect.map(s.getPage({ broadcasterId: channel.id, first: o.limit }), (page) => page.data)).pipe(
            Effect.catchIf(
              (e) =>
                e._tag === "HttpError" && e.status === 404,
              () =>
                Effect.zipRight(
                  o.json ? Render.json(null) : Effect.void,
                  new CliError({ reason: "NotFound", detail: `${channel.login} has no stream schedule.` })
                )
            )
          )
        if (schedule === undefined) {
          return yield* new CliError({
            reason: "NotFound",
            detail: `${channel.login} has no stream schedule.`
          })
        }
        if (o.json) return yield* Render.json(encodeSchedule(schedule))
        yield* printSchedule(schedule)
      })
    )
).pipe(
  Command.withDescription("A channel's stream schedule: upcoming segments, vacation (default: your own)")
)

const scheduleIcal = Command.make(
  "ical",
  {
    mock: O.mock,
    tokenFile: O.tokenFile,
    output: Options.text("output").pipe(
      Options.withAlias("o"),
      Options.withDescription("Write the iCalendar text to this file (e.g. schedule.ics) instead of stdout"),
      Options.optional
    ),
    channel: Actors.channelArg
  },
  (o) =>
    Actors.withHelix(
      { ...o, json: false },
      Effect.gen(function*() {
        const channel = yield* Actors.channelOf(o.channel)
        const text = yield* Effect.flatMap(Schedule, (s) => s.iCalendar({ broadcasterId: channel.id })).pipe(
          Actors.refused(`get ${channel.login}'s schedule`)
        )
        if (Option.isNone(o.output)) return yield* Console.log(text.replace(/\r?\n$/, ""))
        const file = o.output.value
        const fs = yield* FileSystem.FileSystem
        yield* fs.writeFileString(file, text).pipe(
          Effect.mapError((e) =>
            new CliError({ reason: "Io", detail: `Could not write ${file}: ${e.message}` })
          )
        )
        const events = text.split(/\r?\n/).filter((l) => l === "BEGIN:VEVENT").length
        yield* Console.log(
          `Wrote ${channel.login}'s schedule (${events} event${events === 1 ? "" : "s"}) to ${file}.`
        )
      })
    )
).pipe(
  Command.withDescription("A channel's schedule as iCalendar text, for calendar apps (default: your own)")
)

const scheduleCommands = [scheduleShow, scheduleIcal] as const

const schedule = Command.make("schedule").pipe(
  Command.withDescription("Stream schedules: show one, export it as iCalendar"),
  Command.withSubcommands(scheduleCommands)
)

/** The schedule commands. */
export const commands = [schedule] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = [Help.family(schedule, scheduleCommands)]
