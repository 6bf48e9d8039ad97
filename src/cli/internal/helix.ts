/**
 * `games`, `streams`, `channels`, `users`: the Helix commands.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as TwitchAuth from "../../auth/TwitchAuth.js"
import * as Channel from "../../helix/Channel.js"
import * as Channels from "../../helix/Channels.js"
import * as Game from "../../helix/Game.js"
import * as Games from "../../helix/Games.js"
import * as Helix from "../../helix/Helix.js"
import * as HelixStream from "../../helix/Stream.js"
import * as Streams from "../../helix/Streams.js"
import * as User from "../../helix/User.js"
import * as Users from "../../helix/Users.js"
import { CliError } from "../CliError.js"
import * as Output from "../Output.js"
import { Tty } from "../Tty.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"
import * as Target from "./target.js"

/** Helix services over the chosen target and token. */
export const helixLayer = (common: Target.Common) =>
  Helix.layer().pipe(
    Layer.provideMerge(Target.authLayer),
    Layer.provideMerge(Target.layer(common))
  )

type HelixServices = Games.Games | Streams.Streams | Channels.Channels | Users.Users | TwitchAuth.TwitchAuth

const withHelix = <A, E>(common: Target.Common, effect: Effect.Effect<A, E, HelixServices | Tty>) =>
  Effect.provide(effect, helixLayer(common))

const notFound = (detail: string) => new CliError({ reason: "NotFound", detail })

/**
 * Nothing found for a one-item command: with `--json`, `null` on stdout first, so a script always
 * has a document to parse; then the error (one line on stderr, exit status 1).
 */
const noneFound = (json: boolean, detail: string) =>
  Effect.zipRight(json ? Render.json(null) : Effect.void, Effect.fail(notFound(detail)))

const encodeGame = Schema.encodeSync(Game.Game)
const encodeCategory = Schema.encodeSync(Game.Category)
const encodeStream = Schema.encodeSync(HelixStream.Stream)
const encodeChannel = Schema.encodeSync(Channel.Channel)
const encodeSearchResult = Schema.encodeSync(Channel.ChannelSearchResult)
const encodeUser = Schema.encodeSync(User.User)

// ---------------------------------------------------------------------------------------------
// games

const gameColumns: ReadonlyArray<Output.Column<Game.Game | Game.Category>> = [
  { header: "ID", cell: (g) => g.id, align: "right" },
  { header: "NAME", cell: (g) => g.name, maxWidth: 60 }
]

/** How many games' viewers are counted at once (each count waits for the Helix bucket as needed). */
const viewerCounts = 8

/**
 * The top games with each one's viewers and live channels, counted over its live streams (the
 * Helix top-games answer has no counts): one paged Get Streams per game, {@link viewerCounts} at a
 * time, in the top games' order, with a running count on a terminal.
 */
const topWithViewers = (o: { readonly json: boolean; readonly limit: number; readonly offset: number }) =>
  Effect.gen(function*() {
    const games = yield* Games.Games
    const tty = yield* Tty
    let counted = 0
    const rows = games.top({ pageSize: O.pageSize(o) }).pipe(
      Stream.drop(o.offset),
      Stream.take(o.limit),
      Stream.mapEffect((game) =>
        games.viewers(game).pipe(
          Effect.map(({ channels, viewers }) => ({ game, viewers, channels })),
          Effect.tap(() => tty.status(`Counting the viewers of each game: ${++counted} of ${o.limit}...`))
        ), { concurrency: viewerCounts })
    )
    yield* Render.list(rows, {
      ...o,
      offset: 0,
      encode: (r) => ({ ...encodeGame(r.game), viewers: r.viewers, channels: r.channels }),
      columns: [
        ...gameColumns.map((c) => ({ ...c, cell: (r: { readonly game: Game.Game }) => c.cell(r.game) })),
        { header: "VIEWERS", cell: (r) => Output.count(r.viewers), align: "right" },
        { header: "CHANNELS", cell: (r) => Output.count(r.channels), align: "right" }
      ]
    }).pipe(Effect.ensuring(tty.status("")))
  })

const gamesTop = Command.make("top", {
  ...O.common,
  ...O.paging,
  viewers: Options.boolean("viewers").pipe(
    Options.withDescription(
      `Also each game's viewers and live channels, summed over its live streams (one paged count per game, ${viewerCounts} at a time: slower)`
    )
  )
}, (o) =>
  withHelix(
    o,
    Effect.gen(function*() {
      yield* O.checkPaging(o)
      if (o.viewers) return yield* topWithViewers(o)
      const games = yield* Games.Games
      yield* Render.list(games.top({ pageSize: O.pageSize(o) }), {
        ...o,
        encode: encodeGame,
        columns: gameColumns
      })
    })
  )).pipe(
    Command.withDescription("Games by current viewers, most watched first (--viewers: with their counts)")
  )

const gamesSearch = Command.make(
  "search",
  {
    ...O.common,
    ...O.paging,
    live: Options.boolean("live").pipe(Options.withDescription("Only categories with a live stream")),
    query: Args.text({ name: "query" }).pipe(Args.withDescription("Words in the category name"))
  },
  (o) =>
    withHelix(
      o,
      Effect.gen(function*() {
        yield* O.checkPaging(o)
        const games = yield* Games.Games
        yield* Render.list(games.search(o.query, { live: o.live, pageSize: O.pageSize(o) }), {
          ...o,
          encode: encodeCategory,
          columns: gameColumns
        })
      })
    )
).pipe(Command.withDescription("Search categories (games) by name"))

/** A game by name or id, or NotFound (after `null` with `--json`). */
const findGame = (nameOrId: string, byId: boolean, json: boolean) =>
  Effect.flatMap(Games.Games, (games) =>
    Effect.flatMap(
      byId ? games.byId(nameOrId) : games.byName(nameOrId),
      Option.match({
        onNone: () => noneFound(json, `No game ${byId ? "with id" : "named"} "${nameOrId}".`),
        onSome: Effect.succeed
      })
    ))

/**
 * Viewers and live channels of a game, summed over every live stream (one request per 100), with a
 * running count on the terminal. A stream seen twice (the list shifts while paging) counts once.
 */
const sumViewers = (game: Game.Game) =>
  Effect.gen(function*() {
    const tty = yield* Tty
    const streams = yield* Streams.Streams
    const seen = new Set<string>()
    let viewers = 0
    yield* tty.status(`Summing the viewers of ${game.name}...`)
    yield* streams.list({ gameIds: [game.id], pageSize: 100 }).pipe(
      Stream.runForEach((stream) => {
        if (seen.has(stream.id)) return Effect.void
        seen.add(stream.id)
        viewers += stream.viewerCount
        return seen.size % 100 === 0 ?
          tty.status(
            `Summing the viewers of ${game.name}: ${Output.count(seen.size)} channels, ${
              Output.count(viewers)
            } viewers so far...`
          ) :
          Effect.void
      }),
      Effect.ensuring(tty.status(""))
    )
    return { viewers, channels: seen.size }
  })

const gamesGet = Command.make(
  "get",
  {
    ...O.common,
    id: Options.boolean("id").pipe(Options.withDescription("The argument is a game id, not a name")),
    noTotals: Options.boolean("no-totals").pipe(
      Options.withDescription("Skip summing viewers and channels over the game's live streams")
    ),
    game: Args.text({ name: "game" }).pipe(Args.withDescription("The exact game name (or id with --id)"))
  },
  (o) =>
    withHelix(
      o,
      Effect.gen(function*() {
        const game = yield* findGame(o.game, o.id, o.json)
        const totals = o.noTotals ? undefined : yield* sumViewers(game)
        if (o.json) return yield* Render.json({ ...encodeGame(game), ...totals })
        yield* Render.fields([
          ["name", game.name],
          ["id", game.id],
          ["igdb id", Render.opt(game.igdbId)],
          ["box art", game.boxArt()],
          ...(totals === undefined ? [] : [
            ["viewers", Output.count(totals.viewers)] as const,
            ["live channels", Output.count(totals.channels)] as const
          ])
        ])
      })
    )
).pipe(Command.withDescription("A game by name or id, with its total viewers and live channels"))

const gamesCommands = [gamesTop, gamesSearch, gamesGet] as const

const games = Command.make("games").pipe(
  Command.withDescription("Games (categories): top, search, one game with its viewers"),
  Command.withSubcommands(gamesCommands)
)

// ---------------------------------------------------------------------------------------------
// streams

const streamColumns = (now: number): ReadonlyArray<Output.Column<HelixStream.Stream>> => [
  { header: "CHANNEL", cell: (s) => s.userLogin },
  { header: "VIEWERS", cell: (s) => Output.count(s.viewerCount), align: "right" },
  { header: "UPTIME", cell: (s) => Render.uptime(s.startedAt, now), align: "right" },
  { header: "LANG", cell: (s) => s.language },
  { header: "GAME", cell: (s) => Render.opt(s.gameName), maxWidth: 28 },
  { header: "TITLE", cell: (s) => s.title, maxWidth: 60 }
]

const listStreams = <E, R>(
  o: { readonly json: boolean; readonly limit: number; readonly offset: number },
  stream: Stream.Stream<HelixStream.Stream, E, R>
) =>
  Effect.flatMap(
    Clock.currentTimeMillis,
    (now) => Render.list(stream, { ...o, encode: encodeStream, columns: streamColumns(now) })
  )

const repeatedText = (name: string, description: string) =>
  Options.text(name).pipe(Options.repeated, Options.withDescription(description))

const streamsList = Command.make(
  "list",
  {
    ...O.common,
    ...O.paging,
    game: repeatedText("game", "Only this game, by exact name (repeatable)"),
    gameId: repeatedText("game-id", "Only this game, by id (repeatable)"),
    channel: repeatedText("channel", "Only these channels, by login (repeatable)"),
    language: repeatedText("language", "Only this language, ISO 639-1 or `other` (repeatable)")
  },
  (o) =>
    withHelix(
      o,
      Effect.gen(function*() {
        yield* O.checkPaging(o)
        const games = yield* Games.Games
        const streams = yield* Streams.Streams
        const named = o.game.length === 0 ? [] : yield* games.list({ names: o.game })
        const missing = o.game.filter((n) => !named.some((g) => g.name.toLowerCase() === n.toLowerCase()))
        if (missing.length > 0) {
          return yield* notFound(`No game named ${missing.map((n) => `"${n}"`).join(", ")}.`)
        }
        yield* listStreams(
          o,
          streams.list({
            gameIds: [...named.map((g) => g.id), ...o.gameId],
            userLogins: o.channel,
            languages: o.language,
            pageSize: O.pageSize(o)
          })
        )
      })
    )
).pipe(Command.withDescription("Live streams, most viewers first, optionally by game, channel, language"))

const channelArg = Args.text({ name: "channel" }).pipe(Args.withDescription("A channel's login"))

const streamsGet = Command.make("get", { ...O.common, channel: channelArg }, (o) =>
  withHelix(
    o,
    Effect.gen(function*() {
      const streams = yield* Streams.Streams
      const found = yield* streams.byLogin(o.channel)
      if (Option.isNone(found)) {
        const user = yield* Effect.flatMap(Users.Users, (users) => users.byLogin(o.channel))
        return yield* noneFound(
          o.json,
          Option.isNone(user) ? `No channel named "${o.channel}".` : `${user.value.displayName} is offline.`
        )
      }
      const s = found.value
      if (o.json) return yield* Render.json(encodeStream(s))
      const now = yield* Clock.currentTimeMillis
      yield* Render.fields([
        ["channel", `${s.userName} (${s.userLogin}, id ${s.userId})`],
        ["title", s.title],
        ["game", Render.opt(s.gameName)],
        ["viewers", Output.count(s.viewerCount)],
        ["live since", `${s.startedAt.toISOString()} (${Render.uptime(s.startedAt, now)})`],
        ["language", s.language],
        ["tags", s.tags.join(", ") || "-"],
        ["mature", s.isMature ? "yes" : "no"],
        ["thumbnail", s.thumbnail()],
        ["stream id", s.id]
      ])
    })
  )).pipe(
    Command.withDescription(
      "A channel's live stream (exit status 1 when offline; with --json, null on stdout)"
    )
  )

const streamsSearch = Command.make(
  "search",
  {
    ...O.common,
    ...O.paging,
    query: Args.text({ name: "query" }).pipe(Args.withDescription("Search words"))
  },
  (o) =>
    withHelix(
      o,
      Effect.gen(function*() {
        yield* O.checkPaging(o)
        const streams = yield* Streams.Streams
        yield* listStreams(o, streams.search(o.query, { pageSize: O.pageSize(o) }))
      })
    )
).pipe(Command.withDescription("Live streams whose channel matches a query"))

const streamsFollowed = Command.make("followed", { ...O.common, ...O.paging }, (o) =>
  withHelix(
    o,
    Effect.gen(function*() {
      yield* O.checkPaging(o)
      const streams = yield* Streams.Streams
      yield* listStreams(o, streams.followed({ pageSize: O.pageSize(o) }))
    })
  )).pipe(
    Command.withDescription(`Live streams you follow (needs a user token with ${Streams.followedScope})`)
  )

const streamsCommands = [streamsList, streamsGet, streamsSearch, streamsFollowed] as const

const streams = Command.make("streams").pipe(
  Command.withDescription("Live streams: list, one channel's, search, followed"),
  Command.withSubcommands(streamsCommands)
)

// ---------------------------------------------------------------------------------------------
// channels

const channelsGet = Command.make("get", { ...O.common, channel: channelArg }, (o) =>
  withHelix(
    o,
    Effect.gen(function*() {
      const channels = yield* Channels.Channels
      const found = yield* channels.byLogin(o.channel)
      if (Option.isNone(found)) return yield* noneFound(o.json, `No channel named "${o.channel}".`)
      const c = found.value
      const followers = yield* channels.followerCount(c.id)
      if (o.json) return yield* Render.json({ ...encodeChannel(c), followers })
      const info = c.information
      yield* Render.fields([
        ["channel", `${c.displayName} (${c.login})`],
        ["id", c.id],
        ["title", c.title || "-"],
        ["game", Render.opt(info.gameName)],
        ["language", info.broadcasterLanguage],
        ["followers", Output.count(followers)],
        ["type", c.user.broadcasterType || "-"],
        ["tags", info.tags.join(", ") || "-"],
        ["description", c.user.description || "-"],
        ["created", c.user.createdAt.toISOString()],
        ["logo", c.logo]
      ])
    })
  )).pipe(Command.withDescription("A channel: title, game, language, followers"))

const channelsSearch = Command.make(
  "search",
  {
    ...O.common,
    ...O.paging,
    live: Options.boolean("live").pipe(Options.withDescription("Only live channels")),
    query: Args.text({ name: "query" }).pipe(Args.withDescription("Search words"))
  },
  (o) =>
    withHelix(
      o,
      Effect.gen(function*() {
        yield* O.checkPaging(o)
        const channels = yield* Channels.Channels
        yield* Render.list(channels.search(o.query, { liveOnly: o.live, pageSize: O.pageSize(o) }), {
          ...o,
          encode: encodeSearchResult,
          columns: [
            { header: "CHANNEL", cell: (c) => c.broadcasterLogin },
            { header: "LIVE", cell: (c) => (c.isLive ? "live" : "") },
            { header: "LANG", cell: (c) => c.broadcasterLanguage },
            { header: "GAME", cell: (c) => Render.opt(c.gameName), maxWidth: 28 },
            { header: "TITLE", cell: (c) => c.title, maxWidth: 60 }
          ]
        })
      })
    )
).pipe(Command.withDescription("Search channels by name"))

const channelsCommands = [channelsGet, channelsSearch] as const

const channels = Command.make("channels").pipe(
  Command.withDescription("Channels: one channel, search"),
  Command.withSubcommands(channelsCommands)
)

// ---------------------------------------------------------------------------------------------
// users

const userFields = (u: User.User) =>
  Render.fields([
    ["user", `${u.displayName} (${u.login})`],
    ["id", u.id],
    ["type", [u.type, u.broadcasterType].filter((t) => t !== "").join(", ") || "-"],
    ["description", u.description || "-"],
    ["created", u.createdAt.toISOString()],
    ...Option.match(u.knownEmail, { onNone: () => [], onSome: (e) => [["email", e] as const] }),
    ["picture", u.profileImageUrl]
  ])

const usersGet = Command.make(
  "get",
  {
    ...O.common,
    id: Options.boolean("id").pipe(Options.withDescription("The arguments are user ids, not logins")),
    users: Args.text({ name: "user" }).pipe(
      Args.atLeast(1),
      Args.withDescription("Logins (or ids with --id)")
    )
  },
  (o) =>
    withHelix(
      o,
      Effect.gen(function*() {
        const users = yield* Users.Users
        const found = yield* users.list(o.id ? { ids: o.users } : { logins: o.users })
        const key = (u: User.User) => (o.id ? u.id : u.login)
        const missing = o.users.filter((n) => !found.some((u) => key(u) === n.toLowerCase()))
        if (o.json) {
          for (const u of found) yield* Render.json(encodeUser(u))
        } else if (found.length === 1) {
          yield* userFields(found[0])
        } else if (found.length > 1) {
          const tty = yield* Tty
          yield* Console.log(Output.table(tty.style, found, [
            { header: "LOGIN", cell: (u) => u.login },
            { header: "ID", cell: (u) => u.id, align: "right" },
            { header: "NAME", cell: (u) => u.displayName },
            { header: "TYPE", cell: (u) => u.broadcasterType || "-" },
            { header: "CREATED", cell: (u) => u.createdAt.toISOString().slice(0, 10) }
          ]))
        }
        if (missing.length > 0) {
          return yield* notFound(
            `No user ${o.id ? "with id" : "named"} ${missing.map((m) => `"${m}"`).join(", ")}.`
          )
        }
      })
    )
).pipe(Command.withDescription("Users by login or id (exit status 1 when one is unknown)"))

const usersMe = Command.make("me", O.common, (o) =>
  withHelix(
    o,
    Effect.gen(function*() {
      const me = yield* Effect.flatMap(Users.Users, (users) => users.me)
      if (o.json) return yield* Render.json(encodeUser(me))
      yield* userFields(me)
    })
  )).pipe(Command.withDescription("The user of the token (needs a user token)"))

const usersCommands = [usersGet, usersMe] as const

const users = Command.make("users").pipe(
  Command.withDescription("Users: by login or id, the token's own user"),
  Command.withSubcommands(usersCommands)
)

/** The Helix command groups. */
export const commands = [games, streams, channels, users] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = [
  Help.family(games, gamesCommands),
  Help.family(streams, streamsCommands),
  Help.family(channels, channelsCommands),
  Help.family(users, usersCommands)
]
