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
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import type { HelixError } from "../TwitchError.js"
import { Channel, ChannelInformation, ChannelSearchResult } from "./Channel.js"
import { HelixClient } from "./HelixClient.js"
import { batches } from "./internal/wire.js"
import { User } from "./User.js"

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

const Follower = Schema.Struct({ user_id: Schema.String })

/**
 * Builds the service over the Helix transport.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Channels.Service, never, HelixClient> = Effect.gen(function*() {
  const helix = yield* HelixClient
  const information: Channels.Service["information"] = (ids) =>
    ids.length === 0
      ? Effect.succeed([])
      : Effect.map(
        Effect.forEach(
          batches(ids),
          (batch) => helix.page("/channels", ChannelInformation, { query: { broadcaster_id: batch } }),
          { concurrency: 4 }
        ),
        (pages) => pages.flatMap((p) => p.data)
      )
  const join = (query: { readonly login: string } | { readonly id: string }) =>
    Effect.gen(function*() {
      const users = yield* helix.page("/users", User, { query })
      const user = Array.head(users.data)
      if (Option.isNone(user)) return Option.none<Channel>()
      const info = Array.head(yield* information([user.value.id]))
      return Option.map(info, (information) => new Channel({ user: user.value, information }))
    })
  return Channels.of({
    byLogin: (login) => join({ login: login.toLowerCase() }),
    byId: (id) => join({ id }),
    information,
    search: (query, options = {}) =>
      helix.paginate("/search/channels", ChannelSearchResult, {
        query: { query, live_only: options.liveOnly === true ? true : undefined },
        pageSize: options.pageSize ?? 100
      }),
    followerCount: (broadcasterId) =>
      Effect.map(
        // Get Channel Followers needs a user token: with an app token Twitch answers 401, which
        // would otherwise count as a rejected token (dropped or renewed).
        helix.page("/channels/followers", Follower, {
          query: { broadcaster_id: broadcasterId, first: 1 },
          userToken: true
        }),
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
export const layer: Layer.Layer<Channels, never, HelixClient> = Layer.effect(Channels, make)
