/**
 * The Helix transport: the one place every Helix call goes through, on the library's one HTTP
 * pipeline (`internal/http`). It adds `Client-Id` and the bearer token from the auth layer's `Ref`,
 * checks scopes before sending, waits on the shared rate-limit bucket of the token, retries 429s
 * after `Ratelimit-Reset` and transport failures, timeouts and 5xx answers with capped exponential
 * backoff and jitter, refreshes once on 401, decodes with `Schema`, and maps every failure into the
 * library's typed errors. Lists that page are `Stream`s.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Crypto from "node:crypto"
import type { AccessToken } from "../auth/AccessToken.js"
import * as TwitchAuth from "../auth/TwitchAuth.js"
import { type Answer, decodeError, httpError, parseJson, responseError } from "../internal/http/failure.js"
import * as HttpMetrics from "../internal/http/metrics.js"
import * as HttpPipeline from "../internal/http/pipeline.js"
import * as Span from "../internal/http/span.js"
import { TwitchConfig } from "../TwitchConfig.js"
import type { HelixError, HttpError } from "../TwitchError.js"
import { DecodeError, NotAuthorized } from "../TwitchError.js"
import * as FastDecode from "./FastDecode.js"
import * as HelixRateLimit from "./HelixRateLimit.js"

/**
 * Query parameters: arrays become repeated parameters (`login=a&login=b`), as Helix wants;
 * `undefined` values are left out.
 *
 * @since 0.1.0
 * @category models
 */
export type Query = Readonly<
  Record<string, string | number | boolean | ReadonlyArray<string | number> | undefined>
>

/**
 * Options of one request.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  readonly method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly query?: Query
  /** JSON body for writes. */
  readonly body?: unknown
  /** A scope the endpoint needs: checked before sending when the token's scopes are known. */
  readonly scope?: string
  /** Whether the endpoint needs a user token (fails early with an app token). */
  readonly userToken?: boolean
  /**
   * Whether the call gets a span of its own (`Helix <method> <path>`, the default); `false` when
   * the caller's span covers it (the operation runner traces each operation call).
   */
  readonly span?: boolean
}

/**
 * Options of one page request.
 *
 * @since 0.1.0
 * @category models
 */
export interface PageOptions extends RequestOptions {
  /**
   * Whether the page's `data` is one document rather than a list (Get Channel Stream Schedule):
   * then it is decoded with the item schema as the page's only item.
   */
  readonly document?: boolean
}

/**
 * One decoded page of a list endpoint.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly data: ReadonlyArray<A>
  /** The cursor of the next page; `None` on the last page. */
  readonly cursor: Option.Option<string>
  /** The `total` some endpoints add. */
  readonly total: Option.Option<number>
}

/**
 * The transport service.
 *
 * @since 0.1.0
 * @category tags
 */
export class HelixClient
  extends Context.Tag("effect-twitcher/HelixClient")<HelixClient, HelixClient.Service>()
{}

/**
 * @since 0.1.0
 */
export declare namespace HelixClient {
  /**
   * What the transport offers.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Any Helix path (e.g. `/streams`) decoded with `schema` (the whole JSON body). */
    readonly request: <A, I, R>(
      path: string,
      schema: Schema.Schema<A, I, R>,
      options?: RequestOptions
    ) => Effect.Effect<A, HelixError, R>
    /** One page of a `{data, pagination}` endpoint, each item decoded with `item`. */
    readonly page: <A, I, R>(
      path: string,
      item: Schema.Schema<A, I, R>,
      options?: PageOptions
    ) => Effect.Effect<Page<A>, HelixError, R>
    /**
     * Every item of a paged endpoint as a `Stream` that fetches the next page only when pulled.
     * `pageSize` is sent as `first` (1-100, default 100).
     */
    readonly paginate: <A, I, R>(
      path: string,
      item: Schema.Schema<A, I, R>,
      options?: RequestOptions & { readonly pageSize?: number }
    ) => Stream.Stream<A, HelixError, R>
    /**
     * A public endpoint that answers text (the iCalendar schedule): sent without a token, the body
     * as it came; any other status than 2xx is an `HttpError`.
     */
    readonly text: (
      path: string,
      options?: Omit<RequestOptions, "scope" | "userToken">
    ) => Effect.Effect<string, HelixError>
    /** The rate-limit bucket of the current token, as last seen. */
    readonly rateLimit: Effect.Effect<Option.Option<HelixRateLimit.BucketState>, NotAuthorized>
  }

  /**
   * Options of the transport layer.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Options {
    /** How many times a 500/502/503/504 answer, a transport failure or a timeout is retried (default 3). */
    readonly maxRetries?: number
    /** First backoff delay (default 250 ms); doubles each time, with jitter. */
    readonly retryBase?: Duration.DurationInput
    /** Longest backoff delay (default 10 s). */
    readonly retryCap?: Duration.DurationInput
    /** How many 429 answers in a row are waited out before failing (default 5). */
    readonly max429Retries?: number
    /** Points per minute assumed before Twitch's headers say (default 800). */
    readonly initialRateLimit?: number
    /**
     * How long one attempt may take, answer body included (default 30 s). An attempt that takes
     * longer fails with a `TransportError` and is retried like one.
     */
    readonly requestTimeout?: Duration.DurationInput
  }
}

/**
 * Where a model keeps the wire object it was decoded from: a symbol property (skipped by
 * `Object.keys`, JSON and structural equality). A `WeakMap` did the same at 35 times the cost per
 * item, most of it in the garbage collector's ephemeron work (measured: 100 `set`s 180 us against
 * 4 us), which made it the largest avoidable per-call cost of a page.
 */
const rawKey: unique symbol = Symbol.for("effect-twitcher/HelixClient/raw")

const keepRaw = (model: unknown, wire: unknown): void => {
  if (
    model !== wire && typeof model === "object" && model !== null && typeof wire === "object" &&
    wire !== null &&
    Object.isExtensible(model)
  ) {
    Reflect.set(model, rawKey, wire)
  }
}

/**
 * The wire object a decoded Helix model came from, for fields the model does not cover (`None`
 * for a value that was not decoded from a page item into a new object).
 *
 * @since 0.1.0
 * @category accessors
 */
export const raw = (model: object): Option.Option<Readonly<Record<string, unknown>>> => {
  const wire: unknown = Reflect.get(model, rawKey)
  return typeof wire === "object" && wire !== null
    ? Option.some(wire as Readonly<Record<string, unknown>>)
    : Option.none()
}

/** The `Schema.Array` of an item schema, made once per item schema (a new one per call would be compiled anew). */
const arrays = new WeakMap<Schema.Schema.Any, Schema.Schema.Any>()

const arrayOf = <A, I, R>(
  item: Schema.Schema<A, I, R>
): Schema.Schema<ReadonlyArray<A>, ReadonlyArray<I>, R> => {
  const found = arrays.get(item)
  if (found !== undefined) return found as Schema.Schema<ReadonlyArray<A>, ReadonlyArray<I>, R>
  const made = Schema.Array(item)
  arrays.set(item, made)
  return made
}

/** What a `{data, pagination, total}` envelope holds, checked by hand (a Schema decode of it cost more than its `JSON.parse`). */
interface Envelope {
  readonly data: ReadonlyArray<unknown>
  readonly cursor: string | undefined
  readonly total: number | undefined
}

const readEnvelope = (
  json: unknown,
  document: boolean
): Either.Either<Envelope, { readonly path: string; readonly detail: string }> => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return Either.left({ path: "<root>", detail: "Expected an object with a data array" })
  }
  const { pagination, total } = json as Record<string, unknown>
  const found = (json as Record<string, unknown>)["data"]
  // A page whose data is one document is a page of that one item.
  const data = document ? [found] : found
  if (!Array.isArray(data)) return Either.left({ path: "data", detail: "Expected an array" })
  let cursor: unknown = undefined
  if (pagination !== undefined) {
    if (typeof pagination !== "object" || pagination === null) {
      return Either.left({ path: "pagination", detail: "Expected an object" })
    }
    cursor = (pagination as Record<string, unknown>)["cursor"]
    if (cursor !== undefined && typeof cursor !== "string") {
      return Either.left({ path: "pagination.cursor", detail: "Expected a string" })
    }
  }
  if (total !== undefined && typeof total !== "number") {
    return Either.left({ path: "total", detail: "Expected a number" })
  }
  return Either.right({ data, cursor: cursor as string | undefined, total: total as number | undefined })
}

const isUnknown = (schema: Schema.Schema.Any): boolean =>
  schema.ast._tag === "UnknownKeyword" || schema.ast._tag === "AnyKeyword"

const tokenDigests = new WeakMap<AccessToken, string>()

/**
 * The rate-limit bucket a token draws from. Twitch keeps one bucket per client id and user for user
 * tokens and one per client id for app tokens, so a refreshed token keeps its user's bucket. A
 * token whose user is not known yet gets a bucket of its own, keyed by a digest: the token itself
 * is never kept as a key.
 *
 * @since 0.1.0
 * @category accessors
 */
export const bucketKey = (token: AccessToken): string => {
  if (token.kind === "app") return "app"
  if (Option.isSome(token.userId)) return `user:${token.userId.value}`
  let digest = tokenDigests.get(token)
  if (digest === undefined) {
    digest = `token:${
      Crypto.createHash("sha256").update(Redacted.value(token.value)).digest("base64url").slice(0, 22)
    }`
    tokenDigests.set(token, digest)
  }
  return digest
}

/**
 * The transport's metrics (Effect `Metric`s, shared by every area of the HTTP pipeline and tagged
 * `area`, `helix` here): requests by endpoint and status, latency, retries, 429 answers and the
 * points left in the bucket.
 *
 * @since 0.1.0
 * @category metrics
 */
export const metrics = {
  requests: HttpMetrics.requests,
  latency: HttpMetrics.latency,
  retries: HttpMetrics.retryCount,
  throttled: HttpMetrics.throttled,
  bucketRemaining: HttpMetrics.bucketRemaining
}

const isInvalidToken = (e: HelixError): e is NotAuthorized =>
  e._tag === "NotAuthorized" && e.reason === "InvalidToken"

/**
 * Builds the transport from the config, the auth service and an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: HelixClient.Options = {}
): Effect.Effect<HelixClient.Service, never, TwitchConfig | TwitchAuth.TwitchAuth | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig
    const auth = yield* TwitchAuth.TwitchAuth
    const http = yield* HttpClient.HttpClient
    const limiter = yield* HelixRateLimit.make(
      options.initialRateLimit === undefined ? {} : { initialLimit: options.initialRateLimit }
    )
    const max429 = options.max429Retries ?? 5
    const base = config.helixUrl
    const endpointOf = (request: HttpClientRequest.HttpClientRequest) =>
      request.url.startsWith(base) ? request.url.slice(base.length) : request.url

    /**
     * Around every attempt: a point taken from the token's bucket before it, given back or settled
     * from the answer's headers after it (even when the caller is interrupted mid-request), and a
     * 429 waited out until `Ratelimit-Reset` and sent again (at most `max429Retries` times).
     */
    const bucketed = (key: string) => {
      const kind = key === "app" ? "app" : "user"
      const settled = (answer: Answer, request: HttpClientRequest.HttpClientRequest) =>
        Effect.withFiberRuntime<Duration.Duration | undefined>((fiber) => {
          const headers = HelixRateLimit.parseHeaders(answer.headers)
          if (Option.isSome(headers.remaining)) {
            const tags = fiber.getFiberRef(FiberRef.currentMetricLabels)
            HttpMetrics.unsafeRecordRemaining(kind, headers.remaining.value, tags)
          }
          // A 429 with points left is not the bucket (EventSub's "websocket transports limit
          // exceeded", "too many subscriptions"): answered at once, nothing waited out.
          const bucket = answer.status === 429 &&
            !(Option.isSome(headers.remaining) && headers.remaining.value > 0)
          return bucket
            ? Effect.zipLeft(limiter.throttled(key, headers), HttpMetrics.countThrottled(endpointOf(request)))
            : Effect.as(limiter.settle(key, headers), undefined)
        })
      return (
        attempt: HttpPipeline.Attempt,
        request: HttpClientRequest.HttpClientRequest
      ): HttpPipeline.Attempt => {
        const once = Effect.uninterruptibleMask((restore) =>
          Effect.zipRight(
            restore(limiter.acquire(key)),
            Effect.flatMap(
              Effect.onExit(restore(attempt), (exit) =>
                Exit.isSuccess(exit) ? Effect.void : limiter.settle(key, HelixRateLimit.noHeaders)),
              (answer) =>
                Effect.map(settled(answer, request), (wait) => ({ answer, wait }))
            )
          )
        )
        const loop = (throttledSoFar: number): HttpPipeline.Attempt =>
          Effect.flatMap(once, ({ answer, wait }) =>
            wait === undefined || throttledSoFar >= max429
              ? Effect.succeed(answer)
              : Effect.logDebug("Helix 429: waiting for the rate-limit reset").pipe(
                Effect.annotateLogs({ endpoint: endpointOf(request), waitMs: Duration.toMillis(wait) }),
                Effect.zipRight(Effect.sleep(wait)),
                Effect.zipRight(Effect.suspend(() => loop(throttledSoFar + 1)))
              ))
        return loop(0)
      }
    }

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
    // One pipeline per bucket (a handful: the app, and each user whose token is used).
    const pipelines = new Map<string, HttpPipeline.Pipeline>()
    const pipelineFor = (key: string): HttpPipeline.Pipeline => {
      let found = pipelines.get(key)
      if (found === undefined) {
        found = HttpPipeline.make(http, { ...pipelineOptions, around: bucketed(key) })
        pipelines.set(key, found)
      }
      return found
    }

    // The headers of every request with a token, made once per token: Client-Id, User-Agent,
    // Accept and the bearer token (`HttpClientRequest.bearerToken` would copy them per request).
    const fixedHeaders = {
      "client-id": config.clientId,
      "user-agent": config.userAgent,
      accept: "application/json"
    }
    const publicHeaders = Headers.fromInput({ "client-id": config.clientId, "user-agent": config.userAgent })
    const headersByToken = new WeakMap<AccessToken, Headers.Headers>()
    const headersOf = (token: AccessToken): Headers.Headers => {
      let found = headersByToken.get(token)
      if (found === undefined) {
        found = Headers.fromInput({ ...fixedHeaders, authorization: `Bearer ${Redacted.value(token.value)}` })
        headersByToken.set(token, found)
      }
      return found
    }

    const buildRequest = (path: string, token: AccessToken | undefined, request: RequestOptions) => {
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
      const url = path.startsWith("/") ? `${base}${path}` : `${base}/${path}`
      const headers = token === undefined ? publicHeaders : headersOf(token)
      const req = HttpClientRequest.make(request.method ?? "GET")(url, { urlParams, headers })
      return request.body === undefined ? req : HttpClientRequest.bodyUnsafeJson(req, request.body)
    }

    /** One call with a token: the answer of a 2xx, or the typed error of any other status. */
    const send = (path: string, token: AccessToken, request: RequestOptions) =>
      Effect.flatMap(
        pipelineFor(bucketKey(token)).send(buildRequest(path, token, request)),
        (answer): Effect.Effect<Answer, NotAuthorized | HttpError> =>
          answer.status >= 200 && answer.status < 300
            ? Effect.succeed(answer)
            : Effect.fail(responseError(answer))
      )

    const execute = (path: string, request: RequestOptions): Effect.Effect<Answer, HelixError> => {
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
        return send(path, token, request).pipe(
          Effect.catchIf(isInvalidToken, (e) =>
            auth.onUnauthorized(token).pipe(
              // Without a fresh token, Twitch's own 401 answer is the most useful error.
              Effect.mapError(() => e),
              Effect.flatMap((fresh) => send(path, fresh, request))
            ))
        )
      })
      return request.span === false ? call : Span.withSpan(`Helix ${request.method ?? "GET"} ${path}`, {
        kind: "client",
        attributes: { "twitch.helix.path": path }
      })(call)
    }

    const decodeBody = <A, I, R>(answer: Answer, schema: Schema.Schema<A, I, R>) => {
      const decode = FastDecode.decodeUnknown(schema)
      return Effect.flatMap(
        parseJson(answer),
        (json) => Effect.mapError(decode(json), (e) => decodeError(e, answer.info()))
      )
    }

    const request = <A, I, R>(path: string, schema: Schema.Schema<A, I, R>, options: RequestOptions = {}) =>
      Effect.flatMap(execute(path, options), (answer) => decodeBody(answer, schema))

    const page = <A, I, R>(path: string, item: Schema.Schema<A, I, R>, options: PageOptions = {}) =>
      Effect.flatMap(execute(path, options), (answer) =>
        Effect.flatMap(parseJson(answer), (json) => {
          const document = options.document === true
          const envelope = readEnvelope(json, document)
          if (Either.isLeft(envelope)) {
            return Effect.fail(new DecodeError({ ...envelope.left, request: answer.info() }))
          }
          const { cursor, data: wire, total } = envelope.right
          const toPage = (data: ReadonlyArray<A>): Page<A> => {
            for (let i = 0; i < data.length; i++) keepRaw(data[i], wire[i])
            return {
              data,
              cursor: cursor === undefined || cursor === "" || data.length === 0
                ? Option.none()
                : Option.some(cursor),
              total: Option.fromNullable(total)
            }
          }
          // Items of `Schema.Unknown` are the wire objects: nothing to decode.
          if (isUnknown(item)) return Effect.succeed(toPage(wire as ReadonlyArray<A>))
          const decoded = document
            ? Effect.map(FastDecode.decodeUnknown(item)(wire[0]), (one): ReadonlyArray<A> => [one])
            : FastDecode.decodeUnknown(arrayOf(item))(wire)
          return decoded.pipe(
            Effect.mapError((e) => decodeError(e, answer.info(), { prefix: ["data"] })),
            Effect.map(toPage)
          )
        }))

    const paginate = <A, I, R>(
      path: string,
      item: Schema.Schema<A, I, R>,
      options: RequestOptions & { readonly pageSize?: number } = {}
    ) => {
      const { pageSize, ...rest } = options
      const first = Math.min(100, Math.max(1, pageSize ?? 100))
      return Stream.paginateChunkEffect(undefined as string | undefined, (after) =>
        Effect.map(
          page(path, item, { ...rest, query: { ...rest.query, first, after } }),
          (p) => [Chunk.fromIterable(p.data), p.cursor] as const
        ))
    }

    // Public endpoints are sent without a token, so they draw from no bucket of ours.
    const publicPipeline = HttpPipeline.make(http, pipelineOptions)
    const text = (path: string, options: Omit<RequestOptions, "scope" | "userToken"> = {}) => {
      const call = Effect.flatMap(
        publicPipeline.send(buildRequest(path, undefined, options)),
        (answer): Effect.Effect<string, HttpError> =>
          answer.status >= 200 && answer.status < 300
            ? Effect.succeed(answer.text)
            : Effect.fail(httpError(answer))
      )
      return options.span === false ? call : Span.withSpan(`Helix ${options.method ?? "GET"} ${path}`, {
        kind: "client",
        attributes: { "twitch.helix.path": path }
      })(call)
    }

    const rateLimit = Effect.flatMap(auth.current, (token) => limiter.state(bucketKey(token)))

    return HelixClient.of({ request, page, paginate, text, rateLimit })
  })

/**
 * The transport layer; needs `TwitchConfig`, `TwitchAuth` and an `HttpClient` (the app picks
 * `NodeHttpClient.layerUndici`, `FetchHttpClient.layer`...).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: HelixClient.Options = {}
): Layer.Layer<HelixClient, never, TwitchConfig | TwitchAuth.TwitchAuth | HttpClient.HttpClient> =>
  Layer.effect(HelixClient, make(options))
