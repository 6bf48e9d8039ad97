/**
 * The failure of a third-party emote service (BTTV, FFZ, 7TV): which provider, what went wrong
 * (no answer, an error status, a body that is not what the service documents) and where. A
 * channel the provider does not know (404) is not a failure: it has no emotes there.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * A provider could not be read.
 *
 * @since 0.1.0
 * @category errors
 */
export class EmoteProviderError extends Schema.TaggedError<EmoteProviderError>(
  "effect-twitcher/EmoteProviderError"
)("EmoteProviderError", {
  provider: Schema.Literal("bttv", "ffz", "7tv"),
  reason: Schema.Literal("Transport", "Status", "Decode"),
  /** The URL asked (these services take no secrets). */
  url: Schema.String,
  status: Schema.optional(Schema.Number),
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    const name = this.provider === "bttv" ? "BTTV" : this.provider === "ffz" ? "FFZ" : "7TV"
    switch (this.reason) {
      case "Transport":
        return `${name} did not answer (${this.detail}): check the network or the ${name} base URL; messages render without its emotes meanwhile.`
      case "Status":
        return `${name} answered ${this.status} to ${this.url} (${this.detail}); its emotes are left out until a later refresh works.`
      case "Decode":
        return `${name}'s answer to ${this.url} is not shaped as expected (${this.detail}): the service may have changed its API.`
    }
  }
}

/**
 * Whether a value is an {@link EmoteProviderError}.
 *
 * @since 0.1.0
 * @category guards
 */
export const isEmoteProviderError = (u: unknown): u is EmoteProviderError =>
  Predicate.isTagged(u, "EmoteProviderError")
