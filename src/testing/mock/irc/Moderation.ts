/**
 * Moderation of the mock's rooms through the control handle: bans and timeouts (CLEARCHAT, and the
 * refusal of the user's messages until they end), clearing the chat, deleting a message
 * (CLEARMSG), and the world-backed roles, suspension and room modes.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type * as World from "../World.js"
import * as History from "./History.js"
import type { Violation } from "./Limits.js"
import * as Message from "./Message.js"
import { type Control, MockIrcError } from "./Model.js"
import { HOST } from "./Protocol.js"
import { broadcast, type ChannelRef, requireChannel, requireUser } from "./Rooms.js"
import type { Env } from "./State.js"

/**
 * Bans per channel id: user id to the end of the timeout in epoch milliseconds (`Infinity` for a
 * permanent ban).
 *
 * @since 0.1.0
 * @category models
 */
export type Bans = ReadonlyMap<string, ReadonlyMap<string, number>>

/**
 * The refusal of a banned or timed-out user's message, if any.
 *
 * @since 0.1.0
 * @category moderation
 */
export const banVerdict = (bans: Bans, ref: ChannelRef, userId: string, t: number): Violation | undefined => {
  const until = bans.get(ref.user.id)?.get(userId)
  if (until === undefined) return undefined
  if (until === Infinity) {
    return {
      kind: "banned",
      msgId: "msg_banned",
      text: `You are permanently banned from talking in ${ref.user.login}.`
    }
  }
  if (until > t) {
    return {
      kind: "timedOut",
      msgId: "msg_timedout",
      text: `You are timed out for ${Math.ceil((until - t) / 1000)} more seconds.`
    }
  }
  return undefined
}

const setBan = (env: Env, channelId: string, userId: string, until: number | undefined) =>
  Ref.update(env.state.bans, (bans) => {
    const channel = new Map(bans.get(channelId))
    if (until === undefined) channel.delete(userId)
    else channel.set(userId, until)
    return new Map(bans).set(channelId, channel)
  })

/**
 * Bans (`seconds` undefined) or times out a user in a room from now on and sends the room CLEARCHAT
 * with the user (`ban-duration` for a timeout), as Twitch does on a ban or timeout.
 *
 * @since 0.1.0
 * @category moderation
 */
export const applyBan = (
  env: Env,
  ref: ChannelRef,
  user: World.User,
  seconds: number | undefined
): Effect.Effect<void> =>
  Effect.gen(function*() {
    const t = env.now()
    yield* setBan(env, ref.user.id, user.id, seconds === undefined ? Infinity : t + seconds * 1000)
    const tags: Record<string, string> = {
      "room-id": ref.user.id,
      "target-user-id": user.id,
      "tmi-sent-ts": String(t)
    }
    if (seconds !== undefined) tags["ban-duration"] = String(seconds)
    yield* broadcast(
      env,
      ref.user.login,
      Message.format({
        tags,
        prefix: HOST,
        command: "CLEARCHAT",
        params: [`#${ref.user.login}`],
        trailing: user.login
      })
    )
  })

/**
 * Lifts a user's ban or timeout in a room (silently, as Twitch does on IRC).
 *
 * @since 0.1.0
 * @category moderation
 */
export const liftBan = (env: Env, channelId: string, userId: string): Effect.Effect<void> =>
  setBan(env, channelId, userId, undefined)

/**
 * Bans (no `seconds`) or times out a user and sends CLEARCHAT to the room.
 *
 * @since 0.1.0
 * @category moderation
 */
export const ban = (env: Env, { channel, login, seconds }: Parameters<Control["ban"]>[0]) =>
  Effect.gen(function*() {
    const ref = yield* requireChannel(env, channel)
    const user = yield* requireUser(env, login)
    yield* applyBan(env, ref, user, seconds)
  })

/**
 * Lifts a ban or timeout (silently, as Twitch does on IRC).
 *
 * @since 0.1.0
 * @category moderation
 */
export const unban = (env: Env, channel: string, login: string) =>
  Effect.gen(function*() {
    const ref = yield* requireChannel(env, channel)
    const user = yield* requireUser(env, login)
    yield* liftBan(env, ref.user.id, user.id)
  })

/**
 * Sends a room CLEARCHAT without a user: the whole chat was cleared.
 *
 * @since 0.1.0
 * @category moderation
 */
export const clearRoom = (env: Env, ref: ChannelRef): Effect.Effect<void> =>
  Effect.asVoid(broadcast(
    env,
    ref.user.login,
    Message.format({
      tags: { "room-id": ref.user.id, "tmi-sent-ts": String(env.now()) },
      prefix: HOST,
      command: "CLEARCHAT",
      params: [`#${ref.user.login}`]
    })
  ))

/**
 * Clears the whole chat of a room (CLEARCHAT without a user).
 *
 * @since 0.1.0
 * @category moderation
 */
export const clearChat = (env: Env, channel: string) =>
  Effect.flatMap(requireChannel(env, channel), (ref) => clearRoom(env, ref))

/**
 * Sends a room CLEARMSG for one of its kept messages (`login`, `target-msg-id`, the text).
 *
 * @since 0.1.0
 * @category moderation
 */
export const clearMessage = (env: Env, ref: ChannelRef, entry: History.HistoryEntry): Effect.Effect<void> =>
  Effect.asVoid(broadcast(
    env,
    ref.user.login,
    Message.format({
      tags: {
        login: entry.login,
        "room-id": ref.user.id,
        "target-msg-id": entry.id,
        "tmi-sent-ts": String(env.now())
      },
      prefix: HOST,
      command: "CLEARMSG",
      params: [`#${ref.user.login}`],
      trailing: entry.body
    })
  ))

/**
 * Deletes a kept message (CLEARMSG); fails when the room has no message with that id.
 *
 * @since 0.1.0
 * @category moderation
 */
export const deleteMessage = (env: Env, channel: string, messageId: string) =>
  Effect.gen(function*() {
    const ref = yield* requireChannel(env, channel)
    const entry = yield* History.find(env, ref.user.login, messageId)
    if (entry === undefined) return yield* new MockIrcError({ message: `no message ${messageId}` })
    yield* clearMessage(env, ref, entry)
  })

const updateChannel = (env: Env, channelId: string, patch: Partial<World.Channel>) =>
  Effect.mapError(env.world.updateChannel(channelId, patch), (e) => new MockIrcError({ message: e.message }))

/**
 * Makes a user moderator, VIP or subscriber of a channel, or not (in the world: badges follow).
 *
 * @since 0.1.0
 * @category moderation
 */
export const setRole = (
  env: Env,
  { channel, enabled, login, months, role }: Parameters<Control["setRole"]>[0]
) =>
  Effect.gen(function*() {
    const ref = yield* requireChannel(env, channel)
    const user = yield* requireUser(env, login)
    const c = ref.channel
    const toggle = (list: ReadonlyArray<string>) =>
      enabled
        ? (list.includes(user.id) ? list : [...list, user.id])
        : list.filter((id) => id !== user.id)
    const patch: Partial<World.Channel> = role === "moderator"
      ? { moderators: toggle(c.moderators) }
      : role === "vip"
      ? { vips: toggle(c.vips) }
      : {
        subscribers: enabled
          ? [
            ...c.subscribers.filter((s) => s.userId !== user.id),
            { userId: user.id, months: months ?? 1, tier: "1000" as const }
          ]
          : c.subscribers.filter((s) => s.userId !== user.id)
      }
    yield* updateChannel(env, ref.user.id, patch)
  })

/**
 * Suspends a channel or lifts the suspension (in the world).
 *
 * @since 0.1.0
 * @category moderation
 */
export const suspendChannel = (env: Env, channel: string, suspended: boolean) =>
  Effect.flatMap(
    requireChannel(env, channel),
    (ref) => Effect.asVoid(updateChannel(env, ref.user.id, { suspended }))
  )

/**
 * Changes a channel's room modes (in the world; the world's event sends the ROOMSTATE).
 *
 * @since 0.1.0
 * @category moderation
 */
export const setRoomState = (env: Env, channel: string, patch: Partial<World.RoomState>) =>
  Effect.flatMap(
    requireChannel(env, channel),
    (ref) =>
      Effect.mapError(env.world.setRoomState(ref.user.id, patch), (e) =>
        new MockIrcError({ message: e.message }))
  )
