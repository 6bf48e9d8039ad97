import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import * as Tls from "node:tls"
import * as IrcServer from "../../src/testing/mock/IrcServer.js"
import * as World from "../../src/testing/mock/World.js"
import { ALL_CAPS, joined, login, setup, user } from "./irc/fixture.js"
import * as Raw from "./irc/RawClient.js"

describe("IrcServer transports", () => {
  it.scopedLive("TLS with the exported certificate as CA, and with rejectUnauthorized: false", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup()
      assert.strictEqual(server.tlsCertificatePem, IrcServer.certificatePem)
      const trusted = yield* Raw.connect({ _tag: "tls", port: server.tlsPort, ca: IrcServer.certificatePem })
      yield* login(trusted, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(trusted, live[0])
      const lax = yield* Raw.connect({ _tag: "tls", port: server.tlsPort })
      yield* login(lax, "justinfan55", undefined)
      yield* joined(lax, live[0])
      yield* server.control.postMessage({ channel: live[0], login: World.secondUserLogin, text: "over tls" })
      assert.isTrue((yield* lax.next(Raw.is("PRIVMSG"))).endsWith(":over tls"))
      const info = yield* server.control.connections
      assert.deepStrictEqual(info.map((i) => i.transport), ["tls", "tls"])
    }))

  it.scopedLive("TLS without trusting the certificate is refused by the client", () =>
    Effect.gen(function*() {
      const { server } = yield* setup()
      const error = yield* Effect.async<Error>((resume) => {
        const socket = Tls.connect({ port: server.tlsPort, host: "127.0.0.1", servername: "localhost" })
        socket.on("error", (e) => resume(Effect.succeed(e)))
        socket.on("secureConnect", () => resume(Effect.succeed(new Error("unexpectedly trusted"))))
      })
      assert.match(error.message, /self[- ]signed/i)
    }))

  it.scopedLive("WebSocket: several lines per frame both ways, frames without a trailing CRLF", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup()
      assert.strictEqual(server.wsUrl, `ws://127.0.0.1:${server.wsPort}`)
      const c = yield* Raw.connect({ _tag: "ws", url: server.wsUrl })
      // One frame with three lines, the last without CRLF (as tmi.js sends).
      yield* c.sendText(
        `CAP REQ :${ALL_CAPS}\r\nPASS oauth:${World.defaultUserToken}\r\nNICK ${World.defaultUserLogin}`
      )
      yield* c.next(Raw.is("GLOBALUSERSTATE"))
      yield* joined(c, live[0])
      yield* server.control.postMessage({
        channel: live[0],
        login: World.secondUserLogin,
        text: "over ws Kappa"
      })
      yield* server.control.postMessage({ channel: live[0], login: World.secondUserLogin, text: "second" })
      const msg = yield* c.next(Raw.is("PRIVMSG"))
      assert.strictEqual(Raw.tagsOf(msg).emotes, "25:8-12")
      yield* c.next((l) => l.endsWith(":second"))
      // The server batches lines: several arrive in one frame.
      assert.isTrue(c.frames.some((f) => f.split("\r\n").filter((l) => l.length > 0).length > 1))
      const info = yield* server.control.connections
      assert.strictEqual(info[0].transport, "ws")
    }))
})

describe("IrcServer keepalive and faults", () => {
  it.scopedLive("the server PINGs periodically and drops a client that does not answer", () =>
    Effect.gen(function*() {
      const { server } = yield* setup({ pingInterval: "150 millis" })
      const polite = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      const rude = yield* user(server, World.secondUserLogin, World.secondUserToken)
      const ping = yield* polite.next(Raw.is("PING"))
      assert.strictEqual(ping, "PING :tmi.twitch.tv")
      yield* polite.send("PONG :tmi.twitch.tv")
      yield* polite.next(Raw.is("PING"))
      yield* polite.send("PONG :tmi.twitch.tv", "PING :sync")
      yield* polite.next(Raw.is("PONG"))
      yield* rude.closed()
      assert.isFalse(polite.isClosed())
      const counters = yield* server.control.counters
      assert.isAtLeast(counters.pongsReceived, 2)
    }))

  it.scoped("the PING interval runs on Effect's Clock (default 60 s)", () =>
    Effect.gen(function*() {
      const { server } = yield* setup()
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* TestClock.adjust("59 seconds")
      yield* c.send("PING :before")
      yield* c.next(Raw.is("PONG"))
      assert.strictEqual(c.matching(Raw.is("PING")).length, 0)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(yield* c.next(Raw.is("PING")), "PING :tmi.twitch.tv")
    }))

  it.scopedLive("dropConnections drops everyone or one user's connections", () =>
    Effect.gen(function*() {
      const { server } = yield* setup()
      const a = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      const b = yield* user(server, World.secondUserLogin, World.secondUserToken)
      assert.strictEqual(yield* server.control.dropConnections(World.secondUserLogin), 1)
      yield* b.closed()
      assert.isFalse(a.isClosed())
      assert.strictEqual(yield* server.control.dropConnections(), 1)
      yield* a.closed()
      yield* server.control.counters.pipe(
        Effect.repeat({
          until: (c) => c.openConnections === 0,
          schedule: Schedule.spaced("10 millis"),
          times: 100
        })
      )
      assert.strictEqual((yield* server.control.counters).openConnections, 0)
    }))

  it.scopedLive("dropConnection drops one connection by id, even among connections of one login", () =>
    Effect.gen(function*() {
      const { server } = yield* setup()
      const a = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      const b = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      const ids = (yield* server.control.connections).map((c) => c.id)
      assert.strictEqual(ids.length, 2)
      assert.isTrue(yield* server.control.dropConnection(Math.max(...ids)))
      yield* b.closed()
      assert.isFalse(a.isClosed())
      assert.isFalse(yield* server.control.dropConnection(-1))
    }))

  it.scopedLive("RECONNECT is sent, then the connection closes after closeAfter; a new login works", () =>
    Effect.gen(function*() {
      const { server, tcp } = yield* setup()
      const a = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      assert.strictEqual(yield* server.control.sendReconnect({ closeAfter: "100 millis" }), 1)
      assert.strictEqual(yield* a.next(Raw.is("RECONNECT")), ":tmi.twitch.tv RECONNECT")
      yield* a.closed()
      const b = yield* Raw.connect(tcp)
      yield* login(b, World.defaultUserLogin, World.defaultUserToken)
    }))

  it.scopedLive("a silent server answers no PING on current connections; new connections work", () =>
    Effect.gen(function*() {
      const { server } = yield* setup()
      const a = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* server.control.setSilent(true)
      yield* a.send("PING :anyone")
      const timedOut = yield* Effect.flip(a.next(Raw.is("PONG"), "300 millis"))
      assert.match(timedOut.message, /timed out/)
      const b = yield* user(server, World.secondUserLogin, World.secondUserToken)
      yield* b.send("PING :fresh")
      yield* b.next(Raw.is("PONG"))
      yield* server.control.setSilent(false)
      yield* server.control.setAnswerPings(false)
      yield* b.send("PING :ignored")
      assert.match((yield* Effect.flip(b.next(Raw.is("PONG"), "200 millis"))).message, /timed out/)
      yield* server.control.setAnswerPings(true)
      yield* b.send("PING :back")
      assert.strictEqual(yield* b.next(Raw.is("PONG")), ":tmi.twitch.tv PONG tmi.twitch.tv :back")
    }))

  it.scopedLive("setOutgoingDelay delays every line", () =>
    Effect.gen(function*() {
      const { server } = yield* setup()
      const a = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      // A long delay against a plain round trip: a loaded machine cannot blur the two.
      yield* server.control.setOutgoingDelay("1 second")
      const started = Date.now()
      yield* a.send("PING :slow")
      yield* a.next(Raw.is("PONG"))
      assert.isAtLeast(Date.now() - started, 990)
      yield* server.control.setOutgoingDelay(0)
      const again = Date.now()
      yield* a.send("PING :fast")
      yield* a.next((l) => l.endsWith(":fast"))
      assert.isBelow(Date.now() - again, 800)
    }))

  it.scopedLive("sendRaw reaches a channel or a user; awaitLogins and awaitPrivmsgs wait", () =>
    Effect.gen(function*() {
      const { live, server, tcp } = yield* setup({ limits: { channelIntervalMs: 0 } })
      const waiting = yield* Effect.fork(server.control.awaitLogins(2))
      const a = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(a, live[2])
      const b = yield* Raw.connect(tcp)
      yield* login(b, World.secondUserLogin, World.secondUserToken)
      yield* waiting.await
      assert.strictEqual(yield* server.control.sendRaw(":tmi.twitch.tv NOTICE * :hello all"), 2)
      assert.strictEqual(
        yield* server.control.sendRaw(":tmi.twitch.tv NOTICE * :room only", { channel: live[2] }),
        1
      )
      assert.strictEqual(
        yield* server.control.sendRaw(":tmi.twitch.tv NOTICE * :bot only", { login: "twitcherbot" }),
        1
      )
      yield* a.next((l) => l.endsWith(":room only"))
      yield* b.next((l) => l.endsWith(":bot only"))
      const awaited = yield* Effect.fork(server.control.awaitPrivmsgs(live[2], 3))
      yield* a.send(`PRIVMSG #${live[2]} :1`, `PRIVMSG #${live[2]} :2`, `PRIVMSG #${live[2]} :3`)
      const got = yield* awaited.await
      assert.isTrue(got._tag === "Success" && got.value.map((m) => m.text).join() === "1,2,3")
    }))
})
