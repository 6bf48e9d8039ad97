/**
 * The overlay on the mock Twitch in context (its Helix, IRC, BTTV, FFZ and 7TV), for the browser
 * test and the script that draws the README's picture.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as ChatClient from "../../src/chat/ChatClient.js"
import * as EmotesConfig from "../../src/emotes/EmotesConfig.js"
import * as Helix from "../../src/helix/Helix.js"
import * as OverlayServer from "../../src/overlay/OverlayServer.js"
import * as MockEmotes from "../../src/testing/MockEmotes.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"

/** Starts the overlay of `channel` for the scope. */
export const start = (channel: string, lines: number) =>
  Effect.gen(function*() {
    const mock = yield* MockTwitch.MockTwitch
    const stack = OverlayServer.layerNode({ channel, lines }).pipe(
      Layer.provide(ChatClient.layer({ anonymous: true })),
      Layer.provide(OverlayServer.layerResolver({ scale: 2 })),
      Layer.provide(Helix.layer()),
      Layer.provide(TwitchAuth.layerValidated(mock.credentials.userToken)),
      Layer.provide(Layer.succeed(EmotesConfig.EmotesConfig, MockEmotes.emotesConfig(mock))),
      Layer.provide(MockTwitch.layerTwitchConfig),
      Layer.provide(NodeHttpClient.layerUndici)
    )
    return Context.get(yield* Layer.build(stack), OverlayServer.OverlayServer)
  })

/** The login of the mock's most watched live channel and its owner's id. */
export const topChannel = Effect.gen(function*() {
  const mock = yield* MockTwitch.MockTwitch
  const world = yield* mock.world.snapshot
  const owner = world.users.find((u) => u.id === world.streams[0].userId)
  if (owner === undefined) return yield* Effect.die(new Error("the mock has no live channel"))
  return { login: owner.login, id: owner.id, world }
})
