import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import { connect, create, followBody, list, mockLayer, session, userToken } from "./client.js"

const withMock = <A, E, R>(
  f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>,
  options: MockTwitch.Options = {}
) => Effect.flatMap(MockTwitch.MockTwitch, f).pipe(Effect.provide(mockLayer(options)))

const rfc3339Nanos = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/

describe("EventSub WebSocket", () => {
  it.scoped("session_welcome comes first, with the session, status, keepalive and timestamps", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        assert.strictEqual(mock.eventSub.wsUrl, `ws://127.0.0.1:${mock.http.port}/ws`)
        const { welcome } = yield* session(mock.eventSub.wsUrl)
        assert.strictEqual(welcome.metadata.message_type, "session_welcome")
        assert.match(welcome.metadata.message_timestamp, rfc3339Nanos)
        const s = welcome.payload.session
        assert.strictEqual(s?.status, "connected")
        assert.strictEqual(s?.keepalive_timeout_seconds, 10)
        assert.isNull(s?.reconnect_url)
        assert.match(s?.connected_at ?? "", rfc3339Nanos)
        assert.match(s?.id ?? "", /^AQoQ\w{24}$/)
        const sessions = yield* mock.eventSub.control.sessions
        assert.deepStrictEqual(sessions.map((x) => x.id), [s?.id])
      })
    ))

  it.scoped("keepalive_timeout_seconds is clamped to 10-600; a non-number gets the default", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const timeout = (query: string) =>
          Effect.map(
            session(`${mock.eventSub.wsUrl}?keepalive_timeout_seconds=${query}`),
            (s) => s.welcome.payload.session?.keepalive_timeout_seconds
          )
        assert.strictEqual(yield* timeout("3"), 10)
        assert.strictEqual(yield* timeout("30"), 30)
        assert.strictEqual(yield* timeout("1000"), 600)
        assert.strictEqual(yield* timeout("abc"), 10)
      })
    ))

  it.scoped("keepalives come after keepalive_timeout_seconds of silence, on the Clock", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(`${mock.eventSub.wsUrl}?keepalive_timeout_seconds=20`)
        assert.strictEqual((yield* create(mock, userToken, followBody(sessionId))).status, 202)
        yield* TestClock.adjust("19 seconds")
        assert.deepStrictEqual(yield* client.pending, [])
        yield* TestClock.adjust("1 second")
        const keepalive = yield* client.next()
        assert.strictEqual(keepalive.metadata.message_type, "session_keepalive")
        assert.deepStrictEqual(keepalive.payload, {})
        // A notification restarts the timer.
        yield* TestClock.adjust("15 seconds")
        yield* mock.eventSub.control.fire({ type: "channel.follow" })
        assert.strictEqual((yield* client.next()).metadata.message_type, "notification")
        yield* TestClock.adjust("15 seconds")
        assert.deepStrictEqual(yield* client.pending, [])
        yield* TestClock.adjust("5 seconds")
        assert.strictEqual((yield* client.next()).metadata.message_type, "session_keepalive")
        assert.strictEqual((yield* mock.eventSub.control.counters).keepalives, 2)
      })
    ))

  it.scoped("keepalives can be stopped (and resumed) through the control handle", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        yield* create(mock, userToken, followBody(sessionId))
        yield* mock.eventSub.control.setKeepalives(false)
        yield* TestClock.adjust("35 seconds")
        assert.deepStrictEqual(yield* client.pending, [])
        yield* mock.eventSub.control.setKeepalives(true)
        yield* TestClock.adjust("10 seconds")
        assert.strictEqual((yield* client.next()).metadata.message_type, "session_keepalive")
      })
    ))

  it.scoped("no subscription within the keepalive timeout of the welcome: closed with 4003", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const idle = yield* connect(mock.eventSub.wsUrl)
        const used = yield* session(mock.eventSub.wsUrl)
        yield* idle.next()
        yield* create(mock, userToken, followBody(used.sessionId))
        yield* TestClock.adjust("9 seconds")
        assert.strictEqual((yield* mock.eventSub.control.sessions).length, 2)
        yield* TestClock.adjust("1 second")
        assert.deepStrictEqual(yield* idle.closed, { code: 4003, reason: "connection unused" })
        const open = yield* mock.eventSub.control.sessions
        assert.deepStrictEqual(open.map((s) => s.id), [used.sessionId])
      })
    ))

  it.scoped("any message from the client closes with 4001; its subscriptions become websocket_received_inbound_traffic", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        yield* create(mock, userToken, followBody(sessionId))
        client.send("{\"hello\":true}")
        assert.strictEqual((yield* client.closed).code, 4001)
        const body = (yield* list(mock, userToken)).json<
          { data: ReadonlyArray<{ status: string; transport: Record<string, string> }> }
        >()
        assert.strictEqual(body.data[0].status, "websocket_received_inbound_traffic")
        assert.match(body.data[0].transport.disconnected_at, rfc3339Nanos)
      })
    ))

  it.scopedLive("pings go out at the ping interval; one unanswered by the next closes with 4002", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        // The silent session subscribes first: it must still be open when its subscription is made.
        const silent = yield* session(mock.eventSub.wsUrl, { autoPong: false })
        yield* create(mock, userToken, followBody(silent.sessionId))
        const answering = yield* session(mock.eventSub.wsUrl)
        yield* create(mock, userToken, followBody(answering.sessionId))
        const closed = yield* silent.client.closed.pipe(Effect.timeout("10 seconds"))
        assert.strictEqual(closed.code, 4002)
        assert.strictEqual(silent.client.pings(), 1)
        // The answering client gets the same pings and more, and stays open.
        yield* Effect.sync(() => answering.client.pings()).pipe(
          Effect.repeat({
            until: (pings) => pings >= 3,
            schedule: Schedule.spaced("50 millis").pipe(Schedule.upTo("10 seconds"))
          })
        )
        assert.isAtLeast(answering.client.pings(), 3)
        const statuses = (yield* mock.eventSub.control.subscriptions).map((s) => s.status).sort()
        assert.deepStrictEqual(statuses, ["enabled", "websocket_failed_ping_pong"])
      }), { http: { eventSub: { pingInterval: "400 millis" } } }))

  it.scoped("a client that closes leaves its subscriptions websocket_disconnected", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        yield* create(mock, userToken, followBody(sessionId))
        client.close()
        yield* client.closed
        const subs = yield* Effect.repeat(mock.eventSub.control.subscriptions, {
          until: (s) => s[0]?.status !== "enabled"
        })
        assert.strictEqual(subs[0].status, "websocket_disconnected")
        assert.deepStrictEqual(yield* mock.eventSub.control.sessions, [])
      })
    ))

  it.scoped("drop closes with 4000, 4005 or 4006 and the matching status; abrupt leaves websocket_disconnected", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const cases = [
          [4000, "websocket_internal_error"],
          [4005, "websocket_network_timeout"],
          [4006, "websocket_network_error"]
        ] as const
        for (const [code, status] of cases) {
          const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
          const created = (yield* create(mock, userToken, followBody(sessionId))).json<
            { data: ReadonlyArray<{ id: string }> }
          >()
          assert.strictEqual(yield* mock.eventSub.control.drop({ sessionId, code }), 1)
          assert.strictEqual((yield* client.closed).code, code)
          const sub = (yield* mock.eventSub.control.subscriptions).find((s) => s.id === created.data[0].id)
          assert.strictEqual(sub?.status, status)
        }
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        yield* create(mock, userToken, followBody(sessionId))
        yield* mock.eventSub.control.drop({ sessionId, code: "abrupt" })
        assert.strictEqual((yield* client.closed).code, 1006)
        const last = (yield* mock.eventSub.control.subscriptions).at(-1)
        assert.strictEqual(last?.status, "websocket_disconnected")
        assert.deepStrictEqual((yield* mock.eventSub.control.counters).closes, { 4000: 1, 4005: 1, 4006: 1 })
      })
    ))
})
