/**
 * The mock world's OAuth models: registered applications, issued tokens, device-code grants and
 * authorization codes, with the slice of the world they fill (`WorldData` in `State.ts`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A registered application. Public clients have no usable secret and cannot use the
 * authorization-code grant.
 *
 * @since 0.1.0
 * @category models
 */
export const OAuthClient = Schema.Struct({
  clientId: Schema.String,
  secret: Schema.String,
  name: Schema.String,
  redirectUris: Schema.Array(Schema.String),
  type: Schema.Literal("confidential", "public")
})

/**
 * @since 0.1.0
 * @category models
 */
export type OAuthClient = typeof OAuthClient.Type

/**
 * An issued access token. `userId` is absent for app tokens. Times are epoch milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export const Token = Schema.Struct({
  value: Schema.String,
  clientId: Schema.String,
  userId: Schema.optional(Schema.String),
  scopes: Schema.Array(Schema.String),
  issuedAt: Schema.Number,
  expiresAt: Schema.Number,
  refreshToken: Schema.optional(Schema.String),
  revoked: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type Token = typeof Token.Type

/**
 * A device-code grant in progress. Times are epoch milliseconds; `interval` is seconds.
 *
 * @since 0.1.0
 * @category models
 */
export const DeviceCode = Schema.Struct({
  deviceCode: Schema.String,
  userCode: Schema.String,
  clientId: Schema.String,
  scopes: Schema.Array(Schema.String),
  state: Schema.Literal("pending", "approved", "denied", "consumed"),
  userId: Schema.optional(Schema.String),
  issuedAt: Schema.Number,
  expiresAt: Schema.Number,
  interval: Schema.Int,
  lastPollAt: Schema.optional(Schema.Number)
})

/**
 * @since 0.1.0
 * @category models
 */
export type DeviceCode = typeof DeviceCode.Type

/**
 * An authorization code from `/oauth2/authorize?response_type=code`, usable once.
 *
 * @since 0.1.0
 * @category models
 */
export const AuthCode = Schema.Struct({
  code: Schema.String,
  clientId: Schema.String,
  userId: Schema.String,
  scopes: Schema.Array(Schema.String),
  redirectUri: Schema.String,
  expiresAt: Schema.Number,
  used: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type AuthCode = typeof AuthCode.Type

/**
 * The OAuth slice of the world: applications, tokens and grants in progress.
 *
 * @since 0.1.0
 * @category slices
 */
export const OAuthFields = {
  clients: Schema.Array(OAuthClient),
  tokens: Schema.Array(Token),
  deviceCodes: Schema.Array(DeviceCode),
  authCodes: Schema.Array(AuthCode)
}
