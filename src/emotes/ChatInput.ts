/**
 * A received chat message as the resolver reads it, whichever way it came: the text, Twitch's
 * emote positions in code points, the bits cheered, the sender's badges and who it answers. Small
 * on purpose, so each source only needs an adapter: {@link fromPrivmsg} and {@link fromUserNotice}
 * for IRC, and `EventSubInput.fromChatMessage` for an EventSub `channel.chat.message` event.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import type { Privmsg, UserNotice } from "../chat/TwitchMessage.js"

/**
 * A Twitch emote in the text: inclusive code-point positions (Twitch's IRC `emotes` tag).
 *
 * @since 0.1.0
 * @category models
 */
export interface EmotePosition {
  readonly id: string
  readonly start: number
  readonly end: number
}

/**
 * A badge the sender wears: set id, version, and the set's extra info (subscriber months).
 *
 * @since 0.1.0
 * @category models
 */
export interface BadgeRef {
  readonly setId: string
  readonly version: string
  readonly info: Option.Option<string>
}

/**
 * The message this one answers.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReplyTo {
  readonly messageId: string
  readonly login: string
  readonly displayName: string
  readonly text: string
}

/**
 * Who sent it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Sender {
  readonly userId: string
  readonly login: string
  readonly displayName: string
  /** `#RRGGBB`; none when the user never chose one. */
  readonly color: Option.Option<string>
}

/**
 * What the resolver reads.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChatInput {
  /** The message id (what a deletion names). */
  readonly id: string
  /** The channel's Twitch user id (IRC `room-id`): whose badges, emotes and cheermotes apply. */
  readonly channelId: string
  readonly sender: Sender
  readonly text: string
  readonly emotes: ReadonlyArray<EmotePosition>
  /** Bits cheered with it (0 for none): cheermotes are read only then, as Twitch does. */
  readonly bits: number
  readonly badges: ReadonlyArray<BadgeRef>
  /** Sent with `/me`. */
  readonly action: boolean
  readonly reply: Option.Option<ReplyTo>
}

const badgesOf = (
  badges: ReadonlyMap<string, string>,
  info: ReadonlyMap<string, string>
): ReadonlyArray<BadgeRef> =>
  Array.from(badges, ([setId, version]) => ({ setId, version, info: Option.fromNullable(info.get(setId)) }))

const senderOf = (m: Privmsg | UserNotice): Sender => ({
  userId: m.userId,
  login: m.login,
  displayName: m.displayName.trim() === "" ? m.login : m.displayName.trim(),
  color: m.color
})

/**
 * The input of an IRC chat message (PRIVMSG).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromPrivmsg = (m: Privmsg): ChatInput => ({
  id: m.id,
  channelId: m.roomId,
  sender: senderOf(m),
  text: m.text,
  emotes: m.emotes.map((e) => ({ id: e.id, start: e.start, end: e.end })),
  bits: Option.getOrElse(m.bits, () => 0),
  badges: badgesOf(m.badges, m.badgeInfo),
  action: m.isAction,
  reply: Option.map(m.reply, (r) => ({
    messageId: r.msgId,
    login: r.userLogin,
    displayName: r.displayName,
    text: r.body
  }))
})

/**
 * The input of the message a USERNOTICE carries (a resub's or an announcement's); none when the
 * user wrote nothing.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromUserNotice = (m: UserNotice): Option.Option<ChatInput> =>
  Option.map(m.text, (text) => ({
    id: m.id,
    channelId: m.roomId,
    sender: senderOf(m),
    text,
    emotes: m.emotes.map((e) => ({ id: e.id, start: e.start, end: e.end })),
    bits: 0,
    badges: badgesOf(m.badges, m.badgeInfo),
    action: false,
    reply: Option.none()
  }))
