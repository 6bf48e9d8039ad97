/**
 * BetterTTV emotes: the global ones and a channel's (its own and the shared ones it added).
 *
 * Answers read (fields relied on; others ignored):
 * - `GET <api>/cached/emotes/global`: an array of `{ id, code, imageType, animated? }`.
 * - `GET <api>/cached/users/twitch/<twitch id>`: `{ channelEmotes: [...], sharedEmotes: [...] }`
 *   of the same items; 404 when BTTV does not know the channel (no emotes).
 * - Pictures: `<cdn>/emote/<id>/<1x|2x|3x>`. `animated` (or, in older items, `imageType: "gif"`)
 *   says the picture moves. BTTV's overlay emotes (`SoSnowy`, `IceCold`, `SantaHat`, `TopHat`,
 *   `ReinDeer`, `CandyCane`, `cvMask`, `cvHazmat`) are zero-width.
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
import type { ThirdPartyEmote } from "./ThirdPartyEmote.js"

/**
 * The BTTV service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Bttv extends Context.Tag("effect-twitcher/emotes/Bttv")<Bttv, EmoteProvider>() {}

/**
 * One BTTV emote as its API sends it.
 *
 * @since 0.1.0
 * @category models
 */
export const BttvEmote = Schema.Struct({
  id: Schema.String,
  code: Schema.String,
  imageType: Schema.optional(Schema.String),
  animated: Schema.optional(Schema.Boolean)
})

const Listed = Schema.Array(Schema.Unknown)
/** BTTV always sends both lists (empty when the channel has none): without them, the API changed. */
const ChannelAnswer = Schema.Struct({ channelEmotes: Listed, sharedEmotes: Listed })

/**
 * BTTV's overlay emotes, drawn over the emote before them.
 *
 * @since 0.1.0
 * @category constants
 */
export const zeroWidthNames: ReadonlySet<string> = new Set([
  "SoSnowy",
  "IceCold",
  "SantaHat",
  "TopHat",
  "ReinDeer",
  "CandyCane",
  "cvMask",
  "cvHazmat"
])

const toEmote =
  (cdn: string, scope: ThirdPartyEmote["scope"]) => (e: typeof BttvEmote.Type): ThirdPartyEmote => ({
    provider: "bttv",
    id: e.id,
    name: e.code,
    urls: {
      1: `${cdn}/emote/${encodeURIComponent(e.id)}/1x`,
      2: `${cdn}/emote/${encodeURIComponent(e.id)}/2x`,
      3: `${cdn}/emote/${encodeURIComponent(e.id)}/3x`
    },
    animated: e.animated ?? e.imageType === "gif",
    zeroWidth: zeroWidthNames.has(e.code),
    scope
  })

/**
 * Builds the BTTV service on the `HttpClient` and `EmotesConfig` in context.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<EmoteProvider, never, HttpClient.HttpClient | EmotesConfig> = Effect.gen(
  function*() {
    const config = yield* EmotesConfig
    const get = yield* Provider.getJson("bttv")
    const items = (values: ReadonlyArray<unknown>, scope: ThirdPartyEmote["scope"]) =>
      Effect.map(
        Provider.decodeItems("bttv", BttvEmote, values),
        (list) => list.map(toEmote(config.bttvCdnUrl, scope))
      )
    const readGlobal = get(`${config.bttvApiUrl}/cached/emotes/global`, Listed).pipe(
      Effect.flatMap((answer) => items(Option.getOrElse(answer, () => []), "global"))
    )
    const readChannel = (id: string) =>
      get(`${config.bttvApiUrl}/cached/users/twitch/${encodeURIComponent(id)}`, ChannelAnswer).pipe(
        Effect.flatMap(Option.match({
          onNone: () => Effect.succeed([]),
          onSome: (answer) => items([...answer.channelEmotes, ...answer.sharedEmotes], "channel")
        }))
      )
    return yield* Provider.cached("bttv", readGlobal, readChannel)
  }
)

/**
 * The BTTV layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Bttv, never, HttpClient.HttpClient | EmotesConfig> = Layer.effect(Bttv, make)
