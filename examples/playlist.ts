/**
 * What a player needs to play a live channel: the qualities it offers and the URL of the one you
 * pick (pytwitcherapi's get_quality_options + get_playlist). The playlist URL plays in mpv, VLC or
 * ffplay as it is.
 *
 *   npx tsx examples/playlist.ts                       # against the built-in mock Twitch
 *   npx tsx examples/playlist.ts <channel> 720p60      # a channel of the mock, a quality
 *   TWITCH_CLIENT_ID=<id> npx tsx examples/playlist.ts <channel> [quality]
 *                                                      # against Twitch (its private web API,
 *                                                      # as streamlink; it may need an integrity
 *                                                      # token, which is yours to supply)
 *
 * A quality is `source`, `best`, `worst`, `audio`, or `<height>p[<fps>]`: the best variant at or
 * below it is chosen.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type { MasterPlaylist } from "../src/playlist/index.js"
import { Emotes, Playlist, Quality } from "../src/playlist/index.js"
import { MockTwitch } from "../src/testing/index.js"
import * as TwitchConfig from "../src/TwitchConfig.js"
import { isTwitchError } from "../src/TwitchError.js"

const [argChannel, argQuality = "best"] = process.argv.slice(2)

const describeVariant = (v: MasterPlaylist.Variant): string => {
  const size = Option.match(v.resolution, { onNone: () => "audio", onSome: (r) => `${r.width}x${r.height}` })
  const fps = Option.match(v.frameRate, { onNone: () => "", onSome: (f) => ` @${Math.round(f)}fps` })
  return `${v.quality.padEnd(8)} ${v.name.padEnd(11)} ${size}${fps}, ${
    (v.bandwidth / 1e6).toFixed(2)
  } Mbit/s, ${v.codecs.join("+")}`
}

const program = (channel: string, quality: string) =>
  Effect.gen(function*() {
    const playlist = yield* Playlist.Playlist
    const master = yield* playlist.masterPlaylist(channel)
    yield* Console.log(`${channel}: ${Quality.options(master.variants).join(", ")}`)
    for (const variant of master.variants) yield* Console.log(`  ${describeVariant(variant)}`)
    if (master.restrictedQualities.length > 0) {
      yield* Console.log(`  subscriber-only: ${master.restrictedQualities.join(", ")}`)
    }
    const chosen = yield* Quality.choose(master, quality, channel)
    yield* Console.log(`\nFor "${quality}": ${chosen.name}\n${chosen.url}`)
    // Emote pictures link the same way from chat: an emote occurrence's id is enough.
    const emotes = yield* Emotes.Emotes
    yield* Console.log(`\nKappa, large, dark theme: ${emotes.url("25", { scale: "3.0" })}`)
  }).pipe(
    Effect.catchIf(isTwitchError, (error) =>
      Effect.zipRight(
        Console.error(`${error._tag}: ${error.message}`),
        Effect.sync(() => (process.exitCode = 1))
      ))
  )

const services = Layer.merge(Playlist.layer(), Emotes.layer())

const main = Effect.gen(function*() {
  const clientId = yield* Config.option(Config.string("TWITCH_CLIENT_ID"))
  if (Option.isSome(clientId)) {
    if (argChannel === undefined) {
      return yield* Console.error("Usage: examples/playlist.ts <channel> [quality]")
    }
    return yield* program(argChannel, argQuality).pipe(
      Effect.provide(services),
      Effect.provide(Layer.merge(TwitchConfig.layerFromEnv, NodeHttpClient.layerUndici))
    )
  }
  yield* Console.log("No TWITCH_CLIENT_ID: using the built-in mock Twitch.\n")
  return yield* Effect.gen(function*() {
    const mock = yield* MockTwitch.MockTwitch
    // By default, the most watched live channel of the mock that is neither geo-blocked nor
    // subscriber-restricted.
    const channel = argChannel ?? (yield* Effect.gen(function*() {
      const stream = (yield* mock.world.streams).find((s) =>
        !s.geoBlocked && s.restrictedQualities.length === 0
      )!
      return Option.getOrThrow(yield* mock.world.userById(stream.userId)).login
    }))
    yield* program(channel, argQuality)
  }).pipe(
    Effect.provide(services),
    Effect.provide(
      Layer.merge(MockTwitch.layerTwitchConfig, NodeHttpClient.layerUndici).pipe(
        Layer.provideMerge(MockTwitch.layer({ irc: false }))
      )
    )
  )
})

NodeRuntime.runMain(main)
