import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as OAuth from "../../src/auth/OAuth.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import { captured, checkNoLeak, failure, secrets } from "./support.js"

const SECRET_TOKEN = "secrettokenvalue0000000000000001"
const SECRET_REFRESH = "secretrefreshvalue00000000000001"
const CLIENT_SECRET = "clientsecretvalue000000000000001"
secrets.add(SECRET_TOKEN).add(SECRET_REFRESH).add(CLIENT_SECRET)

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly form: URLSearchParams
}

/** An HttpClient answering every request with `status` and `body`, keeping what it was sent. */
const fakeTwitch = (status: number, body: unknown, seen: Array<Seen> = []) =>
  Layer.mergeAll(
    Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make((request: HttpClientRequest.HttpClientRequest, url) =>
        Effect.sync(() => {
          const form = request.body._tag === "Uint8Array" ?
            new URLSearchParams(new TextDecoder().decode(request.body.body)) :
            new URLSearchParams()
          seen.push({ method: request.method, url: url.toString(), headers: { ...request.headers }, form })
          return HttpClientResponse.fromWeb(
            request,
            new Response(typeof body === "string" ? body : JSON.stringify(body), {
              status,
              headers: { "content-type": "application/json" }
            })
          )
        })
      )
    ),
    TwitchConfig.layer({ clientId: "client0", idUrl: "http://id.test" })
  )

const refusingConnections = Layer.mergeAll(
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "Transport",
          cause: new Error("connect ECONNREFUSED")
        })
      )
    )
  ),
  TwitchConfig.layer({ clientId: "client0", idUrl: "http://id.test" })
)

describe("OAuth", () => {
  it("authorizeUrl carries client id, redirect URI, response type, space-separated scopes, state, force_verify", () => {
    const url = new URL(
      OAuth.authorizeUrl("https://id.twitch.tv/", {
        clientId: "abc",
        redirectUri: "http://localhost:42420",
        responseType: "token",
        scopes: ["user:read:follows", "chat:read"],
        state: "s1",
        forceVerify: false
      })
    )
    expect(url.origin + url.pathname).toBe("https://id.twitch.tv/oauth2/authorize")
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "abc",
      redirect_uri: "http://localhost:42420",
      response_type: "token",
      scope: "user:read:follows chat:read",
      state: "s1",
      force_verify: "false"
    })
  })

  it.effect("validate: `OAuth <token>` header, decodes user, scopes and expiry", () => {
    const seen: Array<Seen> = []
    return Effect.gen(function*() {
      const v = yield* OAuth.validate(Redacted.make(SECRET_TOKEN))
      expect(v).toMatchObject({
        clientId: "client0",
        login: Option.some("twitcher"),
        userId: Option.some("1"),
        scopes: ["chat:read"]
      })
      expect(seen[0].url).toBe("http://id.test/oauth2/validate")
      expect(seen[0].headers["authorization"]).toBe(`OAuth ${SECRET_TOKEN}`)
    }).pipe(
      Effect.provide(
        fakeTwitch(
          200,
          { client_id: "client0", login: "twitcher", scopes: ["chat:read"], user_id: "1", expires_in: 3600 },
          seen
        )
      )
    )
  })

  it.effect("validate: an app token (no login or user_id, null scopes) has None for both; applied, kind app", () =>
    Effect.gen(function*() {
      const v = yield* OAuth.validate(Redacted.make(SECRET_TOKEN))
      expect(v.login).toEqual(Option.none())
      expect(v.userId).toEqual(Option.none())
      expect(v.scopes).toEqual([])
      const applied = yield* OAuth.applyValidation(AccessToken.make(SECRET_TOKEN), v)
      expect(applied.kind).toBe("app")
      expect(applied.userId).toEqual(Option.none())
      expect(applied.scopes).toEqual(Option.some([]))
      // Some servers send empty strings instead of leaving the fields out.
      const empty = yield* Schema.decodeUnknown(OAuth.Validation)({
        client_id: "c",
        login: "",
        user_id: "",
        scopes: null,
        expires_in: 10
      })
      expect(empty.userId).toEqual(Option.none())
      expect(empty.login).toEqual(Option.none())
    }).pipe(Effect.provide(fakeTwitch(200, { client_id: "client0", scopes: null, expires_in: 5000 }))))

  it.effect("validate: 401 is NotAuthorized InvalidToken with Twitch's message", () =>
    Effect.gen(function*() {
      const error = yield* failure(OAuth.validate(Redacted.make(SECRET_TOKEN)))
      expect(error._tag).toBe("NotAuthorized")
      expect(error._tag === "NotAuthorized" && error.twitchMessage).toBe("invalid access token")
    }).pipe(Effect.provide(fakeTwitch(401, { status: 401, message: "invalid access token" }))))

  it.effect("a malformed token answer is a DecodeError naming the field, without the token in it", () =>
    Effect.gen(function*() {
      const error = yield* failure(OAuth.clientCredentials(Redacted.make(CLIENT_SECRET)))
      expect(error._tag).toBe("DecodeError")
      expect(error._tag === "DecodeError" && error.path).toBe("expires_in")
      expect(error.message).not.toContain(SECRET_TOKEN)
      expect(JSON.stringify(error)).not.toContain(SECRET_TOKEN)
    }).pipe(Effect.provide(fakeTwitch(200, { access_token: SECRET_TOKEN, expires_in: SECRET_TOKEN }))))

  it.effect("refresh: form body with grant, refresh token and secret; 400 is NotAuthorized", () => {
    const seen: Array<Seen> = []
    return Effect.gen(function*() {
      const error = yield* failure(
        OAuth.refresh({
          refreshToken: Redacted.make(SECRET_REFRESH),
          clientSecret: Redacted.make(CLIENT_SECRET)
        })
      )
      expect(error._tag === "NotAuthorized" && error.reason).toBe("InvalidToken")
      expect(error.message).toContain("Invalid refresh token")
      expect(seen[0].method).toBe("POST")
      expect(seen[0].url).toBe("http://id.test/oauth2/token")
      expect(Object.fromEntries(seen[0].form)).toEqual({
        client_id: "client0",
        grant_type: "refresh_token",
        refresh_token: SECRET_REFRESH,
        client_secret: CLIENT_SECRET
      })
    }).pipe(
      Effect.provide(
        fakeTwitch(400, { error: "Bad Request", status: 400, message: "Invalid refresh token" }, seen)
      )
    )
  })

  it.effect("refresh: a 5xx stays an HttpError (it says nothing about the refresh token)", () =>
    Effect.gen(function*() {
      const error = yield* failure(OAuth.refresh({ refreshToken: Redacted.make(SECRET_REFRESH) }))
      expect(error._tag === "HttpError" && error.status).toBe(503)
    }).pipe(Effect.provide(fakeTwitch(503, { error: "Service Unavailable", status: 503, message: "" }))))

  it.effect("device code: `scopes` (not `scope`) in the form, decoded answer", () => {
    const seen: Array<Seen> = []
    return Effect.gen(function*() {
      const code = yield* OAuth.deviceCode(["chat:read", "chat:edit"])
      expect(code.userCode).toBe("ABCDEFGH")
      expect(code.interval).toBe(5)
      expect(Object.fromEntries(seen[0].form)).toEqual({
        client_id: "client0",
        scopes: "chat:read chat:edit"
      })
    }).pipe(
      Effect.provide(
        fakeTwitch(200, {
          device_code: "devicecode0000000000000000000001",
          expires_in: 1800,
          interval: 5,
          user_code: "ABCDEFGH",
          verification_uri: "https://www.twitch.tv/activate?device-code=ABCDEFGH"
        }, seen)
      )
    )
  })

  const poll = OAuth.pollDeviceCode({
    deviceCode: Redacted.make("devicecode0000000000000000000001"),
    scopes: []
  })
  const pollWith = (status: number, message: string) =>
    poll.pipe(Effect.provide(fakeTwitch(status, { status, message })))

  it.effect("device code poll: Twitch's codes in `message` map to Pending, SlowDown, Expired, Denied, Refused", () =>
    Effect.gen(function*() {
      expect((yield* pollWith(400, "authorization_pending"))._tag).toBe("Pending")
      expect((yield* pollWith(400, "slow_down"))._tag).toBe("SlowDown")
      const expired = yield* failure(pollWith(400, "invalid device code"))
      expect(expired._tag === "LoginFailed" && expired.reason).toBe("Expired")
      const denied = yield* failure(pollWith(400, "access_denied"))
      expect(denied._tag === "LoginFailed" && denied.reason).toBe("Denied")
      const other = yield* failure(pollWith(400, "invalid client"))
      expect(other._tag === "LoginFailed" && other.reason).toBe("Refused")
      // RFC 8628 servers put the code in `error`: accepted too.
      const rfc = yield* poll.pipe(Effect.provide(fakeTwitch(400, { error: "authorization_pending" })))
      expect(rfc._tag).toBe("Pending")
    }))

  it.effect("revoke: 200 and 400 'Invalid token' are done; 404 is an HttpError", () =>
    Effect.gen(function*() {
      const seen: Array<Seen> = []
      yield* OAuth.revoke(Redacted.make(SECRET_TOKEN)).pipe(Effect.provide(fakeTwitch(200, "", seen)))
      expect(Object.fromEntries(seen[0].form)).toEqual({ client_id: "client0", token: SECRET_TOKEN })
      yield* OAuth.revoke(Redacted.make(SECRET_TOKEN)).pipe(
        Effect.provide(fakeTwitch(400, { status: 400, message: "Invalid token" }))
      )
      const error = yield* failure(
        OAuth.revoke(Redacted.make(SECRET_TOKEN)).pipe(
          Effect.provide(fakeTwitch(404, { status: 404, message: "client does not exist" }))
        )
      )
      expect(error._tag === "HttpError" && error.status).toBe(404)
    }))

  it.effect("a refused connection is a TransportError naming the URL, never the form body", () =>
    Effect.gen(function*() {
      const error = yield* failure(OAuth.clientCredentials(Redacted.make(CLIENT_SECRET)))
      expect(error._tag).toBe("TransportError")
      expect(error.message).toContain("http://id.test/oauth2/token")
      expect(error.message).toContain("ECONNREFUSED")
    }).pipe(Effect.provide(refusingConnections)))

  it("no error message of these tests contains a token or secret", () => {
    // The errors above were recorded by `failure`.
    expect(captured.length).toBeGreaterThan(5)
    checkNoLeak()
  })
})
