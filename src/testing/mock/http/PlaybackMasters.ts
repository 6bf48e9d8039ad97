/**
 * What the mock usher's master playlists look like: the two shapes Twitch serves (v1 with
 * `EXT-X-MEDIA`, v2 with `IVS-NAME`/`STABLE-VARIANT-ID`/`IVS-VARIANT-SOURCE`), which renditions a
 * request sees (`supported_codecs`), and the ladders of the two kinds of channel whose names
 * collide: enhanced broadcasting with portrait renditions beside landscape ones (every rendition
 * encoded by the broadcaster, so every one flagged as source, audio included), and AV1/HEVC
 * transcodes beside H.264 ones.
 *
 * @since 0.1.0
 */
import { createHmac } from "node:crypto"
import type * as MockWorld from "../World.js"

/**
 * One rendition in a master playlist: its quality and its media playlist URL.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rendition {
  readonly quality: MockWorld.Quality
  readonly url: string
}

/**
 * What the first lines of a master say: the broadcast, the server time, live or VOD.
 *
 * @since 0.1.0
 * @category models
 */
export interface MasterInfo {
  readonly broadcastId: string
  readonly serverTime: number
  readonly vod: boolean
}

const hex = (seed: string, length: number) =>
  createHmac("sha1", "mock").update(seed).digest("hex").slice(0, length)

const streamInf = (q: MockWorld.Quality) =>
  [
    `BANDWIDTH=${q.bandwidth}`,
    ...(q.resolution !== undefined ? [`RESOLUTION=${q.resolution}`] : []),
    `CODECS="${q.codecs}"`
  ].join(",")

const frameRate = (q: MockWorld.Quality) =>
  q.frameRate !== undefined ? `,FRAME-RATE=${q.frameRate.toFixed(3)}` : ""

/**
 * Renders a usher v1 master playlist (`EXT-X-TWITCH-INFO`, one `EXT-X-MEDIA` per rendition,
 * `GROUP-ID="chunked"` for the source; a video rendition flagged as source is
 * `NAME="<name> (source)"`, or `Source` in a VOD; audio is `Audio Only`, with ` (source)` when
 * the broadcaster encodes it, as with enhanced broadcasting).
 *
 * @since 0.1.0
 * @category playlists
 */
export const masterV1 = (renditions: ReadonlyArray<Rendition>, info: MasterInfo): string => {
  const lines = [
    "#EXTM3U",
    `#EXT-X-TWITCH-INFO:NODE="video-edge-mock.loopback",MANIFEST-NODE-TYPE="weaver_cluster",` +
    `MANIFEST-NODE="video-weaver.mock",SUPPRESS="false",SERVER-TIME="${info.serverTime.toFixed(2)}",` +
    `TRANSCODESTACK="2023-Transcode-QS-V1",USER-IP="127.0.0.1",SERVING-ID="${
      hex(info.broadcastId, 32)
    }",CLUSTER="mock",` +
    `ABS="false",BROADCAST-ID="${info.broadcastId}",USER-COUNTRY="US",MANIFEST-CLUSTER="mock",ORIGIN="mock",` +
    `C="false",D="false"`
  ]
  for (const { quality: q, url } of renditions) {
    if (q.audioOnly) {
      lines.push(
        `#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID="audio_only",NAME="Audio Only${
          q.source ? " (source)" : ""
        }",AUTOSELECT=NO,DEFAULT=NO`,
        `#EXT-X-STREAM-INF:${streamInf(q)},VIDEO="audio_only"`,
        url
      )
    } else {
      const name = q.source ? (info.vod ? "Source" : `${q.name} (source)`) : q.name
      lines.push(
        `#EXT-X-MEDIA:TYPE=VIDEO,GROUP-ID="${q.groupId}",NAME="${name}",AUTOSELECT=YES,DEFAULT=YES`,
        `#EXT-X-STREAM-INF:${streamInf(q)},VIDEO="${q.groupId}"${frameRate(q)}`,
        url
      )
    }
  }
  return lines.join("\n") + "\n"
}

/**
 * The `STABLE-VARIANT-ID` of a rendition: its group id, except the v1 source group `chunked`,
 * which usher v2 calls by its quality name.
 *
 * @since 0.1.0
 * @category playlists
 */
export const stableVariantId = (q: MockWorld.Quality): string => q.groupId === "chunked" ? q.name : q.groupId

/**
 * Renders a usher v2 master playlist (no `EXT-X-MEDIA`; `STABLE-VARIANT-ID`, `IVS-NAME` and
 * `IVS-VARIANT-SOURCE` on each `EXT-X-STREAM-INF`; VOD audio is named `audio`).
 *
 * @since 0.1.0
 * @category playlists
 */
export const masterV2 = (renditions: ReadonlyArray<Rendition>, info: MasterInfo): string => {
  const lines = [
    "#EXTM3U",
    `#EXT-X-SESSION-DATA:DATA-ID="NODE",VALUE="video-edge-mock.loopback"`,
    `#EXT-X-SESSION-DATA:DATA-ID="SERVER-TIME",VALUE="${info.serverTime.toFixed(2)}"`,
    `#EXT-X-SESSION-DATA:DATA-ID="USER-COUNTRY",VALUE="US"`
  ]
  for (const { quality: q, url } of renditions) {
    const ivsName = q.audioOnly ? (info.vod ? "audio" : "audio_only") : q.name
    lines.push(
      `#EXT-X-STREAM-INF:${streamInf(q)}${frameRate(q)},STABLE-VARIANT-ID="${stableVariantId(q)}",` +
        `IVS-NAME="${ivsName}",IVS-VARIANT-SOURCE="${q.source ? "source" : "transcode"}"`,
      url
    )
  }
  return lines.join("\n") + "\n"
}

/**
 * The usher codec (`supported_codecs` value) of a rendition's video, from its `CODECS`; `None`
 * (`undefined`) for audio only.
 *
 * @since 0.1.0
 * @category codecs
 */
export const usherCodec = (codecs: string): "h264" | "h265" | "av1" | undefined => {
  const video = codecs.split(",").map((c) => c.trim().toLowerCase())
  if (video.some((c) => c.startsWith("av01."))) return "av1"
  if (video.some((c) => c.startsWith("hvc1.") || c.startsWith("hev1."))) return "h265"
  if (video.some((c) => c.startsWith("avc1.") || c.startsWith("avc3."))) return "h264"
  return undefined
}

/**
 * Whether usher lists a rendition for a request's `supported_codecs` (a comma list; H.264 and
 * audio are always served, HEVC and AV1 only when asked for, as usher does).
 *
 * @since 0.1.0
 * @category codecs
 */
export const served = (q: MockWorld.Quality, supportedCodecs: string | undefined): boolean => {
  const codec = usherCodec(q.codecs)
  if (codec === undefined || codec === "h264") return true
  const asked = (supportedCodecs ?? "").split(",").map((c) => c.trim().toLowerCase())
  return asked.includes(codec)
}

const rung = (
  name: string,
  groupId: string,
  resolution: string,
  frameRate: number,
  bandwidth: number,
  codecs: string,
  source: boolean
): MockWorld.Quality => ({
  name,
  groupId,
  resolution,
  frameRate,
  bandwidth,
  codecs,
  source,
  audioOnly: false
})

const audio = (source: boolean): MockWorld.Quality => ({
  name: "audio_only",
  groupId: "audio_only",
  bandwidth: 160_000,
  codecs: "mp4a.40.2",
  source,
  audioOnly: true
})

/**
 * Enhanced broadcasting with a portrait (vertical) format: the broadcaster encodes every
 * rendition, so all are flagged as source (audio included); portrait renditions share Twitch's
 * names with landscape ones (`1080p60` for 1080x1920 and for 1920x1080). The portrait 1080p60,
 * with the higher bandwidth, is listed first.
 *
 * @since 0.1.0
 * @category ladders
 */
export const enhancedBroadcasting: ReadonlyArray<MockWorld.Quality> = [
  rung("1080p60", "1080p60_vertical", "1080x1920", 60, 8_500_000, "avc1.64002A,mp4a.40.2", true),
  rung("1080p60", "1080p60", "1920x1080", 60, 8_000_000, "avc1.64002A,mp4a.40.2", true),
  rung("720p60", "720p60", "1280x720", 60, 3_500_000, "avc1.4D401F,mp4a.40.2", true),
  rung("480p", "480p30_vertical", "480x852", 30, 1_500_000, "avc1.4D401F,mp4a.40.2", true),
  rung("480p", "480p30", "852x480", 30, 1_427_999, "avc1.4D401F,mp4a.40.2", true),
  rung("360p", "360p30_vertical", "360x640", 30, 680_000, "avc1.4D401E,mp4a.40.2", true),
  rung("360p", "360p30", "640x360", 30, 630_000, "avc1.4D401E,mp4a.40.2", true),
  audio(true)
]

/**
 * An HEVC 1440p60 source with AV1 and HEVC transcodes beside the H.264 ones (`1080p60` three
 * times, `720p60` twice); a request sees the HEVC and AV1 ones only when it asks for them.
 *
 * @since 0.1.0
 * @category ladders
 */
export const multiCodec: ReadonlyArray<MockWorld.Quality> = [
  rung("1440p60", "chunked", "2560x1440", 60, 9_500_000, "hev1.1.6.L150.90,mp4a.40.2", true),
  rung("1080p60", "1080p60_av1", "1920x1080", 60, 4_500_000, "av01.0.09M.08,mp4a.40.2", false),
  rung("1080p60", "1080p60_hevc", "1920x1080", 60, 5_000_000, "hev1.1.6.L120.90,mp4a.40.2", false),
  rung("1080p60", "1080p60", "1920x1080", 60, 6_000_000, "avc1.64002A,mp4a.40.2", false),
  rung("720p60", "720p60_av1", "1280x720", 60, 2_200_000, "av01.0.08M.08,mp4a.40.2", false),
  rung("720p60", "720p60", "1280x720", 60, 3_422_999, "avc1.4D401F,mp4a.40.2", false),
  rung("480p", "480p30", "852x480", 30, 1_427_999, "avc1.4D401F,mp4a.40.2", false),
  rung("360p", "360p30", "640x360", 30, 630_000, "avc1.4D401E,mp4a.40.2", false),
  rung("160p", "160p30", "284x160", 30, 230_000, "avc1.4D400C,mp4a.40.2", false),
  audio(false)
]

/**
 * The ladder a seeded live stream uses instead of the usual ones: with six or more live streams,
 * the last one broadcasts enhanced (portrait and landscape), the one before it has AV1/HEVC
 * transcodes. `undefined` for every other stream.
 *
 * @since 0.1.0
 * @category ladders
 */
export const seededLadder = (
  index: number,
  liveCount: number
): ReadonlyArray<MockWorld.Quality> | undefined =>
  liveCount < 6 ? undefined : index === liveCount - 1 ? enhancedBroadcasting : index === liveCount - 2
    ? multiCodec
    : undefined
