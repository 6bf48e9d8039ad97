/**
 * Turns a received chat message into what a viewer sees: fragments (text, Twitch emotes with their
 * picture URL at the chosen scale and theme, animated where they are; cheermotes with their tier's
 * picture and colour; mentions; links; BTTV, FFZ and 7TV emotes, zero-width ones as overlays of
 * the emote before them) and the sender's badges as pictures with titles.
 *
 * The service reads the channel's pictures from {@link TwitchAssets} (Helix) and
 * {@link ThirdPartyEmotes}, both kept and refreshed there. A source that fails does not fail the
 * message: its emotes stay text, its badges have no picture, and `unavailable` names it. The pure
 * {@link resolve} does the same from a {@link Catalog} the caller holds.
 *
 * ```ts
 * const resolver = yield* MessageResolver.MessageResolver
 * const shown = yield* resolver.resolve(ChatInput.fromPrivmsg(privmsg))
 * ```
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { TwitchConfig } from "../TwitchConfig.js"
import type { ChatInput } from "./ChatInput.js"
import type { Resolved } from "./Fragment.js"
import * as FailureLog from "./internal/failureLog.js"
import * as internal from "./internal/resolve.js"
import type * as Picture from "./Picture.js"
import { ThirdPartyEmotes } from "./ThirdPartyEmotes.js"
import { type BadgeTable, type Cheermote, TwitchAssets, type TwitchEmote } from "./TwitchAssets.js"

/**
 * Everything the resolution of a channel's messages needs (see the fields).
 *
 * @since 0.1.0
 * @category models
 */
export type Catalog = internal.Catalog

/**
 * Options: picture scale and theme, and whether to link animated pictures (default yes).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Picture.Options {
  readonly animated?: boolean | undefined
}

const choicesOf = (options: Options): internal.Choices => ({
  scale: options.scale ?? 1,
  theme: options.theme ?? "dark",
  animated: options.animated ?? true
})

/**
 * Resolves a message against a catalog (pure).
 *
 * @since 0.1.0
 * @category resolving
 */
export const resolve = (input: ChatInput, catalog: Catalog, options: Options = {}): Resolved => {
  const choices = choicesOf(options)
  return {
    input,
    fragments: internal.fragments(input, catalog, choices),
    badges: internal.badges(input, catalog, choices.scale),
    unavailable: []
  }
}

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class MessageResolver extends Context.Tag("effect-twitcher/emotes/MessageResolver")<
  MessageResolver,
  MessageResolver.Service
>() {}

/**
 * @since 0.1.0
 */
export declare namespace MessageResolver {
  /**
   * What the service offers.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Resolves a message with its channel's current pictures. Never fails. */
    readonly resolve: (input: ChatInput) => Effect.Effect<Resolved>
    /** The catalog of a channel (its Twitch user id), and the sources that could not be read. */
    readonly catalog: (
      channelId: string
    ) => Effect.Effect<{ readonly catalog: Catalog; readonly unavailable: ReadonlyArray<string> }>
    /** Reads a channel's pictures now (e.g. before its first message arrives). */
    readonly preload: (channelId: string) => Effect.Effect<void>
    /** Forgets a channel's kept pictures (or all) at every source. */
    readonly refresh: (channelId?: string) => Effect.Effect<void>
  }
}

const noBadges: BadgeTable = new Map()

/**
 * Builds the service.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<MessageResolver.Service, never, TwitchConfig | TwitchAssets | ThirdPartyEmotes> =>
  Effect.gen(function*() {
    const config = yield* TwitchConfig
    const assets = yield* TwitchAssets
    const thirdParty = yield* ThirdPartyEmotes
    const choices = choicesOf(options)
    const note = yield* FailureLog.make
    const emoteMaps = FailureLog.memo<ReadonlyMap<string, TwitchEmote>>()
    const read = <A, E extends { readonly message: string }>(
      name: string,
      effect: Effect.Effect<A, E>,
      fallback: A
    ): Effect.Effect<{ readonly value: A; readonly failed: boolean }> =>
      Effect.flatMap(Effect.either(effect), (result) =>
        Effect.as(
          note(`helix ${name}`, Either.isLeft(result) ? result.left.message : undefined),
          Either.isLeft(result) ? { value: fallback, failed: true } : { value: result.right, failed: false }
        ))
    const catalog = (channelId: string) =>
      Effect.gen(function*() {
        const none: ReadonlyArray<TwitchEmote> = []
        const noCheers: ReadonlyArray<Cheermote> = []
        const [globalBadges, channelBadges, globalEmotes, channelEmotes, cheermotes, table] = yield* Effect
          .all([
            read("global badges", assets.globalBadges, noBadges),
            read(`badges of ${channelId}`, assets.channelBadges(channelId), noBadges),
            read("global emotes", assets.globalEmotes, none),
            read(`emotes of ${channelId}`, assets.channelEmotes(channelId), none),
            read(`cheermotes of ${channelId}`, assets.cheermotes(channelId), noCheers),
            thirdParty.forChannel(channelId)
          ], { concurrency: "unbounded" })
        const unavailable = [
          ...(globalBadges.failed || channelBadges.failed ? ["helix badges"] : []),
          ...(globalEmotes.failed || channelEmotes.failed ? ["helix emotes"] : []),
          ...(cheermotes.failed ? ["helix cheermotes"] : []),
          ...new Set(table.failed.map((e) => e.provider))
        ]
        const twitchEmotes = emoteMaps(
          channelId,
          [globalEmotes.value, channelEmotes.value],
          () => new Map([...globalEmotes.value, ...channelEmotes.value].map((e) => [e.id, e]))
        )
        return {
          catalog: {
            emoteCdnUrl: config.emoteCdnUrl,
            twitchEmotes,
            thirdParty: table.byName,
            cheermotes: cheermotes.value,
            channelBadges: channelBadges.value,
            globalBadges: globalBadges.value
          },
          unavailable
        }
      })
    return MessageResolver.of({
      catalog,
      resolve: (input) =>
        Effect.map(catalog(input.channelId), ({ catalog, unavailable }) => ({
          input,
          fragments: internal.fragments(input, catalog, choices),
          badges: internal.badges(input, catalog, choices.scale),
          unavailable
        })),
      preload: (channelId) => Effect.asVoid(catalog(channelId)),
      refresh: (channelId) => Effect.zipRight(assets.refresh(channelId), thirdParty.refresh(channelId))
    })
  })

/**
 * The layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<MessageResolver, never, TwitchConfig | TwitchAssets | ThirdPartyEmotes> =>
  Layer.effect(MessageResolver, make(options))
