/**
 * The close codes Twitch's EventSub WebSocket ends a connection with (4000-4007), as typed
 * reasons. After any of them Twitch has disabled the session's subscriptions; the client connects
 * again and creates them anew.
 *
 * @since 0.1.0
 */

/**
 * Why Twitch closed the connection.
 *
 * @since 0.1.0
 * @category models
 */
export type CloseReason =
  /** 4000: Twitch's side failed. */
  | "InternalServerError"
  /** 4001: the client sent something other than a pong. */
  | "SentInboundTraffic"
  /** 4002: the client did not answer a ping. */
  | "FailedPingPong"
  /** 4003: no subscription was created within the keepalive timeout of the welcome (10 s by default). */
  | "ConnectionUnused"
  /** 4004: the old connection was not left within 30 s of `session_reconnect`. */
  | "ReconnectGraceTimeExpired"
  /** 4005: a transient network timeout. */
  | "NetworkTimeout"
  /** 4006: a transient network error. */
  | "NetworkError"
  /** 4007: the reconnect URL was not valid. */
  | "InvalidReconnect"
  /** Any other close code. */
  | "Other"

const byCode: Readonly<Record<number, CloseReason>> = {
  4000: "InternalServerError",
  4001: "SentInboundTraffic",
  4002: "FailedPingPong",
  4003: "ConnectionUnused",
  4004: "ReconnectGraceTimeExpired",
  4005: "NetworkTimeout",
  4006: "NetworkError",
  4007: "InvalidReconnect"
}

/**
 * The reason of a close code.
 *
 * @since 0.1.0
 * @category constructors
 */
export const reasonOf = (code: number): CloseReason => byCode[code] ?? "Other"

/**
 * The subscription status Twitch reports for subscriptions of a session closed with this reason
 * (what `Get EventSub Subscriptions` then shows), when there is one.
 *
 * @since 0.1.0
 * @category models
 */
export const statusOf = (reason: CloseReason): string | undefined =>
  ({
    InternalServerError: "websocket_internal_error",
    SentInboundTraffic: "websocket_received_inbound_traffic",
    FailedPingPong: "websocket_failed_ping_pong",
    ConnectionUnused: "websocket_connection_unused",
    ReconnectGraceTimeExpired: "websocket_failed_to_reconnect",
    NetworkTimeout: "websocket_network_timeout",
    NetworkError: "websocket_network_error",
    InvalidReconnect: "websocket_failed_to_reconnect",
    Other: undefined
  })[reason]
