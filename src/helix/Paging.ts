/**
 * pytwitcherapi's `limit`/`offset` on top of cursor-paged `Stream`s. Helix has no offset: the
 * skipped items are still fetched, then dropped.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/**
 * How many items to skip and take.
 *
 * @since 0.1.0
 * @category models
 */
export interface LimitOffset {
  /** How many items at most (default 25, pytwitcherapi's default). */
  readonly limit?: number
  /** How many items to skip first (default 0). */
  readonly offset?: number
}

/**
 * The page size that fetches `limit + offset` items with the fewest requests.
 *
 * @since 0.1.0
 * @category utils
 */
export const pageSizeFor = (options: LimitOffset): number =>
  Math.min(100, Math.max(1, (options.limit ?? 25) + (options.offset ?? 0)))

/**
 * Collects `limit` items after skipping `offset`, pulling only the pages needed.
 *
 * @since 0.1.0
 * @category utils
 */
export const collect = <A, E, R>(
  stream: Stream.Stream<A, E, R>,
  options: LimitOffset = {}
): Effect.Effect<Array<A>, E, R> =>
  stream.pipe(
    Stream.drop(options.offset ?? 0),
    Stream.take(options.limit ?? 25),
    Stream.runCollect,
    Effect.map(Chunk.toArray)
  )
