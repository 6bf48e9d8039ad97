/**
 * Usher, Twitch's master playlist server: the URL of a live channel's or a VOD's master playlist
 * with every query parameter today's web player sends (see streamlink's `UsherService`).
 *
 * @since 0.1.0
 */
import type * as Codecs from "./Codec.js"
import type { PlaybackAccessToken } from "./PlaybackAccessToken.js"

/**
 * A codec usher may offer (see the `Codec` module). Higher qualities can need `h265` or `av1`
 * (then served as fMP4).
 *
 * @since 0.1.0
 * @category models
 */
export type Codec = Codecs.Codec

/**
 * The codecs asked for by default: `h264` only, which every player can decode.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultCodecs: ReadonlyArray<Codec> = ["h264"]

/**
 * Options of {@link url}.
 *
 * @since 0.1.0
 * @category models
 */
export interface UrlOptions {
  /** Usher base URL without a trailing slash, e.g. `https://usher.ttvnw.net`. */
  readonly baseUrl: string
  /** The `p` cache-buster, a random integer in 0..999998. */
  readonly p: number
  /** `supported_codecs`, default `h264`. */
  readonly supportedCodecs?: ReadonlyArray<Codec> | undefined
  /** `platform`, default `web`. */
  readonly platform?: string | undefined
}

/**
 * The path of a master playlist: live `/api/v2/channel/hls/<login>.m3u8` (login lower-cased),
 * VOD `/vod/v2/<id>.m3u8`.
 *
 * @since 0.1.0
 * @category urls
 */
export const path = (kind: "live" | "vod", target: string): string =>
  kind === "live"
    ? `/api/v2/channel/hls/${encodeURIComponent(target.toLowerCase())}.m3u8`
    : `/vod/v2/${encodeURIComponent(target)}.m3u8`

/**
 * The master playlist URL for a token: `platform=web`, `p`, `allow_source=true`,
 * `allow_audio_only=true`, `playlist_include_framerate=true`, `supported_codecs`, then for live
 * `sig`, `token`, `fast_bread=true` and for a VOD `nauthsig`, `nauth`.
 *
 * @since 0.1.0
 * @category urls
 */
export const url = (
  token: Pick<PlaybackAccessToken, "kind" | "target" | "value" | "signature">,
  options: UrlOptions
): string => {
  const params = new URLSearchParams()
  params.set("platform", options.platform ?? "web")
  params.set("p", String(options.p))
  params.set("allow_source", "true")
  params.set("allow_audio_only", "true")
  params.set("playlist_include_framerate", "true")
  const codecs = options.supportedCodecs !== undefined && options.supportedCodecs.length > 0
    ? options.supportedCodecs
    : defaultCodecs
  params.set("supported_codecs", codecs.join(","))
  if (token.kind === "live") {
    params.set("sig", token.signature)
    params.set("token", token.value)
    params.set("fast_bread", "true")
  } else {
    params.set("nauthsig", token.signature)
    params.set("nauth", token.value)
  }
  return `${options.baseUrl}${path(token.kind, token.target)}?${params.toString()}`
}
