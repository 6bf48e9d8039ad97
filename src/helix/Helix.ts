/**
 * All Helix services in one layer, and pytwitcherapi's `kraken_request` for endpoints we do not
 * wrap: every Helix path, with a caller's schema, through the same transport.
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
import * as HelixClient from "./HelixClient.js"
import * as Streams from "./Streams.js"
import * as Users from "./Users.js"

/**
 * Every Helix service (`Games`, `Channels`, `Streams`, `Users`) and the `HelixClient` transport.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: HelixClient.HelixClient.Options = {}
): Layer.Layer<
  Games.Games | Channels.Channels | Streams.Streams | Users.Users | HelixClient.HelixClient,
  never,
  TwitchConfig | TwitchAuth | HttpClient.HttpClient
> =>
  Layer.mergeAll(Games.layer, Channels.layer, Streams.layer, Users.layer).pipe(
    Layer.provideMerge(HelixClient.layer(options))
  )

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
