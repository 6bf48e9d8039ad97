/**
 * What people sent through Helix: chat messages (Send Chat Message), announcements, shoutouts and
 * whispers (kept for the recipient), and each channel's non-moderator chat delay; the slice they
 * fill. Room modes stay on the channel (`Channel.roomState`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A chat message sent with Send Chat Message. `dropReason` is `""` when it was sent; `chatBot`
 * when it was sent with an app token (Twitch shows the Chat Bot badge); `forSourceOnly` when the
 * request said so.
 *
 * @since 0.1.0
 * @category models
 */
export const SentMessage = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  senderId: Schema.String,
  text: Schema.String,
  replyParentMessageId: Schema.String,
  sentAt: Schema.String,
  dropReason: Schema.String,
  chatBot: Schema.optional(Schema.Boolean),
  forSourceOnly: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category models
 */
export type SentMessage = typeof SentMessage.Type

/**
 * An announcement in a channel's chat.
 *
 * @since 0.1.0
 * @category models
 */
export const Announcement = Schema.Struct({
  broadcasterId: Schema.String,
  moderatorId: Schema.String,
  message: Schema.String,
  color: Schema.Literal("blue", "green", "orange", "purple", "primary"),
  sentAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Announcement = typeof Announcement.Type

/**
 * A shoutout from one channel to another.
 *
 * @since 0.1.0
 * @category models
 */
export const Shoutout = Schema.Struct({
  fromBroadcasterId: Schema.String,
  toBroadcasterId: Schema.String,
  moderatorId: Schema.String,
  sentAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Shoutout = typeof Shoutout.Type

/**
 * A whisper, kept for its recipient.
 *
 * @since 0.1.0
 * @category models
 */
export const Whisper = Schema.Struct({
  id: Schema.String,
  fromUserId: Schema.String,
  toUserId: Schema.String,
  message: Schema.String,
  sentAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Whisper = typeof Whisper.Type

/**
 * A channel's delay on non-moderators' messages (2, 4 or 6 seconds; absent when off).
 *
 * @since 0.1.0
 * @category models
 */
export const ChatDelay = Schema.Struct({
  broadcasterId: Schema.String,
  seconds: Schema.Int
})

/**
 * @since 0.1.0
 * @category models
 */
export type ChatDelay = typeof ChatDelay.Type

/**
 * The messaging slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const MessagingFields = {
  sentMessages: Schema.Array(SentMessage),
  announcements: Schema.Array(Announcement),
  shoutouts: Schema.Array(Shoutout),
  whispers: Schema.Array(Whisper),
  chatDelays: Schema.Array(ChatDelay)
}
