/**
 * Quality options and selection: the list of qualities a channel offers (pytwitcherapi's
 * `get_quality_options`, with today's names) and a helper that picks the best variant at or below
 * a requested quality.
 *
 * @since 0.1.0
 */
import * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as Order from "effect/Order"
import { QualityRestricted } from "../TwitchError.js"
import type { MasterPlaylist, Variant } from "./MasterPlaylist.js"
import { qualityNamePattern } from "./MasterPlaylist.js"

/**
 * What a quality string asks for:
 * - `source` (also `chunked`): the source rendition;
 * - `best` / `worst`: the highest / lowest video variant;
 * - `audio` (also `audio_only`): the audio-only variant;
 * - `<height>p[<fps>]` (`720p60`, `480p`): the best video variant at or below it. As in Twitch's
 *   names, no frame rate means 30 fps, so `720p` does not pick `720p60`;
 * - anything else: a variant with exactly that name.
 *
 * @since 0.1.0
 * @category models
 */
export type Request =
  | { readonly _tag: "Source" }
  | { readonly _tag: "Best" }
  | { readonly _tag: "Worst" }
  | { readonly _tag: "Audio" }
  | { readonly _tag: "AtMost"; readonly height: number; readonly fps: number }
  | { readonly _tag: "Named"; readonly name: string }

/**
 * Reads a quality string (case-insensitive, trimmed) into a {@link Request}.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRequest = (quality: string): Request => {
  const q = quality.trim().toLowerCase()
  switch (q) {
    case "source":
    case "chunked":
      return { _tag: "Source" }
    case "best":
      return { _tag: "Best" }
    case "worst":
      return { _tag: "Worst" }
    case "audio":
    case "audio_only":
      return { _tag: "Audio" }
  }
  const match = qualityNamePattern.exec(q)
  if (match) {
    return { _tag: "AtMost", height: Number(match[1]), fps: match[2] === undefined ? 30 : Number(match[2]) }
  }
  return { _tag: "Named", name: q }
}

const height = (v: Variant) => Option.getOrElse(v.height, () => 0)
const fps = (v: Variant) => Option.getOrElse(v.fps, () => 0)

/**
 * Orders video variants from worst to best: height, then frame rate, then the source before a
 * transcode of the same size, then bandwidth.
 *
 * @since 0.1.0
 * @category orders
 */
export const VariantOrder: Order.Order<Variant> = Order.combineAll([
  Order.mapInput(Order.number, height),
  Order.mapInput(Order.number, fps),
  Order.mapInput(Order.boolean, (v: Variant) => v.isSource),
  Order.mapInput(Order.number, (v: Variant) => v.bandwidth)
])

const video = (variants: ReadonlyArray<Variant>) =>
  variants.filter((v) => !v.isAudioOnly && Option.isSome(v.height))

/**
 * Picks a variant for a quality string (see {@link Request}): the source, the best or worst, the
 * audio, or the best video variant at or below `<height>p<fps>`. `None` when nothing fits.
 *
 * @since 0.1.0
 * @category selection
 */
export const select: {
  (quality: string): (variants: ReadonlyArray<Variant>) => Option.Option<Variant>
  (variants: ReadonlyArray<Variant>, quality: string): Option.Option<Variant>
} = dual(2, (variants: ReadonlyArray<Variant>, quality: string): Option.Option<Variant> => {
  const request = parseRequest(quality)
  switch (request._tag) {
    case "Source":
      return Arr.findFirst(variants, (v) => v.isSource)
    case "Audio":
      return Arr.findFirst(variants, (v) => v.isAudioOnly)
    case "Best": {
      const candidates = video(variants)
      return Arr.isNonEmptyReadonlyArray(candidates)
        ? Option.some(Arr.max(candidates, VariantOrder))
        : Option.none()
    }
    case "Worst": {
      const candidates = video(variants)
      return Arr.isNonEmptyReadonlyArray(candidates)
        ? Option.some(Arr.min(candidates, VariantOrder))
        : Option.none()
    }
    case "AtMost": {
      const candidates = video(variants).filter((v) =>
        height(v) < request.height || (height(v) === request.height && fps(v) <= request.fps)
      )
      return Arr.isNonEmptyReadonlyArray(candidates)
        ? Option.some(Arr.max(candidates, VariantOrder))
        : Option.none()
    }
    case "Named":
      return Arr.findFirst(
        variants,
        (v) => v.name.toLowerCase() === request.name || v.quality === request.name
      )
  }
})

/**
 * The quality options of a playlist, as pytwitcherapi's `get_quality_options` gave them but with
 * today's names: `source` first, then the transcodes in Twitch's order (`720p60`, `480p`...),
 * `audio` last. Each option appears once.
 *
 * @since 0.1.0
 * @category selection
 */
export const options = (variants: ReadonlyArray<Variant>): ReadonlyArray<string> => {
  const rank = (v: Variant) => (v.isSource ? 0 : v.isAudioOnly ? 2 : 1)
  const sorted = Arr.sort(variants, Order.mapInput(Order.number, rank))
  return Arr.dedupe(sorted.map((v) => v.quality))
}

/**
 * Whether a quality string names one of the token's restricted (subscriber-only) qualities,
 * comparing Twitch names (`1080p60`, and `chunked` for `source`).
 *
 * @since 0.1.0
 * @category selection
 */
export const isRestricted = (quality: string, restricted: ReadonlyArray<string>): boolean => {
  const q = quality.trim().toLowerCase()
  const names = restricted.map((r) => r.toLowerCase())
  if (q === "source" || q === "chunked") return names.includes("chunked") || names.includes("source")
  if (q === "audio" || q === "audio_only") return names.includes("audio_only") || names.includes("audio")
  return names.includes(q) ||
    // `480p` and `480p30` are the same quality
    names.some((n) => n.replace(/^(\d+p)30$/, "$1") === q.replace(/^(\d+p)30$/, "$1"))
}

/**
 * Chooses the variant to play from a fetched playlist, as `Playlist.variant` does: a variant with
 * exactly that name or option first; else, when the token lists the quality as subscriber-only,
 * `QualityRestricted` with `reason: "SubscriberOnly"`; else {@link select}, failing with
 * `reason: "Unavailable"` when nothing fits. `channel` names the channel (or VOD id) in errors.
 *
 * @since 0.1.0
 * @category selection
 */
export const choose = (
  playlist: Pick<MasterPlaylist, "variants" | "restrictedQualities">,
  quality: string,
  channel: string
): Effect.Effect<Variant, QualityRestricted> => {
  const wanted = quality.trim().toLowerCase()
  const available = options(playlist.variants)
  const exact = playlist.variants.find((v) => v.name.toLowerCase() === wanted || v.quality === wanted)
  if (exact) return Effect.succeed(exact)
  if (isRestricted(quality, playlist.restrictedQualities)) {
    return Effect.fail(new QualityRestricted({ channel, quality, available, reason: "SubscriberOnly" }))
  }
  return Option.match(select(playlist.variants, quality), {
    onNone: () => Effect.fail(new QualityRestricted({ channel, quality, available, reason: "Unavailable" })),
    onSome: Effect.succeed
  })
}
