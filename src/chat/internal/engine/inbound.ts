/**
 * What the engine does with each received line, synchronously and in order, in the socket's read
 * callback (the hot path: one call per read, one hub hand-over per read): parse it, hand it to the
 * part waiting for it (login, keepalive, a join, a send's answer), learn from it (roles, room ids,
 * slow mode), drop copies, and pass the rest (with the own messages built from Twitch's answers)
 * to the hub.
 *
 * @internal
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import { formatIrcLine } from "../../IrcFormatter.js"
import * as IrcMessage from "../../IrcMessage.js"
import type * as TM from "../../TwitchMessage.js"
import { parseTwitchLine } from "../../TwitchMessage.js"
import * as Connection from "./connection.js"
import * as Session from "./session.js"
import type * as State from "./state.js"
import { normalizeChannel, receivedKey, wireChannel } from "./text.js"

const TMI = "tmi.twitch.tv"

/**
 * NOTICEs Twitch sends to a room on its own (room mode changes), which answer no PRIVMSG. While a
 * send is pending in a channel, any other NOTICE for that channel is its answer: besides the
 * documented `msg_*` refusals, Twitch answers text it reads as a command with `unrecognized_cmd`,
 * `no_permission`, `usage_*`, `bad_*`, `cmds_available`...
 */
const isRoomNotice = (msgId: string) => /^(emote_only|followers|slow|subs|r9k|host)_/.test(msgId)

const isJoinRefusal = (msgId: string) =>
  msgId === "msg_channel_suspended" || msgId === "tos_ban" || msgId === "msg_banned" ||
  msgId === "msg_channel_blocked"

/** IRC error numerics refusing a JOIN (RFC 1459/2812 and common extensions). */
const joinErrors = new Set([403, 405, 471, 473, 474, 475, 476, 477, 520])
/** IRC error numerics refusing a PRIVMSG. */
const sendErrors = new Set([401, 403, 404, 406, 407, 412, 413, 414, 442, 477, 489, 492])

const isElevatedBadges = (badges: ReadonlyMap<string, string>) =>
  badges.has("broadcaster") || badges.has("moderator") || badges.has("vip")

/** The PRIVMSG others see for our message, built from Twitch's USERSTATE answer and the text sent. */
const ownMessage = (
  state: State.State,
  answer: TM.UserState,
  id: string,
  pending: Connection.Pending
): TM.Privmsg | undefined => {
  const login = state.identity.login
  const tags = new Map<string, string>()
  for (const [key, value] of answer.tags) if (key !== "emote-sets") tags.set(key, value)
  tags.set("emotes", "")
  tags.set("id", id)
  tags.set("room-id", state.rooms.roomIds.get(answer.channel) ?? "")
  tags.set("tmi-sent-ts", String(state.clock.unsafeCurrentTimeMillis()))
  tags.set("user-id", state.rooms.userId)
  if (pending.replyTo !== undefined) tags.set("reply-parent-msg-id", pending.replyTo)
  const line = formatIrcLine(IrcMessage.make({
    tags,
    prefix: IrcMessage.prefix(login, login, `${login}.${TMI}`),
    command: "PRIVMSG",
    params: [wireChannel(answer.channel), pending.text]
  }))
  if (Either.isLeft(line)) return undefined
  const parsed = parseTwitchLine(line.right)
  return Either.isRight(parsed) && parsed.right._tag === "Privmsg" ? parsed.right : undefined
}

const answer = (conn: Connection.Conn, channel: string, a: Connection.Answer): boolean => {
  const pending = conn.pending.get(channel)
  if (pending === undefined) return false
  conn.pending.delete(channel)
  Deferred.unsafeDone(pending.answer, Exit.succeed(a))
  return true
}

/** A late answer to a send that timed out arrived: dropped, the channel is in sync again. */
const payOwed = (conn: Connection.Conn, channel: string) => {
  const owed = conn.owed.get(channel)
  if (owed === undefined) return
  conn.owed.delete(channel)
  Deferred.unsafeDone(owed, Exit.void)
}

const onNotice = (conn: Connection.Conn, m: TM.Notice) => {
  if (Session.onNotice(conn.session, m)) return
  const raw = Option.getOrUndefined(m.channel)
  const channel = raw === undefined ? undefined : receivedKey(raw)
  const msgId = Option.getOrUndefined(m.msgId)
  if (channel === undefined || msgId === undefined) return
  const join = conn.joins.get(channel)
  if (join !== undefined && isJoinRefusal(msgId)) {
    return Deferred.unsafeDone(join, Exit.succeed({ _tag: "Refused", reason: msgId, text: m.text }))
  }
  if (isRoomNotice(msgId)) return
  if (!answer(conn, channel, { _tag: "Refused", reason: msgId, text: m.text })) payOwed(conn, channel)
}

const onNumeric = (conn: Connection.Conn, m: TM.Numeric) => {
  Session.onNumeric(conn.session, m)
  if (!joinErrors.has(m.code) && !sendErrors.has(m.code)) return
  const channel = normalizeChannel(m.irc.params[1] ?? "")
  if (channel === undefined) return
  const refusal = { _tag: "Refused", reason: String(m.code), text: m.text } as const
  const join = conn.joins.get(channel)
  if (join !== undefined && joinErrors.has(m.code)) return Deferred.unsafeDone(join, Exit.succeed(refusal))
  if (sendErrors.has(m.code)) answer(conn, channel, refusal)
}

const onUserState = (state: State.State, conn: Connection.Conn, m: TM.UserState): TM.Privmsg | undefined => {
  const channel = receivedKey(m.channel)
  state.rooms.elevated.set(channel, isElevatedBadges(m.badges))
  const id = Option.getOrUndefined(m.id)
  if (id === undefined) return undefined
  const pending = conn.pending.get(channel)
  if (pending === undefined) {
    payOwed(conn, channel)
    return undefined
  }
  const own = ownMessage(state, m, id, pending)
  if (own !== undefined) state.dedupe.seenId(id)
  answer(conn, channel, { _tag: "Sent", id, message: own })
  return own
}

/** Our own PRIVMSG echoed by an `echo-message` server: the answer to the pending send. */
const onEcho = (state: State.State, conn: Connection.Conn, m: TM.Privmsg) => {
  // Cheapest first: this runs for every PRIVMSG.
  if (conn.pending.size === 0 || Session.confirmation(conn.session) !== "echo") return
  if (m.login.toLowerCase() !== state.identity.login) return
  const channel = receivedKey(m.channel)
  answer(conn, channel, { _tag: "Sent", id: m.irc.tags.get("msgid") ?? m.id, message: m })
}

const onPong = (conn: Connection.Conn, m: TM.Pong) => {
  conn.pongs++
  for (const [channel, pending] of conn.pending) {
    if (pending.probe === m.text) return answer(conn, channel, { _tag: "NoConfirmation" })
  }
}

const onMembership = (state: State.State, conn: Connection.Conn, m: TM.Join | TM.Part) => {
  if (m.login.toLowerCase() !== state.identity.login) return
  const channel = receivedKey(m.channel)
  if (m._tag === "Join") {
    const join = conn.joins.get(channel)
    if (join !== undefined) Deferred.unsafeDone(join, Exit.succeed({ _tag: "Joined" }))
  } else {
    const part = conn.parts.get(channel)
    if (part !== undefined) Deferred.unsafeDone(part, Exit.void)
  }
}

/**
 * Routes one message to the parts; returns whether it is delivered (false for copies) and the own
 * message it answered, if any.
 */
const route = (
  state: State.State,
  conn: Connection.Conn,
  m: TM.TwitchMessage
): TM.Privmsg | false | undefined => {
  switch (m._tag) {
    case "Privmsg":
      if (state.dedupe.seenLine(m.raw)) return false
      onEcho(state, conn, m)
      return undefined
    case "UserNotice":
      return state.dedupe.seenLine(m.raw) ? false : undefined
    case "Ping":
      Connection.write(conn, { text: `PONG :${m.text.length > 0 ? m.text : TMI}` })
      return undefined
    case "Pong":
      onPong(conn, m)
      return undefined
    case "Reconnect":
      Connection.end(conn, { _tag: "Reconnect" })
      return undefined
    case "Cap": {
      const lines = Session.onCap(conn.session, m)
      if (lines.length > 0) Connection.write(conn, ...lines.map((text) => ({ text })))
      return undefined
    }
    case "Numeric":
      onNumeric(conn, m)
      return undefined
    case "GlobalUserState":
      state.rooms.userId = m.userId
      return undefined
    case "RoomState": {
      const channel = receivedKey(m.channel)
      if (m.roomId.length > 0) state.rooms.roomIds.set(channel, m.roomId)
      if (Option.isSome(m.slow)) state.rooms.slowModes.set(channel, m.slow.value * 1000)
      return undefined
    }
    case "Notice":
      onNotice(conn, m)
      return undefined
    case "UserState":
      return onUserState(state, conn, m)
    case "Join":
    case "Part":
      onMembership(state, conn, m)
      return undefined
    default:
      return undefined
  }
}

/** The read handler of a client: see the module doc. */
export const make = (
  state: State.State
): Effect.Effect<(conn: Connection.Conn, lines: Array<string>) => void> =>
  Effect.map(Effect.runtime<never>(), (runtime) => {
    const runFork = Runtime.runFork(runtime)
    const invalid: Array<string> = []
    return (conn, lines) => {
      conn.seen++
      const batch: Array<TM.TwitchMessage> = []
      for (const line of lines) {
        const parsed = parseTwitchLine(line)
        if (Either.isLeft(parsed)) {
          state.counters.invalidLines++
          if (invalid.length < 100) invalid.push(line.length > 200 ? line.slice(0, 200) + "…" : line)
          continue
        }
        const m = parsed.right
        const own = route(state, conn, m)
        if (own === false || state.dedupe.overlapCopy(conn.id, m)) {
          state.counters.duplicates++
          continue
        }
        batch.push(m)
        if (own !== undefined) batch.push(own)
      }
      if (invalid.length > 0) {
        runFork(Effect.logWarning("chat: skipped lines that are not IRC", invalid.splice(0)))
      }
      if (batch.length > 0) state.hub.publish(batch, conn.socket)
    }
  })
