/**
 * The one HTTP pipeline every area (Helix, id.twitch.tv, GQL, usher, the emote CDN) sends its
 * requests through, over the app's `HttpClient`:
 *
 * - the area's base URL and fixed headers, set once per request;
 * - per attempt: the body read to the end within the time limit (`HttpClient.withScope`, see
 *   {@link timeLimit}), counted and timed, inside the area's own wrapper (Helix's rate-limit
 *   bucket);
 * - retries with capped, jittered exponential backoff (a `Schedule`) for transport failures,
 *   timeouts and 500/502/503/504 answers, as `retryTransient` would but set up only after a first
 *   failure (the last answer is returned when retries run out);
 * - no platform `http.client` span for a URL that carries a secret (nor under Effect's own tracer,
 *   which keeps no span), and the area's secret headers (GQL's `Client-Integrity`) redacted in the
 *   spans it does make.
 *
 * It is written as a few plain steps rather than a stack of `HttpClient` combinators: each layer
 * of those is several effects per call, which profiles of a Get Streams call showed as most of
 * the pipeline's cost. `send` turns what comes out into an {@link Answer} or a `TransportError`;
 * each area maps answers with the helpers of `failure.ts`.
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
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import { constTrue } from "effect/Function"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as Scope from "effect/Scope"
import type * as Tracer from "effect/Tracer"
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
 * A failure without an answer, before it is mapped to `TransportError`.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure = HttpClientError.HttpClientError | Cause.TimeoutException

/**
 * What an attempt is: the request sent and its answer read to the end within the time limit.
 *
 * @since 0.1.0
 * @category models
 */
export type Attempt = Effect.Effect<Answer, Failure>

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
  readonly around?: ((attempt: Attempt, request: HttpClientRequest.HttpClientRequest) => Attempt) | undefined
}

/**
 * One area's pipeline.
 *
 * @since 0.1.0
 * @category models
 */
export interface Pipeline {
  /** Sends a request: its answer (any status, after retries), or a `TransportError`. */
  readonly send: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<Answer, TransportError>
  /** Method and URL of a request as errors and logs record it. */
  readonly info: (request: HttpClientRequest.HttpClientRequest) => RequestInfo
}

/** The answers worth another try, as `HttpClient.retryTransient` counts them (408 and 429 aside). */
const transientStatus: ReadonlySet<number> = new Set([500, 502, 503, 504])

/** A 500/502/503/504 answer while retries are left: a failure to the retry, an answer after. */
class TransientAnswer {
  readonly _tag = "TransientAnswer"
  constructor(readonly answer: Answer) {}
}

type Retryable = Failure | TransientAnswer

/** Transport failures, timeouts, answers cut off while their body was read (`Decode`), 5xx answers. */
const isTransient = (error: Retryable): boolean =>
  error._tag === "TransientAnswer" ||
  Cause.isTimeoutException(error) ||
  (error._tag === "RequestError" && error.reason === "Transport") ||
  (error._tag === "ResponseError" && error.reason === "Decode")

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

let live: Clock.Clock | undefined
/** Effect's own clock (timers of the event loop), as opposed to a `TestClock` or a user's clock. */
const liveClock = (): Clock.Clock => (live ??= Effect.runSync(Effect.clock))

/**
 * Arms the time limit of one attempt: `expire` runs when it passes, unless the returned cancel
 * runs first. Time is the fiber's `Clock` (the `TestClock` in tests): for Effect's own clock a
 * timer of the event loop, which is what its `sleep` is, without a fiber; for any other clock a
 * sleeper fiber on that clock, outside the caller's context (so that it keeps none of the call's
 * spans or values alive until it is interrupted).
 */
const arm = (clock: Clock.Clock, limit: Duration.Duration, expire: Effect.Effect<void>): () => void => {
  if (clock === liveClock()) {
    const timer = setTimeout(() => Effect.runFork(expire), Duration.toMillis(limit))
    return () => clearTimeout(timer)
  }
  const sleeper = Effect.runFork(Effect.zipRight(clock.sleep(limit), expire))
  return () => sleeper.unsafeInterruptAsFork(FiberId.none)
}

/**
 * The time limit of one attempt (answer body included), without forking a fiber into the call.
 * `Effect.timeout` races the attempt in two child fibers; measured on a Get Streams page, that
 * cost 200-600 us of CPU per call, several times the rest of the pipeline. Here the attempt runs
 * under a scope of its own (the client is `HttpClient.withScope`d: closing the scope aborts the
 * request), and a timer (see `arm`) closes that scope when the limit passes: the aborted attempt
 * fails with a `TimeoutException`. The timer is cancelled when the attempt ends, and the scope
 * closed (the request aborted) unless the attempt succeeded. `onEnd` sees how it ended and how
 * long it took (for the metrics), in the same step.
 *
 * @since 0.1.0
 * @category timeouts
 */
export const timeLimit = (limit: Duration.Duration) => {
  const text = `no answer within ${Duration.format(limit)}`
  return <A>(
    attempt: Effect.Effect<A, HttpClientError.HttpClientError, Scope.Scope>,
    onEnd?: (exit: Exit.Exit<A, Failure>, millis: number, fiber: Fiber.RuntimeFiber<unknown, unknown>) => void
  ): Effect.Effect<A, Failure> =>
    Effect.flatMap(Scope.make(), (scope) =>
      Effect.withFiberRuntime((fiber) => {
        const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
        const start = clock.unsafeCurrentTimeMillis()
        let expired = false
        const cancel = arm(
          clock,
          limit,
          Effect.suspend(() => {
            expired = true
            return Scope.close(scope, Exit.void)
          })
        )
        return attempt.pipe(
          Effect.provideService(Scope.Scope, scope),
          Effect.catchAll((error): Effect.Effect<never, Failure> =>
            Effect.fail(expired ? new Cause.TimeoutException(text) : error)
          ),
          Effect.onExit((exit) => {
            cancel()
            if (onEnd !== undefined && !Exit.isInterrupted(exit)) {
              onEnd(exit, clock.unsafeCurrentTimeMillis() - start, fiber)
            }
            // A completed attempt has read its answer: nothing to abort (an abort costs a
            // DOMException). A failed or interrupted one is aborted.
            return Exit.isSuccess(exit) ? Effect.void : Scope.close(scope, exit)
          })
        )
      }))
}

let native: Tracer.Tracer | undefined
/** Effect's own tracer: its spans are kept by no exporter. */
const nativeTracer = (): Tracer.Tracer => (native ??= Effect.runSync(Effect.tracer))

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
  const record = HttpMetrics.recorder(area)
  const limited = timeLimit(timeout)
  // Each attempt runs under a scope of its own: closing it aborts the request (see timeLimit).
  const scoped = HttpClient.withScope(base)
  const headers = options.headers === undefined ? undefined : Headers.fromInput(options.headers)
  const secretHeaders = options.secretHeaders

  /** The request as sent: the base URL prepended, the area's headers under the request's own. */
  const prepare = (request: HttpClientRequest.HttpClientRequest): HttpClientRequest.HttpClientRequest => {
    const withUrl = baseUrl === undefined ? request : HttpClientRequest.prependUrl(request, baseUrl)
    return headers === undefined
      ? withUrl
      : HttpClientRequest.setHeaders(withUrl, { ...headers, ...request.headers })
  }

  const info = (request: HttpClientRequest.HttpClientRequest): RequestInfo => {
    const raw = baseUrl === undefined ? request.url : HttpClientRequest.prependUrl(request, baseUrl).url
    const full = UrlParams.makeUrl(raw, request.urlParams, request.hash)
    const url = full._tag === "Right" ? full.right.toString() : raw
    return { method: request.method, url: options.urls === "path" ? withoutQuery(url) : redactUrl(url) }
  }

  const toAnswer = (
    request: HttpClientRequest.HttpClientRequest,
    response: HttpClientResponse.HttpClientResponse,
    body: string | ArrayBuffer
  ): Answer => {
    const about = () => info(request)
    if (typeof body === "string") {
      return { status: response.status, headers: response.headers, text: body, info: about }
    }
    const data = new Uint8Array(body)
    const ok = response.status >= 200 && response.status < 300
    return {
      status: response.status,
      headers: response.headers,
      text: ok ? "" : new TextDecoder().decode(data),
      bytes: data,
      info: about
    }
  }

  /**
   * The platform's `http.client` span records the URL and the headers: none for a URL that
   * carries a secret, nor under Effect's own tracer, whose spans no exporter keeps (the span, its
   * attributes and the trace headers it adds cost more than the rest of an attempt's bookkeeping);
   * the area's secret headers redacted where it is made.
   */
  const execute = (
    request: HttpClientRequest.HttpClientRequest,
    fiber: Fiber.RuntimeFiber<unknown, unknown>
  ) => {
    const effect = scoped.execute(request)
    if (hasSecretQuery(request) || fiber.currentTracer === nativeTracer()) {
      return Effect.locally(effect, HttpClient.currentTracerDisabledWhen, constTrue)
    }
    return secretHeaders === undefined
      ? effect
      : Effect.locallyWith(effect, Headers.currentRedactedNames, (names) => [...names, ...secretHeaders])
  }

  /** One attempt: sent, its answer read to the end within the time limit, counted and timed. */
  const attempt = (request: HttpClientRequest.HttpClientRequest): Attempt => {
    const name = endpoint(request)
    const timed = Effect.withFiberRuntime<Answer, Failure>((fiber) =>
      limited(
        Effect.flatMap(execute(request, fiber), (response) =>
          Effect.map(
            bytes ? response.arrayBuffer : response.text,
            (body: string | ArrayBuffer) => toAnswer(request, response, body)
          )),
        (exit, millis, fiber) =>
          record(
            name,
            Exit.isSuccess(exit) ? String(exit.value.status) : "error",
            millis,
            fiber.getFiberRef(FiberRef.currentMetricLabels)
          )
      )
    )
    return around === undefined ? timed : around(timed, request)
  }

  const retried = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<Answer, Failure> => {
    if (options.retry === undefined) return attempt(request)
    const schedule = backoff(area, options.retry)
    const once: Effect.Effect<Answer, Retryable> = Effect.flatMap(
      attempt(request),
      (answer) =>
        transientStatus.has(answer.status) ? Effect.fail(new TransientAnswer(answer)) : Effect.succeed(answer)
    )
    return once.pipe(
      // `HttpClient.retryTransient` sets up its schedule driver on every call (measured: 8% of a
      // call's allocations) though most calls succeed at once: here the retries start only after a
      // first transient failure, which the schedule then sees first, so delays and counts are
      // those of retrying from the start.
      Effect.catchIf(isTransient, (first) => {
        let replay: Retryable | undefined = first
        const again = Effect.suspend(() => {
          const failure = replay
          replay = undefined
          return failure === undefined ? once : Effect.fail(failure)
        })
        return Effect.retry(again, { schedule, while: isTransient })
      }),
      // Out of retries, a 5xx is an answer again: the area maps it like any other.
      Effect.catchIf(
        (error): error is TransientAnswer => error._tag === "TransientAnswer",
        (error) => Effect.succeed(error.answer)
      )
    )
  }

  const logged = (answer: Answer) => {
    const { method, url } = answer.info()
    return Effect.logDebug(`${area} answer`).pipe(Effect.annotateLogs({ method, url, status: answer.status }))
  }

  const send = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<Answer, TransportError> => {
    const prepared = prepare(request)
    return retried(prepared).pipe(
      Effect.mapError((error) => transportError(error, info(request), timeoutText)),
      Effect.tap((answer) => Effect.whenLogLevel(Effect.suspend(() => logged(answer)), "Debug"))
    )
  }

  return { send, info }
}

/**
 * Pipelines made once per client and key (an area's time limit, say) and kept while the client
 * lives: for areas reached through module functions rather than a service built once.
 *
 * @since 0.1.0
 * @category constructors
 */
export const cachedPerClient = <K>(
  build: (client: HttpClient.HttpClient, key: K) => Pipeline
): (client: HttpClient.HttpClient, key: K) => Pipeline => {
  const pipelines = new WeakMap<HttpClient.HttpClient, Map<K, Pipeline>>()
  return (client, key) => {
    let byKey = pipelines.get(client)
    if (byKey === undefined) {
      byKey = new Map()
      pipelines.set(client, byKey)
    }
    let found = byKey.get(key)
    if (found === undefined) {
      found = build(client, key)
      byKey.set(key, found)
    }
    return found
  }
}
