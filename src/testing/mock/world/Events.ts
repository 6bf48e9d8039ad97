/**
 * What changed in the world, published on `World.Service.events` for the surfaces that push (the
 * IRC server sends `ROOMSTATE` on `RoomStateChanged`). Each area declares its own events; the
 * {@link WorldEvent} union joins them.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import type { Raid } from "./BroadcastModels.js"
import type { GuestStarSession } from "./CommunityModels.js"
import type { Subscription } from "./EventSubModels.js"
import type { Clip, StreamMarker } from "./MediaModels.js"
import type { Announcement, SentMessage, Shoutout, Whisper } from "./MessagingModels.js"
import type { Channel, Emote, Follow, LiveStream, RoomState, User } from "./Models.js"
import type { Ban, HeldMessage, ShieldMode, UnbanRequest, Warning } from "./ModerationModels.js"
import type { Token } from "./OAuthModels.js"
import type { Poll, Prediction } from "./PollModels.js"
import type { CustomReward, Redemption } from "./RewardModels.js"

/**
 * Changes to users, channels, streams and follows.
 *
 * @since 0.1.0
 * @category models
 */
export type CatalogEvent = Data.TaggedEnum<{
  UserAdded: { readonly user: User }
  ChannelUpdated: { readonly channel: Channel }
  StreamStarted: { readonly stream: LiveStream }
  StreamEnded: { readonly userId: string }
  FollowAdded: { readonly follow: Follow }
  UserUpdated: { readonly user: User }
}>

/**
 * Changes to room modes, emotes and chat presence.
 *
 * @since 0.1.0
 * @category models
 */
export type ChatEvent = Data.TaggedEnum<{
  RoomStateChanged: {
    readonly channelId: string
    readonly roomState: RoomState
    readonly changed: ReadonlyArray<keyof RoomState>
  }
  EmoteAdded: { readonly emote: Emote }
  ChatterJoined: { readonly channelId: string; readonly userId: string }
  ChatterLeft: { readonly channelId: string; readonly userId: string }
}>

/**
 * Changes to tokens.
 *
 * @since 0.1.0
 * @category models
 */
export type OAuthEvent = Data.TaggedEnum<{
  TokenRevoked: { readonly token: Token }
}>

/**
 * Moderation through Helix. The IRC server's hooks: `UserBanned` (CLEARCHAT with `ban-duration`
 * for a timeout, and refusing the user's messages until it ends), `UserUnbanned`,
 * `ChatMessageDeleted` (CLEARMSG), `ChatCleared` (CLEARCHAT without a user), and the role changes
 * (new badges; `ChannelUpdated` is published too).
 *
 * @since 0.1.0
 * @category models
 */
export type ModerationEvent = Data.TaggedEnum<{
  UserBanned: { readonly ban: Ban }
  UserUnbanned: { readonly broadcasterId: string; readonly userId: string; readonly moderatorId: string }
  ChatMessageDeleted: {
    readonly broadcasterId: string
    readonly messageId: string
    readonly moderatorId: string
  }
  ChatCleared: { readonly broadcasterId: string; readonly moderatorId: string }
  RoleChanged: {
    readonly broadcasterId: string
    readonly userId: string
    readonly role: "moderator" | "vip"
    readonly added: boolean
  }
  UserWarned: { readonly warning: Warning }
  ShieldModeChanged: { readonly shieldMode: ShieldMode }
  HeldMessageResolved: { readonly message: HeldMessage }
  UnbanRequestResolved: { readonly request: UnbanRequest }
  AutoModTermsChanged: { readonly broadcasterId: string; readonly text: string; readonly added: boolean }
}>

/**
 * Messages sent through Helix. The IRC server's hooks: `ChatMessageSent` (a PRIVMSG with the
 * sender's tags when `dropReason` is empty), `AnnouncementSent` and `ShoutoutSent` (USERNOTICEs),
 * `ChatColorChanged` (the `color` tag); `WhisperSent` for EventSub's `user.whisper.message`.
 *
 * @since 0.1.0
 * @category models
 */
export type MessagingEvent = Data.TaggedEnum<{
  ChatMessageSent: { readonly message: SentMessage }
  AnnouncementSent: { readonly announcement: Announcement }
  ShoutoutSent: { readonly shoutout: Shoutout }
  WhisperSent: { readonly whisper: Whisper }
  ChatColorChanged: { readonly userId: string; readonly color: string }
}>

/**
 * Polls, predictions, custom rewards and redemptions (EventSub's `channel.poll.*`,
 * `channel.prediction.*`, `channel.channel_points_*`).
 *
 * @since 0.1.0
 * @category models
 */
export type EngagementEvent = Data.TaggedEnum<{
  PollChanged: { readonly poll: Poll }
  PredictionChanged: { readonly prediction: Prediction }
  RewardChanged: { readonly reward: CustomReward; readonly removed: boolean }
  RedemptionUpdated: { readonly redemption: Redemption }
}>

/**
 * Broadcasting changes: commercials, raids, clips, markers, Guest Star sessions, subscriptions to
 * EventSub, extension messages.
 *
 * @since 0.1.0
 * @category models
 */
export type BroadcastEvent = Data.TaggedEnum<{
  CommercialStarted: { readonly broadcasterId: string; readonly length: number }
  RaidChanged: { readonly raid: Raid }
  ClipCreated: { readonly clip: Clip }
  MarkerCreated: { readonly marker: StreamMarker }
  GuestStarSessionChanged: { readonly session: GuestStarSession }
  EventSubSubscriptionChanged: { readonly subscription: Subscription; readonly removed: boolean }
  ExtensionMessageSent: {
    readonly extensionId: string
    readonly broadcasterId: string
    readonly kind: "pubsub" | "chat"
    readonly targets: ReadonlyArray<string>
    readonly message: string
  }
}>

/**
 * Every world event (e.g. the IRC server sends `ROOMSTATE` on `RoomStateChanged`).
 *
 * @since 0.1.0
 * @category models
 */
export type WorldEvent =
  | CatalogEvent
  | ChatEvent
  | OAuthEvent
  | ModerationEvent
  | MessagingEvent
  | EngagementEvent
  | BroadcastEvent

/**
 * Constructors and matchers for {@link WorldEvent}.
 *
 * @since 0.1.0
 * @category models
 */
export const WorldEvent = Data.taggedEnum<WorldEvent>()
