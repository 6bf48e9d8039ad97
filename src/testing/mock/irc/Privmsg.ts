/**
 * `PRIVMSG`: a client's message is checked (login, `chat:edit`, room modes, bans, limits), then
 * relayed to the room with Twitch's tags (badges, emotes, `first-msg`, replies, `/me`), answered
 * with the sender's USERSTATE and kept for tests. {@link build} also serves the control handle's
 * injected messages.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as World from "../World.js"
import * as History from "./History.js"
import * as Inbox from "./Inbox.js"
import { checkSend } from "./Limits.js"
import * as Message from "./Message.js"
import { normalizeChannel, prefixOf } from "./Protocol.js"
import { rolesIn } from "./Roles.js"
import { checkRoomModes } from "./RoomModes.js"
import { broadcast, channelByLogin, type ChannelRef, emoteMap, sendUserState } from "./Rooms.js"
import * as Session from "./Session.js"
import { count, type Env, violation } from "./State.js"

/**
 * A relayed PRIVMSG: its id, the line with tags and the text as sent (`\x01ACTION ...\x01` for
 * `/me`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Built {
  readonly id: string
  readonly line: string
  readonly wire: string
}

const replyTags = (parent: History.HistoryEntry): Record<string, string> => ({
  "reply-parent-display-name": parent.displayName,
  "reply-parent-msg-body": parent.body,
  "reply-parent-msg-id": parent.id,
  "reply-parent-user-id": parent.userId,
  "reply-parent-user-login": parent.login,
  "reply-thread-parent-display-name": parent.thread.displayName,
  "reply-thread-parent-msg-id": parent.thread.id,
  "reply-thread-parent-user-id": parent.thread.userId,
  "reply-thread-parent-user-login": parent.thread.login
})

/**
 * Builds the relayed PRIVMSG line of `user` in `ref` (tags, emotes, reply, ACTION) and keeps it in
 * the room's history. The message id is a new one unless given (Send Chat Message's own).
 *
 * @since 0.1.0
 * @category commands
 */
export const build = (
  env: Env,
  user: World.User,
  ref: ChannelRef,
  rawText: string,
  replyParentMsgId: string | undefined,
  t: number,
  messageId?: string
): Effect.Effect<Built> =>
  Effect.gen(function*() {
    const login = ref.user.login
    let body = rawText
    let action = false
    if (body.startsWith("\x01ACTION ") && body.endsWith("\x01")) {
      body = body.slice(8, -1)
      action = true
    } else if (body.startsWith("/me ")) {
      body = body.slice(4)
      action = true
    }
    const r = rolesIn(user, ref.channel)
    const id = messageId ?? env.messageIds.next()
    const first = yield* History.firstMessage(env, user.id, login)
    const tags: Record<string, string> = {
      "badge-info": r.badgeInfo,
      badges: r.badges,
      color: user.chatColor,
      "display-name": user.displayName,
      emotes: Message.emoteTag(body, yield* emoteMap(env, ref.user.id)),
      "first-msg": first ? "1" : "0",
      flags: "",
      id,
      mod: r.moderator ? "1" : "0",
      "returning-chatter": "0",
      "room-id": ref.user.id,
      subscriber: r.subscriber ? "1" : "0",
      "tmi-sent-ts": String(t),
      turbo: "0",
      "user-id": user.id,
      "user-type": r.userType
    }
    if (r.vip) tags.vip = "1"
    const parent = replyParentMsgId === undefined
      ? undefined
      : yield* History.find(env, login, replyParentMsgId)
    if (parent !== undefined) Object.assign(tags, replyTags(parent))
    const wire = action ? `\x01ACTION ${body}\x01` : body
    const self = { id, userId: user.id, login: user.login, displayName: user.displayName }
    yield* History.record(env, login, { ...self, body: wire, thread: parent?.thread ?? self })
    const line = Message.format({
      tags,
      prefix: prefixOf(user.login),
      command: "PRIVMSG",
      params: [`#${login}`],
      trailing: wire
    })
    return { id, line, wire }
  })

/**
 * A client's `PRIVMSG #channel :text`: refused ones are counted (with the NOTICE Twitch sends, if
 * any); accepted ones go to the room, the sender gets USERSTATE with the message id, and the
 * message is kept for `received`/`awaitPrivmsgs`.
 *
 * @since 0.1.0
 * @category commands
 */
export const onPrivmsg = (
  env: Env,
  session: Session.Session,
  tags: ReadonlyMap<string, string>,
  params: ReadonlyArray<string>
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const target = params[0]
    const text = params[1]
    if (target === undefined || text === undefined || !target.startsWith("#")) return
    const user = session.user
    if (user === undefined) return yield* violation(env, "anonymousSend")
    if (!session.scopes.includes("chat:edit")) return yield* violation(env, "missingScope")
    const login = normalizeChannel(target)
    const found = yield* channelByLogin(env, login)
    if (Option.isNone(found)) return
    const ref = found.value
    const t = env.now()
    const modes = yield* checkRoomModes(env, user, ref, text, t)
    const refused = yield* checkSend(env, { user, ref, text, t, modes })
    if (refused !== undefined) {
      yield* violation(env, refused.kind)
      if (refused.msgId !== undefined) {
        Session.notice(env, session, `#${login}`, refused.msgId, refused.text ?? "")
      }
      return
    }
    const replyTo = tags.get("reply-parent-msg-id")
    const built = yield* build(env, user, ref, text, replyTo, t)
    yield* count(env, "privmsgsAccepted")
    yield* broadcast(env, login, built.line, session)
    sendUserState(env, session, user, ref, built.id)
    yield* Inbox.accept(env, {
      id: built.id,
      channel: login,
      login: user.login,
      userId: user.id,
      text: built.wire,
      replyParentMsgId: replyTo,
      transport: session.raw.kind,
      line: built.line,
      at: t
    })
  })
