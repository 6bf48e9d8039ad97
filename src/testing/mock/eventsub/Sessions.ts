/**
 * The registry of open WebSocket sessions and what happens to one: a message sent (which restarts
 * its keepalive timer), and its end, by the server with a close code or by the client, which
 * disables its enabled subscriptions and conduit shards with the status Twitch gives that end
 * (`websocket_received_inbound_traffic` for 4001, `websocket_disconnected` for a client that
 * left, ...).
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as ConduitStore from "./ConduitStore.js"
import { countClose, type Env, modifyConduits, type Session, updateSubscriptions } from "./State.js"
import * as Subscriptions from "./Subscriptions.js"
import * as Time from "./Time.js"

/**
 * What each close code means, and the status it leaves the session's subscriptions in.
 *
 * @since 0.1.0
 * @category constants
 */
export const closeCodes: Readonly<Record<number, { readonly reason: string; readonly status: string }>> = {
  4000: { reason: "internal server error", status: "websocket_internal_error" },
  4001: { reason: "sent inbound traffic", status: "websocket_received_inbound_traffic" },
  4002: { reason: "failed ping pong", status: "websocket_failed_ping_pong" },
  4003: { reason: "connection unused", status: "websocket_connection_unused" },
  4004: { reason: "reconnect grace time expired", status: "websocket_failed_to_reconnect" },
  4005: { reason: "network timeout", status: "websocket_network_timeout" },
  4006: { reason: "network error", status: "websocket_network_error" },
  4007: { reason: "invalid reconnect", status: "websocket_disconnected" }
}

/**
 * Adds a session.
 *
 * @since 0.1.0
 * @category registry
 */
export const register = (env: Env, session: Session): Effect.Effect<void> =>
  Ref.update(env.state.sessions, (m) => new Map(m).set(session.id, session))

/**
 * A session by id, while it is open.
 *
 * @since 0.1.0
 * @category registry
 */
export const find = (env: Env, id: string): Effect.Effect<Option.Option<Session>> =>
  Effect.map(Ref.get(env.state.sessions), (m) => Option.fromNullable(m.get(id)))

/**
 * Every open session (oldest first).
 *
 * @since 0.1.0
 * @category registry
 */
export const all = (env: Env): Effect.Effect<ReadonlyArray<Session>> =>
  Effect.map(Ref.get(env.state.sessions), (m) => [...m.values()])

/**
 * Replaces a session's record (e.g. with its reconnect token).
 *
 * @since 0.1.0
 * @category registry
 */
export const replace = (env: Env, session: Session): Effect.Effect<void> =>
  Ref.update(env.state.sessions, (m) => (m.has(session.id) ? new Map(m).set(session.id, session) : m))

/**
 * Sends a text message; returns false when the session already ended.
 *
 * @since 0.1.0
 * @category sending
 */
export const send = (session: Session, text: string): Effect.Effect<boolean> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Ref.modify(session.live, (live) => {
      if (live.closed) return [false, live]
      session.socket.send(text)
      return [true, { ...live, lastSentAt: now }]
    }))

/**
 * Whether a session has ended.
 *
 * @since 0.1.0
 * @category registry
 */
export const isClosed = (session: Session): Effect.Effect<boolean> =>
  Effect.map(Ref.get(session.live), (live) => live.closed)

/**
 * Ends a session once: it leaves the registry and its enabled subscriptions, and the conduit
 * shards it backed, are disabled with `status`. Returns false when it had already ended.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const finish = (env: Env, session: Session, status: string): Effect.Effect<boolean> =>
  Effect.gen(function*() {
    const first = yield* Ref.modify(session.live, (live) => [!live.closed, { ...live, closed: true }])
    if (!first) return false
    yield* Ref.update(env.state.sessions, (m) => {
      const next = new Map(m)
      next.delete(session.id)
      return next
    })
    const now = yield* Clock.currentTimeMillis
    const timestamp = yield* Time.now
    yield* updateSubscriptions(
      env,
      (subs) => Subscriptions.disableSession(subs, session.id, status, now, timestamp)
    )
    yield* modifyConduits(env, (all) => [
      undefined,
      ConduitStore.disableSession(all, session.id, status, now, timestamp)
    ])
    return true
  })

/**
 * Closes a session from the server with a close code (4000-4007), or destroys its socket
 * (`abrupt`, no close frame: its subscriptions become `websocket_disconnected`).
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const close = (env: Env, session: Session, code: number | "abrupt"): Effect.Effect<void> =>
  Effect.gen(function*() {
    const meaning = code === "abrupt" ? undefined : closeCodes[code]
    if (!(yield* finish(env, session, meaning?.status ?? "websocket_disconnected"))) return
    if (code === "abrupt") {
      session.socket.terminate()
      return
    }
    yield* countClose(env, code)
    session.socket.close(code, meaning?.reason ?? "")
  })
