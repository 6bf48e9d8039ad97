/**
 * The world's broadcasting: commercials (live channels only, then an 8-minute cooldown), ad
 * snoozes, raids (one pending raid per channel), and updating the user's own description.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { AdSchedule, Raid } from "./BroadcastModels.js"
import { WorldEvent } from "./Events.js"
import { rfc3339 } from "./Fixtures.js"
import type { User } from "./Models.js"
import type { WorldState } from "./State.js"
import { findUser, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * Seconds between two commercials of a channel, as Twitch answers `retry_after`.
 *
 * @since 0.1.0
 * @category constants
 */
export const commercialCooldown = 480

/**
 * The broadcasting part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Runs a commercial of up to 180 seconds; its length (rounded up to 30 s steps). */
  readonly startCommercial: (broadcasterId: string, length: number) => Effect.Effect<number, WorldError>
  /** Pushes the next ad back 5 minutes, if a snooze is left. */
  readonly snoozeNextAd: (broadcasterId: string) => Effect.Effect<AdSchedule, WorldError>
  readonly startRaid: (from: string, to: string) => Effect.Effect<Raid, WorldError>
  readonly cancelRaid: (from: string) => Effect.Effect<void, WorldError>
  readonly updateDescription: (userId: string, description: string) => Effect.Effect<User, WorldError>
}

/**
 * A channel's ad schedule (none planned when never set).
 *
 * @since 0.1.0
 * @category utils
 */
export const adScheduleOf = (s: WorldState, broadcasterId: string): AdSchedule =>
  s.adSchedules.find((a) => a.broadcasterId === broadcasterId) ??
    {
      broadcasterId,
      snoozeCount: 3,
      snoozeRefreshAt: 0,
      nextAdAt: 0,
      duration: 0,
      lastAdAt: 0,
      prerollFreeTime: 0
    }

const withAds = (s: WorldState, ads: AdSchedule): WorldState => ({
  ...s,
  adSchedules: [...s.adSchedules.filter((a) => a.broadcasterId !== ads.broadcasterId), ads]
})

const startCommercial = (broadcasterId: string, length: number): Transition<number> => (s, now) => {
  if (!s.streams.some((x) => x.userId === broadcasterId)) {
    return fail("InvalidInput", "To start a commercial, the broadcaster must be streaming live.")
  }
  const seconds = Math.floor(now / 1000)
  const ads = adScheduleOf(s, broadcasterId)
  if (ads.lastAdAt > 0 && seconds < ads.lastAdAt + commercialCooldown) {
    return fail(
      "RateLimited",
      `The broadcaster may run another commercial in ${ads.lastAdAt + commercialCooldown - seconds} seconds.`
    )
  }
  const run = Math.min(180, Math.max(30, Math.ceil(length / 30) * 30))
  return [run, withAds(s, { ...ads, lastAdAt: seconds, duration: run, nextAdAt: seconds + 3600 })]
}

const snooze = (broadcasterId: string): Transition<AdSchedule> => (s, now) => {
  const ads = adScheduleOf(s, broadcasterId)
  if (ads.snoozeCount <= 0) return fail("InvalidInput", "The broadcaster has no snoozes left.")
  if (ads.nextAdAt === 0) return fail("InvalidInput", "The broadcaster has no upcoming ad to snooze.")
  const next: AdSchedule = {
    ...ads,
    snoozeCount: ads.snoozeCount - 1,
    snoozeRefreshAt: ads.snoozeRefreshAt === 0 ? Math.floor(now / 1000) + 3600 : ads.snoozeRefreshAt,
    nextAdAt: ads.nextAdAt + 300
  }
  return [next, withAds(s, next)]
}

const startRaid = (from: string, to: string): Transition<Raid> => (s, now) => {
  if (from === to) return fail("InvalidInput", "The broadcaster may not raid themselves.")
  const target = s.channels.find((c) => c.broadcasterId === to)
  if (target === undefined || findUser(s, to) === undefined) {
    return fail("NotFound", "The targeted channel was not found.")
  }
  if (target.suspended) return fail("InvalidInput", "The targeted channel may not be raided.")
  if (s.raids.some((r) => r.fromBroadcasterId === from && r.status === "pending")) {
    return fail("Conflict", "The broadcaster is already in the process of raiding another channel.")
  }
  const raid: Raid = {
    fromBroadcasterId: from,
    toBroadcasterId: to,
    createdAt: rfc3339(now),
    status: "pending"
  }
  return [raid, { ...s, raids: [...s.raids, raid] }]
}

const cancelRaid = (from: string): Transition<Raid> => (s) => {
  const raid = s.raids.find((r) => r.fromBroadcasterId === from && r.status === "pending")
  if (raid === undefined) return fail("NotFound", "The broadcaster doesn't have a pending raid to cancel.")
  const canceled: Raid = { ...raid, status: "canceled" }
  return [canceled, { ...s, raids: s.raids.map((r) => (r === raid ? canceled : r)) }]
}

/**
 * The broadcasting operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, transition }: Store): Service => ({
  startCommercial: (broadcasterId, length) =>
    transition(startCommercial(broadcasterId, length)).pipe(
      Effect.tap((run) => publish(WorldEvent.CommercialStarted({ broadcasterId, length: run })))
    ),
  snoozeNextAd: (broadcasterId) => transition(snooze(broadcasterId)),
  startRaid: (from, to) =>
    transition(startRaid(from, to)).pipe(Effect.tap((raid) => publish(WorldEvent.RaidChanged({ raid })))),
  cancelRaid: (from) =>
    transition(cancelRaid(from)).pipe(
      Effect.tap((raid) => publish(WorldEvent.RaidChanged({ raid }))),
      Effect.asVoid
    ),
  updateDescription: (userId, description) =>
    transition((s): readonly [User, WorldState] | WorldError => {
      const user = findUser(s, userId)
      if (user === undefined) return fail("NotFound", `no user ${userId}`)
      const next: User = { ...user, description }
      return [next, { ...s, users: s.users.map((u) => (u === user ? next : u)) }]
    }).pipe(Effect.tap((user) => publish(WorldEvent.UserUpdated({ user }))))
})
