/**
 * The master (multivariant) playlist usher serves for a live channel or a VOD, parsed into typed
 * variants. Both shapes Twitch serves parse to the same result: the older one names each variant in
 * an `EXT-X-MEDIA` tag (`GROUP-ID="chunked"`, `NAME="1080p60 (source)"`), the newer usher v2 one in
 * vendor attributes of `EXT-X-STREAM-INF` (`IVS-NAME`, `STABLE-VARIANT-ID`, `IVS-VARIANT-SOURCE`).
 *
 * Parsing is done by videojs' `m3u8-parser`: it keeps every `EXT-X-STREAM-INF` attribute, vendor
 * ones included, indexes `EXT-X-MEDIA` renditions by `GROUP-ID` and `NAME`, and reads Twitch's own
 * `EXT-X-TWITCH-INFO` / `EXT-X-SESSION-DATA` lines through custom parsers.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Parser } from "m3u8-parser"
import { DecodeError } from "../TwitchError.js"
import * as Codec from "./Codec.js"
import { withoutQuery } from "./internal/http.js"
import * as Ladder from "./internal/ladder.js"

/**
 * A video resolution in pixels.
 *
 * @since 0.1.0
 * @category models
 */
export class Resolution extends Schema.Class<Resolution>("effect-twitcher/Resolution")({
  width: Schema.Int,
  height: Schema.Int
}) {}

/**
 * One variant (rendition) of a master playlist.
 *
 * - `name` is unique within the playlist and is what Twitch's player and streamlink show:
 *   Twitch's quality name without the ` (source)` marker (`1080p60`, `720p60`, `480p`,
 *   `audio_only`); a portrait rendition (enhanced broadcasting) is `1080p60-portrait`; of
 *   renditions sharing a name in several codecs, H.264 keeps the name and the others get their
 *   codec (`1080p60-av1`, `1080p60-h265`); `_alt` as streamlink for anything left. A VOD source
 *   named just `Source` gets a name from its resolution.
 * - `quality` is the pytwitcherapi-style option: `source` for the one rendition `source` picks
 *   (the best landscape one flagged as source), `audio` for audio only, else `name`.
 * - `isSource` is Twitch's flag as served: with enhanced broadcasting every rendition the
 *   broadcaster encodes has it.
 * - `videoCodec` is H.264, HEVC or AV1 (`None` for audio or another codec); `portrait` is true
 *   when the picture is taller than wide.
 * - `stableVariantId` is usher v2's `STABLE-VARIANT-ID` (the older shape has none); a rendition
 *   can be chosen by it as well as by its name.
 *
 * @since 0.1.0
 * @category models
 */
export class Variant extends Schema.Class<Variant>("effect-twitcher/Variant")({
  name: Schema.String,
  quality: Schema.String,
  isSource: Schema.Boolean,
  isAudioOnly: Schema.Boolean,
  resolution: Schema.OptionFromUndefinedOr(Resolution),
  frameRate: Schema.OptionFromUndefinedOr(Schema.Number),
  bandwidth: Schema.Number,
  codecs: Schema.Array(Schema.String),
  videoCodec: Schema.OptionFromUndefinedOr(Codec.Codec),
  portrait: Schema.Boolean,
  stableVariantId: Schema.OptionFromUndefinedOr(Schema.String),
  url: Schema.String
}) {
  /**
   * The height in pixels, from the resolution or else from the name (`720p60` → 720); `None` for
   * audio only.
   *
   * @since 0.1.0
   */
  get height(): Option.Option<number> {
    if (this.isAudioOnly) return Option.none()
    if (Option.isSome(this.resolution)) return Option.some(this.resolution.value.height)
    return nameLevel(this.name)
  }

  /**
   * The number in a quality name: the short side in pixels (1080 for 1920x1080 and for
   * 1080x1920), from the resolution or else the name; `None` for audio only.
   *
   * @since 0.1.0
   */
  get shortSide(): Option.Option<number> {
    if (this.isAudioOnly) return Option.none()
    if (Option.isSome(this.resolution)) {
      return Option.some(Math.min(this.resolution.value.width, this.resolution.value.height))
    }
    return nameLevel(this.name)
  }

  /**
   * The frame rate rounded to an integer, from `FRAME-RATE` or else the name (`480p` means 30).
   *
   * @since 0.1.0
   */
  get fps(): Option.Option<number> {
    if (this.isAudioOnly) return Option.none()
    if (Option.isSome(this.frameRate)) return Option.some(Math.round(this.frameRate.value))
    const match = namePrefixPattern.exec(this.name)
    if (!match) return Option.none()
    return Option.some(match[2] === undefined ? 30 : Number(match[2]))
  }
}

/**
 * Which shape the master playlist had: `media` (names in `EXT-X-MEDIA`), `ivs` (names in
 * `IVS-NAME`/`STABLE-VARIANT-ID`), or `mixed`.
 *
 * @since 0.1.0
 * @category models
 */
export const Shape = Schema.Literal("media", "ivs", "mixed")

/**
 * @since 0.1.0
 * @category models
 */
export type Shape = typeof Shape.Type

/**
 * A parsed master playlist.
 *
 * - `variants` in Twitch's order (source first, audio last as served).
 * - `info`: the `EXT-X-TWITCH-INFO` attributes and `EXT-X-SESSION-DATA` `DATA-ID`/`VALUE` pairs
 *   (`NODE`, `SERVER-TIME`, `USER-COUNTRY`...). They can include the viewer's IP (`USER-IP`).
 * - `restrictedQualities`: the subscriber-only qualities named by the access token
 *   (`chansub.restricted_bitrates`); they are absent from `variants`. Empty when parsed alone.
 *
 * @since 0.1.0
 * @category models
 */
export class MasterPlaylist extends Schema.Class<MasterPlaylist>("effect-twitcher/MasterPlaylist")({
  variants: Schema.Array(Variant),
  shape: Shape,
  info: Schema.Record({ key: Schema.String, value: Schema.String }),
  url: Schema.OptionFromUndefinedOr(Schema.String),
  restrictedQualities: Schema.Array(Schema.String)
}) {}

/**
 * `<height>p` optionally followed by the frame rate: `1080p60`, `480p`, `480p30`.
 *
 * @since 0.1.0
 * @category constants
 */
export const qualityNamePattern = /^(\d+)p(\d+)?$/

/** A quality name at the start of a longer name: `1080p60-portrait`, `720p60-av1`. */
const namePrefixPattern = /^(\d+)p(\d+)?(?=$|[-_\s])/

const nameLevel = (name: string): Option.Option<number> => {
  const match = namePrefixPattern.exec(name)
  return match ? Option.some(Number(match[1])) : Option.none()
}

const audioNames = new Set(["audio_only", "audio only", "audio"])
const sourceNames = new Set(["source", "chunked"])
const audioCodecPattern = /^(mp4a|opus|ac-3|ec-3|flac|mp3)/i

/**
 * Today's name for a quality derived from the short side of a resolution and a frame rate:
 * `1080p60`, and `480p` for 30 fps, as usher names them.
 *
 * @since 0.1.0
 * @category utils
 */
export const nameFromResolution = (height: number, frameRate: Option.Option<number>): string => {
  const fps = Option.map(frameRate, Math.round)
  return Option.isSome(fps) && fps.value !== 30 ? `${height}p${fps.value}` : `${height}p`
}

/**
 * Normalizes a raw variant name from either playlist shape: strips ` (source)`, maps
 * `Audio Only`/`audio` to `audio_only`, lower-cases quality names; `Source`/`chunked` become a
 * name from the resolution when there is one. Other names (old `high`, `medium`...) are kept.
 *
 * @since 0.1.0
 * @category utils
 */
export const normalizeName = (
  raw: string,
  resolution: Option.Option<Resolution> = Option.none(),
  frameRate: Option.Option<number> = Option.none()
): string => {
  const cleaned = raw.replace(/\s*\(source\)\s*$/i, "").trim()
  const lower = cleaned.toLowerCase()
  if (audioNames.has(lower)) return "audio_only"
  if (qualityNamePattern.test(lower)) return lower
  if (sourceNames.has(lower) || lower === "") {
    return Option.match(resolution, {
      onNone: () => "source",
      onSome: (r) => nameFromResolution(Math.min(r.width, r.height), frameRate)
    })
  }
  return cleaned
}

/**
 * The pytwitcherapi-style quality option of a variant: `audio`, `source` when it is the
 * rendition `source` picks (a playlist has at most one), or its name.
 *
 * @since 0.1.0
 * @category utils
 */
export const qualityOf = (
  variant: { readonly isSource: boolean; readonly isAudioOnly: boolean; readonly name: string }
) => variant.isAudioOnly ? "audio" : variant.isSource ? "source" : variant.name

const attributePattern = /([A-Z0-9-]+)=("[^"]*"|[^,]*)/g

/**
 * Reads an HLS attribute list (`KEY="v",KEY2=v2`) into a record, removing quotes.
 *
 * @since 0.1.0
 * @category utils
 */
export const parseAttributeList = (text: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const match of text.matchAll(attributePattern)) {
    const value = match[2]!
    out[match[1]!] = value.startsWith("\"") ? value.slice(1, -1) : value
  }
  return out
}

const stringAttr = (attributes: Record<string, unknown>, key: string): Option.Option<string> => {
  const value = attributes[key]
  return typeof value === "string" && value.trim() !== "" ? Option.some(value.trim()) : Option.none()
}

const numberAttr = (attributes: Record<string, unknown>, key: string): Option.Option<number> => {
  const value = attributes[key]
  return typeof value === "number" && Number.isFinite(value) ? Option.some(value) : Option.none()
}

const resolveUrl = (uri: string, base: string | undefined): string => {
  if (base === undefined) return uri
  try {
    return new URL(uri, base).toString()
  } catch {
    return uri
  }
}

const decodeError = (detail: string, url: string | undefined) =>
  new DecodeError({
    path: "playlist",
    detail,
    ...(url === undefined ? {} : { request: { method: "GET", url: withoutQuery(url) } })
  })

interface RawManifest {
  readonly playlists: ReadonlyArray<
    { readonly attributes: Record<string, unknown> | undefined; readonly uri: unknown }
  >
  readonly mediaGroups: Record<string, Record<string, Record<string, unknown>>>
  readonly segmentCount: number
  readonly twitchInfo: ReadonlyArray<string>
  readonly sessionData: ReadonlyArray<string>
}

const runParser = (text: string): RawManifest => {
  const twitchInfo: Array<string> = []
  const sessionData: Array<string> = []
  const parser = new Parser()
  parser.addParser({
    expression: /^#EXT-X-TWITCH-INFO:/,
    customType: "twitchInfo",
    dataParser: (line) => {
      twitchInfo.push(line.slice("#EXT-X-TWITCH-INFO:".length))
      return line
    }
  })
  parser.addParser({
    expression: /^#EXT-X-SESSION-DATA:/,
    customType: "sessionData",
    dataParser: (line) => {
      sessionData.push(line.slice("#EXT-X-SESSION-DATA:".length))
      return line
    }
  })
  parser.push(text)
  parser.end()
  const manifest = parser.manifest
  return {
    playlists: (manifest.playlists ?? []).map((p) => ({ attributes: p.attributes, uri: p.uri })),
    mediaGroups: (manifest.mediaGroups ?? {}) as RawManifest["mediaGroups"],
    segmentCount: manifest.segments.length,
    twitchInfo,
    sessionData
  }
}

type Skipped = { readonly uri: string; readonly reason: string }

const toVariant = (
  raw: RawManifest["playlists"][number],
  mediaGroups: RawManifest["mediaGroups"],
  base: string | undefined
): { readonly variant: Variant; readonly fromMedia: boolean } | Skipped => {
  const uri = typeof raw.uri === "string" ? raw.uri.trim() : ""
  if (typeof raw.attributes !== "object" || raw.attributes === null) {
    return { uri, reason: "URI without EXT-X-STREAM-INF" }
  }
  const attributes = raw.attributes
  if (uri === "") return { uri, reason: "no URI after EXT-X-STREAM-INF" }
  const bandwidth = numberAttr(attributes, "BANDWIDTH")
  if (Option.isNone(bandwidth)) return { uri, reason: "no BANDWIDTH" }
  const rawResolution = attributes["RESOLUTION"]
  const resolution = typeof rawResolution === "object" && rawResolution !== null &&
      Number.isInteger((rawResolution as { width?: unknown }).width) &&
      Number.isInteger((rawResolution as { height?: unknown }).height)
    ? Option.some(new Resolution(rawResolution as { width: number; height: number }))
    : Option.none()
  const frameRate = numberAttr(attributes, "FRAME-RATE")
  const codecs = Option.match(stringAttr(attributes, "CODECS"), {
    onNone: () => [],
    onSome: (c) => c.split(",").map((s) => s.trim()).filter((s) => s !== "")
  })

  // Older shape: VIDEO="<group>" links to an EXT-X-MEDIA rendition whose NAME is the quality.
  const groupId = stringAttr(attributes, "VIDEO")
  // A group holding several names (one GROUP-ID for many renditions) cannot tell which is ours.
  const mediaName = Option.flatMap(groupId, (id) => {
    const names = Object.keys(mediaGroups["VIDEO"]?.[id] ?? {})
    return names.length === 1 ? Option.some(names[0]!) : Option.none()
  })
  // Usher v2 shape: vendor attributes.
  const ivsName = stringAttr(attributes, "IVS-NAME")
  const stableId = stringAttr(attributes, "STABLE-VARIANT-ID")
  const ivsSource = stringAttr(attributes, "IVS-VARIANT-SOURCE")

  const rawName = Option.firstSomeOf([mediaName, ivsName, groupId, stableId])
  const fromMedia = Option.isSome(mediaName) || Option.isSome(groupId)
  const isSource = Option.contains(groupId, "chunked") ||
    Option.exists(mediaName, (n) => /\(source\)/i.test(n) || n.trim().toLowerCase() === "source") ||
    Option.exists(ivsSource, (s) => s.toLowerCase() === "source")
  const name = Option.match(rawName, {
    onNone: () =>
      Option.match(resolution, {
        onNone: () => Option.none<string>(),
        onSome: (r) => Option.some(nameFromResolution(Math.min(r.width, r.height), frameRate))
      }),
    onSome: (n) => Option.some(normalizeName(n, resolution, frameRate))
  })
  if (Option.isNone(name)) {
    return { uri, reason: "no name (EXT-X-MEDIA, IVS-NAME, STABLE-VARIANT-ID) and no RESOLUTION" }
  }
  const isAudioOnly = name.value === "audio_only" ||
    (Option.isNone(resolution) && codecs.length > 0 && codecs.every((c) => audioCodecPattern.test(c)))
  const finalName = isAudioOnly ? "audio_only" : name.value
  // `name` and `quality` are Twitch's here; `parse` makes them unique across the playlist.
  const variant = new Variant({
    name: finalName,
    quality: finalName,
    isSource,
    isAudioOnly,
    resolution,
    frameRate,
    bandwidth: bandwidth.value,
    codecs,
    videoCodec: isAudioOnly ? Option.none() : Codec.fromCodecs(codecs),
    portrait: !isAudioOnly && Option.exists(resolution, (r) => r.height > r.width),
    stableVariantId: stableId,
    url: resolveUrl(uri, base)
  })
  return { variant, fromMedia }
}

/**
 * Parses a master playlist. `url` (where it was fetched from) resolves relative variant URLs.
 * Names are made unique (see {@link Variant}) and at most one variant has the quality `source`.
 * Variants without a URI, a `BANDWIDTH`, or any way to name them are skipped with a logged
 * warning; text that is not a master playlist, or has no usable variant, fails with
 * `DecodeError`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (
  text: string,
  options?: { readonly url?: string | undefined }
): Effect.Effect<MasterPlaylist, DecodeError> =>
  Effect.gen(function*() {
    const url = options?.url
    const trimmed = text.replace(/^\uFEFF/, "").trimStart()
    if (!trimmed.startsWith("#EXTM3U")) {
      return yield* decodeError("not an M3U8 playlist (no #EXTM3U header)", url)
    }
    const raw = yield* Effect.try({
      try: () => runParser(trimmed),
      catch: (cause) => decodeError(`m3u8 parser failed: ${String(cause)}`, url)
    })
    if (raw.playlists.length === 0) {
      return yield* decodeError(
        raw.segmentCount > 0 ? "a media playlist, not a master playlist" : "no EXT-X-STREAM-INF variant",
        url
      )
    }
    const variants: Array<Variant> = []
    let media = 0
    let ivs = 0
    for (const entry of raw.playlists) {
      const result = toVariant(entry, raw.mediaGroups, url)
      if ("reason" in result) {
        yield* Effect.logWarning("Skipping a master playlist variant").pipe(
          Effect.annotateLogs({ reason: result.reason, uri: result.uri })
        )
        continue
      }
      variants.push(result.variant)
      if (result.fromMedia) media++
      else ivs++
    }
    if (variants.length === 0) return yield* decodeError("no usable variant", url)
    const names = Ladder.uniqueNames(variants)
    const source = Ladder.primarySource(variants)
    const named = variants.map((v, i) =>
      new Variant({
        ...v,
        name: names[i]!,
        quality: qualityOf({
          isSource: Option.contains(source, i),
          isAudioOnly: v.isAudioOnly,
          name: names[i]!
        })
      })
    )
    const info: Record<string, string> = {}
    for (const line of raw.twitchInfo) Object.assign(info, parseAttributeList(line))
    for (const line of raw.sessionData) {
      const { "DATA-ID": id, VALUE: value } = parseAttributeList(line)
      if (id !== undefined && value !== undefined) info[id] = value
    }
    return new MasterPlaylist({
      variants: named,
      shape: media > 0 && ivs > 0 ? "mixed" : media > 0 ? "media" : "ivs",
      info,
      url: Option.fromNullable(url),
      restrictedQualities: []
    })
  })
