/**
 * The supervisor: opens connections (through the authentication limit, refreshing a refused token
 * once), retries failed attempts with capped exponential backoff and jitter, keeps the status in
 * step with the connection's life, reconnects when one ends, and handles Twitch's RECONNECT with an
 * overlap: the new connection is opened and joined before the old one is dropped, and the answers
 * to sends written on the old one may still arrive there.
 *
 * The backoff level grows with every connection that did not stay up for `stableAfter` (a server
 * that welcomes and then drops the client gets ever longer waits) and is reset by a stable one.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as SubscriptionRef from "effect/SubscriptionRef"
import { ChatError, type NotAuthorized } from "../../../TwitchError.js"
import type * as ChatTransport from "../../ChatTransport.js"
import * as Connection from "./connection.js"
import * as Session from "./session.js"
import * as State from "./state.js"

type Failure = ChatError | NotAuthorized

/** What the supervisor needs from the other parts. */
export interface Parts {
  /** How connections are opened. */
  readonly transport: ChatTransport.ChatTransport.Service
  readonly onLines: (conn: Connection.Conn, lines: Array<string>) => void
  readonly rejoinAll: Effect.Effect<void>
  /** The client gave up: fail what waits. */
  readonly onFatal: (error: Failure) => Effect.Effect<void>
}

/** The supervisor of one client. */
export interface Supervisor {
  /** Connects, trying `attempts` times (the first at once). */
  readonly connectFirst: (attempts: number) => Effect.Effect<Connection.Conn, Failure>
  /**
   * Makes `first` current, then runs the client's connection life from it on, in the background
   * (until shutdown or a fatal failure).
   */
  readonly start: (first: Connection.Conn) => Effect.Effect<void>
}

/**
 * Opens a connection and logs in. `Left`: worth another attempt (what happened); a failure: not
 * (the login was refused).
 */
const openAndLogin = (
  state: State.State,
  id: number,
  parts: Pick<Parts, "onLines" | "transport">
): Effect.Effect<Either.Either<Connection.Conn, string>, ChatError> =>
  Effect.gen(function*() {
    const identity = state.identity
    const conn = yield* Connection.open({
      id,
      transport: parts.transport,
      parent: state.connections,
      session: Session.make(),
      onLines: parts.onLines
    })
    const known = identity.token
    if (known !== undefined && identity.auth !== undefined) {
      identity.token = Option.getOrElse(yield* Effect.option(identity.auth.current), () => known)
    }
    const lines = Session.hello(identity.login, identity.token?.value)
    const result = yield* Session.login(conn, lines, state.settings.timeouts.login).pipe(
      Effect.withSpan("chat.login", {
        attributes: {
          "chat.login": identity.login,
          "chat.anonymous": identity.anonymous,
          "chat.connection": id
        }
      }),
      Effect.tapErrorCause(() => Connection.close(conn))
    )
    if (Either.isLeft(result)) {
      yield* Connection.close(conn)
      return result
    }
    yield* Effect.forkIn(
      Connection.keepalive(
        conn,
        state.settings.timeouts.keepaliveIdle,
        state.settings.timeouts.keepaliveAnswer,
        () => state.hub.isPaused(conn.socket)
      ),
      conn.scope
    )
    if (Session.confirmation(conn.session) !== "twitch") {
      yield* Effect.logWarning(
        "chat: the server did not grant twitch.tv/tags and twitch.tv/commands; sends complete Sent " +
          "when echoed (echo-message), otherwise Unconfirmed (NoConfirmation) once the server took them",
        { granted: [...conn.session.caps] }
      )
    }
    return result
  })

/** One login through the authentication limit, with one refresh of a refused token. */
const connectOnce = (
  state: State.State,
  id: number,
  parts: Pick<Parts, "onLines" | "transport">
): Effect.Effect<Either.Either<Connection.Conn, string>, Failure> => {
  const once = Effect.flatMap(
    state.limiter.acquireAuth,
    (permit) => Effect.ensuring(openAndLogin(state, id, parts), permit.settle)
  )
  return once.pipe(
    Effect.catchIf(
      (e) => e.reason === "LoginFailed" && state.identity.token !== undefined,
      (e) =>
        Effect.gen(function*() {
          const { auth, token: stale } = state.identity
          if (auth === undefined || stale === undefined) return yield* e
          const fresh = yield* Effect.either(auth.onUnauthorized(stale))
          if (Either.isLeft(fresh) || Redacted.value(fresh.right.value) === Redacted.value(stale.value)) {
            return yield* e
          }
          state.identity.token = fresh.right
          return yield* once
        })
    )
  )
}

/** Makes `conn` current (unless it already ended) and tells everyone. */
const becomeCurrent = (state: State.State, conn: Connection.Conn) =>
  Effect.gen(function*() {
    yield* State.update(state, (s) =>
      Connection.live(conn) && s.failure === undefined
        ? { ...s, phase: "Connected", current: conn, offlineSince: undefined, joined: new Set() }
        : s)
    State.emit(state, {
      _tag: "Connected",
      connection: conn.id,
      login: state.identity.login,
      anonymous: state.identity.anonymous
    })
  })

/** `conn` ended: it is not current any more; the client is offline from now. */
const lost = (state: State.State, conn: Connection.Conn) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    State.update(state, (s) =>
      s.current !== conn ? s : {
        ...s,
        phase: s.phase === "Connected" ? "Reconnecting" : s.phase,
        current: undefined,
        offlineSince: now,
        joined: new Set()
      }))

/** The supervisor of one client (see the module doc). */
export const make = (state: State.State, parts: Parts): Supervisor => {
  let ids = 0

  const connectWithRetry = (
    immediate: boolean,
    maxAttempts: number,
    firstAttempt: number
  ): Effect.Effect<readonly [Connection.Conn, number], Failure> =>
    Effect.gen(function*() {
      let lastFailure = ""
      for (let attempt = firstAttempt; attempt < firstAttempt + maxAttempts; attempt++) {
        if (!(immediate && attempt === firstAttempt)) {
          const delay = yield* State.backoff(state.settings.backoff, attempt)
          State.emit(state, { _tag: "Reconnecting", attempt, delay })
          yield* Effect.sleep(delay)
        }
        State.emit(state, { _tag: "Connecting", attempt })
        const id = ++ids
        const result = yield* connectOnce(state, id, parts).pipe(
          Effect.withSpan("chat.connect", {
            attributes: {
              "chat.transport": parts.transport.address,
              "chat.attempt": attempt,
              "chat.connection": id
            }
          })
        )
        if (Either.isRight(result)) return [result.right, attempt] as const
        lastFailure = result.left
        yield* Effect.logDebug(`chat: connection attempt ${attempt} failed: ${lastFailure}`)
      }
      return yield* new ChatError({
        reason: "ConnectFailed",
        detail: `${maxAttempts} connection attempt${
          maxAttempts === 1 ? "" : "s"
        } failed; the last: ${lastFailure}`
      })
    })

  /** RECONNECT on `old`: the new connection first, then the old one dropped. */
  const overlap = (old: Connection.Conn) =>
    Effect.gen(function*() {
      State.emit(state, { _tag: "ReconnectRequested", connection: old.id })
      const window = state.dedupe.startOverlap()
      const [next] = yield* connectWithRetry(true, Number.POSITIVE_INFINITY, 1)
      yield* becomeCurrent(state, next)
      // Both waits end early when the new connection ends too: then the loop reconnects.
      const nextEnded = Effect.asVoid(Deferred.await(next.ended))
      const rejoining = yield* Effect.forkIn(parts.rejoinAll, state.fibers)
      yield* Fiber.await(rejoining).pipe(
        Effect.timeout(Duration.sum(state.settings.timeouts.join, Duration.seconds(1))),
        Effect.ignore,
        Effect.raceFirst(nextEnded)
      )
      // The answers to sends written on the old connection: each comes, or the send is told Lost
      // when the old socket closes.
      yield* Effect.forEach([...old.pending.values()], (p) => Deferred.await(p.answer), { discard: true })
        .pipe(
          Effect.timeout(state.settings.timeouts.send),
          Effect.ignore,
          Effect.raceFirst(nextEnded)
        )
      yield* Connection.close(old)
      state.hub.release(old.socket)
      state.dedupe.endOverlap(window)
      State.emit(state, { _tag: "Disconnected", connection: old.id, reason: "Reconnect" })
      return next
    })

  const supervise = (first: Connection.Conn): Effect.Effect<void> =>
    Effect.gen(function*() {
      let conn = first
      let fresh = false
      let level = 0
      let upSince = yield* Clock.currentTimeMillis
      for (;;) {
        if (fresh) {
          yield* becomeCurrent(state, conn)
          yield* Effect.forkIn(parts.rejoinAll, state.fibers)
        }
        const reason = yield* Deferred.await(conn.ended)
        yield* lost(state, conn)
        if (
          reason._tag === "Shutdown" || (yield* SubscriptionRef.get(state.status)).failure !== undefined
        ) return
        const now = yield* Clock.currentTimeMillis
        if (now - upSince >= Duration.toMillis(state.settings.backoff.stableAfter)) level = 0
        state.counters.reconnects++
        state.settings.hooks.reconnect()
        if (reason._tag === "Reconnect") {
          conn = yield* overlap(conn).pipe(
            Effect.withSpan("chat.reconnect", {
              attributes: { "chat.reason": "Reconnect", "chat.connection": conn.id }
            })
          )
          fresh = false
        } else {
          yield* Connection.close(conn)
          state.hub.release(conn.socket)
          State.emit(state, { _tag: "Disconnected", connection: conn.id, reason: reason._tag })
          const [next, attempt] = yield* connectWithRetry(false, Number.POSITIVE_INFINITY, level + 1).pipe(
            Effect.withSpan("chat.reconnect", {
              attributes: { "chat.reason": reason._tag, "chat.connection": conn.id }
            })
          )
          level = attempt
          conn = next
          fresh = true
        }
        upSince = yield* Clock.currentTimeMillis
      }
    }).pipe(
      Effect.catchAll((error) =>
        Effect.gen(function*() {
          const failed = yield* SubscriptionRef.modify(state.status, (s) =>
            s.failure !== undefined
              ? [false, s] as const
              : [true, { ...s, phase: "Failed", current: undefined, failure: error }] as const)
          if (!failed) return
          State.emit(state, { _tag: "Failed", error })
          yield* parts.onFatal(error)
        })
      )
    )

  return {
    connectFirst: (attempts) =>
      Effect.map(connectWithRetry(true, Math.max(1, attempts), 1), ([conn]) => conn),
    start: (first) =>
      Effect.gen(function*() {
        yield* becomeCurrent(state, first)
        yield* Effect.forkIn(parts.rejoinAll, state.fibers)
        yield* Effect.forkIn(supervise(first), state.fibers)
      })
  }
}
