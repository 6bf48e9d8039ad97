/**
 * The world's state container: one `Ref` of {@link WorldState} and the `PubSub` of
 * {@link WorldEvent}s, with the helpers every area's operations are built from. An operation is a
 * pure {@link Transition} (state and "now" in, result and next state out, or a `WorldError`) run
 * atomically by {@link Store.transition}; the state only changes when it succeeds.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as PubSub from "effect/PubSub"
import * as Ref from "effect/Ref"
import type { WorldEvent } from "./Events.js"
import type { User } from "./Models.js"
import type { OAuthClient } from "./OAuthModels.js"
import { randomString, randomUuid } from "./Random.js"
import type { WorldData, WorldState } from "./State.js"
import { WorldError } from "./WorldError.js"

/**
 * A pure step of the world: the result and the next state, or why it failed. `now` is epoch
 * milliseconds from the `Clock`.
 *
 * @since 0.1.0
 * @category models
 */
export type Transition<A> = (s: WorldState, now: number) => readonly [A, WorldState] | WorldError

/**
 * A pure step of the world that cannot fail: the result and the next state.
 *
 * @since 0.1.0
 * @category models
 */
export type Step<A> = (s: WorldState, now: number) => readonly [A, WorldState]

/**
 * The state and events of one world, shared by every area's operations.
 *
 * @since 0.1.0
 * @category models
 */
export interface Store {
  readonly ref: Ref.Ref<WorldState>
  readonly events: PubSub.PubSub<WorldEvent>
  /** The whole current state. */
  readonly get: Effect.Effect<WorldState>
  /** A value read from the current state. */
  readonly read: <A>(f: (s: WorldState) => A) => Effect.Effect<A>
  readonly publish: (event: WorldEvent) => Effect.Effect<boolean>
  /** Runs a transition atomically; the state only changes on success. */
  readonly transition: <A>(f: Transition<A>) => Effect.Effect<A, WorldError>
  /** Runs a step that cannot fail atomically. */
  readonly update: <A>(f: Step<A>) => Effect.Effect<A>
}

/**
 * A store holding `initial`, with an unbounded event hub.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (initial: WorldState): Effect.Effect<Store> =>
  Effect.gen(function*() {
    const ref = yield* Ref.make(initial)
    const events = yield* PubSub.unbounded<WorldEvent>()
    const get = Ref.get(ref)
    const update = <A>(f: Step<A>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.modify(ref, (s) => f(s, now)))
    return {
      update,
      ref,
      events,
      get,
      read: (f) => Effect.map(get, f),
      publish: (event) => PubSub.publish(events, event),
      transition: <A>(f: Transition<A>) =>
        Effect.flatMap(
          Clock.currentTimeMillis,
          (now) =>
            Effect.flatten(Ref.modify(ref, (s): readonly [Effect.Effect<A, WorldError>, WorldState] => {
              const result = f(s, now)
              return result instanceof WorldError
                ? [Effect.fail(result), s]
                : [Effect.succeed(result[0]), result[1]]
            }))
        )
    }
  })

/**
 * A random string drawn from the world's generator, and the state with the generator advanced.
 *
 * @since 0.1.0
 * @category utils
 */
export const newString = (s: WorldState, length: number, alphabet: string): readonly [string, WorldState] => {
  const [value, rng] = randomString(s.rng, length, alphabet)
  return [value, { ...s, rng }]
}

/**
 * A UUID drawn from the world's generator (poll, reward, redemption ids...), and the state with the
 * generator advanced.
 *
 * @since 0.1.0
 * @category utils
 */
export const newUuid = (s: WorldState): readonly [string, WorldState] => {
  const [value, rng] = randomUuid(s.rng)
  return [value, { ...s, rng }]
}

/**
 * The user with an id.
 *
 * @since 0.1.0
 * @category utils
 */
export const findUser = (s: WorldData, id: string): User | undefined => s.users.find((u) => u.id === id)

/**
 * The application with a client id.
 *
 * @since 0.1.0
 * @category utils
 */
export const findClient = (s: WorldData, clientId: string): OAuthClient | undefined =>
  s.clients.find((c) => c.clientId === clientId)
