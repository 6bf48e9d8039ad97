/**
 * The world's messaging through Helix: chat messages (sent or dropped as Twitch drops them:
 * banned, timed out, too long, duplicate, slow mode), announcements, shoutouts, whispers (kept for
 * the recipient), chat colors and the non-moderator chat delay. Each write publishes its event for
 * the IRC server and, later, EventSub.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { WorldEvent } from "./Events.js"
import { rfc3339 } from "./Fixtures.js"
import type { Announcement, SentMessage, Shoutout, Whisper } from "./MessagingModels.js"
import { banInForce } from "./Moderation.js"
import type { WorldState } from "./State.js"
import { findUser, newUuid, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * Why Twitch drops a chat message (`drop_reason.code`) and what it says (`drop_reason.message`).
 *
 * @since 0.1.0
 * @category constants
 */
export const dropReasons: Readonly<Record<string, string>> = {
  msg_banned: "You are permanently banned from talking in this channel.",
  msg_timedout: "You are timed out in this channel.",
  msg_too_long: "Your message is longer than 500 characters.",
  msg_duplicate: "Your message is identical to one you sent in the last 30 seconds.",
  msg_slowmode: "This room is in slow mode and you are sending messages too quickly.",
  msg_ratelimit: "Your message was not sent because you are sending messages too quickly."
}

/**
 * Input of {@link Service.sendChatMessage}.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewChatMessage {
  readonly broadcasterId: string
  readonly senderId: string
  readonly text: string
  readonly replyParentMessageId: string
  /**
   * The sender is over their chat limits (decided by the caller, which keeps the windows): dropped
   * as `msg_ratelimit` unless an earlier rule drops it.
   */
  readonly rateLimited?: boolean
  /** Sent with an app token (the Chat Bot badge). */
  readonly chatBot?: boolean | undefined
  /** Shared chat: shown in the source channel only (app tokens only). */
  readonly forSourceOnly?: boolean | undefined
}

/**
 * The messaging part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Sends, or keeps as dropped (`dropReason` one of {@link dropReasons}' codes). */
  readonly sendChatMessage: (input: NewChatMessage) => Effect.Effect<SentMessage, WorldError>
  readonly sendAnnouncement: (announcement: Omit<Announcement, "sentAt">) => Effect.Effect<Announcement>
  readonly sendShoutout: (shoutout: Omit<Shoutout, "sentAt">) => Effect.Effect<Shoutout, WorldError>
  readonly sendWhisper: (
    fromUserId: string,
    toUserId: string,
    message: string
  ) => Effect.Effect<Whisper, WorldError>
  readonly setChatColor: (userId: string, color: string) => Effect.Effect<void, WorldError>
  /** 0 turns the delay off. */
  readonly setChatDelay: (broadcasterId: string, seconds: number) => Effect.Effect<void>
}

/** Why a message from a sender would be dropped now, or `""`. */
const dropReason = (s: WorldState, input: NewChatMessage, now: number): string => {
  const ban = s.bans.find((b) => b.broadcasterId === input.broadcasterId && b.userId === input.senderId)
  if (ban !== undefined && banInForce(ban, now)) return ban.expiresAt === "" ? "msg_banned" : "msg_timedout"
  if ([...input.text].length > 500) return "msg_too_long"
  const sent = s.sentMessages.filter((m) =>
    m.broadcasterId === input.broadcasterId && m.senderId === input.senderId && m.dropReason === ""
  )
  if (sent.some((m) => m.text === input.text && now - Date.parse(m.sentAt) < 30_000)) return "msg_duplicate"
  const channel = s.channels.find((c) => c.broadcasterId === input.broadcasterId)
  // Broadcaster, moderators and VIPs are exempt from slow mode (as on IRC).
  const exempt = input.senderId === input.broadcasterId ||
    (channel?.moderators.includes(input.senderId) ?? false) ||
    (channel?.vips.includes(input.senderId) ?? false)
  const slow = channel?.roomState.slow ?? 0
  const last = sent.at(-1)
  if (!exempt && slow > 0 && last !== undefined && now - Date.parse(last.sentAt) < slow * 1000) {
    return "msg_slowmode"
  }
  return input.rateLimited === true ? "msg_ratelimit" : ""
}

const sendChatMessage = (input: NewChatMessage): Transition<SentMessage> => (s, now) => {
  if (findUser(s, input.broadcasterId) === undefined) {
    return fail("InvalidInput", "The broadcaster_id was not found.")
  }
  if (findUser(s, input.senderId) === undefined) return fail("InvalidInput", "The sender_id was not found.")
  const [id, s1] = newUuid(s)
  const message: SentMessage = {
    broadcasterId: input.broadcasterId,
    senderId: input.senderId,
    text: input.text,
    replyParentMessageId: input.replyParentMessageId,
    id,
    sentAt: rfc3339(now),
    dropReason: dropReason(s, input, now),
    ...(input.chatBot === true ? { chatBot: true } : {}),
    ...(input.forSourceOnly === undefined ? {} : { forSourceOnly: input.forSourceOnly })
  }
  return [message, { ...s1, sentMessages: [...s1.sentMessages, message] }]
}

const sendWhisper = (fromUserId: string, toUserId: string, text: string): Transition<Whisper> => (s, now) => {
  if (findUser(s, toUserId) === undefined) return fail("NotFound", "The ID in to_user_id was not found.")
  if (fromUserId === toUserId) return fail("InvalidInput", "The user may not whisper themselves.")
  if (s.userBlocks.some((b) => b.userId === toUserId && b.targetId === fromUserId)) {
    return fail("Forbidden", "The user in to_user_id blocked the user in from_user_id.")
  }
  const [id, s1] = newUuid(s)
  const whisper: Whisper = { id, fromUserId, toUserId, message: text, sentAt: rfc3339(now) }
  return [whisper, { ...s1, whispers: [...s1.whispers, whisper] }]
}

/**
 * The messaging operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, transition, update }: Store): Service => ({
  sendChatMessage: (input) =>
    transition(sendChatMessage(input)).pipe(
      Effect.tap((message) => publish(WorldEvent.ChatMessageSent({ message })))
    ),
  sendAnnouncement: (input) =>
    update((s, now) => {
      const announcement: Announcement = { ...input, sentAt: rfc3339(now) }
      return [announcement, { ...s, announcements: [...s.announcements, announcement] }] as const
    }).pipe(Effect.tap((announcement) => publish(WorldEvent.AnnouncementSent({ announcement })))),
  sendShoutout: (input) =>
    transition((s, now): readonly [Shoutout, WorldState] | WorldError => {
      if (input.fromBroadcasterId === input.toBroadcasterId) {
        return fail("InvalidInput", "The broadcaster may not give themselves a Shoutout.")
      }
      if (findUser(s, input.toBroadcasterId) === undefined) {
        return fail("InvalidInput", "The to_broadcaster_id was not found.")
      }
      const shoutout: Shoutout = { ...input, sentAt: rfc3339(now) }
      return [shoutout, { ...s, shoutouts: [...s.shoutouts, shoutout] }]
    }).pipe(Effect.tap((shoutout) => publish(WorldEvent.ShoutoutSent({ shoutout })))),
  sendWhisper: (from, to, message) =>
    transition(sendWhisper(from, to, message)).pipe(
      Effect.tap((whisper) => publish(WorldEvent.WhisperSent({ whisper })))
    ),
  setChatColor: (userId, color) =>
    transition((s): readonly [void, WorldState] | WorldError =>
      findUser(s, userId) === undefined
        ? fail("NotFound", `no user ${userId}`)
        : [undefined, { ...s, users: s.users.map((u) => (u.id === userId ? { ...u, chatColor: color } : u)) }]
    ).pipe(Effect.tap(() => publish(WorldEvent.ChatColorChanged({ userId, color })))),
  setChatDelay: (broadcasterId, seconds) =>
    update((s) => {
      const kept = s.chatDelays.filter((d) => d.broadcasterId !== broadcasterId)
      return [undefined, {
        ...s,
        chatDelays: seconds > 0 ? [...kept, { broadcasterId, seconds }] : kept
      }] as const
    })
})
