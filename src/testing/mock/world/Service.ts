/**
 * The world service: one {@link Store} shared by every area's operations (catalog, chat, OAuth,
 * moderation, messaging, channel points, polls, schedules, media, Guest Star, broadcasting,
 * extensions, EventSub), joined into {@link World.Service}. A new area adds its operations here (see
 * `src/testing/mock/README.md`).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as PubSub from "effect/PubSub"
import * as Broadcast from "./Broadcast.js"
import * as Catalog from "./Catalog.js"
import * as Chat from "./Chat.js"
import * as Community from "./Community.js"
import { defaultSeed } from "./Credentials.js"
import { defaultWorldData, type DefaultWorldOptions } from "./DefaultWorld.js"
import type { WorldEvent } from "./Events.js"
import * as EventSub from "./EventSub.js"
import * as Extensions from "./Extensions.js"
import * as Media from "./Media.js"
import * as Messaging from "./Messaging.js"
import * as Moderation from "./Moderation.js"
import * as OAuth from "./OAuth.js"
import * as Polls from "./Polls.js"
import * as Rewards from "./Rewards.js"
import * as Schedule from "./Schedule.js"
import type { WorldData, WorldState } from "./State.js"
import * as Store from "./Store.js"

/**
 * The world's service: lookups, additions and the OAuth state machine.
 *
 * @since 0.1.0
 * @category tags
 */
export class World extends Context.Tag("effect-twitcher/testing/MockWorld")<World, World.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace World {
  /**
   * Every area's operations over one world.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service
    extends
      Catalog.Service,
      Chat.Service,
      OAuth.Service,
      Moderation.Service,
      Messaging.Service,
      Rewards.Service,
      Polls.Service,
      Schedule.Service,
      Media.Service,
      Community.Service,
      Broadcast.Service,
      Extensions.Service,
      EventSub.Service
  {
    /** The seed the world was built from. */
    readonly seed: number
    /** The whole current state. */
    readonly snapshot: Effect.Effect<WorldState>
    /** Changes, for surfaces that push (IRC). Subscribe with `PubSub.subscribe`. */
    readonly events: PubSub.PubSub<WorldEvent>
  }
}

/**
 * Options of {@link make}: a seed for the default world, or explicit data (e.g. decoded from a JSON
 * file with `WorldData`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends DefaultWorldOptions {
  readonly data?: WorldData
}

/**
 * Builds a world service; "now" is read from the `Clock`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<World.Service> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const seed = options.seed ?? defaultSeed
    const initial: WorldState = options.data === undefined
      ? defaultWorldData(now, options)
      : { ...options.data, rng: seed | 0 }
    const store = yield* Store.make(initial)
    return {
      seed,
      snapshot: store.get,
      events: store.events,
      ...Catalog.make(store),
      ...Chat.make(store),
      ...OAuth.make(store),
      ...Moderation.make(store),
      ...Messaging.make(store),
      ...Rewards.make(store),
      ...Polls.make(store),
      ...Schedule.make(store),
      ...Media.make(store),
      ...Community.make(store),
      ...Broadcast.make(store),
      ...Extensions.make(store),
      ...EventSub.make(store)
    }
  })

/**
 * A layer with a fresh world.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<World> => Layer.effect(World, make(options))
