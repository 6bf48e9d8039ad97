/**
 * One client connection from accept to close: its session is registered, a writer fiber drains
 * its output, each inbound line is dispatched to its command's handler (nothing but CAP, PASS,
 * NICK, USER, PING, PONG and QUIT before login), and on close it leaves every room.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import { joinOne, leave } from "./Membership.js"
import * as Message from "./Message.js"
import { onPrivmsg } from "./Privmsg.js"
import { HOST, normalizeChannel } from "./Protocol.js"
import { onCap, onNick, onPass } from "./Registration.js"
import { forget, open } from "./Rooms.js"
import * as Session from "./Session.js"
import { count, type Env, settings } from "./State.js"
import type * as Transport from "./Transport.js"

/** `PING`: answered with `PONG` unless pings are switched off or the session is silent. */
const onPing = (env: Env, session: Session.Session, token: string | undefined) =>
  Effect.map(settings(env), ({ answerPings }) => {
    if (!answerPings || session.silent) return
    Session.send(
      env,
      session,
      Message.format({ prefix: HOST, command: "PONG", params: [HOST], trailing: token ?? "" })
    )
  })

/** Commands of a logged-in session; unknown ones get `421`. */
const onRegisteredCommand = (
  env: Env,
  session: Session.Session,
  msg: Message.IrcLine
): Effect.Effect<void> => {
  switch (msg.command) {
    case "JOIN":
      return Effect.forEach(
        (msg.params[0] ?? "").split(",").filter((ch) => ch.startsWith("#") && ch.length > 1),
        (ch) => joinOne(env, session, normalizeChannel(ch)),
        { discard: true }
      )
    case "PART":
      return Effect.forEach(
        (msg.params[0] ?? "").split(","),
        (ch) => leave(env, session, normalizeChannel(ch), true),
        { discard: true }
      )
    case "PRIVMSG":
      return onPrivmsg(env, session, msg.tags, msg.params)
    default:
      return Effect.sync(() => {
        Session.send(
          env,
          session,
          Message.format({
            prefix: HOST,
            command: "421",
            params: [session.nick ?? "*", msg.command],
            trailing: "Unknown command"
          })
        )
      })
  }
}

/**
 * Handles one inbound line; a failure is logged, never fatal to the connection.
 *
 * @since 0.1.0
 * @category commands
 */
export const onLine = (env: Env, session: Session.Session, raw: string): Effect.Effect<void> =>
  Effect.suspend((): Effect.Effect<void> => {
    const msg = Message.parse(raw)
    if (msg === undefined) return Effect.void
    switch (msg.command) {
      case "CAP":
        return onCap(env, session, msg.params)
      case "PASS":
        return Effect.sync(() => onPass(session, msg.params[0]))
      case "NICK":
        return onNick(env, session, msg.params[0])
      case "USER":
        return Effect.void
      case "PING":
        return onPing(env, session, msg.params[0])
      case "PONG":
        return Effect.zipRight(
          count(env, "pongsReceived"),
          Effect.sync(() => {
            session.awaitingPong = false
          })
        )
      case "QUIT":
        return Effect.sync(() => Session.close(env, session))
    }
    return session.phase === "registered" ? onRegisteredCommand(env, session, msg) : Effect.void
  }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("mock IRC: line failed", cause)))

/**
 * Serves an accepted connection until its socket closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const handle = (env: Env, raw: Transport.RawConnection): Effect.Effect<void> =>
  Effect.gen(function*() {
    const session = yield* open(env, raw)
    yield* count(env, "connections")
    yield* Effect.fork(Session.writer(env, session))
    const cleanup = Effect.gen(function*() {
      yield* forget(env, session)
      raw.destroy()
      for (const login of [...session.channels]) yield* leave(env, session, login, false)
    })
    const loop = Effect.gen(function*() {
      while (true) {
        const item = yield* Queue.take(raw.inbound)
        if (item._tag === "Closed") return
        yield* count(env, "linesReceived", item.lines.length)
        for (const line of item.lines) {
          if (session.phase === "closing") continue
          yield* onLine(env, session, line)
        }
      }
    })
    yield* Effect.ensuring(loop, cleanup)
  })
