/**
 * The main job (`npm start`): the tour pytwitcherapi's quickstart promised, section by section —
 * top games, live streams of the first games, one channel and its user, the channel's playlist
 * qualities, the logged-in user's followed streams, then chat. A section that fails prints one
 * readable line and the tour goes on; the tour fails only when a section it cannot do without
 * (top games) fails.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { TwitchAuth } from "../auth/TwitchAuth.js"
import { Channels } from "../helix/Channels.js"
import type { Game } from "../helix/Game.js"
import { Games } from "../helix/Games.js"
import * as Paging from "../helix/Paging.js"
import type { Stream as LiveStream } from "../helix/Stream.js"
import { Streams } from "../helix/Streams.js"
import { Users } from "../helix/Users.js"
import { Playlist } from "../playlist/Playlist.js"
import type { TwitchError } from "../TwitchError.js"
import * as Output from "./Output.js"

/**
 * Options of the tour.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly style: Output.Style
  /** How many top games to list (default 10). */
  readonly games?: number
  /** Of how many of them to list live streams (default 3). */
  readonly gamesWithStreams?: number
  /** Streams listed per game (default 5). */
  readonly streamsPerGame?: number
  /** The quality whose URL is shown (default `720p`). */
  readonly quality?: string
}

/**
 * What the tour learned, for the sections that follow (chat joins `channel`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Result {
  /** The channel the tour looked at (the most watched live stream of the first game). */
  readonly channel: Option.Option<string>
  /** Sections that failed, by title. */
  readonly failed: ReadonlyArray<string>
}

const describeError = (error: TwitchError): string => `${error._tag}: ${error.message}`

/**
 * Runs one section: prints its heading, then the body; a typed failure prints one line.
 *
 * @since 0.1.0
 * @category combinators
 */
export const section = <A, R>(
  style: Output.Style,
  title: string,
  body: Effect.Effect<A, TwitchError, R>
): Effect.Effect<Option.Option<A>, never, R> =>
  Effect.zipRight(
    Console.log(Output.heading(style, title)),
    body.pipe(
      Effect.map(Option.some),
      Effect.catchAll((error) =>
        Effect.as(Console.log(Output.red(style, `  ✗ ${describeError(error)}`)), Option.none<A>())
      )
    )
  ).pipe(Effect.withSpan(`tour ${title}`))

const ago = (date: Date): string => {
  const minutes = Math.max(0, Math.round((Date.now() - date.getTime()) / 60_000))
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

const streamTable = (style: Output.Style, streams: ReadonlyArray<LiveStream>) =>
  Output.table(style, streams, [
    { header: "CHANNEL", cell: (s) => s.userName, maxWidth: 20 },
    { header: "VIEWERS", cell: (s) => Output.count(s.viewerCount), align: "right" },
    { header: "LIVE FOR", cell: (s) => ago(s.startedAt), align: "right" },
    { header: "LANG", cell: (s) => s.language },
    { header: "TITLE", cell: (s) => s.title, maxWidth: 48 }
  ])

/**
 * The Helix and playlist part of the tour (sections 1-5).
 *
 * @since 0.1.0
 * @category tour
 */
export const helixSections = (
  options: Options
): Effect.Effect<Result, TwitchError, Games | Streams | Channels | Users | Playlist | TwitchAuth> =>
  Effect.gen(function*() {
    const { style } = options
    const games = yield* Games
    const streams = yield* Streams
    const channels = yield* Channels
    const users = yield* Users
    const playlist = yield* Playlist
    const auth = yield* TwitchAuth
    const failed: Array<string> = []
    const track = <A>(title: string, result: Option.Option<A>) => {
      if (Option.isNone(result)) failed.push(title)
      return result
    }

    // 1. Top games: the tour cannot go on without them.
    yield* Console.log(Output.heading(style, "Top games"))
    const limit = options.games ?? 10
    const top: ReadonlyArray<Game> = yield* Paging.collect(games.top({ pageSize: limit }), { limit })
    yield* Console.log(Output.table(style, top.map((game, i) => ({ game, rank: i + 1 })), [
      { header: "#", cell: (r) => String(r.rank), align: "right" },
      { header: "GAME", cell: (r) => r.game.name, maxWidth: 40 },
      { header: "ID", cell: (r) => r.game.id, align: "right" },
      { header: "IGDB", cell: (r) => Option.getOrElse(r.game.igdbId, () => "-"), align: "right" }
    ]))

    // 2. Live streams of the first games.
    const firstGames = top.slice(0, options.gamesWithStreams ?? 3)
    const perGame = options.streamsPerGame ?? 5
    let chosen = Option.none<LiveStream>()
    for (const game of firstGames) {
      const result = yield* section(
        style,
        `Live streams of ${game.name}`,
        Effect.gen(function*() {
          const live = yield* Paging.collect(streams.list({ gameIds: [game.id], pageSize: perGame }), {
            limit: perGame
          })
          yield* Console.log(
            live.length === 0 ? Output.dim(style, "  (nobody is live)") : streamTable(style, live)
          )
          return live
        })
      )
      track(`Live streams of ${game.name}`, result)
      if (Option.isNone(chosen)) chosen = Option.flatMap(result, (live) => Option.fromNullable(live[0]))
    }

    // 3. One channel and its user.
    const login = Option.map(chosen, (s) => s.userLogin)
    if (Option.isSome(login)) {
      track(
        "Channel",
        yield* section(
          style,
          `Channel ${login.value}`,
          Effect.gen(function*() {
            const found = yield* channels.byLogin(login.value)
            if (Option.isNone(found)) return yield* Console.log("  (no such channel)")
            const channel = found.value
            const followers = yield* Effect.either(channels.followerCount(channel.id))
            const rows: Array<[string, string]> = [
              ["Display name", channel.displayName],
              ["User id", channel.id],
              ["Title", channel.title],
              ["Game", Option.getOrElse(channel.information.gameName, () => "-")],
              ["Language", channel.information.broadcasterLanguage],
              ["Tags", channel.information.tags.join(", ") || "-"],
              ["Broadcaster type", channel.user.broadcasterType || "-"],
              ["Created", channel.user.createdAt.toISOString().slice(0, 10)],
              [
                "Followers",
                followers._tag === "Right" ? Output.count(followers.right) : "(needs a user token)"
              ],
              ["Logo", channel.logo]
            ]
            yield* Console.log(Output.table(style, rows, [
              { header: "FIELD", cell: (r) => r[0] },
              { header: "VALUE", cell: (r) => r[1], maxWidth: 70 }
            ]))
          })
        )
      )

      // 4. The channel's playlist qualities.
      track(
        "Playlist",
        yield* section(
          style,
          `Playlist qualities of ${login.value}`,
          Effect.gen(function*() {
            const master = yield* playlist.masterPlaylist(login.value)
            yield* Console.log(Output.table(style, master.variants, [
              { header: "QUALITY", cell: (v) => v.isSource ? `${v.name} (source)` : v.name },
              {
                header: "RESOLUTION",
                cell: (v) =>
                  Option.match(v.resolution, { onNone: () => "-", onSome: (r) => `${r.width}x${r.height}` }),
                align: "right"
              },
              {
                header: "FPS",
                cell: (v) => Option.match(v.frameRate, { onNone: () => "-", onSome: String }),
                align: "right"
              },
              { header: "KBIT/S", cell: (v) => Output.count(Math.round(v.bandwidth / 1000)), align: "right" },
              { header: "CODECS", cell: (v) => v.codecs.join(",") }
            ]))
            if (master.restrictedQualities.length > 0) {
              yield* Console.log(
                Output.yellow(style, `  subscriber-only: ${master.restrictedQualities.join(", ")}`)
              )
            }
            const quality = options.quality ?? "720p"
            const variant = yield* playlist.variant(login.value, quality)
            yield* Console.log(
              `  ${Output.bold(style, `best at or below ${quality}:`)} ${variant.name} ${
                Output.dim(style, variant.url)
              }`
            )
          })
        )
      )
    } else {
      yield* Console.log(Output.dim(style, "\n(no live channel found: skipping channel and playlist)"))
    }

    // 5. Followed streams of the logged-in user.
    track(
      "Followed streams",
      yield* section(
        style,
        "Followed streams",
        Effect.gen(function*() {
          const token = yield* auth.current
          if (token.kind === "app") {
            return yield* Console.log(
              Output.dim(style, "  (an app token has no user: log in to see followed streams)")
            )
          }
          const me = yield* users.me
          const followed = yield* Paging.collect(streams.followed({ pageSize: 20 }), { limit: 20 })
          yield* Console.log(
            `  ${Output.bold(style, me.displayName)} follows ${followed.length} live channel(s)`
          )
          if (followed.length > 0) yield* Console.log(streamTable(style, followed))
        })
      )
    )

    return { channel: login, failed }
  })
