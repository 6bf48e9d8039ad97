import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import * as net from "node:net"
import { MockTwitch } from "../../../src/testing/index.js"
import * as Control from "../../../src/testing/mock/Control.js"
import * as MockHttpServer from "../../../src/testing/mock/HttpServer.js"
import * as MockWorld from "../../../src/testing/mock/World.js"
import { get, helixHeaders, request, withMock } from "./http/client.js"

const user = helixHeaders(MockTwitch.credentials.userToken)

describe("mock HTTP server", () => {
  it.live("injected 5xx: the next N requests of the surface fail with Twitch's body, then it recovers", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const url = `${mock.http.helixUrl}/users`
        yield* mock.control.failWith(503, { times: 2, surface: "helix" })
        for (let i = 0; i < 2; i++) {
          const res = yield* get(url, user)
          expect(res.status).toBe(503)
          expect(res.json()).toMatchObject({ error: "Service Unavailable", status: 503 })
        }
        expect((yield* get(url, user)).status).toBe(200)
        // A fault for another surface leaves Helix alone.
        yield* mock.control.failWith(500, { surface: "gql" })
        expect((yield* get(url, user)).status).toBe(200)
        expect(yield* mock.control.faults).toHaveLength(1)
        yield* mock.control.clearFaults
        expect(yield* mock.control.faults).toHaveLength(0)
        expect(yield* mock.control.counter("faults")).toBe(2)
      })
    ))

  it.live("injected 429 carries Ratelimit headers with nothing remaining", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        yield* mock.control.failWith(429)
        const res = yield* get(`${mock.http.helixUrl}/users`, user)
        expect(res.status).toBe(429)
        expect(res.json()).toMatchObject({ error: "Too Many Requests", status: 429 })
        expect(res.headers.get("ratelimit-remaining")).toBe("0")
        expect(res.headers.get("ratelimit-limit")).toBe("800")
        expect(Number(res.headers.get("ratelimit-reset"))).toBeGreaterThanOrEqual(
          Math.floor(Date.now() / 1000)
        )
        expect(yield* mock.control.counter("429")).toBe(1)
      })
    ))

  it.live("injected delay holds the answer back, then answers normally", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        // A long delay against a short answer: a loaded machine cannot blur the two.
        yield* mock.control.delay("1 second", { surface: "oauth" })
        const started = Date.now()
        const res = yield* get(`${mock.http.idUrl}/oauth2/validate`, {
          authorization: `OAuth ${MockTwitch.credentials.userToken}`
        })
        expect(res.status).toBe(200)
        expect(Date.now() - started).toBeGreaterThanOrEqual(990)
        const quick = Date.now()
        yield* get(`${mock.http.idUrl}/oauth2/validate`, {
          authorization: `OAuth ${MockTwitch.credentials.userToken}`
        })
        expect(Date.now() - quick).toBeLessThan(900)
      })
    ))

  it.live("injected drop destroys the connection without an answer; the next request works", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        yield* mock.control.drop({ surface: "cdn" })
        const failed = yield* Effect.tryPromise(() => fetch(`${mock.http.emoteCdnUrl}/25/static/light/1.0`))
          .pipe(
            Effect.flip
          )
        expect(String(failed.error)).toContain("fetch failed")
        expect(yield* mock.control.counter("dropped")).toBe(1)
        expect((yield* get(`${mock.http.emoteCdnUrl}/25/static/light/1.0`)).status).toBe(200)
      })
    ))

  it.live("counts requests per route (aliases under their canonical route) and 404s unknown paths", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        yield* get(`${mock.http.helixUrl}/streams`, user)
        yield* get(`${mock.http.mockHelixUrl}/streams`, user)
        yield* request(`${mock.http.authUrl}/validate`)
        const missing = yield* get(`${mock.http.baseUrl}/nothing/here`)
        expect(missing.status).toBe(404)
        expect(missing.json()).toMatchObject({ status: 404, error: "Not Found" })
        const counters = yield* mock.control.counters
        expect(counters["route:GET /helix/streams"]).toBe(2)
        expect(counters["route:GET /oauth2/validate"]).toBe(1)
        expect(counters.requests).toBe(4)
        yield* mock.control.resetCounters
        expect(yield* mock.control.counter("requests")).toBe(0)
      })
    ))

  it.live("binds 127.0.0.1 only, and closes (with open keep-alive connections) when its scope closes", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(Layer.merge(MockWorld.layer(), Control.layer), scope)
      const running = yield* MockHttpServer.make({}).pipe(Effect.provide(context), Scope.extend(scope))
      expect(running.baseUrl).toBe(`http://127.0.0.1:${running.port}`)
      expect(running.port).toBeGreaterThan(0)
      // A keep-alive connection stays open across the close.
      const res = yield* get(`${running.baseUrl}/oauth2/validate`, { connection: "keep-alive" })
      expect(res.status).toBe(401)
      yield* Scope.close(scope, Exit.void)
      const refused = yield* Effect.async<boolean>((resume) => {
        const socket = net.connect({ host: "127.0.0.1", port: running.port })
        socket.once("connect", () => {
          socket.destroy()
          resume(Effect.succeed(false))
        })
        socket.once("error", () => resume(Effect.succeed(true)))
      })
      expect(refused).toBe(true)
    }))

  it.live("a fixed port can be chosen", () =>
    Effect.gen(function*() {
      const port = yield* Effect.async<number>((resume) => {
        const probe = net.createServer()
        probe.listen(0, "127.0.0.1", () => {
          const address = probe.address()
          const free = typeof address === "object" && address !== null ? address.port : 0
          probe.close(() => resume(Effect.succeed(free)))
        })
      })
      yield* withMock((mock) =>
        Effect.sync(() => {
          expect(mock.http.port).toBe(port)
          expect(mock.http.helixUrl).toBe(`http://127.0.0.1:${port}/helix`)
        }), { http: { port } })
    }))

  it.live("answers CORS preflights and marks answers cross-origin readable", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const preflight = yield* request(`${mock.http.helixUrl}/users`, {
          method: "OPTIONS",
          headers: {
            origin: "http://localhost:3000",
            "access-control-request-headers": "authorization,client-id"
          }
        })
        expect(preflight.status).toBe(200)
        expect(preflight.headers.get("access-control-allow-headers")).toContain("Client-Id")
        const res = yield* get(`${mock.http.helixUrl}/users`, user)
        expect(res.headers.get("access-control-allow-origin")).toBe("*")
      })
    ))
})
