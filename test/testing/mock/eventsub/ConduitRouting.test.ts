import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import {
  appToken,
  assignShards,
  callback,
  conduitCall,
  create,
  createConduit,
  type Frame,
  mockLayer,
  type Respond,
  session,
  subscribeConduit,
  type WsClient
} from "./client.js"

const withMock = <A, E, R>(f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(MockTwitch.MockTwitch, f).pipe(Effect.provide(mockLayer()))

interface Received {
  readonly shard: string
  readonly frame: Frame
}

/** A conduit of `count` shards, each backed by its own session, and one queue of what they all receive. */
const fleet = (mock: MockTwitch.MockTwitch.Service, count: number) =>
  Effect.gen(function*() {
    const conduitId = yield* createConduit(mock, count)
    const shards: Array<{ readonly id: string; readonly client: WsClient; readonly sessionId: string }> = []
    for (let i = 0; i < count; i++) {
      const s = yield* session(mock.eventSub.wsUrl)
      shards.push({ id: String(i), client: s.client, sessionId: s.sessionId })
    }
    const assigned = yield* assignShards(mock, conduitId, shards.map((s) => [s.id, s.sessionId] as const))
    assert.strictEqual(assigned.status, 202)
    const inbox = yield* Queue.unbounded<Received>()
    for (const shard of shards) {
      yield* Effect.forkScoped(
        Effect.forever(
          Effect.flatMap(shard.client.next("notification"), (frame) =>
            Queue.offer(inbox, { shard: shard.id, frame }))
        )
      )
    }
    return { conduitId, shards, inbox }
  })

/** `n` broadcaster ids of the world. */
const broadcasters = (mock: MockTwitch.MockTwitch.Service, n: number) =>
  Effect.map(mock.world.snapshot, (s) => s.users.slice(0, n).map((u) => u.id))

const subscribeAll = (mock: MockTwitch.MockTwitch.Service, conduitId: string, ids: ReadonlyArray<string>) =>
  Effect.forEach(
    ids,
    (id) =>
      Effect.map(
        subscribeConduit(mock, conduitId, "stream.online", "1", { broadcaster_user_id: id }),
        (a) => {
          assert.strictEqual(a.status, 202, a.text)
        }
      ),
    { discard: true }
  )

const fireAll = (mock: MockTwitch.MockTwitch.Service, ids: ReadonlyArray<string>) =>
  Effect.map(
    Effect.forEach(ids, (id) =>
      mock.eventSub.control.fire({ type: "stream.online", condition: { broadcaster_user_id: id } })),
    (fired) =>
      fired.flatMap((f) => f.messageIds)
  )

const takeN = (inbox: Queue.Queue<Received>, n: number) =>
  Effect.map(Effect.replicateEffect(Queue.take(inbox), n), (all) => all).pipe(
    Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error(`fewer than ${n} notifications`) })
  )

const broadcasterOf = (r: Received) => String(r.frame.payload.event?.["broadcaster_user_id"])

const shardOf = (received: ReadonlyArray<Received>): ReadonlyMap<string, string> =>
  new Map(received.map((r) => [broadcasterOf(r), r.shard]))

describe("conduit routing", () => {
  it.scopedLive("a hash of the channel picks one shard per channel; each event arrives once, on it", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId, inbox } = yield* fleet(mock, 3)
        const ids = yield* broadcasters(mock, 12)
        yield* subscribeAll(mock, conduitId, ids)
        const fired = [...(yield* fireAll(mock, ids)), ...(yield* fireAll(mock, ids))]
        const received = yield* takeN(inbox, 24)
        assert.deepStrictEqual(received.map((r) => r.frame.metadata.message_id).sort(), [...fired].sort())
        const shard = shardOf(received)
        for (const r of received) assert.strictEqual(r.shard, shard.get(broadcasterOf(r)))
        assert.isAbove(new Set(shard.values()).size, 1, "the channels spread over the shards")
        const sub = received[0].frame.payload.subscription
        assert.deepStrictEqual(sub?.transport, { method: "conduit", conduit_id: conduitId })
        assert.strictEqual(yield* Queue.size(inbox), 0)
      })
    ))

  it.scopedLive("a shard whose session is gone: one retry on another enabled shard, then drops when none is", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId, inbox, shards } = yield* fleet(mock, 3)
        const ids = yield* broadcasters(mock, 12)
        yield* subscribeAll(mock, conduitId, ids)
        yield* fireAll(mock, ids)
        const before = shardOf(yield* takeN(inbox, 12))
        const lost = shards[Number(before.get(ids[0]))]
        lost.client.close()
        yield* mock.eventSub.control.awaitShards(conduitId, 2, { exactly: true })
        const fired = yield* fireAll(mock, ids)
        const after = yield* takeN(inbox, 12)
        assert.deepStrictEqual(after.map((r) => r.frame.metadata.message_id).sort(), [...fired].sort())
        assert.notInclude(after.map((r) => r.shard), lost.id)
        const moved = ids.filter((id) => before.get(id) === lost.id).length
        assert.isAbove(moved, 0)
        const counters = yield* mock.eventSub.control.counters
        assert.deepStrictEqual([counters.conduitRetries, counters.conduitDropped], [moved, 0])
        // The channels of the live shards stay where they were.
        for (const r of after) {
          if (before.get(broadcasterOf(r)) !== lost.id) {
            assert.strictEqual(r.shard, before.get(broadcasterOf(r)))
          }
        }

        for (const s of shards) {
          if (s !== lost) s.client.close()
        }
        yield* mock.eventSub.control.awaitShards(conduitId, 0, { exactly: true })
        yield* fireAll(mock, ids)
        const last = yield* mock.eventSub.control.counters
        assert.strictEqual(last.conduitDropped, ids.length)
      })
    ))

  it.scopedLive("a disabled shard is announced as conduit.shard.disabled, with the status of its session's end", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId, inbox, shards } = yield* fleet(mock, 2)
        const clientId = mock.credentials.clientId
        const watch = yield* subscribeConduit(mock, conduitId, "conduit.shard.disabled", "1", {
          client_id: clientId,
          conduit_id: conduitId
        })
        assert.strictEqual(watch.status, 202, watch.text)
        const dropped = yield* mock.eventSub.control.drop({ sessionId: shards[1].sessionId, code: 4006 })
        assert.strictEqual(dropped, 1)
        const [notice] = yield* takeN(inbox, 1)
        assert.strictEqual(notice.shard, "0")
        assert.strictEqual(notice.frame.metadata.subscription_type, "conduit.shard.disabled")
        const event = notice.frame.payload.event ?? {}
        assert.deepStrictEqual([event["conduit_id"], event["shard_id"], event["status"]], [
          conduitId,
          "1",
          "websocket_network_error"
        ])
        const transport = event["transport"] as Record<string, unknown>
        assert.strictEqual(transport["session_id"], shards[1].sessionId)
        assert.isString(transport["disconnected_at"])
        const listed = yield* conduitCall(
          mock,
          "GET",
          `/shards?conduit_id=${conduitId}&status=websocket_network_error`
        )
        assert.deepStrictEqual(listed.json<{ data: ReadonlyArray<{ id: string }> }>().data.map((s) => s.id), [
          "1"
        ])
      })
    ))

  it.scopedLive("shrinking drops the shards past the new count; growing adds unassigned ones", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId, inbox } = yield* fleet(mock, 3)
        const ids = yield* broadcasters(mock, 12)
        yield* subscribeAll(mock, conduitId, ids)
        const shrunk = yield* conduitCall(mock, "PATCH", "", { id: conduitId, shard_count: 2 })
        assert.deepStrictEqual(shrunk.json(), { data: [{ id: conduitId, shard_count: 2 }] })
        const fired = yield* fireAll(mock, ids)
        const received = yield* takeN(inbox, 12)
        assert.deepStrictEqual(received.map((r) => r.frame.metadata.message_id).sort(), [...fired].sort())
        assert.notInclude(received.map((r) => r.shard), "2")

        yield* conduitCall(mock, "PATCH", "", { id: conduitId, shard_count: 5 })
        const listed = (yield* conduitCall(mock, "GET", `/shards?conduit_id=${conduitId}`)).json<{
          data: ReadonlyArray<{ id: string; status: string; transport: Record<string, string> }>
        }>().data
        assert.deepStrictEqual(listed.map((s) => [s.id, s.status]), [
          ["0", "enabled"],
          ["1", "enabled"],
          ["2", "websocket_disconnected"],
          ["3", "websocket_disconnected"],
          ["4", "websocket_disconnected"]
        ])
        assert.deepStrictEqual(listed[3].transport, { method: "websocket" })
        // Channels hashed to an unassigned shard take the retry to an enabled one.
        const again = yield* fireAll(mock, ids)
        const got = yield* takeN(inbox, 12)
        assert.deepStrictEqual(got.map((r) => r.frame.metadata.message_id).sort(), [...again].sort())
        assert.isAbove((yield* mock.eventSub.control.counters).conduitRetries, 0)
      })
    ))

  it.scopedLive("after session_reconnect the shard follows its session to the reconnect URL", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId, shards } = yield* fleet(mock, 1)
        const [url] = yield* mock.eventSub.control.sendReconnect(shards[0].sessionId)
        const next = yield* session(url)
        // The move happens right after the new welcome: poll the control for it.
        const shard = yield* Effect.map(mock.eventSub.control.conduits, ([c]) => c.shards[0]).pipe(
          Effect.filterOrFail((s) => s.sessionId === next.sessionId),
          Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.upTo("2 seconds")))
        )
        assert.strictEqual(shard.status, "enabled")
        const [id] = yield* broadcasters(mock, 1)
        yield* subscribeAll(mock, conduitId, [id])
        yield* fireAll(mock, [id])
        const frame = yield* next.client.next("notification")
        assert.strictEqual(frame.payload.event?.["broadcaster_user_id"], id)
      })
    ))
})

interface HookBody {
  readonly challenge?: string
  readonly conduit_shard?: unknown
  readonly subscription?: unknown
  readonly event?: Record<string, unknown>
}

/** Answers challenges with the challenge, everything else with 200. */
const answerAll: Respond<HookBody> = (r) => ({ status: 200, body: r.json.challenge ?? "" })

describe("conduit webhook shards", () => {
  it.scopedLive("a callback is challenged with the conduit and shard, then takes the shard's notifications", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const hook = yield* callback(answerAll)
        const conduitId = yield* createConduit(mock, 1)
        const answer = yield* conduitCall(mock, "PATCH", "/shards", {
          conduit_id: conduitId,
          shards: [{
            id: "0",
            transport: { method: "webhook", callback: hook.url, secret: "a secret of the shard" }
          }]
        })
        assert.strictEqual(answer.status, 202)
        assert.strictEqual(
          answer.json<{ data: ReadonlyArray<{ status: string }> }>().data[0].status,
          "webhook_callback_verification_pending"
        )
        const challenge = yield* hook.next
        assert.strictEqual(challenge.headers["twitch-eventsub-message-type"], "webhook_callback_verification")
        assert.deepStrictEqual(challenge.json.conduit_shard, { conduit_id: conduitId, shard: "0" })
        assert.notProperty(challenge.json, "subscription")
        yield* mock.eventSub.control.awaitShards(conduitId, 1)
        const [id] = yield* broadcasters(mock, 1)
        yield* subscribeAll(mock, conduitId, [id])
        yield* fireAll(mock, [id])
        const notification = yield* hook.next
        assert.strictEqual(notification.headers["twitch-eventsub-message-type"], "notification")
        assert.strictEqual(notification.json.event?.["broadcaster_user_id"], id)
      })
    ))
})

describe("conduit subscriptions", () => {
  it.scopedLive("need an app token and a conduit of the token's client", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const conduitId = yield* createConduit(mock, 1)
        const [id] = yield* broadcasters(mock, 1)
        const body = (conduit: string) => ({
          type: "stream.online",
          version: "1",
          condition: { broadcaster_user_id: id },
          transport: { method: "conduit", conduit_id: conduit }
        })
        assert.strictEqual((yield* create(mock, appToken, body(conduitId))).status, 202)
        assert.strictEqual((yield* create(mock, appToken, body("no-such-conduit"))).status, 400)
        assert.strictEqual((yield* create(mock, mock.credentials.userToken, body(conduitId))).status, 401)
        const other = yield* create(
          mock,
          mock.credentials.extensionAppToken,
          body(conduitId),
          mock.credentials.extensionClientId
        )
        assert.strictEqual(other.status, 400)
        const watch = yield* subscribeConduit(mock, conduitId, "conduit.shard.disabled", "1", {
          client_id: mock.credentials.clientId,
          conduit_id: "a-conduit-of-someone-else"
        })
        assert.strictEqual(watch.status, 403)
      })
    ))
})
