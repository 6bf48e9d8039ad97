/**
 * Emote pictures from Twitch's emote CDN (v2): the URL of an emote id in a format, theme and
 * scale, and the picture's bytes (pytwitcherapi's `get_emote_picture(emote, size)`). Chat emote
 * occurrences carry the `id` to pass here.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as TwitchConfig from "../TwitchConfig.js"
import type { HttpError, TransportError } from "../TwitchError.js"
import { DecodeError } from "../TwitchError.js"
import * as Http from "./internal/http.js"

/**
 * `static`, `animated`, or `default` (animated when the emote has an animation, else static).
 *
 * @since 0.1.0
 * @category models
 */
export type Format = "static" | "animated" | "default"

/**
 * The background the emote is drawn for.
 *
 * @since 0.1.0
 * @category models
 */
export type Theme = "light" | "dark"

/**
 * `1.0` (28 px), `2.0` (56 px), `3.0` (112 px); pytwitcherapi's `size` 1, 2, 3 also accepted.
 *
 * @since 0.1.0
 * @category models
 */
export type Scale = "1.0" | "2.0" | "3.0" | 1 | 2 | 3

/**
 * Options of {@link url}. Defaults: `default`, `dark`, `1.0`, and the production CDN.
 *
 * @since 0.1.0
 * @category models
 */
export interface UrlOptions {
  readonly format?: Format | undefined
  readonly theme?: Theme | undefined
  readonly scale?: Scale | undefined
  /** CDN base up to and including `/emoticons/v2`, default `https://static-cdn.jtvnw.net/emoticons/v2`. */
  readonly baseUrl?: string | undefined
}

/**
 * The CDN v2 URL of an emote: `<base>/<id>/<format>/<theme>/<scale>`. The id (numeric like `25`
 * or `emotesv2_<hex>`) is URL-encoded. Pure, so a chat message's emote links here with no service.
 *
 * @since 0.1.0
 * @category urls
 */
export const url = (id: string, options: UrlOptions = {}): string => {
  const base = (options.baseUrl ?? TwitchConfig.productionUrls.emoteCdnUrl).replace(/\/+$/, "")
  const scale = typeof options.scale === "number" ? `${options.scale}.0` : (options.scale ?? "1.0")
  return `${base}/${encodeURIComponent(id)}/${options.format ?? "default"}/${
    options.theme ?? "dark"
  }/${scale}`
}

/**
 * Image kinds recognised by their magic bytes.
 *
 * @since 0.1.0
 * @category models
 */
export type ImageKind = "png" | "gif" | "webp" | "jpeg"

const startsWith = (bytes: Uint8Array, prefix: ReadonlyArray<number>, offset = 0) =>
  bytes.length >= offset + prefix.length && prefix.every((b, i) => bytes[offset + i] === b)

/**
 * The image kind of some bytes from their header: PNG (`\x89PNG\r\n\x1a\n`), GIF (`GIF87a`/`GIF89a`),
 * WebP (`RIFF....WEBP`), JPEG (`FF D8 FF`).
 *
 * @since 0.1.0
 * @category utils
 */
export const sniff = (bytes: Uint8Array): Option.Option<ImageKind> => {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return Option.some("png")
  if (
    startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) &&
    bytes[5] === 0x61
  ) {
    return Option.some("gif")
  }
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    return Option.some("webp")
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return Option.some("jpeg")
  return Option.none()
}

/**
 * The pixel size written in a PNG (`IHDR`) or GIF (logical screen) header; `None` for other kinds
 * or a truncated header.
 *
 * @since 0.1.0
 * @category utils
 */
export const dimensions = (
  bytes: Uint8Array
): Option.Option<{ readonly width: number; readonly height: number }> =>
  Option.flatMap(sniff(bytes), (kind) => {
    if (kind === "png" && bytes.length >= 24 && startsWith(bytes, [0x49, 0x48, 0x44, 0x52], 12)) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      return Option.some({ width: view.getUint32(16), height: view.getUint32(20) })
    }
    if (kind === "gif" && bytes.length >= 10) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      return Option.some({ width: view.getUint16(6, true), height: view.getUint16(8, true) })
    }
    return Option.none()
  })

/**
 * An emote picture: its bytes, the image kind read from them, and the `Content-Type` the CDN sent.
 *
 * @since 0.1.0
 * @category models
 */
export class EmotePicture extends Schema.Class<EmotePicture>("effect-twitcher/EmotePicture")({
  id: Schema.String,
  url: Schema.String,
  kind: Schema.Literal("png", "gif", "webp", "jpeg"),
  contentType: Schema.OptionFromUndefinedOr(Schema.String),
  bytes: Schema.Uint8ArrayFromSelf
}) {}

/**
 * The Emotes service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Emotes extends Context.Tag("effect-twitcher/Emotes")<Emotes, Emotes.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Emotes {
  /**
   * What the service offers.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The URL of an emote on the configured CDN (`TwitchConfig.emoteCdnUrl`). */
    readonly url: (id: string, options?: Omit<UrlOptions, "baseUrl">) => string
    /**
     * Downloads a picture. A 404 (unknown emote, or no animated version) is an `HttpError`; a
     * body that is not an image is a `DecodeError`.
     */
    readonly picture: (
      id: string,
      options?: Omit<UrlOptions, "baseUrl">
    ) => Effect.Effect<EmotePicture, HttpError | DecodeError | TransportError>
  }

  /**
   * Options of the service.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Options {
    /** Time limit of each download; default 20 seconds. */
    readonly timeout?: Duration.DurationInput | undefined
  }
}

/**
 * Builds the service from the config and an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Emotes.Options = {}
): Effect.Effect<Emotes.Service, never, HttpClient.HttpClient | TwitchConfig.TwitchConfig> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig.TwitchConfig
    const client = yield* HttpClient.HttpClient
    const cdn = Http.pipeline(client, "emotes", options.timeout ?? "20 seconds")
    const urlOf = (id: string, o?: Omit<UrlOptions, "baseUrl">) =>
      url(id, { ...o, baseUrl: config.emoteCdnUrl })

    const picture = (id: string, o?: Omit<UrlOptions, "baseUrl">) => {
      const request = HttpClientRequest.get(urlOf(id, o)).pipe(
        HttpClientRequest.setHeaders({ "User-Agent": config.userAgent, Accept: "image/*" })
      )
      return Effect.gen(function*() {
        const answer = yield* cdn.send(request)
        if (answer.status !== 200) return yield* Http.httpError(answer)
        const bytes = answer.bytes ?? new Uint8Array()
        const contentType = answer.headers["content-type"]
        const kind = sniff(bytes)
        if (Option.isNone(kind)) {
          return yield* new DecodeError({
            path: "body",
            detail: `not an image (${bytes.length} bytes, content-type ${contentType ?? "none"})`,
            request: answer.info()
          })
        }
        return new EmotePicture({
          id,
          url: request.url,
          kind: kind.value,
          contentType: Option.fromNullable(contentType),
          bytes
        })
      }).pipe(Effect.withSpan("Emotes.picture", { attributes: { id } }))
    }

    return Emotes.of({ url: urlOf, picture })
  })

/**
 * The service as a layer; the app provides the `HttpClient` and `TwitchConfig`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Emotes.Options = {}
): Layer.Layer<Emotes, never, HttpClient.HttpClient | TwitchConfig.TwitchConfig> =>
  Layer.effect(Emotes, make(options))

const testBase = "http://emotes.test/emoticons/v2"

/**
 * A self-contained layer for users' tests: the real service over an in-memory CDN serving
 * `pictures` (emote id → bytes, whatever the format, theme and scale); other ids get a 404.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTest = (pictures: Readonly<Record<string, Uint8Array>>): Layer.Layer<Emotes> =>
  layer().pipe(
    Layer.provide(Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make((request, requestUrl) => {
        const id = decodeURIComponent(requestUrl.pathname.split("/")[3] ?? "")
        const bytes = Object.prototype.hasOwnProperty.call(pictures, id) ? pictures[id] : undefined
        const kind = bytes === undefined ? Option.none() : sniff(bytes)
        return Effect.succeed(HttpClientResponse.fromWeb(
          request,
          bytes === undefined
            ? new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } })
            : new Response(bytes, {
              status: 200,
              headers: {
                "content-type": Option.match(kind, {
                  onNone: () => "application/octet-stream",
                  onSome: (k) => `image/${k}`
                })
              }
            })
        ))
      })
    )),
    Layer.provide(TwitchConfig.layer({ clientId: "test", emoteCdnUrl: testBase }))
  )
