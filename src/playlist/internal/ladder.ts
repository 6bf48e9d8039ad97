/**
 * The rendition ladder of a master playlist: how renditions compare, which one is "the source",
 * and the unique names they are listed and chosen by.
 *
 * Twitch's own names are not unique any more: with enhanced broadcasting a portrait 1080x1920
 * rendition is `1080p60` like the landscape one, and every rendition the broadcaster encodes is
 * flagged as the source; with AV1 or HEVC transcodes the same quality comes in several codecs.
 * The rules here make names unique without renaming anything that was unique before:
 * - a portrait rendition is `<name>-portrait` (`1080p60-portrait`);
 * - of several renditions with one name, the most widely decodable codec (H.264, then HEVC, then
 *   AV1), then the source, then the higher bandwidth, then the one listed first keeps the name;
 *   the others get their codec (`1080p60-av1`, `1080p60-h265`);
 * - what is still taken gets `_alt`, `_alt2`... as streamlink names duplicates.
 * Not exported from the package.
 *
 * @since 0.1.0
 * @internal
 */
import * as Option from "effect/Option"
import * as Order from "effect/Order"
import * as Codec from "../Codec.js"
import type { Variant } from "../MasterPlaylist.js"

type Rung = Pick<Variant, "shortSide" | "fps" | "videoCodec" | "isSource" | "bandwidth">

/**
 * Worst to best: short side, frame rate, codec preference, source before transcode, bandwidth.
 *
 * @since 0.1.0
 * @internal
 */
export const order = (preferred: ReadonlyArray<Codec.Codec>): Order.Order<Rung> =>
  Order.combineAll([
    Order.mapInput(Order.number, (v: Rung) => Option.getOrElse(v.shortSide, () => 0)),
    Order.mapInput(Order.number, (v: Rung) => Option.getOrElse(v.fps, () => 0)),
    Order.mapInput(Order.number, (v: Rung) => Codec.rank(preferred, v.videoCodec)),
    Order.mapInput(Order.boolean, (v: Rung) => v.isSource),
    Order.mapInput(Order.number, (v: Rung) => v.bandwidth)
  ])

const compatible = order(Codec.compatibilityOrder)

/** The index of the best of `indices` under `ord`; the first listed wins a tie. */
const bestIndex = <A>(items: ReadonlyArray<A>, indices: ReadonlyArray<number>, ord: Order.Order<A>) =>
  indices.reduce((best, i) => (ord(items[i]!, items[best]!) > 0 ? i : best))

type Named = Rung & Pick<Variant, "name" | "isAudioOnly" | "portrait">

const portraitPattern = /portrait/i

/** The name before uniqueness: Twitch's name, marked `-portrait` for a portrait rendition. */
const baseName = (v: Named) =>
  v.portrait && !v.isAudioOnly && !portraitPattern.test(v.name) ? `${v.name}-portrait` : v.name

/**
 * Unique names for renditions whose `name` is Twitch's (normalized) name, in the same order.
 *
 * @since 0.1.0
 * @internal
 */
export const uniqueNames = (variants: ReadonlyArray<Named>): ReadonlyArray<string> => {
  const bases = variants.map(baseName)
  const groups = new Map<string, Array<number>>()
  bases.forEach((base, i) => {
    const key = base.toLowerCase()
    groups.set(key, [...(groups.get(key) ?? []), i])
  })
  const names: Array<string | undefined> = variants.map(() => undefined)
  const used = new Set<string>()
  const primaries = new Map<string, number>()
  for (const [key, indices] of groups) {
    const primary = bestIndex(variants, indices, compatible)
    names[primary] = bases[primary]
    primaries.set(key, primary)
    used.add(key)
  }
  variants.forEach((v, i) => {
    if (names[i] !== undefined) return
    const base = bases[i]!
    const primary = variants[primaries.get(base.toLowerCase())!]!
    const byCodec = Option.isSome(v.videoCodec) && !Option.contains(primary.videoCodec, v.videoCodec.value)
      ? `${base}-${v.videoCodec.value}`
      : base
    let name = byCodec
    for (let n = 1; used.has(name.toLowerCase()); n++) name = `${byCodec}_alt${n === 1 ? "" : n}`
    names[i] = name
    used.add(name.toLowerCase())
  })
  return names.map((name, i) => name ?? bases[i]!)
}

/**
 * The index of "the source": of the renditions flagged as source (with enhanced broadcasting,
 * all of them), the best video one, landscape before portrait. `None` when none is flagged.
 *
 * @since 0.1.0
 * @internal
 */
export const primarySource = (
  variants: ReadonlyArray<Rung & Pick<Variant, "isAudioOnly" | "portrait">>
): Option.Option<number> => {
  const sources = variants.flatMap((v, i) => (v.isSource && !v.isAudioOnly ? [i] : []))
  const landscape = sources.filter((i) => !variants[i]!.portrait)
  const candidates = landscape.length > 0 ? landscape : sources
  return candidates.length === 0 ? Option.none() : Option.some(bestIndex(variants, candidates, compatible))
}
