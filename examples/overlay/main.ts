/**
 * A chat overlay for OBS: serves a page on 127.0.0.1 showing a channel's live chat with badges,
 * name colours, Twitch, BTTV, FFZ and 7TV emotes (zero-width ones stacked), cheermotes, and
 * deleted or timed-out messages taken away. Add the printed URL as a browser source in OBS: the
 * background is transparent. `?lines=8` and `?fade=30` on the URL override the defaults.
 *
 *   npx tsx examples/overlay/main.ts [channel]     # the built-in mock Twitch (its chatter talks)
 *   TWITCH_CLIENT_ID=<id> TWITCH_TOKEN=<token> npx tsx examples/overlay/main.ts <channel>
 *
 * Without a channel (on the mock) it shows the most watched live channel. The same as
 * `twitcher overlay [channel]`.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import type * as HttpClient from "@effect/platform/HttpClient"
import { TwitchConfig } from "effect-twitcher"
import { TwitchAuth } from "effect-twitcher/auth"
import { ChatClient } from "effect-twitcher/chat"
import { EmotesConfig } from "effect-twitcher/emotes"
import { Helix } from "effect-twitcher/helix"
import { OverlayServer } from "effect-twitcher/overlay"
import { MockEmotes, MockTwitch } from "effect-twitcher/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const given = process.argv[2]

/** The overlay of `channel`, reading chat anonymously and pictures through Helix and the providers. */
const overlay = (channel: string) =>
  OverlayServer.layerNode({ channel, lines: 12 }).pipe(
    Layer.provide(ChatClient.layer({ anonymous: true })),
    Layer.provide(OverlayServer.layerResolver({ scale: 2 })),
    Layer.provide(Helix.layer())
  )

/** On real Twitch: config and token from the environment, the providers' production APIs. */
const onTwitch = (channel: string) =>
  overlay(channel).pipe(
    Layer.provide(TwitchAuth.layerEnvValidated()),
    Layer.provide(Layer.mergeAll(TwitchConfig.layerFromEnv, EmotesConfig.layerFromEnv))
  )

/** On the mock: its Helix, IRC, BTTV, FFZ and 7TV, and its most watched channel by default. */
const onMock = Layer.unwrapEffect(Effect.gen(function*() {
  const mock = yield* MockTwitch.MockTwitch
  const world = yield* mock.world.snapshot
  const channel = given ?? world.users.find((u) => u.id === world.streams[0]?.userId)?.login ?? "twitcher"
  return overlay(channel).pipe(
    Layer.provide(TwitchAuth.layerValidated(mock.credentials.userToken)),
    Layer.provide(Layer.succeed(EmotesConfig.EmotesConfig, MockEmotes.emotesConfig(mock))),
    Layer.provide(Layer.succeed(TwitchConfig.TwitchConfig, MockTwitch.twitchConfig(mock)))
  )
})).pipe(Layer.provide(MockTwitch.layer({ irc: { chatterRate: 2 } })))

const program = Effect.gen(function*() {
  const server = yield* OverlayServer.OverlayServer
  yield* Console.log(`Chat overlay of #${server.channel}: ${server.url}  (Ctrl-C to stop)`)
  return yield* Effect.never
})

const stack: Layer.Layer<OverlayServer.OverlayServer, unknown, HttpClient.HttpClient> =
  process.env.TWITCH_CLIENT_ID !== undefined && given !== undefined ? onTwitch(given) : onMock

program.pipe(
  Effect.provide(stack.pipe(Layer.provide(NodeHttpClient.layerUndici))),
  NodeRuntime.runMain
)
