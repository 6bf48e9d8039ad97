/**
 * What a user is in a channel, as Twitch's tags say it: badges in Twitch's order, badge info, the
 * `mod`/`subscriber`/`vip` flags and `user-type`; and the USERSTATE and ROOMSTATE tag sets built
 * from them. Pure functions of world data.
 *
 * @since 0.1.0
 */
import type * as World from "../World.js"

/**
 * A user's badges and flags in a channel.
 *
 * @since 0.1.0
 * @category models
 */
export interface Roles {
  readonly broadcaster: boolean
  readonly moderator: boolean
  readonly vip: boolean
  /** Broadcaster, moderator or VIP: exempt from slow mode and the per-channel interval. */
  readonly elevated: boolean
  readonly badges: string
  readonly badgeInfo: string
  readonly subscriber: boolean
  readonly userType: string
}

const subscriberVersion = (sub: World.Subscriber): number => {
  const base = sub.tier === "3000" ? 3000 : sub.tier === "2000" ? 2000 : 0
  const steps = [0, 3, 6, 9, 12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72]
  let step = 0
  for (const s of steps) if (sub.months >= s) step = s
  return base + step
}

/**
 * Badges and user flags of a user in a channel (Twitch order: broadcaster, moderator/vip,
 * subscriber, global); `channel` undefined gives the global ones (GLOBALUSERSTATE).
 *
 * @since 0.1.0
 * @category utils
 */
export const rolesIn = (user: World.User, channel: World.Channel | undefined): Roles => {
  const broadcaster = channel !== undefined && channel.broadcasterId === user.id
  const moderator = channel !== undefined && channel.moderators.includes(user.id)
  const vip = channel !== undefined && channel.vips.includes(user.id)
  const sub = channel?.subscribers.find((s) => s.userId === user.id)
  const badges: Array<string> = []
  if (broadcaster) badges.push("broadcaster/1")
  else if (moderator) badges.push("moderator/1")
  else if (vip) badges.push("vip/1")
  if (sub !== undefined) badges.push(`subscriber/${subscriberVersion(sub)}`)
  if (user.type === "staff") badges.push("staff/1")
  else if (user.type === "admin") badges.push("admin/1")
  else if (user.type === "global_mod") badges.push("global_mod/1")
  return {
    broadcaster,
    moderator,
    vip,
    elevated: broadcaster || moderator || vip,
    badges: badges.join(","),
    badgeInfo: sub !== undefined ? `subscriber/${sub.months}` : "",
    subscriber: sub !== undefined,
    userType: user.type !== "" ? user.type : moderator ? "mod" : ""
  }
}

/**
 * The USERSTATE tags of a user in a channel, with the emote sets of their connection.
 *
 * @since 0.1.0
 * @category utils
 */
export const userStateTags = (
  user: World.User,
  channel: World.Channel,
  emoteSets: string
): Record<string, string> => {
  const r = rolesIn(user, channel)
  return {
    "badge-info": r.badgeInfo,
    badges: r.badges,
    color: user.chatColor,
    "display-name": user.displayName,
    "emote-sets": emoteSets,
    mod: r.moderator ? "1" : "0",
    subscriber: r.subscriber ? "1" : "0",
    turbo: "0",
    "user-type": r.userType
  }
}

/**
 * The ROOMSTATE tags of a channel: all modes, or only `keys` (a change).
 *
 * @since 0.1.0
 * @category utils
 */
export const roomStateTags = (
  channel: World.Channel,
  keys?: ReadonlyArray<keyof World.RoomState>
): Record<string, string> => {
  const rs = channel.roomState
  const all: Record<keyof World.RoomState, readonly [string, string]> = {
    emoteOnly: ["emote-only", rs.emoteOnly ? "1" : "0"],
    followersOnly: ["followers-only", String(rs.followersOnly)],
    r9k: ["r9k", rs.r9k ? "1" : "0"],
    slow: ["slow", String(rs.slow)],
    subsOnly: ["subs-only", rs.subsOnly ? "1" : "0"]
  }
  const tags: Record<string, string> = { "room-id": channel.broadcasterId }
  for (const k of keys ?? (Object.keys(all) as Array<keyof World.RoomState>)) tags[all[k][0]] = all[k][1]
  return tags
}
