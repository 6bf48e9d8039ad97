import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { shardErrors } from "../../../../src/testing/mock/eventsub/ConduitOperations.js"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import {
  assignShards,
  conduitCall,
  connect,
  createConduit,
  mockLayer,
  session,
  subscribeConduit
} from "./client.js"

const withMock = <A, E, R>(f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(MockTwitch.MockTwitch, f).pipe(Effect.provide(mockLayer()))

interface Conduit {
  readonly id: string
  readonly shard_count: number
}

interface ShardAnswer {
  readonly data: ReadonlyArray<
    { readonly id: string; readonly status: string; readonly transport: Record<string, string> }
  >
  readonly errors: ReadonlyArray<{ readonly id: string; readonly message: string; readonly code: string }>
}

const conduitsOf = (mock: MockTwitch.MockTwitch.Service, token?: string, clientId?: string) =>
  Effect.map(
    conduitCall(mock, "GET", "", undefined, token, clientId),
    (a) => a.json<{ data: ReadonlyArray<Conduit> }>().data
  )

describe("conduit operations", () => {
  it.scoped("create, list, resize and delete; a client sees only its own conduits", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const created = yield* conduitCall(mock, "POST", "", { shard_count: 4 })
        assert.strictEqual(created.status, 200)
        const [conduit] = created.json<{ data: ReadonlyArray<Conduit> }>().data
        assert.match(conduit.id, /^[0-9a-f-]{36}$/)
        assert.strictEqual(conduit.shard_count, 4)
        assert.deepStrictEqual(yield* conduitsOf(mock), [conduit])
        const { extensionAppToken, extensionClientId } = mock.credentials
        assert.deepStrictEqual(yield* conduitsOf(mock, extensionAppToken, extensionClientId), [])
        const foreign = yield* conduitCall(
          mock,
          "PATCH",
          "",
          { id: conduit.id, shard_count: 1 },
          extensionAppToken,
          extensionClientId
        )
        assert.strictEqual(foreign.status, 404)
        const resized = yield* conduitCall(mock, "PATCH", "", { id: conduit.id, shard_count: 2 })
        assert.deepStrictEqual(resized.json(), { data: [{ id: conduit.id, shard_count: 2 }] })
        const shards = yield* conduitCall(mock, "GET", `/shards?conduit_id=${conduit.id}`)
        assert.deepStrictEqual(shards.json(), {
          data: [
            { id: "0", status: "websocket_disconnected", transport: { method: "websocket" } },
            { id: "1", status: "websocket_disconnected", transport: { method: "websocket" } }
          ],
          pagination: {}
        })
        assert.strictEqual((yield* conduitCall(mock, "DELETE", `?id=${conduit.id}`)).status, 204)
        assert.deepStrictEqual(yield* conduitsOf(mock), [])
        assert.strictEqual((yield* conduitCall(mock, "DELETE", `?id=${conduit.id}`)).status, 404)
      })
    ))

  it.scoped("limits: 5 conduits per client, 1 to 20,000 shards", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        for (const count of [0, 20_001, 1.5]) {
          assert.strictEqual(
            (yield* conduitCall(mock, "POST", "", { shard_count: count })).status,
            400,
            `${count}`
          )
        }
        const ids = yield* Effect.forEach([1, 2, 3, 4, 20_000], (n) => createConduit(mock, n))
        const sixth = yield* conduitCall(mock, "POST", "", { shard_count: 1 })
        assert.strictEqual(sixth.status, 429)
        const big = yield* conduitCall(mock, "GET", `/shards?conduit_id=${ids[4]}&first=1000`)
        const page = big.json<{ data: ReadonlyArray<unknown>; pagination: { cursor?: string } }>()
        assert.strictEqual(page.data.length, 1000)
        assert.isString(page.pagination.cursor)
        assert.strictEqual(
          (yield* conduitCall(mock, "PATCH", "", { id: ids[0], shard_count: 20_001 })).status,
          400
        )
        yield* conduitCall(mock, "DELETE", `?id=${ids[0]}`)
        assert.strictEqual((yield* conduitCall(mock, "POST", "", { shard_count: 1 })).status, 200)
      })
    ))

  it.scoped("update shards: 202 with the shards changed and an error for each refused one", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const conduitId = yield* createConduit(mock, 2)
        const { sessionId } = yield* session(mock.eventSub.wsUrl)
        const answer = yield* conduitCall(mock, "PATCH", "/shards", {
          conduit_id: conduitId,
          shards: [
            { id: "0", transport: { method: "websocket", session_id: sessionId } },
            { id: "2", transport: { method: "websocket", session_id: sessionId } },
            { id: "1", transport: { method: "websocket", session_id: "AQoQnope" } },
            {
              id: "1",
              transport: { method: "webhook", callback: "https://example.com/x", secret: "0123456789" }
            }
          ]
        })
        assert.strictEqual(answer.status, 202)
        const body = answer.json<ShardAnswer>()
        assert.deepStrictEqual(body.data.map((s) => [s.id, s.status, s.transport["session_id"]]), [
          ["0", "enabled", sessionId]
        ])
        assert.isString(body.data[0].transport["connected_at"])
        assert.deepStrictEqual(body.errors.map((e) => [e.id, e.code]), [
          ["2", "invalid_parameter"],
          ["1", "invalid_parameter"],
          ["1", "invalid_parameter"]
        ])
        const missing = yield* assignShards(mock, "no-such-conduit", [["0", sessionId]])
        assert.strictEqual(missing.status, 404)
      })
    ))

  it.scoped("update shards: Twitch's error messages, and one session backs one shard", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const conduitId = yield* createConduit(mock, 4)
        const a = yield* session(mock.eventSub.wsUrl)
        const b = yield* session(mock.eventSub.wsUrl)
        const hook = (transport: Record<string, string>) => ({
          id: "3",
          transport: { method: "webhook", ...transport }
        })
        const answer = (yield* conduitCall(mock, "PATCH", "/shards", {
          conduit_id: conduitId,
          shards: [
            { id: "0", transport: { method: "websocket", session_id: a.sessionId } },
            { id: "1", transport: { method: "websocket", session_id: a.sessionId } },
            { id: "2", transport: { method: "websocket" } },
            { id: "2", transport: { session_id: b.sessionId } },
            { id: "9", transport: { method: "websocket", session_id: b.sessionId } },
            hook({ secret: "0123456789" }),
            hook({ callback: "not a url", secret: "0123456789" }),
            hook({ callback: "http://127.0.0.1:9/x", secret: "short" })
          ]
        })).json<ShardAnswer>()
        assert.deepStrictEqual(answer.data.map((s) => [s.id, s.transport["session_id"]]), [[
          "0",
          a.sessionId
        ]])
        assert.deepStrictEqual(answer.errors.map((e) => [e.id, e.message]), [
          ["1", shardErrors.inUse],
          ["2", shardErrors.sessionRequired],
          ["2", shardErrors.method],
          ["9", shardErrors.outOfRange],
          ["3", shardErrors.callbackRequired],
          ["3", shardErrors.callback],
          ["3", shardErrors.secret]
        ])
        // A later request cannot take shard 0's session for another shard; shard 0 may take it again.
        const again = (yield* assignShards(mock, conduitId, [["1", a.sessionId], ["0", a.sessionId]]))
          .json<ShardAnswer>()
        assert.deepStrictEqual(again.errors.map((e) => [e.id, e.message]), [["1", shardErrors.inUse]])
        assert.deepStrictEqual(again.data.map((s) => s.id), ["0"])
        yield* mock.eventSub.control.drop({ sessionId: b.sessionId })
        const gone = (yield* assignShards(mock, conduitId, [["1", b.sessionId]])).json<ShardAnswer>()
        assert.deepStrictEqual(gone.errors.map((e) => e.message), [shardErrors.notConnected])
      })
    ))
})

describe("conduit timing rules (TestClock)", () => {
  it.scoped("a session must be assigned within 10 s of its welcome; an assigned one is not closed as unused", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const conduitId = yield* createConduit(mock, 2)
        // keepalive 30 s: the unused-connection close (4003) waits 30 s, the shard rule 10 s.
        const late = yield* session(`${mock.eventSub.wsUrl}?keepalive_timeout_seconds=30`)
        const kept = yield* session(`${mock.eventSub.wsUrl}?keepalive_timeout_seconds=30`)
        yield* TestClock.adjust("9 seconds")
        assert.deepStrictEqual(
          (yield* assignShards(mock, conduitId, [["0", kept.sessionId]])).json<ShardAnswer>().errors,
          []
        )
        yield* TestClock.adjust("2 seconds")
        const refused = (yield* assignShards(mock, conduitId, [["1", late.sessionId]])).json<ShardAnswer>()
        assert.deepStrictEqual(refused.data, [])
        assert.include(refused.errors[0].message, "within 10 seconds")
        yield* TestClock.adjust("20 seconds")
        assert.strictEqual((yield* late.client.closed).code, 4003)
        const [conduit] = yield* mock.eventSub.control.conduits
        assert.deepStrictEqual(conduit.shards.map((s) => s.status), ["enabled", "websocket_disconnected"])
        const sessions = (yield* mock.eventSub.control.sessions).map((s) => s.id)
        assert.include(sessions, kept.sessionId)
      })
    ))

  it.scoped("a conduit with no enabled shard for 72 h is deleted with its subscriptions", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const idle = yield* createConduit(mock, 1)
        const busy = yield* createConduit(mock, 1)
        const [user] = (yield* mock.world.snapshot).users
        yield* subscribeConduit(mock, idle, "stream.online", "1", { broadcaster_user_id: user.id })
        yield* TestClock.adjust("71 hours")
        // A shard enabled now keeps `busy`; it goes back to idle when its session ends.
        const shard = yield* connect(mock.eventSub.wsUrl)
        const welcome = yield* shard.next("session_welcome")
        yield* assignShards(mock, busy, [["0", welcome.payload.session?.id ?? ""]])
        yield* TestClock.adjust("59 minutes")
        assert.deepStrictEqual((yield* conduitsOf(mock)).map((c) => c.id).sort(), [idle, busy].sort())
        yield* TestClock.adjust("2 minutes")
        assert.deepStrictEqual((yield* conduitsOf(mock)).map((c) => c.id), [busy])
        assert.deepStrictEqual(
          (yield* mock.eventSub.control.subscriptions).filter((s) => s.method === "conduit"),
          []
        )
        shard.close()
        yield* mock.eventSub.control.awaitShards(busy, 0, { exactly: true })
        const [conduit] = yield* mock.eventSub.control.conduits
        assert.isString(conduit.idleSince)
        yield* TestClock.adjust("72 hours")
        assert.deepStrictEqual(yield* conduitsOf(mock), [])
      })
    ))
})
