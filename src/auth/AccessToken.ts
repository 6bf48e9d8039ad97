/**
 * An OAuth access token and what Twitch told us about it. The token itself is `Redacted`: it never
 * shows up in logs, `toString` or error messages.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

/**
 * A token with its known facts. `scopes` is `None` until the token was validated (then scope checks
 * happen before any request), `Some([])` for a token with no scopes.
 *
 * @since 0.1.0
 * @category models
 */
export interface AccessToken {
  readonly value: Redacted.Redacted<string>
  /** `user` tokens act for a user, `app` tokens (client credentials) for the application only. */
  readonly kind: "user" | "app" | "unknown"
  readonly scopes: Option.Option<ReadonlyArray<string>>
  readonly userId: Option.Option<string>
  readonly login: Option.Option<string>
  readonly clientId: Option.Option<string>
  /** When Twitch said the token expires. */
  readonly expiresAt: Option.Option<Date>
  /** A refresh token, where the flow produced one. */
  readonly refreshToken: Option.Option<Redacted.Redacted<string>>
}

/**
 * Builds a token; only the value is required, the rest defaults to "unknown".
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  value: string | Redacted.Redacted<string>,
  options: {
    readonly kind?: AccessToken["kind"]
    readonly scopes?: ReadonlyArray<string>
    readonly userId?: string
    readonly login?: string
    readonly clientId?: string
    readonly expiresAt?: Date
    readonly refreshToken?: string | Redacted.Redacted<string>
  } = {}
): AccessToken => ({
  value: typeof value === "string" ? Redacted.make(value) : value,
  kind: options.kind ?? "unknown",
  scopes: Option.fromNullable(options.scopes),
  userId: Option.fromNullable(options.userId),
  login: Option.fromNullable(options.login),
  clientId: Option.fromNullable(options.clientId),
  expiresAt: Option.fromNullable(options.expiresAt),
  refreshToken: Option.map(
    Option.fromNullable(options.refreshToken),
    (t) => typeof t === "string" ? Redacted.make(t) : t
  )
})

/**
 * Whether the token is known to lack `scope` (unknown scopes count as "maybe has it").
 *
 * @since 0.1.0
 * @category predicates
 */
export const lacksScope = (token: AccessToken, scope: string): boolean =>
  Option.match(token.scopes, { onNone: () => false, onSome: (scopes) => !scopes.includes(scope) })
