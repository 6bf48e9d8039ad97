/**
 * The loopback login server of the implicit and authorization code grants, as pytwitcherapi had
 * on port 42420, with its weaknesses fixed: it binds 127.0.0.1 only, generates a random `state`
 * and accepts exactly one answer carrying it (CSRF), checks `Host` and `Origin` (DNS rebinding,
 * cross-site posts), keeps the token out of URLs, logs and history, and closes with its scope.
 * Each request is a span (`LoginServer GET`) whose query has `code` and `state` redacted; the
 * platform's own request span, which would record them, is off for this server.
 *
 * ```ts
 * const token = yield* Effect.scoped(Effect.gen(function*() {
 *   const server = yield* LoginServer.make({ scopes: ["user:read:follows"] })
 *   yield* Console.log(`Open ${server.authorizeUrl}`)
 *   return yield* server.await
 * }))
 * ```
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import { TwitchConfig } from "../TwitchConfig.js"
import { LoginFailed, TransportError } from "../TwitchError.js"
import * as OAuth from "./OAuth.js"

/**
 * The default port, as pytwitcherapi used (register `http://localhost:42420` as redirect URL).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPort = 42420

/**
 * How long a login may take by default: five minutes.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTimeout: Duration.Duration = Duration.minutes(5)

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Scopes to ask for. */
  readonly scopes: ReadonlyArray<string>
  /** `token` (implicit grant, the default) or `code` (authorization code grant). */
  readonly responseType?: "token" | "code" | undefined
  /** Port on 127.0.0.1; default 42420, `0` picks a free one (tests). */
  readonly port?: number | undefined
  /** Redirect URI registered with Twitch; default `http://localhost:<port>`. */
  readonly redirectUri?: string | undefined
  /** Show Twitch's consent screen even when the user already authorized the app. */
  readonly forceVerify?: boolean | undefined
  /** How long {@link LoginServer.await} waits; default five minutes. */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * What the login server caught: an access token (implicit grant) or a code to exchange.
 *
 * @since 0.1.0
 * @category models
 */
export type Result =
  | {
    readonly _tag: "Token"
    readonly accessToken: Redacted.Redacted<string>
    readonly scopes: ReadonlyArray<string>
  }
  | {
    readonly _tag: "Code"
    readonly code: Redacted.Redacted<string>
    readonly scopes: ReadonlyArray<string>
  }

/**
 * A running login server.
 *
 * @since 0.1.0
 * @category models
 */
export interface LoginServer {
  /** The URL to open in a browser. */
  readonly authorizeUrl: string
  /** The redirect URI the server answers (`http://localhost:<port>`). */
  readonly redirectUri: string
  /** The port it listens on (127.0.0.1). */
  readonly port: number
  /**
   * Waits for the answer: the token or code, or `LoginFailed` ("Denied" when the user refused,
   * "Timeout", or "StateMismatch" when only answers with a foreign state arrived in time).
   */
  readonly await: Effect.Effect<Result, LoginFailed>
}

const script = `(function () {
  var msg = document.getElementById("msg");
  var fragment = window.location.hash.substring(1);
  if (!fragment) { msg.textContent = "No token found in the address. Close this window and try again."; return; }
  history.replaceState(null, "", window.location.pathname);
  fetch("/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: fragment
  }).then(function (r) { return r.text(); })
    .then(function (t) { msg.textContent = t; })
    .catch(function () { msg.textContent = "Could not reach the login program. Is it still running?"; });
})();`

const scriptHash = Crypto.createHash("sha256").update(script).digest("base64")

const page = (body: string, withScript: boolean) =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>effect-twitcher login</title></head>
<body><p id="msg">${body}</p>${withScript ? `<script>${script}</script>` : ""}</body></html>`

// `Connection: close` on every answer: the server serves a handful of requests and must be able to
// close right after the last one, without waiting for idle keep-alive connections.
const securityHeaders = {
  "Connection": "close",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": `default-src 'none'; script-src 'sha256-${scriptHash}'; connect-src 'self'`
}

const htmlPage = (status: number, body: string, withScript = false) =>
  HttpServerResponse.text(page(body, withScript), {
    status,
    contentType: "text/html; charset=utf-8",
    headers: securityHeaders
  })

const plain = (status: number, body: string) =>
  HttpServerResponse.text(body, { status, headers: { "Connection": "close", "Cache-Control": "no-store" } })

/** Constant-time comparison of the state. */
const sameState = (a: string | undefined, b: string): boolean => {
  if (a === undefined) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && Crypto.timingSafeEqual(x, y)
}

const splitScopes = (s: string | undefined): ReadonlyArray<string> =>
  s === undefined ? [] : s.split(/[ +]/).filter((x) => x.length > 0)

/**
 * Runs one request in a span of ours, `LoginServer <method>`, with the query's `code`, `state` and
 * any token redacted. It replaces the platform's `http.server` span, which records the full URL
 * (the authorization code and state of the code grant) and is turned off for this server.
 */
const traced = <E, R>(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest>
) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const url = new URL(request.url, "http://localhost")
    return app.pipe(
      Effect.tap((response) => Effect.annotateCurrentSpan("http.response.status_code", response.status)),
      Effect.withSpan(`LoginServer ${request.method}`, {
        kind: "server",
        attributes: {
          "http.request.method": request.method,
          "url.path": url.pathname,
          ...(url.search.length > 1 ? { "url.query": OAuth.redactQuery(url.search) } : {})
        }
      })
    )
  })

/**
 * Starts the login server on 127.0.0.1 and returns the authorize URL and the wait for the answer.
 * The server stops when the scope closes; a server that cannot listen fails with
 * `TransportError`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<LoginServer, TransportError, TwitchConfig | Scope.Scope> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig
    const responseType = options.responseType ?? "token"
    const state = Crypto.randomBytes(24).toString("base64url")
    const answer = yield* Deferred.make<Result, LoginFailed>()
    const foreignStates = yield* Ref.make(0)

    const server = yield* NodeHttpServer.make(() => Http.createServer(), {
      host: "127.0.0.1",
      port: options.port ?? defaultPort
    }).pipe(
      Effect.mapError((error) =>
        new TransportError({
          detail: `cannot listen on 127.0.0.1:${options.port ?? defaultPort} for the login (${
            error.cause instanceof Error ? error.cause.message : "listen failed"
          })`
        })
      )
    )
    const port = server.address._tag === "TcpAddress" ? server.address.port : options.port ?? defaultPort
    const redirectUri = options.redirectUri ?? `http://localhost:${port}`
    const allowedHosts = [`localhost:${port}`, `127.0.0.1:${port}`]
    const allowedOrigins = allowedHosts.map((h) => `http://${h}`)

    const complete = (result: Effect.Effect<Result, LoginFailed>) => Deferred.complete(answer, result)
    const foreign = Effect.zipRight(
      Ref.update(foreignStates, (n) => n + 1),
      Effect.logWarning("login server: rejected an answer whose state is not ours")
    )

    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const host = request.headers["host"]
      if (host === undefined || !allowedHosts.includes(host.toLowerCase())) {
        return plain(421, "Unexpected Host.")
      }
      const origin = request.headers["origin"]
      if (origin !== undefined && origin !== "null" && !allowedOrigins.includes(origin.toLowerCase())) {
        return plain(403, "Cross-origin requests are not accepted.")
      }
      const url = new URL(request.url, `http://${host}`)

      if (request.method === "POST" && url.pathname === "/token" && responseType === "token") {
        const params = yield* Effect.orElseSucceed(request.urlParamsBody, () => UrlParams.empty)
        const get = (key: string) => Option.getOrUndefined(UrlParams.getFirst(params, key))
        if (!sameState(get("state"), state)) {
          yield* foreign
          return plain(400, "This login answer does not belong to the running login (state mismatch).")
        }
        const error = get("error")
        if (error !== undefined) {
          yield* complete(Effect.fail(loginDenied(error, get("error_description"))))
          return plain(200, "Login cancelled. You can close this window.")
        }
        const accessToken = get("access_token")
        if (accessToken === undefined || accessToken.length === 0) return plain(400, "No access token.")
        const accepted = yield* complete(
          Effect.succeed({
            _tag: "Token",
            accessToken: Redacted.make(accessToken),
            scopes: splitScopes(get("scope"))
          })
        )
        return accepted ?
          plain(200, "Login complete. You can close this window.") :
          plain(409, "A login answer was already received.")
      }

      if (request.method === "GET" && url.pathname === "/") {
        const q = (key: string) => url.searchParams.get(key) ?? undefined
        const error = q("error")
        const code = q("code")
        if (error !== undefined || code !== undefined) {
          if (!sameState(q("state"), state)) {
            yield* foreign
            return htmlPage(400, "This login answer does not belong to the running login (state mismatch).")
          }
          if (error !== undefined) {
            yield* complete(Effect.fail(loginDenied(error, q("error_description"))))
            return htmlPage(200, "Login cancelled. You can close this window.")
          }
          if (responseType !== "code" || code === undefined || code.length === 0) {
            return htmlPage(400, "Unexpected answer.")
          }
          const accepted = yield* complete(
            Effect.succeed({ _tag: "Code", code: Redacted.make(code), scopes: splitScopes(q("scope")) })
          )
          return accepted ?
            htmlPage(200, "Login complete. You can close this window.") :
            htmlPage(409, "A login answer was already received.")
        }
        return responseType === "token" ?
          htmlPage(200, "Completing the login&hellip;", true) :
          htmlPage(400, "No authorization code in the address.")
      }
      return plain(404, "Not found.")
    }).pipe(
      Effect.catchAllCause(() => Effect.succeed(plain(500, "Login server error.")))
    )

    yield* server.serve(traced(app)).pipe(HttpMiddleware.withTracerDisabledWhenEffect(() => true))

    const timeout = options.timeout ?? defaultTimeout
    const wait = Deferred.await(answer).pipe(
      Effect.tap((result) => Effect.annotateCurrentSpan("twitch.auth.result", result._tag)),
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () =>
          new LoginFailed({ reason: "Timeout", detail: `no answer within ${Duration.format(timeout)}` })
      }),
      Effect.catchIf(
        (e) => e.reason === "Timeout",
        (e) =>
          Effect.flatMap(Ref.get(foreignStates), (n) =>
            Effect.fail(
              n > 0 ?
                new LoginFailed({
                  reason: "StateMismatch",
                  detail: `${n} answer(s) with a foreign state, none with ours, within ${
                    Duration.format(timeout)
                  }`
                }) :
                e
            ))
      ),
      Effect.withSpan("LoginServer.await", { attributes: { "twitch.auth.response_type": responseType } })
    )

    return {
      authorizeUrl: OAuth.authorizeUrl(config.idUrl, {
        clientId: config.clientId,
        redirectUri,
        responseType,
        scopes: options.scopes,
        state,
        forceVerify: options.forceVerify ?? false
      }),
      redirectUri,
      port,
      await: wait
    }
  })

const loginDenied = (error: string, description: string | undefined) =>
  new LoginFailed({
    reason: error === "access_denied" ? "Denied" : "Refused",
    detail: `${error}${description !== undefined ? `: ${description}` : ""}`
  })
