/**
 * Printing results: tables and `key  value` blocks for people, JSON for programs.
 */
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Output from "../Output.js"
import { Tty } from "../Tty.js"

/** One JSON document (or line). */
export const json = (value: unknown): Effect.Effect<void> => Console.log(JSON.stringify(value))

/** A `key  value` block, keys aligned. */
export const fields = (
  rows: ReadonlyArray<readonly [string, string]>
): Effect.Effect<void, never, Tty> =>
  Effect.flatMap(Tty, (tty) => {
    const w = Math.max(...rows.map(([k]) => Output.width(k)))
    return Console.log(
      rows.map(([k, v]) => `${Output.bold(tty.style, k.padEnd(w))}  ${v}`).join("\n")
    )
  })

/** An `Option` as text, `-` when empty. */
export const opt = (value: Option.Option<string | number>): string =>
  Option.match(value, { onNone: () => "-", onSome: String })

/** How {@link list} prints. */
export interface ListOptions<A> {
  readonly json: boolean
  readonly limit: number
  readonly offset: number
  /** The JSON form of an item. */
  readonly encode: (item: A) => unknown
  readonly columns: ReadonlyArray<Output.Column<A>>
}

/**
 * Prints `limit` items after skipping `offset`, pulling only the pages needed: JSON lines as the
 * items arrive, or a table once they are all there. Nothing found: a note on stderr.
 */
export const list = <A, E, R>(
  stream: Stream.Stream<A, E, R>,
  options: ListOptions<A>
): Effect.Effect<number, E, R | Tty> => {
  const items = stream.pipe(Stream.drop(options.offset), Stream.take(options.limit))
  if (options.json) {
    return Stream.runFold(
      Stream.mapEffect(items, (item) => json(options.encode(item))),
      0,
      (n) => n + 1
    )
  }
  return Effect.gen(function*() {
    const tty = yield* Tty
    // A table waits for its last row: on a terminal, show how far the pages got.
    const rows = Chunk.toReadonlyArray(
      yield* items.pipe(
        Stream.zipWithIndex,
        Stream.tap((
          [, i]
        ) => ((i + 1) % 100 === 0 ? tty.status(`Fetched ${Output.count(i + 1)} items...`) : Effect.void)),
        Stream.map(([item]) => item),
        Stream.runCollect,
        Effect.ensuring(tty.status(""))
      )
    )
    if (rows.length === 0) yield* Console.error("Nothing found.")
    else yield* Console.log(Output.table(tty.style, rows, options.columns))
    return rows.length
  })
}

/** `3h 12m` since a date. */
export const uptime = (since: Date, now: number): string => {
  const minutes = Math.max(0, Math.floor((now - since.getTime()) / 60_000))
  const h = Math.floor(minutes / 60)
  return h > 0 ? `${h}h ${minutes % 60}m` : `${minutes}m`
}
