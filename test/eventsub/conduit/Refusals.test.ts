import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Conduit from "../../../src/eventsub/conduit/Conduit.js"
import * as ConduitSubscriptions from "../../../src/eventsub/conduit/ConduitSubscriptions.js"
import * as ShardOwnership from "../../../src/eventsub/conduit/ShardOwnership.js"
import * as Types from "../../../src/eventsub/generated/Types.js"
import {
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

/** Waits for the shard to stop, then `ready`'s failure. */
const refusedReady = (p: Process, shardId: string) =>
  Effect.zipRight(
    eventually(Effect.sync(() => p.events.find((e) => e._tag === "Stopped" && e.shardId === shardId))),
    Effect.flip(p.shards.ready)
  )

describe("ConduitShard refused for good", () => {
  it.scopedLive("a shard of a deleted conduit stops with ConduitNotFound: ready fails, no reconnect loop", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const conduit = yield* withHelix(mock, Conduit.create(1))
        const inbox = yield* Queue.unbounded<Received>()
        const p = yield* start(mock, {
          index: 0,
          conduitId: conduit.id,
          ownership: ShardOwnership.slice(0, 1),
          inbox,
          watchDisabled: false
        })
        yield* p.shards.ready
        yield* withHelix(mock, Conduit.remove(conduit.id))
        // The shard's next session is refused: Update Conduit Shards answers 404.
        yield* mock.eventSub.control.drop()
        const error = yield* refusedReady(p, "0")
        assert.deepStrictEqual(
          [error._tag, error.reason, error.shardId],
          ["ConduitError", "ConduitNotFound", "0"]
        )
        const stopped = p.events.filter((e) => e._tag === "Stopped")
        assert.deepStrictEqual(stopped.map((e) => e.shardId), ["0"])
        const failed = p.events.filter((e) => e._tag === "AssignFailed")
        assert.deepStrictEqual(failed.map((e) => e._tag === "AssignFailed" && e.permanent), [true])
        const [state] = yield* p.shards.shards
        assert.deepStrictEqual(
          [state.assigned, Option.isSome(state.stopped), Option.isNone(state.sessionId)],
          [
            false,
            true,
            true
          ]
        )
        // The stopped shard's session is closed and no new one is opened.
        yield* eventually(
          Effect.map(mock.eventSub.control.sessions, (s) => (s.length === 0 ? true : undefined))
        )
        yield* Effect.sleep("300 millis")
        assert.deepStrictEqual(yield* mock.eventSub.control.sessions, [])
      })
    ))

  it.scopedLive("a shard past the count after another process shrank the conduit stops with ShardOutOfRange; the rest run", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const conduit = yield* withHelix(mock, Conduit.create(2))
        const channels = (yield* mock.world.snapshot).users.slice(0, 6).map((u) => u.id)
        yield* withHelix(
          mock,
          ConduitSubscriptions.subscribe({
            conduitId: conduit.id,
            definition: Types.streamOnlineV1,
            conditions: channels.map((id) => ({ broadcasterUserId: id }))
          })
        )
        const inbox = yield* Queue.unbounded<Received>()
        const p = yield* start(mock, {
          index: 0,
          conduitId: conduit.id,
          ownership: ShardOwnership.explicit([0, 1]),
          inbox,
          watchDisabled: false
        })
        yield* p.shards.ready
        // Another process shrinks the conduit; shard 1's session then ends and its next one is refused.
        yield* withHelix(mock, Conduit.resize(conduit.id, 1))
        const shard1 = (yield* p.shards.shards).find((s) => s.id === "1")
        yield* mock.eventSub.control.drop({
          sessionId: Option.getOrElse(shard1?.sessionId ?? Option.none(), () => "")
        })
        const error = yield* refusedReady(p, "1")
        assert.deepStrictEqual(
          [error._tag, error.reason, error.shardId, error.shardCount],
          ["ConduitError", "ShardOutOfRange", "1", 1]
        )
        assert.strictEqual(yield* Effect.flip(p.shards.refused), error)
        const states = yield* p.shards.shards
        assert.deepStrictEqual(states.map((s) => [s.id, s.assigned, Option.isSome(s.stopped)]), [
          ["0", true, false],
          ["1", false, true]
        ])
        // Every channel now hashes to shard 0, still run by this process.
        const fired = yield* fireAll(mock, channels)
        assert.deepStrictEqual((yield* takeN(inbox, fired.length)).map(messageIdOf).sort(), [...fired].sort())
      })
    ))
})
