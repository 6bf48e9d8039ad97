/**
 * EventSub: every Twitch event as a typed `Stream`, over Twitch's WebSocket or webhooks.
 *
 * @since 0.1.0
 */

/**
 * Conduits on Twitch: list, create, resize, delete, shards.
 *
 * @since 0.1.0
 */
export * as Conduit from "./conduit/Conduit.js"

/**
 * The conduit shards' metrics.
 *
 * @since 0.1.0
 */
export * as ConduitMetrics from "./conduit/ConduitMetrics.js"

/**
 * This process's shards of a conduit, with the EventSub streams.
 *
 * @since 0.1.0
 */
export * as ConduitShard from "./conduit/ConduitShard.js"

/**
 * Subscribing many channels to a conduit within the rate limits.
 *
 * @since 0.1.0
 */
export * as ConduitSubscriptions from "./conduit/ConduitSubscriptions.js"

/**
 * What happens to a process's shards.
 *
 * @since 0.1.0
 */
export * as ShardEvent from "./conduit/ShardEvent.js"

/**
 * Which shards a process runs (process i of n, or a list).
 *
 * @since 0.1.0
 */
export * as ShardOwnership from "./conduit/ShardOwnership.js"

/**
 * Close codes of the WebSocket as typed reasons.
 *
 * @since 0.1.0
 */
export * as CloseCode from "./CloseCode.js"

/**
 * What a subscription type is: name, version, condition and event schemas, scopes.
 *
 * @since 0.1.0
 */
export * as Definition from "./Definition.js"

/**
 * What both transports offer: streams, events, stats, buffers, metrics.
 *
 * @since 0.1.0
 */
export * as EventSub from "./EventSub.js"

/**
 * EventSub events and conditions as Schemas (generated).
 *
 * @since 0.1.0
 */
export * as Events from "./generated/events.js"

/**
 * The WebSocket client.
 *
 * @since 0.1.0
 */
export * as EventSubWebSocket from "./EventSubWebSocket.js"

/**
 * The webhook receiver.
 *
 * @since 0.1.0
 */
export * as EventSubWebhook from "./EventSubWebhook.js"

/**
 * Notifications, revocations and the WebSocket session.
 *
 * @since 0.1.0
 */
export * as Notification from "./Notification.js"

/**
 * Listing and deleting subscriptions on Twitch.
 *
 * @since 0.1.0
 */
export * as Subscriptions from "./Subscriptions.js"

/**
 * Every subscription type and version as a definition (generated): `Types.channelFollowV2`...
 *
 * @since 0.1.0
 */
export * as Types from "./generated/Types.js"
