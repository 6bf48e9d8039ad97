/**
 * The id.twitch.tv OAuth endpoints, one Effect each: authorize URL, token (client credentials,
 * authorization code, refresh, device code), device, validate and revoke. Tokens travel in form
 * bodies or headers, never in URLs, and never appear in errors.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { TwitchConfig } from "../TwitchConfig.js"
import type { DecodeError, HttpError, TransportError } from "../TwitchError.js"
import { LoginFailed, NotAuthorized } from "../TwitchError.js"
import * as AccessToken from "./AccessToken.js"
import * as Http from "./internal/http.js"

/** A field Twitch leaves out, sends as `null`, or as `""` (app tokens): `None` in all three cases. */
const OptionalName = Schema.optionalWith(
  Schema.transform(Schema.NullOr(Schema.String), Schema.OptionFromSelf(Schema.String), {
    strict: true,
    decode: (s) => (s === null || s.trim() === "" ? Option.none() : Option.some(s)),
    encode: Option.getOrNull
  }),
  { default: () => Option.none() }
)

/**
 * What `/oauth2/validate` says about a token. App tokens have no `login`/`userId` (`None`).
 *
 * @since 0.1.0
 * @category models
 */
export class Validation extends Schema.Class<Validation>("effect-twitcher/auth/Validation")({
  clientId: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("client_id")),
  login: OptionalName,
  userId: OptionalName.pipe(Schema.fromKey("user_id")),
  /** The token's scopes; `[]` when Twitch sends none (or `null`, as it does for app tokens). */
  scopes: Schema.optionalWith(Schema.Array(Schema.String), { nullable: true, default: () => [] }),
  expiresIn: Schema.propertySignature(Schema.Number).pipe(Schema.fromKey("expires_in"))
}) {}

/**
 * A successful `/oauth2/token` answer. `scope` is normalized to a list (Twitch sends an array;
 * some servers send a space-separated string).
 *
 * @since 0.1.0
 * @category models
 */
export class TokenResponse extends Schema.Class<TokenResponse>("effect-twitcher/auth/TokenResponse")({
  accessToken: Schema.propertySignature(Schema.Redacted(Schema.String)).pipe(Schema.fromKey("access_token")),
  refreshToken: Schema.optional(Schema.Redacted(Schema.String)).pipe(Schema.fromKey("refresh_token")),
  expiresIn: Schema.optional(Schema.Number).pipe(Schema.fromKey("expires_in")),
  scope: Schema.optional(
    Schema.Union(
      Schema.Array(Schema.String),
      Schema.transform(Schema.String, Schema.Array(Schema.String), {
        strict: true,
        decode: (s) => s.split(" ").filter((x) => x.length > 0),
        encode: (a) => a.join(" ")
      })
    )
  ),
  tokenType: Schema.optional(Schema.String).pipe(Schema.fromKey("token_type"))
}) {}

/**
 * The start of a device code login: show `userCode` and `verificationUri` to the user, then poll.
 *
 * @since 0.1.0
 * @category models
 */
export class DeviceCode extends Schema.Class<DeviceCode>("effect-twitcher/auth/DeviceCode")({
  deviceCode: Schema.propertySignature(Schema.Redacted(Schema.String)).pipe(Schema.fromKey("device_code")),
  userCode: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("user_code")),
  verificationUri: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("verification_uri")),
  expiresIn: Schema.propertySignature(Schema.Number).pipe(Schema.fromKey("expires_in")),
  interval: Schema.Number
}) {}

/**
 * Options of {@link authorizeUrl}.
 *
 * @since 0.1.0
 * @category models
 */
export interface AuthorizeOptions {
  readonly clientId: string
  readonly redirectUri: string
  /** `token` for the implicit grant, `code` for the authorization code grant. */
  readonly responseType: "token" | "code"
  readonly scopes: ReadonlyArray<string>
  readonly state: string
  /** Force the consent screen even when the user already authorized the app. */
  readonly forceVerify?: boolean
}

/**
 * The URL of Twitch's authorize page for a login (`<idUrl>/oauth2/authorize?...`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const authorizeUrl = (idUrl: string, options: AuthorizeOptions): string => {
  const params = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    response_type: options.responseType,
    scope: options.scopes.join(" "),
    state: options.state,
    force_verify: options.forceVerify === true ? "true" : "false"
  })
  return `${idUrl.replace(/\/+$/, "")}/oauth2/authorize?${params.toString()}`
}

/**
 * The query parameters that carry a secret or a one-time proof of a login (tokens, codes, `state`,
 * client secrets, playback signatures): their values never go into spans or log lines.
 *
 * @since 0.1.0
 * @category redaction
 */
export const secretParameters: ReadonlySet<string> = new Set([
  "access_token",
  "refresh_token",
  "id_token",
  "token",
  "code",
  "state",
  "device_code",
  "client_secret",
  "sig"
])

/**
 * A query string (with or without `?`) with the values of {@link secretParameters} replaced by
 * `REDACTED`, for span attributes and logs: `code=abc&scope=chat%3Aread` becomes
 * `code=REDACTED&scope=chat%3Aread`.
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactQuery = (query: string): string => {
  const params = new URLSearchParams(query)
  for (const key of new Set(params.keys())) {
    if (secretParameters.has(key.toLowerCase())) params.set(key, "REDACTED")
  }
  return params.toString()
}

/**
 * The auth metrics (Effect `Metric`s): token validations and those Twitch refused (401: the token
 * is no longer valid), refresh grants and those that failed (refused or not answered).
 *
 * @since 0.1.0
 * @category metrics
 */
export const metrics = {
  validations: Metric.counter("effect_twitcher_auth_validations", { incremental: true }),
  validationFailures: Metric.counter("effect_twitcher_auth_validation_failures", { incremental: true }),
  refreshes: Metric.counter("effect_twitcher_auth_refreshes", { incremental: true }),
  refreshFailures: Metric.counter("effect_twitcher_auth_refresh_failures", { incremental: true })
}

/**
 * The errors of an id.twitch.tv call.
 *
 * @since 0.1.0
 * @category models
 */
export type OAuthError = HttpError | DecodeError | TransportError

const idUrl = (path: string) => Effect.map(TwitchConfig, (config) => `${config.idUrl}/oauth2/${path}`)

/**
 * Validates a token (`GET /oauth2/validate`, `Authorization: OAuth <token>`). A token Twitch
 * rejects fails with `NotAuthorized` ("InvalidToken").
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (
  token: Redacted.Redacted<string>
): Effect.Effect<Validation, NotAuthorized | OAuthError, HttpClient.HttpClient | TwitchConfig> =>
  Effect.gen(function*() {
    const url = yield* idUrl("validate")
    const request = HttpClientRequest.get(url).pipe(
      HttpClientRequest.setHeader("Authorization", `OAuth ${Redacted.value(token)}`),
      HttpClientRequest.acceptJson
    )
    const answer = yield* Http.execute(request)
    if (answer.status === 401) {
      const body = Http.errorBody(answer.text)
      return yield* new NotAuthorized({
        reason: "InvalidToken",
        status: 401,
        ...(body.message !== undefined ? { twitchMessage: body.message } : {}),
        request: answer.info()
      })
    }
    if (answer.status !== 200) return yield* Http.httpError(answer)
    return yield* Http.decodeJson(Validation, answer)
  }).pipe(
    Effect.tap((validation) =>
      Effect.annotateCurrentSpan({
        "twitch.auth.token_kind": Option.isSome(validation.userId) ? "user" : "app",
        "twitch.auth.expires_in": validation.expiresIn
      })
    ),
    Effect.tapError((error) =>
      error._tag === "NotAuthorized" ? Metric.increment(metrics.validationFailures) : Effect.void
    ),
    Effect.ensuring(Metric.increment(metrics.validations)),
    Effect.withSpan("OAuth.validate")
  )

/**
 * Revokes a token (`POST /oauth2/revoke`). A token Twitch already considers invalid (400
 * "Invalid token") counts as revoked.
 *
 * @since 0.1.0
 * @category revocation
 */
export const revoke = (
  token: Redacted.Redacted<string>
): Effect.Effect<void, HttpError | TransportError, HttpClient.HttpClient | TwitchConfig> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig
    const request = HttpClientRequest.post(`${config.idUrl}/oauth2/revoke`).pipe(
      HttpClientRequest.bodyUrlParams({ client_id: config.clientId, token: Redacted.value(token) })
    )
    const answer = yield* Http.execute(request)
    if (answer.status === 200) return
    const error = Http.httpError(answer)
    if (answer.status === 400 && error.twitchMessage?.toLowerCase() === "invalid token") return
    return yield* error
  }).pipe(Effect.withSpan("OAuth.revoke"))

/**
 * A `/oauth2/token` answer: the token, or Twitch's refusal (status and `message`).
 *
 * @since 0.1.0
 * @category models
 */
export type TokenResult =
  | { readonly _tag: "Token"; readonly token: TokenResponse }
  | { readonly _tag: "Refused"; readonly error: HttpError }

/**
 * Posts a grant to `/oauth2/token` (form body) and returns the token or Twitch's refusal. The
 * building block of the grants below; `client_id` is added.
 *
 * @since 0.1.0
 * @category token
 */
export const token = (
  params: Readonly<Record<string, string>>
): Effect.Effect<TokenResult, DecodeError | TransportError, HttpClient.HttpClient | TwitchConfig> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig
    const request = HttpClientRequest.post(`${config.idUrl}/oauth2/token`).pipe(
      HttpClientRequest.bodyUrlParams({ client_id: config.clientId, ...params }),
      HttpClientRequest.acceptJson
    )
    const answer = yield* Http.execute(request)
    if (answer.status >= 200 && answer.status < 300) {
      return { _tag: "Token" as const, token: yield* Http.decodeJson(TokenResponse, answer) }
    }
    return { _tag: "Refused" as const, error: Http.httpError(answer) }
  })

/** Twitch's refusal of a grant: status and message (never the request body). */
const refused = (error: HttpError): LoginFailed =>
  new LoginFailed({
    reason: "Refused",
    detail: `${error.status}${error.twitchMessage !== undefined ? ` ${error.twitchMessage}` : ""}`
  })

const refusedAsLogin = (result: TokenResult): Effect.Effect<TokenResponse, LoginFailed | HttpError> => {
  if (result._tag === "Token") return Effect.succeed(result.token)
  // A server error says nothing about the grant: keep it an HttpError so callers can retry.
  if (result.error.status >= 500) return Effect.fail(result.error)
  return Effect.fail(refused(result.error))
}

/**
 * An app access token by the client credentials grant. A wrong secret fails with `LoginFailed`
 * ("Refused").
 *
 * @since 0.1.0
 * @category token
 */
export const clientCredentials = (
  clientSecret: Redacted.Redacted<string>
): Effect.Effect<
  TokenResponse,
  LoginFailed | HttpError | DecodeError | TransportError,
  HttpClient.HttpClient | TwitchConfig
> =>
  Effect.flatMap(
    token({ client_secret: Redacted.value(clientSecret), grant_type: "client_credentials" }),
    refusedAsLogin
  ).pipe(Effect.withSpan("OAuth.clientCredentials"))

/**
 * Exchanges an authorization code (from the `?code=` redirect) for a user token with refresh.
 *
 * @since 0.1.0
 * @category token
 */
export const exchangeCode = (options: {
  readonly code: Redacted.Redacted<string>
  readonly redirectUri: string
  readonly clientSecret: Redacted.Redacted<string>
}): Effect.Effect<
  TokenResponse,
  LoginFailed | HttpError | DecodeError | TransportError,
  HttpClient.HttpClient | TwitchConfig
> =>
  Effect.flatMap(
    token({
      client_secret: Redacted.value(options.clientSecret),
      code: Redacted.value(options.code),
      grant_type: "authorization_code",
      redirect_uri: options.redirectUri
    }),
    refusedAsLogin
  ).pipe(Effect.withSpan("OAuth.exchangeCode"))

/**
 * Refreshes a user token. Omit the secret for public clients (device flow). A refresh token Twitch
 * refuses fails with `NotAuthorized` ("InvalidToken"); a server error (5xx) stays an `HttpError`.
 *
 * @since 0.1.0
 * @category token
 */
export const refresh = (options: {
  readonly refreshToken: Redacted.Redacted<string>
  readonly clientSecret?: Redacted.Redacted<string> | undefined
}): Effect.Effect<
  TokenResponse,
  NotAuthorized | HttpError | DecodeError | TransportError,
  HttpClient.HttpClient | TwitchConfig
> =>
  Effect.flatMap(
    token({
      grant_type: "refresh_token",
      refresh_token: Redacted.value(options.refreshToken),
      ...(options.clientSecret !== undefined ? { client_secret: Redacted.value(options.clientSecret) } : {})
    }),
    (result): Effect.Effect<TokenResponse, NotAuthorized | HttpError> =>
      result._tag === "Token" ?
        Effect.succeed(result.token) :
        result.error.status >= 500 ?
        Effect.fail(result.error) :
        Effect.fail(
          new NotAuthorized({
            reason: "InvalidToken",
            status: result.error.status,
            ...(result.error.twitchMessage !== undefined ?
              { twitchMessage: `refresh failed: ${result.error.twitchMessage}` } :
              { twitchMessage: "refresh failed" }),
            request: result.error.request
          })
        )
  ).pipe(
    Effect.tapError(() => Metric.increment(metrics.refreshFailures)),
    Effect.ensuring(Metric.increment(metrics.refreshes)),
    Effect.withSpan("OAuth.refresh")
  )

/**
 * Starts a device code login (`POST /oauth2/device` with `scopes`, space-separated).
 *
 * @since 0.1.0
 * @category device code
 */
export const deviceCode = (
  scopes: ReadonlyArray<string>
): Effect.Effect<DeviceCode, OAuthError, HttpClient.HttpClient | TwitchConfig> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig
    const request = HttpClientRequest.post(`${config.idUrl}/oauth2/device`).pipe(
      HttpClientRequest.bodyUrlParams({ client_id: config.clientId, scopes: scopes.join(" ") }),
      HttpClientRequest.acceptJson
    )
    const answer = yield* Http.execute(request)
    if (answer.status !== 200) return yield* Http.httpError(answer)
    return yield* Http.decodeJson(DeviceCode, answer)
  }).pipe(Effect.withSpan("OAuth.deviceCode"))

/**
 * The answer of one device code poll.
 *
 * @since 0.1.0
 * @category models
 */
export type DevicePoll =
  | { readonly _tag: "Token"; readonly token: TokenResponse }
  | { readonly _tag: "Pending" }
  | { readonly _tag: "SlowDown" }

/**
 * One poll of a device code login: the token, or Twitch's "not yet" (`authorization_pending`) or
 * "poll slower" (`slow_down`). An expired or used code fails with `LoginFailed` ("Expired"), a
 * denied one with "Denied", a Twitch server error (5xx) stays an `HttpError`, anything else is
 * "Refused".
 *
 * @since 0.1.0
 * @category device code
 */
export const pollDeviceCode = (options: {
  readonly deviceCode: Redacted.Redacted<string>
  readonly scopes: ReadonlyArray<string>
}): Effect.Effect<
  DevicePoll,
  LoginFailed | HttpError | DecodeError | TransportError,
  HttpClient.HttpClient | TwitchConfig
> =>
  Effect.flatMap(
    token({
      device_code: Redacted.value(options.deviceCode),
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      scopes: options.scopes.join(" ")
    }),
    (result): Effect.Effect<DevicePoll, LoginFailed | HttpError> => {
      if (result._tag === "Token") return Effect.succeed(result)
      // A server error says nothing about the code: keep it an HttpError so the poller goes on.
      if (result.error.status >= 500) return Effect.fail(result.error)
      // Twitch puts the OAuth error code in `message` (and some servers in `error`).
      const codes = [result.error.twitchMessage, result.error.error].map((s) => (s ?? "").toLowerCase())
      if (codes.includes("authorization_pending")) return Effect.succeed({ _tag: "Pending" as const })
      if (codes.includes("slow_down")) return Effect.succeed({ _tag: "SlowDown" as const })
      if (codes.some((c) => c === "access_denied" || c.includes("denied"))) {
        return Effect.fail(new LoginFailed({ reason: "Denied" }))
      }
      if (
        codes.some((c) => c === "expired_token" || c.includes("invalid device code") || c.includes("expired"))
      ) {
        return Effect.fail(new LoginFailed({ reason: "Expired" }))
      }
      return Effect.fail(refused(result.error))
    }
  ).pipe(
    Effect.tap((poll) => Effect.annotateCurrentSpan("twitch.auth.poll", poll._tag)),
    Effect.withSpan("OAuth.pollDeviceCode")
  )

/**
 * Builds the `AccessToken` of a token answer (scopes as Twitch granted them, expiry from
 * `expires_in`); {@link applyValidation} adds the user.
 *
 * @since 0.1.0
 * @category constructors
 */
export const toAccessToken = (
  response: TokenResponse,
  kind: AccessToken.AccessToken["kind"]
): Effect.Effect<AccessToken.AccessToken> =>
  Effect.map(Clock.currentTimeMillis, (now) =>
    AccessToken.make(response.accessToken, {
      kind,
      ...(response.scope !== undefined ? { scopes: response.scope } : {}),
      ...(response.expiresIn !== undefined && response.expiresIn > 0 ?
        { expiresAt: new Date(now + response.expiresIn * 1000) } :
        {}),
      ...(response.refreshToken !== undefined && Redacted.value(response.refreshToken) !== "" ?
        { refreshToken: response.refreshToken } :
        {})
    }))

/**
 * Applies a validation to a token: user, scopes, client id and expiry become known.
 *
 * @since 0.1.0
 * @category constructors
 */
export const applyValidation = (
  token: AccessToken.AccessToken,
  validation: Validation
): Effect.Effect<AccessToken.AccessToken> =>
  Effect.map(Clock.currentTimeMillis, (now) => ({
    ...token,
    kind: Option.isSome(validation.userId) ? "user" as const : "app" as const,
    scopes: Option.some(validation.scopes),
    userId: validation.userId,
    login: validation.login,
    clientId: Option.some(validation.clientId),
    expiresAt: validation.expiresIn > 0
      ? Option.some(new Date(now + validation.expiresIn * 1000))
      : token.expiresAt
  }))
