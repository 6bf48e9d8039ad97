import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as Login from "../../src/auth/Login.js"
import * as OAuth from "../../src/auth/OAuth.js"
import * as TokenStore from "../../src/auth/TokenStore.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as HelixClient from "../../src/helix/HelixClient.js"
import * as MockControl from "../../src/testing/mock/Control.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import { captured, checkNoLeak, eventually, failure, playBrowser, sleepsUntil, withMock } from "./support.js"

const creds = MockTwitch.credentials
const counter = (method: string, path: string) =>
  Effect.flatMap(
    MockTwitch.MockTwitch,
    (mock) => mock.control.counter(MockControl.routeCounter(method, path))
  )
const validations = counter("GET", "/oauth2/validate")
const tokenPosts = counter("POST", "/oauth2/token")
const requests = Effect.flatMap(
  MockTwitch.MockTwitch,
  (mock) => mock.control.counter(MockControl.counterNames.requests)
)

const auth = TwitchAuth.TwitchAuth
const currentValue = Effect.map(Effect.flatMap(auth, (a) => a.current), (t) => Redacted.value(t.value))

const userWithRefresh = AccessToken.make(creds.userToken, { refreshToken: creds.refreshToken })

describe("TwitchAuth", () => {
  it.effect("layerStatic keeps working without HTTP: no validation, a 401 drops the token", () =>
    Effect.gen(function*() {
      const a = yield* auth
      const token = yield* a.current
      expect(Redacted.value(token.value)).toBe("plain")
      expect(yield* TwitchAuth.authorized).toBe(true)
      expect((yield* failure(a.onUnauthorized(token))).reason).toBe("InvalidToken")
      expect(yield* TwitchAuth.authorized).toBe(false)
      expect((yield* failure(a.current)).reason).toBe("NoToken")
    }).pipe(Effect.provide(TwitchAuth.layerStatic("plain"))))

  it.live("layerValidated: user, scopes and expiry known at start; a missing scope fails before any request", () =>
    withMock(
      Effect.gen(function*() {
        expect(yield* validations).toBe(1)
        const user = yield* TwitchAuth.currentUser
        expect(user.login).toBe("twitcher")
        expect(user.scopes).toContain("chat:read")
        expect(user.scopes).not.toContain("user:read:follows")
        const token = yield* Effect.flatMap(auth, (a) => a.current)
        expect(token.kind).toBe("user")
        expect(Option.isSome(token.expiresAt)).toBe(true)
        const before = yield* requests
        const error = yield* failure(TwitchAuth.requireScope("user:read:follows"))
        expect(error.reason).toBe("MissingScope")
        expect(error.scope).toBe("user:read:follows")
        expect(error.message).toContain("user:read:follows")
        // The Helix transport checks the same way: nothing is sent.
        const helix = yield* HelixClient.HelixClient
        const viaHelix = yield* failure(
          helix.request("/streams/followed", Schema.Unknown, { scope: "user:read:follows", userToken: true })
        )
        expect(viaHelix._tag === "NotAuthorized" && viaHelix.scope).toBe("user:read:follows")
        expect(yield* requests).toBe(before)
        expect((yield* TwitchAuth.requireScope("chat:read")).kind).toBe("user")
      }).pipe(
        Effect.provide(
          HelixClient.layer().pipe(Layer.provideMerge(TwitchAuth.layerValidated(creds.noFollowsUserToken)))
        )
      )
    ))

  it.live("a token that fails validation at start is dropped: calls fail with NotAuthorized", () =>
    withMock(
      Effect.gen(function*() {
        expect(yield* TwitchAuth.authorized).toBe(false)
        expect((yield* failure(TwitchAuth.currentUser)).reason).toBe("NoToken")
      }).pipe(Effect.provide(TwitchAuth.layerValidated(creds.expiredUserToken)))
    ))

  it.live("refresh on 401: two concurrent Helix callers share one refresh and both succeed", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const helix = yield* HelixClient.HelixClient
        yield* helix.request("/users", Schema.Unknown)
        // Twitch invalidates the token (e.g. password change); the next calls get 401.
        yield* Effect.orDie(mock.world.revokeToken(creds.clientId, creds.userToken))
        // A slow refresh makes sure both callers are waiting on it at the same time.
        yield* mock.control.delay("300 millis", { surface: "oauth", times: 1 })
        const tokensBefore = yield* tokenPosts
        const [a, b] = yield* Effect.all(
          [helix.request("/users", Schema.Unknown), helix.request("/users", Schema.Unknown)],
          { concurrency: 2 }
        )
        expect(a).toEqual(b)
        expect((yield* tokenPosts) - tokensBefore).toBe(1)
        const fresh = yield* currentValue
        expect(fresh).not.toBe(creds.userToken)
        expect((yield* OAuth.validate(Redacted.make(fresh))).userId).toEqual(Option.some(mock.defaultUser.id))
      }).pipe(
        Effect.provide(
          HelixClient.layer().pipe(
            Layer.provideMerge(
              TwitchAuth.layerValidated(userWithRefresh, { clientSecret: Redacted.make(creds.clientSecret) })
            )
          )
        )
      )
    ))

  it.live("onUnauthorized: five concurrent callers with the stale token get one refresh and one new token", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const a = yield* auth
        const stale = yield* a.current
        yield* Effect.orDie(mock.world.revokeToken(creds.clientId, creds.userToken))
        yield* mock.control.delay("200 millis", { surface: "oauth", times: 1 })
        const before = yield* tokenPosts
        const fresh = yield* Effect.all(Array.from({ length: 5 }, () => a.onUnauthorized(stale)), {
          concurrency: "unbounded"
        })
        expect((yield* tokenPosts) - before).toBe(1)
        expect(new Set(fresh.map((t) => Redacted.value(t.value))).size).toBe(1)
        expect(fresh[0].login).toEqual(Option.some("twitcher"))
        // A caller still holding the old token gets the new one without another refresh.
        expect(Redacted.value((yield* a.onUnauthorized(stale)).value)).toBe(Redacted.value(fresh[0].value))
        expect((yield* tokenPosts) - before).toBe(1)
      }).pipe(
        Effect.provide(
          TwitchAuth.layerValidated(userWithRefresh, { clientSecret: Redacted.make(creds.clientSecret) })
        )
      )
    ))

  it.live("a refresh Twitch refuses drops the token", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const a = yield* auth
        const stale = yield* a.current
        yield* Effect.orDie(mock.world.revokeToken(creds.clientId, creds.userToken))
        const error = yield* failure(a.onUnauthorized(stale))
        expect(error.reason).toBe("InvalidToken")
        expect(yield* TwitchAuth.authorized).toBe(false)
      }).pipe(
        Effect.provide(
          TwitchAuth.layerValidated(
            AccessToken.make(creds.userToken, { refreshToken: "not-a-refresh-token" }),
            {
              clientSecret: Redacted.make(creds.clientSecret)
            }
          )
        )
      )
    ))

  it.live("a refresh that meets a Twitch server error keeps the token; the next 401 refreshes", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const a = yield* auth
        const stale = yield* a.current
        yield* Effect.orDie(mock.world.revokeToken(creds.clientId, creds.userToken))
        yield* mock.control.failWith(503, { surface: "oauth", times: 1 })
        const error = yield* failure(a.onUnauthorized(stale))
        expect(error.reason).toBe("InvalidToken")
        expect(yield* currentValue).toBe(creds.userToken)
        const fresh = yield* a.onUnauthorized(stale)
        expect(Redacted.value(fresh.value)).not.toBe(creds.userToken)
      }).pipe(
        Effect.provide(
          TwitchAuth.layerValidated(userWithRefresh, { clientSecret: Redacted.make(creds.clientSecret) })
        )
      )
    ))

  it.scoped("a refresh that hangs is cut after 30 s (TestClock): callers fail, the token is kept", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const a = yield* auth
        const stale = yield* a.current
        const logged = captured.length
        yield* Effect.orDie(mock.world.revokeToken(creds.clientId, creds.userToken))
        yield* mock.control.delay("10 minutes", { surface: "oauth", times: 1 })
        const caller = yield* Effect.fork(a.onUnauthorized(stale))
        yield* eventually(Effect.map(TestClock.sleeps(), (s) => Chunk.toReadonlyArray(s).includes(30_000)))
        yield* TestClock.adjust("30 seconds")
        const error = yield* failure(Fiber.join(caller))
        expect(error.reason).toBe("InvalidToken")
        expect(yield* currentValue).toBe(creds.userToken)
        // The refresh request's own time limit cut it: the warning names the step and the endpoint.
        const warning = captured.slice(logged).find((line) => line.includes("refreshing the token failed"))
        expect(warning).toContain("Timeout: no answer in time")
        expect(warning).toContain("/oauth2/token")
      }).pipe(
        Effect.provide(
          TwitchAuth.layerValidated(userWithRefresh, { clientSecret: Redacted.make(creds.clientSecret) })
        )
      )
    ))

  it.scoped("an id.twitch.tv call past requestTimeout fails as a TransportError of the Timeout step (TestClock)", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const a = yield* TwitchAuth.make({
          initial: Option.some(AccessToken.make(creds.userToken)),
          validateAtStart: false,
          requestTimeout: "5 seconds"
        })
        // A validation that gets no answer: the token is kept, the warning names the step.
        const logged = captured.length
        yield* mock.control.delay("10 minutes", { surface: "oauth", times: 1 })
        const validating = yield* Effect.fork(a.validate)
        yield* sleepsUntil(5_000)
        yield* TestClock.adjust("5 seconds")
        expect(Option.isSome(yield* Fiber.join(validating))).toBe(true)
        const warning = captured.slice(logged).find((line) =>
          line.includes("could not validate the token, keeping it")
        )
        expect(warning).toContain("Timeout: no answer in time")
        // A revocation that gets no answer: the error itself, with the step and the URL's path.
        yield* mock.control.delay("10 minutes", { surface: "oauth", times: 1 })
        const leaving = yield* Effect.fork(a.logout)
        yield* sleepsUntil(10_000)
        yield* TestClock.adjust("5 seconds")
        const error = yield* failure(Fiber.join(leaving))
        expect(error._tag).toBe("TransportError")
        if (error._tag === "TransportError") {
          expect(error.step).toBe("Timeout")
          expect(error.request?.url).toMatch(/\/oauth2\/revoke$/)
          expect(error.message).toContain("no answer within 5s")
        }
      })
    ))

  it.scoped("validates at start and hourly (TestClock); a token that fails is dropped", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        yield* Effect.gen(function*() {
          expect(yield* validations).toBe(1)
          yield* TestClock.adjust("59 minutes")
          expect(yield* validations).toBe(1)
          yield* TestClock.adjust("1 minute")
          yield* eventually(Effect.map(Effect.orDie(validations), (n) => n === 2))
          expect(yield* TwitchAuth.authorized).toBe(true)
          yield* Effect.orDie(mock.world.revokeToken(creds.clientId, creds.userToken))
          yield* TestClock.adjust("1 hour")
          yield* eventually(Effect.map(Effect.orDie(validations), (n) => n === 3))
          yield* eventually(Effect.map(TwitchAuth.authorized, (ok) => !ok))
          expect((yield* failure(TwitchAuth.requireScope("chat:read"))).reason).toBe("NoToken")
        }).pipe(Effect.provide(TwitchAuth.layerValidated(creds.userToken)))
      })
    ))

  it.scoped("hourly validation refreshes a rejected token that has a refresh token, and saves it", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const store = yield* TokenStore.makeMemory()
        yield* Effect.gen(function*() {
          yield* Effect.orDie(mock.world.revokeToken(creds.clientId, creds.userToken))
          const before = yield* tokenPosts
          yield* TestClock.adjust("1 hour")
          yield* eventually(Effect.map(Effect.orDie(tokenPosts), (n) => n === before + 1))
          yield* eventually(
            Effect.map(Effect.orElseSucceed(currentValue, () => ""), (v) => v !== creds.userToken)
          )
          const saved = yield* store.load
          expect(Option.map(saved, (t) => Redacted.value(t.value))).toEqual(Option.some(yield* currentValue))
        }).pipe(
          Effect.provide(Layer.scoped(
            TwitchAuth.TwitchAuth,
            TwitchAuth.make({
              initial: Option.some(userWithRefresh),
              renew: (stale) => Login.refresh(stale, Redacted.make(creds.clientSecret)),
              store
            })
          ))
        )
      })
    ))

  it.live("logout revokes the token at Twitch, forgets it and clears the store", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const store = yield* TokenStore.makeMemory()
        yield* Effect.gen(function*() {
          const a = yield* auth
          yield* a.set(AccessToken.make(creds.secondUserToken))
          expect(Option.isSome(yield* store.load)).toBe(true)
          yield* TwitchAuth.logout
          expect(yield* TwitchAuth.authorized).toBe(false)
          expect(Option.isNone(yield* store.load)).toBe(true)
          expect(yield* counter("POST", "/oauth2/revoke")).toBe(1)
          const rejected = yield* failure(OAuth.validate(Redacted.make(creds.secondUserToken)))
          expect(rejected._tag).toBe("NotAuthorized")
          const snapshot = yield* mock.world.snapshot
          expect(snapshot.tokens.find((t) => t.value === creds.secondUserToken)?.revoked).toBe(true)
        }).pipe(
          Effect.provide(Layer.scoped(
            TwitchAuth.TwitchAuth,
            TwitchAuth.make({ initial: Option.none(), store, validateAtStart: false })
          ))
        )
      })
    ))

  it.live("app token layer: client credentials, no user; a rejected app token is replaced", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const a = yield* auth
        const first = yield* a.current
        expect(first.kind).toBe("app")
        expect((yield* failure(TwitchAuth.currentUser)).reason).toBe("WrongTokenKind")
        expect((yield* failure(TwitchAuth.tokenWithScope(a, "user:read:follows"))).reason).toBe(
          "WrongTokenKind"
        )
        yield* Effect.orDie(mock.world.revokeToken(creds.clientId, Redacted.value(first.value)))
        const second = yield* a.onUnauthorized(first)
        expect(second.kind).toBe("app")
        expect(Redacted.value(second.value)).not.toBe(Redacted.value(first.value))
      }).pipe(Effect.provide(TwitchAuth.layerAppToken({ clientSecret: Redacted.make(creds.clientSecret) })))
    ))

  it.live("layerEnvValidated reads TWITCH_TOKEN / TWITCH_REFRESH_TOKEN / TWITCH_CLIENT_SECRET", () =>
    withMock(
      Effect.gen(function*() {
        const user = yield* TwitchAuth.currentUser
        expect(user.userId).toBe("100000002")
        const token = yield* Effect.flatMap(auth, (a) => a.current)
        expect(Option.isSome(token.refreshToken)).toBe(true)
      }).pipe(
        Effect.provide(TwitchAuth.layerEnvValidated()),
        Effect.withConfigProvider(ConfigProvider.fromMap(
          new Map([
            ["TWITCH_TOKEN", creds.secondUserToken],
            ["TWITCH_REFRESH_TOKEN", "some-refresh"],
            ["TWITCH_CLIENT_SECRET", creds.clientSecret]
          ])
        ))
      )
    ))

  it.live("implicit grant layer: logs in once, saves to the store; the next start reuses the stored token", () =>
    withMock(Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const client = yield* HttpClient.HttpClient
      const store = yield* TokenStore.makeMemory()
      const layer = TwitchAuth.layerImplicitGrant({
        scopes: ["chat:read"],
        port: 0,
        onUrl: (url) =>
          Effect.gen(function*() {
            const redirectUri = new URL(url).searchParams.get("redirect_uri") ?? ""
            yield* Effect.orDie(mock.world.addRedirectUri(creds.clientId, redirectUri))
            yield* Effect.orDie(playBrowser(url))
          }).pipe(Effect.provideService(HttpClient.HttpClient, client))
      }).pipe(Layer.provide(Layer.succeed(TokenStore.TokenStore, store)))
      const first = yield* Effect.provide(currentValue, layer)
      expect(yield* counter("GET", "/oauth2/authorize")).toBe(1)
      expect(Option.map(yield* store.load, (t) => Redacted.value(t.value))).toEqual(Option.some(first))
      const second = yield* Effect.provide(currentValue, layer)
      expect(second).toBe(first)
      expect(yield* counter("GET", "/oauth2/authorize")).toBe(1)
    })))

  it.scoped("device code layer with a file store: the token lands in a 0600 file and is reused", () =>
    withMock(
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const dir = yield* Effect.acquireRelease(
          Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "twitcher-auth-"))),
          (d) => Effect.sync(() => Fs.rmSync(d, { recursive: true, force: true }))
        )
        const file = Path.join(dir, "token.json")
        const shown = yield* Ref.make(0)
        const layer = TwitchAuth.layerDeviceCode({
          scopes: ["chat:read"],
          onCode: () => Ref.update(shown, (n) => n + 1)
        }).pipe(Layer.provide(TokenStore.layerFile(file)), Layer.provide(NodeFileSystem.layer))
        const login = yield* Effect.fork(Effect.provide(currentValue, layer))
        yield* eventually(Effect.map(Ref.get(shown), (n) => n === 1))
        yield* sleepsUntil(5_000)
        yield* Effect.orDie(mock.approveDeviceCode())
        yield* TestClock.adjust("5 seconds")
        const first = yield* Fiber.join(login)
        expect(Fs.statSync(file).mode & 0o777).toBe(0o600)
        expect(JSON.parse(Fs.readFileSync(file, "utf8")).access_token).toBe(first)
        const again = yield* Effect.provide(currentValue, layer)
        expect(again).toBe(first)
        expect(yield* Ref.get(shown)).toBe(1)
        expect(yield* counter("POST", "/oauth2/device")).toBe(1)
      }),
      creds.publicClientId
    ))

  it.live("a stored token Twitch rejects is refreshed at start instead of a new login", () =>
    withMock(Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      yield* Effect.orDie(mock.world.revokeToken(creds.clientId, creds.userToken))
      const store = yield* TokenStore.makeMemory(Option.some(AccessToken.make(creds.userToken, {
        kind: "user",
        clientId: creds.clientId,
        scopes: ["chat:read"],
        refreshToken: creds.refreshToken
      })))
      const value = yield* currentValue.pipe(
        Effect.provide(
          TwitchAuth.layerDeviceCode({
            scopes: ["chat:read"],
            clientSecret: Redacted.make(creds.clientSecret),
            onCode: () => Effect.die("no new login expected")
          }).pipe(Layer.provide(Layer.succeed(TokenStore.TokenStore, store)))
        )
      )
      expect(value).not.toBe(creds.userToken)
      expect(yield* counter("POST", "/oauth2/device")).toBe(0)
      expect(yield* tokenPosts).toBe(1)
      expect(Option.map(yield* store.load, (t) => Redacted.value(t.value))).toEqual(Option.some(value))
    })))

  it("no log line or error message of these tests contains a token, code or secret", () => {
    checkNoLeak()
  })
})
