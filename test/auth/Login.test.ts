import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as Login from "../../src/auth/Login.js"
import * as OAuth from "../../src/auth/OAuth.js"
import * as MockControl from "../../src/testing/mock/Control.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import { captured, checkNoLeak, failure, playBrowser, send, sleepsUntil, withMock } from "./support.js"

const tokenRoute = MockControl.routeCounter("POST", "/oauth2/token")

/** Registers the login server's redirect URI with the mock app, then plays the browser. */
const browse = (mock: MockTwitch.MockTwitch.Service, tamper?: (fragment: URLSearchParams) => void) => {
  const results: Array<Effect.Effect.Success<ReturnType<typeof playBrowser>>> = []
  const onUrl = (url: string) =>
    Effect.gen(function*() {
      const redirectUri = new URL(url).searchParams.get("redirect_uri") ?? ""
      yield* Effect.orDie(mock.world.addRedirectUri(mock.credentials.clientId, redirectUri))
      results.push(yield* Effect.orDie(playBrowser(url, tamper)))
    })
  return { results, onUrl }
}

const withClient = <A, E, R>(effect: (client: HttpClient.HttpClient) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(HttpClient.HttpClient, effect)

describe("Login", () => {
  it.live("implicit grant end to end: authorize redirect, our page, fragment posted, token validated", () =>
    withMock(Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const client = yield* HttpClient.HttpClient
      const { onUrl, results } = browse(mock)
      const token = yield* Login.implicitGrant({
        scopes: ["user:read:follows", "chat:read"],
        port: 0,
        forceVerify: true,
        onUrl: (url) => Effect.provideService(onUrl(url), HttpClient.HttpClient, client)
      })
      expect(results).toHaveLength(1)
      const [{ authorize, page, post }] = results
      const authorizeUrl = new URL(authorize.location ?? "")
      expect(authorizeUrl.hash).toContain("access_token=")
      expect(page.status).toBe(200)
      expect(post?.status).toBe(200)
      expect(post?.body).toContain("Login complete")

      expect(token.kind).toBe("user")
      expect(token.userId).toEqual(Option.some(mock.defaultUser.id))
      expect(token.login).toEqual(Option.some(mock.defaultUser.login))
      expect(token.clientId).toEqual(Option.some(mock.credentials.clientId))
      expect(token.scopes).toEqual(Option.some(["user:read:follows", "chat:read"]))
      expect(Option.isSome(token.expiresAt)).toBe(true)
      expect(Option.isNone(token.refreshToken)).toBe(true)
      // The token is the one the mock issued for this login and Twitch accepts it.
      const validation = yield* OAuth.validate(token.value)
      expect(validation.userId).toEqual(Option.some(mock.defaultUser.id))

      // The server closed once the token arrived.
      const port = new URL(authorizeUrl.origin).port
      const after = yield* Effect.exit(
        send(HttpClientRequest.get(`http://127.0.0.1:${port}/`)).pipe(Effect.timeout("2 seconds"))
      )
      expect(Exit.isFailure(after)).toBe(true)
    })))

  it.live("implicit grant: an answer with a wrong state is rejected and never accepted", () =>
    withMock(Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const { onUrl, results } = browse(mock, (fragment) => fragment.set("state", "forged-by-someone-else"))
      const error = yield* failure(
        withClient((client) =>
          Login.implicitGrant({
            scopes: ["chat:read"],
            port: 0,
            timeout: "1 second",
            onUrl: (url) => Effect.provideService(onUrl(url), HttpClient.HttpClient, client)
          })
        )
      )
      expect(results[0]?.post?.status).toBe(400)
      expect(error._tag).toBe("LoginFailed")
      expect(error._tag === "LoginFailed" && error.reason).toBe("StateMismatch")
    })))

  it.live("implicit grant: a denied login (error=access_denied) is LoginFailed Denied", () =>
    withMock(Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      yield* mock.control.denyNextAuthorize
      const { onUrl, results } = browse(mock)
      const error = yield* failure(
        withClient((client) =>
          Login.implicitGrant({
            scopes: ["chat:read"],
            port: 0,
            onUrl: (url) => Effect.provideService(onUrl(url), HttpClient.HttpClient, client)
          })
        )
      )
      expect(new URL(results[0]?.authorize.location ?? "").searchParams.get("error")).toBe("access_denied")
      expect(error._tag === "LoginFailed" && error.reason).toBe("Denied")
      expect(yield* mock.control.counter(MockControl.counterNames.tokensIssued)).toBe(0)
    })))

  it.live("authorization code grant: ?code= caught, exchanged with the secret, refresh token kept", () =>
    withMock(Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const { onUrl, results } = browse(mock)
      const token = yield* withClient((client) =>
        Login.authorizationCode({
          scopes: ["chat:read", "chat:edit"],
          port: 0,
          clientSecret: Redacted.make(mock.credentials.clientSecret),
          onUrl: (url) => Effect.provideService(onUrl(url), HttpClient.HttpClient, client)
        })
      )
      expect(new URL(results[0]?.authorize.location ?? "").searchParams.has("code")).toBe(true)
      expect(results[0]?.page.status).toBe(200)
      expect(token.kind).toBe("user")
      expect(token.login).toEqual(Option.some(mock.defaultUser.login))
      expect(token.scopes).toEqual(Option.some(["chat:read", "chat:edit"]))
      expect(Option.isSome(token.refreshToken)).toBe(true)
      // The refresh token works.
      const refreshed = yield* Login.refresh(token, Redacted.make(mock.credentials.clientSecret))
      expect(Redacted.value(refreshed.value)).not.toBe(Redacted.value(token.value))
      expect(refreshed.login).toEqual(token.login)
    })))

  it.scoped("device code: shows the code, polls at Twitch's interval, approved", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const shown: Array<OAuth.DeviceCode> = []
        const fiber = yield* Effect.fork(
          Login.deviceCode({
            scopes: ["chat:read"],
            onCode: (code) => Effect.sync(() => shown.push(code))
          })
        )
        yield* sleepsUntil(5_000)
        expect(shown).toHaveLength(1)
        expect(shown[0].interval).toBe(5)
        expect(shown[0].verificationUri).toContain(shown[0].userCode)
        expect(yield* mock.control.counter(tokenRoute)).toBe(0)
        yield* TestClock.adjust("4 seconds")
        expect(yield* mock.control.counter(tokenRoute)).toBe(0)
        yield* TestClock.adjust("1 second")
        yield* sleepsUntil(10_000)
        expect(yield* mock.control.counter(tokenRoute)).toBe(1) // authorization_pending
        yield* mock.approveDeviceCode(shown[0].userCode)
        yield* TestClock.adjust("5 seconds")
        const token = yield* Fiber.join(fiber)
        expect(yield* mock.control.counter(tokenRoute)).toBe(2)
        expect(token.kind).toBe("user")
        expect(token.login).toEqual(Option.some(mock.defaultUser.login))
        expect(token.scopes).toEqual(Option.some(["chat:read"]))
        expect(Option.isSome(token.refreshToken)).toBe(true)
      }),
      MockTwitch.credentials.publicClientId
    ))

  it.scoped("device code: slow_down adds five seconds to the interval", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const shown: Array<OAuth.DeviceCode> = []
        const fiber = yield* Effect.fork(
          Login.deviceCode({ scopes: [], onCode: (code) => Effect.sync(() => shown.push(code)) })
        )
        yield* sleepsUntil(5_000)
        // Another poller (say a second copy of the app) polls at t=2s: our poll at t=5s is too soon.
        yield* TestClock.adjust("2 seconds")
        const other = yield* OAuth.pollDeviceCode({ deviceCode: shown[0].deviceCode, scopes: [] })
        expect(other._tag).toBe("Pending")
        yield* TestClock.adjust("3 seconds")
        yield* sleepsUntil(15_000)
        expect(yield* mock.control.counter(tokenRoute)).toBe(2) // theirs, then our slow_down
        yield* mock.approveDeviceCode(shown[0].userCode)
        yield* TestClock.adjust("9 seconds") // t=14s: the new interval is 10 s, no poll yet
        expect(yield* mock.control.counter(tokenRoute)).toBe(2)
        yield* TestClock.adjust("1 second") // t=15s
        const token = yield* Fiber.join(fiber)
        expect(yield* mock.control.counter(tokenRoute)).toBe(3)
        expect(token.userId).toEqual(Option.some(mock.defaultUser.id))
      }),
      MockTwitch.credentials.publicClientId
    ))

  it.scoped("device code: a Twitch 5xx while polling is logged and polled again, not a failed login", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const shown: Array<OAuth.DeviceCode> = []
        const fiber = yield* Effect.fork(
          Login.deviceCode({ scopes: [], onCode: (code) => Effect.sync(() => shown.push(code)) })
        )
        yield* sleepsUntil(5_000)
        yield* mock.approveDeviceCode(shown[0].userCode)
        yield* mock.control.failWith(503, { surface: "oauth", times: 1 })
        yield* TestClock.adjust("5 seconds")
        yield* sleepsUntil(10_000)
        expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
        yield* TestClock.adjust("5 seconds")
        const token = yield* Fiber.join(fiber)
        expect(token.userId).toEqual(Option.some(mock.defaultUser.id))
        expect(captured.some((line) => line.includes("device code poll failed, retrying"))).toBe(true)
      }),
      MockTwitch.credentials.publicClientId
    ))

  it.scoped("device code: expires with LoginFailed Expired; Twitch's 'invalid device code' maps to it too", () =>
    withMock(
      Effect.gen(function*() {
        const shown: Array<OAuth.DeviceCode> = []
        const fiber = yield* Effect.fork(
          Login.deviceCode({ scopes: [], onCode: (code) => Effect.sync(() => shown.push(code)) })
        )
        yield* sleepsUntil(5_000)
        yield* TestClock.adjust("1795 seconds")
        yield* sleepsUntil(1_800_000)
        yield* TestClock.adjust("5 seconds")
        const exit = yield* Fiber.await(fiber)
        expect(Exit.isFailure(exit)).toBe(true)
        const error = yield* failure(exit)
        expect(error._tag === "LoginFailed" && error.reason).toBe("Expired")
        const late = yield* failure(OAuth.pollDeviceCode({ deviceCode: shown[0].deviceCode, scopes: [] }))
        expect(late._tag === "LoginFailed" && late.reason).toBe("Expired")
      }),
      MockTwitch.credentials.publicClientId
    ))

  it.scoped("device code: a denied code is LoginFailed Denied", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const fiber = yield* Effect.fork(Login.deviceCode({ scopes: [], onCode: () => Effect.void }))
        yield* sleepsUntil(5_000)
        yield* mock.denyDeviceCode()
        yield* TestClock.adjust("5 seconds")
        const error = yield* failure(Fiber.join(fiber))
        expect(error._tag === "LoginFailed" && error.reason).toBe("Denied")
      }),
      MockTwitch.credentials.publicClientId
    ))

  it.live("app token by client credentials; a wrong secret is LoginFailed Refused", () =>
    withMock(Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const token = yield* Login.appToken(Redacted.make(mock.credentials.clientSecret))
      expect(token.kind).toBe("app")
      expect(Option.isNone(token.userId)).toBe(true)
      expect(token.clientId).toEqual(Option.some(mock.credentials.clientId))
      const error = yield* failure(Login.appToken(Redacted.make("not-the-secret")))
      expect(error._tag === "LoginFailed" && error.reason).toBe("Refused")
      expect(error.message).toContain("invalid client secret")
    })))

  it.live("a token issued to another client is refused", () =>
    withMock(Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const foreign = yield* Effect.orDie(
        mock.world.issueToken({ clientId: mock.credentials.publicClientId, userId: mock.defaultUser.id })
      )
      const error = yield* failure(Login.validated(AccessToken.make(foreign.value)))
      expect(error._tag === "LoginFailed" && error.reason).toBe("Refused")
    })))

  it("no log line or error message of these tests contains a token, code or secret", () => {
    checkNoLeak()
  })
})
