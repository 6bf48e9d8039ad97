/**
 * The mock Twitch for tests and offline use: the seeded world, the HTTP surfaces (Helix, OAuth,
 * GQL/usher, emote CDN) and the scoped `MockTwitch` layer.
 *
 * @since 0.1.0
 */
export * as MockWorld from "./mock/World.js"
