/**
 * What Helix messaging looks like on IRC, as Twitch shows it: a message sent with Send Chat Message
 * is a PRIVMSG of the sender to everyone in the room (their own connections too: it did not come
 * from one of them) with the sender's tags and the API's message id, and counts toward the
 * sender's chat limits; a dropped one shows nothing. An announcement is a USERNOTICE of the
 * moderator with `msg-id=announcement` and `msg-param-color`. A whisper is a `WHISPER` to the
 * recipient's connections (`twitch.tv/commands` ones; whether Twitch still delivers whispers over
 * IRC is unconfirmed, twitch-facts §7). A new chat color (or any change to a user) shows in the
 * user's later messages and USERSTATEs. Shoutouts show nothing on IRC: Twitch sends no IRC line
 * for them (EventSub's `channel.shoutout.*` carry them).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as World from "../World.js"
import { recordSend } from "./Limits.js"
import * as Message from "./Message.js"
import * as Privmsg from "./Privmsg.js"
import { prefixOf } from "./Protocol.js"
import { rolesIn } from "./Roles.js"
import { broadcast, inChannel, sessions } from "./Rooms.js"
import * as Session from "./Session.js"
import type { Env } from "./State.js"
import { userNotice } from "./Traffic.js"

type Event<Tag extends World.WorldEvent["_tag"]> = Extract<World.WorldEvent, { _tag: Tag }>

const chatMessageSent = (env: Env, { message }: Event<"ChatMessageSent">) =>
  message.dropReason !== "" ?
    Effect.void :
    inChannel(env, message.broadcasterId, (ref) =>
      Effect.gen(function*() {
        const sender = yield* env.world.userById(message.senderId)
        if (Option.isNone(sender)) return
        const parent = message.replyParentMessageId === "" ? undefined : message.replyParentMessageId
        const built = yield* Privmsg.build(
          env,
          sender.value,
          ref,
          message.text,
          parent,
          env.now(),
          message.id
        )
        yield* recordSend(env, sender.value.id, ref.user.login, message.text)
        yield* broadcast(env, ref.user.login, built.line)
      }))

const announcementSent = (env: Env, { announcement }: Event<"AnnouncementSent">) =>
  inChannel(env, announcement.broadcasterId, (ref) =>
    Effect.flatMap(
      env.world.userById(announcement.moderatorId),
      Option.match({
        onNone: () => Effect.void,
        onSome: (moderator) =>
          Effect.asVoid(userNotice(env, ref, moderator, {
            msgId: "announcement",
            systemMsg: "",
            params: { color: announcement.color.toUpperCase() },
            text: announcement.message
          }))
      })
    ))

/** Twitch's whisper thread id: the two user ids, the smaller first. */
const threadId = (a: string, b: string): string => {
  const [x, y] = [Number(a), Number(b)]
  const first = Number.isFinite(x) && Number.isFinite(y) ? x <= y : a <= b
  return first ? `${a}_${b}` : `${b}_${a}`
}

const whisperSent = (env: Env, { whisper }: Event<"WhisperSent">) =>
  Effect.gen(function*() {
    const s = yield* env.world.snapshot
    const from = s.users.find((u) => u.id === whisper.fromUserId)
    const to = s.users.find((u) => u.id === whisper.toUserId)
    if (from === undefined || to === undefined) return
    const thread = s.whispers.filter((w) =>
      (w.fromUserId === from.id && w.toUserId === to.id) || (w.fromUserId === to.id && w.toUserId === from.id)
    )
    const globals = new Map((yield* env.world.globalEmotes).map((e) => [e.name, e.id] as const))
    const r = rolesIn(from, undefined)
    const line = Message.format({
      tags: {
        badges: r.badges,
        color: from.chatColor,
        "display-name": from.displayName,
        emotes: Message.emoteTag(whisper.message, globals),
        "message-id": String(thread.findIndex((w) => w.id === whisper.id) + 1),
        "thread-id": threadId(from.id, to.id),
        turbo: "0",
        "user-id": from.id,
        "user-type": r.userType
      },
      prefix: prefixOf(from.login),
      command: "WHISPER",
      params: [to.login],
      trailing: whisper.message
    })
    for (const session of yield* sessions(env)) {
      if (session.phase === "registered" && session.user?.id === to.id) Session.send(env, session, line)
    }
  })

/** The user's connections use the user as the world has it now (color, names). */
const userChanged = (env: Env, userId: string) =>
  Effect.gen(function*() {
    const user = yield* env.world.userById(userId)
    if (Option.isNone(user)) return
    for (const session of yield* sessions(env)) {
      if (session.user?.id === userId) session.user = user.value
    }
  })

/**
 * Sends what one messaging event changes on IRC; undefined for events that are not messaging's.
 *
 * @since 0.1.0
 * @category events
 */
export const onEvent = (env: Env, event: World.WorldEvent): Effect.Effect<void> | undefined => {
  switch (event._tag) {
    case "ChatMessageSent":
      return chatMessageSent(env, event)
    case "AnnouncementSent":
      return announcementSent(env, event)
    case "WhisperSent":
      return whisperSent(env, event)
    case "ChatColorChanged":
      return userChanged(env, event.userId)
    case "UserUpdated":
      return userChanged(env, event.user.id)
    default:
      return undefined
  }
}
