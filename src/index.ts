/**
 * effect-twitcher: Twitch on Effect. Each area is a namespace; each also has its own entry point
 * (`effect-twitcher/helix`, `/auth`, `/chat`, `/eventsub`, `/playlist`, `/testing`).
 *
 * @since 0.1.0
 */
export * as Auth from "./auth/index.js"
export * as Chat from "./chat/index.js"
export * as EventSub from "./eventsub/index.js"
export * as Helix from "./helix/index.js"
export * as Playlist from "./playlist/index.js"
export * as TwitchConfig from "./TwitchConfig.js"
export * as TwitchError from "./TwitchError.js"
