/**
 * Fixtures of the default world: the games, the word lists logins and titles are drawn from, the
 * quality ladders of streams and VODs, image URLs and time formatting.
 *
 * @since 0.1.0
 */
import type { Quality, RoomState } from "./Models.js"

/**
 * The default world's games: id, name and IGDB id (`""` when Twitch has none).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const gameSeeds: ReadonlyArray<readonly [string, string, string]> = [
  ["509658", "Just Chatting", ""],
  ["33214", "Fortnite", "1905"],
  ["27471", "Minecraft", "121"],
  ["21779", "League of Legends", "115"],
  ["32982", "Grand Theft Auto V", "1020"],
  ["516575", "VALORANT", "126459"],
  ["32399", "Counter-Strike", "241"],
  ["29595", "Dota 2", "2963"],
  ["18122", "World of Warcraft", "123"],
  ["511224", "Apex Legends", "114795"],
  ["743", "Chess", "1608"],
  ["1469308723", "Software and Game Development", ""]
]

/**
 * First halves of generated logins (`bravebadger12`).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const adjectives = [
  "brave",
  "calm",
  "daring",
  "eager",
  "fuzzy",
  "gentle",
  "happy",
  "icy",
  "jolly",
  "keen",
  "lucky",
  "mighty",
  "noble",
  "quick",
  "rapid",
  "silent",
  "tidy",
  "vivid",
  "wild",
  "zesty"
]
/**
 * Second halves of generated logins.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const nouns = [
  "badger",
  "comet",
  "dragon",
  "falcon",
  "gecko",
  "heron",
  "lynx",
  "mantis",
  "otter",
  "panda",
  "raven",
  "salmon",
  "tiger",
  "walrus",
  "yak",
  "zebra"
]
/**
 * Broadcast languages, weighted toward English.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const languages = ["en", "en", "en", "de", "fr", "es", "ja", "pt", "other"]
/**
 * Stream tags channels draw from.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const tagPool = [
  "English",
  "Chill",
  "Competitive",
  "Speedrun",
  "NoBackseating",
  "Educational",
  "Cozy",
  "Esports"
]
/**
 * Chat colors users draw from (`""`: never chose one).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const colors = [
  "#FF0000",
  "#0000FF",
  "#008000",
  "#B22222",
  "#FF7F50",
  "#9ACD32",
  "#1E90FF",
  "#8A2BE2",
  ""
]

/**
 * The ladder of renditions a partner stream offers.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const fullLadder: ReadonlyArray<Quality> = [
  {
    name: "1080p60",
    groupId: "chunked",
    resolution: "1920x1080",
    frameRate: 60,
    bandwidth: 8_042_999,
    codecs: "avc1.64002A,mp4a.40.2",
    source: true,
    audioOnly: false
  },
  {
    name: "720p60",
    groupId: "720p60",
    resolution: "1280x720",
    frameRate: 60,
    bandwidth: 3_422_999,
    codecs: "avc1.4D401F,mp4a.40.2",
    source: false,
    audioOnly: false
  },
  {
    name: "480p",
    groupId: "480p30",
    resolution: "852x480",
    frameRate: 30,
    bandwidth: 1_427_999,
    codecs: "avc1.4D401F,mp4a.40.2",
    source: false,
    audioOnly: false
  },
  {
    name: "360p",
    groupId: "360p30",
    resolution: "640x360",
    frameRate: 30,
    bandwidth: 630_000,
    codecs: "avc1.4D401F,mp4a.40.2",
    source: false,
    audioOnly: false
  },
  {
    name: "160p",
    groupId: "160p30",
    resolution: "284x160",
    frameRate: 30,
    bandwidth: 230_000,
    codecs: "avc1.4D401F,mp4a.40.2",
    source: false,
    audioOnly: false
  },
  audioQuality()
]

function audioQuality(): Quality {
  return {
    name: "audio_only",
    groupId: "audio_only",
    bandwidth: 160_000,
    codecs: "mp4a.40.2",
    source: false,
    audioOnly: true
  }
}

/**
 * Renditions of a stream without transcodes: the source and audio only.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const sourceOnly: ReadonlyArray<Quality> = [
  {
    name: "1080p60",
    groupId: "chunked",
    resolution: "1920x1080",
    frameRate: 60,
    bandwidth: 6_000_000,
    codecs: "avc1.64002A,mp4a.40.2",
    source: true,
    audioOnly: false
  },
  audioQuality()
]

/**
 * The quality ladders the default world uses, for tests adding streams.
 *
 * @since 0.1.0
 * @category constants
 */
export const qualityLadders = { full: fullLadder, sourceOnly } as const

/**
 * Formats epoch milliseconds as RFC3339 without fractional seconds, as Helix does.
 *
 * @since 0.1.0
 * @category utils
 */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")

/**
 * Twitch's static CDN, where profile images and box art live.
 *
 * @since 0.1.0
 * @category constants
 */
export const cdn = "https://static-cdn.jtvnw.net"

/**
 * A user's profile image URL.
 *
 * @since 0.1.0
 * @category utils
 */
export const profileImageUrl = (login: string): string =>
  `${cdn}/jtv_user_pictures/${login}-profile_image-300x300.png`

/**
 * A game's box art URL template (`{width}x{height}`).
 *
 * @since 0.1.0
 * @category utils
 */
export const boxArtUrl = (id: string): string => `${cdn}/ttv-boxart/${id}-{width}x{height}.jpg`

/**
 * Room modes of a channel with none set.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const defaultRoomState: RoomState = {
  emoteOnly: false,
  followersOnly: -1,
  r9k: false,
  slow: 0,
  subsOnly: false
}
