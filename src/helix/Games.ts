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
import type { Category, Game, GameViewers } from "./Game.js"
import * as Operations from "./generated/Operations.js"
import { builtParams, builtParamsStream, OperationRunner, pageSize } from "./OperationRunner.js"

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
 * Builds the service over the generated operations (Get Games, Get Top Games, Search Categories,
 * Get Streams).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Games.Service, never, OperationRunner> = Effect.gen(function*() {
  const run = yield* OperationRunner
  const getGames = run.items(Operations.getGames)
  const streamsPage = run.page(Operations.getStreams)
  const list: Games.Service["list"] = ({ ids = [], igdbIds = [], names = [] }) =>
    ids.length + names.length + igdbIds.length === 0
      ? Effect.succeed([])
      : builtParams(getGames({ id: ids, name: names, igdbId: igdbIds }))
  const hasLiveStream = (category: Category) =>
    Effect.map(builtParams(streamsPage({ gameId: [category.id], first: 1 })), (p) => p.data.length > 0)
  return Games.of({
    top: (options = {}) =>
      builtParamsStream(run.paged(Operations.getTopGames)({ first: pageSize(options.pageSize) })),
    byName: (name) => Effect.map(list({ names: [name] }), Array.head),
    byId: (id) => Effect.map(list({ ids: [id] }), Array.head),
    list,
    search: (query, options = {}) => {
      const found = builtParamsStream(
        run.paged(Operations.searchCategories)({ query, first: pageSize(options.pageSize) })
      )
      return options.live === true ? Stream.filterEffect(found, hasLiveStream) : found
    },
    viewers: (game) => {
      const gameId = typeof game === "string" ? game : game.id
      return builtParamsStream(run.paged(Operations.getStreams)({ gameId: [gameId], first: 100 })).pipe(
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
export const layer: Layer.Layer<Games, never, OperationRunner> = Layer.effect(Games, make)
