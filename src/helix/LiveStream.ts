/**
 * The `LiveStream` of Get Streams and Get Followed Streams (Twitch calls it a stream; renamed so it
 * does not clash with Effect's `Stream`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { EmptyAsNone, fillSize, optionalTags, wire } from "./internal/wire.js"

/**
 * A live stream.
 *
 * @since 0.1.0
 * @category models
 */
export class LiveStream extends Schema.Class<LiveStream>("effect-twitcher/LiveStream")({
  id: Schema.String,
  userId: wire(Schema.String, "user_id"),
  userLogin: wire(Schema.String, "user_login"),
  userName: wire(Schema.String, "user_name"),
  gameId: wire(EmptyAsNone, "game_id"),
  gameName: wire(EmptyAsNone, "game_name"),
  /** `live`, or `""` when Twitch had an error. */
  type: Schema.String,
  title: Schema.String,
  tags: optionalTags,
  viewerCount: wire(Schema.Int, "viewer_count"),
  startedAt: wire(Schema.Date, "started_at"),
  language: Schema.String,
  /** Preview image template with `{width}x{height}`; see {@link LiveStream.thumbnail}. */
  thumbnailUrl: wire(Schema.String, "thumbnail_url"),
  /** Deprecated by Twitch: always `false`. */
  isMature: Schema.optionalWith(Schema.Boolean, { default: () => false }).pipe(Schema.fromKey("is_mature"))
}) {
  /** The preview image URL at a size. */
  thumbnail(width = 1280, height = 720): string {
    return fillSize(this.thumbnailUrl, width, height)
  }
}
