/**
 * The Playlist service: what a player needs to play a live channel or a VOD. It asks Twitch's GQL
 * for a playback access token, asks usher for the master playlist with it, parses the variants,
 * lists the quality options and picks one (pytwitcherapi's `get_channel_access_token`,
 * `get_playlist` and `get_quality_options`).
 *
 * This uses Twitch's private web API as streamlink does: the default client id is the Twitch web
 * one, integrity or auth tokens are the caller's to supply (`clientIntegrity`, `authToken`), and
 * Twitch may change or restrict it at any time.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as HttpPipeline from "../internal/http/pipeline.js"
import * as TwitchConfig from "../TwitchConfig.js"
import type { HttpError, QualityRestricted, TransportError } from "../TwitchError.js"
import { ChannelOffline, DecodeError, GeoBlocked } from "../TwitchError.js"
import * as Codec from "./Codec.js"
import * as Http from "./internal/http.js"
import * as MasterPlaylist from "./MasterPlaylist.js"
import * as PlaybackAccessToken from "./PlaybackAccessToken.js"
import * as Quality from "./Quality.js"
import * as Usher from "./Usher.js"

/**
 * The sha256 of the persisted `PlaybackAccessToken` GQL query Twitch's web player uses today.
 *
 * @since 0.1.0
 * @category constants
 */
export const PERSISTED_QUERY_HASH = "ed230aa1e33e07eebb8928504583da78a5173989fadfb1ac94be06a04f3cdbe9"

/**
 * The equivalent non-persisted query (`PlaybackAccessToken_Template`) some third parties send.
 *
 * @since 0.1.0
 * @category constants
 */
export const TEMPLATE_QUERY =
  "query PlaybackAccessToken_Template($login: String!, $isLive: Boolean!, $vodID: ID!, $isVod: Boolean!, $playerType: String!) { streamPlaybackAccessToken(channelName: $login, params: {platform: \"web\", playerBackend: \"mediaplayer\", playerType: $playerType}) @include(if: $isLive) { value signature __typename } videoPlaybackAccessToken(id: $vodID, params: {platform: \"web\", playerBackend: \"mediaplayer\", playerType: $playerType}) @include(if: $isVod) { value signature __typename } }"

/**
 * The Playlist service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Playlist extends Context.Tag("effect-twitcher/Playlist")<Playlist, Playlist.Service>() {}

/**
 * Failures of a token request: no token (offline, unknown channel or VOD), an HTTP error
 * (e.g. 401 "failed integrity check"), an unexpected answer, or no answer.
 *
 * @since 0.1.0
 * @category models
 */
export type TokenError = ChannelOffline | HttpError | DecodeError | TransportError

/**
 * Failures of a playlist request: those of the token, plus `GeoBlocked`.
 *
 * @since 0.1.0
 * @category models
 */
export type PlaylistError = TokenError | GeoBlocked

/**
 * @since 0.1.0
 */
export declare namespace Playlist {
  /**
   * What the service offers.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The playback access token of a live channel (login, any case). */
    readonly accessToken: (
      channel: string,
      options?: CallOptions
    ) => Effect.Effect<PlaybackAccessToken.PlaybackAccessToken, TokenError>
    /** The playback access token of a VOD (video id). */
    readonly vodAccessToken: (
      vodId: string,
      options?: CallOptions
    ) => Effect.Effect<PlaybackAccessToken.PlaybackAccessToken, TokenError>
    /** The usher URL of the master playlist for a token (a fresh `p` each time). */
    readonly usherUrl: (
      token: PlaybackAccessToken.PlaybackAccessToken,
      options?: CallOptions
    ) => Effect.Effect<string>
    /** Fetches and parses the master playlist for a token you already hold. */
    readonly fetchMaster: (
      token: PlaybackAccessToken.PlaybackAccessToken,
      options?: CallOptions
    ) => Effect.Effect<MasterPlaylist.MasterPlaylist, PlaylistError>
    /** Token, then master playlist of a live channel. */
    readonly masterPlaylist: (
      channel: string,
      options?: CallOptions
    ) => Effect.Effect<MasterPlaylist.MasterPlaylist, PlaylistError>
    /** Token, then master playlist of a VOD. */
    readonly vodPlaylist: (
      vodId: string,
      options?: CallOptions
    ) => Effect.Effect<MasterPlaylist.MasterPlaylist, PlaylistError>
    /**
     * The channel's quality options: the name of every distinct rendition, the source first,
     * `audio_only` last (see `Quality.options`).
     */
    readonly qualityOptions: (
      channel: string,
      options?: CallOptions
    ) => Effect.Effect<ReadonlyArray<string>, PlaylistError>
    /**
     * The variant to play for a quality: a name from `qualityOptions` (`1080p60`,
     * `1080p60-portrait`, `audio_only`...) picks exactly that rendition; `source`, `best`,
     * `720p`... select (landscape first, codecs as preferred; see `Quality.select`). Fails with
     * `QualityRestricted` when the quality is subscriber-only (`reason: "SubscriberOnly"`), or
     * when nothing at or below it is offered (`"Unavailable"`).
     */
    readonly variant: (
      channel: string,
      quality: string,
      options?: CallOptions
    ) => Effect.Effect<MasterPlaylist.Variant, PlaylistError | QualityRestricted>
    /** As `variant`, for a VOD. */
    readonly vodVariant: (
      vodId: string,
      quality: string,
      options?: CallOptions
    ) => Effect.Effect<MasterPlaylist.Variant, PlaylistError | QualityRestricted>
  }

  /**
   * Options of the service, all optional.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Options {
    /** GQL client id; default `TwitchConfig.gqlClientId` (the Twitch web client id). */
    readonly clientId?: string | undefined
    /** A twitch.tv `auth-token` cookie, sent as `Authorization: OAuth <token>`. Third-party tokens are refused by Twitch here. */
    readonly authToken?: Redacted.Redacted<string> | undefined
    /** A `Client-Integrity` token obtained by the caller (we never fake one). */
    readonly clientIntegrity?: Redacted.Redacted<string> | undefined
    /** The `Device-Id` the integrity token was issued for. */
    readonly deviceId?: string | undefined
    /** Extra headers on GQL and usher requests. */
    readonly headers?: Readonly<Record<string, string>> | undefined
    /** `supported_codecs` for usher; default `["h264"]`. */
    readonly supportedCodecs?: ReadonlyArray<Usher.Codec> | undefined
    /**
     * Codecs from the most wanted, deciding between renditions of one size and frame rate in
     * `variant` (`best`, `720p`...); default the order of `supportedCodecs`, then H.264, HEVC, AV1.
     */
    readonly preferredCodecs?: ReadonlyArray<Codec.Codec> | undefined
    /** `persisted` (default, as streamlink) or `template` (the non-persisted query). */
    readonly query?: "persisted" | "template" | undefined
    /** GQL `playerType`; default `embed` (persisted) or `site` (template). */
    readonly playerType?: string | undefined
    /** Time limit of each request; default 20 seconds. */
    readonly timeout?: Duration.DurationInput | undefined
  }

  /**
   * Per-call overrides.
   *
   * @since 0.1.0
   * @category models
   */
  export interface CallOptions {
    /** Extra headers for this call (added after the layer's). */
    readonly headers?: Readonly<Record<string, string>> | undefined
    /** `supported_codecs` for this call. */
    readonly supportedCodecs?: ReadonlyArray<Usher.Codec> | undefined
    /** Codec preference for this call (see `Options.preferredCodecs`). */
    readonly preferredCodecs?: ReadonlyArray<Codec.Codec> | undefined
  }
}

const TokenBody = Schema.Struct({ value: Schema.String, signature: Schema.String })

const GqlResponse = Schema.Struct({
  data: Schema.optional(Schema.NullOr(Schema.Struct({
    streamPlaybackAccessToken: Schema.optional(Schema.NullOr(TokenBody)),
    videoPlaybackAccessToken: Schema.optional(Schema.NullOr(TokenBody))
  }))),
  errors: Schema.optional(Schema.NullOr(Schema.Array(Schema.Struct({ message: Schema.String }))))
})

const PLAYER_ORIGIN = "https://player.twitch.tv"

type Kind = PlaybackAccessToken.PlaybackAccessToken["kind"]

/** What the parts of the service share: the config, the options with their defaults, the pipelines. */
interface Setup {
  readonly config: TwitchConfig.TwitchConfig.Service
  readonly options: Playlist.Options
  readonly query: "persisted" | "template"
  readonly playerType: string
  readonly gql: HttpPipeline.Pipeline
  /** Usher URLs carry the playback token and signature: this pipeline does not trace them. */
  readonly usher: HttpPipeline.Pipeline
}

/** The headers of GQL and usher requests: User-Agent, the player's origin for live, then the caller's. */
const commonHeaders = (setup: Setup, kind: Kind, call?: Playlist.CallOptions): Record<string, string> => ({
  "User-Agent": setup.config.userAgent,
  ...(kind === "live" ? { Origin: PLAYER_ORIGIN, Referer: `${PLAYER_ORIGIN}/` } : {}),
  ...setup.options.headers,
  ...call?.headers
})

/** The GQL body asking for a token: the persisted query or the template, per the options. */
const gqlBody = (setup: Setup, kind: Kind, target: string) => {
  const variables = {
    isLive: kind === "live",
    login: kind === "live" ? target.toLowerCase() : "",
    isVod: kind === "vod",
    vodID: kind === "vod" ? target : "",
    playerType: setup.playerType
  }
  return setup.query === "persisted"
    ? {
      operationName: "PlaybackAccessToken",
      extensions: { persistedQuery: { version: 1, sha256Hash: PERSISTED_QUERY_HASH } },
      variables: { ...variables, platform: "site" }
    }
    : { operationName: "PlaybackAccessToken_Template", query: TEMPLATE_QUERY, variables }
}

/** The GQL token request with its client id, device id, and the caller's auth and integrity tokens. */
const tokenRequest = (setup: Setup, kind: Kind, target: string, call?: Playlist.CallOptions) => {
  const { config, options } = setup
  let request = HttpClientRequest.post(config.gqlUrl).pipe(
    HttpClientRequest.setHeaders({
      ...commonHeaders(setup, kind, call),
      "Client-ID": options.clientId ?? config.gqlClientId,
      ...(options.deviceId === undefined ? {} : { "Device-Id": options.deviceId })
    }),
    HttpClientRequest.acceptJson,
    HttpClientRequest.bodyUnsafeJson(gqlBody(setup, kind, target))
  )
  if (options.authToken !== undefined) {
    request = HttpClientRequest.setHeader(
      request,
      "Authorization",
      `OAuth ${Redacted.value(options.authToken)}`
    )
  }
  if (options.clientIntegrity !== undefined) {
    request = HttpClientRequest.setHeader(
      request,
      "Client-Integrity",
      Redacted.value(options.clientIntegrity)
    )
  }
  return request
}

/** GQL's answer to a token request: the token, `ChannelOffline` when there is none, or a typed error. */
const decodeToken = (kind: Kind, target: string) => (answer: Http.Answer) =>
  Effect.gen(function*() {
    if (answer.status !== 200) return yield* Http.httpError(answer)
    const body = yield* Schema.decodeUnknown(Schema.parseJson(GqlResponse))(answer.text).pipe(
      Effect.mapError((error) =>
        new DecodeError({
          path: "gql",
          detail: ParseResult.TreeFormatter.formatErrorSync(error),
          request: answer.info()
        })
      )
    )
    const found = kind === "live"
      ? body.data?.streamPlaybackAccessToken
      : body.data?.videoPlaybackAccessToken
    if (found === undefined || found === null) {
      if (body.errors && body.errors.length > 0) {
        return yield* Http.httpError(answer, { message: body.errors.map((e) => e.message).join("; ") })
      }
      return yield* new ChannelOffline({
        channel: kind === "live" ? target.toLowerCase() : target,
        vod: kind === "vod"
      })
    }
    return yield* PlaybackAccessToken.make({
      kind,
      target: kind === "live" ? target.toLowerCase() : target,
      value: found.value,
      signature: found.signature
    }).pipe(
      Effect.mapError((e) =>
        new DecodeError({ path: `token.${e.path}`, detail: e.detail, request: answer.info() })
      )
    )
  })

/** The playback access token of a live channel or a VOD, asked of GQL. */
const token = (setup: Setup, kind: Kind, target: string, call?: Playlist.CallOptions) =>
  Effect.flatMap(setup.gql.send(tokenRequest(setup, kind, target, call)), decodeToken(kind, target)).pipe(
    Effect.withSpan("Playlist.accessToken", { attributes: { kind, target } })
  )

/** The usher URL of a token's master playlist, with a fresh random `p`. */
const usherUrl = (setup: Setup, t: PlaybackAccessToken.PlaybackAccessToken, call?: Playlist.CallOptions) =>
  Effect.map(Random.nextIntBetween(0, 999999), (p) =>
    Usher.url(t, {
      baseUrl: setup.config.usherUrl,
      p,
      supportedCodecs: call?.supportedCodecs ?? setup.options.supportedCodecs
    }))

/** Usher's refusal as a typed error: 404 offline, 403 `content_geoblocked` geo-blocked, else HTTP. */
const usherError = (t: PlaybackAccessToken.PlaybackAccessToken, answer: Http.Answer) =>
  Effect.gen(function*() {
    const vod = t.kind === "vod"
    if (answer.status === 404) return yield* new ChannelOffline({ channel: t.target, vod })
    const body = Http.parseErrorBody(answer.text)
    if (answer.status === 403 && body.errorCode === "content_geoblocked") {
      const reason = body.error ?? Option.getOrUndefined(t.details.geoblockReason)
      return yield* new GeoBlocked({
        channel: t.target,
        vod,
        ...(reason === undefined ? {} : { reason })
      })
    }
    return yield* Http.httpError(answer, body)
  })

/** Fetches a token's master playlist from usher and parses it (the token's restricted qualities kept). */
const fetchMaster = (setup: Setup, t: PlaybackAccessToken.PlaybackAccessToken, call?: Playlist.CallOptions) =>
  Effect.gen(function*() {
    const url = yield* usherUrl(setup, t, call)
    const request = HttpClientRequest.get(url).pipe(
      HttpClientRequest.setHeaders(commonHeaders(setup, t.kind, call)),
      HttpClientRequest.setHeader("Accept", "application/x-mpegURL, application/vnd.apple.mpegurl, */*")
    )
    const answer = yield* setup.usher.send(request)
    if (answer.status !== 200) return yield* usherError(t, answer)
    const parsed = yield* MasterPlaylist.parse(answer.text, { url })
    return new MasterPlaylist.MasterPlaylist({ ...parsed, restrictedQualities: t.restrictedQualities })
  }).pipe(Effect.withSpan("Playlist.fetchMaster", { attributes: { kind: t.kind, target: t.target } }))

/** The codec order deciding between renditions: the call's, the layer's, then the compatibility order. */
const preference = (setup: Setup, call?: Playlist.CallOptions): Quality.SelectOptions => ({
  preferredCodecs: call?.preferredCodecs ?? setup.options.preferredCodecs ?? call?.supportedCodecs ??
    setup.options.supportedCodecs ?? Codec.compatibilityOrder
})

/** Token, then master playlist. */
const playlistOf = (setup: Setup, kind: Kind, target: string, call?: Playlist.CallOptions) =>
  Effect.flatMap(token(setup, kind, target, call), (t) => fetchMaster(setup, t, call))

/**
 * Builds the service from the config, an `HttpClient` and options.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Playlist.Options = {}
): Effect.Effect<Playlist.Service, never, HttpClient.HttpClient | TwitchConfig.TwitchConfig> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig.TwitchConfig
    const client = yield* HttpClient.HttpClient
    const timeout = options.timeout ?? "20 seconds"
    const query = options.query ?? "persisted"
    const setup: Setup = {
      config,
      options,
      query,
      playerType: options.playerType ?? (query === "persisted" ? "embed" : "site"),
      gql: Http.pipeline(client, "gql", timeout),
      usher: Http.pipeline(client, "usher", timeout)
    }
    return Playlist.of({
      accessToken: (channel, call) => token(setup, "live", channel, call),
      vodAccessToken: (vodId, call) => token(setup, "vod", vodId, call),
      usherUrl: (t, call) => usherUrl(setup, t, call),
      fetchMaster: (t, call) => fetchMaster(setup, t, call),
      masterPlaylist: (channel, call) => playlistOf(setup, "live", channel, call),
      vodPlaylist: (vodId, call) => playlistOf(setup, "vod", vodId, call),
      qualityOptions: (channel, call) =>
        Effect.map(
          playlistOf(setup, "live", channel, call),
          (playlist) => Quality.options(playlist.variants)
        ),
      variant: (channel, quality, call) =>
        Effect.flatMap(
          playlistOf(setup, "live", channel, call),
          (playlist) => Quality.choose(playlist, quality, channel.toLowerCase(), preference(setup, call))
        ),
      vodVariant: (vodId, quality, call) =>
        Effect.flatMap(
          playlistOf(setup, "vod", vodId, call),
          (playlist) => Quality.choose(playlist, quality, vodId, preference(setup, call))
        )
    })
  })

/**
 * The service as a layer; the app provides the `HttpClient` (`NodeHttpClient.layerUndici`,
 * `FetchHttpClient.layer`) and `TwitchConfig`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Playlist.Options = {}
): Layer.Layer<Playlist, never, HttpClient.HttpClient | TwitchConfig.TwitchConfig> =>
  Layer.effect(Playlist, make(options))

/**
 * The service with options read from `Config`, e.g.
 * `layerConfig({ authToken: Config.option(Config.redacted("TWITCH_WEB_AUTH_TOKEN")).pipe(Config.map(Option.getOrUndefined)) })`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Config.Config.Wrap<Playlist.Options>
): Layer.Layer<Playlist, ConfigError.ConfigError, HttpClient.HttpClient | TwitchConfig.TwitchConfig> =>
  Layer.effect(Playlist, Effect.flatMap(Config.unwrap(options), make))

/**
 * Data served by {@link layerTest}: master playlist texts per channel login and per VOD id,
 * subscriber-only qualities per login (put in the token), and logins usher refuses as
 * geo-blocked. Anything else is offline.
 *
 * @since 0.1.0
 * @category models
 */
export interface TestData {
  readonly live?: Readonly<Record<string, string>> | undefined
  readonly vods?: Readonly<Record<string, string>> | undefined
  readonly restricted?: Readonly<Record<string, ReadonlyArray<string>>> | undefined
  readonly geoBlocked?: ReadonlyArray<string> | undefined
}

const testBase = "http://playlist.test"

const own = <A>(record: Readonly<Record<string, A>> | undefined, key: string): A | undefined =>
  record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined

const testClient = (data: TestData): HttpClient.HttpClient =>
  HttpClient.make((request, url) => {
    const respond = (status: number, body: string, contentType: string) =>
      Effect.succeed(HttpClientResponse.fromWeb(
        request,
        new Response(body, { status, headers: { "content-type": contentType } })
      ))
    if (url.pathname === "/gql" && request.body._tag === "Uint8Array") {
      const body = JSON.parse(new TextDecoder().decode(request.body.body)) as {
        variables?: { isLive?: boolean; login?: string; vodID?: string }
      }
      const live = body.variables?.isLive === true
      const target = live ? (body.variables?.login ?? "") : (body.variables?.vodID ?? "")
      const exists = live ? own(data.live, target) !== undefined : own(data.vods, target) !== undefined
      const value = JSON.stringify({
        ...(live ? { channel: target } : { vod_id: Number(target) }),
        expires: 4_102_444_800,
        chansub: {
          restricted_bitrates: live ? own(data.restricted, target) ?? [] : [],
          view_until: 1_924_988_399
        },
        authorization: { forbidden: false, reason: "" }
      })
      const token = exists ? { value, signature: "0".repeat(40) } : null
      return respond(
        200,
        JSON.stringify({
          data: live ? { streamPlaybackAccessToken: token } : { videoPlaybackAccessToken: token }
        }),
        "application/json"
      )
    }
    const liveMatch = /^\/api\/v2\/channel\/hls\/([^/]+)\.m3u8$/.exec(url.pathname)
    const vodMatch = /^\/vod\/v2\/([^/]+)\.m3u8$/.exec(url.pathname)
    const login = liveMatch ? decodeURIComponent(liveMatch[1]!) : undefined
    if (login !== undefined && data.geoBlocked?.includes(login)) {
      return respond(
        403,
        JSON.stringify([{
          url: url.toString(),
          error: "Content Restricted In Region",
          error_code: "content_geoblocked",
          type: "error"
        }]),
        "application/json"
      )
    }
    const text = login !== undefined
      ? own(data.live, login)
      : vodMatch
      ? own(data.vods, decodeURIComponent(vodMatch[1]!))
      : undefined
    return text === undefined
      ? respond(
        404,
        JSON.stringify([{
          url: url.toString(),
          error: "twirp error not_found: transcode does not exist",
          error_code: "transcode_does_not_exist",
          type: "error"
        }]),
        "application/json"
      )
      : respond(200, text, "application/vnd.apple.mpegurl")
  })

/**
 * A self-contained layer for users' tests: the real service over an in-memory Twitch that serves
 * `data` (no socket, no `HttpClient` or `TwitchConfig` needed). Tokens it issues are fake and
 * only meaningful to it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTest = (data: TestData, options: Playlist.Options = {}): Layer.Layer<Playlist> =>
  layer(options).pipe(
    Layer.provide(Layer.succeed(HttpClient.HttpClient, testClient(data))),
    Layer.provide(TwitchConfig.layer({ clientId: "test", gqlUrl: `${testBase}/gql`, usherUrl: testBase }))
  )
