/**
 * The extension JWT that Helix's extension endpoints (configuration segments, required
 * configuration, PubSub messages, extension chat messages, secrets, Get Extensions) take instead of
 * an OAuth token. Provide one of these layers next to `Helix.layer()`: without it those operations
 * fail with `NotAuthorized` ("NoToken") before any request.
 *
 * - {@link layerSigned}: signs a fresh HS256 JWT per call with the extension's secret (from the
 *   developer console, base64), as Twitch's EBS guide describes: `role: "external"`, the owner's
 *   `user_id`, a short `exp`; for PubSub messages also `channel_id` and `pubsub_perms`.
 * - {@link layerStatic}: a JWT you made yourself.
 *
 * The JWT and the secret are `Redacted`: never logged, never in errors.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Crypto from "node:crypto"

/**
 * What an extension-JWT call asks for: its operation and wire parameters (to fill claims).
 *
 * @since 0.1.0
 * @category models
 */
export interface JwtRequest {
  readonly operation: string
  readonly params: Readonly<Record<string, unknown>>
}

/**
 * The extension auth service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class ExtensionAuth
  extends Context.Tag("effect-twitcher/ExtensionAuth")<ExtensionAuth, ExtensionAuth.Service>()
{}

/**
 * @since 0.1.0
 */
export declare namespace ExtensionAuth {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The extension's client id, sent as `Client-Id` on its calls. */
    readonly clientId: string
    /** The JWT for one call. */
    readonly jwt: (request: JwtRequest) => Effect.Effect<Redacted.Redacted<string>>
  }
}

const base64url = (data: string | Buffer): string => Buffer.from(data).toString("base64url")

/**
 * An HS256 JWT of `claims` signed with the base64 `secret` Twitch shows for the extension.
 *
 * @since 0.1.0
 * @category signing
 */
export const sign = (
  claims: Readonly<Record<string, unknown>>,
  secret: Redacted.Redacted<string>
): Redacted.Redacted<string> => {
  const head = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${
    base64url(JSON.stringify(claims))
  }`
  const signature = Crypto.createHmac("sha256", Buffer.from(Redacted.value(secret), "base64")).update(head)
    .digest()
  return Redacted.make(`${head}.${base64url(signature)}`)
}

/**
 * The claims Twitch wants for an EBS call: `exp`, `user_id` (the extension owner), `role:
 * "external"`; for Send Extension PubSub Message also `channel_id` (the broadcaster, or `all` for a
 * global broadcast) and `pubsub_perms.send` with the target.
 *
 * @since 0.1.0
 * @category signing
 */
export const claimsFor = (
  request: JwtRequest,
  ownerId: string,
  expiresAt: number
): Record<string, unknown> => {
  const claims: Record<string, unknown> = {
    exp: Math.floor(expiresAt / 1000),
    user_id: ownerId,
    role: "external"
  }
  if (request.operation === "send-extension-pubsub-message") {
    const global = request.params["is_global_broadcast"] === true
    const channel = request.params["broadcaster_id"]
    claims["channel_id"] = global ? "all" : typeof channel === "string" ? channel : "all"
    const target = request.params["target"]
    claims["pubsub_perms"] = { send: Array.isArray(target) ? target : ["broadcast"] }
  }
  return claims
}

/**
 * Signs a JWT per call (valid for `ttl`, default 3 minutes) with the extension's secret.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerSigned = (options: {
  readonly clientId: string
  readonly secret: Redacted.Redacted<string>
  /** The user id of the extension's owner. */
  readonly ownerId: string
  readonly ttl?: Duration.DurationInput
}): Layer.Layer<ExtensionAuth> =>
  Layer.succeed(
    ExtensionAuth,
    ExtensionAuth.of({
      clientId: options.clientId,
      jwt: (request) =>
        Effect.map(
          Clock.currentTimeMillis,
          (now) =>
            sign(
              claimsFor(
                request,
                options.ownerId,
                now + Duration.toMillis(options.ttl ?? Duration.minutes(3))
              ),
              options.secret
            )
        )
    })
  )

/**
 * A fixed JWT (you sign and renew it).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStatic = (options: {
  readonly clientId: string
  readonly jwt: Redacted.Redacted<string>
}): Layer.Layer<ExtensionAuth> =>
  Layer.succeed(
    ExtensionAuth,
    ExtensionAuth.of({ clientId: options.clientId, jwt: () => Effect.succeed(options.jwt) })
  )
