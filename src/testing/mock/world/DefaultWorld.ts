/**
 * The default world: a pure function of a seed and "now" that draws users, channels, live
 * streams, follows, emotes, VODs and chat presence from one {@link Generator}, then adds the ready
 * credentials. Each part is drawn by a function of its own, in a fixed order: drawing a new part
 * after the others (or from a generator of its own) leaves every existing world as it was.
 *
 * @since 0.1.0
 */
import { seededLadder } from "../http/PlaybackMasters.js"
import {
  defaultClient,
  defaultSeed,
  defaultUserLogin,
  readyClients,
  readyTokens,
  secondUserLogin
} from "./Credentials.js"
import { drawAreas, emptyAreas } from "./DefaultAreas.js"
import {
  adjectives,
  boxArtUrl,
  cdn,
  colors,
  defaultRoomState,
  fullLadder,
  gameSeeds,
  languages,
  nouns,
  profileImageUrl,
  rfc3339,
  sourceOnly,
  tagPool
} from "./Fixtures.js"
import type { Channel, Chatter, Emote, Follow, Game, LiveStream, User, Vod } from "./Models.js"
import { type Generator, generator, HEX } from "./Random.js"
import type { WorldData, WorldFile, WorldState } from "./State.js"
import { drawThirdPartyEmotes } from "./ThirdPartyWorld.js"

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
  /**
   * Whether the default user (the ready tokens' user) is live too, so that commercials, markers
   * and clips of their own channel work. Default false (their channel is offline); `npm run mock`
   * turns it on.
   */
  readonly liveTokenUser?: boolean
}

/** The sizes every draw shares. */
interface Layout {
  readonly g: Generator
  readonly now: number
  readonly userCount: number
  readonly liveCount: number
}

/** The 12 games of {@link gameSeeds} (no draws). */
const seedGames = (): Array<Game> =>
  gameSeeds.map(([id, name, igdbId]) => ({
    id,
    name,
    boxArtUrl: boxArtUrl(id),
    igdbId
  }))

/** User 0 is the default user, user 1 the second user, the others have drawn logins. */
const drawUsers = ({ g, liveCount, userCount }: Layout): Array<User> => {
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
  return users
}

/** One channel per user; the default user's and the live users' channels get roles. */
const drawChannels = (
  { g, liveCount, userCount }: Layout,
  users: ReadonlyArray<User>,
  games: ReadonlyArray<Game>
): Array<Channel> => {
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
  return channels
}

/** Users 2..(2+liveCount-1) go live; a channel without a game takes the stream's (updated in place). */
const drawStreams = (
  { g, liveCount, now }: Layout,
  users: ReadonlyArray<User>,
  channels: Array<Channel>,
  games: ReadonlyArray<Game>
): Array<LiveStream> => {
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
  return streams
}

/** The default user follows 10 live and 5 offline channels; popular channels collect more followers. */
const drawFollows = ({ g, liveCount, userCount }: Layout, users: ReadonlyArray<User>): Array<Follow> => {
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
  return follows
}

/** The global emotes, then subscription, follower and (partners) bits emotes of every affiliate and partner. */
const drawEmotes = ({ g }: Layout, users: ReadonlyArray<User>): Array<Emote> => {
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
  return emotes
}

/** Six past broadcasts of the first live users (no draws). */
const pastBroadcasts = (
  { now }: Layout,
  users: ReadonlyArray<User>,
  channels: ReadonlyArray<Channel>
): Array<Vod> => {
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
  return vods
}

/** Each live channel's broadcaster and a few drawn users are in its chat. */
const drawChatters = ({ g, liveCount, userCount }: Layout, users: ReadonlyArray<User>): Array<Chatter> => {
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
  return chatters
}

/**
 * Builds the default world for a seed, with "now" given in epoch milliseconds (stream start times
 * and token expiries are relative to it). Pure: same inputs, same world.
 *
 * Layout: user 0 is {@link defaultUserLogin} (offline, affiliate), user 1 {@link secondUserLogin};
 * users 2..(2+liveStreams-1) are live, spread over the 12 games with varied viewer counts; the
 * first live stream's channel restricts `1080p60` and `720p60` to subscribers, the second live
 * stream is geo-blocked; the last user's channel is suspended; the default user follows the first
 * 10 live channels and 5 offline ones. The areas Helix acts on (moderation, channel points, polls,
 * schedule, clips, community, extensions...) come last (`DefaultAreas.ts`), with two more VODs of
 * the default user's and, with `liveTokenUser`, their stream.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultWorldData = (now: number, options: DefaultWorldOptions = {}): WorldState => {
  const userCount = Math.max(24, options.users ?? 40)
  const layout: Layout = {
    g: generator(options.seed ?? defaultSeed),
    now,
    userCount,
    liveCount: Math.min(userCount - 4, options.liveStreams ?? 20)
  }
  // The draws run in this order; a new part draws after them so existing worlds stay the same.
  const games = seedGames()
  const users = drawUsers(layout)
  const channels = drawChannels(layout, users, games)
  const streams = drawStreams(layout, users, channels, games)
  const follows = drawFollows(layout, users)
  const emotes = drawEmotes(layout, users)
  const vods = pastBroadcasts(layout, users, channels)
  const chatters = drawChatters(layout, users)
  // The other areas draw from a generator of their own: `rng` stays the state after the draws above.
  const more = drawAreas({
    seed: options.seed ?? defaultSeed,
    now,
    users,
    channels,
    games,
    liveTokenUser: options.liveTokenUser ?? false
  })
  // From a generator of its own: the draws above (and `rng`) stay as they were.
  const thirdPartyEmotes = drawThirdPartyEmotes(options.seed ?? defaultSeed, streams.map((s) => s.userId))
  return {
    users,
    games,
    channels,
    streams: [...streams, ...more.streams],
    follows,
    emotes,
    clients: readyClients(),
    tokens: readyTokens(now),
    deviceCodes: [],
    authCodes: [],
    vods: [...vods, ...more.vods],
    chatters,
    ...more.areas,
    thirdPartyEmotes,
    rng: layout.g.state()
  }
}

/**
 * An empty world (only the default OAuth client), for tests that build everything themselves.
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
  clients: [defaultClient()],
  tokens: [],
  deviceCodes: [],
  authCodes: [],
  vods: [],
  chatters: [],
  ...emptyAreas(),
  thirdPartyEmotes: [],
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
  return { ...empty, ...file, clients: file.clients ?? readyClients() }
}
