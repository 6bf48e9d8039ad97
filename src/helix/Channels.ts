/**
 * The Channels service: a channel by login or id (user and channel information joined, as
 * pytwitcherapi's `get_channel`), channel information in batches, channel search and follower
 * totals.
 *
 * @since 0.1.0
 */
import * as Array from "effect/Array"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import type { HelixError } from "../TwitchError.js"
import { Channel, type ChannelInformation, type ChannelSearchResult } from "./Channel.js"
import * as Operations from "./generated/Operations.js"
import { builtParams, builtParamsStream, OperationRunner, pageSize } from "./OperationRunner.js"

/**
 * The Channels service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Channels extends Context.Tag("effect-twitcher/Channels")<Channels, Channels.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Channels {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** A channel by login: Get Users, then Get Channel Information, joined. */
    readonly byLogin: (login: string) => Effect.Effect<Option.Option<Channel>, HelixError>
    /** A channel by broadcaster id. */
    readonly byId: (id: string) => Effect.Effect<Option.Option<Channel>, HelixError>
    /** Channel information of many broadcasters, batched by 100. */
    readonly information: (
      broadcasterIds: ReadonlyArray<string>
    ) => Effect.Effect<ReadonlyArray<ChannelInformation>, HelixError>
    /**
     * Channels that streamed in the last 6 months whose login starts with `query`; with
     * `liveOnly`, live channels whose name or category matches.
     */
    readonly search: (
      query: string,
      options?: { readonly liveOnly?: boolean; readonly pageSize?: number }
    ) => Stream.Stream<ChannelSearchResult, HelixError>
    /**
     * How many users follow the channel (Get Channel Followers `total`). Needs a user token: an app
     * token fails with `NotAuthorized` ("WrongTokenKind") before any request.
     */
    readonly followerCount: (broadcasterId: string) => Effect.Effect<number, HelixError>
  }
}

/**
 * Builds the service over the generated operations (Get Users, Get Channel Information, Search
 * Channels, Get Channel Followers).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Channels.Service, never, OperationRunner> = Effect.gen(function*() {
  const run = yield* OperationRunner
  const getUsers = run.items(Operations.getUsers)
  const getInformation = run.items(Operations.getChannelInformation)
  // Twitch answers the follower total to any user token; moderator:read:followers only unlocks
  // the list itself, which followerCount does not read.
  const followers = run.page({ ...Operations.getChannelFollowers, scopes: [] })
  const information: Channels.Service["information"] = (ids) =>
    ids.length === 0 ? Effect.succeed([]) : builtParams(getInformation({ broadcasterId: ids }))
  const join = (query: { readonly login: ReadonlyArray<string> } | { readonly id: ReadonlyArray<string> }) =>
    Effect.gen(function*() {
      const user = Array.head(yield* builtParams(getUsers(query)))
      if (Option.isNone(user)) return Option.none<Channel>()
      const info = Array.head(yield* information([user.value.id]))
      return Option.map(info, (information) => new Channel({ user: user.value, information }))
    })
  return Channels.of({
    byLogin: (login) => join({ login: [login.toLowerCase()] }),
    byId: (id) => join({ id: [id] }),
    information,
    search: (query, options = {}) =>
      builtParamsStream(
        run.paged(Operations.searchChannels)({
          query,
          liveOnly: options.liveOnly === true ? true : undefined,
          first: pageSize(options.pageSize)
        })
      ),
    followerCount: (broadcasterId) =>
      Effect.map(
        builtParams(followers({ broadcasterId, first: 1 })),
        (p) => Option.getOrElse(p.total, () => p.data.length)
      )
  })
})

/**
 * The live layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Channels, never, OperationRunner> = Layer.effect(Channels, make)
