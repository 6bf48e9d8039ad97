import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as TestClock from "effect/TestClock"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import { connect, create, followBody, list, mockLayer, session, userToken } from "./client.js"

const withMock = <A, E, R>(f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(MockTwitch.MockTwitch, f).pipe(Effect.provide(mockLayer()))

interface Listed {
  readonly data: ReadonlyArray<
    { readonly id: string; readonly status: string; readonly transport: Record<string, string> }
  >
}

describe("EventSub session_reconnect, revocations, resends", () => {
  it.scoped("reconnect: the old session delivers until the new welcome, then the subscriptions move; 4004 after 30 s", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const old = yield* session(`${mock.eventSub.wsUrl}?keepalive_timeout_seconds=30`)
        assert.strictEqual((yield* create(mock, userToken, followBody(old.sessionId))).status, 202)
        const [url] = yield* mock.eventSub.control.sendReconnect()
        const reconnect = yield* old.client.next()
        assert.strictEqual(reconnect.metadata.message_type, "session_reconnect")
        assert.deepStrictEqual(
          { ...reconnect.payload.session, connected_at: "" },
          {
            id: old.sessionId,
            status: "reconnecting",
            keepalive_timeout_seconds: null,
            reconnect_url: url,
            connected_at: "",
            recovery_url: null
          }
        )
        assert.match(url, new RegExp(`^ws://127\\.0\\.0\\.1:${mock.http.port}/ws\\?reconnect=`))
        // Until the new welcome, the old connection delivers.
        yield* mock.eventSub.control.fire({ type: "channel.follow" })
        assert.strictEqual((yield* old.client.next()).metadata.message_type, "notification")
        const fresh = yield* session(url)
        assert.notStrictEqual(fresh.sessionId, old.sessionId)
        assert.strictEqual(fresh.welcome.payload.session?.keepalive_timeout_seconds, 30)
        const fired = yield* mock.eventSub.control.fire({ type: "channel.follow" })
        const moved = yield* fresh.client.next()
        assert.strictEqual(moved.metadata.message_id, fired.messageIds[0])
        assert.strictEqual(moved.payload.subscription?.transport.session_id, fresh.sessionId)
        const listed = (yield* list(mock, userToken)).json<Listed>()
        assert.strictEqual(listed.data[0].transport.session_id, fresh.sessionId)
        assert.strictEqual(listed.data[0].status, "enabled")
        // The old connection was not closed by the client: 4004 when the grace time ends.
        yield* TestClock.adjust("30 seconds")
        assert.deepStrictEqual(yield* old.client.closed, {
          code: 4004,
          reason: "reconnect grace time expired"
        })
        assert.deepStrictEqual(yield* old.client.pending, [])
        const after = (yield* list(mock, userToken)).json<Listed>()
        assert.strictEqual(after.data[0].status, "enabled")
      })
    ))

  it.scoped("reconnect never followed: 4004 and websocket_failed_to_reconnect; the URL is dead after the grace", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const old = yield* session(mock.eventSub.wsUrl)
        yield* create(mock, userToken, followBody(old.sessionId))
        const [url] = yield* mock.eventSub.control.sendReconnect(old.sessionId)
        yield* TestClock.adjust("30 seconds")
        assert.strictEqual((yield* old.client.closed).code, 4004)
        const listed = (yield* list(mock, userToken)).json<Listed>()
        assert.strictEqual(listed.data[0].status, "websocket_failed_to_reconnect")
        const late = yield* connect(url)
        assert.deepStrictEqual(yield* late.closed, { code: 4007, reason: "invalid reconnect" })
        assert.deepStrictEqual(yield* late.pending, [])
      })
    ))

  it.scoped("a bad or used reconnect URL is closed with 4007 and no welcome", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const bad = yield* connect(`${mock.eventSub.wsUrl}?reconnect=nonsense`)
        assert.strictEqual((yield* bad.closed).code, 4007)
        assert.deepStrictEqual(yield* bad.pending, [])
        const old = yield* session(mock.eventSub.wsUrl)
        yield* create(mock, userToken, followBody(old.sessionId))
        const [url] = yield* mock.eventSub.control.sendReconnect()
        yield* session(url)
        const again = yield* connect(url)
        assert.strictEqual((yield* again.closed).code, 4007)
        assert.strictEqual((yield* mock.eventSub.control.counters).closes["4007"], 2)
      })
    ))

  it.scoped("revocation: one message with the status, then the subscription is disabled and gets nothing", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        const created = (yield* create(mock, userToken, followBody(sessionId))).json<Listed>()
        const id = created.data[0].id
        yield* mock.eventSub.control.revoke(id, "user_removed")
        const revocation = yield* client.next()
        assert.strictEqual(revocation.metadata.message_type, "revocation")
        assert.strictEqual(revocation.metadata.subscription_type, "channel.follow")
        assert.strictEqual(revocation.payload.subscription?.status, "user_removed")
        assert.isUndefined(revocation.payload.event)
        const fired = yield* mock.eventSub.control.fire({ type: "channel.follow" })
        assert.deepStrictEqual(fired.messageIds, [])
        const again = yield* Effect.either(mock.eventSub.control.revoke(id))
        assert.isTrue(Either.isLeft(again))
        const listed = (yield* list(mock, userToken, "?status=user_removed")).json<Listed>()
        assert.deepStrictEqual(listed.data.map((s) => s.id), [id])
        yield* TestClock.adjust("1 second")
        assert.deepStrictEqual(yield* client.pending, [])
      })
    ))

  it.scoped("resend repeats a message unchanged; a stale message is older than the 10-minute window", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        yield* create(mock, userToken, followBody(sessionId))
        const fired = yield* mock.eventSub.control.fire({
          type: "channel.follow",
          event: { user_id: "100000004" }
        })
        const first = yield* client.next()
        yield* mock.eventSub.control.resend(fired.messageIds[0])
        const repeated = yield* client.next()
        assert.deepStrictEqual(repeated, first)
        assert.strictEqual(first.payload.event?.user_login, "calmpanda4")
        yield* mock.eventSub.control.fireStale({ type: "channel.follow" })
        const stale = yield* client.next()
        const age = (yield* Clock.currentTimeMillis) - Date.parse(stale.metadata.message_timestamp)
        assert.strictEqual(age, 11 * 60_000)
        assert.isTrue(Either.isLeft(yield* Effect.either(mock.eventSub.control.resend("no-such-id"))))
      })
    ))
})
