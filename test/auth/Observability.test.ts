import type * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as Login from "../../src/auth/Login.js"
import * as OAuth from "../../src/auth/OAuth.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as Spans from "../support/spans.js"
import { checkNoLeak, failure, playBrowser, sleepsUntil, spans, withMock } from "./support.js"

const creds = MockTwitch.credentials

/** The spans recorded since `from` (an index into the recorder). */
const since = (from: number) => spans.spans.slice(from)

const count = (counter: Metric.Metric.Counter<number>) =>
  Effect.map(Metric.value(counter), (state) => state.count)

/** Registers the login server's redirect URI with the mock app, then plays the browser. */
const browser = (url: string) =>
  Effect.gen(function*() {
    const mock = yield* MockTwitch.MockTwitch
    const redirectUri = new URL(url).searchParams.get("redirect_uri") ?? ""
    yield* Effect.orDie(mock.world.addRedirectUri(mock.credentials.clientId, redirectUri))
    yield* Effect.orDie(playBrowser(url))
  })

const withBrowser = <A, E, R>(
  flow: (onUrl: (url: string) => Effect.Effect<void>) => Effect.Effect<A, E, R>
) =>
  Effect.gen(function*() {
    const context = yield* Effect.context<HttpClient.HttpClient | MockTwitch.MockTwitch>()
    return yield* flow((url) => Effect.provide(browser(url), context))
  })

describe("auth spans and metrics", () => {
  it.live("implicit grant: a flow span, the login server's request spans, the validation", () =>
    withMock(Effect.gen(function*() {
      const from = spans.spans.length
      yield* withBrowser((onUrl) => Login.implicitGrant({ scopes: ["chat:read"], port: 0, onUrl }))
      const recorded = since(from)
      const flow = Spans.named(recorded, "Login.implicitGrant")
      expect(flow).toHaveLength(1)
      expect(flow[0].attributes.get("twitch.auth.scopes")).toBe("chat:read")
      const requests = recorded.filter((s) => s.name.startsWith("LoginServer "))
      expect(
        requests.map((s) => `${s.attributes.get("http.request.method")} ${s.attributes.get("url.path")}`)
      )
        .toEqual(["GET /", "POST /token"])
      expect(
        requests.every((s) => s.kind === "server" && s.attributes.get("http.response.status_code") === 200)
      )
        .toBe(true)
      // The platform's own request span (it records the full URL) is off for the login server.
      expect(recorded.filter((s) => s.name.startsWith("http.server"))).toEqual([])
      expect(Spans.named(recorded, "LoginServer.await")[0].attributes.get("twitch.auth.result")).toBe("Token")
      expect(Spans.named(recorded, "OAuth.validate")[0].attributes.get("twitch.auth.token_kind")).toBe("user")
    })))

  it.live("authorization code: the redirect's code and state are redacted in the request span", () =>
    withMock(Effect.gen(function*() {
      const from = spans.spans.length
      yield* withBrowser((onUrl) =>
        Login.authorizationCode({
          scopes: ["chat:read"],
          port: 0,
          clientSecret: Redacted.make(creds.clientSecret),
          onUrl
        })
      )
      const recorded = since(from)
      const [request] = recorded.filter((s) => s.name === "LoginServer GET")
      expect(request.attributes.get("url.query")).toBe("code=REDACTED&scope=chat%3Aread&state=REDACTED")
      expect(request.attributes.has("url.full")).toBe(false)
      expect(Spans.named(recorded, "Login.authorizationCode")).toHaveLength(1)
      expect(Spans.named(recorded, "OAuth.exchangeCode")).toHaveLength(1)
    })))

  it.scoped("device code: one span for the flow counting the polls, one per poll with its answer", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const from = spans.spans.length
        const codes: Array<OAuth.DeviceCode> = []
        const fiber = yield* Effect.fork(
          Login.deviceCode({ scopes: ["chat:read"], onCode: (code) => Effect.sync(() => codes.push(code)) })
        )
        yield* sleepsUntil(5_000)
        yield* TestClock.adjust("5 seconds")
        yield* sleepsUntil(10_000)
        yield* mock.approveDeviceCode(codes[0].userCode)
        yield* TestClock.adjust("5 seconds")
        yield* Fiber.join(fiber)
        const recorded = since(from)
        expect(Spans.named(recorded, "OAuth.pollDeviceCode").map((s) => s.attributes.get("twitch.auth.poll")))
          .toEqual(["Pending", "Token"])
        expect(Spans.named(recorded, "Login.deviceCode")[0].attributes.get("twitch.auth.polls")).toBe(2)
        expect(Spans.named(recorded, "OAuth.deviceCode")).toHaveLength(1)
      }),
      creds.publicClientId
    ))

  it.live("refresh and validation: spans with their outcome, counted by the auth metrics", () =>
    withMock(Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const before = {
        validations: yield* count(OAuth.metrics.validations),
        validationFailures: yield* count(OAuth.metrics.validationFailures),
        refreshes: yield* count(OAuth.metrics.refreshes),
        refreshFailures: yield* count(OAuth.metrics.refreshFailures)
      }
      const from = spans.spans.length
      const token = AccessToken.make(creds.userToken, { kind: "user", refreshToken: creds.refreshToken })
      const refreshed = yield* Login.refresh(token, Redacted.make(creds.clientSecret))
      expect(Redacted.value(refreshed.value)).not.toBe(creds.userToken)
      yield* failure(Login.refresh(token, Redacted.make(creds.clientSecret))) // a used refresh token
      yield* OAuth.validate(refreshed.value)
      yield* failure(OAuth.validate(Redacted.make("not-a-token-at-all")))

      // The managed service: validation at start, then a token Twitch no longer knows, dropped.
      yield* Effect.scoped(Effect.gen(function*() {
        const auth = yield* TwitchAuth.make({ initial: Option.some(AccessToken.make(refreshed.value)) })
        yield* Effect.orDie(mock.world.revokeToken(creds.clientId, Redacted.value(refreshed.value)))
        expect(yield* auth.validate).toEqual(Option.none())
      }))

      const recorded = since(from)
      expect(Spans.named(recorded, "Login.refresh").map((s) => s.attributes.get("twitch.auth.token_kind")))
        .toEqual(["user", "user"])
      expect(Spans.named(recorded, "OAuth.refresh").map((s) => s.status._tag)).toEqual(["Ended", "Ended"])
      expect(Spans.named(recorded, "TwitchAuth.validate").map((s) => s.attributes.get("twitch.auth.outcome")))
        .toEqual(["valid", "invalid"])
      expect(Spans.named(recorded, "TwitchAuth.renew").map((s) => s.attributes.get("twitch.auth.outcome")))
        .toEqual(["dropped"])
      expect({
        validations: (yield* count(OAuth.metrics.validations)) - before.validations,
        validationFailures: (yield* count(OAuth.metrics.validationFailures)) - before.validationFailures,
        refreshes: (yield* count(OAuth.metrics.refreshes)) - before.refreshes,
        refreshFailures: (yield* count(OAuth.metrics.refreshFailures)) - before.refreshFailures
      }).toEqual({ validations: 4, validationFailures: 2, refreshes: 2, refreshFailures: 1 })
    })))

  it("no span attribute, log line or error of these flows contains a token, code, state or secret", () => {
    expect(spans.spans.length).toBeGreaterThan(20)
    checkNoLeak()
  })
})
