/**
 * The mock world's moderation state: bans and timeouts, unban requests, blocked terms, AutoMod
 * settings and held messages, shield mode, warnings, suspicious users and the users people block;
 * the slice they fill. Moderators and VIPs stay on the channel (`Channel.moderators`, `vips`).
 * Times are RFC3339 strings; `""` means none.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A ban (`expiresAt` `""`) or a timeout (`expiresAt` set).
 *
 * @since 0.1.0
 * @category models
 */
export const Ban = Schema.Struct({
  broadcasterId: Schema.String,
  userId: Schema.String,
  moderatorId: Schema.String,
  reason: Schema.String,
  createdAt: Schema.String,
  expiresAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Ban = typeof Ban.Type

/**
 * A banned user's request to be unbanned.
 *
 * @since 0.1.0
 * @category models
 */
export const UnbanRequest = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  userId: Schema.String,
  text: Schema.String,
  status: Schema.Literal("pending", "approved", "denied", "acknowledged", "canceled"),
  createdAt: Schema.String,
  moderatorId: Schema.String,
  resolvedAt: Schema.String,
  resolutionText: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type UnbanRequest = typeof UnbanRequest.Type

/**
 * A term AutoMod blocks in a channel.
 *
 * @since 0.1.0
 * @category models
 */
export const BlockedTerm = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  moderatorId: Schema.String,
  text: Schema.String,
  createdAt: Schema.String,
  updatedAt: Schema.String,
  expiresAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type BlockedTerm = typeof BlockedTerm.Type

/**
 * A channel's AutoMod levels (0-4). `overallLevel` is `null` when the levels were set one by one.
 *
 * @since 0.1.0
 * @category models
 */
export const AutoModSettings = Schema.Struct({
  broadcasterId: Schema.String,
  moderatorId: Schema.String,
  overallLevel: Schema.NullOr(Schema.Int),
  disability: Schema.Int,
  aggression: Schema.Int,
  sexualitySexOrGender: Schema.Int,
  misogyny: Schema.Int,
  bullying: Schema.Int,
  swearing: Schema.Int,
  raceEthnicityOrReligion: Schema.Int,
  sexBasedTerms: Schema.Int
})

/**
 * @since 0.1.0
 * @category models
 */
export type AutoModSettings = typeof AutoModSettings.Type

/**
 * A chat message AutoMod holds for review.
 *
 * @since 0.1.0
 * @category models
 */
export const HeldMessage = Schema.Struct({
  id: Schema.String,
  broadcasterId: Schema.String,
  userId: Schema.String,
  text: Schema.String,
  heldAt: Schema.String,
  status: Schema.Literal("pending", "allowed", "denied")
})

/**
 * @since 0.1.0
 * @category models
 */
export type HeldMessage = typeof HeldMessage.Type

/**
 * A channel's shield mode.
 *
 * @since 0.1.0
 * @category models
 */
export const ShieldMode = Schema.Struct({
  broadcasterId: Schema.String,
  isActive: Schema.Boolean,
  moderatorId: Schema.String,
  lastActivatedAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type ShieldMode = typeof ShieldMode.Type

/**
 * A warning a moderator gave a chatter (until the chatter acknowledges it).
 *
 * @since 0.1.0
 * @category models
 */
export const Warning = Schema.Struct({
  broadcasterId: Schema.String,
  userId: Schema.String,
  moderatorId: Schema.String,
  reason: Schema.String,
  createdAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Warning = typeof Warning.Type

/**
 * A chatter a moderator marked as suspicious.
 *
 * @since 0.1.0
 * @category models
 */
export const SuspiciousUser = Schema.Struct({
  broadcasterId: Schema.String,
  userId: Schema.String,
  moderatorId: Schema.String,
  status: Schema.Literal("ACTIVE_MONITORING", "RESTRICTED"),
  updatedAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type SuspiciousUser = typeof SuspiciousUser.Type

/**
 * A user `userId` blocked.
 *
 * @since 0.1.0
 * @category models
 */
export const UserBlock = Schema.Struct({
  userId: Schema.String,
  targetId: Schema.String,
  sourceContext: Schema.String,
  reason: Schema.String,
  createdAt: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type UserBlock = typeof UserBlock.Type

/**
 * The moderation slice of the world.
 *
 * @since 0.1.0
 * @category slices
 */
export const ModerationFields = {
  bans: Schema.Array(Ban),
  unbanRequests: Schema.Array(UnbanRequest),
  blockedTerms: Schema.Array(BlockedTerm),
  autoModSettings: Schema.Array(AutoModSettings),
  heldMessages: Schema.Array(HeldMessage),
  shieldModes: Schema.Array(ShieldMode),
  warnings: Schema.Array(Warning),
  suspiciousUsers: Schema.Array(SuspiciousUser),
  userBlocks: Schema.Array(UserBlock)
}
