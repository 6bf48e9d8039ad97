/**
 * The third-party emotes of a channel, from every provider switched on in `EmotesConfig`, as one
 * table by name. When two emotes share a name, a channel's own emote wins over a global one, and
 * then 7TV over BTTV over FFZ (the order chat apps such as Chatterino use). A provider that fails
 * leaves its emotes out (logged once when it starts failing and once when it is back) and is named
 * in `failed`; the others are used.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Bttv from "./Bttv.js"
import type { EmoteProvider } from "./EmoteProvider.js"
import type { EmoteProviderError } from "./EmoteProviderError.js"
import { EmotesConfig } from "./EmotesConfig.js"
import * as Ffz from "./Ffz.js"
import * as FailureLog from "./internal/failureLog.js"
import * as SevenTv from "./SevenTv.js"
import { type Provider, providers as allProviders, type ThirdPartyEmote } from "./ThirdPartyEmote.js"

/**
 * A channel's third-party emotes by name, and the providers that could not be read.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmoteTable {
  readonly byName: ReadonlyMap<string, ThirdPartyEmote>
  readonly failed: ReadonlyArray<EmoteProviderError>
}

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class ThirdPartyEmotes extends Context.Tag("effect-twitcher/emotes/ThirdPartyEmotes")<
  ThirdPartyEmotes,
  ThirdPartyEmotes.Service
>() {}

/**
 * @since 0.1.0
 */
export declare namespace ThirdPartyEmotes {
  /**
   * What the service offers.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The providers switched on, in lookup order. */
    readonly providers: ReadonlyArray<Provider>
    /** The table of a channel (its Twitch user id; none: the global emotes only). Never fails. */
    readonly forChannel: (twitchUserId: string | undefined) => Effect.Effect<EmoteTable>
    /** Forgets kept answers (of one channel, or all) at every provider. */
    readonly refresh: (twitchUserId?: string) => Effect.Effect<void>
  }
}

/**
 * Merges lists in lookup order: the first list's emotes win over later ones with the same name.
 *
 * @since 0.1.0
 * @category utils
 */
export const merge = (
  lists: ReadonlyArray<ReadonlyArray<ThirdPartyEmote>>
): ReadonlyMap<string, ThirdPartyEmote> => {
  const byName = new Map<string, ThirdPartyEmote>()
  for (const list of lists) {
    for (const emote of list) if (!byName.has(emote.name)) byName.set(emote.name, emote)
  }
  return byName
}

/**
 * The service over given providers (in lookup order).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromProviders = (
  services: ReadonlyArray<EmoteProvider>
): Effect.Effect<ThirdPartyEmotes.Service> =>
  Effect.gen(function*() {
    const note = yield* FailureLog.make
    const tables = FailureLog.memo<ReadonlyMap<string, ThirdPartyEmote>>()
    const read = (
      service: EmoteProvider,
      key: string,
      effect: Effect.Effect<ReadonlyArray<ThirdPartyEmote>, EmoteProviderError>
    ) =>
      Effect.tap(Effect.either(effect), (result) =>
        note(`${service.provider} ${key}`, Either.isLeft(result) ? result.left.message : undefined))
    const forChannel = (id: string | undefined) =>
      Effect.gen(function*() {
        const [channel, global] = yield* Effect.all([
          id === undefined
            ? Effect.succeed([])
            : Effect.forEach(services, (s) =>
              read(s, `channel ${id}`, s.channel(id)), { concurrency: "unbounded" }),
          Effect.forEach(services, (s) =>
            read(s, "global", s.global), { concurrency: "unbounded" })
        ], { concurrency: "unbounded" })
        const results = [...channel, ...global]
        const lists = results.map((r) => (Either.isRight(r) ? r.right : []))
        const failed = results.flatMap((r) => (Either.isLeft(r) ? [r.left] : []))
        return {
          byName: tables(id ?? "", lists, () =>
            merge(lists)),
          failed
        }
      })
    return {
      providers: services.map((s) => s.provider),
      forChannel,
      refresh: (id) => Effect.forEach(services, (s) => s.refresh(id), { discard: true })
    }
  })

/**
 * Builds the service with every provider `EmotesConfig.enabled` switches on.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<ThirdPartyEmotes.Service, never, HttpClient.HttpClient | EmotesConfig> =
  Effect
    .gen(function*() {
      const config = yield* EmotesConfig
      const makers: Record<Provider, typeof Bttv.make> = {
        "7tv": SevenTv.make,
        bttv: Bttv.make,
        ffz: Ffz.make
      }
      const services = yield* Effect.forEach(allProviders.filter((p) => config.enabled[p]), (p) => makers[p])
      return yield* fromProviders(services)
    })

/**
 * The layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ThirdPartyEmotes, never, HttpClient.HttpClient | EmotesConfig> = Layer.effect(
  ThirdPartyEmotes,
  make
)

/**
 * A service with no provider at all (every table empty), for apps that show Twitch emotes only.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNone: Layer.Layer<ThirdPartyEmotes> = Layer.effect(ThirdPartyEmotes, fromProviders([]))
