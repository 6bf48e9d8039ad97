/**
 * 7TV emotes: the global set and the set a channel has active.
 *
 * Answers read (fields relied on; others ignored):
 * - `GET <api>/emote-sets/global`: `{ emotes: [active emote] }`.
 * - `GET <api>/users/twitch/<twitch id>`: `{ id, emote_set: { emotes: [active emote] } | null }`; 404
 *   when 7TV does not know the channel.
 * - An active emote: `{ id, name, flags?, data: { flags?, animated?, host: { url, files: [{ name }] } } }`.
 *   `name` is the name in that set (an alias may differ from `data.name`). Zero-width: bit 1 of the
 *   active emote's `flags`, or 256 in `data.flags` (older data). Pictures: `https:` + `host.url` +
 *   `/<1x|2x|3x|4x>.webp` (the WebP files the `files` list names, all four when it names none).
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
 * The 7TV service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class SevenTv extends Context.Tag("effect-twitcher/emotes/SevenTv")<SevenTv, EmoteProvider>() {}

/**
 * One active emote of a 7TV emote set, as 7TV's API sends it.
 *
 * @since 0.1.0
 * @category models
 */
export const ActiveEmote = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  flags: Schema.optional(Schema.Number),
  data: Schema.Struct({
    flags: Schema.optional(Schema.Number),
    animated: Schema.optional(Schema.Boolean),
    host: Schema.Struct({
      url: Schema.String,
      files: Schema.optionalWith(Schema.Array(Schema.Struct({ name: Schema.String })), { default: () => [] })
    })
  })
})

const Listed = Schema.optionalWith(Schema.NullOr(Schema.Array(Schema.Unknown)), { default: () => [] })
const SetAnswer = Schema.Struct({ emotes: Listed })
/** A user connection: always its `id`; `emote_set` absent or null when no set is active. */
const UserAnswer = Schema.Struct({
  id: Schema.String,
  emote_set: Schema.optionalWith(Schema.NullOr(SetAnswer), { default: () => null })
})

/** Zero-width: bit 1 of the active emote's flags, or (older data) 256 in the emote's own flags. */
const isZeroWidth = (e: typeof ActiveEmote.Type): boolean =>
  ((e.flags ?? 0) & 1) !== 0 || ((e.data.flags ?? 0) & 256) !== 0

const toEmote = (scope: ThirdPartyEmote["scope"]) => (e: typeof ActiveEmote.Type): ThirdPartyEmote => {
  const host = absolute(e.data.host.url).replace(/\/+$/, "")
  const named = new Set(e.data.host.files.map((f) => f.name))
  const urls: Partial<Record<Scale, string>> = {}
  for (const n of [1, 2, 3, 4] as const) {
    if (named.size === 0 || named.has(`${n}x.webp`)) urls[n] = `${host}/${n}x.webp`
  }
  return {
    provider: "7tv",
    id: e.id,
    name: e.name,
    urls,
    animated: e.data.animated ?? false,
    zeroWidth: isZeroWidth(e),
    scope
  }
}

/**
 * Builds the 7TV service on the `HttpClient` and `EmotesConfig` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<EmoteProvider, never, HttpClient.HttpClient | EmotesConfig> = Effect.gen(
  function*() {
    const config = yield* EmotesConfig
    const get = yield* Provider.getJson("7tv")
    const items = (values: ReadonlyArray<unknown> | null, scope: ThirdPartyEmote["scope"]) =>
      Effect.map(Provider.decodeItems("7tv", ActiveEmote, values ?? []), (list) => list.map(toEmote(scope)))
    const readGlobal = get(`${config.sevenTvApiUrl}/emote-sets/global`, SetAnswer).pipe(
      Effect.flatMap((answer) =>
        items(Option.match(answer, { onNone: () => [], onSome: (a) => a.emotes }), "global")
      )
    )
    const readChannel = (id: string) =>
      get(`${config.sevenTvApiUrl}/users/twitch/${encodeURIComponent(id)}`, UserAnswer).pipe(
        Effect.flatMap((answer) =>
          items(
            Option.match(answer, { onNone: () => [], onSome: (a) => a.emote_set?.emotes ?? [] }),
            "channel"
          )
        )
      )
    return yield* Provider.cached("7tv", readGlobal, readChannel)
  }
)

/**
 * The 7TV layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SevenTv, never, HttpClient.HttpClient | EmotesConfig> = Layer.effect(
  SevenTv,
  make
)
