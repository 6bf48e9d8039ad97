/**
 * The parts of the Helix transport over one explicit state ({@link Transport}): the pipeline of
 * each bucket, the headers of each token, request building, the token checks with the one refresh
 * on 401, and the public (token-less) text call.
 *
 * @since 0.1.0
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type { AccessToken } from "../../auth/AccessToken.js"
import * as TwitchAuth from "../../auth/TwitchAuth.js"
import { type Answer, httpError, responseError } from "../../internal/http/failure.js"
import * as HttpPipeline from "../../internal/http/pipeline.js"
import * as Span from "../../internal/http/span.js"
import type { TwitchConfig } from "../../TwitchConfig.js"
import type { HelixError, HttpError } from "../../TwitchError.js"
import { NotAuthorized } from "../../TwitchError.js"
import type { HelixClient, RequestOptions } from "../HelixClient.js"
import type * as HelixRateLimit from "../HelixRateLimit.js"
import { type Bucket, bucketed, bucketKey } from "./bucket.js"

/**
 * What the parts of the transport share, made once by `HelixClient.make`.
 *
 * @internal
 */
export interface Transport extends Bucket {
  readonly auth: TwitchAuth.TwitchAuth.Service
  readonly http: HttpClient.HttpClient
  /** `TwitchConfig.helixUrl`: every path is sent under it. */
  readonly base: string
  readonly pipelineOptions: HttpPipeline.Options
  /** One pipeline per bucket (a handful: the app, and each user whose token is used). */
  readonly pipelines: Map<string, HttpPipeline.Pipeline>
  /** Public endpoints are sent without a token, so they draw from no bucket of ours. */
  readonly publicPipeline: HttpPipeline.Pipeline
  /** Client-Id, User-Agent and Accept: the headers of every request with a token but its own. */
  readonly fixedHeaders: Readonly<Record<string, string>>
  /** The headers of a request without a token. */
  readonly publicHeaders: Headers.Headers
  /** The headers of every request with a token, made once per token. */
  readonly headersByToken: WeakMap<AccessToken, Headers.Headers>
}

/**
 * The transport's state from the config, the auth service, the `HttpClient`, the limiter and the
 * options.
 *
 * @internal
 */
export const makeTransport = (
  config: TwitchConfig.Service,
  auth: TwitchAuth.TwitchAuth.Service,
  http: HttpClient.HttpClient,
  limiter: HelixRateLimit.HelixRateLimit,
  options: HelixClient.Options
): Transport => {
  const base = config.helixUrl
  const endpointOf = (request: HttpClientRequest.HttpClientRequest) =>
    request.url.startsWith(base) ? request.url.slice(base.length) : request.url
  const pipelineOptions: HttpPipeline.Options = {
    area: "helix",
    timeout: options.requestTimeout ?? Duration.seconds(30),
    retry: {
      times: options.maxRetries ?? 3,
      base: options.retryBase ?? Duration.millis(250),
      cap: options.retryCap ?? Duration.seconds(10)
    },
    endpoint: endpointOf
  }
  return {
    auth,
    http,
    limiter,
    max429: options.max429Retries ?? 5,
    base,
    endpointOf,
    pipelineOptions,
    pipelines: new Map(),
    publicPipeline: HttpPipeline.make(http, pipelineOptions),
    fixedHeaders: {
      "client-id": config.clientId,
      "user-agent": config.userAgent,
      accept: "application/json"
    },
    publicHeaders: Headers.fromInput({ "client-id": config.clientId, "user-agent": config.userAgent }),
    headersByToken: new WeakMap()
  }
}

/** The pipeline of a bucket, made on its first request. */
const pipelineFor = (transport: Transport, key: string): HttpPipeline.Pipeline => {
  let found = transport.pipelines.get(key)
  if (found === undefined) {
    found = HttpPipeline.make(transport.http, {
      ...transport.pipelineOptions,
      around: bucketed(transport, key)
    })
    transport.pipelines.set(key, found)
  }
  return found
}

/** A token's headers with its bearer (`HttpClientRequest.bearerToken` would copy them per request). */
const headersOf = (transport: Transport, token: AccessToken): Headers.Headers => {
  let found = transport.headersByToken.get(token)
  if (found === undefined) {
    found = Headers.fromInput({
      ...transport.fixedHeaders,
      authorization: `Bearer ${Redacted.value(token.value)}`
    })
    transport.headersByToken.set(token, found)
  }
  return found
}

/** The request of a path: its URL under the base, the query (arrays repeated), headers and JSON body. */
const buildRequest = (
  transport: Transport,
  path: string,
  token: AccessToken | undefined,
  request: RequestOptions
) => {
  const urlParams: Array<[string, string]> = []
  const query = request.query
  if (query !== undefined) {
    for (const key in query) {
      const value = query[key]
      if (value === undefined) continue
      if (Array.isArray(value)) { for (const v of value) urlParams.push([key, String(v)]) }
      else urlParams.push([key, String(value)])
    }
  }
  const url = path.startsWith("/") ? `${transport.base}${path}` : `${transport.base}/${path}`
  const headers = token === undefined ? transport.publicHeaders : headersOf(transport, token)
  const req = HttpClientRequest.make(request.method ?? "GET")(url, { urlParams, headers })
  return request.body === undefined ? req : HttpClientRequest.bodyUnsafeJson(req, request.body)
}

/** One call with a token: the answer of a 2xx, or the typed error of any other status. */
const send = (transport: Transport, path: string, token: AccessToken, request: RequestOptions) =>
  Effect.flatMap(
    pipelineFor(transport, bucketKey(token)).send(buildRequest(transport, path, token, request)),
    (answer): Effect.Effect<Answer, NotAuthorized | HttpError> =>
      answer.status >= 200 && answer.status < 300
        ? Effect.succeed(answer)
        : Effect.fail(responseError(answer))
  )

const isInvalidToken = (e: HelixError): e is NotAuthorized =>
  e._tag === "NotAuthorized" && e.reason === "InvalidToken"

/** The call's own span (`Helix <method> <path>`), unless the caller's span covers it. */
const spanned = <A, E>(
  path: string,
  options: Pick<RequestOptions, "method" | "span">,
  call: Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  options.span === false ? call : Span.withSpan(`Helix ${options.method ?? "GET"} ${path}`, {
    kind: "client",
    attributes: { "twitch.helix.path": path }
  })(call)

/**
 * A call with the current token: its scope and kind checked before sending, and sent once more
 * with a fresh token when Twitch answers 401.
 *
 * @internal
 */
export const execute = (
  transport: Transport,
  path: string,
  request: RequestOptions
): Effect.Effect<Answer, HelixError> => {
  const { auth } = transport
  const call = Effect.flatMap(TwitchAuth.tokenWithScope(auth, request.scope), (token) => {
    if (request.userToken === true && token.kind === "app") {
      return Effect.fail(
        new NotAuthorized({
          reason: "WrongTokenKind",
          needs: ["user"],
          ...(request.scope ? { scope: request.scope } : {})
        })
      )
    }
    return send(transport, path, token, request).pipe(
      Effect.catchIf(isInvalidToken, (e) =>
        auth.onUnauthorized(token).pipe(
          // Without a fresh token, Twitch's own 401 answer is the most useful error.
          Effect.mapError(() => e),
          Effect.flatMap((fresh) => send(transport, path, fresh, request))
        ))
    )
  })
  return spanned(path, request, call)
}

/**
 * A public call that answers text, sent without a token: the body of a 2xx, else an `HttpError`.
 *
 * @internal
 */
export const text = (
  transport: Transport,
  path: string,
  options: Omit<RequestOptions, "scope" | "userToken">
): Effect.Effect<string, HelixError> =>
  spanned(
    path,
    options,
    Effect.flatMap(
      transport.publicPipeline.send(buildRequest(transport, path, undefined, options)),
      (answer): Effect.Effect<string, HttpError> =>
        answer.status >= 200 && answer.status < 300
          ? Effect.succeed(answer.text)
          : Effect.fail(httpError(answer))
    )
  )
