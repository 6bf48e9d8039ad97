/**
 * Logs a source that fails once when it starts failing (a warning) and once when it answers again
 * (info), however many reads see it meanwhile: a provider down for an hour is two log lines, not
 * one per chat message.
 *
 * @since 0.1.0
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"

/**
 * Notes the outcome of one read of `key`: a failure message, or `undefined` for success.
 *
 * @since 0.1.0
 * @internal
 */
export type Note = (key: string, failure: string | undefined) => Effect.Effect<void>

/**
 * A fresh log.
 *
 * @since 0.1.0
 * @internal
 */
export const make: Effect.Effect<Note> = Effect.map(
  Ref.make<ReadonlySet<string>>(new Set()),
  (failing) => (key, failure) =>
    Effect.flatMap(
      Ref.modify(failing, (now): readonly [boolean, ReadonlySet<string>] => {
        if ((failure !== undefined) === now.has(key)) return [false, now]
        const next = new Set(now)
        if (failure === undefined) next.delete(key)
        else next.add(key)
        return [true, next]
      }),
      (changed) =>
        !changed
          ? Effect.void
          : failure === undefined
          ? Effect.logInfo(`emotes: ${key} answers again`)
          : Effect.logWarning(`emotes: ${key}: ${failure}`)
    )
)

/**
 * Remembers the last value computed from some inputs per key, and computes again only when an
 * input is not the same object as before (the caches hand out the same object until they refresh).
 *
 * @since 0.1.0
 * @internal
 */
export const memo = <A>() => {
  const last = new Map<string, { readonly inputs: ReadonlyArray<unknown>; readonly value: A }>()
  return (key: string, inputs: ReadonlyArray<unknown>, compute: () => A): A => {
    const seen = last.get(key)
    if (
      seen !== undefined && seen.inputs.length === inputs.length &&
      seen.inputs.every((x, i) => x === inputs[i])
    ) {
      return seen.value
    }
    const value = compute()
    last.set(key, { inputs, value })
    return value
  }
}
