/**
 * Shared HTTP plumbing of the playlist area: request info without secrets, transport errors,
 * Twitch error bodies. Not exported from the package.
 *
 * @since 0.1.0
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { HttpError, TransportError } from "../../TwitchError.js"

/**
 * A URL without its query string: usher queries carry the playback token and signature.
 *
 * @since 0.1.0
 * @internal
 */
export const withoutQuery = (url: string): string => {
  const index = url.indexOf("?")
  return index === -1 ? url : url.slice(0, index)
}

/**
 * Method and URL (no query) of a request, for error reports.
 *
 * @since 0.1.0
 * @internal
 */
export const requestInfo = (request: HttpClientRequest.HttpClientRequest) => ({
  method: request.method,
  url: withoutQuery(request.url)
})

/**
 * Maps a client failure (connection refused, reset, body read failure) to `TransportError`.
 *
 * @since 0.1.0
 * @internal
 */
export const toTransportError = (request: HttpClientRequest.HttpClientRequest) =>
(
  error: HttpClientError.HttpClientError
): TransportError =>
  new TransportError({
    detail: `${error._tag} (${error.reason}): ${error.description ?? String(error.cause ?? "no detail")}`,
    request: requestInfo(request)
  })

/**
 * Runs a request with a time limit, mapping client failures and the timeout to `TransportError`.
 *
 * @since 0.1.0
 * @internal
 */
export const execute = <A, E, R>(
  request: HttpClientRequest.HttpClientRequest,
  run: Effect.Effect<A, E | HttpClientError.HttpClientError, R>,
  timeout: Duration.DurationInput
): Effect.Effect<A, Exclude<E, HttpClientError.HttpClientError> | TransportError, R> =>
  run.pipe(
    Effect.catchIf(
      (e): e is HttpClientError.HttpClientError => HttpClientError.isHttpClientError(e),
      (e) => Effect.fail(toTransportError(request)(e))
    ),
    Effect.timeoutFail({
      duration: timeout,
      onTimeout: () => new TransportError({ detail: "timed out", request: requestInfo(request) })
    })
  )

/**
 * What a Twitch error body says, whichever of its shapes it has: Helix-style
 * `{error, status, message}`, GQL-style `{errors: [{message}]}`, usher-style
 * `[{error, error_code, type}]`, or plain text.
 *
 * @since 0.1.0
 * @internal
 */
export interface ErrorBody {
  readonly error?: string
  readonly message?: string
  readonly errorCode?: string
}

const str = (u: unknown): string | undefined => (typeof u === "string" && u !== "" ? u : undefined)

/**
 * Reads an error body from its text (never fails).
 *
 * @since 0.1.0
 * @internal
 */
export const parseErrorBody = (text: string): ErrorBody => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    const trimmed = text.trim().slice(0, 200)
    return trimmed === "" ? {} : { message: trimmed }
  }
  const first = Array.isArray(json) ? json[0] : json
  if (typeof first !== "object" || first === null) return {}
  const record = first as Record<string, unknown>
  const errors = Array.isArray(record["errors"]) ? record["errors"] : []
  const gqlMessage = errors
    .map((
      e
    ) => (typeof e === "object" && e !== null ? str((e as Record<string, unknown>)["message"]) : undefined))
    .filter((m): m is string => m !== undefined)
    .join("; ")
  const error = str(record["error"])
  const message = str(record["message"]) ?? (gqlMessage === "" ? undefined : gqlMessage)
  const errorCode = str(record["error_code"])
  return {
    ...(error === undefined ? {} : { error }),
    ...(message === undefined ? {} : { message }),
    ...(errorCode === undefined ? {} : { errorCode })
  }
}

/**
 * An `HttpError` from a response and its already-read body text.
 *
 * @since 0.1.0
 * @internal
 */
export const httpError = (
  response: HttpClientResponse.HttpClientResponse,
  body: ErrorBody
): HttpError => {
  const error = body.errorCode ?? body.error
  const twitchMessage = body.errorCode !== undefined ? (body.error ?? body.message) : body.message
  return new HttpError({
    status: response.status,
    ...(error === undefined ? {} : { error }),
    ...(twitchMessage === undefined ? {} : { twitchMessage }),
    request: requestInfo(response.request)
  })
}
