/**
 * Shared helpers of the auth tests: the mock Twitch wired to the library, a browser stand-in, and
 * the leak guard (every log line, error message and span attribute the tests produce is kept, every
 * secret the mock issued and every login `state` is remembered, and the last test of each file
 * checks none appears in the other).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as TestClock from "effect/TestClock"
import * as TestServices from "effect/TestServices"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import * as Spans from "../support/spans.js"

/** Every log line (all levels) and error message the tests produced. */
export const captured: Array<string> = []

/** Every secret the mock knew or issued: tokens, refresh tokens, codes, client secrets, states. */
export const secrets = new Set<string>()

/**
 * Every span the library started in {@link withMock} bodies (the mock's own spans and the test's
 * browser requests are not the library's and are left out).
 */
export const spans = Spans.make()

const captureLogger = Logger.make((options) => {
  captured.push(Logger.logfmtLogger.log(options))
})

/** Replaces the default logger by the capturing one and lets every level through. */
export const CaptureLogs = Layer.merge(
  Logger.replace(Logger.defaultLogger, captureLogger),
  Logger.minimumLogLevel(LogLevel.All)
)

/** Records an error for the leak check: its message, its JSON and the pretty cause. */
export const recordCause = (cause: Cause.Cause<unknown>): void => {
  captured.push(Cause.pretty(cause))
  for (const error of Chunk.toReadonlyArray(Cause.failures(cause))) {
    if (error instanceof Error) captured.push(error.message, String(error))
    captured.push(JSON.stringify(error))
  }
}

/** Runs an effect expected to fail and returns the error, recording it. */
export const failure = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.flatMap(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) return Effect.dieMessage("expected a failure, got a success")
    recordCause(exit.cause)
    return Option_getFailure(exit.cause)
  })

const Option_getFailure = <E>(cause: Cause.Cause<E>): Effect.Effect<E> => {
  const failures = Chunk.toReadonlyArray(Cause.failures(cause))
  return failures.length > 0 ? Effect.succeed(failures[0] as E) : Effect.die(Cause.squash(cause))
}

/** Remembers every secret of the mock world (call before the mock closes). */
export const rememberSecrets = Effect.gen(function*() {
  const mock = yield* MockTwitch.MockTwitch
  const snapshot = yield* mock.world.snapshot
  for (const token of snapshot.tokens) {
    secrets.add(token.value)
    if (token.refreshToken !== undefined && token.refreshToken !== "") secrets.add(token.refreshToken)
  }
  for (const code of snapshot.deviceCodes) secrets.add(code.deviceCode)
  for (const client of snapshot.clients) if (client.secret !== "") secrets.add(client.secret)
  for (const code of snapshot.authCodes) secrets.add(code.code)
})

/** The mock, the library config pointed at it (optionally another client id) and a Node HTTP client. */
export const mockLayer = (clientId?: string) => {
  const config = Layer.effect(
    TwitchConfig.TwitchConfig,
    Effect.map(MockTwitch.MockTwitch, (mock) => ({
      ...MockTwitch.twitchConfig(mock),
      ...(clientId !== undefined ? { clientId } : {})
    }))
  )
  return Layer.mergeAll(config, NodeHttpClient.layer).pipe(
    Layer.provideMerge(MockTwitch.layer({ irc: false }))
  )
}

/**
 * Runs a test body against a fresh mock with captured logs and recorded spans; records the failure
 * of the body if any and remembers the mock's secrets at the end.
 */
export const withMock = <A, E, R>(
  body: Effect.Effect<A, E, R>,
  clientId?: string
) =>
  body.pipe(
    Effect.tapErrorCause((cause) => Effect.sync(() => recordCause(cause))),
    Spans.recording(spans),
    Effect.ensuring(Effect.orDie(rememberSecrets)),
    Effect.provide(mockLayer(clientId)),
    Effect.provide(CaptureLogs)
  )

/** An HTTP answer read to the end. */
export interface Answer {
  readonly status: number
  readonly location: string | undefined
  readonly body: string
}

/**
 * Sends a request and reads the whole answer (no redirects followed). Untraced: this is the test's
 * browser, whose URLs carry the state and code by design, not the library.
 */
export const send = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(
    HttpClient.HttpClient,
    (client) =>
      Effect.flatMap(client.execute(request), (res) =>
        Effect.map(
          res.text,
          (body): Answer => ({ status: res.status, location: res.headers["location"], body })
        ))
  ).pipe(Effect.withTracerEnabled(false))

/**
 * Plays the browser of an implicit or code login: loads the authorize URL, follows Twitch's
 * redirect to our `http://localhost:<port>` server (connecting to 127.0.0.1 with the `Host` a
 * browser sends), loads our page, and posts the fragment the way the page's script does.
 */
export const playBrowser = (authorizeUrl: string, tamper: (fragment: URLSearchParams) => void = () => {}) =>
  Effect.gen(function*() {
    const state = new URL(authorizeUrl).searchParams.get("state")
    if (state !== null) secrets.add(state)
    const authorize = yield* send(HttpClientRequest.get(authorizeUrl))
    expect(authorize.status).toBe(302)
    const target = new URL(authorize.location ?? "")
    expect(target.hostname).toBe("localhost")
    const host = `localhost:${target.port}`
    const base = `http://127.0.0.1:${target.port}`
    const page = yield* send(
      HttpClientRequest.get(`${base}${target.pathname}${target.search}`).pipe(
        HttpClientRequest.setHeader("Host", host)
      )
    )
    if (target.hash === "") return { authorize, page, post: undefined }
    // What the page's script does: take location.hash and POST it to /token, same origin.
    expect(page.body).toContain("location.hash")
    const fragment = new URLSearchParams(target.hash.slice(1))
    tamper(fragment)
    const post = yield* send(
      HttpClientRequest.post(`${base}/token`).pipe(
        HttpClientRequest.setHeaders({ Host: host, Origin: `http://${host}` }),
        HttpClientRequest.bodyText(fragment.toString(), "application/x-www-form-urlencoded")
      )
    )
    return { authorize, page, post }
  })

/** Waits (in real time) until `condition` holds, for at most ~5 s. */
export const eventually = <R>(condition: Effect.Effect<boolean, never, R>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 500; i++) {
      if (yield* condition) return
      yield* TestServices.provideLive(Effect.sleep("10 millis"))
    }
    return yield* Effect.dieMessage("condition not reached in time")
  })

/**
 * Waits until some fiber sleeps on the TestClock until exactly `millis` (the clock starts at 0).
 * Exact times tell a poller's interval sleep from, say, a request timeout.
 */
export const sleepsUntil = (millis: number) =>
  eventually(Effect.map(TestClock.sleeps(), (s) => Chunk.toReadonlyArray(s).includes(millis)))

/** The leak check: no captured line, and no attribute of a recorded span, contains any secret. */
export const checkNoLeak = () => {
  expect(captured.length).toBeGreaterThan(0)
  expect(secrets.size).toBeGreaterThan(0)
  const leaks: Array<string> = []
  for (const line of [...captured, ...Spans.texts(spans.spans)]) {
    for (const secret of secrets) {
      if (secret.length >= 8 && line.includes(secret)) {
        leaks.push(`${secret.slice(0, 4)}…: ${line.slice(0, 80)}`)
      }
    }
  }
  expect(leaks).toEqual([])
}
