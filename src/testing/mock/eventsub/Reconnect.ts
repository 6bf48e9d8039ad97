/**
 * `session_reconnect`: the session gets a one-time reconnect URL (`<its URL>?reconnect=<token>`);
 * a connection to it gets a welcome and the session's subscriptions (`Connection.ts`), and the old
 * connection keeps delivering until then. A session still open when the grace time (30 s) ends is
 * closed with 4004; subscriptions still on it become `websocket_failed_to_reconnect`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Sessions from "./Sessions.js"
import { count, type Env, type Session } from "./State.js"
import * as Time from "./Time.js"
import * as Wire from "./Wire.js"

const forget = (env: Env, token: string) =>
  Ref.update(env.state.reconnects, (m) => {
    const next = new Map(m)
    next.delete(token)
    return next
  })

const graceEnds = (env: Env, session: Session, token: string) =>
  Effect.gen(function*() {
    yield* Effect.sleep(env.settings.reconnectGraceMs)
    yield* forget(env, token)
    if (!(yield* Ref.get(session.live)).closed) yield* Sessions.close(env, session, 4004)
  })

/**
 * Sends `session_reconnect` to one session and starts its grace time; returns the reconnect URL.
 *
 * @since 0.1.0
 * @category reconnect
 */
export const send = (env: Env, session: Session): Effect.Effect<string> =>
  Effect.gen(function*() {
    const token = yield* env.ids.token
    const url = `${session.url}?reconnect=${token}`
    yield* Ref.update(env.state.reconnects, (m) => new Map(m).set(token, session.id))
    yield* Sessions.replace(env, { ...session, reconnectToken: token })
    const text = Wire.reconnect(
      yield* env.ids.uuid,
      yield* Time.now,
      { id: session.id, connectedAt: session.connectedAt, keepaliveSeconds: session.keepaliveSeconds },
      url
    )
    yield* Sessions.send(session, text)
    yield* count(env, "reconnects")
    yield* Effect.forkIn(graceEnds(env, session, token), env.scope)
    return url
  })

/**
 * Sends `session_reconnect` to one session (by id) or to every open session not already
 * reconnecting; returns the reconnect URLs.
 *
 * @since 0.1.0
 * @category reconnect
 */
export const sendTo = (env: Env, sessionId?: string): Effect.Effect<ReadonlyArray<string>> =>
  Effect.flatMap(Sessions.all(env), (sessions) =>
    Effect.forEach(
      sessions.filter((s) => sessionId === undefined ? s.reconnectToken === undefined : s.id === sessionId),
      (s) => send(env, s)
    ))
