/**
 * The ready credentials of the default world and the constants tests use: the seed, the OAuth
 * clients, the two ready users, the ready tokens and their scopes, token lifetimes and device-code
 * timing.
 *
 * @since 0.1.0
 */
import type { OAuthClient, Token } from "./OAuthModels.js"

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
 * Every scope the mock knows (granted to {@link defaultUserToken}): every scope of the Helix spec's
 * operations and of EventSub's subscription types, plus IRC's `chat:read`, `chat:edit` and
 * `whispers:read`.
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
  "channel:manage:ads",
  "channel:manage:broadcast",
  "channel:manage:clips",
  "channel:manage:guest_star",
  "channel:manage:moderators",
  "channel:manage:polls",
  "channel:manage:predictions",
  "channel:manage:raids",
  "channel:manage:redemptions",
  "channel:manage:schedule",
  "channel:manage:videos",
  "channel:manage:vips",
  "channel:moderate",
  "channel:read:ads",
  "channel:read:charity",
  "channel:read:editors",
  "channel:read:goals",
  "channel:read:guest_star",
  "channel:read:hype_train",
  "channel:read:polls",
  "channel:read:predictions",
  "channel:read:redemptions",
  "channel:read:stream_key",
  "channel:read:subscriptions",
  "channel:read:vips",
  "chat:edit",
  "chat:read",
  "clips:edit",
  "editor:manage:clips",
  "moderation:read",
  "moderator:manage:announcements",
  "moderator:manage:automod",
  "moderator:manage:automod_settings",
  "moderator:manage:banned_users",
  "moderator:manage:blocked_terms",
  "moderator:manage:chat_messages",
  "moderator:manage:chat_settings",
  "moderator:manage:guest_star",
  "moderator:manage:shield_mode",
  "moderator:manage:shoutouts",
  "moderator:manage:suspicious_users",
  "moderator:manage:unban_requests",
  "moderator:manage:warnings",
  "moderator:read:automod_settings",
  "moderator:read:banned_users",
  "moderator:read:blocked_terms",
  "moderator:read:chat_messages",
  "moderator:read:chat_settings",
  "moderator:read:chatters",
  "moderator:read:followers",
  "moderator:read:guest_star",
  "moderator:read:moderators",
  "moderator:read:shield_mode",
  "moderator:read:shoutouts",
  "moderator:read:suspicious_users",
  "moderator:read:unban_requests",
  "moderator:read:vips",
  "moderator:read:warnings",
  "user:bot",
  "user:edit",
  "user:edit:broadcast",
  "user:manage:blocked_users",
  "user:manage:chat_color",
  "user:manage:whispers",
  "user:read:blocked_users",
  "user:read:broadcast",
  "user:read:chat",
  "user:read:email",
  "user:read:emotes",
  "user:read:follows",
  "user:read:moderated_channels",
  "user:read:subscriptions",
  "user:read:whispers",
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
 * Client id of the ready extension (an extension's id is its client id), owned by the default
 * user. Its calls with an extension JWT carry it as `Client-Id`.
 *
 * @since 0.1.0
 * @category constants
 */
export const extensionClientId = "mockextension0effecttwitcher01"

/**
 * OAuth client secret of the ready extension (client credentials give {@link extensionAppToken}).
 *
 * @since 0.1.0
 * @category constants
 */
export const extensionClientSecret = "mockextsecret0effecttwitcher01"

/**
 * The ready extension's JWT secret, base64 as the developer console shows it: extension-JWT
 * operations accept HS256 JWTs signed with it (and refuse others).
 *
 * @since 0.1.0
 * @category constants
 */
export const extensionSecret = "bW9jay1leHRlbnNpb24tand0LXNlY3JldC0wMDAwMDE="

/**
 * Version of the ready extension.
 *
 * @since 0.1.0
 * @category constants
 */
export const extensionVersion = "1.0.0"

/**
 * An app token of the extension's client, for the app-token extension operations (transactions,
 * Bits products) that Twitch answers only for the extension's own client id.
 *
 * @since 0.1.0
 * @category constants
 */
export const extensionAppToken = "mockapptoken0extensionclient01"

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

/**
 * The default (confidential) application, as registered in every world.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultClient = (): OAuthClient => ({
  clientId: defaultClientId,
  secret: defaultClientSecret,
  name: "effect-twitcher mock app",
  redirectUris: [...defaultRedirectUris],
  type: "confidential"
})

/**
 * The applications of the default world: {@link defaultClient}, the public client
 * ({@link publicClientId}, device flow, no secret) and the ready extension's client
 * ({@link extensionClientId}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const readyClients = (): Array<OAuthClient> => [
  defaultClient(),
  {
    clientId: publicClientId,
    secret: "",
    name: "effect-twitcher mock public app",
    redirectUris: [...defaultRedirectUris],
    type: "public"
  },
  {
    clientId: extensionClientId,
    secret: extensionClientSecret,
    name: "effect-twitcher mock extension",
    redirectUris: [],
    type: "confidential"
  }
]

/**
 * The ready tokens of the default world, issued at `now` (epoch milliseconds):
 * {@link defaultUserToken}, {@link appToken}, {@link noFollowsUserToken}, {@link secondUserToken},
 * {@link extensionAppToken} and {@link expiredUserToken}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const readyTokens = (now: number): Array<Token> => {
  const readyExpiry = now + readyTokenLifetime * 1000
  return [
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
      value: extensionAppToken,
      clientId: extensionClientId,
      scopes: [],
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
}
