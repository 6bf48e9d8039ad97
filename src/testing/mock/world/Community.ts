/**
 * The world's Guest Star: a channel's settings, one running session at a time (the host in slot
 * "0"), invites, guests assigned to slots, moved, removed and their media settings. Every change of
 * a session publishes `GuestStarSessionChanged`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { GuestStarGuest, GuestStarSession, GuestStarSettings } from "./CommunityModels.js"
import { WorldEvent } from "./Events.js"
import { rfc3339 } from "./Fixtures.js"
import { ALNUM } from "./Random.js"
import type { WorldState } from "./State.js"
import { findUser, newString, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * What a change of a session's slot does.
 *
 * @since 0.1.0
 * @category models
 */
export type SlotChange =
  | { readonly _tag: "Invite"; readonly guestId: string }
  | { readonly _tag: "Uninvite"; readonly guestId: string }
  | { readonly _tag: "Assign"; readonly guestId: string; readonly slotId: string }
  | { readonly _tag: "Move"; readonly sourceSlotId: string; readonly destinationSlotId: string }
  | { readonly _tag: "Remove"; readonly guestId: string; readonly slotId: string; readonly reinvite: boolean }
  | {
    readonly _tag: "Media"
    readonly slotId: string
    readonly audio?: boolean
    readonly video?: boolean
    readonly live?: boolean
    readonly volume?: number
  }

/**
 * The Guest Star part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly updateGuestStarSettings: (
    broadcasterId: string,
    patch: Partial<Omit<GuestStarSettings, "broadcasterId" | "browserSourceToken">>,
    regenerateBrowserSources: boolean
  ) => Effect.Effect<GuestStarSettings, WorldError>
  readonly startGuestStarSession: (broadcasterId: string) => Effect.Effect<GuestStarSession, WorldError>
  readonly endGuestStarSession: (
    broadcasterId: string,
    sessionId: string
  ) => Effect.Effect<GuestStarSession, WorldError>
  readonly changeGuestStarSession: (
    broadcasterId: string,
    sessionId: string,
    change: SlotChange
  ) => Effect.Effect<GuestStarSession, WorldError>
}

/**
 * A channel's Guest Star settings (Twitch's defaults when never set).
 *
 * @since 0.1.0
 * @category utils
 */
export const guestStarSettingsOf = (s: WorldState, broadcasterId: string): GuestStarSettings =>
  s.guestStarSettings.find((x) => x.broadcasterId === broadcasterId) ?? {
    broadcasterId,
    isModeratorSendLiveEnabled: true,
    slotCount: 4,
    isBrowserSourceAudioEnabled: true,
    groupLayout: "TILED_LAYOUT",
    browserSourceToken: ""
  }

const running = (s: WorldState, broadcasterId: string, sessionId: string): GuestStarSession | WorldError => {
  const session = s.guestStarSessions.find((x) => x.broadcasterId === broadcasterId && x.id === sessionId)
  return session === undefined || session.endedAt !== ""
    ? fail("InvalidInput", "The session_id does not name a running Guest Star session of the broadcaster.")
    : session
}

const replace = (s: WorldState, session: GuestStarSession): WorldState => ({
  ...s,
  guestStarSessions: s.guestStarSessions.map((x) => (x.id === session.id ? session : x))
})

const guest = (userId: string, slotId: string, now: number): GuestStarGuest => ({
  slotId,
  userId,
  isLive: false,
  volume: 100,
  assignedAt: rfc3339(now),
  audioEnabled: true,
  videoEnabled: true
})

/** The session after a change, or why not. */
const changed = (
  s: WorldState,
  session: GuestStarSession,
  change: SlotChange,
  now: number
): GuestStarSession | WorldError => {
  const inSlot = (slotId: string) => session.guests.find((g) => g.slotId === slotId)
  switch (change._tag) {
    case "Invite":
      if (findUser(s, change.guestId) === undefined) {
        return fail("InvalidInput", "The guest_id was not found.")
      }
      if (session.invites.some((i) => i.userId === change.guestId)) {
        return fail("InvalidInput", "The guest is already invited.")
      }
      return {
        ...session,
        invites: [...session.invites, { userId: change.guestId, invitedAt: rfc3339(now), status: "INVITED" }]
      }
    case "Uninvite":
      if (!session.invites.some((i) => i.userId === change.guestId)) {
        return fail("NotFound", "The guest was not invited.")
      }
      return { ...session, invites: session.invites.filter((i) => i.userId !== change.guestId) }
    case "Assign": {
      const slots = guestStarSettingsOf(s, session.broadcasterId).slotCount
      const slot = Number(change.slotId)
      if (!Number.isInteger(slot) || slot < 1 || slot > slots) {
        return fail("InvalidInput", "The slot_id is not a slot of the session.")
      }
      if (!session.invites.some((i) => i.userId === change.guestId)) {
        return fail("InvalidInput", "The guest was not invited.")
      }
      if (inSlot(change.slotId) !== undefined) return fail("InvalidInput", "The slot is taken.")
      return {
        ...session,
        invites: session.invites.filter((i) => i.userId !== change.guestId),
        guests: [...session.guests, guest(change.guestId, change.slotId, now)]
      }
    }
    case "Move": {
      const source = inSlot(change.sourceSlotId)
      if (source === undefined || change.sourceSlotId === "0") {
        return fail("InvalidInput", "The source_slot_id has no guest.")
      }
      const target = inSlot(change.destinationSlotId)
      return {
        ...session,
        guests: session.guests.map((g) =>
          g === source
            ? { ...g, slotId: change.destinationSlotId }
            : g === target
            ? { ...g, slotId: change.sourceSlotId }
            : g
        )
      }
    }
    case "Remove": {
      const found = inSlot(change.slotId)
      if (found === undefined || found.userId !== change.guestId) {
        return fail("NotFound", "The guest is not in the slot.")
      }
      return {
        ...session,
        guests: session.guests.filter((g) => g !== found),
        invites: change.reinvite
          ? [...session.invites, { userId: change.guestId, invitedAt: rfc3339(now), status: "INVITED" }]
          : session.invites
      }
    }
    case "Media": {
      const found = inSlot(change.slotId)
      if (found === undefined) return fail("InvalidInput", "The slot_id has no guest.")
      const next: GuestStarGuest = {
        ...found,
        ...(change.audio === undefined ? {} : { audioEnabled: change.audio }),
        ...(change.video === undefined ? {} : { videoEnabled: change.video }),
        ...(change.live === undefined ? {} : { isLive: change.live }),
        ...(change.volume === undefined ? {} : { volume: change.volume })
      }
      return { ...session, guests: session.guests.map((g) => (g === found ? next : g)) }
    }
  }
}

const start = (broadcasterId: string): Transition<GuestStarSession> => (s, now) => {
  if (s.guestStarSessions.some((x) => x.broadcasterId === broadcasterId && x.endedAt === "")) {
    return fail("InvalidInput", "The broadcaster already has a running Guest Star session.")
  }
  const [id, s1] = newString(s, 26, ALNUM.toUpperCase())
  const session: GuestStarSession = {
    id,
    broadcasterId,
    guests: [{ ...guest(broadcasterId, "0", now), isLive: true }],
    invites: [],
    endedAt: ""
  }
  return [session, { ...s1, guestStarSessions: [...s1.guestStarSessions, session] }]
}

/**
 * The Guest Star operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, transition }: Store): Service => {
  const published = (effect: Effect.Effect<GuestStarSession, WorldError>) =>
    Effect.tap(effect, (session) => publish(WorldEvent.GuestStarSessionChanged({ session })))
  return {
    updateGuestStarSettings: (broadcasterId, patch, regenerate) =>
      transition((s) => {
        const current = guestStarSettingsOf(s, broadcasterId)
        const slotCount = patch.slotCount ?? current.slotCount
        if (slotCount < 1 || slotCount > 6) {
          return fail("InvalidInput", "The slot_count must be between 1 and 6.")
        }
        const [token, s1] = regenerate || current.browserSourceToken === ""
          ? newString(s, 32, ALNUM)
          : [current.browserSourceToken, s]
        const next: GuestStarSettings = { ...current, ...patch, browserSourceToken: token }
        return [next, {
          ...s1,
          guestStarSettings: [
            ...s1.guestStarSettings.filter((x) => x.broadcasterId !== broadcasterId),
            next
          ]
        }]
      }),
    startGuestStarSession: (broadcasterId) => published(transition(start(broadcasterId))),
    endGuestStarSession: (broadcasterId, sessionId) =>
      published(transition((s, now) => {
        const session = running(s, broadcasterId, sessionId)
        if (!("id" in session)) return session
        const ended: GuestStarSession = { ...session, endedAt: rfc3339(now) }
        return [ended, replace(s, ended)]
      })),
    changeGuestStarSession: (broadcasterId, sessionId, change) =>
      published(transition((s, now) => {
        const session = running(s, broadcasterId, sessionId)
        if (!("id" in session)) return session
        const next = changed(s, session, change, now)
        return "id" in next ? [next, replace(s, next)] : next
      }))
  }
}
