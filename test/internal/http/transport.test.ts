/**
 * Every way a request can fail without an answer, against real sockets: the TransportError names
 * the step and the cause's code, and the URL once.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as Http from "node:http"
import * as Net from "node:net"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import * as Helix from "../../../src/helix/Helix.js"
import { HelixClient } from "../../../src/helix/HelixClient.js"
import * as HttpPipeline from "../../../src/internal/http/pipeline.js"
import * as TwitchConfig from "../../../src/TwitchConfig.js"
import type { TransportError } from "../../../src/TwitchError.js"

/** A TCP server on 127.0.0.1 doing `onData` with every connection's first bytes; closed with the scope. */
const tcpServer = (onData: (socket: Net.Socket) => void) =>
  Effect.acquireRelease(
    Effect.async<Net.Server>((resume) => {
      const server = Net.createServer((socket) => {
        socket.on("error", () => {})
        socket.once("data", () => onData(socket))
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map((server) => (server.address() as Net.AddressInfo).port))

/** An HTTP server on 127.0.0.1 answering every request with `respond`; closed with the scope. */
const httpServer = (respond: (response: Http.ServerResponse) => void) =>
  Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const server = Http.createServer((_, response) => respond(response))
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map((server) => (server.address() as Net.AddressInfo).port))

/** A port nothing listens on: bound once, then closed. */
const closedPort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as Net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** Sends one GET through an area pipeline without retries and returns its TransportError. */
const failureOf = (url: string, timeout: Duration.DurationInput = "5 seconds") =>
  Effect.flatMap(
    HttpClient.HttpClient,
    (client) =>
      Effect.flip(HttpPipeline.make(client, { area: "test", timeout }).send(HttpClientRequest.get(url)))
  )

const occurrences = (text: string, part: string) => text.split(part).length - 1

const expectUrlOnce = (error: TransportError, url: string) => {
  expect(error.request?.url).toBe(url)
  expect(occurrences(error.message, url)).toBe(1)
}

describe("TransportError from real failures", () => {
  it.scopedLive("DNS: an unknown host name is step DNS with ENOTFOUND (or EAI_AGAIN offline)", () =>
    Effect.gen(function*() {
      const url = "http://nonexistent.invalid/helix/users"
      const error = yield* failureOf(url)
      expect(error.step).toBe("DNS")
      expect(["ENOTFOUND", "EAI_AGAIN"]).toContain(error.code)
      expect(error.message).toContain(`[${error.code}]`)
      expectUrlOnce(error, url)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("DNS through fetch: the code is found in the wrapped cause", () =>
    Effect.gen(function*() {
      const error = yield* failureOf("http://nonexistent.invalid/x")
      expect(error.step).toBe("DNS")
      expect(["ENOTFOUND", "EAI_AGAIN"]).toContain(error.code)
      expect(error.detail).not.toBe("fetch failed")
    }).pipe(Effect.provide(FetchHttpClient.layer)))

  it.scopedLive("Connect: a refused loopback port is step Connect with ECONNREFUSED", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const url = `http://127.0.0.1:${port}/x`
      const error = yield* failureOf(url)
      expect(error.step).toBe("Connect")
      expect(error.code).toBe("ECONNREFUSED")
      expectUrlOnce(error, url)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("TLS: https spoken to a plain TCP server is step TLS with the SSL code", () =>
    Effect.gen(function*() {
      const port = yield* tcpServer((socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n"))
      const url = `https://127.0.0.1:${port}/x`
      const error = yield* failureOf(url)
      expect(error.step).toBe("TLS")
      expect(error.code).toMatch(/^(ERR_SSL_|EPROTO)/)
      expectUrlOnce(error, url)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("Reset: a server that resets the connection is step Reset with ECONNRESET", () =>
    Effect.gen(function*() {
      const port = yield* tcpServer((socket) => socket.resetAndDestroy())
      const url = `http://127.0.0.1:${port}/x`
      const error = yield* failureOf(url)
      expect(error.step).toBe("Reset")
      expect(error.code).toBe("ECONNRESET")
      expectUrlOnce(error, url)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("Reset: a server that closes the socket mid-request is step Reset (node:http client)", () =>
    Effect.gen(function*() {
      const port = yield* tcpServer((socket) => socket.destroy())
      const error = yield* failureOf(`http://127.0.0.1:${port}/x`)
      expect(error.step).toBe("Reset")
      expect(error.code).toBe("ECONNRESET")
    }).pipe(Effect.provide(NodeHttpClient.layer)))

  it.scopedLive("Timeout: a server that never answers is step Timeout after the pipeline's limit", () =>
    Effect.gen(function*() {
      const port = yield* tcpServer(() => {})
      const url = `http://127.0.0.1:${port}/x`
      const [took, error] = yield* Effect.timed(failureOf(url, "300 millis"))
      expect(Duration.toMillis(took)).toBeLessThan(3000)
      expect(error.step).toBe("Timeout")
      expect(error.detail).toBe("no answer within 300ms")
      expectUrlOnce(error, url)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("an answer cut off mid-body is step Reset, and retried when the pipeline retries", () =>
    Effect.gen(function*() {
      let requests = 0
      const port = yield* httpServer((response) => {
        requests++
        response.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
        if (requests === 1) {
          response.write("{\"data\":[")
          setTimeout(() => response.destroy(), 20)
        } else response.end(`{"data":[]}${" ".repeat(989)}`)
      })
      const url = `http://127.0.0.1:${port}/x`
      const client = yield* HttpClient.HttpClient
      const cut = yield* Effect.flip(
        HttpPipeline.make(client, { area: "test", timeout: "5 seconds" }).send(HttpClientRequest.get(url))
      )
      expect(cut.step).toBe("Reset")
      expect(cut.detail).toMatch(/^reading the answer failed: /)
      requests = 0
      const retrying = HttpPipeline.make(client, {
        area: "test",
        timeout: "5 seconds",
        retry: { times: 1, base: "5 millis", cap: "5 millis" }
      })
      const answer = yield* retrying.send(HttpClientRequest.get(url))
      expect(answer.status).toBe(200)
      expect(answer.text.trim()).toBe(`{"data":[]}`)
      expect(requests).toBe(2)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("Helix over an unreachable host names the URL once, the step and ENOTFOUND", () =>
    Effect.gen(function*() {
      const helix = yield* HelixClient
      const error = yield* Effect.flip(helix.request("/games/top", Schema.Unknown, { query: { first: 25 } }))
      const url = "http://nonexistent.invalid/helix/games/top?first=25"
      expect(error._tag).toBe("TransportError")
      if (error._tag !== "TransportError") return
      expect(error.step).toBe("DNS")
      expectUrlOnce(error, url)
      expect(error.message).toMatch(/^GET http:\/\/nonexistent\.invalid\/helix\/games\/top\?first=25: DNS: /)
      expect(error.message).toMatch(/\[(ENOTFOUND|EAI_AGAIN)\]/)
    }).pipe(Effect.provide(
      Helix.layer({ maxRetries: 0 }).pipe(
        Layer.provide(TwitchAuth.layerStatic("sometokenvalue")),
        Layer.provide(TwitchConfig.layer({ clientId: "c", helixUrl: "http://nonexistent.invalid/helix" })),
        Layer.provide(NodeHttpClient.layerUndici)
      )
    )))
})
