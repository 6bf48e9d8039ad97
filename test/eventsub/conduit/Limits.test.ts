import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Conduit from "../../../src/eventsub/conduit/Conduit.js"
import { withHelix, withMock } from "./support.js"

describe("Conduit limits", () => {
  it.scopedLive("a sixth conduit and a shard count past 20,000 are typed errors at once, not waits", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const made = yield* withHelix(mock, Effect.forEach([1, 1, 1, 1, 1], (n) => Conduit.create(n)))
        assert.strictEqual(made.length, Conduit.limits.conduitsPerClient)
        const tooMany = yield* withHelix(mock, Effect.flip(Conduit.create(1))).pipe(Effect.timeout("3 seconds"))
        const tooBig = yield* withHelix(
          mock,
          Effect.flip(Conduit.resize(made[0].id, Conduit.limits.shardsPerConduit + 1))
        )
        const none = yield* withHelix(mock, Effect.flip(Conduit.create(0)))
        assert.deepStrictEqual(
          [tooMany, tooBig, none].map((e) => (e._tag === "HttpError" ? e.status : e._tag)),
          [429, 400, 400]
        )
        assert.deepStrictEqual((yield* withHelix(mock, Conduit.list)).map((c) => c.shardCount), [1, 1, 1, 1, 1])
      })
    ))
})
