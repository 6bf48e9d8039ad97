/**
 * `chatters` (who is in a channel's chat), `announce` (a highlighted message) and `shoutout` (point
 * a channel's viewers to another channel): as the token's user, a moderator or the broadcaster,
 * over the generated `Chat` service.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Chat } from "../../helix/generated/Chat.js"
import * as Models from "../../helix/generated/models.js"
import { CliError } from "../CliError.js"
import * as Actors from "./actors.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"

const encodeChatter = Schema.encodeSync(Models.Chatter)

const chatters = Command.make(
  "chatters",
  { ...O.common, ...O.paging, channel: Actors.channelArg },
  (o) =>
    Actors.withHelix(
      o,
      Effect.gen(function*() {
        yield* O.checkPaging(o)
        const channel = yield* Actors.channelOf(o.channel)
        const chat = yield* Chat
        yield* Render.list(
          chat.chatters({ broadcasterId: channel.id, first: Math.min(1000, o.limit + o.offset) }).pipe(
            Actors.refusedStream(`list the chatters of ${channel.login}`)
          ),
          {
            ...o,
            encode: encodeChatter,
            columns: [
              { header: "LOGIN", cell: (c) => c.userLogin },
              { header: "NAME", cell: (c) => c.userName },
              { header: "ID", cell: (c) => c.userId, align: "right" }
            ]
          }
        )
      })
    )
).pipe(
  Command.withDescription(Actors.describe(
    "Who is in a channel's chat (default: your own)",
    "You moderate the channel (or it is yours); needs a user token with moderator:read:chatters."
  ))
)

const colors = ["primary", "blue", "green", "orange", "purple"] as const

const announce = Command.make(
  "announce",
  {
    ...O.common,
    channel: Actors.channelOption,
    color: O.choice("color", colors).pipe(
      Options.withDescription(
        "The highlight: primary (the channel's accent color), blue, green, orange, purple"
      ),
      Options.withDefault("primary" as const)
    ),
    message: Args.text({ name: "message" }).pipe(
      Args.withDescription("The announcement (up to 500 characters)")
    )
  },
  (o) =>
    Actors.withHelix(
      o,
      Effect.gen(function*() {
        const message = o.message.trim()
        if (message === "" || message.length > 500) {
          return yield* new CliError({
            reason: "BadInput",
            detail: message === ""
              ? "The announcement is empty."
              : "The announcement is longer than 500 characters."
          })
        }
        const channel = yield* Actors.channelOf(o.channel)
        const chat = yield* Chat
        yield* chat.sendAnnouncement({ broadcasterId: channel.id, message, color: o.color }).pipe(
          Actors.refused(`announce in ${Actors.possessive(channel)} chat`)
        )
        if (o.json) return yield* Render.json({ broadcaster_id: channel.id, message, color: o.color })
        yield* Console.log(`Announced in ${Actors.possessive(channel)} chat (${o.color}): ${message}`)
      })
    )
).pipe(
  Command.withDescription(Actors.describe(
    "Send an announcement to a channel's chat",
    "You moderate the channel (or it is yours); needs a user token with moderator:manage:announcements. Twitch allows one every 2 seconds per channel."
  ))
)

const shoutout = Command.make(
  "shoutout",
  {
    ...O.common,
    channel: Actors.channelOption,
    to: Args.text({ name: "to-channel" }).pipe(Args.withDescription("The channel to shout out, by login"))
  },
  (o) =>
    Actors.withHelix(
      o,
      Effect.gen(function*() {
        const from = yield* Actors.channelOf(o.channel)
        const to = yield* Actors.userNamed(o.to)
        const chat = yield* Chat
        yield* chat.sendShoutout({ fromBroadcasterId: from.id, toBroadcasterId: to.id }).pipe(
          Actors.refused(`shout out ${to.login} in ${Actors.possessive(from)} chat`)
        )
        if (o.json) {
          return yield* Render.json({
            from_broadcaster_id: from.id,
            to_broadcaster_id: to.id,
            to_login: to.login
          })
        }
        yield* Console.log(`Shouted out ${to.login} in ${Actors.possessive(from)} chat.`)
      })
    )
).pipe(
  Command.withDescription(Actors.describe(
    "Shout out another channel in a live channel's chat",
    "You moderate the channel (or it is yours) and it is live; needs a user token with moderator:manage:shoutouts. Twitch allows one every 2 minutes per channel, and the same channel once an hour."
  ))
)

/** The chat community commands. */
export const commands = [chatters, announce, shoutout] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = commands.map(Help.leaf)
