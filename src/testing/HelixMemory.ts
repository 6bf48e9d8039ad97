/**
 * In-memory Helix services for an app's tests: `Games`, `Channels`, `Streams` and `Users` answered
 * from plain data the test passes, with no server. Provide `HelixMemory.layer({...})` instead of
 * `Helix.layer()`.
 *
 * @since 0.1.0
 */
import * as Array from "effect/Array"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Channel, ChannelInformation, ChannelSearchResult } from "../helix/Channel.js"
import { Channels } from "../helix/Channels.js"
import { Category, Game } from "../helix/Game.js"
import { Games } from "../helix/Games.js"
import { Stream as LiveStream } from "../helix/Stream.js"
import { Streams } from "../helix/Streams.js"
import { User } from "../helix/User.js"
import { Users } from "../helix/Users.js"
import { NotAuthorized } from "../TwitchError.js"

/**
 * The data the in-memory services answer from. Streams are the live ones; `games` are in "top"
 * order; `follows` maps a user id to the user ids they follow; `me` is the logged-in user's id.
 *
 * @since 0.1.0
 * @category models
 */
export interface Data {
  readonly games?: ReadonlyArray<Game | ConstructorParameters<typeof Game>[0]>
  readonly users?: ReadonlyArray<User | ConstructorParameters<typeof User>[0]>
  readonly channels?: ReadonlyArray<ChannelInformation | ConstructorParameters<typeof ChannelInformation>[0]>
  readonly streams?: ReadonlyArray<LiveStream | ConstructorParameters<typeof LiveStream>[0]>
  readonly follows?: Readonly<Record<string, ReadonlyArray<string>>>
  readonly followers?: Readonly<Record<string, number>>
  readonly me?: string
}

const as = <A, I>(Class: new(input: I) => A) => (value: A | I): A =>
  value instanceof Class ? value : new Class(value as I)

const startsWith = (text: string, query: string) => text.toLowerCase().startsWith(query.toLowerCase())
const containsAll = (text: string, query: string) =>
  query.toLowerCase().split(/\s+/).filter(Boolean).every((part) => text.toLowerCase().includes(part))

/**
 * Layers for all four Helix services over `data`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (data: Data): Layer.Layer<Games | Channels | Streams | Users> => {
  const games = (data.games ?? []).map(as(Game))
  const users = (data.users ?? []).map(as(User))
  const infos = (data.channels ?? []).map(as(ChannelInformation))
  const streams = [...(data.streams ?? []).map(as(LiveStream))].sort((a, b) => b.viewerCount - a.viewerCount)
  const userById = (id: string) => Array.findFirst(users, (u) => u.id === id)
  const userByLogin = (login: string) => Array.findFirst(users, (u) => u.login === login.toLowerCase())
  const channelOf = (user: User) =>
    Option.map(
      Array.findFirst(infos, (i) => i.broadcasterId === user.id),
      (information) => new Channel({ user, information })
    )
  const live = (userId: string) => Array.findFirst(streams, (s) => s.userId === userId)
  const searchResult = (info: ChannelInformation, user: User) => {
    const stream = live(user.id)
    return new ChannelSearchResult({
      id: user.id,
      broadcasterLogin: user.login,
      displayName: user.displayName,
      broadcasterLanguage: info.broadcasterLanguage,
      gameId: info.gameId,
      gameName: info.gameName,
      isLive: Option.isSome(stream),
      tags: info.tags,
      thumbnailUrl: user.profileImageUrl,
      title: info.title,
      startedAt: Option.map(stream, (s) => s.startedAt)
    })
  }

  const GamesLive = Layer.succeed(
    Games,
    Games.of({
      top: () => Stream.fromIterable(games),
      byName: (name) => Effect.succeed(Array.findFirst(games, (g) => g.name === name)),
      byId: (id) => Effect.succeed(Array.findFirst(games, (g) => g.id === id)),
      list: ({ ids = [], igdbIds = [], names = [] }) =>
        Effect.succeed(
          games.filter((g) =>
            ids.includes(g.id) || names.includes(g.name) ||
            Option.exists(g.igdbId, (i) => igdbIds.includes(i))
          )
        ),
      search: (query, options = {}) =>
        Stream.fromIterable(
          games
            .filter((g) => containsAll(g.name, query))
            .filter((g) => options.live !== true || streams.some((s) => Option.contains(s.gameId, g.id)))
            .map((g) => new Category({ id: g.id, name: g.name, boxArtUrl: g.boxArtUrl }))
        ),
      viewers: (game) => {
        const gameId = typeof game === "string" ? game : game.id
        const ofGame = streams.filter((s) => Option.contains(s.gameId, gameId))
        return Effect.succeed({
          gameId,
          viewers: ofGame.reduce((sum, s) => sum + s.viewerCount, 0),
          channels: ofGame.length
        })
      }
    })
  )

  const ChannelsLive = Layer.succeed(
    Channels,
    Channels.of({
      byLogin: (login) => Effect.succeed(Option.flatMap(userByLogin(login), channelOf)),
      byId: (id) => Effect.succeed(Option.flatMap(userById(id), channelOf)),
      information: (ids) => Effect.succeed(infos.filter((i) => ids.includes(i.broadcasterId))),
      search: (query, options = {}) =>
        Stream.fromIterable(
          infos.flatMap((info) =>
            Option.toArray(userById(info.broadcasterId)).flatMap((user) => {
              const matches = options.liveOnly === true
                ? Option.isSome(live(user.id)) &&
                  (startsWith(user.login, query) || Option.exists(info.gameName, (g) => startsWith(g, query)))
                : startsWith(user.login, query)
              return matches ? [searchResult(info, user)] : []
            })
          )
        ),
      followerCount: (id) => Effect.succeed(data.followers?.[id] ?? 0)
    })
  )

  const StreamsLive = Layer.succeed(
    Streams,
    Streams.of({
      byLogin: (login) =>
        Effect.succeed(Array.findFirst(streams, (s) => s.userLogin === login.toLowerCase())),
      byUserId: (id) => Effect.succeed(live(id)),
      list: (filter = {}) =>
        Stream.fromIterable(
          streams.filter((s) =>
            (filter.gameIds === undefined || filter.gameIds.length === 0 ||
              Option.exists(s.gameId, (g) => filter.gameIds!.includes(g))) &&
            (filter.languages === undefined || filter.languages.length === 0 ||
              filter.languages.includes(s.language)) &&
            ((filter.userIds?.length ?? 0) + (filter.userLogins?.length ?? 0) === 0 ||
              (filter.userIds ?? []).includes(s.userId) ||
              (filter.userLogins ?? []).map((l) => l.toLowerCase()).includes(s.userLogin))
          )
        ),
      search: (query) =>
        Stream.fromIterable(
          streams.filter((s) =>
            startsWith(s.userLogin, query) || startsWith(s.userName, query) ||
            Option.exists(s.gameName, (g) => startsWith(g, query))
          )
        ),
      followed: () =>
        data.me === undefined
          ? Stream.fail(new NotAuthorized({ reason: "NoToken" }))
          : Stream.fromIterable(streams.filter((s) => (data.follows?.[data.me!] ?? []).includes(s.userId)))
    })
  )

  const UsersLive = Layer.succeed(
    Users,
    Users.of({
      byLogin: (login) => Effect.succeed(userByLogin(login)),
      byId: (id) => Effect.succeed(userById(id)),
      list: ({ ids = [], logins = [] }) =>
        Effect.succeed(
          users.filter((u) => ids.includes(u.id) || logins.map((l) => l.toLowerCase()).includes(u.login))
        ),
      me: Option.match(Option.flatMap(Option.fromNullable(data.me), userById), {
        onNone: () => Effect.fail(new NotAuthorized({ reason: "NoToken" })),
        onSome: Effect.succeed
      })
    })
  )

  return Layer.mergeAll(GamesLive, ChannelsLive, StreamsLive, UsersLive)
}
