import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ShardOwnership from "../../../src/eventsub/conduit/ShardOwnership.js"

const owned = (ownership: ShardOwnership.Ownership, shardCount: number) =>
  Either.getOrElse(ShardOwnership.owned(ownership, shardCount), (e) => [`error: ${e.detail ?? ""}`])

const fromEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ShardOwnership.config, ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("ShardOwnership", () => {
  it("process i of n owns the shards whose id modulo n is i; together they own each shard once", () => {
    for (const [count, shards] of [[3, 3], [3, 7], [4, 20]] as const) {
      const all = Array.from({ length: count }, (_, i) => owned(ShardOwnership.slice(i, count), shards))
        .flat()
      assert.deepStrictEqual(
        all.map(Number).sort((a, b) => a - b),
        Array.from({ length: shards }, (_, i) => i)
      )
    }
    assert.deepStrictEqual(owned(ShardOwnership.slice(1, 3), 7), ["1", "4"])
  })

  it("an explicit list is checked against the conduit and sorted", () => {
    assert.deepStrictEqual(owned(ShardOwnership.explicit([5, "2", 2]), 6), ["2", "5"])
    assert.match(owned(ShardOwnership.explicit(["6"]), 6)[0], /^error: shards 6 /)
    assert.match(owned(ShardOwnership.explicit(["-1", "x"]), 6)[0], /^error: /)
  })

  it("a process with no shard of the conduit, or a bad index, is a typed error", () => {
    for (
      const ownership of [ShardOwnership.slice(3, 4), ShardOwnership.slice(3, 3), ShardOwnership.slice(-1, 2)]
    ) {
      const result = ShardOwnership.owned(ownership, 3)
      assert.isTrue(Either.isLeft(result))
      if (Either.isLeft(result)) assert.strictEqual(result.left.reason, "Unsupported")
    }
  })

  it.effect("reads SHARD_IDS, else SHARD_INDEX and SHARD_COUNT, from the environment", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(
        yield* fromEnv({ SHARD_INDEX: "1", SHARD_COUNT: "3" }),
        ShardOwnership.slice(1, 3)
      )
      assert.deepStrictEqual(yield* fromEnv({ SHARD_IDS: "4, 0" }), ShardOwnership.explicit(["4", "0"]))
      assert.isTrue(Either.isLeft(yield* Effect.either(fromEnv({ SHARD_INDEX: "3", SHARD_COUNT: "3" }))))
      assert.isTrue(Either.isLeft(yield* Effect.either(fromEnv({}))))
    }))
})
