/**
 * A WebSocket session's life, for the EventSub client and for conduit shards: connect when wanted,
 * take the session from the welcome and put it to use at once (`onWelcome`: the client creates its
 * subscriptions, a shard assigns itself; Twitch closes a connection left unused within 10 s),
 * follow `session_reconnect` (open its URL, keep reading the old connection until the new one's
 * welcome, then close the old one with a close frame, reading on until Twitch's answer: nothing
 * already sent is lost; `onHandover` runs with the new session), and after any other end (Twitch
 * has then disabled what was on it: `onLost`) wait on the backoff schedule and connect again.
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import { ConnectionEvent } from "../EventSub.js"
import type { Session } from "../Notification.js"
import * as Connection from "./connection.js"
import type { Inbound } from "./frames.js"
import type { Counters, Signals } from "./signals.js"

/** What the supervisor drives. */
export interface SupervisorOptions {
  /** The first URL, with `keepalive_timeout_seconds`. */
  readonly url: string
  readonly connection: Omit<Connection.ConnectionOptions, "onMessage" | "onUnreadable">
  /** A notification or revocation arrived (`now` from the `Clock`). */
  readonly onMessage: (
    inbound: Extract<Inbound, { _tag: "Notification" | "Revocation" }>,
    now: number
  ) => void
  /** A new session was welcomed: put it to use (runs in the session's scope). */
  readonly onWelcome: (session: Session) => Effect.Effect<void>
  /** `session_reconnect` moved the session to a new one (already welcomed). */
  readonly onHandover: (session: Session) => Effect.Effect<void>
  /** The session ended (not by `session_reconnect`); returns whether a connection is still wanted. */
  readonly onLost: () => boolean
  readonly counters: Counters
  readonly signals: Signals
  readonly log: (message: string) => void
  /** Opens when a subscription is wanted (the client connects only then). */
  readonly wanted: Effect.Latch
  readonly welcomeTimeout: Duration.Duration
  readonly reconnectGrace: Duration.Duration
  readonly backoff: Schedule.Schedule<unknown>
  /** A connection that lived this long resets the backoff. */
  readonly stableAfter: Duration.Duration
  /** The session in use changes (`None` while disconnected). */
  readonly onSession: (session: Option.Option<Session>) => void
}

const openIn = (scope: Scope.CloseableScope, url: string, options: SupervisorOptions) =>
  Scope.extend(
    Connection.open(url, {
      ...options.connection,
      onMessage: options.onMessage,
      onUnreadable: (detail) => {
        options.counters.add("unreadable")
        options.log(`EventSub message skipped: ${detail}`)
      }
    }),
    scope
  )

const waitWelcome = (connection: Connection.Connection, within: Duration.Duration) =>
  Effect.raceFirst(
    Effect.map(Deferred.await(connection.welcome), Option.some),
    Effect.as(Deferred.await(connection.ended), Option.none<Session>())
  ).pipe(Effect.timeoutTo({ duration: within, onTimeout: () => Option.none<Session>(), onSuccess: (s) => s }))

const welcomed = (options: SupervisorOptions, session: Session) =>
  Effect.gen(function*() {
    options.onSession(Option.some(session))
    options.signals.emit(ConnectionEvent.Welcomed({
      sessionId: session.id,
      keepaliveTimeoutSeconds: Option.getOrElse(session.keepaliveTimeoutSeconds, () => 10)
    }))
    yield* Effect.annotateCurrentSpan("twitch.eventsub.session_id", session.id)
  })

/** Opens a connection and waits for its welcome (span "EventSub connect"). */
const connect = (
  options: SupervisorOptions,
  scope: Scope.CloseableScope,
  url: string,
  within: Duration.Duration
) =>
  Effect.gen(function*() {
    const connection = yield* openIn(scope, url, options)
    const session = yield* waitWelcome(connection, within)
    if (Option.isSome(session)) {
      yield* Effect.annotateCurrentSpan("twitch.eventsub.session_id", session.value.id)
    }
    return { connection, session }
  }).pipe(
    Effect.withSpan("EventSub connect", {
      kind: "client",
      attributes: { "twitch.eventsub.url": url.replace(/\?.*$/, "") }
    })
  )

/** Closes a replaced connection in the background once Twitch has answered its close frame. */
const retire = (connection: Connection.Connection, scope: Scope.CloseableScope, within: Duration.Duration) =>
  connection.close.pipe(
    Effect.zipRight(Deferred.await(connection.ended)),
    Effect.timeout(within),
    Effect.ignore,
    Effect.ensuring(Scope.close(scope, Exit.void)),
    Effect.forkScoped
  )

/** One session: from the first welcome through any number of `session_reconnect`s to its end. */
const runSession = (options: SupervisorOptions, url: string) =>
  Effect.gen(function*() {
    let scope = yield* Scope.make()
    yield* Effect.addFinalizer(() => Scope.close(scope, Exit.void))
    const first = yield* connect(options, scope, url, options.welcomeTimeout)
    let connection = first.connection
    if (Option.isNone(first.session)) {
      const ended = yield* Deferred.poll(connection.ended)
      return Option.isSome(ended) ? yield* ended.value : { reason: "NoWelcome", code: Option.none() } as const
    }
    const session = first.session.value
    yield* welcomed(options, session).pipe(
      Effect.zipRight(options.onWelcome(session)),
      Effect.withSpan("EventSub welcome", { attributes: { "twitch.eventsub.session_id": session.id } }),
      Effect.forkScoped
    )
    for (;;) {
      const next = yield* Effect.raceFirst(
        Effect.map(Deferred.await(connection.ended), (ended) => ({ _tag: "Ended", ended }) as const),
        Effect.map(Deferred.await(connection.reconnect), (to) => ({ _tag: "Reconnect", to }) as const)
      )
      if (next._tag === "Ended") return next.ended
      options.signals.emit(ConnectionEvent.ReconnectRequested({ sessionId: session.id }))
      const handover = yield* Effect.gen(function*() {
        const nextScope = yield* Scope.make()
        const candidate = yield* connect(options, nextScope, next.to, options.reconnectGrace)
        if (Option.isNone(candidate.session)) {
          yield* Scope.close(nextScope, Exit.void)
          return Option.none()
        }
        // The new connection is welcomed (the subscriptions carry over): the old one is asked to
        // close, and what it still carries is read until Twitch answers (at most the grace time).
        yield* retire(connection, scope, options.reconnectGrace)
        yield* welcomed(options, candidate.session.value)
        yield* Effect.forkIn(options.onHandover(candidate.session.value), nextScope)
        return Option.some({ scope: nextScope, connection: candidate.connection })
      }).pipe(
        Effect.withSpan("EventSub reconnect", { attributes: { "twitch.eventsub.session_id": session.id } })
      )
      if (Option.isNone(handover)) return { reason: "ReconnectFailed", code: Option.none() } as const
      scope = handover.value.scope
      connection = handover.value.connection
      options.counters.add("reconnects")
    }
  }).pipe(Effect.scoped)

/** Runs forever (until interrupted): connect, run a session, back off, connect again. */
export const run = (options: SupervisorOptions): Effect.Effect<never> =>
  Effect.gen(function*() {
    const driver = yield* Schedule.driver(options.backoff)
    let attempt = 0
    for (;;) {
      yield* options.wanted.await
      attempt++
      const started = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
      options.signals.emit(ConnectionEvent.Connecting({ attempt, url: options.url.replace(/\?.*$/, "") }))
      const ended = yield* runSession(options, options.url)
      options.onSession(Option.none())
      const stillWanted = options.onLost()
      options.signals.emit(ConnectionEvent.Disconnected({ reason: ended.reason, code: ended.code }))
      const lived = (yield* Effect.clockWith((clock) => clock.currentTimeMillis)) - started
      if (lived >= Duration.toMillis(options.stableAfter)) yield* driver.reset
      if (!stillWanted) options.wanted.unsafeClose()
      options.counters.add("reconnects")
      options.signals.emit(ConnectionEvent.Reconnecting({ attempt: attempt + 1 }))
      yield* Effect.ignore(driver.next(undefined))
    }
  })
