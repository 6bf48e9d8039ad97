/**
 * The mock world's EventSub subscriptions and conduits (with their shards), kept per client id;
 * the slice they fill. The Helix handlers here give them a plain working behaviour; a dedicated
 * EventSub module may take over their operations (see `http/helix/Router.ts`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Where a subscription's or a shard's events go.
 *
 * @since 0.1.0
 * @category models
 */
export const Transport = Schema.Struct({
  method: Schema.Literal("webhook", "websocket", "conduit"),
  callback: Schema.optional(Schema.String),
  sessionId: Schema.optional(Schema.String),
  conduitId: Schema.optional(Schema.String),
  connectedAt: Schema.optional(Schema.String),
  disconnectedAt: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Transport = typeof Transport.Type

/**
 * An EventSub subscription of a client.
 *
 * @since 0.1.0
 * @category models
 */
export const Subscription = Schema.Struct({
  id: Schema.String,
  clientId: Schema.String,
  type: Schema.String,
  version: Schema.String,
  condition: Schema.Record({ key: Schema.String, value: Schema.String }),
  transport: Transport,
  status: Schema.String,
  createdAt: Schema.String,
  cost: Schema.Int
})

/**
 * @since 0.1.0
 * @category models
 */
export type Subscription = typeof Subscription.Type

/**
 * A shard of a conduit.
 *
 * @since 0.1.0
 * @category models
 */
export const Shard = Schema.Struct({
  id: Schema.String,
  status: Schema.String,
  transport: Transport
})

/**
 * @since 0.1.0
 * @category models
 */
export type Shard = typeof Shard.Type

/**
 * A conduit of a client (an app's fan-out of subscriptions over shards).
 *
 * @since 0.1.0
 * @category models
 */
export const Conduit = Schema.Struct({
  id: Schema.String,
  clientId: Schema.String,
  shards: Schema.Array(Shard)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Conduit = typeof Conduit.Type

/**
 * The EventSub slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const EventSubFields = {
  subscriptions: Schema.Array(Subscription),
  conduits: Schema.Array(Conduit)
}
