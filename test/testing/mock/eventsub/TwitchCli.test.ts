/**
 * The twitch-cli layout (what Twurple's mock mode and other twitch-cli clients use): the WebSocket
 * at `/ws` and the subscription calls at `/eventsub/subscriptions` on the same port, `Ratelimit-*`
 * headers on every answer; and the loopback control endpoint for tests in other processes.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import { helixHeaders, postJson, request } from "../http/client.js"
import { createAt, followBody, mockLayer, session, userToken } from "./client.js"

const withMock = <A, E, R>(f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(MockTwitch.MockTwitch, f).pipe(Effect.provide(mockLayer()))

const rateLimited = (headers: Headers) =>
  ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"].every((h) => headers.get(h) !== null)

describe("EventSub, twitch-cli layout and control endpoint", () => {
  it.scopedLive("/ws and /eventsub/subscriptions on the HTTP port, Ratelimit-* headers on every answer", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const base = mock.http.baseUrl
        assert.strictEqual(mock.eventSub.subscriptionsUrl, `${base}/eventsub/subscriptions`)
        const { client, sessionId } = yield* session(
          `${base.replace("http", "ws")}/ws?keepalive_timeout_seconds=10`
        )
        const created = yield* createAt(mock.eventSub.subscriptionsUrl, userToken, followBody(sessionId))
        assert.strictEqual(created.status, 202)
        assert.isTrue(rateLimited(created.headers))
        const id = created.json<{ data: ReadonlyArray<{ id: string }> }>().data[0].id
        const listed = yield* request(mock.eventSub.subscriptionsUrl, { headers: helixHeaders(userToken) })
        assert.isTrue(rateLimited(listed.headers))
        assert.deepStrictEqual(listed.json<{ data: ReadonlyArray<{ id: string }> }>().data.map((s) => s.id), [
          id
        ])
        // The same operations under twitch-cli's Helix layout.
        const mockLayout = yield* request(`${mock.http.mockHelixUrl}/eventsub/subscriptions`, {
          headers: helixHeaders(userToken)
        })
        assert.strictEqual(mockLayout.status, 200)
        const unauthorized = yield* request(mock.eventSub.subscriptionsUrl)
        assert.strictEqual(unauthorized.status, 401)
        assert.isTrue(rateLimited(unauthorized.headers))
        yield* mock.eventSub.control.fire({ type: "channel.follow" })
        assert.strictEqual((yield* client.next()).metadata.subscription_type, "channel.follow")
        const deleted = yield* request(`${mock.eventSub.subscriptionsUrl}?id=${id}`, {
          method: "DELETE",
          headers: helixHeaders(userToken)
        })
        assert.strictEqual(deleted.status, 204)
        assert.isTrue(rateLimited(deleted.headers))
        const plainGet = yield* request(`${base}/ws`)
        assert.strictEqual(plainGet.status, 400)
        const counters = yield* mock.control.counters
        assert.strictEqual(counters["route:POST /helix/eventsub/subscriptions"], 1)
      })
    ))

  it.scopedLive("the control endpoint fires, reconnects, drops, revokes, resends and lists", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const control = mock.eventSub.controlUrl
        assert.strictEqual(control, `${mock.http.baseUrl}/eventsub/mock`)
        const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
        const created = yield* createAt(mock.eventSub.subscriptionsUrl, userToken, followBody(sessionId))
        const id = created.json<{ data: ReadonlyArray<{ id: string }> }>().data[0].id
        const fired = yield* postJson(`${control}/fire`, {
          type: "channel.follow",
          event: { user_id: "100000004" }
        })
        assert.strictEqual(fired.status, 200)
        const body = fired.json<
          { message_ids: ReadonlyArray<string>; subscriptions: ReadonlyArray<string> }
        >()
        assert.deepStrictEqual(body.subscriptions, [id])
        const notification = yield* client.next()
        assert.strictEqual(notification.metadata.message_id, body.message_ids[0])
        assert.strictEqual(notification.payload.event?.user_login, "calmpanda4")
        assert.strictEqual(
          (yield* postJson(`${control}/resend`, { message_id: body.message_ids[0] })).status,
          200
        )
        assert.strictEqual((yield* client.next()).metadata.message_id, body.message_ids[0])
        const stale = yield* postJson(`${control}/fire`, { type: "channel.follow", stale_seconds: 700 })
        assert.strictEqual(stale.status, 200)
        yield* client.next()
        const sessions = (yield* request(`${control}/sessions`)).json<
          { data: ReadonlyArray<{ id: string; subscriptions: number }> }
        >()
        assert.deepStrictEqual(sessions.data.map((s) => [s.id, s.subscriptions]), [[sessionId, 1]])
        const reconnect = (yield* postJson(`${control}/reconnect`, {})).json<
          { reconnect_urls: ReadonlyArray<string> }
        >()
        assert.strictEqual(reconnect.reconnect_urls.length, 1)
        assert.strictEqual((yield* client.next()).payload.session?.reconnect_url, reconnect.reconnect_urls[0])
        const fresh = yield* session(reconnect.reconnect_urls[0])
        assert.strictEqual((yield* postJson(`${control}/revoke`, { subscription_id: id })).status, 200)
        assert.strictEqual((yield* fresh.client.next()).metadata.message_type, "revocation")
        const dropped = (yield* postJson(`${control}/drop`, { session_id: fresh.sessionId, code: 4005 }))
          .json<{ dropped: number }>()
        assert.strictEqual(dropped.dropped, 1)
        assert.strictEqual((yield* fresh.client.closed).code, 4005)
        assert.strictEqual((yield* postJson(`${control}/keepalives`, { enabled: false })).status, 200)
        assert.strictEqual((yield* postJson(`${control}/fire`, { type: "channel.nope" })).status, 404)
        assert.strictEqual((yield* postJson(`${control}/fire`, { event: {} })).status, 400)
        assert.strictEqual((yield* postJson(`${control}/revoke`, { subscription_id: id })).status, 404)
        const counters = (yield* request(`${control}/counters`)).json<
          { notifications: number; reconnects: number }
        >()
        assert.deepStrictEqual([counters.notifications, counters.reconnects], [3, 1])
        const subs = (yield* request(`${control}/subscriptions`)).json<
          { data: ReadonlyArray<{ status: string }> }
        >()
        assert.deepStrictEqual(subs.data.map((s) => s.status), ["authorization_revoked"])
      })
    ))
})
