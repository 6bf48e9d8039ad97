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
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { TwitchAuth } from "../auth/TwitchAuth.js"
import { DecodeError, type HelixError } from "../TwitchError.js"
import { ChannelSearchResult } from "./Channel.js"
import { HelixClient } from "./HelixClient.js"
import { batches } from "./internal/wire.js"
import { LiveStream } from "./LiveStream.js"
import { User } from "./User.js"

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
 * Builds the service over the Helix transport and the auth service (for the token's user id).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Streams.Service, never, HelixClient | TwitchAuth> = Effect.gen(function*() {
  const helix = yield* HelixClient
  const auth = yield* TwitchAuth

  const list: Streams.Service["list"] = (filter = {}) => {
    const channels = [
      ...(filter.userIds ?? []).map((v) => ["user_id", v] as const),
      ...(filter.userLogins ?? []).map((v) => ["user_login", v.toLowerCase()] as const)
    ]
    const channelBatches = channels.length === 0 ? [[]] : batches(channels)
    const gameBatches = (filter.gameIds?.length ?? 0) === 0 ? [undefined] : batches(filter.gameIds ?? [])
    const requests = channelBatches.flatMap((batch) => gameBatches.map((games) => ({ batch, games })))
    return Stream.flatMap(
      Stream.fromIterable(requests),
      ({ batch, games }) =>
        helix.paginate("/streams", LiveStream, {
          query: {
            user_id: batch.filter(([k]) => k === "user_id").map(([, v]) => v),
            user_login: batch.filter(([k]) => k === "user_login").map(([, v]) => v),
            game_id: games,
            language: filter.languages,
            type: filter.type
          },
          pageSize: filter.pageSize ?? 100
        })
    )
  }

  const one = (query: { readonly user_login: string } | { readonly user_id: string }) =>
    Effect.map(
      helix.page("/streams", LiveStream, { query: { ...query, first: 1 } }),
      (p) => Array.head(p.data)
    )

  const tokenUserId = Effect.gen(function*() {
    const token = yield* auth.current
    if (Option.isSome(token.userId)) return token.userId.value
    const users = yield* helix.page("/users", User, { userToken: true, scope: followedScope })
    const me = Array.head(users.data)
    if (Option.isNone(me)) {
      return yield* Effect.fail(
        new DecodeError({ path: "data", detail: "Get Users returned no user for the token" })
      )
    }
    return me.value.id
  })

  return Streams.of({
    byLogin: (login) => one({ user_login: login.toLowerCase() }),
    byUserId: (userId) => one({ user_id: userId }),
    list,
    search: (query, options = {}) =>
      helix.paginate("/search/channels", ChannelSearchResult, {
        query: { query, live_only: true },
        pageSize: options.pageSize ?? 100
      }).pipe(
        Stream.filter((channel) => channel.isLive),
        Stream.grouped(100),
        Stream.mapEffect((group) =>
          helix.page("/streams", LiveStream, {
            query: { user_id: Array.fromIterable(group).map((c) => c.id), first: 100 }
          })
        ),
        Stream.flatMap((page) => Stream.fromIterable(page.data))
      ),
    followed: (options = {}) =>
      Stream.unwrap(
        Effect.map(tokenUserId, (userId) =>
          helix.paginate("/streams/followed", LiveStream, {
            query: { user_id: userId },
            scope: followedScope,
            userToken: true,
            pageSize: options.pageSize ?? 100
          }))
      )
  })
})

/**
 * The live layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Streams, never, HelixClient | TwitchAuth> = Layer.effect(Streams, make)
