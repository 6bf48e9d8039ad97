/**
 * The third-party emotes of the mock world (BTTV, FFZ and 7TV, global and per channel) and their
 * slice. The mock serves them in each provider's own API shape (`http/ThirdParty.ts`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * One emote of a provider: `ownerId` is `"0"` for a global emote, else the Twitch user id of the
 * channel that added it. A channel with no emote at a provider is unknown there (404).
 *
 * @since 0.1.0
 * @category models
 */
export const ThirdPartyEmote = Schema.Struct({
  provider: Schema.Literal("bttv", "ffz", "7tv"),
  /** BTTV and 7TV: 24 hex digits; FFZ: a number. */
  id: Schema.String,
  name: Schema.String,
  ownerId: Schema.String,
  animated: Schema.Boolean,
  /** 7TV's zero-width flag (BTTV's overlay emotes are known by name). */
  zeroWidth: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type ThirdPartyEmote = typeof ThirdPartyEmote.Type

/**
 * The third-party emotes' slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const ThirdPartyFields = {
  thirdPartyEmotes: Schema.Array(ThirdPartyEmote)
}
