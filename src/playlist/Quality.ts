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
import * as Codec from "./Codec.js"
import * as Ladder from "./internal/ladder.js"
import type { MasterPlaylist, Variant } from "./MasterPlaylist.js"

/**
 * What a quality string asks for:
 * - `source` (also `chunked`): the source rendition (the best landscape one flagged as source);
 * - `best` / `worst`: the highest / lowest video variant, landscape unless the stream has none
 *   (`best-portrait` / `worst-portrait` for portrait);
 * - `audio` (also `audio_only`): the audio-only variant;
 * - `<height>p[<fps>]` (`720p60`, `480p`): the best landscape video variant at or below it (a
 *   stream with no landscape rendition offers its portrait ones). As in Twitch's names, no frame
 *   rate means 30 fps, so `720p` does not pick `720p60`. `-portrait` asks for portrait
 *   renditions, a codec suffix (`-h264`, `-h265`/`-hevc`, `-av1`) for that codec only;
 * - anything else: a variant with exactly that name or `STABLE-VARIANT-ID`.
 *
 * @since 0.1.0
 * @category models
 */
export type Request =
  | { readonly _tag: "Source" }
  | { readonly _tag: "Best"; readonly portrait?: true }
  | { readonly _tag: "Worst"; readonly portrait?: true }
  | { readonly _tag: "Audio" }
  | {
    readonly _tag: "AtMost"
    readonly height: number
    readonly fps: number
    readonly portrait?: true
    readonly codec?: Codec.Codec
  }
  | { readonly _tag: "Named"; readonly name: string }

const requestPattern = /^(\d+)p(\d+)?(-portrait)?(?:-(h264|avc|h265|hevc|av1))?$/
const extremePattern = /^(best|worst)(-portrait)?$/

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
    case "audio":
    case "audio_only":
      return { _tag: "Audio" }
  }
  const extreme = extremePattern.exec(q)
  if (extreme) {
    const tag = extreme[1] === "best" ? "Best" as const : "Worst" as const
    return extreme[2] === undefined ? { _tag: tag } : { _tag: tag, portrait: true }
  }
  const match = requestPattern.exec(q)
  if (match) {
    const codec = Option.flatMap(Option.fromNullable(match[4]), Codec.parse)
    return {
      _tag: "AtMost",
      height: Number(match[1]),
      fps: match[2] === undefined ? 30 : Number(match[2]),
      ...(match[3] === undefined ? {} : { portrait: true as const }),
      ...(Option.isSome(codec) ? { codec: codec.value } : {})
    }
  }
  return { _tag: "Named", name: q }
}

/**
 * Options of selection.
 *
 * @since 0.1.0
 * @category models
 */
export interface SelectOptions {
  /**
   * Codecs from the most wanted: between renditions of the same size and frame rate, the first
   * listed wins. Default {@link Codec.compatibilityOrder} (H.264, HEVC, AV1).
   */
  readonly preferredCodecs?: ReadonlyArray<Codec.Codec> | undefined
}

/**
 * Orders video variants from worst to best under a codec preference: short side (the `1080` of
 * `1080p60`, whatever the orientation), then frame rate, then the preferred codec, then the
 * source before a transcode, then bandwidth.
 *
 * @since 0.1.0
 * @category orders
 */
export const order = (preferredCodecs: ReadonlyArray<Codec.Codec>): Order.Order<Variant> =>
  Ladder.order(preferredCodecs)

/**
 * {@link order} with the default preference (H.264, HEVC, AV1).
 *
 * @since 0.1.0
 * @category orders
 */
export const VariantOrder: Order.Order<Variant> = order(Codec.compatibilityOrder)

const level = (v: Variant) => Option.getOrElse(v.shortSide, () => 0)
const fps = (v: Variant) => Option.getOrElse(v.fps, () => 0)

const video = (variants: ReadonlyArray<Variant>) =>
  variants.filter((v) => !v.isAudioOnly && Option.isSome(v.shortSide))

/** Video variants of one orientation; a landscape request on a portrait-only stream takes those. */
const oriented = (variants: ReadonlyArray<Variant>, portrait: boolean) => {
  const all = video(variants)
  const wanted = all.filter((v) => v.portrait === portrait)
  return wanted.length > 0 || portrait ? wanted : all
}

const maxOf = (candidates: ReadonlyArray<Variant>, ord: Order.Order<Variant>) =>
  Arr.isNonEmptyReadonlyArray(candidates) ? Option.some(Arr.max(candidates, ord)) : Option.none()

const sameText = (a: string) => (b: string) => a.toLowerCase() === b.toLowerCase()

/**
 * The variant with exactly this name, or else this `STABLE-VARIANT-ID` (any case).
 *
 * @since 0.1.0
 * @category selection
 */
export const byName = (variants: ReadonlyArray<Variant>, name: string): Option.Option<Variant> => {
  const wanted = sameText(name.trim())
  return Option.orElse(
    Arr.findFirst(variants, (v) => wanted(v.name)),
    () => Arr.findFirst(variants, (v) => Option.exists(v.stableVariantId, wanted))
  )
}

const selectRequest = (
  variants: ReadonlyArray<Variant>,
  request: Request,
  options: SelectOptions | undefined
): Option.Option<Variant> => {
  const ord = order(options?.preferredCodecs ?? Codec.compatibilityOrder)
  switch (request._tag) {
    case "Source":
      return Option.orElse(
        Arr.findFirst(variants, (v) => v.quality === "source"),
        () => Option.map(Ladder.primarySource(variants), (i) => variants[i]!)
      )
    case "Audio":
      return Arr.findFirst(variants, (v) => v.isAudioOnly)
    case "Best":
      return maxOf(oriented(variants, request.portrait === true), ord)
    case "Worst": {
      const candidates = oriented(variants, request.portrait === true)
      return Arr.isNonEmptyReadonlyArray(candidates) ? Option.some(Arr.min(candidates, ord)) : Option.none()
    }
    case "AtMost":
      return maxOf(
        oriented(variants, request.portrait === true).filter((v) =>
          (request.codec === undefined || Option.contains(v.videoCodec, request.codec)) &&
          (level(v) < request.height || (level(v) === request.height && fps(v) <= request.fps))
        ),
        ord
      )
    case "Named":
      return byName(variants, request.name)
  }
}

/**
 * Picks a variant for a quality string (see {@link Request}): the source, the best or worst, the
 * audio, or the best video variant at or below `<height>p<fps>`, landscape first, codecs as
 * preferred. `None` when nothing fits.
 *
 * @since 0.1.0
 * @category selection
 */
export const select: {
  (quality: string, options?: SelectOptions): (variants: ReadonlyArray<Variant>) => Option.Option<Variant>
  (variants: ReadonlyArray<Variant>, quality: string, options?: SelectOptions): Option.Option<Variant>
} = dual(
  (args) => Array.isArray(args[0]),
  (variants: ReadonlyArray<Variant>, quality: string, options?: SelectOptions): Option.Option<Variant> =>
    selectRequest(variants, parseRequest(quality), options)
)

/** What makes two renditions the same one served twice: everything but the URL. */
const renditionKey = (v: Variant) =>
  JSON.stringify([
    Option.getOrNull(Option.map(v.resolution, (r) => `${r.width}x${r.height}`)),
    Option.getOrNull(v.frameRate),
    v.codecs,
    v.bandwidth,
    v.isSource,
    v.isAudioOnly
  ])

/**
 * The quality options of a playlist: the name of every distinct rendition once, each of which
 * {@link choose} picks back. The source first, then the others in Twitch's order, audio only
 * last: `["1080p60", "1080p60-portrait", "720p60", ..., "audio_only"]`. A rendition served twice
 * (same everything but the URL) is listed once.
 *
 * @since 0.1.0
 * @category selection
 */
export const options = (variants: ReadonlyArray<Variant>): ReadonlyArray<string> => {
  const kept = new Map<string, Variant>()
  for (const v of variants) {
    const key = renditionKey(v)
    const seen = kept.get(key)
    if (seen === undefined || v.name.length < seen.name.length) kept.set(key, v)
  }
  const rank = (v: Variant) => (v.quality === "source" ? 0 : v.isAudioOnly ? 2 : 1)
  const sorted = Arr.sort(
    variants.filter((v) => kept.get(renditionKey(v)) === v),
    Order.mapInput(Order.number, rank)
  )
  return Arr.dedupe(sorted.map((v) => v.name))
}

/**
 * Whether a quality string names one of the token's restricted (subscriber-only) qualities,
 * comparing Twitch names (`1080p60`, and `chunked` for `source`). Our suffixes are Twitch's
 * name plus something (`1080p60-portrait`, `1080p60-av1`), so they compare as the plain name.
 *
 * @since 0.1.0
 * @category selection
 */
export const isRestricted = (quality: string, restricted: ReadonlyArray<string>): boolean => {
  const q = quality.trim().toLowerCase().replace(/(-portrait)?(-(h264|avc|h265|hevc|av1))?(_alt\d*)?$/, "")
  const names = restricted.map((r) => r.toLowerCase())
  if (q === "source" || q === "chunked") return names.includes("chunked") || names.includes("source")
  if (q === "audio" || q === "audio_only") return names.includes("audio_only") || names.includes("audio")
  return names.includes(q) ||
    // `480p` and `480p30` are the same quality
    names.some((n) => n.replace(/^(\d+p)30$/, "$1") === q.replace(/^(\d+p)30$/, "$1"))
}

/**
 * Chooses the variant to play from a fetched playlist, as `Playlist.variant` does: the variant
 * with exactly that name (or `STABLE-VARIANT-ID`) first, so every name in {@link options} picks
 * its rendition; else, when the token lists the quality as subscriber-only, `QualityRestricted`
 * with `reason: "SubscriberOnly"`; else {@link select}, failing with `reason: "Unavailable"`
 * when nothing fits. `channel` names the channel (or VOD id) in errors.
 *
 * @since 0.1.0
 * @category selection
 */
export const choose = (
  playlist: Pick<MasterPlaylist, "variants" | "restrictedQualities">,
  quality: string,
  channel: string,
  selectOptions?: SelectOptions
): Effect.Effect<Variant, QualityRestricted> => {
  const exact = byName(playlist.variants, quality)
  if (Option.isSome(exact)) return Effect.succeed(exact.value)
  const available = options(playlist.variants)
  if (isRestricted(quality, playlist.restrictedQualities)) {
    return Effect.fail(new QualityRestricted({ channel, quality, available, reason: "SubscriberOnly" }))
  }
  return Option.match(select(playlist.variants, quality, selectOptions), {
    onNone: () => Effect.fail(new QualityRestricted({ channel, quality, available, reason: "Unavailable" })),
    onSome: Effect.succeed
  })
}
