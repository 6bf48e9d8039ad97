/**
 * Twitch's chat limits as sliding windows (messages per user, JOINs, logins), the per-channel
 * interval, duplicates, slow mode and the concurrent-room cap. The arithmetic is pure over
 * {@link Windows}; the effects below run it atomically on the server's state.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as World from "../World.js"
import type { Limits, ViolationKind } from "./Model.js"
import { type Bans, banVerdict } from "./Moderation.js"
import { noticeTexts } from "./Protocol.js"
import { rolesIn } from "./Roles.js"
import { channelByLogin, type ChannelRef, sessions } from "./Rooms.js"
import type { Env } from "./State.js"

/**
 * A refused client PRIVMSG: what is counted and the NOTICE (if any) the sender gets.
 *
 * @since 0.1.0
 * @category models
 */
export interface Violation {
  readonly kind: ViolationKind
  readonly msgId?: string
  readonly text?: string
}

/**
 * Attempt times per key in each window, and each user's last message per channel.
 *
 * @since 0.1.0
 * @category models
 */
export interface Windows {
  /** Message times per user id. */
  readonly user: ReadonlyMap<string, ReadonlyArray<number>>
  /** JOIN times per user id (`anon:<session id>` for anonymous sessions). */
  readonly join: ReadonlyMap<string, ReadonlyArray<number>>
  /** Login attempts per claimed login. */
  readonly auth: ReadonlyMap<string, ReadonlyArray<number>>
  /** Last accepted message per `userId#channel`. */
  readonly lastInChannel: ReadonlyMap<string, { readonly at: number; readonly text: string }>
}

/** The attempts still inside the window ending at `t`. */
const slide = (
  bucket: ReadonlyArray<number> | undefined,
  t: number,
  window: number
): ReadonlyArray<number> => {
  if (bucket === undefined) return []
  let start = 0
  while (start < bucket.length && bucket[start] <= t - window) start++
  return start === 0 ? bucket : bucket.slice(start)
}

/**
 * Takes one attempt from a sliding-window bucket; false when the window is full (the attempt is
 * not recorded).
 *
 * @since 0.1.0
 * @category limits
 */
export const take = (
  buckets: ReadonlyMap<string, ReadonlyArray<number>>,
  key: string,
  t: number,
  window: number,
  max: number
): readonly [boolean, ReadonlyMap<string, ReadonlyArray<number>>] => {
  const bucket = slide(buckets.get(key), t, window)
  const ok = bucket.length < max
  return [ok, new Map(buckets).set(key, ok ? [...bucket, t] : bucket)]
}

/**
 * Takes a JOIN from `key`'s window (20 per 10 s by default).
 *
 * @since 0.1.0
 * @category limits
 */
export const takeJoin = (env: Env, key: string): Effect.Effect<boolean> =>
  Ref.modify(env.state.windows, (w) => {
    const [ok, join] = take(w.join, key, env.now(), env.limits.joinWindowMs, env.limits.joins)
    return [ok, { ...w, join }]
  })

/**
 * Takes a login attempt from the claimed login's window (20 per 10 s by default).
 *
 * @since 0.1.0
 * @category limits
 */
export const takeAuth = (env: Env, login: string): Effect.Effect<boolean> =>
  Ref.modify(env.state.windows, (w) => {
    const [ok, auth] = take(w.auth, login, env.now(), env.limits.authWindowMs, env.limits.auths)
    return [ok, { ...w, auth }]
  })

/**
 * Rooms that count toward the concurrent-room cap for `user`: every room any of the user's
 * connections is in, except those where the user is broadcaster or moderator (checked now, so a
 * user modded after joining frees a slot).
 *
 * @since 0.1.0
 * @category limits
 */
export const countedRooms = (env: Env, user: World.User): Effect.Effect<number> =>
  Effect.gen(function*() {
    const joinedRooms = new Set<string>()
    for (const c of yield* sessions(env)) {
      if (c.user?.id === user.id) { for (const login of c.channels) joinedRooms.add(login) }
    }
    let n = 0
    for (const login of joinedRooms) {
      const ref = yield* channelByLogin(env, login)
      if (Option.isNone(ref)) continue
      const r = rolesIn(user, ref.value.channel)
      if (!r.broadcaster && !r.moderator) n++
    }
    return n
  })

/**
 * What a client PRIVMSG is checked with.
 *
 * @since 0.1.0
 * @category models
 */
export interface SendAttempt {
  readonly user: World.User
  readonly ref: ChannelRef
  readonly text: string
  readonly t: number
  /** The room-mode verdict, applied after bans and length. */
  readonly modes: Violation | undefined
}

/** Slow mode, the per-channel interval and duplicates, from the sender's last message here. */
const pacing = (limits: Limits, w: Windows, a: SendAttempt, elevated: boolean): Violation | undefined => {
  const last = w.lastInChannel.get(`${a.user.id}#${a.ref.user.login}`)
  if (last === undefined) return undefined
  const slow = a.ref.channel.roomState.slow
  if (!elevated && slow > 0 && a.t - last.at < slow * 1000) {
    return {
      kind: "slowMode",
      msgId: "msg_slowmode",
      text:
        `This room is in slow mode and you are sending messages too quickly. You will be able to talk again in ${
          Math.ceil((last.at + slow * 1000 - a.t) / 1000)
        } seconds.`
    }
  }
  if (!elevated && limits.channelIntervalMs > 0 && a.t - last.at < limits.channelIntervalMs) {
    return { kind: "channelRate", msgId: "msg_ratelimit", text: noticeTexts.msg_ratelimit }
  }
  if (limits.duplicateWindowMs > 0 && last.text === a.text && a.t - last.at < limits.duplicateWindowMs) {
    return { kind: "duplicate", msgId: "msg_duplicate", text: noticeTexts.msg_duplicate }
  }
  return undefined
}

/**
 * Twitch's rules for a client PRIVMSG, in order: suspension, bans, length, room modes, slow mode,
 * the per-channel interval, duplicates, the user's window. An accepted message is recorded (window
 * and last message); a refused one does not use up a send.
 *
 * @since 0.1.0
 * @category limits
 */
export const sendVerdict = (
  limits: Limits,
  bans: Bans,
  w: Windows,
  a: SendAttempt
): readonly [Violation | undefined, Windows] => {
  if (a.ref.channel.suspended) {
    return [{ kind: "suspended", msgId: "msg_channel_suspended", text: noticeTexts.msg_channel_suspended }, w]
  }
  const banned = banVerdict(bans, a.ref, a.user.id, a.t)
  if (banned !== undefined) return [banned, w]
  if (Array.from(a.text).length > limits.maxMessageLength) return [{ kind: "tooLong" }, w]
  if (a.modes !== undefined) return [a.modes, w]
  const r = rolesIn(a.user, a.ref.channel)
  const paced = pacing(limits, w, a, r.elevated)
  if (paced !== undefined) return [paced, w]
  const bucket = slide(w.user.get(a.user.id), a.t, limits.messageWindowMs)
  // Messages of elevated users count toward the 20 bucket too; they may go on until 100.
  if (bucket.length >= (r.elevated ? limits.elevatedMessages : limits.userMessages)) {
    return [{ kind: "userRate", msgId: "msg_ratelimit", text: noticeTexts.msg_ratelimit }, {
      ...w,
      user: new Map(w.user).set(a.user.id, bucket)
    }]
  }
  return [undefined, withSend(w, bucket, a.user.id, a.ref.user.login, a.text, a.t)]
}

/** The windows with one more message of a user in a room (`bucket`: the user's window, slid). */
const withSend = (
  w: Windows,
  bucket: ReadonlyArray<number>,
  userId: string,
  login: string,
  text: string,
  t: number
): Windows => ({
  ...w,
  user: new Map(w.user).set(userId, [...bucket, t]),
  lastInChannel: new Map(w.lastInChannel).set(`${userId}#${login}`, { at: t, text })
})

/**
 * Counts a message the user sent another way (Helix's Send Chat Message) in their window and as
 * their last one in the room: the limits are the account's, whichever way it sends.
 *
 * @since 0.1.0
 * @category limits
 */
export const recordSend = (env: Env, userId: string, login: string, text: string): Effect.Effect<void> =>
  Ref.update(env.state.windows, (w) => {
    const t = env.now()
    return withSend(w, slide(w.user.get(userId), t, env.limits.messageWindowMs), userId, login, text, t)
  })

/**
 * Runs {@link sendVerdict} on the server's state; undefined when the message is accepted.
 *
 * @since 0.1.0
 * @category limits
 */
export const checkSend = (env: Env, attempt: SendAttempt): Effect.Effect<Violation | undefined> =>
  Effect.flatMap(
    Ref.get(env.state.bans),
    (bans) => Ref.modify(env.state.windows, (w) => sendVerdict(env.limits, bans, w, attempt))
  )
