/**
 * The mock world's models of users, channels, games, streams, follows, emotes, VODs and chat
 * presence, as `Schema` structs (what a world file holds), and the slices of the world they fill
 * (`WorldData` in `State.ts` joins the slices).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A Twitch user (`type` and `broadcasterType` use Twitch's wire values).
 *
 * @since 0.1.0
 * @category models
 */
export const User = Schema.Struct({
  id: Schema.String,
  login: Schema.String,
  displayName: Schema.String,
  type: Schema.Literal("", "admin", "global_mod", "staff"),
  broadcasterType: Schema.Literal("", "affiliate", "partner"),
  description: Schema.String,
  profileImageUrl: Schema.String,
  offlineImageUrl: Schema.String,
  /** RFC3339. */
  createdAt: Schema.String,
  email: Schema.String,
  /** `#RRGGBB`, or `""` when the user never chose a chat color. */
  chatColor: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type User = typeof User.Type

/**
 * A game (category). `boxArtUrl` holds the `{width}x{height}` template; `igdbId` is `""` when
 * unknown.
 *
 * @since 0.1.0
 * @category models
 */
export const Game = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  boxArtUrl: Schema.String,
  igdbId: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Game = typeof Game.Type

/**
 * Chat room modes, as IRC `ROOMSTATE` reports them. `followersOnly` is minutes, `-1` when off.
 *
 * @since 0.1.0
 * @category models
 */
export const RoomState = Schema.Struct({
  emoteOnly: Schema.Boolean,
  followersOnly: Schema.Int,
  r9k: Schema.Boolean,
  slow: Schema.Int,
  subsOnly: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type RoomState = typeof RoomState.Type

/**
 * A subscriber of a channel.
 *
 * @since 0.1.0
 * @category models
 */
export const Subscriber = Schema.Struct({
  userId: Schema.String,
  months: Schema.Int,
  tier: Schema.Literal("1000", "2000", "3000")
})

/**
 * @since 0.1.0
 * @category models
 */
export type Subscriber = typeof Subscriber.Type

/**
 * A channel: one per user, keyed by `broadcasterId`. `gameId` is `""` when never set.
 *
 * @since 0.1.0
 * @category models
 */
export const Channel = Schema.Struct({
  broadcasterId: Schema.String,
  language: Schema.String,
  gameId: Schema.String,
  title: Schema.String,
  delay: Schema.Int,
  tags: Schema.Array(Schema.String),
  contentClassificationLabels: Schema.Array(Schema.String),
  isBrandedContent: Schema.Boolean,
  suspended: Schema.Boolean,
  moderators: Schema.Array(Schema.String),
  vips: Schema.Array(Schema.String),
  subscribers: Schema.Array(Subscriber),
  roomState: RoomState
})

/**
 * @since 0.1.0
 * @category models
 */
export type Channel = typeof Channel.Type

/**
 * One rendition of a stream or VOD. `groupId` is `chunked` for the source rendition (usher v1
 * naming) and equals `name` otherwise; audio has no resolution or frame rate.
 *
 * @since 0.1.0
 * @category models
 */
export const Quality = Schema.Struct({
  name: Schema.String,
  groupId: Schema.String,
  resolution: Schema.optional(Schema.String),
  frameRate: Schema.optional(Schema.Number),
  bandwidth: Schema.Int,
  codecs: Schema.String,
  source: Schema.Boolean,
  audioOnly: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type Quality = typeof Quality.Type

/**
 * A live stream. `restrictedQualities` lists quality names only subscribers get (absent from the
 * master playlist, listed in the access token's `chansub.restricted_bitrates`).
 *
 * @since 0.1.0
 * @category models
 */
export const LiveStream = Schema.Struct({
  id: Schema.String,
  userId: Schema.String,
  gameId: Schema.String,
  title: Schema.String,
  tags: Schema.Array(Schema.String),
  viewerCount: Schema.Int,
  /** RFC3339. */
  startedAt: Schema.String,
  language: Schema.String,
  qualities: Schema.Array(Quality),
  restrictedQualities: Schema.Array(Schema.String),
  geoBlocked: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type LiveStream = typeof LiveStream.Type

/**
 * A follow of `toId` by `fromId`.
 *
 * @since 0.1.0
 * @category models
 */
export const Follow = Schema.Struct({
  fromId: Schema.String,
  toId: Schema.String,
  /** RFC3339. */
  followedAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Follow = typeof Follow.Type

/**
 * An emote. `id` is numeric (`25`) or `emotesv2_<32 hex>`; `ownerId` is `"0"` for global emotes;
 * `tier` is set for subscription emotes only.
 *
 * @since 0.1.0
 * @category models
 */
export const Emote = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  formats: Schema.Array(Schema.Literal("static", "animated")),
  type: Schema.Literal("globals", "smilies", "subscriptions", "follower", "bitstier", "limitedtime"),
  setId: Schema.String,
  ownerId: Schema.String,
  tier: Schema.optional(Schema.Literal("1000", "2000", "3000"))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Emote = typeof Emote.Type

/**
 * A past broadcast (VOD).
 *
 * @since 0.1.0
 * @category models
 */
export const Vod = Schema.Struct({
  id: Schema.String,
  userId: Schema.String,
  gameId: Schema.String,
  title: Schema.String,
  /** RFC3339. */
  createdAt: Schema.String,
  durationSeconds: Schema.Int,
  qualities: Schema.Array(Quality),
  restrictedQualities: Schema.Array(Schema.String),
  geoBlocked: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type Vod = typeof Vod.Type

/**
 * A user present in a channel's chat (what IRC `NAMES`/`JOIN` report).
 *
 * @since 0.1.0
 * @category models
 */
export const Chatter = Schema.Struct({
  channelId: Schema.String,
  userId: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Chatter = typeof Chatter.Type

/**
 * The catalog's slice of the world: users (each with a channel), games, live streams, follows and
 * past broadcasts.
 *
 * @since 0.1.0
 * @category slices
 */
export const CatalogFields = {
  users: Schema.Array(User),
  games: Schema.Array(Game),
  channels: Schema.Array(Channel),
  streams: Schema.Array(LiveStream),
  follows: Schema.Array(Follow),
  vods: Schema.Array(Vod)
}

/**
 * The chat's slice of the world: emotes and who is present in which channel's chat.
 *
 * @since 0.1.0
 * @category slices
 */
export const ChatFields = {
  emotes: Schema.Array(Emote),
  chatters: Schema.Array(Chatter)
}
