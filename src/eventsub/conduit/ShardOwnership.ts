/**
 * Which shards of a conduit this process runs, from configuration alone, so that N processes on N
 * machines share a conduit with no coordinator: process `i` of `n` owns the shards whose id modulo
 * `n` is `i` (with as many shards as processes, shard `i`), or an explicit list of shard ids.
 * Twitch's conduit does the rest: it spreads the channels over the shards and retries a dead
 * shard's messages on another one.
 *
 * ```ts
 * const ownership = ShardOwnership.slice(0, 3) // process 0 of 3
 * const fromEnv = ShardOwnership.config // SHARD_IDS=0,3 or SHARD_INDEX=0 SHARD_COUNT=3
 * ```
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as Data from "effect/Data"
import * as Either from "effect/Either"
import { EventSubError } from "../../TwitchError.js"

/**
 * Process `index` of `count`, or an explicit list of shard ids.
 *
 * @since 0.1.0
 * @category models
 */
export type Ownership = Data.TaggedEnum<{
  Slice: { readonly index: number; readonly count: number }
  Explicit: { readonly shardIds: ReadonlyArray<string> }
}>

/**
 * Constructors and matchers of {@link Ownership}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const Ownership = Data.taggedEnum<Ownership>()

/**
 * Process `index` (from 0) of `count` processes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const slice = (index: number, count: number): Ownership => Ownership.Slice({ index, count })

/**
 * These shard ids (`"0"`, `"1"`...).
 *
 * @since 0.1.0
 * @category constructors
 */
export const explicit = (shardIds: ReadonlyArray<string | number>): Ownership =>
  Ownership.Explicit({ shardIds: shardIds.map(String) })

const misconfigured = (detail: string) => Either.left(new EventSubError({ reason: "Unsupported", detail }))

/**
 * The shard ids this process runs on a conduit of `shardCount` shards, in order; a typed error
 * when the configuration names no shard of it or shards it does not have.
 *
 * @since 0.1.0
 * @category ownership
 */
export const owned = (
  ownership: Ownership,
  shardCount: number
): Either.Either<ReadonlyArray<string>, EventSubError> => {
  if (ownership._tag === "Slice") {
    const { count, index } = ownership
    if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
      return misconfigured(`process ${index} of ${count}: the index must be an integer from 0 to count - 1`)
    }
    const ids: Array<string> = []
    for (let id = index; id < shardCount; id += count) ids.push(String(id))
    return ids.length > 0
      ? Either.right(ids)
      : misconfigured(`process ${index} of ${count} owns no shard of a conduit of ${shardCount}`)
  }
  const bad = ownership.shardIds.filter((id) => !/^\d+$/.test(id) || Number(id) >= shardCount)
  if (bad.length > 0) {
    return misconfigured(`shards ${bad.join(", ")} are not shards of a conduit of ${shardCount}`)
  }
  const ids = [...new Set(ownership.shardIds)].sort((a, b) => Number(a) - Number(b))
  return ids.length > 0 ? Either.right(ids) : misconfigured("no shard ids given")
}

/**
 * Ownership from the environment: `SHARD_IDS` (comma-separated ids), else `SHARD_INDEX` and
 * `SHARD_COUNT`.
 *
 * @since 0.1.0
 * @category configs
 */
export const config: Config.Config<Ownership> = Config.array(Config.string(), "SHARD_IDS").pipe(
  Config.map((ids) => explicit(ids.map((id) => id.trim()).filter((id) => id !== ""))),
  Config.orElse(() =>
    Config.all({
      index: Config.integer("SHARD_INDEX"),
      count: Config.integer("SHARD_COUNT")
    }).pipe(
      Config.validate({
        message: "SHARD_INDEX must be from 0 to SHARD_COUNT - 1",
        validation: ({ count, index }) => count >= 1 && index >= 0 && index < count
      }),
      Config.map(({ count, index }) => slice(index, count))
    )
  )
)
