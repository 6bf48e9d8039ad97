/**
 * The one HTTP pipeline every area (Helix, id.twitch.tv, GQL, usher, the emote CDN) sends its
 * requests through. It is an `HttpClient` built from the platform's own combinators:
 *
 * - `mapRequestInput(prependUrl)` and `setHeaders` for the area's base URL and fixed headers;
 * - per attempt: the body read to the end within the time limit (`withScope`, see
 *   {@link timeLimit}), metrics, and the area's own wrapper (Helix's rate-limit bucket);
 * - `filterStatus` + retries with capped, jittered exponential backoff (a `Schedule`) for transport
 *   failures, timeouts and 500/502/503/504 answers, as `retryTransient` would but set up only
 *   after a first failure (the last answer is returned when retries run out);
 * - no platform `http.client` span for a URL that carries a secret, and the area's secret headers
 *   (GQL's `Client-Integrity`) redacted in the spans it does make.
 *
 * `send` turns what comes out into an {@link Answer} or a `TransportError`; each area maps
 * answers with the helpers of `failure.ts`.
 *
 * @since 0.1.0
 * @internal
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import { constTrue } from "effect/Function"
import * as Runtime from "effect/Runtime"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as Scope from "effect/Scope"
import type { TransportError } from "../../TwitchError.js"
import { type Answer, type RequestInfo, transportError } from "./failure.js"
import * as HttpMetrics from "./metrics.js"
import { hasSecretParam, redactUrl, secretParams, withoutQuery } from "./redact.js"

/**
 * Retries of transient failures: transport errors, timeouts, and 500/502/503/504 answers.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions {
  /** How many retries after the first attempt. */
  readonly times: number
  /** First delay; doubles each time, with jitter. */
  readonly base: Duration.DurationInput
  /** Longest delay. */
  readonly cap: Duration.DurationInput
}

/**
 * What an attempt is: the request sent and its answer read to the end within the time limit.
 *
 * @since 0.1.0
 * @category models
 */
export type Attempt<A = HttpClientResponse.HttpClientResponse> = Effect.Effect<A, Failure>

/**
 * A failure without an answer, before it is mapped to `TransportError`.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure = HttpClientError.HttpClientError | Cause.TimeoutException

/**
 * Options of one area's pipeline.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The area, a label on metrics and debug logs (`helix`, `oauth`, `gql`, `usher`, `emotes`). */
  readonly area: string
  /** Prepended to every request's URL. */
  readonly baseUrl?: string | undefined
  /** Set on every request (a request's own headers of the same name win). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** How long one attempt may take, answer body included. */
  readonly timeout: Duration.DurationInput
  /** Retries of transient failures; none when left out. */
  readonly retry?: RetryOptions | undefined
  /**
   * How URLs are written in errors and logs: with secret parameters redacted (default), or as
   * the path alone (for areas whose whole query is of no use to a reader).
   */
  readonly urls?: "redacted" | "path" | undefined
  /** Header names whose values are secrets, kept out of the platform's spans besides its own (`authorization`, cookies). */
  readonly secretHeaders?: ReadonlyArray<string> | undefined
  /** Whether answers are read as text (default) or as bytes (pictures). */
  readonly body?: "text" | "bytes" | undefined
  /** The endpoint label of a request on metrics (default: the area). */
  readonly endpoint?: ((request: HttpClientRequest.HttpClientRequest) => string) | undefined
  /** Wraps every attempt, e.g. to wait on a rate limit before it and read its answer's headers. */
  readonly around?:
    | ((attempt: Attempt, request: HttpClientRequest.HttpClientRequest) => Attempt)
    | undefined
}

/**
 * One area's pipeline.
 *
 * @since 0.1.0
 * @category models
 */
export interface Pipeline {
  /** The decorated client: its answers are read to the end, its failures not yet mapped. */
  readonly client: HttpClient.HttpClient.With<Failure>
  /** Sends a request: its answer (any status, after retries), or a `TransportError`. */
  readonly send: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<Answer, TransportError>
  /** Method and URL of a request as errors and logs record it. */
  readonly info: (request: HttpClientRequest.HttpClientRequest) => RequestInfo
}

/** The answers worth another try, as `HttpClient.retryTransient` counts them (408 and 429 aside). */
const transientStatus: ReadonlySet<number> = new Set([500, 502, 503, 504])

/**
 * Transport failures, timeouts, answers cut off while their body was read (`Decode`), and
 * transient 5xx answers (after `filterStatus`).
 */
const isTransient = (error: Failure): boolean =>
  Cause.isTimeoutException(error) ||
  (error._tag === "RequestError" && error.reason === "Transport") ||
  (error._tag === "ResponseError" &&
    (error.reason === "Decode" ||
      (error.reason === "StatusCode" && transientStatus.has(error.response.status))))

const hasSecretQuery = (request: HttpClientRequest.HttpClientRequest): boolean =>
  hasSecretParam(request.url) || request.urlParams.some(([key]) => secretParams.includes(key.toLowerCase()))

/**
 * Capped exponential backoff with jitter, at most `times` retries, counted on the retries metric.
 *
 * @since 0.1.0
 * @category retries
 */
export const backoff = (area: string, retry: RetryOptions): Schedule.Schedule<unknown, unknown> => {
  const retries = HttpMetrics.retries(area)
  return Schedule.exponential(retry.base, 2).pipe(
    Schedule.jittered,
    Schedule.union(Schedule.spaced(retry.cap)),
    Schedule.intersect(Schedule.recurs(retry.times)),
    Schedule.onDecision((_, decision) => ScheduleDecision.isContinue(decision) ? retries : Effect.void)
  )
}

/**
 * The time limit of one attempt (answer body included), without forking a fiber into the call.
 * `Effect.timeout` races the attempt in two child fibers; measured on a Get Streams page, that
 * cost 200-600 us of CPU per call (more of the call's garbage is promoted to the old generation
 * while a sibling fiber is alive), several times the rest of the pipeline. Here the attempt runs
 * under a scope of its own (the client is `HttpClient.withScope`d: closing the scope aborts the
 * request), and a separate fiber, forked with the caller's runtime so that its `Clock` (the
 * `TestClock` in tests) decides, sleeps for the limit and then closes that scope: the aborted
 * attempt fails with a `TimeoutException`. The sleeper is interrupted when the attempt ends, and
 * the scope closed (the request aborted) unless the attempt succeeded.
 *
 * @since 0.1.0
 * @category timeouts
 */
export const timeLimit = (limit: Duration.Duration) => {
  const text = `no answer within ${Duration.format(limit)}`
  return <A>(attempt: Effect.Effect<A, HttpClientError.HttpClientError, Scope.Scope>): Attempt<A> =>
    Effect.flatMap(Scope.make(), (scope) =>
      Effect.flatMap(Effect.runtime<never>(), (runtime) => {
        let expired = false
        // Interruptible even when the call is not (a request in a finalizer): else the sleeper
        // outlives the call and keeps the process alive until the limit.
        const sleeper = Runtime.runFork(runtime)(
          Effect.interruptible(Effect.zipRight(
            Effect.sleep(limit),
            Effect.suspend(() => {
              expired = true
              return Scope.close(scope, Exit.void)
            })
          ))
        )
        return attempt.pipe(
          Effect.provideService(Scope.Scope, scope),
          Effect.catchAll((error): Effect.Effect<never, Failure> =>
            Effect.fail(expired ? new Cause.TimeoutException(text) : error)
          ),
          Effect.onExit((exit) => {
            sleeper.unsafeInterruptAsFork(FiberId.none)
            // A completed attempt has read its answer: nothing to abort (an abort costs a
            // DOMException). A failed or interrupted one is aborted.
            return Exit.isSuccess(exit) ? Effect.void : Scope.close(scope, exit)
          })
        )
      }))
}

/**
 * Builds an area's pipeline over the app's `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (base: HttpClient.HttpClient, options: Options): Pipeline => {
  const timeout = Duration.decode(options.timeout)
  const timeoutText = Duration.format(timeout)
  const { area, baseUrl } = options
  const endpoint = options.endpoint ?? (() => area)
  const around = options.around

  const bytes = options.body === "bytes"
  const readBody = (response: HttpClientResponse.HttpClientResponse) =>
    bytes ? response.arrayBuffer : response.text
  const measured = HttpMetrics.measure(area)
  const limited = timeLimit(timeout)
  const attempt = (
    effect: Effect.Effect<
      HttpClientResponse.HttpClientResponse,
      HttpClientError.HttpClientError,
      Scope.Scope
    >,
    request: HttpClientRequest.HttpClientRequest
  ): Attempt => {
    const timed = measured(endpoint(request), limited(Effect.tap(effect, readBody)))
    return around === undefined ? timed : around(timed, request)
  }

  const retried = (client: HttpClient.HttpClient.With<Failure>): HttpClient.HttpClient.With<Failure> => {
    if (options.retry === undefined) return client
    const schedule = backoff(area, options.retry)
    return client.pipe(
      HttpClient.filterStatus((status) => !transientStatus.has(status)),
      HttpClient.transform((attempt) =>
        // `HttpClient.retryTransient` sets up its schedule driver on every call (measured: 8% of a
        // call's allocations) though most calls succeed at once: here the retries start only after a
        // first transient failure, which the schedule then sees first, so delays and counts are
        // those of retrying from the start.
        Effect.catchIf(attempt, isTransient, (first) => {
          let replay: Failure | undefined = first
          const again = Effect.suspend(() => {
            const failure = replay
            replay = undefined
            return failure === undefined ? attempt : Effect.fail(failure)
          })
          return Effect.retry(again, { schedule, while: isTransient })
        })
      ),
      // Out of retries, a 5xx is an answer again: the area maps it like any other.
      HttpClient.catchTag(
        "ResponseError",
        (error) => error.reason === "StatusCode" ? Effect.succeed(error.response) : Effect.fail(error)
      )
    )
  }

  const headers = options.headers
  // Each attempt runs under a scope of its own: closing it aborts the request (see timeLimit).
  let scoped: HttpClient.HttpClient.With<HttpClientError.HttpClientError, Scope.Scope> = HttpClient.withScope(
    base
  )
  if (baseUrl !== undefined) {
    scoped = HttpClient.mapRequestInput(scoped, HttpClientRequest.prependUrl(baseUrl))
  }
  if (headers !== undefined) {
    scoped = HttpClient.mapRequestInput(scoped, HttpClientRequest.setHeaders(headers))
  }
  const attempted = HttpClient.makeWith<never, never, Failure, never>(
    (request) => Effect.flatMap(request, (r) => attempt(scoped.execute(r), r)),
    Effect.succeed
  )
  // Fiber refs are set only where needed: every `locally` copies the fiber's refs twice.
  const redacted = options.secretHeaders
  const client = redacted === undefined ? retried(attempted) : HttpClient.transformResponse(
    retried(attempted),
    Effect.locallyWith(Headers.currentRedactedNames, (names) => [...names, ...redacted])
  )
  /** The platform's `http.client` span records the URL: none for a URL that carries a secret. */
  const execute = (request: HttpClientRequest.HttpClientRequest) =>
    hasSecretQuery(request)
      ? Effect.locally(client.execute(request), HttpClient.currentTracerDisabledWhen, constTrue)
      : client.execute(request)

  const info = (request: HttpClientRequest.HttpClientRequest): RequestInfo => {
    const raw = baseUrl === undefined ? request.url : HttpClientRequest.prependUrl(request, baseUrl).url
    const full = UrlParams.makeUrl(raw, request.urlParams, request.hash)
    const url = full._tag === "Right" ? full.right.toString() : raw
    return { method: request.method, url: options.urls === "path" ? withoutQuery(url) : redactUrl(url) }
  }

  const readText = (
    request: HttpClientRequest.HttpClientRequest,
    response: HttpClientResponse.HttpClientResponse
  ) =>
    Effect.map(response.text, (text): Answer => ({
      status: response.status,
      headers: response.headers,
      text,
      info: () => info(request)
    }))

  const readBytes = (
    request: HttpClientRequest.HttpClientRequest,
    response: HttpClientResponse.HttpClientResponse
  ) =>
    Effect.map(response.arrayBuffer, (buffer): Answer => {
      const body = new Uint8Array(buffer)
      const ok = response.status >= 200 && response.status < 300
      return {
        status: response.status,
        headers: response.headers,
        text: ok ? "" : new TextDecoder().decode(body),
        bytes: body,
        info: () => info(request)
      }
    })

  const send = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<Answer, TransportError> =>
    execute(request).pipe(
      Effect.flatMap((response) => bytes ? readBytes(request, response) : readText(request, response)),
      Effect.mapError((error) => transportError(error, info(request), timeoutText)),
      Effect.tap((answer) =>
        Effect.whenLogLevel(
          Effect.suspend(() => {
            const { method, url } = answer.info()
            return Effect.logDebug(`${area} answer`).pipe(
              Effect.annotateLogs({ method, url, status: answer.status })
            )
          }),
          "Debug"
        )
      )
    )

  return { client, send, info }
}
