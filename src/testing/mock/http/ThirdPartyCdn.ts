/**
 * The mock's picture CDNs beside Twitch's emote CDN: BTTV (`/bttv-cdn/emote/<id>/<1x|2x|3x>`, a
 * GIF for moving emotes, else a PNG), FFZ (`/ffz-cdn/emote/<id>/<1|2|4>`, PNG), 7TV
 * (`/7tv-cdn/emote/<id>/<1x..4x>.webp`, WebP, animated for moving emotes; `.png`/`.gif` too),
 * chat badges (`/badges/v1/<id>/<1|2|3>`, PNG of 18, 36 or 72 px) and cheermotes
 * (`/actions/<prefix>/<theme>/<animated|static>/<tier>/<scale>.<gif|png>`). Emote pictures are
 * served for emotes of the world only (404 otherwise); badge and cheer pictures for any name,
 * coloured by it, so Helix answers can point at them.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { gif, png } from "./Cdn.js"
import { type Counted, helixError, type RouteContext } from "./shared.js"
import { webp } from "./WebP.js"

/**
 * Where the BTTV pictures are (after the base URL).
 *
 * @since 0.1.0
 * @category urls
 */
export const bttvPath = "/bttv-cdn/emote"

/**
 * Where the FFZ pictures are.
 *
 * @since 0.1.0
 * @category urls
 */
export const ffzPath = "/ffz-cdn/emote"

/**
 * Where the 7TV pictures are.
 *
 * @since 0.1.0
 * @category urls
 */
export const sevenTvPath = "/7tv-cdn/emote"

/**
 * The colour of the disc in a picture of this CDN, from the picture's name (FNV-1a), so each
 * picture is told apart: `<provider><emote id>` (`7tv01H...`), `badge<badge path id>`
 * (`badgemoderator-1`), `cheer<prefix><tier>`. Tests read it to check what a browser drew.
 *
 * @since 0.1.0
 * @category images
 */
export const pictureColor = (name: string): readonly [number, number, number] => {
  let h = 0x811c9dc5
  for (const ch of name) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 0x01000193)
  return [64 + ((h >>> 16) & 0x7f), 64 + ((h >>> 8) & 0x7f), 64 + (h & 0x7f)]
}

const background: readonly [number, number, number] = [24, 24, 27]

const picture = (kind: "png" | "gif" | "webp", name: string, size: number, animated: boolean) => {
  const body = kind === "png" ? png(size, pictureColor(name), background) : kind === "gif" ?
    gif(size, pictureColor(name), background) :
    webp(size, pictureColor(name), animated)
  return HttpServerResponse.uint8Array(body, {
    contentType: `image/${kind}`,
    headers: { "cache-control": "public, max-age=31536000" }
  })
}

const notFound = helixError(404, "Not Found")

const emotePicture = (
  ctx: RouteContext,
  provider: "bttv" | "ffz" | "7tv",
  sizes: Readonly<Record<string, number>>
) =>
  Effect.gen(function*() {
    const { file, id } = yield* HttpRouter.params
    const [scale, ext] = (file ?? "").split(".")
    const size = sizes[scale]
    const emote = (yield* ctx.world.snapshot).thirdPartyEmotes.find((e) =>
      e.provider === provider && e.id === id
    )
    if (emote === undefined || size === undefined) return notFound
    const kind = provider === "7tv" ?
      (ext === "png" || ext === "gif" ? ext : ext === "webp" ? "webp" : undefined) :
      ext !== undefined ?
      undefined :
      provider === "bttv" && emote.animated ?
      "gif" :
      "png"
    return kind === undefined ? notFound : picture(kind, `${provider}${emote.id}`, size, emote.animated)
  })

const badgePicture = Effect.gen(function*() {
  const { id, scale } = yield* HttpRouter.params
  const size = ({ "1": 18, "2": 36, "3": 72 } as Record<string, number>)[scale ?? ""]
  return size === undefined || id === undefined ? notFound : picture("png", `badge${id}`, size, false)
})

const cheerPicture = Effect.gen(function*() {
  const { file, kind, prefix, theme, tier } = yield* HttpRouter.params
  const [scale, ext] = (file ?? "").split(".")
  const size = ({ "1": 28, "1.5": 42, "2": 56, "3": 84, "4": 112 } as Record<string, number>)[scale]
  const wanted = kind === "animated" ? "gif" : kind === "static" ? "png" : undefined
  if (
    size === undefined || wanted === undefined || ext !== wanted || (theme !== "dark" && theme !== "light")
  ) {
    return notFound
  }
  return picture(wanted, `cheer${prefix}${tier}`, size, false)
})

/**
 * The picture routes (at the server root).
 *
 * @since 0.1.0
 * @category routers
 */
export const routes = (
  ctx: RouteContext,
  counted: Counted
): HttpRouter.HttpRouter<never, HttpServerRequest.HttpServerRequest> =>
  HttpRouter.empty.pipe(
    HttpRouter.get(
      `${bttvPath}/:id/:file`,
      counted("GET", `${bttvPath}/:id/:scale`, emotePicture(ctx, "bttv", { "1x": 28, "2x": 56, "3x": 112 }))
    ),
    HttpRouter.get(
      `${ffzPath}/:id/:file`,
      counted("GET", `${ffzPath}/:id/:scale`, emotePicture(ctx, "ffz", { "1": 28, "2": 56, "4": 112 }))
    ),
    HttpRouter.get(
      `${sevenTvPath}/:id/:file`,
      counted(
        "GET",
        `${sevenTvPath}/:id/:file`,
        emotePicture(ctx, "7tv", { "1x": 32, "2x": 64, "3x": 96, "4x": 128 })
      )
    ),
    HttpRouter.get("/badges/v1/:id/:scale", counted("GET", "/badges/v1/:id/:scale", badgePicture)),
    HttpRouter.get(
      "/actions/:prefix/:theme/:kind/:tier/:file",
      counted("GET", "/actions/:prefix/:theme/:kind/:tier/:file", cheerPicture)
    )
  )
