import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Os from "node:os"
import * as LoginServer from "../../src/auth/LoginServer.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"

const TestLayer = Layer.mergeAll(
  TwitchConfig.layer({ clientId: "client0", idUrl: "http://127.0.0.1:9/" }),
  NodeHttpClient.layer
)

const externalAddresses = () =>
  Object.values(Os.networkInterfaces()).flatMap((list) =>
    (list ?? []).filter((i) => i.family === "IPv4" && !i.internal).map((i) => i.address)
  )

const stateOf = (server: LoginServer.LoginServer) =>
  new URL(server.authorizeUrl).searchParams.get("state") ?? ""

const send = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.flatMap(
    HttpClient.HttpClient,
    (client) =>
      Effect.flatMap(client.execute(request), (res) =>
        Effect.map(res.text, (body) => ({ status: res.status, body })))
  )

const postToken = (server: LoginServer.LoginServer, body: string, headers: Record<string, string> = {}) =>
  send(
    HttpClientRequest.post(`http://127.0.0.1:${server.port}/token`).pipe(
      HttpClientRequest.setHeaders(headers),
      HttpClientRequest.bodyText(body, "application/x-www-form-urlencoded")
    )
  )

const get = (server: LoginServer.LoginServer, pathAndQuery: string) =>
  send(HttpClientRequest.get(`http://127.0.0.1:${server.port}${pathAndQuery}`))

describe("LoginServer", () => {
  it.scopedLive("builds the authorize URL with client id, redirect URI, scopes, state and force_verify", () =>
    Effect.gen(function*() {
      const server = yield* LoginServer.make({
        scopes: ["chat:read", "user:read:follows"],
        port: 0,
        forceVerify: true
      })
      const url = new URL(server.authorizeUrl)
      expect(url.origin + url.pathname).toBe("http://127.0.0.1:9/oauth2/authorize")
      expect(url.searchParams.get("client_id")).toBe("client0")
      expect(url.searchParams.get("redirect_uri")).toBe(`http://localhost:${server.port}`)
      expect(server.redirectUri).toBe(`http://localhost:${server.port}`)
      expect(url.searchParams.get("response_type")).toBe("token")
      expect(url.searchParams.get("scope")).toBe("chat:read user:read:follows")
      expect(url.searchParams.get("force_verify")).toBe("true")
      expect(stateOf(server).length).toBeGreaterThanOrEqual(32)
      const other = yield* LoginServer.make({ scopes: [], port: 0 })
      expect(stateOf(other)).not.toBe(stateOf(server))
    }).pipe(Effect.provide(TestLayer)))

  it.scopedLive("serves the page that lifts the fragment, accepts exactly one token with our state", () =>
    Effect.gen(function*() {
      const server = yield* LoginServer.make({ scopes: ["chat:read"], port: 0 })
      const page = yield* get(server, "/")
      expect(page.status).toBe(200)
      expect(page.body).toContain("location.hash")
      expect(page.body).toContain("fetch(\"/token\"")

      const wrong = yield* postToken(server, "access_token=forgedtoken&state=notours&token_type=bearer")
      expect(wrong.status).toBe(400)
      const foreignHost = yield* postToken(server, `access_token=x&state=${stateOf(server)}`, {
        Host: "evil.test"
      })
      expect(foreignHost.status).toBe(421)
      const foreignOrigin = yield* postToken(server, `access_token=x&state=${stateOf(server)}`, {
        Origin: "https://evil.test"
      })
      expect(foreignOrigin.status).toBe(403)

      const ok = yield* postToken(
        server,
        `access_token=goodtoken0001&scope=chat%3Aread+chat%3Aedit&state=${stateOf(server)}&token_type=bearer`
      )
      expect(ok.status).toBe(200)
      const again = yield* postToken(server, `access_token=second&state=${stateOf(server)}`)
      expect(again.status).toBe(409)

      const result = yield* server.await
      expect(result._tag).toBe("Token")
      if (result._tag === "Token") {
        expect(Redacted.value(result.accessToken)).toBe("goodtoken0001")
        expect(result.scopes).toEqual(["chat:read", "chat:edit"])
      }
      expect((yield* get(server, "/nope")).status).toBe(404)
    }).pipe(Effect.provide(TestLayer)))

  it.scopedLive("a denied login (error=access_denied with our state) is LoginFailed Denied", () =>
    Effect.gen(function*() {
      const server = yield* LoginServer.make({ scopes: [], port: 0 })
      const foreign = yield* get(server, "/?error=access_denied&state=notours")
      expect(foreign.status).toBe(400)
      const denied = yield* get(
        server,
        `/?error=access_denied&error_description=The+user+denied+you+access&state=${stateOf(server)}`
      )
      expect(denied.status).toBe(200)
      const error = yield* Effect.flip(server.await)
      expect(error.reason).toBe("Denied")
      expect(error.message).toContain("The user denied you access")
    }).pipe(Effect.provide(TestLayer)))

  it.scopedLive("times out; only foreign states seen becomes StateMismatch", () =>
    Effect.gen(function*() {
      const quiet = yield* LoginServer.make({ scopes: [], port: 0, timeout: "150 millis" })
      expect((yield* Effect.flip(quiet.await)).reason).toBe("Timeout")
      const attacked = yield* LoginServer.make({ scopes: [], port: 0, timeout: "300 millis" })
      yield* postToken(attacked, "access_token=forged&state=forged")
      expect((yield* Effect.flip(attacked.await)).reason).toBe("StateMismatch")
    }).pipe(Effect.provide(TestLayer)))

  it.scopedLive("code mode catches ?code= with our state", () =>
    Effect.gen(function*() {
      const server = yield* LoginServer.make({ scopes: ["chat:read"], port: 0, responseType: "code" })
      expect(new URL(server.authorizeUrl).searchParams.get("response_type")).toBe("code")
      expect((yield* get(server, "/?code=abc&state=wrong")).status).toBe(400)
      expect((yield* get(server, `/?code=thecode&scope=chat%3Aread&state=${stateOf(server)}`)).status).toBe(
        200
      )
      const result = yield* server.await
      expect(result._tag === "Code" && Redacted.value(result.code)).toBe("thecode")
    }).pipe(Effect.provide(TestLayer)))

  it.live("binds 127.0.0.1 only and stops with its scope", () =>
    Effect.gen(function*() {
      const port = yield* Effect.scoped(
        Effect.gen(function*() {
          const server = yield* LoginServer.make({ scopes: [], port: 0 })
          expect((yield* get(server, "/")).status).toBe(200)
          // Not reachable through any other interface of this machine.
          for (const address of externalAddresses()) {
            const outside = yield* Effect.exit(
              send(HttpClientRequest.get(`http://${address}:${server.port}/`)).pipe(
                Effect.timeout("2 seconds")
              )
            )
            expect(Exit.isFailure(outside)).toBe(true)
          }
          return server.port
        })
      )
      const after = yield* Effect.exit(
        send(HttpClientRequest.get(`http://127.0.0.1:${port}/`)).pipe(Effect.timeout("2 seconds"))
      )
      expect(Exit.isFailure(after)).toBe(true)
    }).pipe(Effect.provide(TestLayer)))

  it.scopedLive("a busy port is a TransportError", () =>
    Effect.gen(function*() {
      const first = yield* LoginServer.make({ scopes: [], port: 0 })
      const error = yield* Effect.flip(LoginServer.make({ scopes: [], port: first.port }))
      expect(error._tag).toBe("TransportError")
      expect(error.message).toContain(`127.0.0.1:${first.port}`)
    }).pipe(Effect.provide(TestLayer)))
})
