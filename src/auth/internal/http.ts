/**
 * Shared plumbing of the id.twitch.tv calls: error mapping and decoding that never leaks a secret.
 *
 * @internal
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
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

/** The decoded error body of a response text, or empty fields when it is not JSON. */
export const errorBody = (text: string): typeof ErrorBody.Type => {
  try {
    return Option.getOrElse(Schema.decodeUnknownOption(ErrorBody)(JSON.parse(text)), () => ({}))
  } catch {
    return {}
  }
}

/** An answer read to the end. */
export interface Answer {
  readonly info: RequestInfo
  readonly status: number
  readonly text: string
}

/** An `HttpError` from a non-2xx answer. */
export const httpError = (answer: Answer): HttpError => {
  const body = errorBody(answer.text)
  return new HttpError({
    status: answer.status,
    ...(body.error !== undefined ? { error: body.error } : {}),
    ...(body.message !== undefined ? { twitchMessage: body.message } : {}),
    request: answer.info
  })
}

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
  answer: Answer
): Effect.Effect<A, DecodeError> => {
  const request = answer.info
  let json: unknown
  try {
    json = JSON.parse(answer.text)
  } catch {
    return Effect.fail(new DecodeError({ path: "", detail: "the body is not JSON", request }))
  }
  return Schema.decodeUnknown(schema)(json).pipe(
    Effect.mapError((error) => {
      const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
      const first = issues[0]
      return new DecodeError({
        path: first ? first.path.join(".") : "",
        detail: scrub((first?.message ?? "invalid").replace(/,? actual [\s\S]*$/, ""), secretsOf(json)),
        request
      })
    })
  )
}
