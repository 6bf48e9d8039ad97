/**
 * Where the third-party emote services live and which are on: the BTTV, FFZ and 7TV API base URLs
 * (overridable, which is how the mock Twitch plugs in), a switch per provider, and how long an
 * answer is kept before it is asked again.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type { Provider } from "./ThirdPartyEmote.js"

/**
 * The production endpoints.
 *
 * @since 0.1.0
 * @category constants
 */
export const productionUrls = {
  bttvApiUrl: "https://api.betterttv.net/3",
  bttvCdnUrl: "https://cdn.betterttv.net",
  ffzApiUrl: "https://api.frankerfacez.com/v1",
  sevenTvApiUrl: "https://7tv.io/v3"
} as const

/**
 * The config service.
 *
 * @since 0.1.0
 * @category tags
 */
export class EmotesConfig extends Context.Tag("effect-twitcher/emotes/EmotesConfig")<
  EmotesConfig,
  EmotesConfig.Service
>() {}

/**
 * @since 0.1.0
 */
export declare namespace EmotesConfig {
  /**
   * What the config holds.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** BTTV API up to and including `/3` (its `/cached/...` answers). */
    readonly bttvApiUrl: string
    /** BTTV picture CDN (`<cdn>/emote/<id>/<1x|2x|3x>`). */
    readonly bttvCdnUrl: string
    /** FFZ API up to and including `/v1`. */
    readonly ffzApiUrl: string
    /** Read FFZ emotes from FFZ itself, or from BTTV's cache of them (`/cached/frankerfacez/...`). */
    readonly ffzSource: "frankerfacez" | "betterttv"
    /** 7TV API up to and including `/v3`. */
    readonly sevenTvApiUrl: string
    /** Which providers are asked (all by default). */
    readonly enabled: Readonly<Record<Provider, boolean>>
    /** How long an answer is used before it is asked again (default 10 minutes). */
    readonly ttl: Duration.Duration
    /** How long a failure is remembered before the next try (default 30 seconds). */
    readonly failureTtl: Duration.Duration
    /** Time limit of one request (default 10 seconds). */
    readonly timeout: Duration.Duration
  }

  /**
   * Options of {@link make}: everything optional.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Options {
    readonly bttvApiUrl?: string | undefined
    readonly bttvCdnUrl?: string | undefined
    readonly ffzApiUrl?: string | undefined
    readonly ffzSource?: "frankerfacez" | "betterttv" | undefined
    readonly sevenTvApiUrl?: string | undefined
    readonly enabled?: Partial<Record<Provider, boolean>> | undefined
    readonly ttl?: Duration.DurationInput | undefined
    readonly failureTtl?: Duration.DurationInput | undefined
    readonly timeout?: Duration.DurationInput | undefined
  }
}

const trimSlash = (url: string): string => url.replace(/\/+$/, "")

/**
 * A config from options, production defaults for the rest.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: EmotesConfig.Options = {}): EmotesConfig.Service => ({
  bttvApiUrl: trimSlash(options.bttvApiUrl ?? productionUrls.bttvApiUrl),
  bttvCdnUrl: trimSlash(options.bttvCdnUrl ?? productionUrls.bttvCdnUrl),
  ffzApiUrl: trimSlash(options.ffzApiUrl ?? productionUrls.ffzApiUrl),
  ffzSource: options.ffzSource ?? "frankerfacez",
  sevenTvApiUrl: trimSlash(options.sevenTvApiUrl ?? productionUrls.sevenTvApiUrl),
  enabled: {
    bttv: options.enabled?.bttv ?? true,
    ffz: options.enabled?.ffz ?? true,
    "7tv": options.enabled?.["7tv"] ?? true
  },
  ttl: Duration.decode(options.ttl ?? "10 minutes"),
  failureTtl: Duration.decode(options.failureTtl ?? "30 seconds"),
  timeout: Duration.decode(options.timeout ?? "10 seconds")
})

/**
 * A layer from options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: EmotesConfig.Options = {}): Layer.Layer<EmotesConfig> =>
  Layer.succeed(EmotesConfig, make(options))

const optional = <A>(config: Config.Config<A>) => Config.map(Config.option(config), Option.getOrUndefined)

/**
 * The config from the environment: `TWITCHER_BTTV_API_URL`, `TWITCHER_BTTV_CDN_URL`,
 * `TWITCHER_FFZ_API_URL`, `TWITCHER_FFZ_SOURCE` (`frankerfacez` or `betterttv`),
 * `TWITCHER_7TV_API_URL`, and `TWITCHER_EMOTE_PROVIDERS` (a comma list of the providers to ask,
 * e.g. `bttv,7tv`; `none` for none), all optional.
 *
 * @since 0.1.0
 * @category configs
 */
export const fromEnv: Config.Config<EmotesConfig.Service> = Config.all({
  bttvApiUrl: optional(Config.string("TWITCHER_BTTV_API_URL")),
  bttvCdnUrl: optional(Config.string("TWITCHER_BTTV_CDN_URL")),
  ffzApiUrl: optional(Config.string("TWITCHER_FFZ_API_URL")),
  ffzSource: optional(Config.literal("frankerfacez", "betterttv")("TWITCHER_FFZ_SOURCE")),
  sevenTvApiUrl: optional(Config.string("TWITCHER_7TV_API_URL")),
  providers: optional(Config.string("TWITCHER_EMOTE_PROVIDERS"))
}).pipe(Config.map(({ providers, ...urls }) => {
  const named = providers?.split(",").map((p) => p.trim().toLowerCase())
  return make({
    ...urls,
    enabled: named === undefined ? undefined : {
      bttv: named.includes("bttv"),
      ffz: named.includes("ffz"),
      "7tv": named.includes("7tv")
    }
  })
}))

/**
 * A layer reading {@link fromEnv}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromEnv: Layer.Layer<EmotesConfig, ConfigError.ConfigError> = Layer.effect(
  EmotesConfig,
  fromEnv
)

/**
 * A layer from `Config` values (`layerConfig({ sevenTvApiUrl: Config.string("MY_7TV") })`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config.Wrap<EmotesConfig.Options>
): Layer.Layer<EmotesConfig, ConfigError.ConfigError> =>
  Layer.effect(EmotesConfig, Effect.map(Config.unwrap(options), make))
