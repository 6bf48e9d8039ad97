/**
 * A received chat message as the resolver reads it, whichever way it came: the text, Twitch's
 * emote positions in code points, the bits cheered, the sender's badges and who it answers. Small
 * on purpose, so each source only needs an adapter: {@link fromPrivmsg} and {@link fromUserNotice}
 * for IRC.
 *
 * An EventSub `channel.chat.message` event maps onto it as follows (the adapter belongs beside
 * the EventSub client): `message_id` → `id`; `broadcaster_user_id` → `channelId`;
 * `chatter_user_id`/`_login`/`_name` and `color` → `sender`; `message.text` → `text`; each
 * `message.fragments` item of type `emote` → an {@link EmotePosition} with `emote.id`, `start` =
 * the code-point length of the fragments before it and `end` = `start` + its code-point length - 1;
 * `cheer.bits` → `bits`; `badges[{ set_id, id, info }]` → `badges`; `reply.parent_message_id`,
 * `parent_user_login`, `parent_user_name`, `parent_message_body` → `reply`; `message_type`
 * `channel_points_highlighted` etc. are not needed; an action is `text` starting `\x01ACTION `
 * (EventSub keeps it), so strip it and set `action`.
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
