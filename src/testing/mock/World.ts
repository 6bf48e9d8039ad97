/**
 * The mock Twitch's world: one seeded, consistent set of users, channels, games, live streams,
 * follows, emotes, OAuth clients and tokens that every mock surface (Helix, OAuth, GQL/usher, the
 * emote CDN, IRC) reads from. Same seed, same world. State lives in a `Ref`; all time comes from
 * Effect's `Clock`, so `TestClock` drives token and device-code expiry.
 *
 * This module gathers the parts in `./world/`: models (`Models.ts`, `OAuthModels.ts`), the state
 * (`State.ts`, `Store.ts`, `Events.ts`, `WorldError.ts`), the ready credentials
 * (`Credentials.ts`), the seeded generator (`Random.ts`), the default world (`DefaultWorld.ts`,
 * `Fixtures.ts`) and the service (`Service.ts` over `Catalog.ts`, `Chat.ts`, `OAuth.ts`).
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

export { WorldData, WorldFile, type WorldState } from "./world/State.js"

export { WorldEvent } from "./world/Events.js"

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
