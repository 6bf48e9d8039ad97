/**
 * Twitch's own chat pictures from Helix, kept per channel: global and channel chat badges, global
 * and channel emotes, emote sets, and cheermotes (global and a channel's), read through the
 * generated `Chat` and `Bits` services. Each answer is kept for `ttl` on the `Clock`, asked once
 * however many callers wait for it (Effect's `Cache`), failures kept for `failureTtl` only;
 * `refresh` forgets a channel's answers (or all) so the next read asks again. Each read the caches
 * make runs in a span `emotes.twitch.<badges|emotes|emote_set|cheermotes>` (`twitch.channel_id`
 * or `twitch.emote_set_id`; none for the global ones) around the Helix call's own spans.
 *
 * @since 0.1.0
 */
import * as Cache from "effect/Cache"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Bits from "../helix/generated/Bits.js"
import * as Chat from "../helix/generated/Chat.js"
import type * as Models from "../helix/generated/models.js"
import type * as OperationRunner from "../helix/OperationRunner.js"
import type { Scale, Theme } from "./Picture.js"

/**
 * One version of a chat badge (`subscriber` version `12`, `moderator` version `1`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Badge {
  readonly setId: string
  readonly version: string
  readonly title: string
  /** Picture URLs (Twitch's `1x`, `2x`, `4x` as scales 1, 2 and 4). */
  readonly urls: Readonly<Partial<Record<Scale, string>>>
}

/**
 * Badges by set id, then by version.
 *
 * @since 0.1.0
 * @category models
 */
export type BadgeTable = ReadonlyMap<string, ReadonlyMap<string, Badge>>

/**
 * A Twitch emote as Helix lists it.
 *
 * @since 0.1.0
 * @category models
 */
export interface TwitchEmote {
  readonly id: string
  readonly name: string
  /** Whether Twitch has an animated picture of it (`format` lists `animated`). */
  readonly animated: boolean
  readonly setId: Option.Option<string>
  readonly ownerId: Option.Option<string>
}

/**
 * One tier of a cheermote: from `minBits` on, its colour and pictures.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheerTier {
  readonly minBits: number
  /** `#RRGGBB`. */
  readonly color: string
  /** Picture URLs by theme, then animated or static, then scale (Twitch's `1`, `2`, `3`, `4`). */
  readonly images: Readonly<
    Record<Theme, Readonly<Record<"animated" | "static", Readonly<Partial<Record<Scale, string>>>>>>
  >
}

/**
 * A cheermote: the prefix typed before the amount (`Cheer`, `BibleThump`) and its tiers, lowest first.
 *
 * @since 0.1.0
 * @category models
 */
export interface Cheermote {
  readonly prefix: string
  readonly tiers: ReadonlyArray<CheerTier>
}

/**
 * The failures of a Helix read.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure = OperationRunner.Failure

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class TwitchAssets extends Context.Tag("effect-twitcher/emotes/TwitchAssets")<
  TwitchAssets,
  TwitchAssets.Service
>() {}

/**
 * @since 0.1.0
 */
export declare namespace TwitchAssets {
  /**
   * What the service offers.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    readonly globalBadges: Effect.Effect<BadgeTable, Failure>
    /** A channel's own badges (subscriber and bits badges). */
    readonly channelBadges: (broadcasterId: string) => Effect.Effect<BadgeTable, Failure>
    readonly globalEmotes: Effect.Effect<ReadonlyArray<TwitchEmote>, Failure>
    /** A channel's subscriber, follower and bits emotes. */
    readonly channelEmotes: (broadcasterId: string) => Effect.Effect<ReadonlyArray<TwitchEmote>, Failure>
    /** The emotes of emote sets (each set kept on its own). */
    readonly emoteSets: (setIds: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<TwitchEmote>, Failure>
    /** The cheermotes usable in a channel (its own and the global ones), or the global ones. */
    readonly cheermotes: (broadcasterId?: string) => Effect.Effect<ReadonlyArray<Cheermote>, Failure>
    /** Forgets kept answers (a channel's, or all) so the next read asks Helix. */
    readonly refresh: (broadcasterId?: string) => Effect.Effect<void>
  }

  /**
   * Options of {@link make}.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Options {
    /** How long an answer is used (default 10 minutes). */
    readonly ttl?: Duration.DurationInput | undefined
    /** How long a failure is remembered (default 30 seconds). */
    readonly failureTtl?: Duration.DurationInput | undefined
  }
}

const badgeTable = (badges: ReadonlyArray<Models.ChatBadge>): BadgeTable =>
  new Map(badges.map((set) => [
    set.setId,
    new Map(set.versions.map((v) => [v.id, {
      setId: set.setId,
      version: v.id,
      title: v.title,
      urls: { 1: v.imageUrl1x, 2: v.imageUrl2x, 4: v.imageUrl4x }
    }]))
  ]))

const emoteOf = (e: {
  readonly id: string
  readonly name: string
  readonly format: ReadonlyArray<string>
  readonly emoteSetId?: string
  readonly ownerId?: string
}): TwitchEmote => ({
  id: e.id,
  name: e.name,
  animated: e.format.includes("animated"),
  setId: Option.fromNullable(e.emoteSetId),
  ownerId: Option.fromNullable(e.ownerId)
})

const scales = (format: Option.Option<Models.CheermoteImageFormat>): Partial<Record<Scale, string>> =>
  Option.match(format, {
    onNone: () => ({}),
    onSome: (f) => {
      const out: Partial<Record<Scale, string>> = {}
      for (const s of [1, 2, 3, 4] as const) {
        const url = f[`${s}`]
        if (Option.isSome(url)) out[s] = url.value
      }
      return out
    }
  })

const themeOf = (theme: Option.Option<Models.CheermoteImageTheme>) => ({
  animated: scales(Option.flatMap(theme, (t) => t.animated)),
  static: scales(Option.flatMap(theme, (t) => t.static))
})

const cheermoteOf = (c: Models.Cheermote): Cheermote => ({
  prefix: c.prefix,
  tiers: [...c.tiers].sort((a, b) => a.minBits - b.minBits).map((t) => ({
    minBits: t.minBits,
    color: t.color,
    images: { dark: themeOf(t.images.dark), light: themeOf(t.images.light) }
  }))
})

/** The key of the global answers (no channel id is empty). */
const global = ""

/** A cache of one kind of answer by key, with the options' lifetimes; each read in a span. */
const cacheOf = <A>(
  options: TwitchAssets.Options,
  span: { readonly name: string; readonly key: string },
  read: (key: string) => Effect.Effect<A, Failure>
) => {
  const ttl = Duration.decode(options.ttl ?? "10 minutes")
  const failureTtl = Duration.decode(options.failureTtl ?? "30 seconds")
  const lookup = (key: string) =>
    Effect.withSpan(read(key), `emotes.twitch.${span.name}`, {
      attributes: key === global ? {} : { [span.key]: key }
    })
  return Cache.makeWith({
    capacity: 4096,
    lookup,
    timeToLive: (exit) => (Exit.isSuccess(exit) ? ttl : failureTtl)
  })
}

/**
 * Builds the service on the generated `Chat` and `Bits` services.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: TwitchAssets.Options = {}
): Effect.Effect<TwitchAssets.Service, never, Chat.Chat | Bits.Bits> =>
  Effect.gen(function*() {
    const chat = yield* Chat.Chat
    const bits = yield* Bits.Bits
    const channelKey = "twitch.channel_id"
    const badges = yield* cacheOf(options, { name: "badges", key: channelKey }, (id) =>
      Effect.map(id === global ? chat.globalBadges() : chat.channelBadges({ broadcasterId: id }), badgeTable))
    const emotes = yield* cacheOf(
      options,
      { name: "emotes", key: channelKey },
      (id): Effect.Effect<ReadonlyArray<TwitchEmote>, Failure> =>
        id === global
          ? Effect.map(chat.globalEmotes(), (a) =>
            a.data.map(emoteOf))
          : Effect.map(chat.channelEmotes({ broadcasterId: id }), (a) =>
            a.data.map(emoteOf))
    )
    const sets = yield* cacheOf(options, { name: "emote_set", key: "twitch.emote_set_id" }, (setId) =>
      Effect.map(chat.emoteSets({ emoteSetId: [setId] }), (a) =>
        a.data.map(emoteOf)))
    const cheers = yield* cacheOf(options, { name: "cheermotes", key: channelKey }, (id) =>
      Effect.map(bits.cheermotes(id === global ? {} : { broadcasterId: id }), (list) =>
        list.map(cheermoteOf)))
    return TwitchAssets.of({
      globalBadges: badges.get(global),
      channelBadges: (id) =>
        badges.get(id),
      globalEmotes: emotes.get(global),
      channelEmotes: (id) =>
        emotes.get(id),
      emoteSets: (ids) =>
        Effect.map(
          Effect.forEach(ids, (id) =>
            sets.get(id), { concurrency: 5 }),
          (l) =>
            l.flat()
        ),
      cheermotes: (id) =>
        cheers.get(id ?? global),
      refresh: (id) =>
        id === undefined
          ? Effect.all(
            [badges.invalidateAll, emotes.invalidateAll, cheers.invalidateAll, sets.invalidateAll],
            {
              discard: true
            }
          )
          : Effect.all([badges.invalidate(id), emotes.invalidate(id), cheers.invalidate(id)], {
            discard: true
          })
    })
  })

/**
 * The layer (needs the generated `Chat` and `Bits` services, e.g. from `Helix.layer()`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: TwitchAssets.Options = {}
): Layer.Layer<TwitchAssets, never, Chat.Chat | Bits.Bits> => Layer.effect(TwitchAssets, make(options))
