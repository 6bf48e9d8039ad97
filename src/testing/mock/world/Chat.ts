/**
 * The world's chat: room modes, emotes and who is present in which channel's chat.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { WorldEvent } from "./Events.js"
import type { Emote, RoomState, User } from "./Models.js"
import type { WorldState } from "./State.js"
import { findUser, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * The chat's part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** Users present in a channel's chat. */
  readonly chatters: (channelId: string) => Effect.Effect<ReadonlyArray<User>>
  /** Global emotes (`ownerId` `"0"`). */
  readonly globalEmotes: Effect.Effect<ReadonlyArray<Emote>>
  /** Emotes a channel owns. */
  readonly channelEmotes: (broadcasterId: string) => Effect.Effect<ReadonlyArray<Emote>>
  readonly emote: (id: string) => Effect.Effect<Option.Option<Emote>>

  /** Changes room modes; publishes `RoomStateChanged` with the changed keys. */
  readonly setRoomState: (
    channelId: string,
    patch: Partial<RoomState>
  ) => Effect.Effect<RoomState, WorldError>
  readonly addEmote: (emote: Emote) => Effect.Effect<Emote, WorldError>
  readonly addChatter: (channelId: string, userId: string) => Effect.Effect<void, WorldError>
  readonly removeChatter: (channelId: string, userId: string) => Effect.Effect<void>
}

const setRoomState = (
  channelId: string,
  patch: Partial<RoomState>
): Transition<readonly [RoomState, Array<keyof RoomState>]> =>
(s) => {
  const channel = s.channels.find((c) => c.broadcasterId === channelId)
  if (channel === undefined) return fail("NotFound", `no channel ${channelId}`)
  const roomState: RoomState = { ...channel.roomState, ...patch }
  const changed = (Object.keys(roomState) as Array<keyof RoomState>).filter((k) =>
    roomState[k] !== channel.roomState[k]
  )
  const next = { ...channel, roomState }
  return [[roomState, changed], {
    ...s,
    channels: s.channels.map((c) => c.broadcasterId === channelId ? next : c)
  }]
}

const addChatter = (channelId: string, userId: string): Transition<boolean> => (s) => {
  if (findUser(s, channelId) === undefined) return fail("NotFound", `no channel ${channelId}`)
  if (findUser(s, userId) === undefined) return fail("NotFound", `no user ${userId}`)
  if (s.chatters.some((c) => c.channelId === channelId && c.userId === userId)) return [false, s]
  return [true, { ...s, chatters: [...s.chatters, { channelId, userId }] }]
}

/**
 * The chat's operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, read, ref, transition }: Store): Service => ({
  chatters: (channelId) =>
    read((s) =>
      s.chatters.flatMap((c) => {
        if (c.channelId !== channelId) return []
        const user = findUser(s, c.userId)
        return user === undefined ? [] : [user]
      })
    ),
  globalEmotes: read((s) => s.emotes.filter((e) => e.ownerId === "0")),
  channelEmotes: (id) => read((s) => s.emotes.filter((e) => e.ownerId === id)),
  emote: (id) => read((s) => Option.fromNullable(s.emotes.find((e) => e.id === id))),

  setRoomState: (channelId, patch) =>
    transition(setRoomState(channelId, patch)).pipe(
      Effect.tap(([roomState, changed]) =>
        changed.length === 0
          ? Effect.void
          : publish(WorldEvent.RoomStateChanged({ channelId, roomState, changed }))
      ),
      Effect.map(([roomState]) => roomState)
    ),

  addEmote: (emote) =>
    transition((s): readonly [Emote, WorldState] | WorldError =>
      s.emotes.some((e) => e.id === emote.id)
        ? fail("Conflict", `emote id ${emote.id} is taken`)
        : emote.ownerId !== "0" && findUser(s, emote.ownerId) === undefined
        ? fail("NotFound", `no user ${emote.ownerId}`)
        : [emote, { ...s, emotes: [...s.emotes, emote] }]
    ).pipe(Effect.tap((emote) => publish(WorldEvent.EmoteAdded({ emote })))),

  addChatter: (channelId, userId) =>
    transition(addChatter(channelId, userId)).pipe(
      Effect.flatMap((added) =>
        added ? publish(WorldEvent.ChatterJoined({ channelId, userId })) : Effect.succeed(false)
      ),
      Effect.asVoid
    ),

  removeChatter: (channelId, userId) =>
    Ref.modify(ref, (s): readonly [boolean, WorldState] => {
      const kept = s.chatters.filter((c) => !(c.channelId === channelId && c.userId === userId))
      return kept.length === s.chatters.length ? [false, s] : [true, { ...s, chatters: kept }]
    }).pipe(
      Effect.flatMap((removed) =>
        removed ? publish(WorldEvent.ChatterLeft({ channelId, userId })) : Effect.succeed(false)
      ),
      Effect.asVoid
    )
})
