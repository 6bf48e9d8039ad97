/**
 * `clips list` (a channel's clips, most viewed first, as Twitch sorts them) and `clips create` (a
 * clip of a live channel's last seconds), over the generated `Clips` service.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Clips } from "../../helix/generated/Clips.js"
import * as Models from "../../helix/generated/models.js"
import { CliError } from "../CliError.js"
import * as Output from "../Output.js"
import * as Actors from "./actors.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"

const encodeClip = Schema.encodeSync(Models.Clip)
const encodeCreated = Schema.encodeSync(Models.CreateClipData)

/** `2026-05-06 19:04` (UTC). */
export const when = (date: Date): string => date.toISOString().slice(0, 16).replace("T", " ")

const clipsList = Command.make(
  "list",
  {
    ...O.common,
    ...O.paging,
    featured: Options.boolean("featured").pipe(Options.withDescription("Only featured clips")),
    since: O.date("since").pipe(Options.withDescription("Only clips made from then on"), Options.optional),
    until: O.date("until").pipe(
      Options.withDescription("Only clips made until then (needs --since)"),
      Options.optional
    ),
    channel: Actors.channelArg
  },
  (o) =>
    Actors.withHelix(
      o,
      Effect.gen(function*() {
        yield* O.checkPaging(o)
        if (Option.isSome(o.until) && Option.isNone(o.since)) {
          return yield* new CliError({ reason: "BadInput", detail: "--until needs --since (Twitch's rule)." })
        }
        const channel = yield* Actors.channelOf(o.channel)
        const clips = yield* Clips
        yield* Render.list(
          clips.list({
            broadcasterId: channel.id,
            first: O.pageSize(o),
            ...(o.featured ? { isFeatured: true } : {}),
            ...Option.match(o.since, { onNone: () => ({}), onSome: (startedAt) => ({ startedAt }) }),
            ...Option.match(o.until, { onNone: () => ({}), onSome: (endedAt) => ({ endedAt }) })
          }),
          {
            ...o,
            encode: encodeClip,
            columns: [
              { header: "CREATED", cell: (c) => when(c.createdAt) },
              { header: "VIEWS", cell: (c) => Output.count(c.viewCount), align: "right" },
              { header: "SECONDS", cell: (c) => c.duration.toFixed(0), align: "right" },
              { header: "CREATOR", cell: (c) => c.creatorName, maxWidth: 20 },
              { header: "TITLE", cell: (c) => Output.sanitize(c.title), maxWidth: 40 },
              { header: "URL", cell: (c) => c.url }
            ]
          }
        )
      })
    )
).pipe(Command.withDescription("A channel's clips, most viewed first (default: your own channel's)"))

const clipsCreate = Command.make(
  "create",
  {
    ...O.common,
    title: Options.text("title").pipe(Options.withDescription("The clip's title"), Options.optional),
    duration: O.integer("duration", { min: 5, max: 60, what: "a clip length in seconds" }).pipe(
      Options.withDescription("Seconds of the stream to clip, up to now (5 to 60; Twitch's default 30)"),
      Options.optional
    ),
    channel: Actors.channelArg
  },
  (o) =>
    Actors.withHelix(
      o,
      Effect.gen(function*() {
        const channel = yield* Actors.channelOf(o.channel)
        const clips = yield* Clips
        const [created] = yield* clips.create({
          broadcasterId: channel.id,
          ...Option.match(o.title, { onNone: () => ({}), onSome: (title) => ({ title }) }),
          ...Option.match(o.duration, { onNone: () => ({}), onSome: (duration) => ({ duration }) })
        }).pipe(Actors.refused(`clip ${channel.login}'s stream`))
        if (created === undefined) {
          return yield* new CliError({ reason: "Failed", detail: "Twitch did not say which clip it made." })
        }
        if (o.json) return yield* Render.json(encodeCreated(created))
        yield* Console.log(
          `Clip ${created.id} of ${channel.login}'s stream is being made: ${created.editUrl}`
        )
        yield* Console.error(
          "(Twitch takes a few seconds to finish it; it then shows in `twitcher clips list`.)"
        )
      })
    )
).pipe(Command.withDescription("Clip a live channel's last seconds (needs a user token with clips:edit)"))

const clipsCommands = [clipsList, clipsCreate] as const

const clips = Command.make("clips").pipe(
  Command.withDescription("Clips: a channel's clips, make a clip"),
  Command.withSubcommands(clipsCommands)
)

/** The clips commands. */
export const commands = [clips] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = [Help.family(clips, clipsCommands)]
