/**
 * What Helix moderation looks like on IRC, as Twitch shows it to the clients in the room: a ban or
 * timeout is `CLEARCHAT` with the user (`ban-duration` for a timeout) and the user's messages are
 * refused until it ends; an unban (or an approved unban request) lifts that silently; a deleted
 * message is `CLEARMSG`; a cleared chat is `CLEARCHAT` without a user. Role changes need nothing
 * here: badges are read from the world on each message, and `ChannelUpdated` sends the fresh
 * USERSTATE (`WorldEvents.ts`).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as World from "../World.js"
import * as History from "./History.js"
import * as Moderation from "./Moderation.js"
import { inChannel } from "./Rooms.js"
import type { Env } from "./State.js"

type Event<Tag extends World.WorldEvent["_tag"]> = Extract<World.WorldEvent, { _tag: Tag }>

/** A timeout's length in whole seconds (undefined for a permanent ban). */
const durationOf = (ban: World.Ban): number | undefined =>
  ban.expiresAt === ""
    ? undefined
    : Math.max(1, Math.round((Date.parse(ban.expiresAt) - Date.parse(ban.createdAt)) / 1000))

const userBanned = (env: Env, { ban }: Event<"UserBanned">) =>
  inChannel(env, ban.broadcasterId, (ref) =>
    Effect.flatMap(
      env.world.userById(ban.userId),
      Option.match({
        onNone: () => Effect.void,
        onSome: (user) => Moderation.applyBan(env, ref, user, durationOf(ban))
      })
    ))

const chatMessageDeleted = (env: Env, event: Event<"ChatMessageDeleted">) =>
  inChannel(env, event.broadcasterId, (ref) =>
    Effect.flatMap(
      History.find(env, ref.user.login, event.messageId),
      (entry) => entry === undefined ? Effect.void : Moderation.clearMessage(env, ref, entry)
    ))

/**
 * Sends what one moderation event changes on IRC; undefined for events that are not moderation's.
 *
 * @since 0.1.0
 * @category events
 */
export const onEvent = (env: Env, event: World.WorldEvent): Effect.Effect<void> | undefined => {
  switch (event._tag) {
    case "UserBanned":
      return userBanned(env, event)
    case "UserUnbanned":
      return Moderation.liftBan(env, event.broadcasterId, event.userId)
    case "UnbanRequestResolved":
      return event.request.status === "approved"
        ? Moderation.liftBan(env, event.request.broadcasterId, event.request.userId)
        : Effect.void
    case "ChatMessageDeleted":
      return chatMessageDeleted(env, event)
    case "ChatCleared":
      return inChannel(env, event.broadcasterId, (ref) => Moderation.clearRoom(env, ref))
    default:
      return undefined
  }
}
