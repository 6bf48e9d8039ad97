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
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Schema from "effect/Schema"
import type { Answer } from "../../internal/http/failure.js"
import { decodeError, parseJson } from "../../internal/http/failure.js"
import * as HttpPipeline from "../../internal/http/pipeline.js"
import { withoutQuery } from "../../internal/http/redact.js"
import type { DecodeError, TransportError } from "../../TwitchError.js"

export type { Answer } from "../../internal/http/failure.js"
export { httpError, parseErrorBody as errorBody } from "../../internal/http/failure.js"

/** How long one id.twitch.tv call may take by default, answer body included. */
export const defaultCallTimeout: Duration.Duration = Duration.seconds(30)

/** How long one id.twitch.tv call may take in this fiber (see {@link withCallTimeout}). */
const callTimeout = globalValue(
  Symbol.for("effect-twitcher/auth/internal/http/callTimeout"),
  () => FiberRef.unsafeMake(defaultCallTimeout)
)

/** The calls of `effect` may take `limit` each (answer included) instead of the default 30 s. */
export const withCallTimeout =
  (limit: Duration.DurationInput) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.locally(effect, callTimeout, Duration.decode(limit))

/** One pipeline per client and time limit (a handful: the default and what the app configured). */
const pipelineOf = HttpPipeline.cachedPerClient((client, millis: number) =>
  HttpPipeline.make(client, {
    area: "oauth",
    timeout: Duration.millis(millis),
    urls: "path",
    endpoint: (request) => withoutQuery(request.url).replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, "")
  })
)

/**
 * Sends a request and reads the whole answer within the call time limit (30 s unless
 * {@link withCallTimeout} says otherwise); past it, a `TransportError` whose step is `Timeout`.
 * Not retried: a grant is not idempotent.
 */
export const execute = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Answer, TransportError, HttpClient.HttpClient> =>
  Effect.flatMap(
    HttpClient.HttpClient,
    (client) =>
      Effect.flatMap(FiberRef.get(callTimeout), (limit) =>
        pipelineOf(client, Duration.toMillis(limit)).send(request))
  )

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
