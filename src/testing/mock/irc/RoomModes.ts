/**
 * Room modes for a client PRIVMSG (`emote-only`, `subs-only`, `followers-only`, `r9k`), with the
 * documented NOTICE msg-ids. Checked only with `enforceRoomModes`. Broadcaster and moderators are
 * exempt from all of them; VIPs from subscribers-only and followers-only (Twitch's VIP rules), not
 * from emote-only or unique chat.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import type * as World from "../World.js"
import * as History from "./History.js"
import type { Violation } from "./Limits.js"
import { rolesIn } from "./Roles.js"
import { type ChannelRef, emoteMap } from "./Rooms.js"
import type { Env } from "./State.js"

/** The message's text without `/me` or the ACTION wrapping. */
const bodyOf = (rawText: string): string =>
  rawText.startsWith("\x01ACTION ") && rawText.endsWith("\x01")
    ? rawText.slice(8, -1)
    : rawText.startsWith("/me ")
    ? rawText.slice(4)
    : rawText

/** Followers-only: not following, or following for less than the room's minutes. */
const followersOnly = (
  env: Env,
  user: World.User,
  ref: ChannelRef,
  minutes: number,
  t: number
): Effect.Effect<Violation | undefined> =>
  Effect.gen(function*() {
    const login = ref.user.login
    const follow = (yield* env.world.snapshot).follows.find((f) =>
      f.fromId === user.id && f.toId === ref.user.id
    )
    if (follow === undefined) {
      return minutes === 0
        ? {
          kind: "followersOnly",
          msgId: "msg_followersonly_zero",
          text: `This room is in followers-only mode. Follow ${login} to join the community!`
        }
        : {
          kind: "followersOnly",
          msgId: "msg_followersonly",
          text:
            `This room is in ${minutes} minutes followers-only mode. Follow ${login} to join the community!`
        }
    }
    const followedMinutes = Math.floor((t - Date.parse(follow.followedAt)) / 60_000)
    if (minutes > 0 && followedMinutes < minutes) {
      return {
        kind: "followersOnly",
        msgId: "msg_followersonly_followed",
        text: `This room is in ${minutes} minutes followers-only mode. You have been following for ${
          Math.max(0, followedMinutes)
        } minutes. Continue following to chat!`
      }
    }
    return undefined
  })

/**
 * The room-mode verdict for a client PRIVMSG; undefined when the modes allow it.
 *
 * @since 0.1.0
 * @category limits
 */
export const checkRoomModes = (
  env: Env,
  user: World.User,
  ref: ChannelRef,
  rawText: string,
  t: number
): Effect.Effect<Violation | undefined> =>
  env.options.enforceRoomModes !== true ? Effect.succeed(undefined) : Effect.gen(function*() {
    const modes = ref.channel.roomState
    const r = rolesIn(user, ref.channel)
    if (r.broadcaster || r.moderator) return undefined
    const login = ref.user.login
    const body = bodyOf(rawText)
    if (modes.emoteOnly) {
      const emotes = yield* emoteMap(env, ref.user.id)
      const words = body.split(" ").filter((w) => w.length > 0)
      if (words.length === 0 || !words.every((w) => emotes.has(w))) {
        return { kind: "emoteOnly", msgId: "msg_emoteonly", text: "This room is in emote-only mode." }
      }
    }
    if (modes.subsOnly && !r.subscriber && !r.vip) {
      return {
        kind: "subsOnly",
        msgId: "msg_subsonly",
        text:
          `This room is in subscribers-only mode. To talk, purchase a channel subscription at https://www.twitch.tv/products/${login}/ticket?ref=subscriber_only_mode_chat.`
      }
    }
    if (modes.followersOnly >= 0 && !r.vip) {
      const refused = yield* followersOnly(env, user, ref, modes.followersOnly, t)
      if (refused !== undefined) return refused
    }
    // Unique chat: a message over 9 characters that was already said in the room (by anyone).
    if (modes.r9k && Array.from(body).length > 9) {
      const wire = body === rawText ? body : `\x01ACTION ${body}\x01`
      if (Chunk.some(yield* History.entries(env, login), (e) => e.body === wire)) {
        return {
          kind: "r9k",
          msgId: "msg_r9k",
          text: "This room is in unique-chat mode and the message you attempted to send is not unique."
        }
      }
    }
    return undefined
  })
