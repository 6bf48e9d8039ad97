/**
 * Channels: Get Channel Information (`ChannelInformation`), the joined user + channel model
 * `Channel` that pytwitcherapi's `get_channel` returned, and Search Channels results.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { EmptyAsNone, OptionalDate, optionalTags, wire } from "./internal/wire.js"
import { User } from "./User.js"

/**
 * A channel's settings, from Get Channel Information.
 *
 * @since 0.1.0
 * @category models
 */
export class ChannelInformation
  extends Schema.Class<ChannelInformation>("effect-twitcher/ChannelInformation")({
    broadcasterId: wire(Schema.String, "broadcaster_id"),
    broadcasterLogin: wire(Schema.String, "broadcaster_login"),
    broadcasterName: wire(Schema.String, "broadcaster_name"),
    /** ISO 639-1 code or `other`. */
    broadcasterLanguage: wire(Schema.String, "broadcaster_language"),
    gameId: wire(EmptyAsNone, "game_id"),
    gameName: wire(EmptyAsNone, "game_name"),
    title: Schema.String,
    /** Stream delay in seconds (0 unless read with the partner's own token). */
    delay: Schema.optionalWith(Schema.Number, { default: () => 0 }),
    tags: optionalTags,
    contentClassificationLabels: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }).pipe(
      Schema.fromKey("content_classification_labels")
    ),
    isBrandedContent: Schema.optionalWith(Schema.Boolean, { default: () => false }).pipe(
      Schema.fromKey("is_branded_content")
    )
  })
{}

/**
 * A channel: its user joined with its channel information (what Kraken's channel object was).
 *
 * @since 0.1.0
 * @category models
 */
export class Channel extends Schema.Class<Channel>("effect-twitcher/Channel")({
  user: User,
  information: ChannelInformation
}) {
  /** The broadcaster's user id (= channel id). */
  get id(): string {
    return this.user.id
  }
  /** The login (= channel name in chat). */
  get login(): string {
    return this.user.login
  }
  get displayName(): string {
    return this.user.displayName
  }
  /** Kraken's `status`. */
  get title(): string {
    return this.information.title
  }
  /** Kraken's `logo`. */
  get logo(): string {
    return this.user.profileImageUrl
  }
}

/**
 * A channel found by Search Channels.
 *
 * @since 0.1.0
 * @category models
 */
export class ChannelSearchResult
  extends Schema.Class<ChannelSearchResult>("effect-twitcher/ChannelSearchResult")({
    /** The broadcaster's user id. */
    id: Schema.String,
    broadcasterLogin: wire(Schema.String, "broadcaster_login"),
    displayName: wire(Schema.String, "display_name"),
    broadcasterLanguage: wire(Schema.String, "broadcaster_language"),
    gameId: wire(EmptyAsNone, "game_id"),
    gameName: wire(EmptyAsNone, "game_name"),
    isLive: wire(Schema.Boolean, "is_live"),
    tags: optionalTags,
    /** The profile image. */
    thumbnailUrl: wire(Schema.String, "thumbnail_url"),
    title: Schema.String,
    /** When the current stream started; `None` when offline. */
    startedAt: Schema.optionalWith(OptionalDate, { default: () => Schema.decodeSync(OptionalDate)("") }).pipe(
      Schema.fromKey("started_at")
    )
  })
{}
