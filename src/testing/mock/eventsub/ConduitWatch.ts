/**
 * What follows the conduit store's changes: a shard that stops being enabled (its session ended,
 * its callback failed) is announced as `conduit.shard.disabled` to the subscriptions of that type
 * whose condition names the conduit's client (and the conduit, when it names one); a conduit that
 * has had no enabled shard for 72 hours is deleted with its subscriptions. Both run in the server's
 * scope on its `Clock` (a `TestClock` moves the deadline).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import { dropSubscriptions } from "./ConduitOperations.js"
import * as ConduitStore from "./ConduitStore.js"
import * as Delivery from "./Delivery.js"
import { type Conduit, type Env, modifyConduits, type Shard } from "./State.js"

type Conduits = ReadonlyMap<string, Conduit>

/** The shards enabled in `before` and no longer enabled in `after` (same conduit, same id). */
const newlyDisabled = (
  before: Conduits,
  after: Conduits
): ReadonlyArray<{ readonly conduit: Conduit; readonly shard: Shard }> => {
  const found: Array<{ readonly conduit: Conduit; readonly shard: Shard }> = []
  for (const [id, conduit] of after) {
    const previous = before.get(id)
    if (previous === undefined || previous === conduit) continue
    for (const shard of conduit.shards) {
      const was = previous.shards[Number(shard.id)]
      if (was !== undefined && ConduitStore.isEnabled(was) && !ConduitStore.isEnabled(shard)) {
        found.push({ conduit, shard })
      }
    }
  }
  return found
}

/**
 * The `conduit.shard.disabled` emission of one shard.
 *
 * @since 0.1.0
 * @category watch
 */
export const disabledEmission = (conduit: Conduit, shard: Shard): Delivery.Emission => ({
  type: "conduit.shard.disabled",
  condition: { client_id: conduit.clientId, conduit_id: conduit.id },
  event: {
    conduit_id: conduit.id,
    shard_id: shard.id,
    status: shard.status,
    transport: ConduitStore.transportJson(shard)
  }
})

const announce = (env: Env) =>
  env.state.conduits.changes.pipe(
    Stream.zipWithPrevious,
    Stream.runForEach(([before, after]) =>
      Option.match(before, {
        onNone: () => Effect.void,
        onSome: (previous) =>
          Effect.forEach(
            newlyDisabled(previous, after),
            ({ conduit, shard }) => Delivery.emit(env, disabledEmission(conduit, shard)),
            { discard: true }
          )
      })
    )
  )

/** Deletes the conduits past their deadline, with their subscriptions. */
const sweep = (env: Env, now: number) =>
  Effect.gen(function*() {
    const gone = yield* modifyConduits(env, (all) => {
      const expired = ConduitStore.expired(all, now)
      if (expired.length === 0) return [expired, all] as const
      const next = new Map(all)
      for (const conduit of expired) next.delete(conduit.id)
      return [expired, next] as const
    })
    yield* Effect.forEach(gone, (conduit) => dropSubscriptions(env, conduit.id), { discard: true })
  })

/** Sleeps until the nearest deadline (or until a change brings one), then sweeps; forever. */
const reap = (env: Env) =>
  Effect.gen(function*() {
    for (;;) {
      const next = ConduitStore.nextDeadline(yield* SubscriptionRef.get(env.state.conduits))
      if (next === undefined) {
        yield* Stream.runDrain(
          Stream.takeUntil(env.state.conduits.changes, (all) => ConduitStore.nextDeadline(all) !== undefined)
        )
        continue
      }
      const now = yield* Clock.currentTimeMillis
      // Deadlines only move later (a new one is always now + 72 h): sleeping until this one is safe.
      if (now < next) yield* Effect.sleep(next - now)
      else yield* sweep(env, now)
    }
  })

/**
 * Starts both followers for the life of the scope.
 *
 * @since 0.1.0
 * @category watch
 */
export const follow = (env: Env): Effect.Effect<void, never, Scope.Scope> =>
  Effect.asVoid(Effect.all([Effect.forkScoped(announce(env)), Effect.forkScoped(reap(env))]))
