/**
 * Login flows, each an Effect that ends with a validated `AccessToken`: implicit grant and
 * authorization code grant through the loopback {@link LoginServer}, device code grant for CLIs and
 * headless machines, and the app token by client credentials. The `TwitchAuth` layers run them;
 * apps can also run them directly and hand the token to `TwitchAuth.set`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import { TwitchConfig } from "../TwitchConfig.js"
import type { DecodeError, HttpError, TransportError } from "../TwitchError.js"
import { LoginFailed, NotAuthorized } from "../TwitchError.js"
import * as AccessToken from "./AccessToken.js"
import * as LoginServer from "./LoginServer.js"
import * as OAuth from "./OAuth.js"

/**
 * Everything a login flow can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type LoginError = LoginFailed | NotAuthorized | HttpError | DecodeError | TransportError

/**
 * Validates a freshly obtained token and checks it was issued to our client id.
 *
 * @since 0.1.0
 * @category validation
 */
export const validated = (
  token: AccessToken.AccessToken
): Effect.Effect<AccessToken.AccessToken, LoginError, HttpClient.HttpClient | TwitchConfig> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig
    const validation = yield* OAuth.validate(token.value)
    if (validation.clientId !== config.clientId) {
      return yield* new LoginFailed({
        reason: "Refused",
        detail: `the token was issued to client ${validation.clientId}, not to ${config.clientId}`
      })
    }
    return yield* OAuth.applyValidation(token, validation)
  })

/**
 * Options of the loopback flows: those of the login server plus what to do with the URL.
 *
 * @since 0.1.0
 * @category models
 */
export interface BrowserOptions extends Omit<LoginServer.Options, "responseType"> {
  /**
   * Shows the authorize URL to the user; prints it by default. Opening a browser is the app's
   * choice (e.g. `open`/`xdg-open`).
   */
  readonly onUrl?: ((url: string) => Effect.Effect<void>) | undefined
}

/**
 * Prints the authorize URL.
 *
 * @since 0.1.0
 * @category constructors
 */
export const printUrl = (url: string): Effect.Effect<void> =>
  Console.log(`Open this address in a browser to log in to Twitch:\n\n  ${url}\n`)

/**
 * The implicit grant (pytwitcherapi's flow): start the login server, show the URL, wait for the
 * token, validate it. No refresh token exists for this grant: when the token expires, log in again.
 *
 * @since 0.1.0
 * @category flows
 */
export const implicitGrant = (
  options: BrowserOptions
): Effect.Effect<AccessToken.AccessToken, LoginError, HttpClient.HttpClient | TwitchConfig> =>
  Effect.gen(function*() {
    // The server closes as soon as the answer arrived (or the wait failed).
    const { result } = yield* catchAnswer(options, "token")
    if (result._tag !== "Token") return yield* new LoginFailed({ reason: "Refused", detail: "no token" })
    return yield* validated(AccessToken.make(result.accessToken, { kind: "user", scopes: result.scopes }))
  }).pipe(
    Effect.withSpan("Login.implicitGrant", { attributes: { "twitch.auth.scopes": options.scopes.join(" ") } })
  )

const catchAnswer = (options: BrowserOptions, responseType: "token" | "code") =>
  Effect.scoped(
    Effect.gen(function*() {
      const server = yield* LoginServer.make({ ...options, responseType })
      yield* (options.onUrl ?? printUrl)(server.authorizeUrl)
      return { result: yield* server.await, redirectUri: server.redirectUri }
    })
  )

/**
 * The authorization code grant: like the implicit grant, but the server catches `?code=`, which
 * is exchanged (with the client secret) for a token with a refresh token.
 *
 * @since 0.1.0
 * @category flows
 */
export const authorizationCode = (
  options: BrowserOptions & { readonly clientSecret: Redacted.Redacted<string> }
): Effect.Effect<AccessToken.AccessToken, LoginError, HttpClient.HttpClient | TwitchConfig> =>
  Effect.gen(function*() {
    const { redirectUri, result } = yield* catchAnswer(options, "code")
    if (result._tag !== "Code") return yield* new LoginFailed({ reason: "Refused", detail: "no code" })
    const response = yield* OAuth.exchangeCode({
      code: result.code,
      redirectUri,
      clientSecret: options.clientSecret
    })
    return yield* validated(yield* OAuth.toAccessToken(response, "user"))
  }).pipe(
    Effect.withSpan("Login.authorizationCode", {
      attributes: { "twitch.auth.scopes": options.scopes.join(" ") }
    })
  )

/**
 * Options of {@link deviceCode}.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeviceCodeOptions {
  readonly scopes: ReadonlyArray<string>
  /** Shows the code and the address to the user; prints them by default. */
  readonly onCode?: ((code: OAuth.DeviceCode) => Effect.Effect<void>) | undefined
}

/**
 * Prints the device code instructions.
 *
 * @since 0.1.0
 * @category constructors
 */
export const printCode = (code: OAuth.DeviceCode): Effect.Effect<void> =>
  Console.log(`To log in to Twitch, open ${code.verificationUri} and enter the code ${code.userCode}`)

/**
 * The device code grant: show the user code and address, poll at the interval Twitch gives
 * (`authorization_pending` keeps polling, `slow_down` adds five seconds), fail with `LoginFailed`
 * ("Expired") when the code expires. Network failures and Twitch server errors (5xx) while
 * polling are logged and retried until then. Needs no client secret (public clients). The span
 * `Login.deviceCode` counts the polls (`twitch.auth.polls`); each poll is a span of its own.
 *
 * @since 0.1.0
 * @category flows
 */
export const deviceCode = (
  options: DeviceCodeOptions
): Effect.Effect<AccessToken.AccessToken, LoginError, HttpClient.HttpClient | TwitchConfig> =>
  Effect.gen(function*() {
    const code = yield* OAuth.deviceCode(options.scopes)
    yield* (options.onCode ?? printCode)(code)
    const deadline = (yield* Clock.currentTimeMillis) + code.expiresIn * 1000
    const expired = new LoginFailed({
      reason: "Expired",
      detail: `the code was not approved within ${Duration.format(Duration.seconds(code.expiresIn))}`
    })
    let interval = Math.max(1, code.interval)
    for (let polls = 1;; polls++) {
      yield* Effect.sleep(Duration.seconds(interval))
      yield* Effect.annotateCurrentSpan({
        "twitch.auth.polls": polls,
        "twitch.auth.poll_interval_s": interval
      })
      if ((yield* Clock.currentTimeMillis) >= deadline) return yield* expired
      const poll = yield* OAuth.pollDeviceCode({ deviceCode: code.deviceCode, scopes: options.scopes }).pipe(
        // Neither a network failure nor a Twitch server error says anything about the code.
        Effect.catchIf(
          (error) => error._tag === "TransportError" || (error._tag === "HttpError" && error.status >= 500),
          (error) =>
            Effect.as(
              Effect.logWarning(`device code poll failed, retrying: ${error.message}`),
              { _tag: "Pending" as const }
            )
        )
      )
      switch (poll._tag) {
        case "Token":
          return yield* validated(yield* OAuth.toAccessToken(poll.token, "user"))
        case "SlowDown":
          interval += 5
          break
        case "Pending":
          break
      }
    }
  }).pipe(
    Effect.withSpan("Login.deviceCode", { attributes: { "twitch.auth.scopes": options.scopes.join(" ") } })
  )

/**
 * An app token by client credentials, validated.
 *
 * @since 0.1.0
 * @category flows
 */
export const appToken = (
  clientSecret: Redacted.Redacted<string>
): Effect.Effect<AccessToken.AccessToken, LoginError, HttpClient.HttpClient | TwitchConfig> =>
  Effect.flatMap(
    OAuth.clientCredentials(clientSecret),
    (response) => Effect.flatMap(OAuth.toAccessToken(response, "app"), validated)
  ).pipe(Effect.withSpan("Login.appToken"))

/**
 * Refreshes a user token with its refresh token (secret for confidential clients, none for public
 * ones); user, login and client id carry over.
 *
 * @since 0.1.0
 * @category flows
 */
export const refresh = (
  token: AccessToken.AccessToken,
  clientSecret?: Redacted.Redacted<string> | undefined
): Effect.Effect<
  AccessToken.AccessToken,
  NotAuthorized | HttpError | DecodeError | TransportError,
  HttpClient.HttpClient | TwitchConfig
> =>
  Effect.gen(function*() {
    if (token.refreshToken._tag === "None") {
      return yield* new NotAuthorized({ reason: "InvalidToken", twitchMessage: "no refresh token" })
    }
    const response = yield* OAuth.refresh({ refreshToken: token.refreshToken.value, clientSecret })
    const fresh = yield* OAuth.toAccessToken(response, token.kind)
    return {
      ...fresh,
      scopes: fresh.scopes._tag === "Some" ? fresh.scopes : token.scopes,
      userId: token.userId,
      login: token.login,
      clientId: token.clientId,
      // Twitch always sends a new refresh token; keep the old one if a server does not.
      refreshToken: fresh.refreshToken._tag === "Some" ? fresh.refreshToken : token.refreshToken
    }
  }).pipe(Effect.withSpan("Login.refresh", { attributes: { "twitch.auth.token_kind": token.kind } }))
