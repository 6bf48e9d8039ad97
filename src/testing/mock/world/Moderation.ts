/**
 * The world's moderation: bans and timeouts, unban requests, blocked terms, AutoMod settings and
 * held messages, shield mode, warnings, suspicious users, moderators and VIPs, deleted messages,
 * user blocks. Each write is a pure transition; its event tells the surfaces that push (IRC:
 * CLEARCHAT, CLEARMSG, badges).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { WorldEvent } from "./Events.js"
import { rfc3339 } from "./Fixtures.js"
import type { Channel } from "./Models.js"
import type {
  AutoModSettings,
  Ban,
  BlockedTerm,
  HeldMessage,
  ShieldMode,
  SuspiciousUser,
  UnbanRequest,
  UserBlock,
  Warning
} from "./ModerationModels.js"
import type { WorldState } from "./State.js"
import { findUser, newUuid, type Step, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * Input of {@link Service.ban}: no `durationSeconds` bans, a duration times out.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewBan {
  readonly broadcasterId: string
  readonly userId: string
  readonly moderatorId: string
  readonly reason: string
  readonly durationSeconds?: number
}

/**
 * The AutoMod levels that can be changed.
 *
 * @since 0.1.0
 * @category models
 */
export type AutoModLevels = Partial<Omit<AutoModSettings, "broadcasterId" | "moderatorId">>

/**
 * The moderation part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Bans or times out; a permanent ban in place is a `Conflict`. */
  readonly ban: (input: NewBan) => Effect.Effect<Ban, WorldError>
  /** Lifts a ban or timeout in force (`NotFound` without one). */
  readonly unban: (
    broadcasterId: string,
    userId: string,
    moderatorId: string
  ) => Effect.Effect<void, WorldError>
  readonly resolveUnbanRequest: (input: {
    readonly id: string
    readonly broadcasterId: string
    readonly moderatorId: string
    readonly status: "approved" | "denied"
    readonly resolutionText: string
  }) => Effect.Effect<UnbanRequest, WorldError>
  /** Adds a blocked term (an equal term already there is returned as it is). */
  readonly addBlockedTerm: (
    broadcasterId: string,
    moderatorId: string,
    text: string
  ) => Effect.Effect<BlockedTerm>
  readonly removeBlockedTerm: (broadcasterId: string, id: string) => Effect.Effect<void>
  readonly updateAutoMod: (
    broadcasterId: string,
    moderatorId: string,
    levels: AutoModLevels
  ) => Effect.Effect<AutoModSettings>
  /** Allows or denies a pending held message (`NotFound` when there is none with the id). */
  readonly resolveHeldMessage: (id: string, allow: boolean) => Effect.Effect<HeldMessage, WorldError>
  readonly setShieldMode: (
    broadcasterId: string,
    moderatorId: string,
    active: boolean
  ) => Effect.Effect<ShieldMode>
  readonly warn: (warning: Omit<Warning, "createdAt">) => Effect.Effect<Warning>
  /** Marks a chatter suspicious, or clears the mark (`NO_TREATMENT`). */
  readonly setSuspicious: (
    broadcasterId: string,
    userId: string,
    moderatorId: string,
    status: SuspiciousUser["status"] | "NO_TREATMENT"
  ) => Effect.Effect<string>
  /** Adds or removes a moderator or VIP of a channel. */
  readonly setRole: (input: {
    readonly broadcasterId: string
    readonly userId: string
    readonly role: "moderator" | "vip"
    readonly add: boolean
  }) => Effect.Effect<Channel, WorldError>
  /** One message deleted (`messageId`), or the whole chat cleared. */
  readonly deleteChatMessages: (
    broadcasterId: string,
    moderatorId: string,
    messageId?: string
  ) => Effect.Effect<void>
  readonly block: (block: Omit<UserBlock, "createdAt">) => Effect.Effect<UserBlock, WorldError>
  readonly unblock: (userId: string, targetId: string) => Effect.Effect<void>
}

const inForce = (ban: Ban, now: number) => ban.expiresAt === "" || Date.parse(ban.expiresAt) > now

const ban = (input: NewBan): Transition<Ban> => (s, now) => {
  if (findUser(s, input.userId) === undefined) {
    return fail("InvalidInput", "The user specified in the user_id field was not found.")
  }
  if (input.userId === input.broadcasterId) {
    return fail("InvalidInput", "The user specified in the user_id field may not be banned.")
  }
  const current = s.bans.find((b) => b.broadcasterId === input.broadcasterId && b.userId === input.userId)
  if (current !== undefined && current.expiresAt === "") {
    return fail("InvalidInput", "The user specified in the user_id field is already banned.")
  }
  const next: Ban = {
    broadcasterId: input.broadcasterId,
    userId: input.userId,
    moderatorId: input.moderatorId,
    reason: input.reason,
    createdAt: rfc3339(now),
    expiresAt: input.durationSeconds === undefined ? "" : rfc3339(now + input.durationSeconds * 1000)
  }
  const others = s.bans.filter((b) => !(b.broadcasterId === input.broadcasterId && b.userId === input.userId))
  return [next, { ...s, bans: [...others, next] }]
}

const unban = (broadcasterId: string, userId: string): Transition<void> => (s, now) => {
  const current = s.bans.find((b) => b.broadcasterId === broadcasterId && b.userId === userId)
  if (current === undefined || !inForce(current, now)) {
    return fail("InvalidInput", "The user specified in the user_id field is not banned.")
  }
  return [undefined, { ...s, bans: s.bans.filter((b) => b !== current) }]
}

const resolveUnbanRequest =
  (input: Parameters<Service["resolveUnbanRequest"]>[0]): Transition<UnbanRequest> => (s, now) => {
    const request = s.unbanRequests.find((r) => r.id === input.id && r.broadcasterId === input.broadcasterId)
    if (request === undefined) return fail("NotFound", "The unban request was not found.")
    if (request.status !== "pending") return fail("InvalidInput", "The unban request is already resolved.")
    const resolved: UnbanRequest = {
      ...request,
      status: input.status,
      moderatorId: input.moderatorId,
      resolvedAt: rfc3339(now),
      resolutionText: input.resolutionText
    }
    const bans = input.status === "approved"
      ? s.bans.filter((b) => !(b.broadcasterId === request.broadcasterId && b.userId === request.userId))
      : s.bans
    return [resolved, {
      ...s,
      bans,
      unbanRequests: s.unbanRequests.map((r) => (r === request ? resolved : r))
    }]
  }

const addBlockedTerm =
  (broadcasterId: string, moderatorId: string, text: string): Step<BlockedTerm> => (s, now) => {
    const existing = s.blockedTerms.find((t) =>
      t.broadcasterId === broadcasterId && t.text.toLowerCase() === text.toLowerCase()
    )
    if (existing !== undefined) return [existing, s]
    const [id, s1] = newUuid(s)
    const term: BlockedTerm = {
      id,
      broadcasterId,
      moderatorId,
      text,
      createdAt: rfc3339(now),
      updatedAt: rfc3339(now),
      expiresAt: ""
    }
    return [term, { ...s1, blockedTerms: [...s1.blockedTerms, term] }]
  }

const defaultLevels = (broadcasterId: string, moderatorId: string): AutoModSettings => ({
  broadcasterId,
  moderatorId,
  overallLevel: 0,
  disability: 0,
  aggression: 0,
  sexualitySexOrGender: 0,
  misogyny: 0,
  bullying: 0,
  swearing: 0,
  raceEthnicityOrReligion: 0,
  sexBasedTerms: 0
})

/**
 * A channel's AutoMod settings (all levels 0 when never set).
 *
 * @since 0.1.0
 * @category utils
 */
export const autoModSettingsOf = (
  s: WorldState,
  broadcasterId: string,
  moderatorId: string
): AutoModSettings =>
  s.autoModSettings.find((a) => a.broadcasterId === broadcasterId) ??
    defaultLevels(broadcasterId, moderatorId)

/** Twitch's overall levels set the categories together; single levels clear the overall level. */
const updateAutoMod =
  (broadcasterId: string, moderatorId: string, levels: AutoModLevels): Step<AutoModSettings> => (s) => {
    const current = s.autoModSettings.find((a) => a.broadcasterId === broadcasterId) ??
      defaultLevels(broadcasterId, moderatorId)
    const overall = levels.overallLevel
    const next: AutoModSettings = typeof overall === "number"
      ? {
        ...current,
        moderatorId,
        overallLevel: overall,
        disability: overall,
        aggression: overall,
        sexualitySexOrGender: Math.max(0, overall - 1),
        misogyny: overall,
        bullying: overall,
        swearing: 0,
        raceEthnicityOrReligion: overall,
        sexBasedTerms: Math.max(0, overall - 1)
      }
      : { ...current, ...levels, moderatorId, overallLevel: null }
    return [next, {
      ...s,
      autoModSettings: [...s.autoModSettings.filter((a) => a.broadcasterId !== broadcasterId), next]
    }]
  }

const resolveHeldMessage = (id: string, allow: boolean): Transition<HeldMessage> => (s) => {
  const message = s.heldMessages.find((m) => m.id === id)
  if (message === undefined || message.status !== "pending") {
    return fail("NotFound", "The message specified in the msg_id field was not found.")
  }
  const resolved: HeldMessage = { ...message, status: allow ? "allowed" : "denied" }
  return [resolved, { ...s, heldMessages: s.heldMessages.map((m) => (m === message ? resolved : m)) }]
}

const setRole = (input: Parameters<Service["setRole"]>[0]): Transition<Channel> => (s) => {
  const channel = s.channels.find((c) => c.broadcasterId === input.broadcasterId)
  if (channel === undefined) return fail("NotFound", `no channel ${input.broadcasterId}`)
  if (findUser(s, input.userId) === undefined) return fail("InvalidInput", "The ID in user_id was not found.")
  const key = input.role === "moderator" ? "moderators" : "vips"
  const has = channel[key].includes(input.userId)
  if (input.add && has) {
    return fail(
      "InvalidInput",
      `The user in user_id is already a ${input.role === "moderator" ? "moderator" : "VIP"}.`
    )
  }
  if (!input.add && !has) {
    return fail(
      "InvalidInput",
      `The user in user_id is not a ${input.role === "moderator" ? "moderator" : "VIP"}.`
    )
  }
  const next: Channel = {
    ...channel,
    [key]: input.add ? [...channel[key], input.userId] : channel[key].filter((id) => id !== input.userId)
  }
  return [next, { ...s, channels: s.channels.map((c) => (c === channel ? next : c)) }]
}

const replaceBy = <A>(items: ReadonlyArray<A>, same: (a: A) => boolean, next: A): ReadonlyArray<A> => [
  ...items.filter((a) => !same(a)),
  next
]

/**
 * The moderation operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, transition, update }: Store): Service => {
  return {
    ban: (input) =>
      transition(ban(input)).pipe(Effect.tap((b) => publish(WorldEvent.UserBanned({ ban: b })))),
    unban: (broadcasterId, userId, moderatorId) =>
      transition(unban(broadcasterId, userId)).pipe(
        Effect.tap(() => publish(WorldEvent.UserUnbanned({ broadcasterId, userId, moderatorId })))
      ),
    resolveUnbanRequest: (input) =>
      transition(resolveUnbanRequest(input)).pipe(
        Effect.tap((request) => publish(WorldEvent.UnbanRequestResolved({ request })))
      ),
    addBlockedTerm: (broadcasterId, moderatorId, text) =>
      update(addBlockedTerm(broadcasterId, moderatorId, text)).pipe(
        Effect.tap(() => publish(WorldEvent.AutoModTermsChanged({ broadcasterId, text, added: true })))
      ),
    removeBlockedTerm: (broadcasterId, id) =>
      update((s) => {
        const term = s.blockedTerms.find((t) => t.broadcasterId === broadcasterId && t.id === id)
        return [term, { ...s, blockedTerms: s.blockedTerms.filter((t) => t !== term) }] as const
      }).pipe(
        Effect.flatMap((term) =>
          term === undefined
            ? Effect.void
            : publish(WorldEvent.AutoModTermsChanged({ broadcasterId, text: term.text, added: false }))
        ),
        Effect.asVoid
      ),
    updateAutoMod: (broadcasterId, moderatorId, levels) =>
      update(updateAutoMod(broadcasterId, moderatorId, levels)),
    resolveHeldMessage: (id, allow) =>
      transition(resolveHeldMessage(id, allow)).pipe(
        Effect.tap((message) => publish(WorldEvent.HeldMessageResolved({ message })))
      ),
    setShieldMode: (broadcasterId, moderatorId, active) =>
      update((s, now) => {
        const current = s.shieldModes.find((m) => m.broadcasterId === broadcasterId)
        const next: ShieldMode = {
          broadcasterId,
          isActive: active,
          moderatorId,
          lastActivatedAt: active ? rfc3339(now) : current?.lastActivatedAt ?? ""
        }
        return [next, {
          ...s,
          shieldModes: replaceBy(s.shieldModes, (m) => m.broadcasterId === broadcasterId, next)
        }]
      }).pipe(Effect.tap((shieldMode) => publish(WorldEvent.ShieldModeChanged({ shieldMode })))),
    warn: (input) =>
      update((s, now) => {
        const warning: Warning = { ...input, createdAt: rfc3339(now) }
        return [warning, { ...s, warnings: [...s.warnings, warning] }]
      }).pipe(Effect.tap((warning) => publish(WorldEvent.UserWarned({ warning })))),
    setSuspicious: (broadcasterId, userId, moderatorId, status) =>
      update((s, now) => {
        const same = (x: SuspiciousUser) => x.broadcasterId === broadcasterId && x.userId === userId
        const kept = s.suspiciousUsers.filter((x) => !same(x))
        const updatedAt = rfc3339(now)
        return status === "NO_TREATMENT"
          ? [updatedAt, { ...s, suspiciousUsers: kept }]
          : [updatedAt, {
            ...s,
            suspiciousUsers: [...kept, { broadcasterId, userId, moderatorId, status, updatedAt }]
          }]
      }),
    setRole: (input) =>
      transition(setRole(input)).pipe(
        Effect.tap((channel) =>
          Effect.zipRight(
            publish(WorldEvent.ChannelUpdated({ channel })),
            publish(WorldEvent.RoleChanged({
              broadcasterId: input.broadcasterId,
              userId: input.userId,
              role: input.role,
              added: input.add
            }))
          )
        )
      ),
    deleteChatMessages: (broadcasterId, moderatorId, messageId) =>
      Effect.asVoid(publish(
        messageId === undefined
          ? WorldEvent.ChatCleared({ broadcasterId, moderatorId })
          : WorldEvent.ChatMessageDeleted({ broadcasterId, messageId, moderatorId })
      )),
    block: (input) =>
      transition((s, now) => {
        if (findUser(s, input.targetId) === undefined) {
          return fail("InvalidInput", "The user in target_user_id was not found.")
        }
        const block: UserBlock = { ...input, createdAt: rfc3339(now) }
        const same = (b: UserBlock) => b.userId === input.userId && b.targetId === input.targetId
        return [block, { ...s, userBlocks: replaceBy(s.userBlocks, same, block) }]
      }),
    unblock: (userId, targetId) =>
      update((s) => [undefined, {
        ...s,
        userBlocks: s.userBlocks.filter((b) => !(b.userId === userId && b.targetId === targetId))
      }])
  }
}

/**
 * Whether a ban or timeout is in force at `now` (epoch ms).
 *
 * @since 0.1.0
 * @category utils
 */
export const banInForce = inForce
