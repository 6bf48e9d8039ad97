/**
 * "Real Twitch if the environment says so, else the built-in mock": the config and auth layers an
 * example, a CLI or an app's dev mode wants. With `TWITCH_CLIENT_ID` and `TWITCH_TOKEN` set, the
 * config comes from the environment and the token is validated at start and hourly; otherwise a
 * mock Twitch starts for the layer's lifetime and its ready user token is used.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TwitchAuth from "../auth/TwitchAuth.js"
import * as TwitchConfig from "../TwitchConfig.js"
import * as MockTwitch from "./MockTwitch.js"

/**
 * Where the layer points.
 *
 * @since 0.1.0
 * @category models
 */
export type Target = "twitch" | "mock"

/**
 * `twitch` when both `TWITCH_CLIENT_ID` (or `PYTWITCHER_CLIENT_ID`) and `TWITCH_TOKEN` are set.
 *
 * @since 0.1.0
 * @category configs
 */
export const target: Config.Config<Target> = Config.map(
  Config.all([
    Config.option(
      Config.string("TWITCH_CLIENT_ID").pipe(Config.orElse(() => Config.string("PYTWITCHER_CLIENT_ID")))
    ),
    Config.option(Config.string("TWITCH_TOKEN"))
  ]),
  ([clientId, token]): Target => (Option.isSome(clientId) && Option.isSome(token) ? "twitch" : "mock")
)

/**
 * Options: the mock's options, and which mock token to use (`user` by default, or `app`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly mock?: MockTwitch.Options
  readonly mockToken?: "user" | "app"
}

/**
 * `TwitchConfig` and `TwitchAuth` for real Twitch or the mock, per {@link target}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<
  TwitchConfig.TwitchConfig | TwitchAuth.TwitchAuth,
  ConfigError.ConfigError | Error,
  HttpClient.HttpClient
> =>
  Layer.unwrapEffect(
    Effect.map(target, (where): Layer.Layer<
      TwitchConfig.TwitchConfig | TwitchAuth.TwitchAuth,
      ConfigError.ConfigError | Error,
      HttpClient.HttpClient
    > =>
      where === "twitch"
        ? TwitchAuth.layerEnvValidated().pipe(Layer.provideMerge(TwitchConfig.layerFromEnv))
        : TwitchAuth.layerValidated(
          options.mockToken === "app" ? MockTwitch.credentials.appToken : MockTwitch.credentials.userToken
        ).pipe(
          Layer.provideMerge(MockTwitch.layerTwitchConfig),
          Layer.provide(MockTwitch.layer(options.mock ?? {}))
        ))
  )
