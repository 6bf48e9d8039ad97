/**
 * Every typed failure of the library, as one union of `Schema.TaggedError` classes with a guard.
 * Messages say what happened and what to do next; they never contain a token.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * The symbol every effect-twitcher error carries, used by {@link isTwitchError}.
 *
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("effect-twitcher/TwitchError")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * The request a failure belongs to: method and URL, never headers or secrets.
 *
 * @since 0.1.0
 * @category models
 */
export const RequestInfo = Schema.Struct({
  method: Schema.String,
  url: Schema.String
})

/**
 * The kinds of credentials a call can need: an app token (client credentials), a user token, or
 * an extension's signed JWT.
 *
 * @since 0.1.0
 * @category models
 */
export const TokenKind = Schema.Literal("app", "user", "extension-jwt")

/**
 * @since 0.1.0
 * @category models
 */
export type TokenKind = typeof TokenKind.Type

const kindText: Record<TokenKind, string> = {
  app: "an app token",
  user: "a user token",
  "extension-jwt": "an extension JWT"
}

const howToGet: Record<TokenKind, string> = {
  app: "an app token comes from the client credentials flow (Login.appToken)",
  user: "a user token comes from a login flow (or TWITCH_TOKEN)",
  "extension-jwt": "provide an ExtensionAuth layer with the extension's client id and secret"
}

/**
 * The call lacks authorization: no token, a token Twitch rejected (401), a token without a scope
 * the endpoint needs (`scope` names it), or a token of the wrong kind. `needs` names the kinds of
 * token the call accepts, when known (any one of them will do).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotAuthorized extends Schema.TaggedError<NotAuthorized>("effect-twitcher/NotAuthorized")(
  "NotAuthorized",
  {
    reason: Schema.Literal("NoToken", "InvalidToken", "MissingScope", "WrongTokenKind"),
    scope: Schema.optional(Schema.String),
    needs: Schema.optional(Schema.Array(TokenKind)),
    status: Schema.optional(Schema.Number),
    twitchMessage: Schema.optional(Schema.String),
    request: Schema.optional(RequestInfo)
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const needs = this.needs !== undefined && this.needs.length > 0 ? this.needs : undefined
    const wanted = needs?.map((kind) => kindText[kind]).join(" or ")
    switch (this.reason) {
      case "NoToken":
        return needs === undefined
          ? "No access token: provide one (TWITCH_TOKEN, a login flow, or an app token)."
          : `No credentials: this call needs ${wanted}; ${needs.map((kind) => howToGet[kind]).join(", or ")}.`
      case "MissingScope":
        return `The token lacks the scope "${this.scope}": log in again asking for it.`
      case "WrongTokenKind": {
        const kinds = needs ?? ["user"]
        const withScope = this.scope && kinds.includes("user") ? ` with "${this.scope}"` : ""
        // Tokens are app or user tokens: the one given is the other kind.
        const given = kinds.length === 1 && kinds[0] === "app"
          ? ", not a user token"
          : kinds.length === 1 && kinds[0] === "user"
          ? ", not an app token"
          : ""
        return `This call needs ${kinds.map((kind) => kindText[kind]).join(" or ")}${withScope}${given}: ${
          kinds.map((kind) => howToGet[kind]).join(", or ")
        }.`
      }
      case "InvalidToken":
        return `Twitch rejected the token${
          this.twitchMessage ? ` (${this.twitchMessage})` : ""
        }: log in again.`
    }
  }
}

/**
 * Twitch answered with an HTTP error status. `error` and `twitchMessage` are Twitch's own
 * `{error, message}` body fields when present.
 *
 * @since 0.1.0
 * @category errors
 */
export class HttpError extends Schema.TaggedError<HttpError>("effect-twitcher/HttpError")("HttpError", {
  status: Schema.Number,
  error: Schema.optional(Schema.String),
  twitchMessage: Schema.optional(Schema.String),
  request: RequestInfo
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const detail = [this.error, this.twitchMessage].filter(Boolean).join(": ")
    return `${this.request.method} ${this.request.url} failed with ${this.status}${
      detail ? ` (${detail})` : ""
    }`
  }
}

/**
 * A response did not match the expected shape. `path` names the offending field
 * (e.g. `data.0.viewer_count`), `detail` is the schema's explanation.
 *
 * @since 0.1.0
 * @category errors
 */
export class DecodeError
  extends Schema.TaggedError<DecodeError>("effect-twitcher/DecodeError")("DecodeError", {
    path: Schema.String,
    detail: Schema.String,
    request: Schema.optional(RequestInfo)
  })
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const where = this.request ? ` from ${this.request.method} ${this.request.url}` : ""
    return `Unexpected response${where} at "${this.path}": ${this.detail}`
  }
}

/**
 * The step of a request that failed without an answer: the host name did not resolve (`DNS`), no
 * connection could be opened (`Connect`), the TLS handshake failed (`TLS`), no answer came in
 * time (`Timeout`), the connection was closed or reset mid-request (`Reset`), or something else
 * (`Other`: an invalid URL, a body that could not be sent or read).
 *
 * @since 0.1.0
 * @category models
 */
export const TransportStep = Schema.Literal("DNS", "Connect", "TLS", "Timeout", "Reset", "Other")

/**
 * @since 0.1.0
 * @category models
 */
export type TransportStep = typeof TransportStep.Type

const stepText: Record<TransportStep, string> = {
  DNS: "the host name did not resolve (check the URL and the network's DNS)",
  Connect: "no connection could be opened (is the host up and the port open?)",
  TLS: "the TLS handshake failed (is it an HTTPS server, with a certificate we trust?)",
  Timeout: "no answer in time (the server or the network is slow; the call may be retried)",
  Reset: "the connection was closed before the answer was complete (the call may be retried)",
  Other: "the request failed"
}

/**
 * The request never got an answer. `step` names what failed (DNS, connect, TLS, timeout, reset)
 * and `code` the cause's code (`ENOTFOUND`, `ECONNREFUSED`, `ERR_SSL_WRONG_VERSION_NUMBER`...).
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>("effect-twitcher/TransportError")(
  "TransportError",
  {
    detail: Schema.String,
    step: Schema.optional(TransportStep),
    code: Schema.optional(Schema.String),
    request: Schema.optional(RequestInfo)
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const where = this.request ? `${this.request.method} ${this.request.url}: ` : ""
    const step = this.step === undefined ? "" : `${this.step}: ${stepText[this.step]}`
    const code = this.code === undefined ? "" : ` [${this.code}]`
    return step === "" ? `${where}${this.detail}${code}` : `${where}${step}${code}: ${this.detail}`
  }
}

/**
 * The channel (or VOD) has no playable stream: it is offline, does not exist, or the VOD is gone.
 *
 * @since 0.1.0
 * @category errors
 */
export class ChannelOffline extends Schema.TaggedError<ChannelOffline>("effect-twitcher/ChannelOffline")(
  "ChannelOffline",
  {
    /** The channel login, or the video id when `vod` is true. */
    channel: Schema.String,
    vod: Schema.optional(Schema.Boolean)
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return this.vod
      ? `VOD ${this.channel} does not exist or is not available.`
      : `${this.channel} is offline or does not exist.`
  }
}

/**
 * The content is not available in the viewer's region.
 *
 * @since 0.1.0
 * @category errors
 */
export class GeoBlocked extends Schema.TaggedError<GeoBlocked>("effect-twitcher/GeoBlocked")("GeoBlocked", {
  /** The channel login, or the video id when `vod` is true. */
  channel: Schema.String,
  reason: Schema.optional(Schema.String),
  vod: Schema.optional(Schema.Boolean)
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.channel} is not available in this region${this.reason ? ` (${this.reason})` : ""}.`
  }
}

/**
 * The requested quality is restricted (subscriber-only) for this viewer, or not offered at all.
 *
 * @since 0.1.0
 * @category errors
 */
export class QualityRestricted extends Schema.TaggedError<QualityRestricted>(
  "effect-twitcher/QualityRestricted"
)("QualityRestricted", {
  channel: Schema.String,
  quality: Schema.String,
  available: Schema.Array(Schema.String),
  /** `SubscriberOnly` (the default) or `Unavailable`: nothing at or below the quality is offered. */
  reason: Schema.optional(Schema.Literal("SubscriberOnly", "Unavailable"))
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const why = this.reason === "Unavailable"
      ? "is not offered (nor any lower one)"
      : "is restricted (subscriber-only)"
    return `Quality ${this.quality} of ${this.channel} ${why}; available: ${this.available.join(", ")}.`
  }
}

/**
 * A login flow ended without a token: the user denied access, the state did not match (CSRF),
 * the wait timed out, or the device code expired.
 *
 * @since 0.1.0
 * @category errors
 */
export class LoginFailed
  extends Schema.TaggedError<LoginFailed>("effect-twitcher/LoginFailed")("LoginFailed", {
    reason: Schema.Literal("Denied", "StateMismatch", "Timeout", "Expired", "Refused"),
    detail: Schema.optional(Schema.String)
  })
{
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const what = {
      Denied: "The user denied access",
      StateMismatch: "The login answer did not carry our state (possible CSRF); it was rejected",
      Timeout: "The login was not completed in time",
      Expired: "The device code expired before the user approved it",
      Refused: "Twitch refused the login"
    }[this.reason]
    return `${what}${this.detail ? `: ${this.detail}` : ""}.`
  }
}

/**
 * A chat operation failed: login refused by the server, a join that Twitch refused or did not
 * confirm, a message with forbidden characters, a closed connection, no connection could be opened
 * (`ConnectFailed`: `detail` says what failed and where: DNS, TLS, refused...), a send that found no
 * connection for the client's `offlineSendTimeout` (`NotConnected`: the message was not sent),
 * a send refused because its channel already had `sendQueueSize` messages waiting (`QueueFull`),
 * or something the client's way to Twitch cannot do (`Unsupported`: a `/me` action or a raw IRC
 * line over EventSub, `forSourceOnly` where Twitch does not take it); nothing was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class ChatError extends Schema.TaggedError<ChatError>("effect-twitcher/ChatError")("ChatError", {
  reason: Schema.Literal(
    "LoginFailed",
    "JoinFailed",
    "JoinTimeout",
    "InvalidText",
    "TooLong",
    "Closed",
    "Refused",
    "NotConnected",
    "QueueFull",
    "ConnectFailed",
    "Unsupported"
  ),
  channel: Schema.optional(Schema.String),
  noticeId: Schema.optional(Schema.String),
  detail: Schema.optional(Schema.String)
}) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const where = this.channel ? ` in #${this.channel}` : ""
    const id = this.noticeId ? ` [${this.noticeId}]` : ""
    return `Chat ${this.reason}${where}${id}${this.detail ? `: ${this.detail}` : ""}`
  }
}

/**
 * An EventSub subscription could not be kept: a Twitch limit was reached (`limit` names it:
 * `Connections`, 3 WebSockets with enabled subscriptions per user token; `Subscriptions`, 300 per
 * connection; `Cost`, the `max_total_cost`; `SameSubscription`, the same type and condition 3 times),
 * Twitch revoked it (`Revoked`, with Twitch's `status`), its condition does not fit the type
 * (`InvalidCondition`), the type cannot be delivered by the transport (`Unsupported`), or the
 * client was shut down (`Closed`).
 *
 * @since 0.1.0
 * @category errors
 */
export class EventSubError extends Schema.TaggedError<EventSubError>("effect-twitcher/EventSubError")(
  "EventSubError",
  {
    reason: Schema.Literal("LimitReached", "Revoked", "InvalidCondition", "Unsupported", "Closed"),
    /** The subscription type and version, `channel.follow@2`. */
    subscription: Schema.optional(Schema.String),
    limit: Schema.optional(Schema.Literal("Connections", "Subscriptions", "Cost", "SameSubscription")),
    /** Twitch's revocation status (`authorization_revoked`, `user_removed`, `version_removed`...). */
    status: Schema.optional(Schema.String),
    detail: Schema.optional(Schema.String)
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const what = this.subscription ? ` ${this.subscription}` : ""
    const detail = this.detail ? `: ${this.detail}` : ""
    switch (this.reason) {
      case "LimitReached": {
        const next = {
          Connections: "close another WebSocket of this user token, or delete its subscriptions",
          Subscriptions: "use another connection, or unsubscribe from some types",
          Cost: "subscribe with a token of the user the condition names (cost 0), or drop some",
          SameSubscription: "the same type and condition is already subscribed 3 times; reuse one"
        }[this.limit ?? "Subscriptions"]
        return `EventSub subscription${what} refused: the ${
          this.limit ?? ""
        } limit is reached (${next})${detail}.`
      }
      case "Revoked":
        return `Twitch revoked the EventSub subscription${what} (${this.status ?? "no status"})${detail}.`
      case "InvalidCondition":
        return `The condition of${what} does not fit the type${detail}.`
      case "Unsupported":
        return `EventSub${what} cannot be delivered this way${detail}.`
      case "Closed":
        return `The EventSub client was closed${detail}.`
    }
  }
}

/**
 * A shard of an EventSub conduit that Twitch will not take, whatever this process retries: the
 * conduit is not the client's (`ConduitNotFound`: deleted by a call, or after 72 h without an
 * enabled shard), the shard id is past its shard count (`ShardOutOfRange`: another process resized
 * it smaller), or Twitch refused the request itself (`Refused`, with its HTTP status).
 *
 * @since 0.1.0
 * @category errors
 */
export class ConduitError extends Schema.TaggedError<ConduitError>("effect-twitcher/ConduitError")(
  "ConduitError",
  {
    reason: Schema.Literal("ConduitNotFound", "ShardOutOfRange", "Refused"),
    conduitId: Schema.String,
    shardId: Schema.optional(Schema.String),
    /** The conduit's shard count when Twitch refused the shard. */
    shardCount: Schema.optional(Schema.Number),
    status: Schema.optional(Schema.Number),
    /** Twitch's message. */
    detail: Schema.optional(Schema.String)
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const shard = this.shardId === undefined ? "" : `shard ${this.shardId} of `
    const detail = this.detail ? ` (${this.detail})` : ""
    switch (this.reason) {
      case "ConduitNotFound":
        return `Twitch has no conduit ${this.conduitId} for this client${detail}: it was deleted, or ` +
          "had no enabled shard for 72 h; create one (Conduit.ensure) and start the shards on it."
      case "ShardOutOfRange":
        return `Twitch refused ${shard}conduit ${this.conduitId}: the conduit has ${
          this.shardCount ?? "fewer"
        } shards${detail}; resize it (Conduit.resize) or give this process shards inside it.`
      case "Refused":
        return `Twitch refused ${shard}conduit ${this.conduitId} with ${
          this.status ?? "an error"
        }${detail}: ` +
          "check the app token and the conduit id."
    }
  }
}

/**
 * Every error the library fails with.
 *
 * @since 0.1.0
 * @category models
 */
export type TwitchError =
  | NotAuthorized
  | HttpError
  | DecodeError
  | TransportError
  | ChannelOffline
  | GeoBlocked
  | QualityRestricted
  | LoginFailed
  | ChatError
  | EventSubError
  | ConduitError

/**
 * The errors of a Helix call.
 *
 * @since 0.1.0
 * @category models
 */
export type HelixError = NotAuthorized | HttpError | DecodeError | TransportError

/**
 * Whether a value is one of the library's errors.
 *
 * @since 0.1.0
 * @category guards
 */
export const isTwitchError = (u: unknown): u is TwitchError => Predicate.hasProperty(u, TypeId)
