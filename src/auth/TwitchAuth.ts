/**
 * The auth service: holds the current token in a `Ref`. Everything that calls Twitch reads the
 * token from it, so a refresh or a new login takes effect everywhere at once.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import { NotAuthorized } from "../TwitchError.js"
import * as AccessToken from "./AccessToken.js"

/**
 * The auth service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class TwitchAuth extends Context.Tag("effect-twitcher/TwitchAuth")<TwitchAuth, TwitchAuth.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace TwitchAuth {
  /**
   * What the auth service offers.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The current token; `None` when logged out or after the token failed validation. */
    readonly ref: Ref.Ref<Option.Option<AccessToken.AccessToken>>
    /** The current token, or `NotAuthorized` ("NoToken"). */
    readonly current: Effect.Effect<AccessToken.AccessToken, NotAuthorized>
    /**
     * Called when Twitch answered 401 to a request made with `stale`. Refreshes where possible
     * (concurrent callers share one refresh) and returns the token to retry with, or fails.
     */
    readonly onUnauthorized: (
      stale: AccessToken.AccessToken
    ) => Effect.Effect<AccessToken.AccessToken, NotAuthorized>
  }
}

/**
 * The current token, requiring `scope` when given: fails with `NotAuthorized` naming the scope
 * before any request is made when the token is known to lack it.
 *
 * @since 0.1.0
 * @category accessors
 */
export const tokenWithScope = (
  auth: TwitchAuth.Service,
  scope?: string
): Effect.Effect<AccessToken.AccessToken, NotAuthorized> =>
  Effect.flatMap(auth.current, (token) => {
    if (scope === undefined) return Effect.succeed(token)
    if (token.kind === "app") return Effect.fail(new NotAuthorized({ reason: "WrongTokenKind", scope }))
    if (AccessToken.lacksScope(token, scope)) {
      return Effect.fail(new NotAuthorized({ reason: "MissingScope", scope }))
    }
    return Effect.succeed(token)
  })

/**
 * Builds the service over a token `Ref`, without refresh: a 401 drops the token.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRef = (ref: Ref.Ref<Option.Option<AccessToken.AccessToken>>): TwitchAuth.Service => ({
  ref,
  current: Effect.flatMap(
    Ref.get(ref),
    Option.match({
      onNone: () => Effect.fail(new NotAuthorized({ reason: "NoToken" })),
      onSome: Effect.succeed
    })
  ),
  onUnauthorized: (stale) =>
    Effect.zipRight(
      Ref.update(ref, (current) =>
        Option.isSome(current) && current.value.value === stale.value ? Option.none() : current),
      Effect.fail(new NotAuthorized({ reason: "InvalidToken", status: 401 }))
    )
})

/**
 * A layer with a fixed token (no validation, no refresh).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStatic = (
  token: string | Redacted.Redacted<string> | AccessToken.AccessToken
): Layer.Layer<TwitchAuth> =>
  Layer.effect(
    TwitchAuth,
    Effect.map(
      Ref.make(
        Option.some(typeof token === "string" || Redacted.isRedacted(token) ? AccessToken.make(token) : token)
      ),
      fromRef
    )
  )

/**
 * A layer with no token: every call that needs one fails with `NotAuthorized`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNone: Layer.Layer<TwitchAuth> = Layer.effect(
  TwitchAuth,
  Effect.map(Ref.make(Option.none<AccessToken.AccessToken>()), fromRef)
)

/**
 * A layer reading the token from `TWITCH_TOKEN` (a `Redacted` config value); none when unset.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerEnv: Layer.Layer<TwitchAuth, ConfigError.ConfigError> = Layer.effect(
  TwitchAuth,
  Effect.gen(function*() {
    const token = yield* Config.option(Config.redacted("TWITCH_TOKEN"))
    return fromRef(yield* Ref.make(Option.map(token, (t) => AccessToken.make(t))))
  })
)
