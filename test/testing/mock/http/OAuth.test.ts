import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { MockTwitch } from "../../../../src/testing/index.js"
import * as MockWorld from "../../../../src/testing/mock/World.js"
import { get, postForm, request, withMock } from "./client.js"

const creds = MockTwitch.credentials

const authorizeUrl = (base: string, query: Record<string, string>) =>
  `${base}/oauth2/authorize?${new URLSearchParams({
    client_id: creds.clientId,
    redirect_uri: "http://localhost:42420",
    ...query
  })}`

describe("mock OAuth", () => {
  it.live("implicit grant: 302 to redirect_uri#access_token with the scopes and state; token validates", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const res = yield* get(authorizeUrl(mock.http.idUrl, {
          response_type: "token",
          scope: "chat:read user:read:follows",
          state: "s t&ate"
        }))
        expect(res.status).toBe(302)
        const location = res.headers.get("location")!
        expect(location.startsWith("http://localhost:42420#access_token=")).toBe(true)
        const fragment = new URLSearchParams(location.split("#")[1])
        expect(fragment.get("scope")).toBe("chat:read user:read:follows")
        expect(location).toContain("scope=chat%3Aread+user%3Aread%3Afollows")
        expect(fragment.get("state")).toBe("s t&ate")
        expect(fragment.get("token_type")).toBe("bearer")
        const token = fragment.get("access_token")!
        const validated = yield* get(`${mock.http.idUrl}/oauth2/validate`, {
          authorization: `OAuth ${token}`
        })
        expect(validated.status).toBe(200)
        expect(validated.json()).toMatchObject({
          client_id: creds.clientId,
          login: MockWorld.defaultUserLogin,
          user_id: MockWorld.defaultUserId,
          scopes: ["chat:read", "user:read:follows"]
        })
        expect(yield* mock.control.counter("tokensIssued")).toBe(1)
      })
    ))

  it.live("denial via the control switch or the mock_deny knob; state echoed in the query", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        yield* mock.control.denyNextAuthorize
        const denied = yield* get(authorizeUrl(mock.http.idUrl, { response_type: "token", state: "abc" }))
        expect(denied.status).toBe(302)
        const url = new URL(denied.headers.get("location")!)
        expect(url.origin + url.pathname).toBe("http://localhost:42420/")
        expect(url.searchParams.get("error")).toBe("access_denied")
        expect(url.searchParams.get("error_description")).toBe("The user denied you access")
        expect(url.searchParams.get("state")).toBe("abc")
        // The switch is one-shot.
        const next = yield* get(authorizeUrl(mock.http.idUrl, { response_type: "token", state: "abc" }))
        expect(next.headers.get("location")).toContain("#access_token=")
        const knob = yield* get(authorizeUrl(mock.http.idUrl, { response_type: "token", mock_deny: "1" }))
        expect(knob.headers.get("location")).toContain("error=access_denied")
      })
    ))

  it.live("rejects unknown clients, unregistered redirect URIs and unknown scopes; redirect URIs can be added", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const bad = yield* get(authorizeUrl(mock.http.idUrl, {
          response_type: "token",
          redirect_uri: "http://localhost:9999"
        }))
        expect(bad.status).toBe(400)
        expect(bad.json()).toMatchObject({ status: 400 })
        const badClient = yield* get(
          authorizeUrl(mock.http.idUrl, { response_type: "token", client_id: "x" })
        )
        expect(badClient.json()).toEqual({ status: 400, message: "invalid client" })
        const scope = yield* get(
          authorizeUrl(mock.http.idUrl, { response_type: "token", scope: "chat:read nope" })
        )
        expect(scope.headers.get("location")).toContain("error=invalid_scope")
        yield* mock.world.addRedirectUri(creds.clientId, "http://localhost:9999")
        const ok = yield* get(authorizeUrl(mock.http.idUrl, {
          response_type: "token",
          redirect_uri: "http://localhost:9999"
        }))
        expect(ok.headers.get("location")).toContain("http://localhost:9999#access_token=")
      })
    ))

  it.live("authorization code grant: code in the query, exchanged once for a refreshable token", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const res = yield* get(authorizeUrl(mock.http.idUrl, {
          response_type: "code",
          redirect_uri: "http://localhost:3000",
          scope: "user:read:email",
          state: "xyz"
        }))
        const url = new URL(res.headers.get("location")!)
        expect(url.searchParams.get("state")).toBe("xyz")
        expect(url.searchParams.get("scope")).toBe("user:read:email")
        const code = url.searchParams.get("code")!
        const form = {
          client_id: creds.clientId,
          client_secret: creds.clientSecret,
          code,
          grant_type: "authorization_code",
          redirect_uri: "http://localhost:3000"
        }
        const exchanged = yield* postForm(`${mock.http.idUrl}/oauth2/token`, form)
        expect(exchanged.status).toBe(200)
        const body = exchanged.json<Record<string, unknown>>()
        expect(body).toMatchObject({ scope: ["user:read:email"], token_type: "bearer" })
        expect(body.access_token).toMatch(/^[a-z0-9]{30}$/)
        expect(body.refresh_token).toMatch(/^[a-z0-9]{50}$/)
        expect(body.expires_in).toBeGreaterThan(0)
        const again = yield* postForm(`${mock.http.idUrl}/oauth2/token`, form)
        expect(again.status).toBe(400)
        const wrongSecret = yield* postForm(`${mock.http.idUrl}/oauth2/token`, {
          ...form,
          client_secret: "nope"
        })
        expect(wrongSecret.json()).toEqual({ status: 403, message: "invalid client secret" })
      })
    ))

  it.live("client credentials by form body and by query (twitch-cli's /auth/token); app token validates", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const form = yield* postForm(`${mock.http.idUrl}/oauth2/token`, {
          client_id: creds.clientId,
          client_secret: creds.clientSecret,
          grant_type: "client_credentials"
        })
        expect(form.status).toBe(200)
        const body = form.json<{ access_token: string; expires_in: number; token_type: string }>()
        expect(body.token_type).toBe("bearer")
        expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "token_type"])
        const query = yield* request(
          `${mock.http.authUrl}/token?${new URLSearchParams({
            client_id: creds.clientId,
            client_secret: creds.clientSecret,
            grant_type: "client_credentials"
          })}`,
          { method: "POST" }
        )
        expect(query.status).toBe(200)
        const validated = yield* get(`${mock.http.authUrl}/validate`, {
          authorization: `Bearer ${body.access_token}`
        })
        const info = validated.json<{ client_id: string; scopes: Array<string>; expires_in: number }>()
        expect(Object.keys(info).sort()).toEqual(["client_id", "expires_in", "scopes"])
        expect(info).toMatchObject({ client_id: creds.clientId, scopes: [] })
        expect(info.expires_in).toBeGreaterThan(body.expires_in - 5)
        expect(info.expires_in).toBeLessThanOrEqual(body.expires_in)
        const publicClient = yield* postForm(`${mock.http.idUrl}/oauth2/token`, {
          client_id: MockWorld.publicClientId,
          grant_type: "client_credentials"
        })
        expect(publicClient.status).toBe(400)
        expect(
          (yield* postForm(`${mock.http.idUrl}/oauth2/token`, {
            client_id: creds.clientId,
            grant_type: "magic"
          })).json()
        ).toEqual({ status: 400, message: "unsupported grant type" })
      })
    ))

  it.live("refresh tokens are one-time: the second use answers 400 Invalid refresh token", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const form = {
          client_id: creds.clientId,
          client_secret: creds.clientSecret,
          grant_type: "refresh_token",
          refresh_token: creds.refreshToken
        }
        const first = yield* postForm(`${mock.http.idUrl}/oauth2/token`, form)
        expect(first.status).toBe(200)
        const body = first.json<{ access_token: string; refresh_token: string; scope: Array<string> }>()
        expect(body.scope).toEqual(MockWorld.allScopes)
        expect(body.refresh_token).not.toBe(creds.refreshToken)
        const second = yield* postForm(`${mock.http.idUrl}/oauth2/token`, form)
        expect(second.status).toBe(400)
        expect(second.json()).toEqual({ error: "Bad Request", status: 400, message: "Invalid refresh token" })
        // The old access token died with its refresh token.
        const old = yield* get(`${mock.http.idUrl}/oauth2/validate`, {
          authorization: `OAuth ${creds.userToken}`
        })
        expect(old.status).toBe(401)
        expect(old.json()).toEqual({ status: 401, message: "invalid access token" })
      })
    ))

  // Runs on the TestClock: the mock's expiry and polling interval follow it.
  it.effect("device code flow: pending, slow_down, approval through the control handle, then invalid", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const started = yield* postForm(`${mock.http.idUrl}/oauth2/device`, {
          client_id: MockWorld.publicClientId,
          scopes: "chat:read chat:edit"
        })
        expect(started.status).toBe(200)
        const device = started.json<
          {
            device_code: string
            user_code: string
            interval: number
            expires_in: number
            verification_uri: string
          }
        >()
        expect(device).toMatchObject({ interval: 5, expires_in: 1800 })
        expect(device.verification_uri).toContain(`/activate?device-code=${device.user_code}`)
        const poll = postForm(`${mock.http.idUrl}/oauth2/token`, {
          client_id: MockWorld.publicClientId,
          scopes: "chat:read chat:edit",
          device_code: device.device_code,
          grant_type: "urn:ietf:params:oauth:grant-type:device_code"
        })
        expect((yield* poll).json()).toEqual({ status: 400, message: "authorization_pending" })
        expect((yield* poll).json()).toEqual({ status: 400, message: "slow_down" })
        yield* TestClock.adjust("5 seconds")
        expect((yield* poll).json()).toEqual({ status: 400, message: "authorization_pending" })
        yield* mock.approveDeviceCode()
        yield* TestClock.adjust("5 seconds")
        const done = yield* poll
        expect(done.status).toBe(200)
        const token = done.json<{ access_token: string; scope: Array<string>; refresh_token: string }>()
        expect(token.scope).toEqual(["chat:read", "chat:edit"])
        expect(token.refresh_token.length).toBeGreaterThan(0)
        yield* TestClock.adjust("5 seconds")
        expect((yield* poll).json()).toEqual({ status: 400, message: "invalid device code" })
        // The user token expires on the same clock.
        const ok = yield* get(`${mock.http.idUrl}/oauth2/validate`, {
          authorization: `OAuth ${token.access_token}`
        })
        expect(ok.status).toBe(200)
        yield* TestClock.adjust("4 hours")
        const expired = yield* get(`${mock.http.idUrl}/oauth2/validate`, {
          authorization: `OAuth ${token.access_token}`
        })
        expect(expired.status).toBe(401)
      })
    ))

  it.live("device codes can be approved on the /activate page and denied by the control handle", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const start = () =>
          Effect.map(
            postForm(`${mock.http.idUrl}/oauth2/device`, { client_id: creds.clientId, scopes: "" }),
            (r) => r.json<{ device_code: string; user_code: string; verification_uri: string }>()
          )
        const poll = (code: string) =>
          postForm(`${mock.http.idUrl}/oauth2/token`, {
            client_id: creds.clientId,
            device_code: code,
            grant_type: "urn:ietf:params:oauth:grant-type:device_code"
          })
        const a = yield* start()
        const page = yield* get(a.verification_uri)
        expect(page.status).toBe(200)
        expect(page.text).toContain("activated")
        expect((yield* poll(a.device_code)).status).toBe(200)
        const b = yield* start()
        yield* mock.denyDeviceCode(b.user_code)
        expect((yield* poll(b.device_code)).json()).toEqual({ status: 400, message: "access_denied" })
        const unknown = yield* poll("nope")
        expect(unknown.json()).toEqual({ status: 400, message: "invalid device code" })
      })
    ))

  it.live("validate accepts OAuth and Bearer; revoke answers 200, then the token is invalid", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const v = (header: string) => get(`${mock.http.idUrl}/oauth2/validate`, { authorization: header })
        expect((yield* v(`OAuth ${creds.secondUserToken}`)).json()).toMatchObject({
          login: MockWorld.secondUserLogin,
          user_id: MockWorld.secondUserId
        })
        expect((yield* v(`Bearer ${creds.secondUserToken}`)).status).toBe(200)
        expect((yield* get(`${mock.http.idUrl}/oauth2/validate`)).status).toBe(401)
        const revoked = yield* postForm(`${mock.http.idUrl}/oauth2/revoke`, {
          client_id: creds.clientId,
          token: creds.secondUserToken
        })
        expect(revoked.status).toBe(200)
        expect(revoked.text).toBe("")
        expect((yield* v(`OAuth ${creds.secondUserToken}`)).status).toBe(401)
        const again = yield* postForm(`${mock.http.idUrl}/oauth2/revoke`, {
          client_id: creds.clientId,
          token: creds.secondUserToken
        })
        expect(again.json()).toEqual({ status: 400, message: "Invalid token" })
        const noClient = yield* postForm(`${mock.http.idUrl}/oauth2/revoke`, {
          client_id: "mockclient0doesnotexist0000000000",
          token: "x"
        })
        expect(noClient.json()).toEqual({ status: 404, message: "client does not exist" })
      })
    ))

  it.live("twitch-cli's POST /auth/authorize?grant_type=user_token returns a user token directly", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const res = yield* request(
          `${mock.http.authUrl}/authorize?${new URLSearchParams({
            client_id: creds.clientId,
            client_secret: creds.clientSecret,
            grant_type: "user_token",
            user_id: MockWorld.secondUserId,
            scope: "chat:read"
          })}`,
          { method: "POST" }
        )
        expect(res.status).toBe(200)
        const body = res.json<{ access_token: string; scope: Array<string> }>()
        expect(body.scope).toEqual(["chat:read"])
        const users = yield* get(`${mock.http.mockHelixUrl}/users`, {
          "client-id": creds.clientId,
          authorization: `Bearer ${body.access_token}`
        })
        expect(users.json<{ data: Array<{ login: string }> }>().data[0].login).toBe(MockWorld.secondUserLogin)
      })
    ))
})
