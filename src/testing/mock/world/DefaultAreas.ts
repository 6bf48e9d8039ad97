/**
 * The default world's areas beyond the catalog, chat and OAuth (moderation, channel points, polls,
 * schedules, clips, community, broadcasting, extensions, EventSub), drawn after every other part
 * from a generator of their own, so the parts drawn before stay as they were. The default user
 * (the "every scope" token's) gets what each Helix operation acts on: banned users and an unban
 * request, a held AutoMod message, blocked terms, custom rewards with pending redemptions, past
 * polls and predictions, a schedule, two videos with clips and markers, goals, a charity campaign,
 * a hype train, cheers, teams, a Guest Star session, an ad schedule, a stream key, an editor, the
 * ready extension installed, drops entitlements and a whisper from the second user.
 *
 * @since 0.1.0
 */
import type { AdSchedule, Editor, StreamKey } from "./BroadcastModels.js"
import type { Cheer, CommunityFields, Goal, GuestStarSession, Team } from "./CommunityModels.js"
import {
  defaultClientId,
  extensionClientId,
  extensionSecret,
  extensionVersion,
  readyTokenLifetime
} from "./Credentials.js"
import type { ExtensionFields } from "./ExtensionModels.js"
import { fullLadder, rfc3339 } from "./Fixtures.js"
import type { Clip, StreamMarker } from "./MediaModels.js"
import type { CatalogFields, Channel, ChatFields, Game, LiveStream, User, Vod } from "./Models.js"
import type { ModerationFields } from "./ModerationModels.js"
import type { OAuthFields } from "./OAuthModels.js"
import type { Poll, Prediction } from "./PollModels.js"
import { ALNUM, type Generator, generator } from "./Random.js"
import type { CustomReward, Redemption } from "./RewardModels.js"
import type { ScheduleSegment } from "./ScheduleModels.js"
import type { WorldData } from "./State.js"
import type { ThirdPartyFields } from "./ThirdPartyModels.js"

type Areas = Omit<
  WorldData,
  | keyof typeof CatalogFields
  | keyof typeof ChatFields
  | keyof typeof OAuthFields
  | keyof typeof ThirdPartyFields
>

/** The part of the world an area's fields make. */
type Slice<Fields> = Pick<WorldData, keyof Fields & keyof WorldData>

/**
 * Every area's slice, empty.
 *
 * @since 0.1.0
 * @category constructors
 */
export const emptyAreas = (): Areas => ({
  bans: [],
  unbanRequests: [],
  blockedTerms: [],
  autoModSettings: [],
  heldMessages: [],
  shieldModes: [],
  warnings: [],
  suspiciousUsers: [],
  userBlocks: [],
  customRewards: [],
  redemptions: [],
  polls: [],
  predictions: [],
  scheduleSegments: [],
  scheduleSettings: [],
  clips: [],
  markers: [],
  sentMessages: [],
  announcements: [],
  shoutouts: [],
  whispers: [],
  chatDelays: [],
  goals: [],
  charityCampaigns: [],
  charityDonations: [],
  hypeTrains: [],
  cheers: [],
  teams: [],
  guestStarSettings: [],
  guestStarSessions: [],
  adSchedules: [],
  raids: [],
  streamKeys: [],
  editors: [],
  extensions: [],
  extensionSecrets: [],
  extensionConfigurations: [],
  bitsProducts: [],
  extensionTransactions: [],
  activeExtensions: [],
  entitlements: [],
  subscriptions: [],
  conduits: []
})

/** What the area draws read: the parts drawn before them. */
interface Drawn {
  readonly g: Generator
  readonly now: number
  readonly users: ReadonlyArray<User>
  readonly channels: ReadonlyArray<Channel>
  readonly games: ReadonlyArray<Game>
}

const minutes = (n: number) => n * 60_000

/** Two banned users (one timed out), an unban request, blocked terms, a held message, a block. */
const drawModeration = ({ g, now, users }: Drawn): Slice<typeof ModerationFields> => {
  const me = users[0].id
  const [banned, timedOut, held, blocked] = [4, 5, 6, 7].map((k) => users[users.length - k].id)
  return {
    bans: [
      {
        broadcasterId: me,
        userId: banned,
        moderatorId: me,
        reason: "spam",
        createdAt: rfc3339(now - minutes(90)),
        expiresAt: ""
      },
      {
        broadcasterId: me,
        userId: timedOut,
        moderatorId: users[1].id,
        reason: "caps",
        createdAt: rfc3339(now - minutes(2)),
        expiresAt: rfc3339(now + minutes(8))
      }
    ],
    unbanRequests: [{
      id: g.uuid(),
      broadcasterId: me,
      userId: banned,
      text: "I am sorry, it will not happen again.",
      status: "pending",
      createdAt: rfc3339(now - minutes(30)),
      moderatorId: "",
      resolvedAt: "",
      resolutionText: ""
    }],
    blockedTerms: ["spoiler", "free followers"].map((text, k) => ({
      id: g.uuid(),
      broadcasterId: me,
      moderatorId: me,
      text,
      createdAt: rfc3339(now - minutes(600 + k)),
      updatedAt: rfc3339(now - minutes(600 + k)),
      expiresAt: ""
    })),
    autoModSettings: [{
      broadcasterId: me,
      moderatorId: me,
      overallLevel: 1,
      disability: 0,
      aggression: 1,
      sexualitySexOrGender: 0,
      misogyny: 0,
      bullying: 1,
      swearing: 0,
      raceEthnicityOrReligion: 1,
      sexBasedTerms: 0
    }],
    heldMessages: [{
      id: g.uuid(),
      broadcasterId: me,
      userId: held,
      text: "you are all terrible",
      heldAt: rfc3339(now - minutes(1)),
      status: "pending"
    }],
    shieldModes: [],
    warnings: [],
    suspiciousUsers: [],
    userBlocks: [{
      userId: me,
      targetId: blocked,
      sourceContext: "chat",
      reason: "harassment",
      createdAt: rfc3339(now - minutes(5000))
    }]
  }
}

const reward = (
  g: Generator,
  broadcasterId: string,
  title: string,
  cost: number,
  input: boolean
): CustomReward => ({
  id: g.uuid(),
  broadcasterId,
  clientId: defaultClientId,
  title,
  prompt: input ? "Which song?" : "",
  cost,
  backgroundColor: "#9147FF",
  isEnabled: true,
  isUserInputRequired: input,
  isMaxPerStreamEnabled: false,
  maxPerStream: 0,
  isMaxPerUserPerStreamEnabled: false,
  maxPerUserPerStream: 0,
  isGlobalCooldownEnabled: false,
  globalCooldownSeconds: 0,
  isPaused: false,
  shouldRedemptionsSkipRequestQueue: false
})

/** Three custom rewards of the default user's (made by the default app) with pending redemptions. */
const drawRewards = ({ g, now, users }: Drawn) => {
  const me = users[0].id
  const rewards = [
    reward(g, me, "Hydrate", 100, false),
    reward(g, me, "Song request", 500, true),
    reward(g, me, "Pick the next game", 2000, true)
  ]
  const redemptions: Array<Redemption> = [5, 6, 7, 8].map((k, i) => ({
    id: g.uuid(),
    broadcasterId: me,
    rewardId: rewards[i % 2].id,
    userId: users[k].id,
    userInput: i % 2 === 1 ? `song ${k}` : "",
    status: "UNFULFILLED",
    redeemedAt: rfc3339(now - minutes(20 - i))
  }))
  return { customRewards: rewards, redemptions }
}

/** A finished poll and a resolved prediction of the default user's. */
const drawPolls = ({ g, now, users }: Drawn): { polls: Array<Poll>; predictions: Array<Prediction> } => {
  const me = users[0].id
  const started = now - minutes(60 * 24)
  const poll: Poll = {
    id: g.uuid(),
    broadcasterId: me,
    title: "Which game next?",
    choices: ["Chess", "Minecraft", "Fortnite"].map((title, k) => ({
      id: g.uuid(),
      title,
      votes: 10 + k * 7,
      channelPointsVotes: k * 2
    })),
    channelPointsVotingEnabled: false,
    channelPointsPerVote: 0,
    status: "COMPLETED",
    duration: 300,
    startedAt: rfc3339(started),
    endedAt: rfc3339(started + 300_000)
  }
  const outcomes = [["Win", "BLUE"], ["Lose", "PINK"]] as const
  const prediction: Prediction = {
    id: g.uuid(),
    broadcasterId: me,
    title: "Will I beat the boss?",
    outcomes: outcomes.map(([title, color], k) => ({
      id: g.uuid(),
      title,
      color,
      users: 12 - k * 5,
      channelPoints: 4000 - k * 1500
    })),
    predictionWindow: 120,
    status: "RESOLVED",
    winningOutcomeId: "",
    createdAt: rfc3339(started),
    endedAt: rfc3339(started + minutes(30)),
    lockedAt: rfc3339(started + 120_000)
  }
  return { polls: [poll], predictions: [{ ...prediction, winningOutcomeId: prediction.outcomes[0].id }] }
}

/** A weekly segment and a one-off of the default user's, next week. */
const drawSchedule = ({ channels, g, now, users }: Drawn) => {
  const me = users[0].id
  const day = 86_400_000
  const nextWeek = Math.floor((now + 7 * day) / day) * day
  const segments: Array<ScheduleSegment> = [
    { start: nextWeek + 18 * 3_600_000, minutes: 180, title: "Weekly chess", recurring: true },
    { start: nextWeek + 2 * day + 20 * 3_600_000, minutes: 120, title: "Special event", recurring: false }
  ].map((x) => ({
    id: g.string(24, ALNUM),
    broadcasterId: me,
    startTime: rfc3339(x.start),
    durationMinutes: x.minutes,
    title: x.title,
    categoryId: channels[0].gameId,
    isRecurring: x.recurring,
    canceledUntil: "",
    timezone: "UTC"
  }))
  return {
    scheduleSegments: segments,
    scheduleSettings: [{ broadcasterId: me, vacationStartTime: "", vacationEndTime: "", timezone: "UTC" }]
  }
}

/** Two past broadcasts of the default user's, appended to the world's VODs. */
const defaultUserVods = ({ channels, now, users }: Drawn): Array<Vod> =>
  [0, 1].map((k) => ({
    id: String(2000000101 + k),
    userId: users[0].id,
    gameId: channels[0].gameId,
    title: `${users[0].displayName}'s stream #${k + 1}`,
    createdAt: rfc3339(now - (k + 2) * 86_400_000),
    durationSeconds: 5400 + k * 900,
    qualities: fullLadder,
    restrictedQualities: [],
    geoBlocked: false
  }))

const clipSlug = (g: Generator) =>
  ["Awkward", "Brave", "Clever", "Lucky"][g.int(0, 3)] + ["Panda", "Otter", "Falcon", "Walrus"][g.int(0, 3)] +
  g.string(8, "ABCDEFGHJKLMNPQRSTUVWXYZ") + "-" + g.string(16, ALNUM)

/** Clips of the default user's videos (one featured) and markers in the newest. */
const drawMedia = ({ channels, g, now, users }: Drawn, vods: ReadonlyArray<Vod>) => {
  const clips: Array<Clip> = vods.flatMap((vod, k) =>
    [0, 1].map((n): Clip => ({
      id: clipSlug(g),
      broadcasterId: vod.userId,
      creatorId: users[2 + k + n].id,
      videoId: vod.id,
      gameId: vod.gameId,
      language: channels[0].language,
      title: `Moment ${k * 2 + n + 1}`,
      viewCount: g.int(10, 5000),
      createdAt: rfc3339(now - (k + 1) * 86_400_000),
      duration: 30,
      vodOffset: 600 + n * 900,
      isFeatured: k === 0 && n === 0
    }))
  )
  const markers: Array<StreamMarker> = [1200, 2700].map((position, k) => ({
    id: String(g.int(100000000, 999999999)),
    userId: users[0].id,
    videoId: vods[0].id,
    createdAt: rfc3339(Date.parse(vods[0].createdAt) + position * 1000),
    positionSeconds: position,
    description: k === 0 ? "great play" : ""
  }))
  return { clips, markers }
}

/** Goals, a charity campaign with donations, a hype train, cheers, teams and Guest Star. */
const drawCommunity = ({ g, now, users }: Drawn): Slice<typeof CommunityFields> => {
  const me = users[0].id
  const goals: Array<Goal> = [
    { type: "follower", description: "Road to 1000", current: 640, target: 1000 },
    { type: "subscription", description: "Sub goal", current: 40, target: 100 }
  ].map((x) => ({
    id: g.uuid(),
    broadcasterId: me,
    type: x.type === "follower" ? "follower" : "subscription",
    description: x.description,
    currentAmount: x.current,
    targetAmount: x.target,
    createdAt: rfc3339(now - minutes(60 * 24 * 3))
  }))
  const campaignId = g.uuid()
  const donations = [2, 3, 4].map((k) => ({
    id: g.uuid(),
    campaignId,
    userId: users[k].id,
    amount: { value: 500 * k, decimalPlaces: 2, currency: "USD" }
  }))
  const raised = donations.reduce((n, d) => n + d.amount.value, 0)
  const contributions = [3, 4].map((k, i) => ({
    userId: users[k].id,
    type: i === 0 ? ("bits" as const) : ("subscription" as const),
    total: i === 0 ? 500 : 1000
  }))
  const cheers: Array<Cheer> = [2, 3, 4, 5, 6].map((k, i) => ({
    broadcasterId: me,
    userId: users[k].id,
    bits: 1000 - i * 150,
    at: rfc3339(now - minutes(60 * (i + 1)))
  }))
  const team = (name: string, members: ReadonlyArray<number>): Team => ({
    id: String(g.int(1000000, 9999999)),
    name,
    displayName: name[0].toUpperCase() + name.slice(1),
    info: `The ${name} team of the mock Twitch.`,
    createdAt: rfc3339(now - 400 * 86_400_000),
    updatedAt: rfc3339(now - 40 * 86_400_000),
    memberIds: members.map((k) => users[k].id)
  })
  const session: GuestStarSession = {
    id: g.string(26, ALNUM.toUpperCase()),
    broadcasterId: me,
    guests: [
      {
        slotId: "0",
        userId: me,
        isLive: true,
        volume: 100,
        assignedAt: rfc3339(now - minutes(15)),
        audioEnabled: true,
        videoEnabled: true
      },
      {
        slotId: "1",
        userId: users[2].id,
        isLive: true,
        volume: 80,
        assignedAt: rfc3339(now - minutes(10)),
        audioEnabled: true,
        videoEnabled: true
      }
    ],
    invites: [{ userId: users[3].id, invitedAt: rfc3339(now - minutes(5)), status: "INVITED" }],
    endedAt: ""
  }
  return {
    goals,
    charityCampaigns: [{
      id: campaignId,
      broadcasterId: me,
      charityName: "Mock Charity",
      charityDescription: "A charity of the mock Twitch.",
      charityLogo: "https://static-cdn.jtvnw.net/charity-logos/mock.png",
      charityWebsite: "https://charity.mock.twitch.invalid",
      currentAmount: { value: raised, decimalPlaces: 2, currency: "USD" },
      targetAmount: { value: 100000, decimalPlaces: 2, currency: "USD" }
    }],
    charityDonations: donations,
    hypeTrains: [{
      id: g.uuid(),
      broadcasterId: me,
      level: 2,
      total: 1500,
      progress: 300,
      goal: 1800,
      contributions,
      startedAt: rfc3339(now - minutes(2)),
      expiresAt: rfc3339(now + minutes(60 * 24)),
      allTimeHighLevel: 4,
      allTimeHighTotal: 5200,
      allTimeHighAt: rfc3339(now - 30 * 86_400_000)
    }],
    cheers,
    teams: [team("mockstars", [0, 2, 3, 4, 5, 6]), team("speedrunners", [7, 8, 9, 10])],
    guestStarSettings: [{
      broadcasterId: me,
      isModeratorSendLiveEnabled: true,
      slotCount: 4,
      isBrowserSourceAudioEnabled: true,
      groupLayout: "TILED_LAYOUT",
      browserSourceToken: g.string(32, ALNUM)
    }],
    guestStarSessions: [session]
  }
}

/** The default user's ad schedule, stream key and editor. */
const drawBroadcast = ({ g, now, users }: Drawn) => {
  const me = users[0].id
  const seconds = Math.floor(now / 1000)
  const ads: AdSchedule = {
    broadcasterId: me,
    snoozeCount: 3,
    snoozeRefreshAt: 0,
    nextAdAt: seconds + 1800,
    duration: 60,
    lastAdAt: seconds - 1800,
    prerollFreeTime: 600
  }
  const key: StreamKey = { broadcasterId: me, key: `live_${me}_${g.string(30, ALNUM)}` }
  const editor: Editor = {
    broadcasterId: me,
    userId: users[1].id,
    createdAt: rfc3339(now - 100 * 86_400_000)
  }
  return { adSchedules: [ads], raids: [], streamKeys: [key], editors: [editor] }
}

/** The ready extension, its secret, configuration, Bits products and sales, entitlements. */
const drawExtensions = ({ g, games, now, users }: Drawn): Slice<typeof ExtensionFields> => {
  const me = users[0].id
  const products = [["sku_hello", "Say hello", 100], ["sku_confetti", "Confetti", 500]] as const
  return {
    extensions: [{
      id: extensionClientId,
      ownerId: me,
      name: "Mock Extension",
      version: extensionVersion,
      description: "The mock Twitch's ready extension.",
      bitsEnabled: true,
      hasChatSupport: true,
      types: ["panel", "overlay", "component"],
      requiredConfigurations: {}
    }],
    extensionSecrets: [{
      extensionId: extensionClientId,
      content: extensionSecret,
      activeAt: rfc3339(now - 86_400_000),
      expiresAt: rfc3339(now + readyTokenLifetime * 1000)
    }],
    extensionConfigurations: [
      {
        extensionId: extensionClientId,
        segment: "global",
        broadcasterId: "",
        content: "{\"theme\":\"dark\"}",
        version: "1"
      },
      {
        extensionId: extensionClientId,
        segment: "broadcaster",
        broadcasterId: me,
        content: "{\"greeting\":\"hi\"}",
        version: "1"
      }
    ],
    bitsProducts: products.map(([sku, displayName, cost]) => ({
      extensionId: extensionClientId,
      sku,
      cost,
      displayName,
      inDevelopment: false,
      expiration: "",
      isBroadcast: true
    })),
    extensionTransactions: [2, 3, 4].map((k, i) => ({
      id: g.uuid(),
      extensionId: extensionClientId,
      timestamp: rfc3339(now - minutes(100 * (i + 1))),
      broadcasterId: me,
      userId: users[k].id,
      sku: products[i % 2][0],
      cost: products[i % 2][2],
      displayName: products[i % 2][1]
    })),
    activeExtensions: [{ userId: me, type: "panel", slot: "1", extensionId: extensionClientId }],
    entitlements: [0, 1, 2].map((k) => ({
      id: g.uuid(),
      benefitId: g.uuid(),
      timestamp: rfc3339(now - 86_400_000 * (k + 1)),
      userId: me,
      gameId: games[k].id,
      fulfillmentStatus: k === 0 ? "FULFILLED" : "CLAIMED",
      lastUpdated: rfc3339(now - 86_400_000 * (k + 1))
    }))
  }
}

/** The default user's stream, for worlds where the token user is live. */
const tokenUserStream = ({ channels, now, users }: Drawn): LiveStream => ({
  id: "40000099991",
  userId: users[0].id,
  gameId: channels[0].gameId,
  title: channels[0].title,
  tags: channels[0].tags,
  viewerCount: 42,
  startedAt: rfc3339(now - minutes(30)),
  language: channels[0].language,
  qualities: fullLadder,
  restrictedQualities: [],
  geoBlocked: false
})

/**
 * Draws every area for a default world whose other parts are drawn: the areas' slices, the VODs to
 * append and, when the token user is live, the stream to append.
 *
 * @since 0.1.0
 * @category constructors
 */
export const drawAreas = (input: {
  readonly seed: number
  readonly now: number
  readonly users: ReadonlyArray<User>
  readonly channels: ReadonlyArray<Channel>
  readonly games: ReadonlyArray<Game>
  readonly liveTokenUser: boolean
}): {
  readonly areas: Areas
  readonly vods: ReadonlyArray<Vod>
  readonly streams: ReadonlyArray<LiveStream>
} => {
  const drawn: Drawn = { ...input, g: generator(input.seed ^ 0x48454c58) }
  const vods = defaultUserVods(drawn)
  const areas: Areas = {
    ...emptyAreas(),
    ...drawModeration(drawn),
    ...drawRewards(drawn),
    ...drawPolls(drawn),
    ...drawSchedule(drawn),
    ...drawMedia(drawn, vods),
    whispers: [{
      id: drawn.g.uuid(),
      fromUserId: input.users[1].id,
      toUserId: input.users[0].id,
      message: "hey, are you streaming today?",
      sentAt: rfc3339(input.now - minutes(45))
    }],
    ...drawCommunity(drawn),
    ...drawBroadcast(drawn),
    ...drawExtensions(drawn)
  }
  return { areas, vods, streams: input.liveTokenUser ? [tokenUserStream(drawn)] : [] }
}
