/**
 * Helix: the query half of Twitch (games, channels, streams, users, followed streams), one service
 * per area over one transport.
 *
 * @since 0.1.0
 */
export * as Channel from "./Channel.js"
export * as Channels from "./Channels.js"
export * as Game from "./Game.js"
export * as Games from "./Games.js"
export * as Helix from "./Helix.js"
export * as HelixClient from "./HelixClient.js"
export * as HelixRateLimit from "./HelixRateLimit.js"
export * as Paging from "./Paging.js"
export * as Stream from "./Stream.js"
export * as Streams from "./Streams.js"
export * as User from "./User.js"
export * as Users from "./Users.js"
