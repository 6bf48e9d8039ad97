/**
 * The mock world's extensions and what developers do with them: the extensions (id = their client
 * id), their JWT secrets, configuration segments, Bits products and transactions, the extensions
 * users installed, and drops entitlements; the slice they fill.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * An extension. Its `id` is also the client id its calls carry.
 *
 * @since 0.1.0
 * @category models
 */
export const Extension = Schema.Struct({
  id: Schema.String,
  ownerId: Schema.String,
  name: Schema.String,
  version: Schema.String,
  description: Schema.String,
  bitsEnabled: Schema.Boolean,
  hasChatSupport: Schema.Boolean,
  /** The slots it can fill. */
  types: Schema.Array(Schema.Literal("component", "mobile", "overlay", "panel")),
  /** `Set Extension Required Configuration`'s string, per broadcaster id. */
  requiredConfigurations: Schema.Record({ key: Schema.String, value: Schema.String })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Extension = typeof Extension.Type

/**
 * One JWT secret of an extension: base64, valid from `activeAt` until `expiresAt` (RFC3339).
 *
 * @since 0.1.0
 * @category models
 */
export const ExtensionSecret = Schema.Struct({
  extensionId: Schema.String,
  content: Schema.String,
  activeAt: Schema.String,
  expiresAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ExtensionSecret = typeof ExtensionSecret.Type

/**
 * A configuration segment. `broadcasterId` is `""` for the global and developer segments' global
 * value.
 *
 * @since 0.1.0
 * @category models
 */
export const ExtensionConfiguration = Schema.Struct({
  extensionId: Schema.String,
  segment: Schema.Literal("broadcaster", "developer", "global"),
  broadcasterId: Schema.String,
  content: Schema.String,
  version: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ExtensionConfiguration = typeof ExtensionConfiguration.Type

/**
 * A Bits product of an extension. `expiration` is RFC3339 or `""`.
 *
 * @since 0.1.0
 * @category models
 */
export const BitsProduct = Schema.Struct({
  extensionId: Schema.String,
  sku: Schema.String,
  cost: Schema.Int,
  displayName: Schema.String,
  inDevelopment: Schema.Boolean,
  expiration: Schema.String,
  isBroadcast: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type BitsProduct = typeof BitsProduct.Type

/**
 * A Bits purchase in an extension.
 *
 * @since 0.1.0
 * @category models
 */
export const ExtensionTransaction = Schema.Struct({
  id: Schema.String,
  extensionId: Schema.String,
  timestamp: Schema.String,
  broadcasterId: Schema.String,
  userId: Schema.String,
  sku: Schema.String,
  cost: Schema.Int,
  displayName: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ExtensionTransaction = typeof ExtensionTransaction.Type

/**
 * An extension a user activated in a slot (`panel` 1-3, `overlay` 1, `component` 1-2).
 *
 * @since 0.1.0
 * @category models
 */
export const ActiveExtension = Schema.Struct({
  userId: Schema.String,
  type: Schema.Literal("panel", "overlay", "component"),
  slot: Schema.String,
  extensionId: Schema.String,
  x: Schema.optional(Schema.Int),
  y: Schema.optional(Schema.Int)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ActiveExtension = typeof ActiveExtension.Type

/**
 * A drops entitlement a user earned in a game.
 *
 * @since 0.1.0
 * @category models
 */
export const DropsEntitlement = Schema.Struct({
  id: Schema.String,
  benefitId: Schema.String,
  timestamp: Schema.String,
  userId: Schema.String,
  gameId: Schema.String,
  fulfillmentStatus: Schema.Literal("CLAIMED", "FULFILLED"),
  lastUpdated: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type DropsEntitlement = typeof DropsEntitlement.Type

/**
 * The extensions' slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const ExtensionFields = {
  extensions: Schema.Array(Extension),
  extensionSecrets: Schema.Array(ExtensionSecret),
  extensionConfigurations: Schema.Array(ExtensionConfiguration),
  bitsProducts: Schema.Array(BitsProduct),
  extensionTransactions: Schema.Array(ExtensionTransaction),
  activeExtensions: Schema.Array(ActiveExtension),
  entitlements: Schema.Array(DropsEntitlement)
}
