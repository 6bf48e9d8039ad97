/**
 * The Streams service: a channel's live stream, filtered lists of live streams (by game, channels,
 * language, type; more than 100 channels are split over several requests), stream search, and the
 * followed streams of the logged-in user.
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
import * as Operations from "./generated/Operations.js"
import type { LiveStream } from "./LiveStream.js"
import { builtParams, builtParamsStream, OperationRunner, pageSize } from "./OperationRunner.js"

/**
 * The Streams service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Streams extends Context.Tag("effect-twitcher/Streams")<Streams, Streams.Service>() {}

/**
 * A filter for {@link Streams.Service.list}; every part is optional.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamFilter {
  readonly gameIds?: ReadonlyArray<string>
  /** Channels by login. Logins and ids mix; past 100 in all they are split over several requests. */
  readonly userLogins?: ReadonlyArray<string>
  /** Channels by user id. */
  readonly userIds?: ReadonlyArray<string>
  /** ISO 639-1 codes or `other`. */
  readonly languages?: ReadonlyArray<string>
  /** `all` (default) or `live`. */
  readonly type?: "all" | "live"
  /** `first` per request (1-100, default 100). */
  readonly pageSize?: number
}

/**
 * @since 0.1.0
 */
export declare namespace Streams {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The live stream of a channel by login (pytwitcherapi's `get_stream`); `None` when offline. */
    readonly byLogin: (login: string) => Effect.Effect<Option.Option<LiveStream>, HelixError>
    /** The live stream of a channel by user id; `None` when offline. */
    readonly byUserId: (userId: string) => Effect.Effect<Option.Option<LiveStream>, HelixError>
    /** Live streams matching the filter, most viewers first, paged lazily. */
    readonly list: (filter?: StreamFilter) => Stream.Stream<LiveStream, HelixError>
    /**
     * Live streams matching a query (Search Channels with `live_only`, then Get Streams for the
     * full stream data, 100 channels per request).
     */
    readonly search: (
      query: string,
      options?: { readonly pageSize?: number }
    ) => Stream.Stream<LiveStream, HelixError>
    /** Live streams the logged-in user follows; needs a user token with `user:read:follows`. */
    readonly followed: (options?: { readonly pageSize?: number }) => Stream.Stream<LiveStream, HelixError>
  }
}

/**
 * The scope Get Followed Streams needs.
 *
 * @since 0.1.0
 * @category constants
 */
export const followedScope = "user:read:follows"

/**
 * Builds the service over the generated operations (Get Streams, Search Channels, Get Followed
 * Streams, whose user id the runner fills in from the token).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Streams.Service, never, OperationRunner> = Effect.gen(function*() {
  const run = yield* OperationRunner
  const streamsPage = run.page(Operations.getStreams)

  const list: Streams.Service["list"] = (filter = {}) =>
    builtParamsStream(
      run.paged(Operations.getStreams)({
        userId: filter.userIds ?? [],
        userLogin: (filter.userLogins ?? []).map((l) => l.toLowerCase()),
        gameId: filter.gameIds ?? [],
        language: filter.languages ?? [],
        type: filter.type,
        first: pageSize(filter.pageSize)
      })
    )

  const one = (
    query: { readonly userLogin: ReadonlyArray<string> } | { readonly userId: ReadonlyArray<string> }
  ) => Effect.map(builtParams(streamsPage({ ...query, first: 1 })), (p) => Array.head(p.data))

  return Streams.of({
    byLogin: (login) => one({ userLogin: [login.toLowerCase()] }),
    byUserId: (userId) => one({ userId: [userId] }),
    list,
    search: (query, options = {}) =>
      builtParamsStream(
        run.paged(Operations.searchChannels)({ query, liveOnly: true, first: pageSize(options.pageSize) })
      )
        .pipe(
          Stream.filter((channel) => channel.isLive),
          Stream.grouped(100),
          Stream.mapEffect((group) =>
            builtParams(streamsPage({ userId: Array.fromIterable(group).map((c) => c.id), first: 100 }))
          ),
          Stream.flatMap((page) => Stream.fromIterable(page.data))
        ),
    followed: (options = {}) =>
      builtParamsStream(run.paged(Operations.getFollowedStreams)({ first: pageSize(options.pageSize) }))
  })
})

/**
 * The live layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Streams, never, OperationRunner> = Layer.effect(Streams, make)
