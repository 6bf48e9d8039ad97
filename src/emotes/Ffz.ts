/**
 * FrankerFaceZ emotes: the global sets and a channel's room set, read from FFZ's API or from
 * BTTV's cache of it (`EmotesConfig.ffzSource`).
 *
 * Answers read (fields relied on; others ignored):
 * - `GET <ffz>/set/global`: `{ default_sets: [set id], sets: { <id>: { emoticons: [...] } } }`;
 *   only the `default_sets` are everyone's.
 * - `GET <ffz>/room/id/<twitch id>`: `{ sets: { <id>: { emoticons: [...] } } }`; 404 when FFZ
 *   does not know the channel.
 * - An emoticon: `{ id, name, urls: { "1", "2"?, "4"? }, animated?: { "1", "2"?, "4"? } }`
 *   (`animated` present for moving ones; URLs may be protocol-relative).
 * - BTTV's cache: `GET <bttv>/cached/frankerfacez/emotes/global` and
 *   `.../users/twitch/<twitch id>`, arrays of `{ id, code, images: { "1x", "2x"?, "4x"? }, animated? }`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { EmoteProvider } from "./EmoteProvider.js"
import { EmotesConfig } from "./EmotesConfig.js"
import * as Provider from "./internal/provider.js"
import type { Scale } from "./Picture.js"
import { absolute, type ThirdPartyEmote } from "./ThirdPartyEmote.js"

/**
 * The FFZ service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Ffz extends Context.Tag("effect-twitcher/emotes/Ffz")<Ffz, EmoteProvider>() {}

const Urls = Schema.Record({ key: Schema.String, value: Schema.NullOr(Schema.String) })

/**
 * One FFZ emoticon as FFZ's API sends it.
 *
 * @since 0.1.0
 * @category models
 */
export const FfzEmoticon = Schema.Struct({
  id: Schema.Union(Schema.Number, Schema.String),
  name: Schema.String,
  urls: Urls,
  animated: Schema.optional(Schema.NullOr(Urls))
})

/**
 * One FFZ emote as BTTV's cache sends it.
 *
 * @since 0.1.0
 * @category models
 */
export const CachedFfzEmote = Schema.Struct({
  id: Schema.Union(Schema.Number, Schema.String),
  code: Schema.String,
  images: Urls,
  animated: Schema.optional(Schema.Boolean)
})

const Sets = Schema.Record({
  key: Schema.String,
  value: Schema.Struct({
    emoticons: Schema.optionalWith(Schema.Array(Schema.Unknown), { default: () => [] })
  })
})
const GlobalAnswer = Schema.Struct({
  default_sets: Schema.Array(Schema.Union(Schema.Number, Schema.String)),
  sets: Sets
})
const RoomAnswer = Schema.Struct({ sets: Sets })
const Listed = Schema.Array(Schema.Unknown)

/** FFZ's scale names (`1`, `2`, `4`; BTTV's cache: `1x`, `2x`, `4x`) as ours. */
const byScale = (urls: Readonly<Record<string, string | null>>): Partial<Record<Scale, string>> => {
  const out: Partial<Record<Scale, string>> = {}
  for (const [key, url] of Object.entries(urls)) {
    const n = Number(key.replace(/x$/, ""))
    if (url !== null && (n === 1 || n === 2 || n === 3 || n === 4)) out[n] = absolute(url)
  }
  return out
}

const fromFfz = (scope: ThirdPartyEmote["scope"]) => (e: typeof FfzEmoticon.Type): ThirdPartyEmote => {
  const moving = e.animated !== undefined && e.animated !== null && Object.keys(e.animated).length > 0
  return {
    provider: "ffz",
    id: String(e.id),
    name: e.name,
    urls: byScale(moving && e.animated ? e.animated : e.urls),
    animated: moving,
    zeroWidth: false,
    scope
  }
}

const fromCache = (scope: ThirdPartyEmote["scope"]) => (e: typeof CachedFfzEmote.Type): ThirdPartyEmote => ({
  provider: "ffz",
  id: String(e.id),
  name: e.code,
  urls: byScale(e.images),
  animated: e.animated ?? false,
  zeroWidth: false,
  scope
})

/**
 * Builds the FFZ service on the `HttpClient` and `EmotesConfig` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<EmoteProvider, never, HttpClient.HttpClient | EmotesConfig> = Effect.gen(
  function*() {
    const config = yield* EmotesConfig
    const get = yield* Provider.getJson("ffz")
    const emoticons = (values: ReadonlyArray<unknown>, scope: ThirdPartyEmote["scope"]) =>
      Effect.map(Provider.decodeItems("ffz", FfzEmoticon, values), (list) => list.map(fromFfz(scope)))
    const cachedList = (url: string, scope: ThirdPartyEmote["scope"]) =>
      get(url, Listed).pipe(Effect.flatMap((answer) =>
        Effect.map(
          Provider.decodeItems("ffz", CachedFfzEmote, Option.getOrElse(answer, () => [])),
          (list) => list.map(fromCache(scope))
        )
      ))
    if (config.ffzSource === "betterttv") {
      return yield* Provider.cached(
        "ffz",
        cachedList(`${config.bttvApiUrl}/cached/frankerfacez/emotes/global`, "global"),
        (id) =>
          cachedList(
            `${config.bttvApiUrl}/cached/frankerfacez/users/twitch/${encodeURIComponent(id)}`,
            "channel"
          )
      )
    }
    const readGlobal = get(`${config.ffzApiUrl}/set/global`, GlobalAnswer).pipe(
      Effect.flatMap(Option.match({
        onNone: () => Effect.succeed([]),
        onSome: (answer) =>
          emoticons(answer.default_sets.flatMap((id) => answer.sets[String(id)]?.emoticons ?? []), "global")
      }))
    )
    const readChannel = (id: string) =>
      get(`${config.ffzApiUrl}/room/id/${encodeURIComponent(id)}`, RoomAnswer).pipe(
        Effect.flatMap(Option.match({
          onNone: () => Effect.succeed([]),
          onSome: (answer) => emoticons(Object.values(answer.sets).flatMap((set) => set.emoticons), "channel")
        }))
      )
    return yield* Provider.cached("ffz", readGlobal, readChannel)
  }
)

/**
 * The FFZ layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Ffz, never, HttpClient.HttpClient | EmotesConfig> = Layer.effect(Ffz, make)
