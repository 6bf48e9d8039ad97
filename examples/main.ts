/**
 * The main job (`npm start`): a tour of Twitch through effect-twitcher — top games, live streams,
 * a channel and its user, its playlist qualities, followed streams, then chat over both ways to
 * Twitch: IRC, then EventSub with Send Chat Message (the same client API); each shows a few dozen
 * messages of the channel with colors, badges and emotes, and one message sent with its outcome.
 *
 * Runs against the built-in mock Twitch unless `TWITCH_CLIENT_ID` and `TWITCH_TOKEN` are set, in
 * which case it talks to real Twitch (the token should be a user token with `user:read:follows`,
 * `chat:read`, `chat:edit`, `user:read:chat` and `user:write:chat` for every section to work).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Helix } from "effect-twitcher/helix"
import { Playlist } from "effect-twitcher/playlist"
import { Environment } from "effect-twitcher/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Output from "../src/cli/Output.js"
import * as Tour from "../src/cli/Tour.js"

const Services = Layer.mergeAll(Helix.layer(), Playlist.layer()).pipe(
  Layer.provideMerge(Environment.layer({ mock: { irc: { chatterRate: 25 } } })),
  Layer.provideMerge(NodeHttpClient.layerUndici)
)

const main = Effect.gen(function*() {
  const style = Output.detect()
  const where = yield* Environment.target
  yield* Console.log(
    Output.bold(style, "effect-twitcher tour") + " " + Output.dim(
      style,
      where === "mock"
        ? "against the built-in mock Twitch (set TWITCH_CLIENT_ID and TWITCH_TOKEN for real Twitch)"
        : "against real Twitch"
    )
  )
  const started = Date.now()
  const helix = yield* Tour.helixSections({ style })
  const chatFailed = yield* Option.match(helix.channel, {
    onNone: () => Effect.succeed([]),
    onSome: (channel) =>
      Effect.forEach(
        [["IRC", "irc"], ["EventSub", "eventsub"]] as const,
        ([name, via]) =>
          Effect.map(
            Tour.section(
              style,
              `Chat #${channel} over ${name}`,
              Tour.chatSection({ style, channel, via, messages: 30 })
            ),
            (done) => (Option.isNone(done) ? [`Chat over ${name}`] : [])
          )
      )
  })
  const result = { failed: [...helix.failed, ...chatFailed.flat()] }
  yield* Console.log(
    Output.heading(style, "Done") + "\n  " +
      (result.failed.length === 0
        ? Output.green(style, "every section ran")
        : Output.yellow(style, `sections that failed: ${result.failed.join(", ")}`)) +
      Output.dim(style, ` (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  )
})

main.pipe(
  Effect.provide(Services),
  Effect.tapErrorCause((cause) => Console.error(`tour failed: ${cause.toString().split("\n")[0]}`)),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
