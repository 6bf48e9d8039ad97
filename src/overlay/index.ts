/**
 * A chat overlay: a page on 127.0.0.1 showing a channel's live chat with every badge and emote.
 *
 * @since 0.1.0
 */

/**
 * The overlay server.
 *
 * @since 0.1.0
 */
export * as OverlayServer from "./OverlayServer.js"

/**
 * The events the page receives.
 *
 * @since 0.1.0
 */
export * as OverlayEvent from "./OverlayEvent.js"
