/**
 * The Helix transport: the one place every Helix call goes through. It adds `Client-Id` and the
 * bearer token from the auth layer's `Ref`, checks scopes before sending, waits on the shared
 * rate-limit bucket of the token, retries 429s after `Ratelimit-Reset` and 5xx/transport failures
 * with capped exponential backoff and jitter, refreshes once on 401, decodes with `Schema`, and maps
 * every failure into the library's typed errors. Lists that page are `Stream`s.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Crypto from "node:crypto"
import type { AccessToken } from "../auth/AccessToken.js"
import * as TwitchAuth from "../auth/TwitchAuth.js"
import { TwitchConfig } from "../TwitchConfig.js"
import { DecodeError, type HelixError, HttpError, NotAuthorized, TransportError } from "../TwitchError.js"
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
      options?: RequestOptions
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
    /** How many times a 5xx or transport failure is retried (default 3). */
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

const rawObjects = new WeakMap<object, unknown>()

/**
 * The wire object a decoded Helix model came from, for fields the model does not cover.
 *
 * @since 0.1.0
 * @category accessors
 */
export const raw = (model: object): Option.Option<Readonly<Record<string, unknown>>> =>
  Option.fromNullable(rawObjects.get(model) as Readonly<Record<string, unknown>> | undefined)

const PageEnvelope = Schema.Struct({
  data: Schema.Array(Schema.Unknown),
  pagination: Schema.optional(Schema.Struct({ cursor: Schema.optional(Schema.String) })),
  total: Schema.optional(Schema.Number)
})

const TwitchErrorBody = Schema.Struct({
  error: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String)
})

/** Whether an error is worth retrying with backoff (5xx and transport failures). */
const isRetryable = (error: HelixError): boolean =>
  error._tag === "TransportError" || (error._tag === "HttpError" && error.status >= 500)

const parseErrorToDecodeError = (
  error: ParseResult.ParseError,
  request: { readonly method: string; readonly url: string },
  prefix: ReadonlyArray<PropertyKey> = []
): DecodeError => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  const path = [...prefix, ...(first?.path ?? [])].map(String).join(".")
  return new DecodeError({
    path: path === "" ? "<root>" : path,
    detail: first?.message ?? error.message,
    request
  })
}

type RequestInfo = { readonly method: string; readonly url: string }

/** `https://host/helix/streams?first=1` without credentials (Helix puts none in the URL). */
const describe = (method: string, url: string): RequestInfo => ({ method, url })

/**
 * The rate-limit bucket a token draws from. Twitch keeps one bucket per client id and user for user
 * tokens and one per client id for app tokens, so a refreshed token keeps its user's bucket. A
 * token whose user is not known yet gets a bucket of its own, keyed by a digest: the token itself
 * is never kept as a key.
 *
 * @since 0.1.0
 * @category accessors
 */
export const bucketKey = (token: AccessToken): string =>
  token.kind === "app"
    ? "app"
    : Option.isSome(token.userId)
    ? `user:${token.userId.value}`
    : `token:${
      Crypto.createHash("sha256").update(Redacted.value(token.value)).digest("base64url").slice(0, 22)
    }`

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
    const maxRetries = options.maxRetries ?? 3
    const requestTimeout = Duration.decode(options.requestTimeout ?? Duration.seconds(30))
    const max429 = options.max429Retries ?? 5
    const backoff = Schedule.exponential(options.retryBase ?? Duration.millis(250), 2).pipe(
      Schedule.jittered,
      Schedule.union(Schedule.spaced(options.retryCap ?? Duration.seconds(10))),
      Schedule.intersect(Schedule.recurs(maxRetries))
    )

    const buildRequest = (path: string, token: AccessToken, request: RequestOptions) => {
      const method = request.method ?? "GET"
      const params: Array<[string, string]> = []
      for (const [key, value] of Object.entries(request.query ?? {})) {
        if (value === undefined) continue
        if (Array.isArray(value)) { for (const v of value) params.push([key, String(v)]) }
        else params.push([key, String(value)])
      }
      const url = new URL(`${config.helixUrl}${path.startsWith("/") ? path : `/${path}`}`)
      for (const [key, value] of params) url.searchParams.append(key, value)
      let req = HttpClientRequest.make(method)(url.toString()).pipe(
        HttpClientRequest.setHeaders({ "Client-Id": config.clientId, "User-Agent": config.userAgent }),
        HttpClientRequest.acceptJson,
        HttpClientRequest.bearerToken(token.value)
      )
      if (request.body !== undefined) req = HttpClientRequest.bodyUnsafeJson(req, request.body)
      return { req, info: describe(method, url.toString()) }
    }

    const parseJson = (text: string, info: RequestInfo): Effect.Effect<unknown, DecodeError> => {
      if (text === "") return Effect.succeed(null)
      return Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: () =>
          new DecodeError({ path: "<body>", detail: `not JSON: ${text.slice(0, 80)}`, request: info })
      })
    }

    const failureOf = (
      status: number,
      body: unknown,
      info: RequestInfo
    ): NotAuthorized | HttpError => {
      const decoded = Schema.decodeUnknownOption(TwitchErrorBody)(body)
      const error = Option.flatMap(decoded, (b) => Option.fromNullable(b.error))
      const message = Option.flatMap(decoded, (b) => Option.fromNullable(b.message))
      if (status === 401 || (status === 403 && Option.exists(message, (m) => /scope/i.test(m)))) {
        const scope = Option.flatMap(
          message,
          (m) => Option.fromNullable(/scope[s]?:?\s+([\w:.-]+)/i.exec(m)?.[1])
        )
        return new NotAuthorized({
          reason: Option.isSome(scope) ? "MissingScope" : "InvalidToken",
          status,
          request: info,
          ...(Option.isSome(scope) ? { scope: scope.value } : {}),
          ...(Option.isSome(message) ? { twitchMessage: message.value } : {})
        })
      }
      return new HttpError({
        status,
        request: info,
        ...(Option.isSome(error) ? { error: error.value } : {}),
        ...(Option.isSome(message) ? { twitchMessage: message.value } : {})
      })
    }

    /**
     * One exchange with Twitch, answer body included, within `requestTimeout`. The point taken from
     * the bucket is always given back or settled, even when the caller is interrupted mid-request.
     */
    const exchange = (key: string, req: HttpClientRequest.HttpClientRequest, info: RequestInfo) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.zipRight(
          restore(limiter.acquire(key)),
          restore(
            http.execute(req).pipe(
              Effect.flatMap((response) => Effect.map(response.text, (text) => ({ response, text }))),
              Effect.mapError((e) =>
                new TransportError({
                  detail: e.message.replace(/Bearer\s+\S+/gi, "Bearer <redacted>"),
                  request: info
                })
              ),
              Effect.timeoutFail({
                duration: requestTimeout,
                onTimeout: () =>
                  new TransportError({
                    detail: `Helix did not answer within ${Duration.format(requestTimeout)}`,
                    request: info
                  })
              })
            )
          ).pipe(
            Effect.onExit((exit) =>
              Exit.isSuccess(exit) ? Effect.void : limiter.settle(key, HelixRateLimit.noHeaders)
            ),
            Effect.flatMap(({ response, text }) => {
              const headers = HelixRateLimit.parseHeaders(response.headers)
              // A 429 with points left is not the bucket (EventSub's "websocket transports limit
              // exceeded", "too many subscriptions"): answered at once, nothing waited out.
              const bucket: boolean = response.status === 429 &&
                !(Option.isSome(headers.remaining) && headers.remaining.value > 0)
              const answer = (wait: Duration.Duration) => ({ response, text, wait, bucket })
              return bucket
                ? Effect.map(limiter.throttled(key, headers), answer)
                : Effect.as(limiter.settle(key, headers), answer(Duration.zero))
            })
          )
        )
      )

    /** One attempt: acquire a point, send, settle the bucket; 429s are waited out here. */
    const send = (
      path: string,
      token: AccessToken,
      request: RequestOptions,
      throttledSoFar: number
    ): Effect.Effect<
      { readonly status: number; readonly body: unknown; readonly info: RequestInfo },
      HelixError
    > =>
      Effect.gen(function*() {
        const { info, req } = buildRequest(path, token, request)
        const { bucket, response, text, wait } = yield* exchange(bucketKey(token), req, info)
        if (bucket && throttledSoFar < max429) {
          yield* Effect.logDebug("Helix 429: waiting for the rate-limit reset").pipe(
            Effect.annotateLogs({ method: info.method, url: info.url, waitMs: Duration.toMillis(wait) })
          )
          yield* Effect.sleep(wait)
          return yield* send(path, token, request, throttledSoFar + 1)
        }
        const body = yield* parseJson(text, info)
        yield* Effect.logDebug("Helix response").pipe(
          Effect.annotateLogs({ method: info.method, url: info.url, status: response.status })
        )
        if (response.status >= 200 && response.status < 300) return { status: response.status, body, info }
        return yield* Effect.fail(failureOf(response.status, body, info))
      })

    const execute = (path: string, request: RequestOptions) =>
      Effect.gen(function*() {
        const token = yield* TwitchAuth.tokenWithScope(auth, request.scope)
        if (request.userToken === true && token.kind === "app") {
          return yield* Effect.fail(
            new NotAuthorized({
              reason: "WrongTokenKind",
              ...(request.scope ? { scope: request.scope } : {})
            })
          )
        }
        const attempt = (t: AccessToken) =>
          Effect.retry(send(path, t, request, 0), { schedule: backoff, while: isRetryable })
        return yield* attempt(token).pipe(
          Effect.catchIf(
            (e): e is NotAuthorized => e._tag === "NotAuthorized" && e.reason === "InvalidToken",
            (e) =>
              auth.onUnauthorized(token).pipe(
                // Without a fresh token, Twitch's own 401 answer is the most useful error.
                Effect.mapError(() => e),
                Effect.flatMap(attempt)
              )
          )
        )
      }).pipe(
        Effect.withSpan(`Helix ${request.method ?? "GET"} ${path}`, {
          kind: "client",
          attributes: { "twitch.helix.path": path }
        })
      )

    const request = <A, I, R>(path: string, schema: Schema.Schema<A, I, R>, options: RequestOptions = {}) =>
      Effect.flatMap(
        execute(path, options),
        ({ body, info }) =>
          Effect.mapError(Schema.decodeUnknown(schema)(body), (e) => parseErrorToDecodeError(e, info))
      )

    const page = <A, I, R>(path: string, item: Schema.Schema<A, I, R>, options: RequestOptions = {}) =>
      Effect.gen(function*() {
        const { body, info } = yield* execute(path, options)
        const envelope = yield* Effect.mapError(
          Schema.decodeUnknown(PageEnvelope)(body),
          (e) => parseErrorToDecodeError(e, info)
        )
        const decodeItem = Schema.decodeUnknown(item)
        const data = yield* Effect.forEach(envelope.data, (wire, index) =>
          decodeItem(wire).pipe(
            Effect.mapError((e) => parseErrorToDecodeError(e, info, ["data", index])),
            Effect.tap((model) =>
              Effect.sync(() => {
                if (
                  typeof model === "object" && model !== null && typeof wire === "object" && wire !== null
                ) {
                  rawObjects.set(model, wire)
                }
              })
            )
          ))
        const cursor = Option.filter(
          Option.fromNullable(envelope.pagination?.cursor),
          (c) => c !== "" && envelope.data.length > 0
        )
        return { data, cursor, total: Option.fromNullable(envelope.total) } satisfies Page<A>
      })

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

    const rateLimit = Effect.flatMap(auth.current, (token) => limiter.state(bucketKey(token)))

    return HelixClient.of({ request, page, paginate, rateLimit })
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
