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
import * as HttpClient from "@effect/platform/HttpClient"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { AccessToken } from "../auth/AccessToken.js"
import * as TwitchAuth from "../auth/TwitchAuth.js"
import * as HttpMetrics from "../internal/http/metrics.js"
import { TwitchConfig } from "../TwitchConfig.js"
import type { HelixError, NotAuthorized } from "../TwitchError.js"
import * as HelixRateLimit from "./HelixRateLimit.js"
import * as Answer from "./internal/answer.js"
import * as Bucket from "./internal/bucket.js"
import * as Transport from "./internal/transport.js"

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
 * The wire object a decoded Helix model came from, for fields the model does not cover (`None`
 * for a value that was not decoded from a page item into a new object).
 *
 * @since 0.1.0
 * @category accessors
 */
export const raw = (model: object): Option.Option<Readonly<Record<string, unknown>>> => {
  const wire: unknown = Reflect.get(model, Answer.rawKey)
  return typeof wire === "object" && wire !== null
    ? Option.some(wire as Readonly<Record<string, unknown>>)
    : Option.none()
}

/**
 * The rate-limit bucket a token draws from. Twitch keeps one bucket per client id and user for user
 * tokens and one per client id for app tokens, so a refreshed token keeps its user's bucket. A
 * token whose user is not known yet gets a bucket of its own, keyed by a digest: the token itself
 * is never kept as a key.
 *
 * @since 0.1.0
 * @category accessors
 */
export const bucketKey: (token: AccessToken) => string = Bucket.bucketKey

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
    const limiter = yield* HelixRateLimit.make(
      options.initialRateLimit === undefined ? {} : { initialLimit: options.initialRateLimit }
    )
    const transport = Transport.makeTransport(
      yield* TwitchConfig,
      yield* TwitchAuth.TwitchAuth,
      yield* HttpClient.HttpClient,
      limiter,
      options
    )
    return HelixClient.of({
      request: (path, schema, options = {}) =>
        Effect.flatMap(
          Transport.execute(transport, path, options),
          (answer) => Answer.decodeBody(answer, schema)
        ),
      page: (path, item, options = {}) =>
        Effect.flatMap(
          Transport.execute(transport, path, options),
          (answer) => Answer.decodePage(answer, item, options.document === true)
        ),
      paginate: (path, item, options = {}) => paginate(transport, path, item, options),
      text: (path, options = {}) => Transport.text(transport, path, options),
      rateLimit: Effect.flatMap(transport.auth.current, (token) => limiter.state(bucketKey(token)))
    })
  })

/** Every item of a paged endpoint, a page fetched when the previous one has been pulled. */
const paginate = <A, I, R>(
  transport: Transport.Transport,
  path: string,
  item: Schema.Schema<A, I, R>,
  options: RequestOptions & { readonly pageSize?: number }
): Stream.Stream<A, HelixError, R> => {
  const { pageSize, ...rest } = options
  const first = Math.min(100, Math.max(1, pageSize ?? 100))
  return Stream.paginateChunkEffect(
    undefined as string | undefined,
    (after) =>
      Effect.flatMap(
        Transport.execute(transport, path, { ...rest, query: { ...rest.query, first, after } }),
        (answer) =>
          Effect.map(
            Answer.decodePage(answer, item, false),
            (p) => [Chunk.fromIterable(p.data), p.cursor] as const
          )
      )
  )
}

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
