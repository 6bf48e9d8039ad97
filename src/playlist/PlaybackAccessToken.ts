/**
 * The playback access token Twitch's GQL `PlaybackAccessToken` operation returns for a live
 * channel or a VOD: an opaque `value` (itself a JSON document) and its `signature`, both passed
 * to usher. The `value` is decoded into {@link Details}: expiry, subscriber-only qualities,
 * geo-block hints.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { DecodeError } from "../TwitchError.js"

const optionalNullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(schema, { nullable: true, as: "Option" })

const Id = Schema.Union(Schema.String, Schema.Number).pipe(
  Schema.transform(Schema.String, { strict: true, decode: String, encode: (s) => s })
)

/**
 * What the token's `value` says, decoded from its JSON. Every field is optional because the
 * document is undocumented and differs between live and VOD tokens; unknown fields are ignored.
 * Wire names are kept where they are already camel-free; `restrictedBitrates` comes from
 * `chansub.restricted_bitrates`.
 *
 * @since 0.1.0
 * @category models
 */
export class Details extends Schema.Class<Details>("effect-twitcher/PlaybackAccessToken/Details")({
  channel: optionalNullable(Schema.String),
  channelId: optionalNullable(Id).pipe(Schema.fromKey("channel_id")),
  vodId: optionalNullable(Id).pipe(Schema.fromKey("vod_id")),
  userId: optionalNullable(Id).pipe(Schema.fromKey("user_id")),
  /** Unix seconds. */
  expires: optionalNullable(Schema.Number),
  chansub: optionalNullable(Schema.Struct({
    restricted_bitrates: Schema.optionalWith(Schema.Array(Schema.String), {
      nullable: true,
      default: () => []
    }),
    view_until: optionalNullable(Schema.Number)
  })),
  authorization: optionalNullable(Schema.Struct({
    forbidden: Schema.optionalWith(Schema.Boolean, { nullable: true, default: () => false }),
    reason: optionalNullable(Schema.String)
  })),
  geoblockReason: optionalNullable(Schema.String).pipe(Schema.fromKey("geoblock_reason")),
  privileged: optionalNullable(Schema.Boolean),
  subscriber: optionalNullable(Schema.Boolean),
  turbo: optionalNullable(Schema.Boolean),
  hideAds: optionalNullable(Schema.Boolean).pipe(Schema.fromKey("hide_ads")),
  playerType: optionalNullable(Schema.String).pipe(Schema.fromKey("player_type")),
  platform: optionalNullable(Schema.String)
}) {
  /**
   * Subscriber-only qualities (`chansub.restricted_bitrates`), e.g. `["1080p60"]` or `["chunked"]`.
   *
   * @since 0.1.0
   */
  get restrictedBitrates(): ReadonlyArray<string> {
    return Option.match(this.chansub, { onNone: () => [], onSome: (c) => c.restricted_bitrates })
  }

  /**
   * When the token expires.
   *
   * @since 0.1.0
   */
  get expiresAt(): Option.Option<Date> {
    return Option.map(this.expires, (seconds) => new Date(seconds * 1000))
  }

  /**
   * Whether Twitch says this viewer may not watch at all, and why (e.g. a geo-block reason).
   *
   * @since 0.1.0
   */
  get forbidden(): Option.Option<string> {
    return Option.flatMap(
      this.authorization,
      (a) => a.forbidden ? Option.some(Option.getOrElse(a.reason, () => "forbidden")) : Option.none()
    )
  }
}

/**
 * Decodes a token `value` (a JSON string) into {@link Details}.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeDetails = (value: string): Effect.Effect<Details, DecodeError> =>
  Schema.decodeUnknown(Schema.parseJson(Details))(value).pipe(
    Effect.mapError((error) =>
      new DecodeError({
        path: "value",
        detail: ParseResult.TreeFormatter.formatErrorSync(error)
      })
    )
  )

/**
 * A playback access token for a live channel (`kind: "live"`, `target` = login) or a VOD
 * (`kind: "vod"`, `target` = video id). `value` and `signature` go to usher as they are.
 *
 * @since 0.1.0
 * @category models
 */
export class PlaybackAccessToken
  extends Schema.Class<PlaybackAccessToken>("effect-twitcher/PlaybackAccessToken")({
    kind: Schema.Literal("live", "vod"),
    target: Schema.String,
    value: Schema.String,
    signature: Schema.String,
    details: Details
  })
{
  /**
   * When the token expires (`None` when the token does not say).
   *
   * @since 0.1.0
   */
  get expiresAt(): Option.Option<Date> {
    return this.details.expiresAt
  }

  /**
   * The subscriber-only qualities this viewer cannot play.
   *
   * @since 0.1.0
   */
  get restrictedQualities(): ReadonlyArray<string> {
    return this.details.restrictedBitrates
  }
}

/**
 * Builds a token from GQL's `value` and `signature`, decoding the details.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: {
  readonly kind: "live" | "vod"
  readonly target: string
  readonly value: string
  readonly signature: string
}): Effect.Effect<PlaybackAccessToken, DecodeError> =>
  Effect.map(decodeDetails(options.value), (details) => new PlaybackAccessToken({ ...options, details }))
