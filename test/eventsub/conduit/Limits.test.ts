import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Conduit from "../../../src/eventsub/conduit/Conduit.js"
import { assignShards, connect } from "../../testing/mock/eventsub/client.js"
import { withHelix, withMock } from "./support.js"

describe("Conduit limits", () => {
  it.scopedLive("a sixth conduit and a shard count past 20,000 are typed errors at once, not waits", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const made = yield* withHelix(mock, Effect.forEach([1, 1, 1, 1, 1], (n) => Conduit.create(n)))
        assert.strictEqual(made.length, Conduit.limits.conduitsPerClient)
        const tooMany = yield* withHelix(mock, Effect.flip(Conduit.create(1))).pipe(
          Effect.timeout("3 seconds")
        )
        const tooBig = yield* withHelix(
          mock,
          Effect.flip(Conduit.resize(made[0].id, Conduit.limits.shardsPerConduit + 1))
        )
        const none = yield* withHelix(mock, Effect.flip(Conduit.create(0)))
        assert.deepStrictEqual(
          [tooMany, tooBig, none].map((e) => (e._tag === "HttpError" ? e.status : e._tag)),
          [429, 400, 400]
        )
        assert.deepStrictEqual((yield* withHelix(mock, Conduit.list)).map((c) => c.shardCount), [
          1,
          1,
          1,
          1,
          1
        ])
      })
    ))
})

describe("Conduit.shards", () => {
  it.scopedLive("follows every page of Get Conduit Shards, and filters by status", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const conduit = yield* withHelix(mock, Conduit.create(250))
        const all = yield* withHelix(mock, Stream.runCollect(Conduit.shards(conduit.id)))
        assert.deepStrictEqual(
          Chunk.toReadonlyArray(all).map((s) => s.id),
          Array.from({ length: 250 }, (_, i) => String(i))
        )
        const ws = yield* connect(mock.eventSub.wsUrl)
        const sessionId = (yield* ws.next("session_welcome")).payload.session?.id ?? ""
        yield* assignShards(mock, conduit.id, [["7", sessionId]])
        const enabled = yield* withHelix(mock, Stream.runCollect(Conduit.shards(conduit.id, "enabled")))
        assert.deepStrictEqual(Chunk.toReadonlyArray(enabled).map((s) => [s.id, s.status]), [[
          "7",
          "enabled"
        ]])
        const down = yield* withHelix(
          mock,
          Stream.runCount(Conduit.shards(conduit.id, "websocket_disconnected"))
        )
        assert.strictEqual(down, 249)
        assert.include(Conduit.shardStatuses, "notification_failures_exceeded")
      })
    ))
})
