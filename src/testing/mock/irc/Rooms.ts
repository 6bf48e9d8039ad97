/**
 * Who is connected and who is in which room, the world lookups every command needs (a channel by
 * login, a user's emote sets), and sending to a room: broadcast, USERSTATE.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as World from "../World.js"
import * as Message from "./Message.js"
import { MockIrcError } from "./Model.js"
import { HOST, normalizeChannel } from "./Protocol.js"
import { userStateTags } from "./Roles.js"
import * as Session from "./Session.js"
import type { Env } from "./State.js"

/**
 * Open sessions and room membership (room key: the channel's login).
 *
 * @since 0.1.0
 * @category models
 */
export interface Registry {
  readonly sessions: ReadonlySet<Session.Session>
  readonly rooms: ReadonlyMap<string, ReadonlySet<Session.Session>>
  /** The id of the next session. */
  readonly nextId: number
}

/**
 * A channel with its broadcaster.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChannelRef {
  readonly user: World.User
  readonly channel: World.Channel
}

/**
 * Registers a new connection's session.
 *
 * @since 0.1.0
 * @category registry
 */
export const open = (env: Env, raw: Session.Session["raw"]): Effect.Effect<Session.Session> =>
  Effect.gen(function*() {
    const id = yield* Ref.modify(env.state.registry, (r) => [r.nextId, { ...r, nextId: r.nextId + 1 }])
    const session = yield* Session.make(id, raw)
    yield* Ref.update(env.state.registry, (r) => ({ ...r, sessions: new Set(r.sessions).add(session) }))
    return session
  })

/**
 * Forgets a closed connection's session.
 *
 * @since 0.1.0
 * @category registry
 */
export const forget = (env: Env, session: Session.Session): Effect.Effect<void> =>
  Ref.update(env.state.registry, (r) => {
    const sessions = new Set(r.sessions)
    sessions.delete(session)
    return { ...r, sessions }
  })

/**
 * Every open session.
 *
 * @since 0.1.0
 * @category registry
 */
export const sessions = (env: Env): Effect.Effect<ReadonlySet<Session.Session>> =>
  Effect.map(Ref.get(env.state.registry), (r) => r.sessions)

/**
 * The sessions in a room (none when nobody joined it).
 *
 * @since 0.1.0
 * @category registry
 */
export const members = (env: Env, login: string): Effect.Effect<ReadonlySet<Session.Session>> =>
  Effect.map(Ref.get(env.state.registry), (r) => r.rooms.get(login) ?? new Set())

/**
 * Puts a session in a room (the session's own `channels` too).
 *
 * @since 0.1.0
 * @category registry
 */
export const enter = (env: Env, session: Session.Session, login: string): Effect.Effect<void> =>
  Effect.suspend(() => {
    session.channels.add(login)
    return Ref.update(env.state.registry, (r) => ({
      ...r,
      rooms: new Map(r.rooms).set(login, new Set(r.rooms.get(login)).add(session))
    }))
  })

/**
 * Takes a session out of a room; returns the sessions left in it.
 *
 * @since 0.1.0
 * @category registry
 */
export const exit = (
  env: Env,
  session: Session.Session,
  login: string
): Effect.Effect<ReadonlySet<Session.Session>> =>
  Effect.suspend(() => {
    session.channels.delete(login)
    session.userStates.delete(login)
    return Ref.modify(env.state.registry, (r) => {
      const room = new Set(r.rooms.get(login))
      room.delete(session)
      const rooms = new Map(r.rooms)
      if (room.size === 0) rooms.delete(login)
      else rooms.set(login, room)
      return [room, { ...r, rooms }]
    })
  })

/**
 * Sends a line to everyone in a room (but `exclude`); returns how many got it.
 *
 * @since 0.1.0
 * @category output
 */
export const broadcast = (
  env: Env,
  login: string,
  line: string,
  exclude?: Session.Session
): Effect.Effect<number> =>
  Effect.map(members(env, login), (room) => {
    let n = 0
    for (const session of room) if (session !== exclude && Session.send(env, session, line)) n++
    return n
  })

/** The channel of a user, if both exist. */
const withChannel = (env: Env, user: Option.Option<World.User>): Effect.Effect<Option.Option<ChannelRef>> =>
  Option.match(user, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (u) => Effect.map(env.world.channel(u.id), Option.map((channel) => ({ user: u, channel })))
  })

/**
 * A channel and its broadcaster by the broadcaster's login.
 *
 * @since 0.1.0
 * @category lookups
 */
export const channelByLogin = (env: Env, login: string): Effect.Effect<Option.Option<ChannelRef>> =>
  Effect.flatMap(env.world.userByLogin(login), (user) => withChannel(env, user))

/**
 * A channel and its broadcaster by the broadcaster's id.
 *
 * @since 0.1.0
 * @category lookups
 */
export const channelById = (env: Env, id: string): Effect.Effect<Option.Option<ChannelRef>> =>
  Effect.flatMap(env.world.userById(id), (user) => withChannel(env, user))

/**
 * Runs `f` with the channel of `broadcasterId`; nothing when there is no such channel.
 *
 * @since 0.1.0
 * @category lookups
 */
export const inChannel = (
  env: Env,
  broadcasterId: string,
  f: (ref: ChannelRef) => Effect.Effect<void>
): Effect.Effect<void> =>
  Effect.flatMap(channelById(env, broadcasterId), Option.match({ onNone: () => Effect.void, onSome: f }))

/**
 * A channel by `#login` or `login`, or a `MockIrcError` (for the control handle).
 *
 * @since 0.1.0
 * @category lookups
 */
export const requireChannel = (env: Env, channel: string): Effect.Effect<ChannelRef, MockIrcError> =>
  Effect.flatMap(
    channelByLogin(env, normalizeChannel(channel)),
    Option.match({
      onNone: () => Effect.fail(new MockIrcError({ message: `no channel ${channel}` })),
      onSome: Effect.succeed
    })
  )

/**
 * A user by login, or a `MockIrcError` (for the control handle).
 *
 * @since 0.1.0
 * @category lookups
 */
export const requireUser = (env: Env, login: string): Effect.Effect<World.User, MockIrcError> =>
  Effect.flatMap(
    env.world.userByLogin(login),
    Option.match({
      onNone: () => Effect.fail(new MockIrcError({ message: `no user ${login}` })),
      onSome: Effect.succeed
    })
  )

/**
 * The emotes usable in a channel (name to id): the global ones and the channel's own.
 *
 * @since 0.1.0
 * @category lookups
 */
export const emoteMap = (env: Env, channelId: string): Effect.Effect<Map<string, string>> =>
  Effect.zipWith(
    env.world.globalEmotes,
    env.world.channelEmotes(channelId),
    (globals, own) => new Map([...globals, ...own].map((e) => [e.name, e.id] as const))
  )

/**
 * A user's `emote-sets` tag: the global set and the subscription sets of the channels they own or
 * subscribe to (at their tier or below).
 *
 * @since 0.1.0
 * @category lookups
 */
export const emoteSetsOf = (env: Env, user: World.User): Effect.Effect<string> =>
  Effect.map(env.world.snapshot, (s) => {
    const sets = new Set<string>(["0"])
    for (const channel of s.channels) {
      const sub = channel.subscribers.find((x) => x.userId === user.id)
      const owner = channel.broadcasterId === user.id
      if (sub === undefined && !owner) continue
      for (const e of s.emotes) {
        if (e.ownerId !== channel.broadcasterId || e.type !== "subscriptions") continue
        if (owner || (e.tier !== undefined && Number(e.tier) <= Number(sub?.tier ?? "0"))) {
          sets.add(e.setId)
        }
      }
    }
    return [...sets].join(",")
  })

/**
 * Sends a session its USERSTATE in a channel (with the message `id` after a PRIVMSG) and
 * remembers the tags sent.
 *
 * @since 0.1.0
 * @category output
 */
export const sendUserState = (
  env: Env,
  session: Session.Session,
  user: World.User,
  ref: ChannelRef,
  id?: string
): void => {
  const tags = userStateTags(user, ref.channel, session.emoteSets)
  session.userStates.set(ref.user.login, JSON.stringify(tags))
  Session.send(
    env,
    session,
    Message.format({
      tags: id === undefined ? tags : { ...tags, id },
      prefix: HOST,
      command: "USERSTATE",
      params: [`#${ref.user.login}`]
    })
  )
}
