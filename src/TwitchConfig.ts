/**
 * Where Twitch lives and who we are: the client id, the base URL of every Twitch surface the library
 * talks to, and the user agent. Every URL is overridable, which is how the built-in mock Twitch and
 * twitch-cli's mock plug in.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/**
 * The Twitch web client id that GQL `PlaybackAccessToken` requests use by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const TWITCH_WEB_CLIENT_ID = "kimne78kx3ncx6brgo4mv6wki5h1ko"

/**
 * Production endpoints of every Twitch surface the library uses.
 *
 * @since 0.1.0
 * @category constants
 */
export const productionUrls = {
  helixUrl: "https://api.twitch.tv/helix",
  idUrl: "https://id.twitch.tv",
  gqlUrl: "https://gql.twitch.tv/gql",
  usherUrl: "https://usher.ttvnw.net",
  emoteCdnUrl: "https://static-cdn.jtvnw.net/emoticons/v2",
  ircHost: "irc.chat.twitch.tv",
  ircPort: 6697,
  ircTls: true,
  ircWebSocketUrl: "wss://irc-ws.chat.twitch.tv:443",
  eventSubWebSocketUrl: "wss://eventsub.wss.twitch.tv/ws"
} as const

/**
 * The default `User-Agent` header.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUserAgent = "effect-twitcher/0.1 (+https://github.com/effect-twitcher)"

/**
 * The configuration service.
 *
 * @since 0.1.0
 * @category tags
 */
export class TwitchConfig
  extends Context.Tag("effect-twitcher/TwitchConfig")<TwitchConfig, TwitchConfig.Service>()
{}

/**
 * @since 0.1.0
 */
export declare namespace TwitchConfig {
  /**
   * What the config service holds.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The application's client id, sent as `Client-Id` on every Helix call. */
    readonly clientId: string
    /** Helix base URL without a trailing slash, e.g. `https://api.twitch.tv/helix`. */
    readonly helixUrl: string
    /** id.twitch.tv base URL (OAuth lives under `/oauth2`). */
    readonly idUrl: string
    /** GQL endpoint, used for playback access tokens. */
    readonly gqlUrl: string
    /** Client id sent to GQL (Twitch only accepts its web client id there). */
    readonly gqlClientId: string
    /** Usher base URL serving master playlists. */
    readonly usherUrl: string
    /** Emote CDN base URL up to and including `/emoticons/v2`. */
    readonly emoteCdnUrl: string
    /** IRC host name. */
    readonly ircHost: string
    /** IRC port (6697 for TLS, 6667 plain). */
    readonly ircPort: number
    /** Whether IRC over TCP uses TLS. */
    readonly ircTls: boolean
    /** IRC over WebSocket URL. */
    readonly ircWebSocketUrl: string
    /** EventSub WebSocket URL (the client adds `keepalive_timeout_seconds`). */
    readonly eventSubWebSocketUrl: string
    /** `User-Agent` header for HTTP requests. */
    readonly userAgent: string
  }

  /**
   * Options for {@link make}: only the client id is required.
   *
   * @since 0.1.0
   * @category models
   */
  export type Options = { readonly clientId: string } & Partial<Omit<Service, "clientId">>
}

const trimSlash = (url: string): string => url.replace(/\/+$/, "")

/**
 * Builds a config from options, filling the production defaults.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: TwitchConfig.Options): TwitchConfig.Service => ({
  clientId: options.clientId,
  helixUrl: trimSlash(options.helixUrl ?? productionUrls.helixUrl),
  idUrl: trimSlash(options.idUrl ?? productionUrls.idUrl),
  gqlUrl: options.gqlUrl ?? productionUrls.gqlUrl,
  gqlClientId: options.gqlClientId ?? TWITCH_WEB_CLIENT_ID,
  usherUrl: trimSlash(options.usherUrl ?? productionUrls.usherUrl),
  emoteCdnUrl: trimSlash(options.emoteCdnUrl ?? productionUrls.emoteCdnUrl),
  ircHost: options.ircHost ?? productionUrls.ircHost,
  ircPort: options.ircPort ?? productionUrls.ircPort,
  ircTls: options.ircTls ?? productionUrls.ircTls,
  ircWebSocketUrl: options.ircWebSocketUrl ?? productionUrls.ircWebSocketUrl,
  eventSubWebSocketUrl: options.eventSubWebSocketUrl ?? productionUrls.eventSubWebSocketUrl,
  userAgent: options.userAgent ?? defaultUserAgent
})

/**
 * A layer from plain options.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: TwitchConfig.Options): Layer.Layer<TwitchConfig> =>
  Layer.succeed(TwitchConfig, make(options))

/**
 * A layer from `Config` values, e.g. `layerConfig({ clientId: Config.string("MY_ID") })`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config.Wrap<TwitchConfig.Options>
): Layer.Layer<TwitchConfig, ConfigError.ConfigError> =>
  Layer.effect(TwitchConfig, Effect.map(Config.unwrap(options), make))

const optionalString = (name: string) => Config.option(Config.string(name))

/**
 * Reads the config from the environment: `TWITCH_CLIENT_ID` (falling back to
 * `PYTWITCHER_CLIENT_ID` as pytwitcherapi did), and optional overrides `TWITCH_HELIX_URL`,
 * `TWITCH_ID_URL`, `TWITCH_GQL_URL`, `TWITCH_GQL_CLIENT_ID`, `TWITCH_USHER_URL`,
 * `TWITCH_EMOTE_CDN_URL`, `TWITCH_IRC_HOST`, `TWITCH_IRC_PORT`, `TWITCH_IRC_TLS`,
 * `TWITCH_IRC_WS_URL`, `TWITCH_EVENTSUB_WS_URL`, `TWITCH_USER_AGENT`.
 *
 * @since 0.1.0
 * @category configs
 */
export const fromEnv: Config.Config<TwitchConfig.Service> = Config.all({
  clientId: Config.string("TWITCH_CLIENT_ID").pipe(
    Config.orElse(() => Config.string("PYTWITCHER_CLIENT_ID"))
  ),
  helixUrl: optionalString("TWITCH_HELIX_URL"),
  idUrl: optionalString("TWITCH_ID_URL"),
  gqlUrl: optionalString("TWITCH_GQL_URL"),
  gqlClientId: optionalString("TWITCH_GQL_CLIENT_ID"),
  usherUrl: optionalString("TWITCH_USHER_URL"),
  emoteCdnUrl: optionalString("TWITCH_EMOTE_CDN_URL"),
  ircHost: optionalString("TWITCH_IRC_HOST"),
  ircPort: Config.option(Config.integer("TWITCH_IRC_PORT")),
  ircTls: Config.option(Config.boolean("TWITCH_IRC_TLS")),
  ircWebSocketUrl: optionalString("TWITCH_IRC_WS_URL"),
  eventSubWebSocketUrl: optionalString("TWITCH_EVENTSUB_WS_URL"),
  userAgent: optionalString("TWITCH_USER_AGENT")
}).pipe(
  Config.map(({ clientId, ...rest }) => {
    const options: Record<string, unknown> = { clientId }
    for (const [key, value] of Object.entries(rest) as Array<[string, Option.Option<unknown>]>) {
      if (Option.isSome(value)) options[key] = value.value
    }
    return make(options as TwitchConfig.Options)
  })
)

/**
 * A layer reading {@link fromEnv}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFromEnv: Layer.Layer<TwitchConfig, ConfigError.ConfigError> = Layer.effect(
  TwitchConfig,
  fromEnv
)
