/**
 * The one HTTP pipeline every area (Helix, id.twitch.tv, GQL, usher, the emote CDN) sends its
 * requests through. It is an `HttpClient` built from the platform's own combinators:
 *
 * - `mapRequestInput(prependUrl)` and `setHeaders` for the area's base URL and fixed headers;
 * - per attempt: the body read to the end within the time limit (`transformResponse` +
 *   `Effect.timeout`), metrics, and the area's own wrapper (Helix's rate-limit bucket);
 * - `filterStatus` + `retryTransient` with capped, jittered exponential backoff for transport
 *   failures, timeouts and 5xx answers (the last answer is returned when retries run out);
 * - no platform `http.client` span for a URL that carries a secret, and secret headers redacted
 *   in the spans it does make.
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
import type * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
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
export type Attempt = Effect.Effect<HttpClientResponse.HttpClientResponse, Failure>

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

/** Headers whose values are secrets, besides the platform's (authorization, cookies). */
const secretHeaders: ReadonlyArray<string> = ["client-integrity"]

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
  const attempt = (
    effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>,
    request: HttpClientRequest.HttpClientRequest
  ): Attempt => {
    const timed = measured(
      endpoint(request),
      effect.pipe(Effect.tap(readBody), Effect.timeout(timeout))
    )
    return around === undefined ? timed : around(timed, request)
  }

  const retried = (client: HttpClient.HttpClient.With<Failure>): HttpClient.HttpClient.With<Failure> => {
    if (options.retry === undefined) return client
    return client.pipe(
      HttpClient.filterStatus((status) => status < 500),
      HttpClient.retryTransient({ schedule: backoff(area, options.retry), mode: "errors-only" }),
      // Out of retries, a 5xx is an answer again: the area maps it like any other.
      HttpClient.catchTag(
        "ResponseError",
        (error) => error.reason === "StatusCode" ? Effect.succeed(error.response) : Effect.fail(error)
      )
    )
  }

  const headers = options.headers
  const client = base.pipe(
    baseUrl === undefined ? identity : HttpClient.mapRequestInput(HttpClientRequest.prependUrl(baseUrl)),
    headers === undefined ? identity : HttpClient.mapRequestInput(HttpClientRequest.setHeaders(headers)),
    HttpClient.transform(attempt),
    retried,
    HttpClient.transformResponse((effect) =>
      effect.pipe(
        Effect.locallyWith(HttpClient.currentTracerDisabledWhen, (disabled) => (request) =>
          disabled(request) || hasSecretQuery(request)),
        Effect.locallyWith(Headers.currentRedactedNames, (names) => [...names, ...secretHeaders])
      )
    )
  )

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
    client.execute(request).pipe(
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
