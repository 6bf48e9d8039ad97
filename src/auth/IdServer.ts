/**
 * The id.twitch.tv server as a raw escape hatch, beside `Helix.request` and `Gql.request`: every
 * path (`/oauth2/validate`, `/oauth2/userinfo`, `/oauth2/keys`, a grant on `/oauth2/token`...)
 * sent to `TwitchConfig.idUrl` on the same pipeline as the `OAuth` functions (the per-call time
 * limit, URLs recorded as their path), the answer decoded with the caller's schema.
 *
 * Secrets stay out of what is recorded: a token goes in the `Authorization` header, client
 * secrets and grants in a form body (both `Redacted` where they are secrets), neither is written
 * to a span, a log line or an error; a `DecodeError` names the path, never the value. The call is
 * a span (`IdServer <METHOD> <path>`). Errors: `TransportError` (with its step), `HttpError` (any
 * status but 2xx, Twitch's message kept), `DecodeError`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"
import * as Span from "../internal/http/span.js"
import { TwitchConfig } from "../TwitchConfig.js"
import type { DecodeError, HttpError, TransportError } from "../TwitchError.js"
import * as Http from "./internal/http.js"

/**
 * Options of one call.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default `GET`, or `POST` when there is a `form`. */
  readonly method?: "GET" | "POST" | "DELETE" | undefined
  /** Query parameters (not for secrets: put those in `form`). */
  readonly query?: Readonly<Record<string, string>> | undefined
  /** An `application/x-www-form-urlencoded` body; secrets as `Redacted`. */
  readonly form?: Readonly<Record<string, string | Redacted.Redacted<string>>> | undefined
  /**
   * A token for the `Authorization` header: `OAuth <token>` (what `/oauth2/validate` wants,
   * the default) or `Bearer <token>` (`/oauth2/userinfo`).
   */
  readonly token?: Redacted.Redacted<string> | undefined
  readonly scheme?: "OAuth" | "Bearer" | undefined
}

/**
 * What an id.twitch.tv call can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type IdServerError = TransportError | HttpError | DecodeError

const formText = (form: Readonly<Record<string, string | Redacted.Redacted<string>>>): string => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(form)) {
    params.append(key, Redacted.isRedacted(value) ? Redacted.value(value) : value)
  }
  return params.toString()
}

/**
 * Sends one request to id.twitch.tv and decodes its JSON answer with `schema`.
 *
 * @since 0.1.0
 * @category requests
 */
export const request = <A, I>(
  path: string,
  schema: Schema.Schema<A, I>,
  options: Options = {}
): Effect.Effect<A, IdServerError, HttpClient.HttpClient | TwitchConfig> => {
  const method = options.method ?? (options.form === undefined ? "GET" : "POST")
  const at = path.startsWith("/") ? path : `/${path}`
  return Effect.gen(function*() {
    const config = yield* TwitchConfig
    let call = HttpClientRequest.make(method)(`${config.idUrl}${at}`, {
      urlParams: Object.entries(options.query ?? {}),
      headers: { "User-Agent": config.userAgent }
    }).pipe(HttpClientRequest.acceptJson)
    if (options.form !== undefined) {
      call = HttpClientRequest.bodyText(call, formText(options.form), "application/x-www-form-urlencoded")
    }
    if (options.token !== undefined) {
      call = HttpClientRequest.setHeader(
        call,
        "Authorization",
        `${options.scheme ?? "OAuth"} ${Redacted.value(options.token)}`
      )
    }
    const answer = yield* Http.execute(call)
    if (answer.status < 200 || answer.status >= 300) return yield* Http.httpError(answer)
    return yield* Http.decodeJson(schema, answer)
  }).pipe(
    Span.withSpan(`IdServer ${method} ${at}`, {
      kind: "client",
      attributes: { "twitch.id.path": at }
    })
  )
}
