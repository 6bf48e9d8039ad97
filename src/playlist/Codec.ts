/**
 * Video codecs of Twitch renditions: H.264 everywhere, and HEVC (H.265) or AV1 where the
 * broadcaster sends them and the player asked usher for them (`supported_codecs`). A variant's
 * codec is read from its `CODECS` attribute (`avc1…`, `hvc1…`/`hev1…`, `av01…`).
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"

/**
 * A video codec, named as usher's `supported_codecs` names it: `h264`, `h265` (HEVC), `av1`.
 *
 * @since 0.1.0
 * @category models
 */
export const Codec = Schema.Literal("h264", "h265", "av1")

/**
 * @since 0.1.0
 * @category models
 */
export type Codec = typeof Codec.Type

/**
 * The codecs from the most to the least widely decodable: the default preference, and the order
 * that decides which of two same-named renditions keeps the plain name.
 *
 * @since 0.1.0
 * @category constants
 */
export const compatibilityOrder: ReadonlyArray<Codec> = ["h264", "h265", "av1"]

const prefixes: ReadonlyArray<readonly [RegExp, Codec]> = [
  [/^avc[13]\./i, "h264"],
  [/^(hvc1|hev1)\./i, "h265"],
  [/^av01\./i, "av1"]
]

/**
 * The video codec of an RFC 6381 codec list (`["hev1.1.6.L150.90", "mp4a.40.2"]` → `h265`);
 * `None` for audio only or a codec Twitch does not serve.
 *
 * @since 0.1.0
 * @category parsing
 */
export const fromCodecs = (codecs: ReadonlyArray<string>): Option.Option<Codec> => {
  for (const codec of codecs) {
    const found = prefixes.find(([pattern]) => pattern.test(codec.trim()))
    if (found) return Option.some(found[1])
  }
  return Option.none()
}

/**
 * Reads a codec name as people write it (`h264`, `avc`, `h265`, `hevc`, `av1`; any case).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (name: string): Option.Option<Codec> => {
  switch (name.trim().toLowerCase()) {
    case "h264":
    case "avc":
      return Option.some("h264")
    case "h265":
    case "hevc":
      return Option.some("h265")
    case "av1":
      return Option.some("av1")
    default:
      return Option.none()
  }
}

/**
 * How much a codec is wanted under a preference list: higher is better; codecs missing from the
 * list rank below every listed one (in {@link compatibilityOrder}), an unknown codec lowest.
 *
 * @since 0.1.0
 * @category ordering
 */
export const rank = (preferred: ReadonlyArray<Codec>, codec: Option.Option<Codec>): number => {
  if (Option.isNone(codec)) return 0
  const listed = preferred.indexOf(codec.value)
  if (listed >= 0) return 2 * compatibilityOrder.length + (preferred.length - listed)
  return 1 + (compatibilityOrder.length - compatibilityOrder.indexOf(codec.value))
}
