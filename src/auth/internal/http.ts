/**
 * Shared plumbing of the id.twitch.tv calls: error mapping and decoding that never leaks a secret.
 *
 * @internal
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { DecodeError, HttpError, TransportError } from "../../TwitchError.js"

/** @internal */
export type RequestInfo = { readonly method: string; readonly url: string }

/** Method and URL without query string (our OAuth calls never put secrets in URLs, but be sure). */
export const requestInfo = (request: HttpClientRequest.HttpClientRequest): RequestInfo => ({
  method: request.method,
  url: request.url.split("?")[0] ?? request.url
})

/** Transport failures: connection refused, reset, body read errors. */
export const transportError = (request: RequestInfo) => (error: HttpClientError.HttpClientError) =>
  new TransportError({
    detail: error._tag === "RequestError" ? `${error.reason}: ${causeText(error.cause)}` : `${error.reason}`,
    request
  })

const causeText = (cause: unknown): string =>
  cause instanceof Error ? cause.message : cause === undefined ? "request failed" : String(cause)

/** Twitch's `{status, error, message}` error body (every field optional). */
export const ErrorBody = Schema.Struct({
  status: Schema.optional(Schema.Number),
  error: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String)
})

/** The decoded error body of a response, or empty fields when it is not JSON. */
export const errorBody = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<typeof ErrorBody.Type> =>
  response.text.pipe(
    Effect.map((text) => {
      try {
        return Schema.decodeUnknownOption(ErrorBody)(JSON.parse(text))
      } catch {
        return Option.none()
      }
    }),
    Effect.map(Option.getOrElse(() => ({}))),
    Effect.orElseSucceed(() => ({}))
  )

/** An `HttpError` from a non-2xx response. */
export const httpError = (
  request: RequestInfo,
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<HttpError> =>
  Effect.map(errorBody(response), (body) =>
    new HttpError({
      status: response.status,
      ...(body.error !== undefined ? { error: body.error } : {}),
      ...(body.message !== undefined ? { twitchMessage: body.message } : {}),
      request
    }))

/** Removes every occurrence of the given secrets from a text. */
export const scrub = (text: string, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((acc, secret) => secret.length > 0 ? acc.split(secret).join("<redacted>") : acc, text)

const secretKeys = ["access_token", "refresh_token", "device_code", "id_token", "code"]

const secretsOf = (input: unknown): Array<string> => {
  if (typeof input !== "object" || input === null) return []
  const out: Array<string> = []
  for (const key of secretKeys) {
    const value = (input as Record<string, unknown>)[key]
    if (typeof value === "string") out.push(value)
  }
  return out
}

/**
 * Reads a JSON body and decodes it. A `DecodeError` names the path; its detail never contains the
 * offending value (which could be a token).
 */
export const decodeJson = <A, I>(
  schema: Schema.Schema<A, I>,
  request: RequestInfo,
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<A, DecodeError | TransportError> =>
  response.text.pipe(
    Effect.mapError(transportError(request)),
    Effect.flatMap((text) => {
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        return Effect.fail(new DecodeError({ path: "", detail: "the body is not JSON", request }))
      }
      return Schema.decodeUnknown(schema)(json).pipe(
        Effect.mapError((error) => {
          const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
          const first = issues[0]
          const secrets = secretsOf(json)
          return new DecodeError({
            path: first ? first.path.join(".") : "",
            detail: scrub((first?.message ?? "invalid").replace(/,? actual [\s\S]*$/, ""), secrets),
            request
          })
        })
      )
    })
  )
