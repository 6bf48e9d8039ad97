/**
 * The mock Twitch's world: one seeded, consistent set of users, channels, games, live streams,
 * follows, emotes, OAuth clients and tokens that every mock surface (Helix, OAuth, GQL/usher, the
 * emote CDN, IRC) reads from. Same seed, same world. State lives in a `Ref`; all time comes from
 * Effect's `Clock`, so `TestClock` drives token and device-code expiry.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import { seededLadder } from "./http/PlaybackMasters.js"

// ---------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------

/**
 * A Twitch user (`type` and `broadcasterType` use Twitch's wire values).
 *
 * @since 0.1.0
 * @category models
 */
export const User = Schema.Struct({
  id: Schema.String,
  login: Schema.String,
  displayName: Schema.String,
  type: Schema.Literal("", "admin", "global_mod", "staff"),
  broadcasterType: Schema.Literal("", "affiliate", "partner"),
  description: Schema.String,
  profileImageUrl: Schema.String,
  offlineImageUrl: Schema.String,
  /** RFC3339. */
  createdAt: Schema.String,
  email: Schema.String,
  /** `#RRGGBB`, or `""` when the user never chose a chat color. */
  chatColor: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type User = typeof User.Type

/**
 * A game (category). `boxArtUrl` holds the `{width}x{height}` template; `igdbId` is `""` when
 * unknown.
 *
 * @since 0.1.0
 * @category models
 */
export const Game = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  boxArtUrl: Schema.String,
  igdbId: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Game = typeof Game.Type

/**
 * Chat room modes, as IRC `ROOMSTATE` reports them. `followersOnly` is minutes, `-1` when off.
 *
 * @since 0.1.0
 * @category models
 */
export const RoomState = Schema.Struct({
  emoteOnly: Schema.Boolean,
  followersOnly: Schema.Int,
  r9k: Schema.Boolean,
  slow: Schema.Int,
  subsOnly: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type RoomState = typeof RoomState.Type

/**
 * A subscriber of a channel.
 *
 * @since 0.1.0
 * @category models
 */
export const Subscriber = Schema.Struct({
  userId: Schema.String,
  months: Schema.Int,
  tier: Schema.Literal("1000", "2000", "3000")
})

/**
 * @since 0.1.0
 * @category models
 */
export type Subscriber = typeof Subscriber.Type

/**
 * A channel: one per user, keyed by `broadcasterId`. `gameId` is `""` when never set.
 *
 * @since 0.1.0
 * @category models
 */
export const Channel = Schema.Struct({
  broadcasterId: Schema.String,
  language: Schema.String,
  gameId: Schema.String,
  title: Schema.String,
  delay: Schema.Int,
  tags: Schema.Array(Schema.String),
  contentClassificationLabels: Schema.Array(Schema.String),
  isBrandedContent: Schema.Boolean,
  suspended: Schema.Boolean,
  moderators: Schema.Array(Schema.String),
  vips: Schema.Array(Schema.String),
  subscribers: Schema.Array(Subscriber),
  roomState: RoomState
})

/**
 * @since 0.1.0
 * @category models
 */
export type Channel = typeof Channel.Type

/**
 * One rendition of a stream or VOD. `groupId` is `chunked` for the source rendition (usher v1
 * naming) and equals `name` otherwise; audio has no resolution or frame rate.
 *
 * @since 0.1.0
 * @category models
 */
export const Quality = Schema.Struct({
  name: Schema.String,
  groupId: Schema.String,
  resolution: Schema.optional(Schema.String),
  frameRate: Schema.optional(Schema.Number),
  bandwidth: Schema.Int,
  codecs: Schema.String,
  source: Schema.Boolean,
  audioOnly: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type Quality = typeof Quality.Type

/**
 * A live stream. `restrictedQualities` lists quality names only subscribers get (absent from the
 * master playlist, listed in the access token's `chansub.restricted_bitrates`).
 *
 * @since 0.1.0
 * @category models
 */
export const LiveStream = Schema.Struct({
  id: Schema.String,
  userId: Schema.String,
  gameId: Schema.String,
  title: Schema.String,
  tags: Schema.Array(Schema.String),
  viewerCount: Schema.Int,
  /** RFC3339. */
  startedAt: Schema.String,
  language: Schema.String,
  qualities: Schema.Array(Quality),
  restrictedQualities: Schema.Array(Schema.String),
  geoBlocked: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type LiveStream = typeof LiveStream.Type

/**
 * A follow of `toId` by `fromId`.
 *
 * @since 0.1.0
 * @category models
 */
export const Follow = Schema.Struct({
  fromId: Schema.String,
  toId: Schema.String,
  /** RFC3339. */
  followedAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Follow = typeof Follow.Type

/**
 * An emote. `id` is numeric (`25`) or `emotesv2_<32 hex>`; `ownerId` is `"0"` for global emotes;
 * `tier` is set for subscription emotes only.
 *
 * @since 0.1.0
 * @category models
 */
export const Emote = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  formats: Schema.Array(Schema.Literal("static", "animated")),
  type: Schema.Literal("globals", "smilies", "subscriptions", "follower", "bitstier", "limitedtime"),
  setId: Schema.String,
  ownerId: Schema.String,
  tier: Schema.optional(Schema.Literal("1000", "2000", "3000"))
})

/**
 * @since 0.1.0
 * @category models
 */
export type Emote = typeof Emote.Type

/**
 * A registered application. Public clients have no usable secret and cannot use the
 * authorization-code grant.
 *
 * @since 0.1.0
 * @category models
 */
export const OAuthClient = Schema.Struct({
  clientId: Schema.String,
  secret: Schema.String,
  name: Schema.String,
  redirectUris: Schema.Array(Schema.String),
  type: Schema.Literal("confidential", "public")
})

/**
 * @since 0.1.0
 * @category models
 */
export type OAuthClient = typeof OAuthClient.Type

/**
 * An issued access token. `userId` is absent for app tokens. Times are epoch milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export const Token = Schema.Struct({
  value: Schema.String,
  clientId: Schema.String,
  userId: Schema.optional(Schema.String),
  scopes: Schema.Array(Schema.String),
  issuedAt: Schema.Number,
  expiresAt: Schema.Number,
  refreshToken: Schema.optional(Schema.String),
  revoked: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type Token = typeof Token.Type

/**
 * A device-code grant in progress. Times are epoch milliseconds; `interval` is seconds.
 *
 * @since 0.1.0
 * @category models
 */
export const DeviceCode = Schema.Struct({
  deviceCode: Schema.String,
  userCode: Schema.String,
  clientId: Schema.String,
  scopes: Schema.Array(Schema.String),
  state: Schema.Literal("pending", "approved", "denied", "consumed"),
  userId: Schema.optional(Schema.String),
  issuedAt: Schema.Number,
  expiresAt: Schema.Number,
  interval: Schema.Int,
  lastPollAt: Schema.optional(Schema.Number)
})

/**
 * @since 0.1.0
 * @category models
 */
export type DeviceCode = typeof DeviceCode.Type

/**
 * An authorization code from `/oauth2/authorize?response_type=code`, usable once.
 *
 * @since 0.1.0
 * @category models
 */
export const AuthCode = Schema.Struct({
  code: Schema.String,
  clientId: Schema.String,
  userId: Schema.String,
  scopes: Schema.Array(Schema.String),
  redirectUri: Schema.String,
  expiresAt: Schema.Number,
  used: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type AuthCode = typeof AuthCode.Type

/**
 * A past broadcast (VOD).
 *
 * @since 0.1.0
 * @category models
 */
export const Vod = Schema.Struct({
  id: Schema.String,
  userId: Schema.String,
  gameId: Schema.String,
  title: Schema.String,
  /** RFC3339. */
  createdAt: Schema.String,
  durationSeconds: Schema.Int,
  qualities: Schema.Array(Quality),
  restrictedQualities: Schema.Array(Schema.String),
  geoBlocked: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type Vod = typeof Vod.Type

/**
 * A user present in a channel's chat (what IRC `NAMES`/`JOIN` report).
 *
 * @since 0.1.0
 * @category models
 */
export const Chatter = Schema.Struct({
  channelId: Schema.String,
  userId: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Chatter = typeof Chatter.Type

/**
 * The whole world as data: what a JSON file for `npm run mock --world` holds (decode it with this
 * schema) and what {@link World.Service.snapshot} returns.
 *
 * @since 0.1.0
 * @category models
 */
export const WorldData = Schema.Struct({
  users: Schema.Array(User),
  games: Schema.Array(Game),
  channels: Schema.Array(Channel),
  streams: Schema.Array(LiveStream),
  follows: Schema.Array(Follow),
  emotes: Schema.Array(Emote),
  clients: Schema.Array(OAuthClient),
  tokens: Schema.Array(Token),
  deviceCodes: Schema.Array(DeviceCode),
  authCodes: Schema.Array(AuthCode),
  vods: Schema.Array(Vod),
  chatters: Schema.Array(Chatter)
})

/**
 * @since 0.1.0
 * @category models
 */
export type WorldData = typeof WorldData.Type

/**
 * A world file (`npm run mock -- --world file.json`): some or all of {@link WorldData}'s arrays.
 * Turn it into a world with {@link fromFile}.
 *
 * @since 0.1.0
 * @category models
 */
export const WorldFile = Schema.partialWith(WorldData, { exact: true })

/**
 * @since 0.1.0
 * @category models
 */
export type WorldFile = typeof WorldFile.Type

/**
 * The world plus the state of its deterministic random generator (used for new token values).
 *
 * @since 0.1.0
 * @category models
 */
export interface WorldState extends WorldData {
  readonly rng: number
}

/**
 * What changed in the world, published on {@link World.Service.events} (e.g. the IRC server sends
 * `ROOMSTATE` on `RoomStateChanged`).
 *
 * @since 0.1.0
 * @category models
 */
export type WorldEvent = Data.TaggedEnum<{
  UserAdded: { readonly user: User }
  ChannelUpdated: { readonly channel: Channel }
  RoomStateChanged: {
    readonly channelId: string
    readonly roomState: RoomState
    readonly changed: ReadonlyArray<keyof RoomState>
  }
  StreamStarted: { readonly stream: LiveStream }
  StreamEnded: { readonly userId: string }
  FollowAdded: { readonly follow: Follow }
  EmoteAdded: { readonly emote: Emote }
  ChatterJoined: { readonly channelId: string; readonly userId: string }
  ChatterLeft: { readonly channelId: string; readonly userId: string }
  TokenRevoked: { readonly token: Token }
}>

/**
 * Constructors and matchers for {@link WorldEvent}.
 *
 * @since 0.1.0
 * @category models
 */
export const WorldEvent = Data.taggedEnum<WorldEvent>()

/**
 * Why a world operation failed. OAuth reasons map 1:1 onto Twitch's answers (e.g.
 * `AuthorizationPending` is `{"status":400,"message":"authorization_pending"}`).
 *
 * @since 0.1.0
 * @category errors
 */
export class WorldError extends Schema.TaggedError<WorldError>("effect-twitcher/MockWorld/WorldError")(
  "WorldError",
  {
    reason: Schema.Literal(
      "NotFound",
      "Conflict",
      "InvalidInput",
      "InvalidClient",
      "InvalidToken",
      "ExpiredToken",
      "InvalidRefreshToken",
      "AuthorizationPending",
      "SlowDown",
      "InvalidDeviceCode",
      "AccessDenied",
      "InvalidCode"
    ),
    message: Schema.String
  }
) {}

// ---------------------------------------------------------------------------------------------
// Constants for tests
// ---------------------------------------------------------------------------------------------

/**
 * The seed of the default world.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSeed = 42

/**
 * Client id of the default (confidential) application. Registered redirect URIs:
 * `http://localhost:42420` and `http://localhost:3000`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultClientId = "mockclient0effecttwitcher00001"

/**
 * Secret of the default application.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultClientSecret = "mocksecret0effecttwitcher00001"

/**
 * Redirect URIs registered for the default application.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRedirectUris: ReadonlyArray<string> = ["http://localhost:42420", "http://localhost:3000"]

/**
 * Client id of a public application (device flow, no secret).
 *
 * @since 0.1.0
 * @category constants
 */
export const publicClientId = "mockclient0effecttwitcher00002"

/**
 * The Twitch web client id GQL accepts (also accepted by the mock's `/gql`).
 *
 * @since 0.1.0
 * @category constants
 */
export const webClientId = "kimne78kx3ncx6brgo4mv6wki5h1ko"

/**
 * Id of the default user (the one ready user tokens act for). Their channel is offline.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUserId = "100000001"

/**
 * Login of the default user.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUserLogin = "twitcher"

/**
 * Id of a second user (a viewer/bot account) with a ready token of its own.
 *
 * @since 0.1.0
 * @category constants
 */
export const secondUserId = "100000002"

/**
 * Login of the second user.
 *
 * @since 0.1.0
 * @category constants
 */
export const secondUserLogin = "twitcherbot"

/**
 * Every scope the mock knows (granted to {@link defaultUserToken}).
 *
 * @since 0.1.0
 * @category constants
 */
export const allScopes: ReadonlyArray<string> = [
  "analytics:read:extensions",
  "analytics:read:games",
  "bits:read",
  "channel:bot",
  "channel:edit:commercial",
  "channel:manage:broadcast",
  "channel:manage:moderators",
  "channel:manage:polls",
  "channel:manage:predictions",
  "channel:manage:raids",
  "channel:manage:redemptions",
  "channel:manage:schedule",
  "channel:manage:videos",
  "channel:manage:vips",
  "channel:moderate",
  "channel:read:editors",
  "channel:read:goals",
  "channel:read:hype_train",
  "channel:read:polls",
  "channel:read:predictions",
  "channel:read:redemptions",
  "channel:read:subscriptions",
  "channel:read:vips",
  "chat:edit",
  "chat:read",
  "clips:edit",
  "moderation:read",
  "moderator:manage:announcements",
  "moderator:manage:banned_users",
  "moderator:manage:chat_messages",
  "moderator:manage:chat_settings",
  "moderator:read:chatters",
  "moderator:read:followers",
  "user:bot",
  "user:edit",
  "user:manage:blocked_users",
  "user:manage:whispers",
  "user:read:blocked_users",
  "user:read:broadcast",
  "user:read:chat",
  "user:read:email",
  "user:read:emotes",
  "user:read:follows",
  "user:read:subscriptions",
  "user:write:chat",
  "whispers:read"
]

/**
 * A user token of the default user with {@link allScopes}, valid for a year from world creation.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUserToken = "mockusertoken0allscopes0000001"

/**
 * Refresh token paired with {@link defaultUserToken}.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultRefreshToken = "mockrefreshtoken0defaultuser00000000000000000000001"

/**
 * An app token (client credentials) of the default client.
 *
 * @since 0.1.0
 * @category constants
 */
export const appToken = "mockapptoken0defaultclient0001"

/**
 * A user token of the default user without `user:read:follows` (has `chat:read`, `chat:edit`,
 * `user:read:email`).
 *
 * @since 0.1.0
 * @category constants
 */
export const noFollowsUserToken = "mockusertoken0nofollows0000001"

/**
 * A user token of {@link secondUserId} with chat scopes (`chat:read`, `chat:edit`,
 * `user:read:chat`, `user:write:chat`).
 *
 * @since 0.1.0
 * @category constants
 */
export const secondUserToken = "mockusertoken0seconduser000001"

/**
 * A user token of the default user that expired one second before world creation.
 *
 * @since 0.1.0
 * @category constants
 */
export const expiredUserToken = "mockusertoken0expired000000001"

/**
 * Lifetime in seconds of freshly issued user tokens (Twitch's is about four hours).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultUserTokenLifetime = 14_400

/**
 * Lifetime in seconds of freshly issued app tokens (Twitch's is about 60 days).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultAppTokenLifetime = 5_184_000

/**
 * Lifetime in seconds of the ready tokens in the default world.
 *
 * @since 0.1.0
 * @category constants
 */
export const readyTokenLifetime = 365 * 24 * 3600

/**
 * Device-code lifetime (seconds) and polling interval (seconds), as Twitch answers them.
 *
 * @since 0.1.0
 * @category constants
 */
export const deviceCodeTiming = { expiresIn: 1800, interval: 5 } as const

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: one 32-bit state step, returns a float in [0, 1). */
const step = (state: number): readonly [number, number] => {
  const next = (state + 0x6D2B79F5) | 0
  let t = next
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next]
}

const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
const HEX = "0123456789abcdef"
const UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"

const randomString = (state: number, length: number, alphabet: string): readonly [string, number] => {
  let s = state
  let out = ""
  for (let i = 0; i < length; i++) {
    const [r, n] = step(s)
    s = n
    out += alphabet[Math.floor(r * alphabet.length)]
  }
  return [out, s]
}

/** A local generator for building a world in one go. */
const generator = (seed: number) => {
  let state = seed | 0
  const float = (): number => {
    const [r, n] = step(state)
    state = n
    return r
  }
  return {
    float,
    int: (min: number, max: number): number => min + Math.floor(float() * (max - min + 1)),
    pick: <A>(items: ReadonlyArray<A>): A => items[Math.floor(float() * items.length)],
    string: (length: number, alphabet: string): string => {
      const [s, n] = randomString(state, length, alphabet)
      state = n
      return s
    },
    state: (): number => state
  }
}

// ---------------------------------------------------------------------------------------------
// Default world
// ---------------------------------------------------------------------------------------------

const gameSeeds: ReadonlyArray<readonly [string, string, string]> = [
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

const adjectives = [
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
const nouns = [
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
const languages = ["en", "en", "en", "de", "fr", "es", "ja", "pt", "other"]
const tagPool = [
  "English",
  "Chill",
  "Competitive",
  "Speedrun",
  "NoBackseating",
  "Educational",
  "Cozy",
  "Esports"
]
const colors = ["#FF0000", "#0000FF", "#008000", "#B22222", "#FF7F50", "#9ACD32", "#1E90FF", "#8A2BE2", ""]

/** The ladder of renditions a partner stream offers. */
const fullLadder: ReadonlyArray<Quality> = [
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

/** Renditions of a stream without transcodes: the source and audio only. */
const sourceOnly: ReadonlyArray<Quality> = [
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

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")

const cdn = "https://static-cdn.jtvnw.net"

const profileImageUrl = (login: string): string =>
  `${cdn}/jtv_user_pictures/${login}-profile_image-300x300.png`

const boxArtUrl = (id: string): string => `${cdn}/ttv-boxart/${id}-{width}x{height}.jpg`

const defaultRoomState: RoomState = {
  emoteOnly: false,
  followersOnly: -1,
  r9k: false,
  slow: 0,
  subsOnly: false
}

/**
 * Options of the default world.
 *
 * @since 0.1.0
 * @category models
 */
export interface DefaultWorldOptions {
  readonly seed?: number
  /** Number of users (at least 24). Default 40. */
  readonly users?: number
  /** Number of live streams (at most users - 4). Default 20. */
  readonly liveStreams?: number
}

/**
 * Builds the default world for a seed, with "now" given in epoch milliseconds (stream start times
 * and token expiries are relative to it). Pure: same inputs, same world.
 *
 * Layout: user 0 is {@link defaultUserLogin} (offline, affiliate), user 1 {@link secondUserLogin};
 * users 2..(2+liveStreams-1) are live, spread over the 12 games with varied viewer counts; the
 * first live stream's channel restricts `1080p60` and `720p60` to subscribers, the second live
 * stream is geo-blocked; the last user's channel is suspended; the default user follows the first
 * 10 live channels and 5 offline ones.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultWorldData = (now: number, options: DefaultWorldOptions = {}): WorldState => {
  const seed = options.seed ?? defaultSeed
  const userCount = Math.max(24, options.users ?? 40)
  const liveCount = Math.min(userCount - 4, options.liveStreams ?? 20)
  const g = generator(seed)

  const games: Array<Game> = gameSeeds.map(([id, name, igdbId]) => ({
    id,
    name,
    boxArtUrl: boxArtUrl(id),
    igdbId
  }))

  const users: Array<User> = []
  const usedLogins = new Set<string>()
  for (let i = 0; i < userCount; i++) {
    let login: string
    let displayName: string
    if (i === 0) {
      login = defaultUserLogin
      displayName = "Twitcher"
    } else if (i === 1) {
      login = secondUserLogin
      displayName = "TwitcherBot"
    } else {
      do {
        const adjective = g.pick(adjectives)
        const noun = g.pick(nouns)
        login = `${adjective}${noun}${g.int(1, 99)}`
      } while (usedLogins.has(login))
      // A few users show a localized display name, as Twitch allows.
      displayName = i % 13 === 7 ? "ゲーマー" + String(i) : login[0].toUpperCase() + login.slice(1)
    }
    usedLogins.add(login)
    const id = String(100000001 + i)
    const broadcasterType: User["broadcasterType"] = i >= 2 && i < 8 ?
      "partner" :
      i < 2 + liveCount || i === 0
      ? "affiliate"
      : ""
    users.push({
      id,
      login,
      displayName,
      type: i === userCount - 2 ? "staff" : "",
      broadcasterType,
      description: `${displayName} streams on the mock Twitch.`,
      profileImageUrl: profileImageUrl(login),
      offlineImageUrl: i % 3 === 0
        ? `${cdn}/jtv_user_pictures/${login}-channel_offline_image-1920x1080.png`
        : "",
      createdAt: rfc3339(
        Date.UTC(2011 + g.int(0, 13), g.int(0, 11), g.int(1, 28), g.int(0, 23), g.int(0, 59))
      ),
      email: `${login}@mock.twitch.invalid`,
      chatColor: g.pick(colors)
    })
  }

  const channels: Array<Channel> = users.map((user, i) => {
    const game = i === 0 ? games[11] : g.pick(games)
    return {
      broadcasterId: user.id,
      language: i < 2 ? "en" : g.pick(languages),
      gameId: i === userCount - 3 ? "" : game.id,
      title: i === userCount - 3 ? "" : `${user.displayName} plays ${game.name}`,
      delay: 0,
      tags: [g.pick(tagPool), g.pick(tagPool)].filter((t, k, all) => all.indexOf(t) === k),
      contentClassificationLabels: i % 10 === 4 ? ["MatureGame"] : [],
      isBrandedContent: i % 11 === 5,
      suspended: i === userCount - 1,
      moderators: [],
      vips: [],
      subscribers: [],
      roomState: i === 3
        ? { ...defaultRoomState, slow: 30, followersOnly: 10 }
        : i === 4
        ? { ...defaultRoomState, emoteOnly: true, subsOnly: true, r9k: true }
        : defaultRoomState
    }
  })
  // The default user's channel: one moderator, one VIP, two subscribers.
  channels[0] = {
    ...channels[0],
    moderators: [users[1].id],
    vips: [users[2].id],
    subscribers: [{ userId: users[1].id, months: 14, tier: "1000" }, {
      userId: users[3].id,
      months: 3,
      tier: "2000"
    }]
  }
  for (let i = 2; i < 2 + liveCount; i++) {
    channels[i] = {
      ...channels[i],
      moderators: [users[(i + 5) % userCount].id, users[1].id].filter((id) => id !== users[i].id),
      vips: [users[(i + 7) % userCount].id].filter((id) => id !== users[i].id),
      subscribers: [{
        userId: users[0].id,
        months: g.int(1, 60),
        tier: g.pick(["1000", "2000", "3000"] as const)
      }]
    }
  }

  const streams: Array<LiveStream> = []
  for (let k = 0; k < liveCount; k++) {
    const i = 2 + k
    const user = users[i]
    const channel = channels[i]
    const gameId = channel.gameId === "" ? games[k % games.length].id : channel.gameId
    // Viewer counts fall off steeply and are distinct, so the order is stable.
    const viewerCount = Math.floor(120_000 / Math.pow(k + 1, 1.6)) + (liveCount - k)
    streams.push({
      id: String(40000000001 + k * 7919),
      userId: user.id,
      gameId,
      title: channel.title === "" ? `${user.displayName} is live` : channel.title,
      tags: channel.tags,
      viewerCount,
      startedAt: rfc3339(now - (10 + g.int(0, 600)) * 60_000),
      language: channel.language,
      qualities: seededLadder(k, liveCount) ??
        (user.broadcasterType === "partner" || k % 2 === 0 ? fullLadder : sourceOnly),
      restrictedQualities: k === 0 ? ["1080p60", "720p60"] : [],
      geoBlocked: k === 1
    })
    if (channel.gameId !== gameId) channels[i] = { ...channel, gameId }
  }

  const follows: Array<Follow> = []
  const followedAt = () =>
    rfc3339(
      Date.UTC(2019 + g.int(0, 6), g.int(0, 11), g.int(1, 28), g.int(0, 23), g.int(0, 59), g.int(0, 59))
    )
  for (let k = 0; k < Math.min(10, liveCount); k++) {
    follows.push({ fromId: users[0].id, toId: users[2 + k].id, followedAt: followedAt() })
  }
  for (let i = 2 + liveCount; i < Math.min(userCount - 1, 2 + liveCount + 5); i++) {
    follows.push({ fromId: users[0].id, toId: users[i].id, followedAt: followedAt() })
  }
  // Everyone follows a few channels; popular channels collect more followers.
  for (let i = 1; i < userCount; i++) {
    const count = g.int(1, 6)
    for (let c = 0; c < count; c++) {
      const target = 2 + Math.floor(Math.pow(g.float(), 2) * liveCount)
      if (target !== i && !follows.some((f) => f.fromId === users[i].id && f.toId === users[target].id)) {
        follows.push({ fromId: users[i].id, toId: users[target].id, followedAt: followedAt() })
      }
    }
  }
  for (let i = 2; i < userCount; i += 3) {
    if (!follows.some((f) => f.fromId === users[i].id && f.toId === users[0].id)) {
      follows.push({ fromId: users[i].id, toId: users[0].id, followedAt: followedAt() })
    }
  }

  const emotes: Array<Emote> = [
    { id: "25", name: "Kappa", formats: ["static"], type: "globals", setId: "0", ownerId: "0" },
    { id: "354", name: "4Head", formats: ["static"], type: "globals", setId: "0", ownerId: "0" },
    { id: "1902", name: "Keepo", formats: ["static"], type: "globals", setId: "0", ownerId: "0" },
    { id: "86", name: "BibleThump", formats: ["static"], type: "globals", setId: "0", ownerId: "0" },
    { id: "425618", name: "LUL", formats: ["static"], type: "globals", setId: "0", ownerId: "0" },
    { id: "305954156", name: "PogChamp", formats: ["static"], type: "globals", setId: "0", ownerId: "0" },
    { id: "1", name: ":)", formats: ["static"], type: "smilies", setId: "0", ownerId: "0" },
    {
      id: "emotesv2_" + g.string(32, HEX),
      name: "GlitchCat",
      formats: ["static", "animated"],
      type: "globals",
      setId: "0",
      ownerId: "0"
    }
  ]
  const emoteOwners = users.filter((u) => u.broadcasterType !== "")
  emoteOwners.forEach((user, n) => {
    const prefix = user.login.slice(0, 4)
    const baseSet = 300000000 + n * 10
    emotes.push(
      {
        id: "emotesv2_" + g.string(32, HEX),
        name: `${prefix}Hype`,
        formats: n % 2 === 0 ? ["static", "animated"] : ["static"],
        type: "subscriptions",
        setId: String(baseSet + 1),
        ownerId: user.id,
        tier: "1000"
      },
      {
        id: String(1000000 + n * 10 + 1),
        name: `${prefix}Love`,
        formats: ["static"],
        type: "subscriptions",
        setId: String(baseSet + 1),
        ownerId: user.id,
        tier: "1000"
      },
      {
        id: "emotesv2_" + g.string(32, HEX),
        name: `${prefix}Gold`,
        formats: ["static"],
        type: "subscriptions",
        setId: String(baseSet + 2),
        ownerId: user.id,
        tier: "2000"
      },
      {
        id: "emotesv2_" + g.string(32, HEX),
        name: `${prefix}Wave`,
        formats: ["static"],
        type: "follower",
        setId: String(baseSet + 3),
        ownerId: user.id
      }
    )
    if (user.broadcasterType === "partner") {
      emotes.push({
        id: "emotesv2_" + g.string(32, HEX),
        name: `${prefix}Cheer`,
        formats: ["static", "animated"],
        type: "bitstier",
        setId: String(baseSet + 4),
        ownerId: user.id
      })
    }
  })

  const clients: Array<OAuthClient> = [
    {
      clientId: defaultClientId,
      secret: defaultClientSecret,
      name: "effect-twitcher mock app",
      redirectUris: [...defaultRedirectUris],
      type: "confidential"
    },
    {
      clientId: publicClientId,
      secret: "",
      name: "effect-twitcher mock public app",
      redirectUris: [...defaultRedirectUris],
      type: "public"
    }
  ]

  const readyExpiry = now + readyTokenLifetime * 1000
  const tokens: Array<Token> = [
    {
      value: defaultUserToken,
      clientId: defaultClientId,
      userId: defaultUserId,
      scopes: [...allScopes],
      issuedAt: now,
      expiresAt: readyExpiry,
      refreshToken: defaultRefreshToken,
      revoked: false
    },
    {
      value: appToken,
      clientId: defaultClientId,
      scopes: [],
      issuedAt: now,
      expiresAt: readyExpiry,
      revoked: false
    },
    {
      value: noFollowsUserToken,
      clientId: defaultClientId,
      userId: defaultUserId,
      scopes: ["chat:edit", "chat:read", "user:read:email"],
      issuedAt: now,
      expiresAt: readyExpiry,
      revoked: false
    },
    {
      value: secondUserToken,
      clientId: defaultClientId,
      userId: secondUserId,
      scopes: ["chat:edit", "chat:read", "user:read:chat", "user:write:chat"],
      issuedAt: now,
      expiresAt: readyExpiry,
      revoked: false
    },
    {
      value: expiredUserToken,
      clientId: defaultClientId,
      userId: defaultUserId,
      scopes: [...allScopes],
      issuedAt: now - defaultUserTokenLifetime * 1000,
      expiresAt: now - 1000,
      revoked: false
    }
  ]

  const vods: Array<Vod> = []
  for (let k = 0; k < 6; k++) {
    const user = users[2 + k]
    vods.push({
      id: String(2000000001 + k),
      userId: user.id,
      gameId: channels[2 + k].gameId,
      title: `${user.displayName}'s past broadcast #${k + 1}`,
      createdAt: rfc3339(now - (k + 1) * 86_400_000),
      durationSeconds: 3600 + k * 600,
      qualities: fullLadder,
      restrictedQualities: k === 0 ? ["1080p60"] : [],
      geoBlocked: k === 1
    })
  }

  const chatters: Array<Chatter> = []
  for (let k = 0; k < liveCount; k++) {
    const channelId = users[2 + k].id
    chatters.push({ channelId, userId: channelId })
    const count = g.int(2, 6)
    for (let c = 0; c < count; c++) {
      const userId = users[g.int(0, userCount - 1)].id
      if (!chatters.some((x) => x.channelId === channelId && x.userId === userId)) {
        chatters.push({ channelId, userId })
      }
    }
  }

  return {
    users,
    games,
    channels,
    streams,
    follows,
    emotes,
    clients,
    tokens,
    deviceCodes: [],
    authCodes: [],
    vods,
    chatters,
    rng: g.state()
  }
}

/**
 * An empty world (only the default OAuth clients), for tests that build everything themselves.
 *
 * @since 0.1.0
 * @category constructors
 */
export const emptyWorldData = (seed: number = defaultSeed): WorldState => ({
  users: [],
  games: [],
  channels: [],
  streams: [],
  follows: [],
  emotes: [],
  clients: [
    {
      clientId: defaultClientId,
      secret: defaultClientSecret,
      name: "effect-twitcher mock app",
      redirectUris: [...defaultRedirectUris],
      type: "confidential"
    }
  ],
  tokens: [],
  deviceCodes: [],
  authCodes: [],
  vods: [],
  chatters: [],
  rng: seed | 0
})

/**
 * The world a {@link WorldFile} describes: missing arrays are empty, except `clients`, which
 * default to the default world's clients (so the ready client id and secret keep working).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromFile = (file: WorldFile): WorldData => {
  const { rng: _rng, ...empty } = emptyWorldData()
  return { ...empty, ...file, clients: file.clients ?? defaultWorldData(0).clients }
}

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

/**
 * Input of {@link World.Service.addUser}: only the login is required; the id is allocated and the
 * channel created (offline, no game).
 *
 * @since 0.1.0
 * @category models
 */
export interface NewUser {
  readonly login: string
  readonly id?: string
  readonly displayName?: string
  readonly type?: User["type"]
  readonly broadcasterType?: User["broadcasterType"]
  readonly description?: string
  readonly email?: string
  readonly chatColor?: string
  readonly createdAt?: string
  readonly channel?: Partial<Omit<Channel, "broadcasterId">>
}

/**
 * Input of {@link World.Service.startStream}.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewStream {
  readonly userId: string
  readonly gameId?: string
  readonly title?: string
  readonly viewerCount?: number
  readonly tags?: ReadonlyArray<string>
  readonly language?: string
  readonly qualities?: ReadonlyArray<Quality>
  readonly restrictedQualities?: ReadonlyArray<string>
  readonly geoBlocked?: boolean
  /** RFC3339; defaults to now. */
  readonly startedAt?: string
}

/**
 * Input of {@link World.Service.issueToken}.
 *
 * @since 0.1.0
 * @category models
 */
export interface IssueToken {
  readonly clientId: string
  /** Absent for an app token. */
  readonly userId?: string
  readonly scopes?: ReadonlyArray<string>
  /** Seconds; defaults to {@link defaultUserTokenLifetime} or {@link defaultAppTokenLifetime}. */
  readonly lifetimeSeconds?: number
  /** Whether to pair a refresh token (default: true for user tokens, never for app tokens). */
  readonly refreshable?: boolean
}

/**
 * The world's service: lookups, additions and the OAuth state machine.
 *
 * @since 0.1.0
 * @category tags
 */
export class World extends Context.Tag("effect-twitcher/testing/MockWorld")<World, World.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace World {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The seed the world was built from. */
    readonly seed: number
    /** The whole current state. */
    readonly snapshot: Effect.Effect<WorldState>
    /** Changes, for surfaces that push (IRC). Subscribe with `PubSub.subscribe`. */
    readonly events: PubSub.PubSub<WorldEvent>

    readonly userById: (id: string) => Effect.Effect<Option.Option<User>>
    /** Case-insensitive. */
    readonly userByLogin: (login: string) => Effect.Effect<Option.Option<User>>
    readonly channel: (broadcasterId: string) => Effect.Effect<Option.Option<Channel>>
    readonly game: (id: string) => Effect.Effect<Option.Option<Game>>
    /** The live stream of a user, if live. */
    readonly stream: (userId: string) => Effect.Effect<Option.Option<LiveStream>>
    /** All live streams, most viewers first (ties by stream id). */
    readonly streams: Effect.Effect<ReadonlyArray<LiveStream>>
    readonly vod: (id: string) => Effect.Effect<Option.Option<Vod>>
    readonly client: (clientId: string) => Effect.Effect<Option.Option<OAuthClient>>
    /** Users present in a channel's chat. */
    readonly chatters: (channelId: string) => Effect.Effect<ReadonlyArray<User>>
    /** Global emotes (`ownerId` `"0"`). */
    readonly globalEmotes: Effect.Effect<ReadonlyArray<Emote>>
    /** Emotes a channel owns. */
    readonly channelEmotes: (broadcasterId: string) => Effect.Effect<ReadonlyArray<Emote>>
    readonly emote: (id: string) => Effect.Effect<Option.Option<Emote>>

    /** Adds a user and their (offline) channel. Fails with `Conflict` on a taken id or login. */
    readonly addUser: (input: NewUser) => Effect.Effect<User, WorldError>
    readonly addGame: (game: Game) => Effect.Effect<Game, WorldError>
    /** Patches a channel (not its broadcaster id). */
    readonly updateChannel: (
      broadcasterId: string,
      patch: Partial<Omit<Channel, "broadcasterId">>
    ) => Effect.Effect<Channel, WorldError>
    /** Changes room modes; publishes `RoomStateChanged` with the changed keys. */
    readonly setRoomState: (
      channelId: string,
      patch: Partial<RoomState>
    ) => Effect.Effect<RoomState, WorldError>
    /** Puts a user live (replacing a running stream). */
    readonly startStream: (input: NewStream) => Effect.Effect<LiveStream, WorldError>
    readonly endStream: (userId: string) => Effect.Effect<void, WorldError>
    readonly addFollow: (fromId: string, toId: string) => Effect.Effect<Follow, WorldError>
    readonly addEmote: (emote: Emote) => Effect.Effect<Emote, WorldError>
    readonly addVod: (vod: Vod) => Effect.Effect<Vod, WorldError>
    readonly addChatter: (channelId: string, userId: string) => Effect.Effect<void, WorldError>
    readonly removeChatter: (channelId: string, userId: string) => Effect.Effect<void>
    readonly addClient: (client: OAuthClient) => Effect.Effect<OAuthClient, WorldError>
    readonly addRedirectUri: (clientId: string, uri: string) => Effect.Effect<void, WorldError>

    /** Issues a token (user token when `userId` is set, app token otherwise). */
    readonly issueToken: (input: IssueToken) => Effect.Effect<Token, WorldError>
    /** The token, if it exists, is not revoked and has not expired (`InvalidToken`/`ExpiredToken`). */
    readonly validateToken: (value: string) => Effect.Effect<Token, WorldError>
    /** Revokes a token of the given client (`InvalidToken` if unknown or another client's). */
    readonly revokeToken: (clientId: string, value: string) => Effect.Effect<Token, WorldError>
    /** Exchanges a one-time refresh token for a new token pair; the old access token is revoked. */
    readonly refreshToken: (clientId: string, refreshToken: string) => Effect.Effect<Token, WorldError>
    readonly createDeviceCode: (clientId: string, scopes: ReadonlyArray<string>) => Effect.Effect<
      DeviceCode,
      WorldError
    >
    /** Approves a pending user code for a user (default: the default user). */
    readonly approveDeviceCode: (userCode: string, userId?: string) => Effect.Effect<DeviceCode, WorldError>
    readonly denyDeviceCode: (userCode: string) => Effect.Effect<DeviceCode, WorldError>
    /** The latest device code created (handy in tests that did not see the HTTP answer). */
    readonly latestDeviceCode: Effect.Effect<Option.Option<DeviceCode>>
    /**
     * One poll of the token endpoint: fails `AuthorizationPending`, `SlowDown` (polled faster than
     * the interval), `AccessDenied`, `InvalidDeviceCode` (unknown, expired or used); succeeds once.
     */
    readonly pollDeviceCode: (clientId: string, deviceCode: string) => Effect.Effect<Token, WorldError>
    readonly createAuthCode: (input: {
      readonly clientId: string
      readonly userId: string
      readonly scopes: ReadonlyArray<string>
      readonly redirectUri: string
    }) => Effect.Effect<AuthCode, WorldError>
    /** Exchanges an authorization code once (`InvalidCode` otherwise). */
    readonly exchangeAuthCode: (input: {
      readonly clientId: string
      readonly code: string
      readonly redirectUri: string
    }) => Effect.Effect<Token, WorldError>
  }
}

const fail = (reason: WorldError["reason"], message: string) => new WorldError({ reason, message })

const byViewers = (a: LiveStream, b: LiveStream): number =>
  b.viewerCount - a.viewerCount || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * Options of {@link make}: a seed for the default world, or explicit data (e.g. decoded from a JSON
 * file with {@link WorldData}).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends DefaultWorldOptions {
  readonly data?: WorldData
}

/**
 * Builds a world service; "now" is read from the `Clock`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<World.Service> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const seed = options.seed ?? defaultSeed
    const initial: WorldState = options.data === undefined
      ? defaultWorldData(now, options)
      : { ...options.data, rng: seed | 0 }
    const ref = yield* Ref.make(initial)
    const events = yield* PubSub.unbounded<WorldEvent>()
    return makeService(seed, ref, events)
  })

const makeService = (
  seed: number,
  ref: Ref.Ref<WorldState>,
  events: PubSub.PubSub<WorldEvent>
): World.Service => {
  const get = Ref.get(ref)
  const read = <A>(f: (s: WorldState) => A): Effect.Effect<A> => Effect.map(get, f)
  const publish = (event: WorldEvent) => PubSub.publish(events, event)

  /** Runs a pure transition that may fail; the state only changes on success. */
  const transition = <A>(
    f: (s: WorldState, now: number) => readonly [A, WorldState] | WorldError
  ): Effect.Effect<A, WorldError> =>
    Effect.flatMap(
      Clock.currentTimeMillis,
      (now) =>
        Effect.flatten(Ref.modify(ref, (s): readonly [Effect.Effect<A, WorldError>, WorldState] => {
          const result = f(s, now)
          return result instanceof WorldError
            ? [Effect.fail(result), s]
            : [Effect.succeed(result[0]), result[1]]
        }))
    )

  const newString = (s: WorldState, length: number, alphabet: string): readonly [string, WorldState] => {
    const [value, rng] = randomString(s.rng, length, alphabet)
    return [value, { ...s, rng }]
  }

  const findUser = (s: WorldData, id: string) => s.users.find((u) => u.id === id)
  const findClient = (s: WorldData, clientId: string) => s.clients.find((c) => c.clientId === clientId)

  const mintToken = (
    s: WorldState,
    now: number,
    input: IssueToken
  ): readonly [Token, WorldState] | WorldError => {
    if (findClient(s, input.clientId) === undefined) return fail("InvalidClient", "invalid client")
    if (input.userId !== undefined && findUser(s, input.userId) === undefined) {
      return fail("NotFound", `no user with id ${input.userId}`)
    }
    const isUser = input.userId !== undefined
    const [value, s1] = newString(s, 30, ALNUM)
    const refreshable = isUser && (input.refreshable ?? true)
    const [refresh, s2] = refreshable ? newString(s1, 50, ALNUM) : [undefined, s1]
    const lifetime = input.lifetimeSeconds ?? (isUser ? defaultUserTokenLifetime : defaultAppTokenLifetime)
    const token: Token = {
      value,
      clientId: input.clientId,
      ...(input.userId !== undefined ? { userId: input.userId } : {}),
      scopes: [...(input.scopes ?? [])],
      issuedAt: now,
      expiresAt: now + lifetime * 1000,
      ...(refresh !== undefined ? { refreshToken: refresh } : {}),
      revoked: false
    }
    return [token, { ...s2, tokens: [...s2.tokens, token] }]
  }

  const updateDeviceCode = (s: WorldState, code: DeviceCode): WorldState => ({
    ...s,
    deviceCodes: s.deviceCodes.map((d) => d.deviceCode === code.deviceCode ? code : d)
  })

  const decideDeviceCode = (userCode: string, state: "approved" | "denied", userId?: string) =>
    transition((s, now) => {
      const code = s.deviceCodes.find((d) => d.userCode === userCode.toUpperCase())
      if (code === undefined || code.expiresAt <= now) {
        return fail("NotFound", `no pending user code ${userCode}`)
      }
      if (code.state !== "pending") return fail("Conflict", `user code ${userCode} is already ${code.state}`)
      if (userId !== undefined && findUser(s, userId) === undefined) {
        return fail("NotFound", `no user ${userId}`)
      }
      const next: DeviceCode = {
        ...code,
        state,
        ...(state === "approved" ? { userId: userId ?? defaultUserId } : {})
      }
      return [next, updateDeviceCode(s, next)]
    })

  return {
    seed,
    snapshot: get,
    events,
    userById: (id) => read((s) => Option.fromNullable(findUser(s, id))),
    userByLogin: (login) => {
      const lower = login.toLowerCase()
      return read((s) => Option.fromNullable(s.users.find((u) => u.login === lower)))
    },
    channel: (id) => read((s) => Option.fromNullable(s.channels.find((c) => c.broadcasterId === id))),
    game: (id) => read((s) => Option.fromNullable(s.games.find((x) => x.id === id))),
    stream: (userId) => read((s) => Option.fromNullable(s.streams.find((x) => x.userId === userId))),
    streams: read((s) => [...s.streams].sort(byViewers)),
    vod: (id) => read((s) => Option.fromNullable(s.vods.find((v) => v.id === id))),
    client: (clientId) => read((s) => Option.fromNullable(findClient(s, clientId))),
    chatters: (channelId) =>
      read((s) =>
        s.chatters.flatMap((c) => {
          if (c.channelId !== channelId) return []
          const user = findUser(s, c.userId)
          return user === undefined ? [] : [user]
        })
      ),
    globalEmotes: read((s) => s.emotes.filter((e) => e.ownerId === "0")),
    channelEmotes: (id) => read((s) => s.emotes.filter((e) => e.ownerId === id)),
    emote: (id) => read((s) => Option.fromNullable(s.emotes.find((e) => e.id === id))),

    addUser: (input) =>
      transition((s, now): readonly [User, WorldState] | WorldError => {
        const login = input.login.toLowerCase()
        if (!/^[a-z0-9_]{1,25}$/.test(login)) return fail("InvalidInput", `invalid login ${input.login}`)
        if (s.users.some((u) => u.login === login)) return fail("Conflict", `login ${login} is taken`)
        const maxId = s.users.reduce((m, u) => Math.max(m, Number(u.id) || 0), 100000000)
        const id = input.id ?? String(maxId + 1)
        if (s.users.some((u) => u.id === id)) return fail("Conflict", `user id ${id} is taken`)
        const displayName = input.displayName ?? login
        const user: User = {
          id,
          login,
          displayName,
          type: input.type ?? "",
          broadcasterType: input.broadcasterType ?? "",
          description: input.description ?? "",
          profileImageUrl: profileImageUrl(login),
          offlineImageUrl: "",
          createdAt: input.createdAt ?? rfc3339(now),
          email: input.email ?? `${login}@mock.twitch.invalid`,
          chatColor: input.chatColor ?? ""
        }
        const channel: Channel = {
          language: "en",
          gameId: "",
          title: "",
          delay: 0,
          tags: [],
          contentClassificationLabels: [],
          isBrandedContent: false,
          suspended: false,
          moderators: [],
          vips: [],
          subscribers: [],
          roomState: defaultRoomState,
          ...input.channel,
          broadcasterId: id
        }
        return [user, { ...s, users: [...s.users, user], channels: [...s.channels, channel] }]
      }).pipe(Effect.tap((user) => publish(WorldEvent.UserAdded({ user })))),

    addGame: (game) =>
      transition((s) =>
        s.games.some((x) => x.id === game.id)
          ? fail("Conflict", `game id ${game.id} is taken`)
          : [game, { ...s, games: [...s.games, game] }]
      ),

    updateChannel: (id, patch) =>
      transition((s): readonly [Channel, WorldState] | WorldError => {
        const channel = s.channels.find((c) => c.broadcasterId === id)
        if (channel === undefined) return fail("NotFound", `no channel ${id}`)
        const next: Channel = { ...channel, ...patch, broadcasterId: id }
        return [next, { ...s, channels: s.channels.map((c) => c.broadcasterId === id ? next : c) }]
      }).pipe(Effect.tap((channel) => publish(WorldEvent.ChannelUpdated({ channel })))),

    setRoomState: (channelId, patch) =>
      transition((s): readonly [readonly [RoomState, Array<keyof RoomState>], WorldState] | WorldError => {
        const channel = s.channels.find((c) => c.broadcasterId === channelId)
        if (channel === undefined) return fail("NotFound", `no channel ${channelId}`)
        const roomState: RoomState = { ...channel.roomState, ...patch }
        const changed = (Object.keys(roomState) as Array<keyof RoomState>).filter((k) =>
          roomState[k] !== channel.roomState[k]
        )
        const next: Channel = { ...channel, roomState }
        return [[roomState, changed], {
          ...s,
          channels: s.channels.map((c) => c.broadcasterId === channelId ? next : c)
        }]
      }).pipe(
        Effect.tap(([roomState, changed]) =>
          changed.length === 0
            ? Effect.void
            : publish(WorldEvent.RoomStateChanged({ channelId, roomState, changed }))
        ),
        Effect.map(([roomState]) => roomState)
      ),

    startStream: (input) =>
      transition((s, now): readonly [LiveStream, WorldState] | WorldError => {
        const user = findUser(s, input.userId)
        const channel = s.channels.find((c) => c.broadcasterId === input.userId)
        if (user === undefined || channel === undefined) return fail("NotFound", `no user ${input.userId}`)
        const gameId = input.gameId ?? channel.gameId
        if (gameId !== "" && !s.games.some((x) => x.id === gameId)) {
          return fail("NotFound", `no game ${gameId}`)
        }
        const [suffix, s1] = newString(s, 9, "0123456789")
        const stream: LiveStream = {
          id: "4" + suffix + "1",
          userId: user.id,
          gameId,
          title: input.title ?? (channel.title === "" ? `${user.displayName} is live` : channel.title),
          tags: [...(input.tags ?? channel.tags)],
          viewerCount: input.viewerCount ?? 0,
          startedAt: input.startedAt ?? rfc3339(now),
          language: input.language ?? channel.language,
          qualities: [...(input.qualities ?? fullLadder)],
          restrictedQualities: [...(input.restrictedQualities ?? [])],
          geoBlocked: input.geoBlocked ?? false
        }
        return [stream, {
          ...s1,
          streams: [...s1.streams.filter((x) => x.userId !== user.id), stream],
          channels: s1.channels.map((c) =>
            c.broadcasterId === user.id ? { ...c, gameId, title: stream.title, tags: stream.tags } : c
          )
        }]
      }).pipe(Effect.tap((stream) => publish(WorldEvent.StreamStarted({ stream })))),

    endStream: (userId) =>
      transition((s): readonly [void, WorldState] | WorldError =>
        s.streams.some((x) => x.userId === userId)
          ? [undefined, { ...s, streams: s.streams.filter((x) => x.userId !== userId) }]
          : fail("NotFound", `user ${userId} is not live`)
      ).pipe(Effect.tap(() => publish(WorldEvent.StreamEnded({ userId })))),

    addFollow: (fromId, toId) =>
      transition((s, now): readonly [Follow, WorldState] | WorldError => {
        if (findUser(s, fromId) === undefined) return fail("NotFound", `no user ${fromId}`)
        if (findUser(s, toId) === undefined) return fail("NotFound", `no user ${toId}`)
        const existing = s.follows.find((f) => f.fromId === fromId && f.toId === toId)
        if (existing !== undefined) return [existing, s]
        const follow: Follow = { fromId, toId, followedAt: rfc3339(now) }
        return [follow, { ...s, follows: [...s.follows, follow] }]
      }).pipe(Effect.tap((follow) => publish(WorldEvent.FollowAdded({ follow })))),

    addEmote: (emote) =>
      transition((s): readonly [Emote, WorldState] | WorldError =>
        s.emotes.some((e) => e.id === emote.id)
          ? fail("Conflict", `emote id ${emote.id} is taken`)
          : emote.ownerId !== "0" && findUser(s, emote.ownerId) === undefined
          ? fail("NotFound", `no user ${emote.ownerId}`)
          : [emote, { ...s, emotes: [...s.emotes, emote] }]
      ).pipe(Effect.tap((emote) => publish(WorldEvent.EmoteAdded({ emote })))),

    addVod: (vod) =>
      transition((s) =>
        s.vods.some((v) => v.id === vod.id)
          ? fail("Conflict", `vod id ${vod.id} is taken`)
          : findUser(s, vod.userId) === undefined
          ? fail("NotFound", `no user ${vod.userId}`)
          : [vod, { ...s, vods: [...s.vods, vod] }]
      ),

    addChatter: (channelId, userId) =>
      transition((s): readonly [boolean, WorldState] | WorldError => {
        if (findUser(s, channelId) === undefined) return fail("NotFound", `no channel ${channelId}`)
        if (findUser(s, userId) === undefined) return fail("NotFound", `no user ${userId}`)
        if (s.chatters.some((c) => c.channelId === channelId && c.userId === userId)) return [false, s]
        return [true, { ...s, chatters: [...s.chatters, { channelId, userId }] }]
      }).pipe(
        Effect.flatMap((added) =>
          added ? publish(WorldEvent.ChatterJoined({ channelId, userId })) : Effect.succeed(false)
        ),
        Effect.asVoid
      ),

    removeChatter: (channelId, userId) =>
      Ref.modify(ref, (s): readonly [boolean, WorldState] => {
        const kept = s.chatters.filter((c) => !(c.channelId === channelId && c.userId === userId))
        return kept.length === s.chatters.length ? [false, s] : [true, { ...s, chatters: kept }]
      }).pipe(
        Effect.flatMap((removed) =>
          removed ? publish(WorldEvent.ChatterLeft({ channelId, userId })) : Effect.succeed(false)
        ),
        Effect.asVoid
      ),

    addClient: (client) =>
      transition((s) =>
        client.clientId.length < 30
          ? fail("InvalidInput", "client ids are at least 30 characters")
          : findClient(s, client.clientId) !== undefined
          ? fail("Conflict", `client ${client.clientId} exists`)
          : [client, { ...s, clients: [...s.clients, client] }]
      ),

    addRedirectUri: (clientId, uri) =>
      transition((s): readonly [void, WorldState] | WorldError => {
        const client = findClient(s, clientId)
        if (client === undefined) return fail("InvalidClient", "client does not exist")
        if (client.redirectUris.includes(uri)) return [undefined, s]
        const next: OAuthClient = { ...client, redirectUris: [...client.redirectUris, uri] }
        return [undefined, { ...s, clients: s.clients.map((c) => c.clientId === clientId ? next : c) }]
      }),

    issueToken: (input) => transition((s, now) => mintToken(s, now, input)),

    validateToken: (value) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.flatMap(get, (s) => {
          const token = s.tokens.find((t) => t.value === value)
          if (token === undefined || token.revoked) {
            return Effect.fail(fail("InvalidToken", "invalid access token"))
          }
          if (token.expiresAt <= now) return Effect.fail(fail("ExpiredToken", "Token expired"))
          return Effect.succeed(token)
        })),

    revokeToken: (clientId, value) =>
      transition((s): readonly [Token, WorldState] | WorldError => {
        if (findClient(s, clientId) === undefined) return fail("InvalidClient", "client does not exist")
        const token = s.tokens.find((t) => t.value === value && t.clientId === clientId && !t.revoked)
        if (token === undefined) return fail("InvalidToken", "Invalid token")
        const revoked: Token = { ...token, revoked: true }
        return [revoked, { ...s, tokens: s.tokens.map((t) => t.value === value ? revoked : t) }]
      }).pipe(Effect.tap((token) => publish(WorldEvent.TokenRevoked({ token })))),

    refreshToken: (clientId, refreshToken) =>
      transition((s, now): readonly [Token, WorldState] | WorldError => {
        const old = s.tokens.find((t) => t.refreshToken === refreshToken)
        if (old === undefined || old.clientId !== clientId || old.userId === undefined) {
          return fail("InvalidRefreshToken", "Invalid refresh token")
        }
        // One-time use: the old pair dies, a new pair is issued with the same scopes.
        const spent: WorldState = {
          ...s,
          tokens: s.tokens.map((t) => {
            if (t.value !== old.value) return t
            const { refreshToken: _spent, ...rest } = t
            return { ...rest, revoked: true }
          })
        }
        return mintToken(spent, now, { clientId, userId: old.userId, scopes: old.scopes, refreshable: true })
      }),

    createDeviceCode: (clientId, scopes) =>
      transition((s, now): readonly [DeviceCode, WorldState] | WorldError => {
        if (findClient(s, clientId) === undefined) return fail("InvalidClient", "invalid client")
        const [deviceCode, s1] = newString(s, 40, ALNUM)
        const [userCode, s2] = newString(s1, 8, UPPER)
        const code: DeviceCode = {
          deviceCode,
          userCode,
          clientId,
          scopes: [...scopes],
          state: "pending",
          issuedAt: now,
          expiresAt: now + deviceCodeTiming.expiresIn * 1000,
          interval: deviceCodeTiming.interval
        }
        return [code, { ...s2, deviceCodes: [...s2.deviceCodes, code] }]
      }),

    approveDeviceCode: (userCode, userId) => decideDeviceCode(userCode, "approved", userId),
    denyDeviceCode: (userCode) => decideDeviceCode(userCode, "denied"),
    latestDeviceCode: read((s) => Option.fromNullable(s.deviceCodes[s.deviceCodes.length - 1])),

    pollDeviceCode: (clientId, deviceCode) =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (now) =>
          Effect.flatten(Ref.modify(ref, (s): readonly [Effect.Effect<Token, WorldError>, WorldState] => {
            const code = s.deviceCodes.find((d) => d.deviceCode === deviceCode && d.clientId === clientId)
            if (code === undefined || code.state === "consumed" || code.expiresAt <= now) {
              return [Effect.fail(fail("InvalidDeviceCode", "invalid device code")), s]
            }
            const tooSoon = code.lastPollAt !== undefined && now - code.lastPollAt < code.interval * 1000
            const polled = updateDeviceCode(s, { ...code, lastPollAt: now })
            if (code.state === "denied") {
              return [
                Effect.fail(fail("AccessDenied", "access_denied")),
                updateDeviceCode(s, { ...code, state: "consumed" })
              ]
            }
            if (tooSoon) return [Effect.fail(fail("SlowDown", "slow_down")), polled]
            if (code.state === "pending") {
              return [Effect.fail(fail("AuthorizationPending", "authorization_pending")), polled]
            }
            const minted = mintToken(polled, now, {
              clientId,
              scopes: code.scopes,
              userId: code.userId ?? defaultUserId
            })
            if (minted instanceof WorldError) {
              return [Effect.fail(minted), s]
            }
            return [
              Effect.succeed(minted[0]),
              updateDeviceCode(minted[1], { ...code, state: "consumed", lastPollAt: now })
            ]
          }))
      ),

    createAuthCode: (input) =>
      transition((s, now): readonly [AuthCode, WorldState] | WorldError => {
        if (findClient(s, input.clientId) === undefined) return fail("InvalidClient", "invalid client")
        if (findUser(s, input.userId) === undefined) return fail("NotFound", `no user ${input.userId}`)
        const [code, s1] = newString(s, 30, ALNUM)
        const authCode: AuthCode = {
          code,
          clientId: input.clientId,
          userId: input.userId,
          scopes: [...input.scopes],
          redirectUri: input.redirectUri,
          expiresAt: now + 600_000,
          used: false
        }
        return [authCode, { ...s1, authCodes: [...s1.authCodes, authCode] }]
      }),

    exchangeAuthCode: (input) =>
      transition((s, now): readonly [Token, WorldState] | WorldError => {
        const code = s.authCodes.find((c) => c.code === input.code)
        if (
          code === undefined || code.used || code.expiresAt <= now || code.clientId !== input.clientId ||
          code.redirectUri !== input.redirectUri
        ) {
          return fail("InvalidCode", "Invalid authorization code")
        }
        const used: WorldState = {
          ...s,
          authCodes: s.authCodes.map((c) => c.code === code.code ? { ...c, used: true } : c)
        }
        return mintToken(used, now, { clientId: code.clientId, userId: code.userId, scopes: code.scopes })
      })
  }
}

/**
 * A layer with a fresh world.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<World> => Layer.effect(World, make(options))

/**
 * Formats epoch milliseconds as RFC3339 without fractional seconds, as Helix does.
 *
 * @since 0.1.0
 * @category utils
 */
export const formatTime = rfc3339
