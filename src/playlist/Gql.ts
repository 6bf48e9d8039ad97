/**
 * Twitch's GQL API as a raw escape hatch (pytwitcherapi had one request call per Twitch API; this
 * is GQL's, beside `Helix.request` and `IdServer.request`): every operation, by persisted-query hash
 * or query text, with its variables, sent to `TwitchConfig.gqlUrl` on the library's one HTTP
 * pipeline, its `data` decoded with the caller's schema. GQL is Twitch's private API: operations
 * and their answers change without notice, which is why the caller brings the schema.
 *
 * Errors are the library's: `TransportError` (with its step), `HttpError` (a status other than
 * 200, or a 200 whose `errors` left no `data`, with Twitch's messages), `DecodeError` (the path,
 * never the value: answers may carry playback tokens). The call is a span (`Gql <operation>`)
 * recording the operation name only: no variables, no token, no integrity token.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { decodeError, parseJson } from "../internal/http/failure.js"
import * as HttpPipeline from "../internal/http/pipeline.js"
import * as Span from "../internal/http/span.js"
import { TwitchConfig } from "../TwitchConfig.js"
import type { DecodeError, HttpError, TransportError } from "../TwitchError.js"
import * as Http from "./internal/http.js"
import type * as Playlist from "./Playlist.js"

/**
 * One GQL operation: a query text, or a persisted query's hash under `extensions`, and variables.
 *
 * @since 0.1.0
 * @category models
 */
export interface Operation {
  readonly operationName?: string | undefined
  readonly query?: string | undefined
  readonly variables?: Readonly<Record<string, unknown>> | undefined
  /** E.g. `{ persistedQuery: { version: 1, sha256Hash } }`. */
  readonly extensions?: Readonly<Record<string, unknown>> | undefined
}

/**
 * Options of one call: the GQL headers as `Playlist` takes them (`clientId`, default
 * `TwitchConfig.gqlClientId`; `authToken`, sent as `Authorization: OAuth <token>`;
 * `clientIntegrity`; `deviceId`; extra `headers`), and the call's time limit.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends
  Pick<
    Playlist.Playlist.Options,
    "clientId" | "authToken" | "clientIntegrity" | "deviceId" | "headers"
  >
{
  /** How long the call may take, answer included (default 20 s). */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * What a GQL call can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type GqlError = TransportError | HttpError | DecodeError

/** The GQL pipeline of a client, per time limit: no retries (an operation may be a write). */
const pipelineOf = HttpPipeline.cachedPerClient((client, millis: number) =>
  Http.pipeline(client, "gql", millis)
)

const Answer = Schema.Struct({ data: Schema.optional(Schema.Unknown) })

/**
 * Sends one GQL operation and decodes its `data` with `data` (the schema of what the operation
 * answers under `data`).
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { Gql } from "effect-twitcher/playlist"
 *
 * const viewers = Gql.request(
 *   { query: "query($login: String!) { user(login: $login) { stream { viewersCount } } }", variables: { login: "x" } },
 *   Schema.Struct({ user: Schema.NullOr(Schema.Struct({ stream: Schema.NullOr(Schema.Struct({ viewersCount: Schema.Number })) })) })
 * )
 * ```
 *
 * @since 0.1.0
 * @category requests
 */
export const request = <A, I, R>(
  operation: Operation,
  data: Schema.Schema<A, I, R>,
  options: Options = {}
): Effect.Effect<A, GqlError, R | HttpClient.HttpClient | TwitchConfig> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig
    const client = yield* HttpClient.HttpClient
    const timeout = Duration.decode(options.timeout ?? "20 seconds")
    let call = HttpClientRequest.post(config.gqlUrl).pipe(
      HttpClientRequest.setHeaders({
        "User-Agent": config.userAgent,
        ...options.headers,
        "Client-ID": options.clientId ?? config.gqlClientId,
        ...(options.deviceId === undefined ? {} : { "Device-Id": options.deviceId })
      }),
      HttpClientRequest.acceptJson,
      HttpClientRequest.bodyUnsafeJson(operation)
    )
    if (options.authToken !== undefined) {
      call = HttpClientRequest.setHeader(call, "Authorization", `OAuth ${Redacted.value(options.authToken)}`)
    }
    if (options.clientIntegrity !== undefined) {
      call = HttpClientRequest.setHeader(call, "Client-Integrity", Redacted.value(options.clientIntegrity))
    }
    const answer = yield* pipelineOf(client, Duration.toMillis(timeout)).send(call)
    if (answer.status !== 200) return yield* Http.httpError(answer)
    const json = yield* parseJson(answer, { hideValues: true })
    const body = yield* Schema.decodeUnknown(Answer)(json).pipe(
      Effect.mapError((error) => decodeError(error, answer.info(), { hideValues: true }))
    )
    // A 200 whose errors left nothing to read: Twitch's messages (PersistedQueryNotFound...).
    if (body.data === undefined || body.data === null) return yield* Http.httpError(answer)
    return yield* Schema.decodeUnknown(data)(body.data).pipe(
      Effect.mapError((error) => decodeError(error, answer.info(), { prefix: ["data"], hideValues: true }))
    )
  }).pipe(
    Span.withSpan(`Gql ${operation.operationName ?? "request"}`, {
      kind: "client",
      attributes: { "twitch.gql.operation": operation.operationName ?? "" }
    })
  )
