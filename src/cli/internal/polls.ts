/**
 * `poll create`, `poll show` and `poll end`: polls in the token user's own channel (Twitch lets
 * only the broadcaster run them), over the generated `Polls` service.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Models from "../../helix/generated/models.js"
import { Polls } from "../../helix/generated/Polls.js"
import { CliError } from "../CliError.js"
import * as Output from "../Output.js"
import { Tty } from "../Tty.js"
import * as Actors from "./actors.js"
import { when } from "./clips.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"

const encodePoll = Schema.encodeSync(Models.Poll)

const bad = (detail: string) => new CliError({ reason: "BadInput", detail })

const votesOf = (c: Models.PollChoices) => c.votes

/** The poll: title, status, times, then each choice with its votes and share. */
const printPoll = (poll: Models.Poll) =>
  Effect.gen(function*() {
    const tty = yield* Tty
    const total = poll.choices.reduce((n, c) => n + votesOf(c), 0)
    yield* Render.fields([
      ["poll", Output.sanitize(poll.title)],
      ["status", poll.status.toLowerCase()],
      ["started", `${when(poll.startedAt)} UTC, for ${O.formatSeconds(poll.duration)}`],
      ...Option.match(poll.endedAt, {
        onNone: () => [],
        onSome: (e) => [["ended", `${when(e)} UTC`] as const]
      }),
      ["votes", Output.count(total)],
      ["id", poll.id]
    ])
    yield* Console.log(Output.table(tty.style, poll.choices, [
      { header: "CHOICE", cell: (c) => Output.sanitize(c.title) },
      { header: "VOTES", cell: (c) => Output.count(votesOf(c)), align: "right" },
      {
        header: "SHARE",
        cell: (c) => `${total === 0 ? 0 : Math.round((votesOf(c) / total) * 100)}%`,
        align: "right"
      }
    ]))
  })

const pollCreate = Command.make(
  "create",
  {
    ...O.common,
    duration: O.seconds("duration", { min: 15, max: 1800 }).pipe(
      Options.withDescription("How long it runs: 15s to 30m (default 1m)"),
      Options.withDefault(60)
    ),
    points: O.integer("points", { min: 1, max: 1_000_000 }).pipe(
      Options.withDescription("Also let viewers buy extra votes for this many channel points each"),
      Options.optional
    ),
    title: Args.text({ name: "title" }).pipe(Args.withDescription("The question (up to 60 characters)")),
    choices: Args.text({ name: "choice" }).pipe(
      Args.atLeast(2),
      Args.withDescription("2 to 5 choices (up to 25 characters each)")
    )
  },
  (o) =>
    Actors.withHelix(
      o,
      Effect.gen(function*() {
        if (o.title.trim() === "" || o.title.length > 60) {
          return yield* bad("The poll's title must be 1 to 60 characters.")
        }
        if (o.choices.length > 5) return yield* bad(`A poll has 2 to 5 choices, not ${o.choices.length}.`)
        const long = o.choices.find((c) => c.trim() === "" || c.length > 25)
        if (long !== undefined) return yield* bad(`The choice "${long}" must be 1 to 25 characters.`)
        const me = yield* Actors.tokenUser
        const polls = yield* Polls
        const [poll] = yield* polls.create({
          broadcasterId: me.id,
          title: o.title,
          choices: o.choices.map((title) => ({ title })),
          duration: o.duration,
          ...Option.match(o.points, {
            onNone: () => ({}),
            onSome: (n) => ({ channelPointsVotingEnabled: true, channelPointsPerVote: n })
          })
        }).pipe(Actors.refused(`start a poll in ${Actors.possessive(me)} channel`))
        if (poll === undefined) {
          return yield* new CliError({ reason: "Failed", detail: "Twitch returned no poll." })
        }
        if (o.json) {
          return yield* Render.json(encodePoll(poll))
        }
        yield* Console.log(
          `Poll started in ${Actors.possessive(me)} channel for ${O.formatSeconds(poll.duration)}: ${
            Output.sanitize(poll.title)
          } (${poll.choices.map((c) => Output.sanitize(c.title)).join(" / ")}); id ${poll.id}`
        )
      })
    )
).pipe(Command.withDescription("Start a poll in your channel (needs channel:manage:polls)"))

const idOption = Options.text("id").pipe(
  Options.withDescription("The poll's id (default: the latest poll)"),
  Options.optional
)

/** The poll of `--id`, else the latest; `None` when there is none. */
const findPoll = (broadcasterId: string, id: Option.Option<string>) =>
  Effect.flatMap(
    Polls,
    (polls) =>
      polls.list({ broadcasterId, ...Option.match(id, { onNone: () => ({}), onSome: (i) => ({ id: [i] }) }) })
        .pipe(
          Stream.take(1),
          Stream.runCollect,
          Effect.map(Chunk.head)
        )
  )

const pollShow = Command.make("show", { ...O.common, id: idOption }, (o) =>
  Actors.withHelix(
    o,
    Effect.gen(function*() {
      const me = yield* Actors.tokenUser
      const found = yield* findPoll(me.id, o.id)
      if (Option.isNone(found)) {
        if (o.json) yield* Render.json(null)
        return yield* new CliError({
          reason: "NotFound",
          detail: Option.match(o.id, {
            onNone: () => `No poll in ${Actors.possessive(me)} channel yet.`,
            onSome: (id) => `No poll with id "${id}" in ${Actors.possessive(me)} channel.`
          })
        })
      }
      if (o.json) return yield* Render.json(encodePoll(found.value))
      yield* printPoll(found.value)
    })
  )).pipe(
    Command.withDescription(
      "Your channel's latest poll (or --id's) with its votes (needs channel:read:polls)"
    )
  )

const pollEnd = Command.make(
  "end",
  {
    ...O.common,
    id: idOption,
    archive: Options.boolean("archive").pipe(
      Options.withDescription(
        "Also hide it from viewers (ARCHIVED); by default its result stays shown (TERMINATED)"
      )
    )
  },
  (o) =>
    Actors.withHelix(
      o,
      Effect.gen(function*() {
        const me = yield* Actors.tokenUser
        const latest = yield* findPoll(me.id, o.id)
        const poll = Option.filter(latest, (p) => Option.isSome(o.id) || p.status === "ACTIVE")
        if (Option.isNone(poll)) {
          return yield* new CliError({
            reason: "NotFound",
            detail: Option.isSome(o.id)
              ? `No poll with id "${o.id.value}" in ${Actors.possessive(me)} channel.`
              : `No poll is running in ${Actors.possessive(me)} channel.`
          })
        }
        const polls = yield* Polls
        const [ended] = yield* polls.end({
          broadcasterId: me.id,
          id: poll.value.id,
          status: o.archive ? "ARCHIVED" : "TERMINATED"
        }).pipe(Actors.refused(`end the poll ${poll.value.id}`))
        const result = ended ?? poll.value
        if (o.json) return yield* Render.json(encodePoll(result))
        const top = [...result.choices].sort((a, b) => votesOf(b) - votesOf(a))[0]
        const total = result.choices.reduce((n, c) => n + votesOf(c), 0)
        yield* Console.log(
          `Poll ended: ${Output.sanitize(result.title)}: ${
            top === undefined || total === 0
              ? "no votes"
              : `most votes for ${Output.sanitize(top.title)} (${Output.count(votesOf(top))} of ${
                Output.count(total)
              })`
          }.`
        )
      })
    )
).pipe(Command.withDescription("End your channel's running poll (or --id's) and show its result"))

const pollCommands = [pollCreate, pollShow, pollEnd] as const

const poll = Command.make("poll").pipe(
  Command.withDescription("Polls in your channel: start one, show the latest, end it"),
  Command.withSubcommands(pollCommands)
)

/** The poll commands. */
export const commands = [poll] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = [Help.family(poll, pollCommands)]
