/**
 * What chat looks like: Twitch badges, emotes and cheermotes from Helix, BTTV, FFZ and 7TV emotes,
 * and the resolver that turns a received message into fragments and badge pictures.
 *
 * @since 0.1.0
 */

/**
 * Picture scale and theme.
 *
 * @since 0.1.0
 */
export * as Picture from "./Picture.js"

/**
 * The message shape the resolver reads, with the IRC adapters.
 *
 * @since 0.1.0
 */
export * as ChatInput from "./ChatInput.js"

/**
 * The input from an EventSub `channel.chat.message` event.
 *
 * @since 0.1.0
 */
export * as EventSubInput from "./EventSubInput.js"

/**
 * Fragments, badges and resolved messages.
 *
 * @since 0.1.0
 */
export * as Fragment from "./Fragment.js"

/**
 * The resolver service and the pure resolution.
 *
 * @since 0.1.0
 */
export * as MessageResolver from "./MessageResolver.js"

/**
 * Twitch's badges, emotes, emote sets and cheermotes from Helix, kept per channel.
 *
 * @since 0.1.0
 */
export * as TwitchAssets from "./TwitchAssets.js"

/**
 * A third-party emote, whatever its provider.
 *
 * @since 0.1.0
 */
export * as ThirdPartyEmote from "./ThirdPartyEmote.js"

/**
 * Every third-party provider switched on, as one table by name.
 *
 * @since 0.1.0
 */
export * as ThirdPartyEmotes from "./ThirdPartyEmotes.js"

/**
 * The service every provider offers.
 *
 * @since 0.1.0
 */
export * as EmoteProvider from "./EmoteProvider.js"

/**
 * The failure of a provider.
 *
 * @since 0.1.0
 */
export * as EmoteProviderError from "./EmoteProviderError.js"

/**
 * Provider base URLs, switches and lifetimes.
 *
 * @since 0.1.0
 */
export * as EmotesConfig from "./EmotesConfig.js"

/**
 * BetterTTV.
 *
 * @since 0.1.0
 */
export * as Bttv from "./Bttv.js"

/**
 * FrankerFaceZ.
 *
 * @since 0.1.0
 */
export * as Ffz from "./Ffz.js"

/**
 * 7TV.
 *
 * @since 0.1.0
 */
export * as SevenTv from "./SevenTv.js"
