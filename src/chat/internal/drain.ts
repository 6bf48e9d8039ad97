/**
 * Draining a stream with `Stream.toPull` (the work behind `ChatClient.forEachChunk` and
 * `forEachMessage`, and how our own code drains chat streams): one pull, then the handler, then
 * the next pull, in a `whileLoop` (no `yieldNow` per chunk as `Effect.forever` would add; the
 * runtime still yields every 2048 ops). Not `Stream.runForEachChunk`: its sink runs each chunk's
 * effect through `Channel.fromEffect`, whose closure makes V8 promote every chunk it hands over.
 */
import type * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/** Runs `f` on every chunk of `self`, pulling the next one once `f` is done; ends with the stream. */
export const forEachChunk = <A, E, R, E2, R2>(
  self: Stream.Stream<A, E, R>,
  f: (chunk: Chunk.Chunk<A>) => Effect.Effect<unknown, E2, R2>
): Effect.Effect<void, E | E2, R | R2> =>
  Effect.scoped(Effect.flatMap(Stream.toPull(self), (pull) => {
    let open = true
    // the pull fails with None at the end of the stream and with Some(error) when it fails
    const ended = (error: Option.Option<E>): Effect.Effect<void, E> => {
      if (error._tag === "Some") return Effect.fail(error.value)
      open = false
      return Effect.void
    }
    const step = Effect.matchEffect(pull, { onFailure: ended, onSuccess: f })
    return Effect.whileLoop({ while: () => open, body: () => step, step: () => {} })
  }))

/** Runs `f` on every element of `self`, in order, one at a time. */
export const forEachMessage = <A, E, R, E2, R2>(
  self: Stream.Stream<A, E, R>,
  f: (message: A) => Effect.Effect<unknown, E2, R2>
): Effect.Effect<void, E | E2, R | R2> =>
  forEachChunk(self, (chunk) => Effect.forEach(chunk, f, { discard: true }))
