import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Conduit from "../../../src/eventsub/conduit/Conduit.js"
import * as ConduitSubscriptions from "../../../src/eventsub/conduit/ConduitSubscriptions.js"
import * as ShardOwnership from "../../../src/eventsub/conduit/ShardOwnership.js"
import * as Types from "../../../src/eventsub/generated/Types.js"
import { hash } from "../../../src/testing/mock/eventsub/ConduitStore.js"
import type * as MockTwitch from "../../../src/testing/MockTwitch.js"
import { ConduitError, EventSubError } from "../../../src/TwitchError.js"
import {
  broadcasterOf,
  eventually,
  fireAll,
  messageIdOf,
  type Process,
  type Received,
  start,
  takeN,
  withHelix,
  withMock
} from "./support.js"

/** A conduit of `shards` shards with `channels` channels subscribed to `stream.online`; the channel ids. */
const setUp = (mock: MockTwitch.MockTwitch.Service, shards: number, channels: number) =>
  withHelix(
    mock,
    Effect.gen(function*() {
      const conduit = yield* Conduit.create(shards)
      const ids = (yield* mock.world.snapshot).users.slice(0, channels).map((u) => u.id)
      const report = yield* ConduitSubscriptions.subscribe({
        conduitId: conduit.id,
        definition: Types.streamOnlineV1,
        conditions: ids.map((id) => ({ broadcasterUserId: id }))
      })
      assert.deepStrictEqual([report.created, report.existing, report.refused.length], [channels, 0, 0])
      return { conduitId: conduit.id, ids }
    })
  )

/** `count` processes, process `i` of `count`, all ready. */
const fleet = (
  mock: MockTwitch.MockTwitch.Service,
  conduitId: string,
  count: number,
  inbox: Queue.Queue<Received>
) =>
  Effect.forEach(Array.from({ length: count }, (_, i) => i), (index) =>
    Effect.tap(
      start(mock, { index, conduitId, ownership: ShardOwnership.slice(index, count), inbox }),
      (p) => p.shards.ready
    ))

const ids = (received: ReadonlyArray<Received>) => received.map(messageIdOf).sort()

const assignedEvents = (p: Process, shardId: string) =>
  p.events.filter((e) => e._tag === "Assigned" && e.shardId === shardId)

describe("ConduitShard", () => {
  it.scopedLive("assigns each of its shards to a session of its own within 10 s of the welcome", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId } = yield* setUp(mock, 2, 1)
        const inbox = yield* Queue.unbounded<Received>()
        const [p] = yield* fleet(mock, conduitId, 1, inbox)
        const [conduit] = yield* mock.eventSub.control.conduits
        assert.deepStrictEqual(conduit.shards.map((s) => s.status), ["enabled", "enabled"])
        const states = yield* p.shards.shards
        assert.deepStrictEqual(states.map((s) => [s.id, s.assigned]), [["0", true], ["1", true]])
        assert.deepStrictEqual(
          states.map((s) => Option.getOrUndefined(s.sessionId)),
          conduit.shards.map((s) => s.sessionId)
        )
        for (const state of states) {
          assert.isTrue(Option.isSome(state.assignMillis))
          assert.isBelow(Option.getOrElse(state.assignMillis, () => Infinity), 10_000)
        }
      })
    ))

  it.scopedLive("a shard is reassigned after session_reconnect and after a dropped connection", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId, ids: channels } = yield* setUp(mock, 1, 2)
        const inbox = yield* Queue.unbounded<Received>()
        const [p] = yield* fleet(mock, conduitId, 1, inbox)
        const sessionOf = Effect.map(mock.eventSub.control.conduits, ([c]) => c.shards[0])
        const first = (yield* sessionOf).sessionId
        yield* mock.eventSub.control.sendReconnect(first)
        const moved = yield* eventually(
          Effect.map(
            sessionOf,
            (s) => (s.sessionId !== first && assignedEvents(p, "0").length >= 2 ? s : undefined)
          )
        )
        assert.strictEqual(moved.status, "enabled")
        yield* mock.eventSub.control.drop({ sessionId: moved.sessionId, code: 4006 })
        const third = yield* eventually(
          Effect.map(
            sessionOf,
            (s) => (s.status === "enabled" && s.sessionId !== moved.sessionId ? s : undefined)
          )
        )
        assert.notStrictEqual(third.sessionId, first)
        yield* p.shards.ready
        const fired = yield* fireAll(mock, channels)
        assert.deepStrictEqual(ids(yield* takeN(inbox, fired.length)), [...fired].sort())
        const stats = yield* p.shards.stats
        assert.isAtLeast(stats.reconnects, 2)
      })
    ))

  it.scopedLive("events reach the process that runs the shard of their channel, each once", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId, ids: channels } = yield* setUp(mock, 2, 10)
        const inbox = yield* Queue.unbounded<Received>()
        yield* fleet(mock, conduitId, 2, inbox)
        const fired = [...(yield* fireAll(mock, channels)), ...(yield* fireAll(mock, channels))]
        const received = yield* takeN(inbox, fired.length)
        assert.deepStrictEqual(ids(received), [...fired].sort())
        // Process i runs shard i: the shard the channel hashes to.
        for (const r of received) assert.strictEqual(r.process, hash(broadcasterOf(r)) % 2, broadcasterOf(r))
        assert.deepStrictEqual(new Set(received.map((r) => r.process)), new Set([0, 1]))
        yield* Effect.sleep("100 millis")
        assert.strictEqual(yield* Queue.size(inbox), 0)
      })
    ))

  it.scopedLive("a stopped process's channels go to the fallback shard of another process", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId, ids: channels } = yield* setUp(mock, 3, 12)
        const inbox = yield* Queue.unbounded<Received>()
        const processes = yield* fleet(mock, conduitId, 3, inbox)
        const before = new Map(
          (yield* takeN(inbox, (yield* fireAll(mock, channels)).length)).map((
            r
          ) => [broadcasterOf(r), r.process])
        )
        yield* processes[1].stop
        yield* mock.eventSub.control.awaitShards(conduitId, 2, { exactly: true })
        const fired = yield* fireAll(mock, channels)
        const after = yield* takeN(inbox, fired.length)
        assert.deepStrictEqual(ids(after), [...fired].sort())
        assert.notInclude(after.map((r) => r.process), 1)
        const moved = channels.filter((c) => before.get(c) === 1).length
        assert.isAbove(moved, 0)
        const counters = yield* mock.eventSub.control.counters
        assert.deepStrictEqual([counters.conduitRetries, counters.conduitDropped], [moved, 0])
      })
    ))

  it.scopedLive("conduit.shard.disabled is seen by the fleet; a process reassigns its own shard", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId } = yield* setUp(mock, 3, 1)
        const inbox = yield* Queue.unbounded<Received>()
        const [a, b] = yield* Effect.all([
          start(mock, { index: 0, conduitId, ownership: ShardOwnership.explicit([0, 1]), inbox }),
          start(mock, { index: 1, conduitId, ownership: ShardOwnership.explicit([2]), inbox })
        ])
        yield* Effect.all([a.shards.ready, b.shards.ready])
        // Both processes want the watch; the second finds the first's (409) and shares it.
        yield* mock.eventSub.control.awaitSubscriptions(1, "conduit.shard.disabled")
        const [conduit] = yield* mock.eventSub.control.conduits
        yield* mock.eventSub.control.drop({ sessionId: conduit.shards[2].sessionId ?? "", code: 4006 })
        const seen = yield* eventually(
          Effect.sync(() =>
            [...a.events, ...b.events].find((e) => e._tag === "Disabled" && e.shardId === "2")
          )
        )
        assert.strictEqual(seen._tag === "Disabled" ? seen.status : "", "websocket_network_error")
        yield* mock.eventSub.control.drop({ sessionId: conduit.shards[1].sessionId ?? "", code: 4000 })
        const own = yield* eventually(
          Effect.sync(() =>
            [...a.events, ...b.events].find((e) => e._tag === "Disabled" && e.shardId === "1")
          )
        )
        assert.deepStrictEqual(own._tag === "Disabled" ? [own.status, own.ours] : [], [
          "websocket_internal_error",
          [...a.events].includes(own)
        ])
        yield* Effect.all([a.shards.ready, b.shards.ready])
        yield* mock.eventSub.control.awaitShards(conduitId, 3)
      })
    ))

  it.scopedLive("resize: a grown conduit's new shards are run by a process that owns them; a shrunk one routes over the rest", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId, ids: channels } = yield* setUp(mock, 1, 8)
        const grown = yield* withHelix(mock, Conduit.ensure({ shardCount: 3 }))
        assert.deepStrictEqual(Option.map(grown, (c) => c.shardCount), Option.some(3))
        const inbox = yield* Queue.unbounded<Received>()
        const [p] = yield* fleet(mock, conduitId, 1, inbox)
        assert.deepStrictEqual(p.shards.shardIds, ["0", "1", "2"])
        yield* mock.eventSub.control.awaitShards(conduitId, 3)
        const shrunk = yield* withHelix(mock, Conduit.resize(conduitId, 2))
        assert.strictEqual(shrunk.shardCount, 2)
        const listed = yield* withHelix(mock, Conduit.list)
        assert.deepStrictEqual(listed, [{ id: conduitId, shardCount: 2 }])
        const fired = yield* fireAll(mock, channels)
        assert.deepStrictEqual(ids(yield* takeN(inbox, fired.length)), [...fired].sort())
        const counters = yield* mock.eventSub.control.counters
        assert.deepStrictEqual([counters.conduitRetries, counters.conduitDropped], [0, 0])
      })
    ))

  it.scopedLive("fails typed for a conduit that is not the client's or an ownership with no shard of it", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId } = yield* setUp(mock, 2, 1)
        const inbox = yield* Queue.unbounded<Received>()
        const unknown = yield* Effect.either(
          start(mock, { index: 0, conduitId: "nope", ownership: ShardOwnership.slice(0, 1), inbox })
        )
        const outside = yield* Effect.either(
          start(mock, { index: 0, conduitId, ownership: ShardOwnership.slice(2, 3), inbox })
        )
        assert.deepStrictEqual(
          [unknown, outside].map((failed) => Either.isLeft(failed) ? failed.left : undefined).map((e) =>
            e instanceof ConduitError ? [e._tag, e.reason] : [e instanceof EventSubError ? e._tag : "?"]
          ),
          [["ConduitError", "ConduitNotFound"], ["EventSubError"]]
        )
        assert.deepStrictEqual(yield* mock.eventSub.control.sessions, [])
      })
    ))
})

describe("ConduitSubscriptions", () => {
  it.scopedLive("reports what was created, what Twitch already had and what it refused", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { conduitId, ids: channels } = yield* setUp(mock, 1, 3)
        const report = yield* withHelix(
          mock,
          ConduitSubscriptions.subscribe({
            conduitId,
            definition: Types.streamOnlineV1,
            conditions: [...channels, "999999999"].map((id) => ({ broadcasterUserId: id }))
          })
        )
        assert.deepStrictEqual([report.created, report.existing], [0, 3])
        assert.deepStrictEqual(report.refused.map((r) => [r.condition.broadcasterUserId, r.error._tag]), [
          ["999999999", "HttpError"]
        ])
      })
    ))
})
