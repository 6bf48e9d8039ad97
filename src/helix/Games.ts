/**
 * The Games service: top games, games by name or id, category search (with pytwitcherapi's `live`
 * filter emulated) and a game's viewer and channel totals.
 *
 * @since 0.1.0
 */
import * as Array from "effect/Array"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { HelixError } from "../TwitchError.js"
import { Category, Game, type GameViewers } from "./Game.js"
import { HelixClient } from "./HelixClient.js"
import { batches } from "./internal/wire.js"
import { LiveStream } from "./LiveStream.js"

/**
 * The Games service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Games extends Context.Tag("effect-twitcher/Games")<Games, Games.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Games {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Games by current viewers, most watched first, paged lazily. */
    readonly top: (options?: { readonly pageSize?: number }) => Stream.Stream<Game, HelixError>
    /** One game by its exact name (pytwitcherapi's `get_game(name)`). */
    readonly byName: (name: string) => Effect.Effect<Option.Option<Game>, HelixError>
    /** One game by id. */
    readonly byId: (id: string) => Effect.Effect<Option.Option<Game>, HelixError>
    /** Games by ids, exact names and/or IGDB ids, batched by 100. */
    readonly list: (query: {
      readonly ids?: ReadonlyArray<string>
      readonly names?: ReadonlyArray<string>
      readonly igdbIds?: ReadonlyArray<string>
    }) => Effect.Effect<ReadonlyArray<Game>, HelixError>
    /**
     * Categories whose name contains every part of `query`. `live: true` keeps only categories with
     * at least one live stream (one Get Streams request per category, as Helix has no such filter).
     */
    readonly search: (
      query: string,
      options?: { readonly live?: boolean; readonly pageSize?: number }
    ) => Stream.Stream<Category, HelixError>
    /**
     * Total viewers and live channels of a game (pytwitcherapi's `fetch_viewers`), summed over all
     * its live streams: one request per 100 streams.
     */
    readonly viewers: (game: string | Game) => Effect.Effect<GameViewers, HelixError>
  }
}

/**
 * Builds the service over the Helix transport.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Games.Service, never, HelixClient> = Effect.gen(function*() {
  const helix = yield* HelixClient
  const list: Games.Service["list"] = ({ ids = [], igdbIds = [], names = [] }) => {
    const keys = [
      ...ids.map((v) => ["id", v] as const),
      ...names.map((v) => ["name", v] as const),
      ...igdbIds.map((v) => ["igdb_id", v] as const)
    ]
    if (keys.length === 0) return Effect.succeed([])
    return Effect.map(
      Effect.forEach(batches(keys), (batch) => {
        const pick = (key: string) => batch.filter(([k]) => k === key).map(([, v]) => v)
        return helix.page("/games", Game, {
          query: { id: pick("id"), name: pick("name"), igdb_id: pick("igdb_id") }
        })
      }, { concurrency: 4 }),
      (pages) => pages.flatMap((p) => p.data)
    )
  }
  const hasLiveStream = (category: Category) =>
    Effect.map(
      helix.page("/streams", LiveStream, { query: { game_id: category.id, first: 1 } }),
      (p) => p.data.length > 0
    )
  return Games.of({
    top: (options = {}) => helix.paginate("/games/top", Game, { pageSize: options.pageSize ?? 100 }),
    byName: (name) => Effect.map(list({ names: [name] }), Array.head),
    byId: (id) => Effect.map(list({ ids: [id] }), Array.head),
    list,
    search: (query, options = {}) => {
      const found = helix.paginate("/search/categories", Category, {
        query: { query },
        pageSize: options.pageSize ?? 100
      })
      return options.live === true ? Stream.filterEffect(found, hasLiveStream) : found
    },
    viewers: (game) => {
      const gameId = typeof game === "string" ? game : game.id
      return helix.paginate("/streams", LiveStream, { query: { game_id: gameId }, pageSize: 100 }).pipe(
        Stream.runFold(
          { gameId, viewers: 0, channels: 0, seen: new Set<string>() },
          (acc, stream) => {
            // Twitch's list shifts while paging: count a stream once even if a page repeats it.
            if (acc.seen.has(stream.id)) return acc
            acc.seen.add(stream.id)
            return { ...acc, viewers: acc.viewers + stream.viewerCount, channels: acc.channels + 1 }
          }
        ),
        Effect.map(({ channels, viewers }) => ({ gameId, viewers, channels }))
      )
    }
  })
})

/**
 * The live layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Games, never, HelixClient> = Layer.effect(Games, make)
