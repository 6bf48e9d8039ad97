/**
 * All Helix services in one layer: the ergonomic ones (`Games`, `Channels`, `Streams`, `Users`),
 * one generated service per Twitch group (`Moderation`, `Chat`, `Clips`... all 30), the operation
 * runner and the `HelixClient` transport. Also pytwitcherapi's `kraken_request`: every Helix path,
 * with a caller's schema, through the same transport.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Schema from "effect/Schema"
import type { TwitchAuth } from "../auth/TwitchAuth.js"
import type { TwitchConfig } from "../TwitchConfig.js"
import type { HelixError } from "../TwitchError.js"
import * as Channels from "./Channels.js"
import * as Games from "./Games.js"
import * as Generated from "./generated/index.js"
import * as HelixClient from "./HelixClient.js"
import * as OperationRunner from "./OperationRunner.js"
import * as Streams from "./Streams.js"
import * as Users from "./Users.js"

/**
 * Options of {@link layer}: the transport's, and the operation runner's under `operations`.
 *
 * @since 0.1.0
 * @category models
 */
export type Options = HelixClient.HelixClient.Options & {
  readonly operations?: OperationRunner.OperationRunner.Options
}

/**
 * Every Helix service: `Games`, `Channels`, `Streams`, `Users`, the 30 generated group services
 * (see `Generated.services`), the `OperationRunner` and the `HelixClient` transport. Extension-JWT
 * operations also need an `ExtensionAuth` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  | Games.Games
  | Channels.Channels
  | Streams.Streams
  | Users.Users
  | Generated.Services
  | OperationRunner.OperationRunner
  | HelixClient.HelixClient,
  never,
  TwitchConfig | TwitchAuth | HttpClient.HttpClient
> => {
  const { operations, ...transport } = options
  return Layer.mergeAll(Games.layer, Channels.layer, Streams.layer, Users.layer, Generated.layer).pipe(
    Layer.provideMerge(OperationRunner.layer(operations)),
    Layer.provideMerge(HelixClient.layer(transport))
  )
}

/**
 * Any Helix endpoint, decoded with `schema` (pytwitcherapi's `kraken_request`): e.g.
 * `Helix.request("/chat/settings", MySchema, { query: { broadcaster_id } })`.
 *
 * @since 0.1.0
 * @category requests
 */
export const request = <A, I, R>(
  path: string,
  schema: Schema.Schema<A, I, R>,
  options?: HelixClient.RequestOptions
): Effect.Effect<A, HelixError, R | HelixClient.HelixClient> =>
  Effect.flatMap(HelixClient.HelixClient, (client) => client.request(path, schema, options))
