/**
 * The mock world's community features: creator goals, charity campaigns and donations, hype
 * trains, cheers (the Bits leaderboard), teams and Guest Star; the slice they fill.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A creator goal.
 *
 * @since 0.1.0
 * @category models
 */
export const Goal = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  type: Schema.Literal(
    "follower",
    "subscription",
    "subscription_count",
    "new_subscription",
    "new_subscription_count"
  ),
  description: Schema.String,
  currentAmount: Schema.Int,
  targetAmount: Schema.Int,
  createdAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Goal = typeof Goal.Type

/**
 * An amount of money in minor units (`value` 1250 with 2 decimal places is 12.50).
 *
 * @since 0.1.0
 * @category models
 */
export const Money = Schema.Struct({
  value: Schema.Int,
  decimalPlaces: Schema.Int,
  currency: Schema.String
})

/**
 * A running charity campaign.
 *
 * @since 0.1.0
 * @category models
 */
export const CharityCampaign = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  charityName: Schema.String,
  charityDescription: Schema.String,
  charityLogo: Schema.String,
  charityWebsite: Schema.String,
  currentAmount: Money,
  targetAmount: Money
})

/**
 * @since 0.1.0
 * @category models
 */
export type CharityCampaign = typeof CharityCampaign.Type

/**
 * A donation to a charity campaign.
 *
 * @since 0.1.0
 * @category models
 */
export const CharityDonation = Schema.Struct({
  id: Schema.String,
  campaignId: Schema.String,
  userId: Schema.String,
  amount: Money
})

/**
 * @since 0.1.0
 * @category models
 */
export type CharityDonation = typeof CharityDonation.Type

/**
 * One contribution to a hype train.
 *
 * @since 0.1.0
 * @category models
 */
export const HypeContribution = Schema.Struct({
  userId: Schema.String,
  type: Schema.Literal("bits", "subscription", "other"),
  total: Schema.Int
})

/**
 * A channel's hype train (running while `expiresAt` is ahead) and its all-time high.
 *
 * @since 0.1.0
 * @category models
 */
export const HypeTrain = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  level: Schema.Int,
  total: Schema.Int,
  progress: Schema.Int,
  goal: Schema.Int,
  contributions: Schema.Array(HypeContribution),
  startedAt: Schema.String,
  expiresAt: Schema.String,
  allTimeHighLevel: Schema.Int,
  allTimeHighTotal: Schema.Int,
  allTimeHighAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type HypeTrain = typeof HypeTrain.Type

/**
 * Bits a user cheered in a channel.
 *
 * @since 0.1.0
 * @category models
 */
export const Cheer = Schema.Struct({
  broadcasterId: Schema.String,
  userId: Schema.String,
  bits: Schema.Int,
  at: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Cheer = typeof Cheer.Type

/**
 * A team of channels.
 *
 * @since 0.1.0
 * @category models
 */
export const Team = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  displayName: Schema.String,
  info: Schema.String,
  createdAt: Schema.String,
  updatedAt: Schema.String,
  memberIds: Schema.Array(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type Team = typeof Team.Type

/**
 * A channel's Guest Star settings.
 *
 * @since 0.1.0
 * @category models
 */
export const GuestStarSettings = Schema.Struct({
  broadcasterId: Schema.String,
  isModeratorSendLiveEnabled: Schema.Boolean,
  slotCount: Schema.Int,
  isBrowserSourceAudioEnabled: Schema.Boolean,
  groupLayout: Schema.Literal("TILED_LAYOUT", "SCREENSHARE_LAYOUT", "HORIZONTAL_LAYOUT", "VERTICAL_LAYOUT"),
  browserSourceToken: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type GuestStarSettings = typeof GuestStarSettings.Type

/**
 * A guest in a slot of a Guest Star session (slot `"0"` is the host).
 *
 * @since 0.1.0
 * @category models
 */
export const GuestStarGuest = Schema.Struct({
  slotId: Schema.String,
  userId: Schema.String,
  isLive: Schema.Boolean,
  volume: Schema.Int,
  assignedAt: Schema.String,
  audioEnabled: Schema.Boolean,
  videoEnabled: Schema.Boolean
})

/**
 * @since 0.1.0
 * @category models
 */
export type GuestStarGuest = typeof GuestStarGuest.Type

/**
 * An invitation to a Guest Star session.
 *
 * @since 0.1.0
 * @category models
 */
export const GuestStarInvite = Schema.Struct({
  userId: Schema.String,
  invitedAt: Schema.String,
  status: Schema.Literal("INVITED", "ACCEPTED", "READY")
})

/**
 * @since 0.1.0
 * @category models
 */
export type GuestStarInvite = typeof GuestStarInvite.Type

/**
 * A Guest Star session (`endedAt` `""` while it runs).
 *
 * @since 0.1.0
 * @category models
 */
export const GuestStarSession = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  guests: Schema.Array(GuestStarGuest),
  invites: Schema.Array(GuestStarInvite),
  endedAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type GuestStarSession = typeof GuestStarSession.Type

/**
 * The community slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const CommunityFields = {
  goals: Schema.Array(Goal),
  charityCampaigns: Schema.Array(CharityCampaign),
  charityDonations: Schema.Array(CharityDonation),
  hypeTrains: Schema.Array(HypeTrain),
  cheers: Schema.Array(Cheer),
  teams: Schema.Array(Team),
  guestStarSettings: Schema.Array(GuestStarSettings),
  guestStarSessions: Schema.Array(GuestStarSession)
}
