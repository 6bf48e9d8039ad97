/**
 * The id.twitch.tv calls on the library's one HTTP pipeline: a 30 s time limit per call, URLs
 * recorded without their query, error bodies read like every other area's, and decoding that
 * never leaks a secret.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { Answer } from "../../internal/http/failure.js"
import { decodeError, parseJson } from "../../internal/http/failure.js"
import * as HttpPipeline from "../../internal/http/pipeline.js"
import { withoutQuery } from "../../internal/http/redact.js"
import type { DecodeError, TransportError } from "../../TwitchError.js"

export type { Answer } from "../../internal/http/failure.js"
export { httpError, parseErrorBody as errorBody } from "../../internal/http/failure.js"

/** How long one id.twitch.tv call may take, answer body included. */
const callTimeout = Duration.seconds(30)

const pipelines = new WeakMap<HttpClient.HttpClient, HttpPipeline.Pipeline>()

const pipelineOf = (client: HttpClient.HttpClient): HttpPipeline.Pipeline => {
  let found = pipelines.get(client)
  if (found === undefined) {
    found = HttpPipeline.make(client, {
      area: "oauth",
      timeout: callTimeout,
      urls: "path",
      endpoint: (request) => withoutQuery(request.url).replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, "")
    })
    pipelines.set(client, found)
  }
  return found
}

/** Sends a request and reads the whole answer within 30 s (not retried: a grant is not idempotent). */
export const execute = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Answer, TransportError, HttpClient.HttpClient> =>
  Effect.flatMap(HttpClient.HttpClient, (client) => pipelineOf(client).send(request))

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
): Effect.Effect<A, DecodeError> =>
  Effect.flatMap(parseJson(answer, { hideValues: true }), (json) =>
    Schema.decodeUnknown(schema)(json).pipe(
      Effect.mapError((error) =>
        decodeError(error, answer.info(), { hideValues: true, secrets: secretsOf(json) })
      )
    ))
