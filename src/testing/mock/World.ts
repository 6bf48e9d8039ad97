/**
 * The mock Twitch's world: one seeded, consistent set of users, channels, games, live streams,
 * follows, emotes, OAuth clients and tokens that every mock surface (Helix, OAuth, GQL/usher, the
 * emote CDN, IRC) reads from. Same seed, same world. State lives in a `Ref`; all time comes from
 * Effect's `Clock`, so `TestClock` drives token and device-code expiry.
 *
 * This module gathers the parts in `./world/`: models (`Models.ts`, `OAuthModels.ts`), the state
 * (`State.ts`, `Store.ts`, `Events.ts`, `WorldError.ts`), the ready credentials
 * (`Credentials.ts`), the seeded generator (`Random.ts`), the default world (`DefaultWorld.ts`,
 * `Fixtures.ts`, `DefaultAreas.ts`) and the service (`Service.ts` over one file per area:
 * `Catalog.ts`, `Chat.ts`, `OAuth.ts`, `Moderation.ts`, `Messaging.ts`, `Rewards.ts`, `Polls.ts`,
 * `Schedule.ts`, `Media.ts`, `Community.ts`, `Broadcast.ts`, `Extensions.ts`, `EventSub.ts`).
 *
 * @since 0.1.0
 */
export { AuthCode, DeviceCode, OAuthClient, Token } from "./world/OAuthModels.js"

export {
  Channel,
  Chatter,
  Emote,
  Follow,
  Game,
  LiveStream,
  Quality,
  RoomState,
  Subscriber,
  User,
  Vod
} from "./world/Models.js"

export { AdSchedule, Editor, Raid, StreamKey } from "./world/BroadcastModels.js"
export {
  CharityCampaign,
  CharityDonation,
  Cheer,
  Goal,
  GuestStarSession,
  GuestStarSettings,
  HypeTrain,
  Team
} from "./world/CommunityModels.js"
export { Conduit, Shard, Subscription } from "./world/EventSubModels.js"
export {
  ActiveExtension,
  BitsProduct,
  DropsEntitlement,
  Extension,
  ExtensionConfiguration,
  ExtensionSecret,
  ExtensionTransaction
} from "./world/ExtensionModels.js"
export { Clip, StreamMarker } from "./world/MediaModels.js"
export { Announcement, ChatDelay, SentMessage, Shoutout, Whisper } from "./world/MessagingModels.js"
export {
  AutoModSettings,
  Ban,
  BlockedTerm,
  HeldMessage,
  ShieldMode,
  SuspiciousUser,
  UnbanRequest,
  UserBlock,
  Warning
} from "./world/ModerationModels.js"
export { Poll, Prediction } from "./world/PollModels.js"
export { CustomReward, Redemption } from "./world/RewardModels.js"
export { ScheduleSegment, ScheduleSettings } from "./world/ScheduleModels.js"

export { WorldData, WorldFile, type WorldState } from "./world/State.js"

export { WorldEvent } from "./world/Events.js"

export { dropReasons } from "./world/Messaging.js"

export { WorldError } from "./world/WorldError.js"

export {
  allScopes,
  appToken,
  defaultAppTokenLifetime,
  defaultClientId,
  defaultClientSecret,
  defaultRedirectUris,
  defaultRefreshToken,
  defaultSeed,
  defaultUserId,
  defaultUserLogin,
  defaultUserToken,
  defaultUserTokenLifetime,
  deviceCodeTiming,
  expiredUserToken,
  extensionAppToken,
  extensionClientId,
  extensionClientSecret,
  extensionSecret,
  extensionVersion,
  noFollowsUserToken,
  publicClientId,
  readyTokenLifetime,
  secondUserId,
  secondUserLogin,
  secondUserToken,
  webClientId
} from "./world/Credentials.js"

export {
  qualityLadders,
  /**
   * Formats epoch milliseconds as RFC3339 without fractional seconds, as Helix does.
   *
   * @since 0.1.0
   * @category utils
   */
  rfc3339 as formatTime
} from "./world/Fixtures.js"

export { defaultWorldData, type DefaultWorldOptions, emptyWorldData, fromFile } from "./world/DefaultWorld.js"

export { type NewStream, type NewUser } from "./world/Catalog.js"

export { type IssueToken } from "./world/OAuth.js"

export { layer, make, type Options, World } from "./world/Service.js"
