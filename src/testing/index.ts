/**
 * The mock Twitch for tests and offline use: the seeded world, the HTTP surfaces (Helix, OAuth,
 * GQL/usher, emote CDN), the IRC server and the scoped `MockTwitch` layer.
 *
 * @since 0.1.0
 */
export * as MockControl from "./mock/Control.js"
export * as MockHttpServer from "./mock/HttpServer.js"
export * as MockWorld from "./mock/World.js"
export * as MockTwitch from "./MockTwitch.js"
