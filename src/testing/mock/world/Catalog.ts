/**
 * The world's catalog: lookups and additions of users (with their channels), games, live streams,
 * follows and VODs.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { WorldEvent } from "./Events.js"
import { defaultRoomState, fullLadder, profileImageUrl, rfc3339 } from "./Fixtures.js"
import type { Channel, Follow, Game, LiveStream, Quality, User, Vod } from "./Models.js"
import type { WorldState } from "./State.js"
import { findUser, newString, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * Input of {@link Service.addUser}: only the login is required; the id is allocated and the
 * channel created (offline, no game).
 *
 * @since 0.1.0
 * @category models
 */
export interface NewUser {
  readonly login: string
  readonly id?: string
  readonly displayName?: string
  readonly type?: User["type"]
  readonly broadcasterType?: User["broadcasterType"]
  readonly description?: string
  readonly email?: string
  readonly chatColor?: string
  readonly createdAt?: string
  readonly channel?: Partial<Omit<Channel, "broadcasterId">>
}

/**
 * Input of {@link Service.startStream}.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewStream {
  readonly userId: string
  readonly gameId?: string
  readonly title?: string
  readonly viewerCount?: number
  readonly tags?: ReadonlyArray<string>
  readonly language?: string
  readonly qualities?: ReadonlyArray<Quality>
  readonly restrictedQualities?: ReadonlyArray<string>
  readonly geoBlocked?: boolean
  /** RFC3339; defaults to now. */
  readonly startedAt?: string
}

/**
 * The catalog's part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly userById: (id: string) => Effect.Effect<Option.Option<User>>
  /** Case-insensitive. */
  readonly userByLogin: (login: string) => Effect.Effect<Option.Option<User>>
  readonly channel: (broadcasterId: string) => Effect.Effect<Option.Option<Channel>>
  readonly game: (id: string) => Effect.Effect<Option.Option<Game>>
  /** The live stream of a user, if live. */
  readonly stream: (userId: string) => Effect.Effect<Option.Option<LiveStream>>
  /** All live streams, most viewers first (ties by stream id). */
  readonly streams: Effect.Effect<ReadonlyArray<LiveStream>>
  readonly vod: (id: string) => Effect.Effect<Option.Option<Vod>>

  /** Adds a user and their (offline) channel. Fails with `Conflict` on a taken id or login. */
  readonly addUser: (input: NewUser) => Effect.Effect<User, WorldError>
  readonly addGame: (game: Game) => Effect.Effect<Game, WorldError>
  /** Patches a channel (not its broadcaster id). */
  readonly updateChannel: (
    broadcasterId: string,
    patch: Partial<Omit<Channel, "broadcasterId">>
  ) => Effect.Effect<Channel, WorldError>
  /** Puts a user live (replacing a running stream). */
  readonly startStream: (input: NewStream) => Effect.Effect<LiveStream, WorldError>
  readonly endStream: (userId: string) => Effect.Effect<void, WorldError>
  readonly addFollow: (fromId: string, toId: string) => Effect.Effect<Follow, WorldError>
  readonly addVod: (vod: Vod) => Effect.Effect<Vod, WorldError>
}

const byViewers = (a: LiveStream, b: LiveStream): number =>
  b.viewerCount - a.viewerCount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

const addUser = (input: NewUser): Transition<User> => (s, now) => {
  const login = input.login.toLowerCase()
  if (!/^[a-z0-9_]{1,25}$/.test(login)) return fail("InvalidInput", `invalid login ${input.login}`)
  if (s.users.some((u) => u.login === login)) return fail("Conflict", `login ${login} is taken`)
  const maxId = s.users.reduce((m, u) => Math.max(m, Number(u.id) || 0), 100000000)
  const id = input.id ?? String(maxId + 1)
  if (s.users.some((u) => u.id === id)) return fail("Conflict", `user id ${id} is taken`)
  const displayName = input.displayName ?? login
  const user: User = {
    id,
    login,
    displayName,
    type: input.type ?? "",
    broadcasterType: input.broadcasterType ?? "",
    description: input.description ?? "",
    profileImageUrl: profileImageUrl(login),
    offlineImageUrl: "",
    createdAt: input.createdAt ?? rfc3339(now),
    email: input.email ?? `${login}@mock.twitch.invalid`,
    chatColor: input.chatColor ?? ""
  }
  const channel: Channel = {
    language: "en",
    gameId: "",
    title: "",
    delay: 0,
    tags: [],
    contentClassificationLabels: [],
    isBrandedContent: false,
    suspended: false,
    moderators: [],
    vips: [],
    subscribers: [],
    roomState: defaultRoomState,
    ...input.channel,
    broadcasterId: id
  }
  return [user, { ...s, users: [...s.users, user], channels: [...s.channels, channel] }]
}

const updateChannel = (
  id: string,
  patch: Partial<Omit<Channel, "broadcasterId">>
): Transition<Channel> =>
(s) => {
  const channel = s.channels.find((c) => c.broadcasterId === id)
  if (channel === undefined) return fail("NotFound", `no channel ${id}`)
  const next: Channel = { ...channel, ...patch, broadcasterId: id }
  return [next, { ...s, channels: s.channels.map((c) => c.broadcasterId === id ? next : c) }]
}

const startStream = (input: NewStream): Transition<LiveStream> => (s, now) => {
  const user = findUser(s, input.userId)
  const channel = s.channels.find((c) => c.broadcasterId === input.userId)
  if (user === undefined || channel === undefined) return fail("NotFound", `no user ${input.userId}`)
  const gameId = input.gameId ?? channel.gameId
  if (gameId !== "" && !s.games.some((x) => x.id === gameId)) {
    return fail("NotFound", `no game ${gameId}`)
  }
  const [suffix, s1] = newString(s, 9, "0123456789")
  const stream: LiveStream = {
    id: "4" + suffix + "1",
    userId: user.id,
    gameId,
    title: input.title ?? (channel.title === "" ? `${user.displayName} is live` : channel.title),
    tags: [...(input.tags ?? channel.tags)],
    viewerCount: input.viewerCount ?? 0,
    startedAt: input.startedAt ?? rfc3339(now),
    language: input.language ?? channel.language,
    qualities: [...(input.qualities ?? fullLadder)],
    restrictedQualities: [...(input.restrictedQualities ?? [])],
    geoBlocked: input.geoBlocked ?? false
  }
  return [stream, {
    ...s1,
    streams: [...s1.streams.filter((x) => x.userId !== user.id), stream],
    channels: s1.channels.map((c) =>
      c.broadcasterId === user.id ? { ...c, gameId, title: stream.title, tags: stream.tags } : c
    )
  }]
}

const addFollow = (fromId: string, toId: string): Transition<Follow> => (s, now) => {
  if (findUser(s, fromId) === undefined) return fail("NotFound", `no user ${fromId}`)
  if (findUser(s, toId) === undefined) return fail("NotFound", `no user ${toId}`)
  const existing = s.follows.find((f) => f.fromId === fromId && f.toId === toId)
  if (existing !== undefined) return [existing, s]
  const follow: Follow = { fromId, toId, followedAt: rfc3339(now) }
  return [follow, { ...s, follows: [...s.follows, follow] }]
}

/**
 * The catalog's operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, read, transition }: Store): Service => ({
  userById: (id) => read((s) => Option.fromNullable(findUser(s, id))),
  userByLogin: (login) => {
    const lower = login.toLowerCase()
    return read((s) => Option.fromNullable(s.users.find((u) => u.login === lower)))
  },
  channel: (id) => read((s) => Option.fromNullable(s.channels.find((c) => c.broadcasterId === id))),
  game: (id) => read((s) => Option.fromNullable(s.games.find((x) => x.id === id))),
  stream: (userId) => read((s) => Option.fromNullable(s.streams.find((x) => x.userId === userId))),
  streams: read((s) => [...s.streams].sort(byViewers)),
  vod: (id) => read((s) => Option.fromNullable(s.vods.find((v) => v.id === id))),

  addUser: (input) =>
    transition(addUser(input)).pipe(Effect.tap((user) => publish(WorldEvent.UserAdded({ user })))),

  addGame: (game) =>
    transition((s) =>
      s.games.some((x) => x.id === game.id)
        ? fail("Conflict", `game id ${game.id} is taken`)
        : [game, { ...s, games: [...s.games, game] }]
    ),

  updateChannel: (id, patch) =>
    transition(updateChannel(id, patch)).pipe(
      Effect.tap((channel) => publish(WorldEvent.ChannelUpdated({ channel })))
    ),

  startStream: (input) =>
    transition(startStream(input)).pipe(
      Effect.tap((stream) => publish(WorldEvent.StreamStarted({ stream })))
    ),

  endStream: (userId) =>
    transition((s): readonly [void, WorldState] | WorldError =>
      s.streams.some((x) => x.userId === userId)
        ? [undefined, { ...s, streams: s.streams.filter((x) => x.userId !== userId) }]
        : fail("NotFound", `user ${userId} is not live`)
    ).pipe(Effect.tap(() => publish(WorldEvent.StreamEnded({ userId })))),

  addFollow: (fromId, toId) =>
    transition(addFollow(fromId, toId)).pipe(
      Effect.tap((follow) => publish(WorldEvent.FollowAdded({ follow })))
    ),

  addVod: (vod) =>
    transition((s) =>
      s.vods.some((v) => v.id === vod.id)
        ? fail("Conflict", `vod id ${vod.id} is taken`)
        : findUser(s, vod.userId) === undefined
        ? fail("NotFound", `no user ${vod.userId}`)
        : [vod, { ...s, vods: [...s.vods, vod] }]
    )
})
