/**
 * What EventSub delivers: a notification (one event of a subscription, with Twitch's message id,
 * time and subscription), a revocation (Twitch ended a subscription), and the WebSocket session.
 *
 * @since 0.1.0
 */
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { EventSubSubscription } from "../helix/generated/models.js"
import { wire } from "../helix/internal/wire.js"
import type * as Definition from "./Definition.js"
import type * as Types from "./generated/Types.js"

/**
 * One event of a subscription of type `D`, delivered once (copies Twitch resends are dropped).
 *
 * @since 0.1.0
 * @category models
 */
export interface Notification<D extends Definition.Any> {
  readonly _tag: "Notification"
  readonly type: D["type"]
  readonly version: D["version"]
  readonly event: Definition.Event<D>
  /** Twitch's message id (the same on a resend). */
  readonly messageId: string
  /** When Twitch sent the message. */
  readonly timestamp: Date
  readonly subscriptionId: string
  /** The subscription as Twitch sent it with the message (`None` if it did not fit its shape). */
  readonly subscription: Option.Option<EventSubSubscription>
}

/**
 * A notification of any definition in `D` (distributes over a union of definitions).
 *
 * @since 0.1.0
 * @category models
 */
export type Of<D> = D extends Definition.Any ? Notification<D> : never

/**
 * A notification of any of Twitch's types: narrow it with `type` (and `version`).
 *
 * @since 0.1.0
 * @category models
 */
export type AnyNotification = Of<Types.AnyDefinition>

/**
 * Twitch ended a subscription: the user revoked the authorization (`authorization_revoked`), was
 * removed or banned (`user_removed`), the version was removed (`version_removed`), or a webhook
 * failed too often (`notification_failures_exceeded`). It is not recreated.
 *
 * @since 0.1.0
 * @category models
 */
export interface Revocation {
  readonly _tag: "Revocation"
  readonly type: string
  readonly version: string
  /** Twitch's reason, the subscription's status. */
  readonly status: string
  readonly messageId: string
  readonly timestamp: Date
  readonly subscriptionId: string
  readonly subscription: Option.Option<EventSubSubscription>
}

/**
 * What the stream of everything carries.
 *
 * @since 0.1.0
 * @category models
 */
export type Delivered = AnyNotification | Revocation

/**
 * A WebSocket session, from `session_welcome` or `session_reconnect`.
 *
 * @since 0.1.0
 * @category models
 */
export class Session extends Schema.Class<Session>("effect-twitcher/eventsub/Session")({
  id: Schema.String,
  /** `connected` in a welcome, `reconnecting` in a reconnect message. */
  status: Schema.String,
  /** `None` in a reconnect message. */
  keepaliveTimeoutSeconds: Schema.optionalWith(Schema.Int, { as: "Option", nullable: true }).pipe(
    Schema.fromKey("keepalive_timeout_seconds")
  ),
  /** Where to connect after a `session_reconnect` (`None` in a welcome). */
  reconnectUrl: Schema.optionalWith(Schema.String, { as: "Option", nullable: true }).pipe(
    Schema.fromKey("reconnect_url")
  ),
  connectedAt: wire(Schema.Date, "connected_at")
}) {}
