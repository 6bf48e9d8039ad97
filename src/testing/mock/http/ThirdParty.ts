/**
 * The mock's BTTV, FFZ and 7TV APIs, answering from the world's third-party emotes in each
 * provider's own shape (the fields `effect-twitcher/emotes` reads, and the usual others), with
 * picture URLs on the mock's own CDN paths (`ThirdPartyCdn.ts`):
 *
 * - BTTV at `/bttv/3`: `/cached/emotes/global`, `/cached/users/twitch/<id>` (404 `user not
 *   found` for a channel without BTTV emotes), and its FFZ cache `/cached/frankerfacez/emotes/global`,
 *   `/cached/frankerfacez/users/twitch/<id>` (an empty list for an unknown channel).
 * - FFZ at `/ffz/v1`: `/set/global` (set 3 is the default set), `/room/id/<id>` (404 `No such room`).
 * - 7TV at `/7tv/v3`: `/emote-sets/global`, `/users/twitch/<id>` (404 `user not found`).
 *
 * {@link urls} gives the base URLs to put in `EmotesConfig`.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import type * as EmotesConfig from "../../../emotes/EmotesConfig.js"
import type * as MockWorld from "../World.js"
import type { ThirdPartyEmote } from "../world/ThirdPartyModels.js"
import { type Counted, json, type RouteContext } from "./shared.js"
import * as ThirdPartyCdn from "./ThirdPartyCdn.js"

/**
 * The base URLs of the mock's providers, as `EmotesConfig` options.
 *
 * @since 0.1.0
 * @category urls
 */
export const urls = (baseUrl: string): EmotesConfig.EmotesConfig.Options => ({
  bttvApiUrl: `${baseUrl}/bttv/3`,
  bttvCdnUrl: `${baseUrl}/bttv-cdn`,
  ffzApiUrl: `${baseUrl}/ffz/v1`,
  sevenTvApiUrl: `${baseUrl}/7tv/v3`
})

const of = (s: MockWorld.WorldState, provider: ThirdPartyEmote["provider"], ownerId: string) =>
  s.thirdPartyEmotes.filter((e) => e.provider === provider && e.ownerId === ownerId)

const userOf = (s: MockWorld.WorldState, id: string) => s.users.find((u) => u.id === id)

const bttvItem = (e: ThirdPartyEmote) => ({
  id: e.id,
  code: e.name,
  imageType: e.animated ? "gif" : "png",
  animated: e.animated,
  userId: e.ownerId === "0" ? "5561169bd6b9d206222a8c19" : e.ownerId,
  modifier: false
})

const ffzItem = (ctx: RouteContext, e: ThirdPartyEmote) => ({
  id: Number(e.id),
  name: e.name,
  height: 28,
  width: 28,
  public: true,
  hidden: false,
  modifier: false,
  modifier_flags: 0,
  owner: null,
  urls: Object.fromEntries(
    ["1", "2", "4"].map((scale) => [scale, `${ctx.baseUrl}${ThirdPartyCdn.ffzPath}/${e.id}/${scale}`])
  ),
  status: 1,
  usage_count: 1
})

const ffzSet = (ctx: RouteContext, id: number, title: string, emotes: ReadonlyArray<ThirdPartyEmote>) => ({
  id,
  _type: 1,
  icon: null,
  title,
  css: null,
  emoticons: emotes.map((e) => ffzItem(ctx, e))
})

const sevenTvItem = (ctx: RouteContext, e: ThirdPartyEmote) => ({
  id: e.id,
  name: e.name,
  flags: e.zeroWidth ? 1 : 0,
  timestamp: 1700000000000,
  actor_id: null,
  data: {
    id: e.id,
    name: e.name,
    flags: e.zeroWidth ? 256 : 0,
    lifecycle: 3,
    state: ["LISTED"],
    listed: true,
    animated: e.animated,
    owner: null,
    host: {
      url: `${ctx.baseUrl}${ThirdPartyCdn.sevenTvPath}/${e.id}`,
      files: [1, 2, 3, 4].map((n) => ({
        name: `${n}x.webp`,
        static_name: `${n}x_static.webp`,
        width: 32 * n,
        height: 32 * n,
        frame_count: e.animated ? 2 : 1,
        size: 100,
        format: "WEBP"
      }))
    }
  }
})

const sevenTvSet = (ctx: RouteContext, id: string, name: string, emotes: ReadonlyArray<ThirdPartyEmote>) => ({
  id,
  name,
  flags: 0,
  tags: [],
  immutable: false,
  privileged: false,
  emotes: emotes.map((e) => sevenTvItem(ctx, e)),
  emote_count: emotes.length,
  capacity: 1000,
  owner: null
})

/** A handler reading the world snapshot and the route's `:id`. */
const handler = (
  ctx: RouteContext,
  answer: (s: MockWorld.WorldState, id: string) => ReturnType<typeof json>
) =>
  Effect.gen(function*() {
    const { id } = yield* HttpRouter.params
    return answer(yield* ctx.world.snapshot, id ?? "")
  })

const bttvChannel = (ctx: RouteContext) =>
  handler(ctx, (s, id) => {
    const own = of(s, "bttv", id)
    if (own.length === 0) return json({ message: "user not found" }, 404)
    // Half of a channel's emotes are its own, the rest shared from other channels (same item shape).
    const half = Math.ceil(own.length / 2)
    return json({
      id: `bttv${id}`,
      bots: [],
      avatar: `${ctx.baseUrl}/jtv_user_pictures/${userOf(s, id)?.login ?? id}.png`,
      channelEmotes: own.slice(0, half).map(bttvItem),
      sharedEmotes: own.slice(half).map((e) => ({ ...bttvItem(e), user: { id: "shared", name: "sharer" } }))
    })
  })

const ffzCached = (ctx: RouteContext, e: ThirdPartyEmote) => ({
  id: Number(e.id),
  user: { id: 1, name: "ffzuser", displayName: "FFZUser" },
  code: e.name,
  images: Object.fromEntries(
    ["1", "2", "4"].map((scale) => [`${scale}x`, `${ctx.baseUrl}${ThirdPartyCdn.ffzPath}/${e.id}/${scale}`])
  ),
  imageType: "png",
  animated: false
})

const ffzRoom = (ctx: RouteContext) =>
  handler(ctx, (s, id) => {
    const own = of(s, "ffz", id)
    if (own.length === 0) return json({ error: "Not Found", status: 404, message: "No such room" }, 404)
    const user = userOf(s, id)
    const setId = 500000 + Number(id.slice(-5))
    return json({
      room: {
        _id: setId,
        twitch_id: Number(id),
        id: user?.login ?? id,
        is_group: false,
        display_name: user?.displayName ?? id,
        set: setId,
        moderator_badge: null,
        mod_urls: null
      },
      sets: { [String(setId)]: ffzSet(ctx, setId, `${user?.displayName ?? id}'s Emotes`, own) }
    })
  })

const sevenTvUser = (ctx: RouteContext) =>
  handler(ctx, (s, id) => {
    const own = of(s, "7tv", id)
    if (own.length === 0) {
      return json({ status_code: 404, status: "Not Found", error: "user not found", error_code: 70440 }, 404)
    }
    const user = userOf(s, id)
    const setId = `set${id.padStart(21, "0")}`
    return json({
      id,
      platform: "TWITCH",
      username: user?.login ?? id,
      display_name: user?.displayName ?? id,
      linked_at: 1700000000000,
      emote_capacity: 1000,
      emote_set_id: setId,
      emote_set: sevenTvSet(ctx, setId, `${user?.displayName ?? id}'s Emotes`, own),
      user: {
        id: `user${id.padStart(20, "0")}`,
        username: user?.login ?? id,
        display_name: user?.displayName ?? id
      }
    })
  })

/**
 * The provider API routes (at the server root).
 *
 * @since 0.1.0
 * @category routers
 */
export const routes = (
  ctx: RouteContext,
  counted: Counted
): HttpRouter.HttpRouter<never, HttpServerRequest.HttpServerRequest> => {
  const get = <E, R>(path: string, h: Effect.Effect<ReturnType<typeof json>, E, R>) =>
    HttpRouter.get(path as `/${string}`, counted("GET", path, h))
  return HttpRouter.empty.pipe(
    get("/bttv/3/cached/emotes/global", handler(ctx, (s) => json(of(s, "bttv", "0").map(bttvItem)))),
    get("/bttv/3/cached/users/twitch/:id", bttvChannel(ctx)),
    get(
      "/bttv/3/cached/frankerfacez/emotes/global",
      handler(ctx, (s) => json(of(s, "ffz", "0").map((e) => ffzCached(ctx, e))))
    ),
    get(
      "/bttv/3/cached/frankerfacez/users/twitch/:id",
      handler(ctx, (s, id) => json(of(s, "ffz", id).map((e) => ffzCached(ctx, e))))
    ),
    get(
      "/ffz/v1/set/global",
      handler(
        ctx,
        (s) =>
          json({
            default_sets: [3],
            sets: { "3": ffzSet(ctx, 3, "Global Emotes", of(s, "ffz", "0")) },
            users: { "3": [] }
          })
      )
    ),
    get("/ffz/v1/room/id/:id", ffzRoom(ctx)),
    get(
      "/7tv/v3/emote-sets/global",
      handler(
        ctx,
        (s) => json(sevenTvSet(ctx, "62cdd34e72a832540de95857", "Global Emotes", of(s, "7tv", "0")))
      )
    ),
    get("/7tv/v3/users/twitch/:id", sevenTvUser(ctx)),
    HttpRouter.concat(ThirdPartyCdn.routes(ctx, counted))
  )
}
