/**
 * What every third-party emote service (BTTV, FFZ, 7TV) offers: its global emotes and a channel's
 * own emotes (by the channel's Twitch user id), each kept for the config's `ttl` and asked once
 * however many callers wait for it (single flight), and a refresh that asks again now. A channel
 * the provider does not know has no emotes (not a failure).
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type { EmoteProviderError } from "./EmoteProviderError.js"
import type { Provider, ThirdPartyEmote } from "./ThirdPartyEmote.js"

/**
 * One provider's service.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmoteProvider {
  readonly provider: Provider
  /** Every global emote of the provider. */
  readonly global: Effect.Effect<ReadonlyArray<ThirdPartyEmote>, EmoteProviderError>
  /** The emotes of a channel (its Twitch user id); empty when the provider does not know it. */
  readonly channel: (
    twitchUserId: string
  ) => Effect.Effect<ReadonlyArray<ThirdPartyEmote>, EmoteProviderError>
  /** Forgets the kept answers (of one channel, or all), so the next read asks the provider. */
  readonly refresh: (twitchUserId?: string) => Effect.Effect<void>
}
