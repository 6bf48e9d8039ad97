/**
 * `ban`, `timeout` and `unban`: a user in a channel's chat, as the token's user (a moderator or the
 * broadcaster), over the generated `Moderation` service. The channel is the token user's own
 * unless `--channel` names another.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Models from "../../helix/generated/models.js"
import { Moderation } from "../../helix/generated/Moderation.js"
import { CliError } from "../CliError.js"
import * as Actors from "./actors.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"

const encodeBan = Schema.encodeSync(Models.BanUserData)

const needs =
  "You moderate the channel (or it is yours); needs a user token with moderator:manage:banned_users."

/** Twitch's longest timeout: two weeks. */
const maxTimeout = 1_209_600

const userArg = Args.text({ name: "user" }).pipe(Args.withDescription("The user, by login"))

const reasonOption = Options.text("reason").pipe(
  Options.withDescription("Why (shown to the user and the other moderators; up to 500 characters)"),
  Options.optional
)

const checkReason = (reason: Option.Option<string>) =>
  Option.isSome(reason) && reason.value.length > 500
    ? Effect.fail(new CliError({ reason: "BadInput", detail: "--reason is longer than 500 characters." }))
    : Effect.void

/** Bans (no duration) or times out a user; the outcome line or the ban as JSON. */
const restrict = (
  o: Actors.CommonWithChannel & { readonly user: string; readonly reason: Option.Option<string> },
  duration: number | undefined
) =>
  Actors.withHelix(
    o,
    Effect.gen(function*() {
      yield* checkReason(o.reason)
      const channel = yield* Actors.channelOf(o.channel)
      const user = yield* Actors.userNamed(o.user)
      const moderation = yield* Moderation
      const verb = duration === undefined ? "ban" : "time out"
      const [ban] = yield* moderation.banUser({
        broadcasterId: channel.id,
        data: {
          userId: user.id,
          ...(duration === undefined ? {} : { duration }),
          ...Option.match(o.reason, { onNone: () => ({}), onSome: (reason) => ({ reason }) })
        }
      }).pipe(Actors.refused(`${verb} ${user.login} in ${Actors.possessive(channel)} chat`))
      if (o.json) return yield* Render.json(ban === undefined ? null : encodeBan(ban))
      const why = Option.match(o.reason, { onNone: () => "", onSome: (r) => ` (reason: ${r})` })
      if (duration === undefined) {
        return yield* Console.log(`Banned ${user.login} from ${Actors.possessive(channel)} chat${why}.`)
      }
      const until = Option.match(Option.flatMap(Option.fromNullable(ban), (b) => b.endTime), {
        onNone: () => "",
        onSome: (end) => `, until ${end.toISOString().replace(/\.\d{3}Z$/, "Z")}`
      })
      yield* Console.log(
        `Timed out ${user.login} in ${Actors.possessive(channel)} chat for ${
          O.formatSeconds(duration)
        }${until}${why}.`
      )
    })
  )

const ban = Command.make(
  "ban",
  { ...O.common, channel: Actors.channelOption, reason: reasonOption, user: userArg },
  (o) => restrict(o, undefined)
).pipe(
  Command.withDescription(Actors.describe("Ban a user from a channel's chat", needs))
)

const timeout = Command.make(
  "timeout",
  {
    ...O.common,
    channel: Actors.channelOption,
    reason: reasonOption,
    user: userArg,
    duration: O.secondsArg("duration", { min: 1, max: maxTimeout }).pipe(
      Args.withDescription("How long: 90 (seconds), 10m, 1h30m, 2d, up to 2w"),
      Args.withDefault(600)
    )
  },
  (o) => restrict(o, o.duration)
).pipe(
  Command.withDescription(Actors.describe("Time a user out of a channel's chat (default 10m)", needs))
)

const unban = Command.make(
  "unban",
  { ...O.common, channel: Actors.channelOption, user: userArg },
  (o) =>
    Actors.withHelix(
      o,
      Effect.gen(function*() {
        const channel = yield* Actors.channelOf(o.channel)
        const user = yield* Actors.userNamed(o.user)
        const moderation = yield* Moderation
        yield* moderation.unbanUser({ broadcasterId: channel.id, userId: user.id }).pipe(
          Actors.refused(`unban ${user.login} in ${Actors.possessive(channel)} chat`)
        )
        if (o.json) {
          return yield* Render.json({ broadcaster_id: channel.id, user_id: user.id, user_login: user.login })
        }
        yield* Console.log(
          `Unbanned ${user.login} in ${Actors.possessive(channel)} chat (a ban or a timeout).`
        )
      })
    )
).pipe(Command.withDescription(Actors.describe("Lift a user's ban or timeout in a channel's chat", needs)))

/** The moderation commands. */
export const commands = [ban, timeout, unban] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = commands.map(Help.leaf)
