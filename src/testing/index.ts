/**
 * The mock Twitch for tests and offline use: the seeded world, the HTTP surfaces (Helix, OAuth,
 * GQL/usher, emote CDN), the IRC server and the scoped `MockTwitch` layer; plus in-memory Helix
 * layers for tests that need no server.
 *
 * @since 0.1.0
 */
export * as Environment from "./Environment.js"
export * as HelixMemory from "./HelixMemory.js"
export * as MockControl from "./mock/Control.js"
export * as MockHttpServer from "./mock/HttpServer.js"
export * as MockIrcServer from "./mock/IrcServer.js"
export * as MockWorld from "./mock/World.js"
export * as MockEmotes from "./MockEmotes.js"
export * as MockTwitch from "./MockTwitch.js"
