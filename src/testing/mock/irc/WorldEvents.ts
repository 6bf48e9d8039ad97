/**
 * What the world's changes look like on IRC: ROOMSTATE when room modes change (Update Chat
 * Settings, the control handle, the chatter), a fresh USERSTATE when a channel's roles change a
 * joined user's badges, JOIN/PART of other chatters for `twitch.tv/membership` clients; Helix's
 * moderation in `ModerationEvents.ts` (CLEARCHAT, CLEARMSG, bans) and messaging in
 * `MessagingEvents.ts` (PRIVMSG, USERNOTICE, WHISPER, colors).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import type * as World from "../World.js"
import * as Message from "./Message.js"
import * as MessagingEvents from "./MessagingEvents.js"
import * as ModerationEvents from "./ModerationEvents.js"
import { CAP_MEMBERSHIP, HOST, prefixOf } from "./Protocol.js"
import { roomStateTags, userStateTags } from "./Roles.js"
import { broadcast, type ChannelRef, emoteSetsOf, members, sendUserState } from "./Rooms.js"
import * as Session from "./Session.js"
import type { Env } from "./State.js"

const loginOfId = (env: Env, id: string) => Effect.map(env.world.userById(id), Option.map((u) => u.login))

const roomStateChanged = (env: Env, event: Extract<World.WorldEvent, { _tag: "RoomStateChanged" }>) =>
  Effect.gen(function*() {
    const login = yield* loginOfId(env, event.channelId)
    if (Option.isNone(login)) return
    const channel = yield* env.world.channel(event.channelId)
    if (Option.isNone(channel)) return
    yield* broadcast(
      env,
      login.value,
      Message.format({
        tags: roomStateTags({ ...channel.value, roomState: event.roomState }, event.changed),
        prefix: HOST,
        command: "ROOMSTATE",
        params: [`#${login.value}`]
      })
    )
  })

const channelUpdated = (env: Env, event: Extract<World.WorldEvent, { _tag: "ChannelUpdated" }>) =>
  Effect.gen(function*() {
    const owner = yield* env.world.userById(event.channel.broadcasterId)
    if (Option.isNone(owner)) return
    const ref: ChannelRef = { user: owner.value, channel: event.channel }
    for (const session of yield* members(env, owner.value.login)) {
      if (session.user === undefined) continue
      const fresh = yield* env.world.userById(session.user.id)
      const user = Option.getOrElse(fresh, () => session.user ?? owner.value)
      session.emoteSets = yield* emoteSetsOf(env, user)
      const tags = JSON.stringify(userStateTags(user, event.channel, session.emoteSets))
      if (session.userStates.get(owner.value.login) !== tags) sendUserState(env, session, user, ref)
    }
  })

const membershipChanged = (
  env: Env,
  event: Extract<World.WorldEvent, { _tag: "ChatterJoined" | "ChatterLeft" }>
) =>
  Effect.gen(function*() {
    const channel = yield* loginOfId(env, event.channelId)
    const user = yield* loginOfId(env, event.userId)
    if (Option.isNone(channel) || Option.isNone(user)) return
    const line = Message.format({
      prefix: prefixOf(user.value),
      command: event._tag === "ChatterJoined" ? "JOIN" : "PART",
      params: [`#${channel.value}`]
    })
    for (const session of yield* members(env, channel.value)) {
      if (session.caps.has(CAP_MEMBERSHIP) && session.user?.id !== event.userId) {
        Session.send(env, session, line)
      }
    }
  })

const chatEvent = (env: Env, event: World.WorldEvent): Effect.Effect<void> => {
  switch (event._tag) {
    case "RoomStateChanged":
      return roomStateChanged(env, event)
    case "ChannelUpdated":
      return channelUpdated(env, event)
    case "ChatterJoined":
    case "ChatterLeft":
      return membershipChanged(env, event)
    default:
      return Effect.void
  }
}

/**
 * Sends what one world event changes on IRC (other events change nothing here).
 *
 * @since 0.1.0
 * @category events
 */
export const onEvent = (env: Env, event: World.WorldEvent): Effect.Effect<void> =>
  ModerationEvents.onEvent(env, event) ?? MessagingEvents.onEvent(env, event) ?? chatEvent(env, event)

/**
 * Follows the world's events for the life of the scope (subscribed before this returns, so no
 * event after it is missed); a failing event is logged.
 *
 * @since 0.1.0
 * @category events
 */
export const follow = (env: Env): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const events = yield* PubSub.subscribe(env.world.events)
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.flatMap(
          Queue.take(events),
          (event) =>
            Effect.catchAllCause(onEvent(env, event), (cause) =>
              Effect.logWarning("mock IRC: world event failed", cause))
        )
      )
    )
  })
