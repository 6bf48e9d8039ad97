/**
 * pytwitcherapi's quickstart with effect-twitcher: the top games, then the live streams of each,
 * then each stream's channel.
 *
 *   npx tsx examples/quickstart.ts            # against the built-in mock Twitch
 *   TWITCH_CLIENT_ID=<id> TWITCH_TOKEN=<token> npx tsx examples/quickstart.ts
 *
 * The pytwitcherapi version read:
 *
 *   ts = pytwitcherapi.TwitchSession()
 *   topgames = ts.top_games(limit=10)
 *   for game in topgames:
 *       streams = ts.get_streams(game=game, limit=3)
 *       for stream in streams:
 *           print(stream.channel.name, stream.viewers)
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Channels, Games, Helix, Paging, Streams } from "effect-twitcher/helix"
import { Environment } from "effect-twitcher/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

const program = Effect.gen(function*() {
  const games = yield* Games.Games
  const streams = yield* Streams.Streams
  const channels = yield* Channels.Channels

  // top_games(limit=10): a Stream of pages, collected with pytwitcherapi's limit/offset.
  const topGames = yield* Paging.collect(games.top(), { limit: 10 })
  for (const game of topGames) {
    yield* Console.log(`\n${game.name}`)
    // get_streams(game=game, limit=3)
    const live = yield* Paging.collect(streams.list({ gameIds: [game.id], pageSize: 3 }), { limit: 3 })
    for (const stream of live) {
      // stream.channel: the user and channel information joined.
      const channel = yield* channels.byLogin(stream.userLogin)
      const followers = Option.match(channel, { onNone: () => "?", onSome: (c) => c.displayName })
      yield* Console.log(
        `  ${followers.padEnd(20)} ${String(stream.viewerCount).padStart(8)} viewers  ${stream.title}`
      )
    }
  }
})

program.pipe(
  Effect.provide(
    Helix.layer().pipe(
      Layer.provideMerge(Environment.layer({ mock: { irc: false } })),
      Layer.provide(NodeHttpClient.layerUndici)
    )
  ),
  NodeRuntime.runMain
)
