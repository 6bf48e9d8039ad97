/**
 * Failures keep their cause (issue #13): a TLS, DNS or connection failure says what failed and
 * where; a token whose login cannot be learned says why; `TwitchAuth.layerStatic` with a bare
 * token works when the client can validate it, and says what to do when it cannot. Real sockets.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Net from "node:net"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import * as ChatClient from "../../../src/chat/ChatClient.js"
import * as ChatTransport from "../../../src/chat/ChatTransport.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import * as TwitchConfig from "../../../src/TwitchConfig.js"
import type { ChatError, NotAuthorized } from "../../../src/TwitchError.js"
import { setup } from "./fixture.js"

/** A port nothing listens on (bound, then released). */
const closedPort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as Net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** A loopback TCP server handling each connection with `onSocket`; closed with the scope. */
const listen = (onSocket: (socket: Net.Socket) => void) =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: Net.Server; readonly port: number }>((resume) => {
      const server = Net.createServer(onSocket)
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({ server, port: (server.address() as Net.AddressInfo).port })))
    }),
    ({ server }) =>
      Effect.sync(() =>
        server.close()
      )
  ).pipe(Effect.map(({ port }) => port))

const failure = <A, R>(effect: Effect.Effect<A, ChatError | NotAuthorized, R>) =>
  Effect.flatMap(
    Effect.either(effect),
    (result) => Either.isLeft(result) ? Effect.succeed(result.left) : Effect.dieMessage("expected a failure")
  )

const once = { initialAttempts: 1, loginTimeout: "3 seconds", anonymous: true } as const

describe("ChatClient connection failures say what failed and where", () => {
  it.scopedLive("TLS: a certificate not trusted", () =>
    Effect.gen(function*() {
      const { config, server } = yield* setup()
      const error = yield* failure(
        ChatClient.make({ ...once, transport: "tls", host: "127.0.0.1", port: server.tlsPort }).pipe(
          Effect.provide(config)
        )
      )
      assert(error._tag === "ChatError")
      assert.strictEqual(error.reason, "ConnectFailed")
      assert.include(error.message, `tls://127.0.0.1:${server.tlsPort}`)
      assert.include(error.message, "certificate")
      assert.include(error.message, "tlsCa")
    }))

  it.scopedLive("TLS to a server that does not speak it, and a handshake that never completes", () =>
    Effect.gen(function*() {
      const { config } = yield* setup()
      const plain = yield* listen((socket) => socket.end(":irc.example.org NOTICE * :plain text here\r\n"))
      const error = yield* failure(
        ChatClient.make({ ...once, transport: "tls", host: "127.0.0.1", port: plain }).pipe(
          Effect.provide(config)
        )
      )
      assert.include(error.message, `tls://127.0.0.1:${plain}`)
      assert.match(error.message, /TLS|SSL|ssl|EPROTO|ECONNRESET/)
      const silent = yield* listen(() => {})
      const transport = ChatTransport.tls({ host: "127.0.0.1", port: silent, openTimeout: "300 millis" })
      // A real socket, so the live clock: the 300 ms open timeout, not the 10 s default, ended it.
      const start = yield* Clock.currentTimeMillis
      const timedOut = yield* failure(ChatClient.make({ ...once, transport }).pipe(Effect.provide(config)))
      assert.include(timedOut.message, `tls://127.0.0.1:${silent}: could not connect: timed out`)
      assert.isBelow((yield* Clock.currentTimeMillis) - start, 3_000)
    }))

  it.scopedLive("connection refused", () =>
    Effect.gen(function*() {
      const { config } = yield* setup()
      const port = yield* closedPort
      const error = yield* failure(
        ChatClient.make({ ...once, transport: "tcp", host: "127.0.0.1", port }).pipe(Effect.provide(config))
      )
      assert.include(error.message, `tcp://127.0.0.1:${port}`)
      assert.include(error.message, "connection refused")
    }))

  it.scopedLive("DNS: no such host", () =>
    Effect.gen(function*() {
      const { config } = yield* setup()
      const error = yield* failure(
        ChatClient.make({ ...once, transport: "tcp", host: "no-such-host.invalid", port: 6667 }).pipe(
          Effect.provide(config)
        )
      )
      assert.include(error.message, "tcp://no-such-host.invalid:6667")
      assert.include(error.message, "DNS lookup failed")
    }))
})

describe("ChatClient with a token that does not name its login", () => {
  const mock = MockTwitch.layerWithTwitchConfig({ irc: { chatterRate: 0 } })
  const bare = TwitchAuth.layerStatic(MockTwitch.credentials.userToken)

  it.scopedLive("TwitchAuth.layerStatic with a bare token and an HttpClient: the client validates it and logs in", () =>
    Effect.gen(function*() {
      const chat = yield* ChatClient.make({ initialAttempts: 1 })
      assert.strictEqual(chat.login, "twitcher")
      assert.isFalse(chat.anonymous)
      // The client closes inside the mock's lifetime (else its goodbye waits on a vanished server).
    }).pipe(Effect.scoped, Effect.provide(Layer.mergeAll(mock, bare, NodeHttpClient.layerUndici))))

  it.scopedLive("without an HttpClient: LoginFailed saying why and what to do", () =>
    Effect.gen(function*() {
      const error = yield* failure(ChatClient.make({ initialAttempts: 1 }))
      assert(error._tag === "ChatError")
      assert.strictEqual(error.reason, "LoginFailed")
      assert.include(error.message, "login is unknown")
      assert.include(error.message, "layerStatic")
      assert.include(error.message, "HttpClient")
      assert.include(error.message, "`login`")
    }).pipe(Effect.provide(Layer.merge(mock, bare))))

  it.scopedLive("with the id server unreachable: LoginFailed naming the failed validation", () =>
    Effect.gen(function*() {
      const port = yield* closedPort
      const config = TwitchConfig.layer({ clientId: "abc", idUrl: `http://127.0.0.1:${port}` })
      const error = yield* failure(ChatClient.make({ initialAttempts: 1 }).pipe(Effect.provide(config)))
      assert(error._tag === "ChatError")
      assert.strictEqual(error.reason, "LoginFailed")
      assert.include(error.message, "validating it failed")
      assert.include(error.message, `127.0.0.1:${port}`)
    }).pipe(Effect.provide(Layer.merge(bare, NodeHttpClient.layerUndici))))
})
