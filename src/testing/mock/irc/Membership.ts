/**
 * `JOIN` and `PART`: the join window, suspended channels, the concurrent-room cap, then the JOIN
 * echo, NAMES (with `twitch.tv/membership`), USERSTATE and ROOMSTATE; leaving updates the world's
 * chatters once the user's last connection left the room.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { countedRooms, takeJoin } from "./Limits.js"
import * as Message from "./Message.js"
import { CAP_MEMBERSHIP, HOST, noticeTexts, prefixOf } from "./Protocol.js"
import { rolesIn, roomStateTags } from "./Roles.js"
import { channelByLogin, type ChannelRef, enter, exit, sendUserState, sessions } from "./Rooms.js"
import * as Session from "./Session.js"
import { count, type Env, violation } from "./State.js"

/**
 * Takes a session out of a room (echoing PART when asked); the user leaves the world's chatters
 * when none of their connections is left in the room.
 *
 * @since 0.1.0
 * @category commands
 */
export const leave = (
  env: Env,
  session: Session.Session,
  login: string,
  sendPart: boolean
): Effect.Effect<void> =>
  Effect.gen(function*() {
    if (!session.channels.has(login)) return
    const room = yield* exit(env, session, login)
    if (sendPart && session.nick !== undefined) {
      Session.send(
        env,
        session,
        Message.format({ prefix: prefixOf(session.nick), command: "PART", params: [`#${login}`] })
      )
    }
    const user = session.user
    if (user === undefined) return
    if ([...room].some((c) => c.user?.id === user.id)) return
    const ref = yield* channelByLogin(env, login)
    if (Option.isSome(ref)) yield* env.world.removeChatter(ref.value.user.id, user.id)
  })

/** False (with the NOTICE) when joining would pass the user's concurrent-room cap. */
const withinRoomCap = (env: Env, session: Session.Session, ref: ChannelRef, login: string) =>
  Effect.gen(function*() {
    const user = session.user
    if (user === undefined) return true
    const r = rolesIn(user, ref.channel)
    if (r.broadcaster || r.moderator) return true
    const alreadyIn = [...(yield* sessions(env))].some((c) => c.user?.id === user.id && c.channels.has(login))
    if (alreadyIn || (yield* countedRooms(env, user)) < env.limits.concurrentRooms) return true
    yield* violation(env, "concurrentRooms")
    Session.notice(
      env,
      session,
      `#${login}`,
      "msg_concurrent_channel_limit_reached",
      noticeTexts.msg_concurrent_channel_limit_reached
    )
    return false
  })

/** The JOIN echo, NAMES (353, by 40) and its end (366). */
const sendNames = (env: Env, session: Session.Session, ref: ChannelRef, login: string) =>
  Effect.gen(function*() {
    const nick = session.nick ?? ""
    Session.send(
      env,
      session,
      Message.format({ prefix: prefixOf(nick), command: "JOIN", params: [`#${login}`] })
    )
    const names = [nick]
    if (session.caps.has(CAP_MEMBERSHIP)) {
      for (const u of yield* env.world.chatters(ref.user.id)) if (u.login !== nick) names.push(u.login)
    }
    for (let i = 0; i < names.length; i += 40) {
      Session.send(
        env,
        session,
        Message.format({
          prefix: `${nick}.${HOST}`,
          command: "353",
          params: [nick, "=", `#${login}`],
          trailing: names.slice(i, i + 40).join(" ")
        })
      )
    }
    Session.send(
      env,
      session,
      Message.format({
        prefix: `${nick}.${HOST}`,
        command: "366",
        params: [nick, `#${login}`],
        trailing: "End of /NAMES list"
      })
    )
  })

/**
 * Joins one channel: nonexistent channels are silently dropped, suspended ones answered with
 * `msg_channel_suspended`, refused JOINs counted.
 *
 * @since 0.1.0
 * @category commands
 */
export const joinOne = (env: Env, session: Session.Session, login: string): Effect.Effect<void> =>
  Effect.gen(function*() {
    if (!(yield* takeJoin(env, session.user?.id ?? `anon:${session.id}`))) {
      return yield* violation(env, "joinRate")
    }
    const found = yield* channelByLogin(env, login)
    if (Option.isNone(found)) return // nonexistent channels are silently dropped
    const ref = found.value
    if (ref.channel.suspended) {
      return Session.notice(
        env,
        session,
        `#${login}`,
        "msg_channel_suspended",
        noticeTexts.msg_channel_suspended
      )
    }
    if (session.channels.has(login)) return
    if (!(yield* withinRoomCap(env, session, ref, login))) return
    yield* count(env, "joins")
    yield* enter(env, session, login)
    const user = session.user
    if (user !== undefined) yield* Effect.ignore(env.world.addChatter(ref.user.id, user.id))
    yield* sendNames(env, session, ref, login)
    if (user !== undefined) sendUserState(env, session, user, ref)
    Session.send(
      env,
      session,
      Message.format({
        tags: roomStateTags(ref.channel),
        prefix: HOST,
        command: "ROOMSTATE",
        params: [`#${login}`]
      })
    )
  })
