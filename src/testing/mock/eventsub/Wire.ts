/**
 * EventSub's wire shapes: the WebSocket envelopes (`{metadata, payload}` of `session_welcome`,
 * `session_keepalive`, `session_reconnect`, `notification`, `revocation`) and the webhook bodies
 * and headers (`Twitch-Eventsub-Message-*`, the `sha256=` HMAC signature over id + timestamp +
 * body). Pure functions of the values they frame.
 *
 * @since 0.1.0
 */
import * as Crypto from "node:crypto"
import * as Facts from "./Facts.js"
import type { Outbound, Subscription } from "./State.js"

/**
 * The session object of `session_welcome` and `session_reconnect`.
 *
 * @since 0.1.0
 * @category models
 */
export interface SessionFields {
  readonly id: string
  readonly connectedAt: string
  readonly keepaliveSeconds: number
}

const envelope = (
  messageId: string,
  type: string,
  timestamp: string,
  payload: unknown,
  subscription?: Subscription
): string =>
  JSON.stringify({
    metadata: {
      message_id: messageId,
      message_type: type,
      message_timestamp: timestamp,
      ...(subscription === undefined ? {} : {
        subscription_type: subscription.type,
        subscription_version: subscription.version
      })
    },
    payload
  })

/**
 * `session_welcome`: the session id, `connected`, its keepalive timeout.
 *
 * @since 0.1.0
 * @category websocket
 */
export const welcome = (messageId: string, timestamp: string, session: SessionFields): string =>
  envelope(messageId, "session_welcome", timestamp, {
    session: {
      id: session.id,
      status: "connected",
      connected_at: session.connectedAt,
      keepalive_timeout_seconds: session.keepaliveSeconds,
      reconnect_url: null,
      recovery_url: null
    }
  })

/**
 * `session_keepalive` (empty payload).
 *
 * @since 0.1.0
 * @category websocket
 */
export const keepalive = (messageId: string, timestamp: string): string =>
  envelope(messageId, "session_keepalive", timestamp, {})

/**
 * `session_reconnect`: `reconnecting`, no keepalive, the URL to connect to.
 *
 * @since 0.1.0
 * @category websocket
 */
export const reconnect = (
  messageId: string,
  timestamp: string,
  session: SessionFields,
  reconnectUrl: string
): string =>
  envelope(messageId, "session_reconnect", timestamp, {
    session: {
      id: session.id,
      status: "reconnecting",
      connected_at: session.connectedAt,
      keepalive_timeout_seconds: null,
      reconnect_url: reconnectUrl,
      recovery_url: null
    }
  })

/**
 * The subscription object inside a notification or revocation (transport without secret).
 *
 * @since 0.1.0
 * @category wire
 */
export const subscriptionObject = (
  sub: Subscription,
  status: string = sub.status
): Record<string, unknown> => {
  const t = sub.transport
  const transport = t.method === "websocket"
    ? { method: t.method, session_id: t.sessionId }
    : t.method === "webhook"
    ? { method: t.method, callback: t.callback }
    : { method: t.method, conduit_id: t.conduitId }
  return {
    id: sub.id,
    status,
    type: sub.type,
    version: sub.version,
    cost: sub.cost,
    condition: sub.condition,
    transport,
    created_at: sub.createdAt
  }
}

/**
 * The payload of a notification or revocation: `{subscription, event}` (`{subscription, events}`
 * for batched types), or `{subscription}` with the revocation's status.
 *
 * @since 0.1.0
 * @category wire
 */
export const payload = (sub: Subscription, outbound: Outbound): Record<string, unknown> => {
  if (outbound._tag === "Revocation") return { subscription: subscriptionObject(sub) }
  const spec = Facts.find(sub.type, sub.version)
  const subscription = subscriptionObject(sub, "enabled")
  return spec?.batched === true
    ? { subscription, [spec.payloadKey ?? "events"]: [outbound.event] }
    : { subscription, event: outbound.event }
}

/**
 * A notification or revocation as a WebSocket message.
 *
 * @since 0.1.0
 * @category websocket
 */
export const message = (sub: Subscription, outbound: Outbound): string =>
  envelope(
    outbound.messageId,
    outbound._tag === "Revocation" ? "revocation" : "notification",
    outbound.timestamp,
    payload(sub, outbound),
    sub
  )

/**
 * The webhook signature header value: `sha256=` and the lowercase hex HMAC-SHA256 of id +
 * timestamp + body under the subscription's secret.
 *
 * @since 0.1.0
 * @category webhook
 */
export const signature = (secret: string, messageId: string, timestamp: string, body: string): string =>
  "sha256=" + Crypto.createHmac("sha256", secret).update(messageId + timestamp + body).digest("hex")

/**
 * The headers of a webhook request.
 *
 * @since 0.1.0
 * @category webhook
 */
export const webhookHeaders = (options: {
  readonly messageId: string
  readonly timestamp: string
  readonly type: "notification" | "webhook_callback_verification" | "revocation"
  readonly retry: number
  readonly secret: string
  readonly body: string
  /** The subscription of a notification or revocation (none for a shard's challenge). */
  readonly subscription: Subscription | undefined
}): Record<string, string> => ({
  "content-type": "application/json",
  "twitch-eventsub-message-id": options.messageId,
  "twitch-eventsub-message-retry": String(options.retry),
  "twitch-eventsub-message-type": options.type,
  "twitch-eventsub-message-signature": signature(
    options.secret,
    options.messageId,
    options.timestamp,
    options.body
  ),
  "twitch-eventsub-message-timestamp": options.timestamp,
  ...(options.subscription === undefined ? {} : {
    "twitch-eventsub-subscription-type": options.subscription.type,
    "twitch-eventsub-subscription-version": options.subscription.version
  })
})
