import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import * as World from "../../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import { request } from "../http/client.js"
import {
  appToken,
  create,
  followBody,
  list,
  mockLayer,
  remove,
  session,
  userToken,
  wsBody
} from "./client.js"

const withMock = <A, E, R>(f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(MockTwitch.MockTwitch, f).pipe(Effect.provide(mockLayer()))

interface Sub {
  readonly id: string
  readonly status: string
  readonly type: string
  readonly version: string
  readonly condition: Record<string, string>
  readonly transport: Record<string, string>
  readonly cost: number
  readonly created_at: string
}

interface Page {
  readonly data: ReadonlyArray<Sub>
  readonly total: number
  readonly total_cost: number
  readonly max_total_cost: number
  readonly pagination?: { readonly cursor?: string }
}

const me = World.defaultUserId
const chatTypes = [
  "channel.chat.message",
  "channel.chat.notification",
  "channel.chat.clear",
  "channel.chat.clear_user_messages",
  "channel.chat.message_delete",
  "channel.chat_settings.update",
  "channel.chat.user_message_hold",
  "channel.chat.user_message_update"
]

/** `count` distinct cost-0 subscriptions of the default user (chat types times broadcasters). */
const chatBodies = (sessionId: string, count: number) => {
  const bodies: Array<ReturnType<typeof wsBody>> = []
  for (let b = 1; bodies.length < count; b++) {
    for (const type of chatTypes) {
      if (bodies.length === count) break
      bodies.push(wsBody(type, "1", { broadcaster_user_id: String(100_000_000 + b), user_id: me }, sessionId))
    }
  }
  return bodies
}

const status = (mock: MockTwitch.MockTwitch.Service, token: string, body: unknown) =>
  Effect.map(create(mock, token, body), (a) => [a.status, a.json<{ message: string }>().message] as const)

describe("EventSub subscription operations", () => {
  it.scoped("create answers 202 with the subscription, totals and Ratelimit headers", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { sessionId } = yield* session(mock.eventSub.wsUrl)
        const answer = yield* create(mock, userToken, followBody(sessionId))
        assert.strictEqual(answer.status, 202)
        assert.isNotNull(answer.headers.get("ratelimit-limit"))
        assert.isNotNull(answer.headers.get("ratelimit-remaining"))
        assert.isNotNull(answer.headers.get("ratelimit-reset"))
        const body = answer.json<Page>()
        const sub = body.data[0]
        assert.match(sub.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/)
        assert.deepStrictEqual(
          { ...sub, id: "", created_at: "", transport: { ...sub.transport, connected_at: "" } },
          {
            id: "",
            status: "enabled",
            type: "channel.follow",
            version: "2",
            condition: { broadcaster_user_id: me, moderator_user_id: me },
            created_at: "",
            transport: { method: "websocket", session_id: sessionId, connected_at: "" },
            cost: 0
          }
        )
        assert.deepStrictEqual([body.total, body.total_cost, body.max_total_cost], [1, 0, 10])
      })
    ))

  it.scoped("create refuses bad requests as Twitch does", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { sessionId } = yield* session(mock.eventSub.wsUrl)
        const follow = followBody(sessionId)
        const cases: ReadonlyArray<readonly [string, unknown, number, string?]> = [
          [userToken, { ...follow, type: undefined }, 400, "Missing required field \"type\""],
          [
            userToken,
            { ...follow, version: "1" },
            400,
            "The combination of values in the type and version fields is not valid"
          ],
          [userToken, { ...follow, type: "channel.nope" }, 400],
          [appToken, follow, 401],
          [userToken, {
            ...follow,
            transport: { method: "webhook", callback: "http://127.0.0.1:1/x", secret: "0123456789" }
          }, 401],
          [userToken, { ...follow, transport: { method: "websocket" } }, 400],
          [
            userToken,
            { ...follow, transport: { method: "websocket", session_id: "AQoQnope" } },
            400,
            "websocket transport session does not exist or has already disconnected"
          ],
          [userToken, { ...follow, transport: { method: "carrier-pigeon" } }, 400],
          [
            userToken,
            { ...follow, condition: { broadcaster_user_id: me } },
            400,
            "condition.moderator_user_id is required"
          ],
          [userToken, { ...follow, condition: { ...follow.condition, extra: "1" } }, 400],
          [userToken, { ...follow, condition: { broadcaster_user_id: "999", moderator_user_id: me } }, 400],
          [userToken, { ...follow, condition: "x" }, 400],
          [
            userToken,
            wsBody(
              "channel.raid",
              "1",
              { from_broadcaster_user_id: me, to_broadcaster_user_id: me },
              sessionId
            ),
            400
          ],
          [World.noFollowsUserToken, follow, 403, "Missing scope: moderator:read:followers"],
          [
            userToken,
            followBody(sessionId, "100000003"),
            403,
            "user 100000001 is not a moderator of broadcaster 100000003"
          ],
          [
            userToken,
            wsBody(
              "channel.chat.message",
              "1",
              { broadcaster_user_id: me, user_id: World.secondUserId },
              sessionId
            ),
            403
          ],
          [
            userToken,
            wsBody("user.authorization.grant", "1", { client_id: World.defaultClientId }, sessionId),
            400
          ],
          [userToken, wsBody("drop.entitlement.grant", "1", { organization_id: "o" }, sessionId), 400]
        ]
        for (const [token, body, code, message] of cases) {
          const [got, text] = yield* status(mock, token, body)
          assert.strictEqual(got, code, JSON.stringify(body))
          if (message !== undefined) assert.strictEqual(text, message)
        }
        const noToken = yield* request(`${mock.http.helixUrl}/eventsub/subscriptions`, {
          method: "POST",
          headers: { "client-id": World.defaultClientId },
          body: JSON.stringify(follow)
        })
        assert.strictEqual(noToken.status, 401)
        assert.deepStrictEqual((yield* mock.eventSub.control.subscriptions).length, 0)
      })
    ))

  it.scoped("409 for the same subscription on the same session; 429 past three of the same type and condition", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const sessions = yield* Effect.forEach([1, 2, 3, 4], () => session(mock.eventSub.wsUrl))
        const [first] = sessions
        assert.strictEqual((yield* create(mock, userToken, followBody(first.sessionId))).status, 202)
        assert.deepStrictEqual(yield* status(mock, userToken, followBody(first.sessionId)), [
          409,
          "subscription already exists"
        ])
        assert.strictEqual((yield* create(mock, userToken, followBody(sessions[1].sessionId))).status, 202)
        assert.strictEqual((yield* create(mock, userToken, followBody(sessions[2].sessionId))).status, 202)
        const [code, message] = yield* status(mock, userToken, followBody(sessions[3].sessionId))
        assert.deepStrictEqual([code, message], [
          429,
          "too many subscriptions with the same type and condition"
        ])
      })
    ))

  it.scoped("three connections with enabled subscriptions per user; a closed one frees its place", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const sessions = yield* Effect.forEach([1, 2, 3, 4], () => session(mock.eventSub.wsUrl))
        for (const [i, s] of sessions.slice(0, 3).entries()) {
          const body = wsBody(chatTypes[i], "1", { broadcaster_user_id: me, user_id: me }, s.sessionId)
          assert.strictEqual((yield* create(mock, userToken, body)).status, 202)
        }
        const fourth = wsBody(
          chatTypes[3],
          "1",
          { broadcaster_user_id: me, user_id: me },
          sessions[3].sessionId
        )
        assert.deepStrictEqual(yield* status(mock, userToken, fourth), [
          429,
          "websocket transports limit exceeded"
        ])
        // Another user has connections of their own.
        const bot = wsBody("channel.chat.message", "1", {
          broadcaster_user_id: me,
          user_id: World.secondUserId
        }, sessions[3].sessionId)
        assert.strictEqual((yield* status(mock, World.secondUserToken, bot))[0], 202)
        assert.strictEqual((yield* status(mock, userToken, fourth))[0], 403)
        const fifth = yield* session(mock.eventSub.wsUrl)
        const again = wsBody(chatTypes[3], "1", { broadcaster_user_id: me, user_id: me }, fifth.sessionId)
        assert.strictEqual((yield* status(mock, userToken, again))[0], 429)
        sessions[0].client.close()
        yield* sessions[0].client.closed
        yield* Effect.repeat(mock.eventSub.control.sessions, { until: (s) => s.length === 4 })
        assert.strictEqual((yield* status(mock, userToken, again))[0], 202)
      })
    ))

  it.scoped("300 enabled subscriptions per connection; pages of 100 oldest first with totals", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { sessionId } = yield* session(mock.eventSub.wsUrl)
        const bodies = chatBodies(sessionId, 301)
        for (const body of bodies.slice(0, 300)) {
          assert.strictEqual((yield* create(mock, userToken, body)).status, 202)
        }
        const [code, message] = yield* status(mock, userToken, bodies[300])
        assert.deepStrictEqual([code, message], [
          429,
          "number of subscriptions per websocket transport limit exceeded"
        ])
        const ids: Array<string> = []
        let cursor: string | undefined = undefined
        do {
          const page: Page = (yield* list(mock, userToken, cursor === undefined ? "" : `?after=${cursor}`))
            .json<Page>()
          assert.deepStrictEqual([page.total, page.total_cost, page.max_total_cost], [300, 0, 10])
          ids.push(...page.data.map((s) => s.id))
          cursor = page.pagination?.cursor
        } while (cursor !== undefined)
        assert.strictEqual(ids.length, 300)
        const created = (yield* mock.eventSub.control.subscriptions).map((s) => s.id)
        assert.deepStrictEqual(ids, created)
      })
    ))

  it.scoped("cost: 1 for another broadcaster's stream.online, 0 for one's own; 429 past max_total_cost 10", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { sessionId } = yield* session(mock.eventSub.wsUrl)
        const online = (broadcaster: string) =>
          wsBody("stream.online", "1", { broadcaster_user_id: broadcaster }, sessionId)
        const own = (yield* create(mock, userToken, online(me))).json<Page>()
        assert.strictEqual(own.data[0].cost, 0)
        for (let i = 3; i < 13; i++) {
          const answer = (yield* create(mock, userToken, online(String(100_000_000 + i)))).json<Page>()
          assert.strictEqual(answer.data[0].cost, 1)
          assert.strictEqual(answer.total_cost, i - 2)
        }
        const [code] = yield* status(mock, userToken, online("100000013"))
        assert.strictEqual(code, 429)
        const page = (yield* list(mock, userToken)).json<Page>()
        assert.deepStrictEqual([page.total, page.total_cost], [11, 10])
      })
    ))

  it.scoped("get filters by status, type, user_id or subscription_id (one at a time); delete", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { sessionId } = yield* session(mock.eventSub.wsUrl)
        const follow = (yield* create(mock, userToken, followBody(sessionId))).json<Page>().data[0]
        const online = (yield* create(
          mock,
          userToken,
          wsBody("stream.online", "1", { broadcaster_user_id: "100000005" }, sessionId)
        )).json<Page>().data[0]
        const ids = (query: string) =>
          Effect.map(list(mock, userToken, query), (a) => a.json<Page>().data.map((s) => s.id))
        assert.deepStrictEqual(yield* ids(""), [follow.id, online.id])
        assert.deepStrictEqual(yield* ids("?type=stream.online"), [online.id])
        assert.deepStrictEqual(yield* ids("?user_id=100000005"), [online.id])
        assert.deepStrictEqual(yield* ids(`?subscription_id=${follow.id}`), [follow.id])
        assert.deepStrictEqual(yield* ids("?status=enabled"), [follow.id, online.id])
        assert.deepStrictEqual(yield* ids("?status=websocket_disconnected"), [])
        assert.strictEqual((yield* list(mock, userToken, "?status=enabled&type=stream.online")).status, 400)
        assert.strictEqual((yield* list(mock, userToken, "?status=bogus")).status, 400)
        // An app token sees its client's webhook and conduit subscriptions only.
        assert.deepStrictEqual((yield* list(mock, appToken)).json<Page>().data, [])
        assert.strictEqual((yield* remove(mock, appToken, follow.id)).status, 404)
        assert.strictEqual((yield* remove(mock, World.secondUserToken, follow.id)).status, 404)
        assert.strictEqual(
          (yield* request(`${mock.http.helixUrl}/eventsub/subscriptions`, {
            method: "DELETE",
            headers: { "client-id": World.defaultClientId, authorization: `Bearer ${userToken}` }
          })).status,
          400
        )
        const deleted = yield* remove(mock, userToken, follow.id)
        assert.strictEqual(deleted.status, 204)
        assert.strictEqual(deleted.text, "")
        assert.isNotNull(deleted.headers.get("ratelimit-remaining"))
        assert.deepStrictEqual(yield* ids(""), [online.id])
        assert.strictEqual((yield* remove(mock, userToken, follow.id)).status, 404)
      })
    ))

  it.scoped("a dead session's subscriptions stay listed, disabled, for 60 s, then they are gone", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { client, sessionId } = yield* session(`${mock.eventSub.wsUrl}?keepalive_timeout_seconds=600`)
        yield* create(mock, userToken, followBody(sessionId))
        client.close()
        yield* client.closed
        const statuses = () =>
          Effect.map(list(mock, userToken), (a) => a.json<Page>().data.map((s) => s.status))
        const dead = yield* Effect.repeat(statuses(), { until: (s) => s[0] !== "enabled" })
        assert.deepStrictEqual(dead, ["websocket_disconnected"])
        yield* TestClock.adjust("60 seconds")
        assert.deepStrictEqual(yield* statuses(), ["websocket_disconnected"])
        yield* TestClock.adjust("1 second")
        assert.deepStrictEqual(yield* statuses(), [])
      })
    ))
})
