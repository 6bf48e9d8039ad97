/**
 * `overlay [<channel>]`: serves a chat overlay page on 127.0.0.1 (an OBS browser source) until
 * Ctrl+C, reading the channel's chat anonymously and its badges and emotes from Helix and the
 * BTTV, FFZ and 7TV services (the mock's own in mock mode). Without a channel: the mock's most
 * watched live channel in mock mode (its chatter talks there), else the token's user's own.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ChatClient from "../../chat/ChatClient.js"
import * as EmotesConfig from "../../emotes/EmotesConfig.js"
import * as Helix from "../../helix/Helix.js"
import * as OverlayServer from "../../overlay/OverlayServer.js"
import * as MockEmotes from "../../testing/MockEmotes.js"
import { CliError } from "../CliError.js"
import { loginOf, tokenUser } from "./actors.js"
import type * as Help from "./help.js"
import * as HelpModule from "./help.js"
import * as O from "./options.js"
import * as Target from "./target.js"

/** The third-party providers: the mock's in mock mode, else production (URLs from the environment). */
const emotesConfig = Layer.unwrapEffect(Effect.map(Target.TargetTag, (target) =>
  Option.match(target.mock, {
    onNone: () => EmotesConfig.layerFromEnv,
    onSome: (mock) => Layer.succeed(EmotesConfig.EmotesConfig, MockEmotes.emotesConfig(mock))
  })))

/** The channel named, else the mock's most watched live one, else the token's user's own. */
const channelOf = (named: Option.Option<string>) =>
  Effect.gen(function*() {
    if (Option.isSome(named)) return loginOf(named.value)
    const target = yield* Target.TargetTag
    if (Option.isSome(target.mock)) {
      const world = yield* target.mock.value.world.snapshot
      const top = world.users.find((u) => u.id === world.streams[0]?.userId)
      if (top !== undefined) return top.login
    }
    return (yield* tokenUser).login
  })

const scales = { "1": 1, "2": 2, "3": 3, "4": 4 } as const

const overlay = Command.make(
  "overlay",
  {
    ...O.common,
    channel: Args.text({ name: "channel" }).pipe(
      Args.withDescription(
        "The channel login (default: the mock's most watched live channel in mock mode, else your own)"
      ),
      Args.optional
    ),
    lines: O.integer("lines", { min: 1, max: 200, what: "a number of lines" }).pipe(
      Options.withDescription("How many messages the page shows (the page's ?lines= overrides it)"),
      Options.withDefault(15)
    ),
    port: O.integer("port", { min: 0, max: 65535, what: "a port" }).pipe(
      Options.withDescription("The port on 127.0.0.1 (default: one the system chooses)"),
      Options.withDefault(0)
    ),
    fade: O.integer("fade", { min: 0, max: 86400, what: "a number of seconds" }).pipe(
      Options.withDescription(
        "Seconds after which a message fades away (0: never; the page's ?fade= overrides it)"
      ),
      Options.withDefault(0)
    ),
    scale: O.choice("scale", ["1", "2", "3", "4"] as const).pipe(
      Options.withDescription("Picture scale of emotes and badges"),
      Options.withDefault("2" as const)
    ),
    theme: O.choice("theme", ["dark", "light"] as const).pipe(
      Options.withDescription("The theme of Twitch emote and cheermote pictures"),
      Options.withDefault("dark" as const)
    )
  },
  (o) =>
    Effect.gen(function*() {
      const channel = yield* channelOf(o.channel)
      if (!/^[a-z0-9_]{1,25}$/.test(channel)) {
        return yield* new CliError({ reason: "BadInput", detail: `"${channel}" is not a channel login.` })
      }
      // Built into the command's scope: the server lives until Ctrl+C.
      const built = yield* Layer.build(
        OverlayServer.layerNode({ channel, lines: o.lines, fadeAfter: o.fade, port: o.port })
      )
      const server = Context.get(built, OverlayServer.OverlayServer)
      yield* Console.log(
        o.json ?
          JSON.stringify({ channel: server.channel, url: server.url }) :
          `Chat overlay of #${server.channel}: ${server.url}\n` +
          "Add it as a browser source in OBS (the background is transparent). Ctrl+C to stop."
      )
      return yield* Effect.never
    }).pipe(
      Effect.scoped,
      Effect.provide(
        Layer.mergeAll(
          ChatClient.layer({ anonymous: true }),
          OverlayServer.layerResolver({ scale: scales[o.scale], theme: o.theme })
        ).pipe(
          Layer.provideMerge(Helix.layer()),
          Layer.provide(emotesConfig),
          Layer.provideMerge(Target.authLayer),
          Layer.provideMerge(Target.layer(o, { irc: true }))
        )
      )
    )
).pipe(
  Command.withDescription(
    "Serve a chat overlay of a channel on 127.0.0.1 for OBS (badges, colours, Twitch/BTTV/FFZ/7TV emotes, cheers; deleted messages removed)"
  )
)

/** The overlay command. */
export const commands = [overlay] as const

/** Its help node. */
export const nodes: ReadonlyArray<Help.Node> = [HelpModule.leaf(overlay)]
