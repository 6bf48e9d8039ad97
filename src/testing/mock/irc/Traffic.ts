/**
 * Traffic the control handle injects: a message as if a user sent it, raw lines, USERNOTICEs and
 * generated chatter.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as World from "../World.js"
import { chatterChannel, emit } from "./ChatterFeed.js"
import * as Message from "./Message.js"
import type { Control, MockIrcError, PostedMessage, UserNotice } from "./Model.js"
import * as Privmsg from "./Privmsg.js"
import { HOST, normalizeChannel } from "./Protocol.js"
import { rolesIn } from "./Roles.js"
import {
  broadcast,
  type ChannelRef,
  emoteMap,
  members,
  requireChannel,
  requireUser,
  sessions
} from "./Rooms.js"
import * as Session from "./Session.js"
import type { Env } from "./State.js"

/**
 * Relays a message of `login` in `channel` to everyone in the room (no limits apply).
 *
 * @since 0.1.0
 * @category control
 */
export const postMessage = (
  env: Env,
  { action, channel, login, replyParentMsgId, text }: Parameters<Control["postMessage"]>[0]
): Effect.Effect<PostedMessage, MockIrcError> =>
  Effect.gen(function*() {
    const ref = yield* requireChannel(env, channel)
    const user = yield* requireUser(env, login)
    const built = yield* Privmsg.build(
      env,
      user,
      ref,
      action ? `\x01ACTION ${text}\x01` : text,
      replyParentMsgId,
      env.now()
    )
    const recipients = yield* broadcast(env, ref.user.login, built.line)
    return { id: built.id, line: built.line, recipients }
  })

/**
 * Sends a line as is to logged-in sessions (of a room, of a login, or all); returns how many.
 *
 * @since 0.1.0
 * @category control
 */
export const sendRaw = (
  env: Env,
  line: string,
  target: Parameters<Control["sendRaw"]>[1]
): Effect.Effect<number> =>
  Effect.gen(function*() {
    let n = 0
    const channel = target?.channel === undefined ? undefined : normalizeChannel(target.channel)
    const login = target?.login?.toLowerCase()
    for (const session of channel === undefined ? yield* sessions(env) : yield* members(env, channel)) {
      if (session.phase !== "registered") continue
      if (login !== undefined && session.nick !== login) continue
      Session.sendRaw(env, session, line)
      n++
    }
    return n
  })

/**
 * Sends a room a USERNOTICE of `user` with their tags in that room and the given `msg-param-*`s;
 * returns the line.
 *
 * @since 0.1.0
 * @category control
 */
export const userNotice = (
  env: Env,
  ref: ChannelRef,
  user: World.User,
  n: Omit<UserNotice, "channel" | "login">
): Effect.Effect<string> =>
  Effect.gen(function*() {
    const r = rolesIn(user, ref.channel)
    const tags: Record<string, string> = {
      "badge-info": r.badgeInfo,
      badges: r.badges,
      color: user.chatColor,
      "display-name": user.displayName,
      emotes: n.text === undefined ? "" : Message.emoteTag(n.text, yield* emoteMap(env, ref.user.id)),
      flags: "",
      id: env.messageIds.next(),
      login: user.login,
      mod: r.moderator ? "1" : "0",
      "msg-id": n.msgId,
      "room-id": ref.user.id,
      subscriber: r.subscriber ? "1" : "0",
      "system-msg": n.systemMsg,
      "tmi-sent-ts": String(env.now()),
      turbo: "0",
      "user-id": user.id,
      "user-type": r.userType
    }
    for (const [k, v] of Object.entries(n.params ?? {})) tags[`msg-param-${k}`] = v
    const line = Message.format({
      tags,
      prefix: HOST,
      command: "USERNOTICE",
      params: [`#${ref.user.login}`],
      trailing: n.text
    })
    yield* broadcast(env, ref.user.login, line)
    return line
  })

/**
 * Sends a USERNOTICE of a user with their tags and the given `msg-param-*`s; returns the line.
 *
 * @since 0.1.0
 * @category control
 */
export const sendUserNotice = (env: Env, n: UserNotice): Effect.Effect<string, MockIrcError> =>
  Effect.gen(function*() {
    const ref = yield* requireChannel(env, n.channel)
    const user = yield* requireUser(env, n.login)
    return yield* userNotice(env, ref, user, n)
  })

/**
 * Generates and sends `count` chatter lines in a channel now; returns them.
 *
 * @since 0.1.0
 * @category control
 */
export const generate = (
  env: Env,
  channel: string,
  count = 1
): Effect.Effect<ReadonlyArray<string>, MockIrcError> =>
  Effect.gen(function*() {
    const ref = yield* requireChannel(env, channel)
    const cc = yield* chatterChannel(env, ref)
    const lines: Array<string> = []
    for (let i = 0; i < count; i++) lines.push(yield* emit(env, ref, cc))
    return lines
  })
