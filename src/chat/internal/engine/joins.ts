/**
 * Joins and parts. A channel the user joined stays wanted (`Status.wanted`) until `part` and is
 * rejoined on every new connection; `Status.joined` lists those joined on the current one. A join
 * goes through the JOIN limit, completes when the server echoes it, and fails with `JoinFailed`
 * (Twitch's NOTICE, or an IRC error numeric such as 474) or `JoinTimeout` counted from when the
 * JOIN was written. A user's join that failed is not wanted any more; a rejoin is given up only on
 * a refusal (a timeout is retried with backoff).
 *
 * @internal
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberId from "effect/FiberId"
import * as SubscriptionRef from "effect/SubscriptionRef"
import { ChatError, type NotAuthorized } from "../../../TwitchError.js"
import * as Connection from "./connection.js"
import * as State from "./state.js"
import { normalizeChannel, wireChannel } from "./text.js"

type Failure = ChatError | NotAuthorized

/** What the engine does with channels. */
export interface Joins {
  readonly join: (channel: string) => Effect.Effect<void, Failure>
  readonly part: (channel: string) => Effect.Effect<void, ChatError>
  /** Rejoins every wanted channel on a new connection (retrying timeouts with backoff). */
  readonly rejoinAll: Effect.Effect<void>
}

const invalid = (channel: string) =>
  new ChatError({ reason: "JoinFailed", channel, detail: "not a channel name" })

/** Waits for a live current connection (or fails with the client's failure). */
export const awaitConnection = (state: State.State): Effect.Effect<Connection.Conn, Failure> =>
  Effect.flatten(State.awaitStatus(state.status, (s): Effect.Effect<Connection.Conn, Failure> | undefined => {
    if (s.failure !== undefined) return Effect.fail(s.failure)
    return s.current !== undefined && Connection.live(s.current) ? Effect.succeed(s.current) : undefined
  }))

/** One JOIN on the current connection: Right when joined there, Left to try again. */
const joinOnce = (
  state: State.State,
  channel: string
): Effect.Effect<Either.Either<void, "again">, Failure> =>
  Effect.gen(function*() {
    const conn = yield* awaitConnection(state)
    const permit = yield* state.limiter.acquireJoin
    const status = yield* SubscriptionRef.get(state.status)
    if (status.current !== conn || !Connection.live(conn) || !status.wanted.has(channel)) {
      yield* permit.settle
      return status.wanted.has(channel) ? Either.left("again" as const) : Either.right(undefined)
    }
    const answer = yield* Deferred.make<Connection.JoinAnswer>()
    conn.joins.set(channel, answer)
    Connection.write(conn, { text: `JOIN ${wireChannel(channel)}` })
    const timeout = state.settings.timeouts.join
    const result = yield* Deferred.await(answer).pipe(
      Effect.timeoutTo({ duration: timeout, onTimeout: () => undefined, onSuccess: (a) => a })
    )
    if (conn.joins.get(channel) === answer) conn.joins.delete(channel)
    yield* permit.settle
    if (result === undefined) {
      return yield* new ChatError({
        reason: "JoinTimeout",
        channel,
        detail: `no confirmation within ${Duration.format(timeout)} after the JOIN was sent ` +
          `(${Duration.format(permit.waited)} waiting for the join limit before that)`
      })
    }
    if (result._tag === "Lost") return Either.left("again" as const)
    if (result._tag === "Refused") {
      return yield* new ChatError({
        reason: "JoinFailed",
        channel,
        noticeId: result.reason,
        detail: result.text
      })
    }
    // Joined on a connection that is still the current one; otherwise join again on the new one.
    const joined = yield* SubscriptionRef.modify(state.status, (s) =>
      s.current === conn
        ? [true, { ...s, joined: State.withChannel(s.joined, channel, true) }] as const
        : [false, s] as const)
    if (!joined) return Either.left("again" as const)
    State.emit(state, { _tag: "Joined", channel })
    return Either.right(undefined)
  })

/** The joins of one client. */
export const make = (state: State.State): Joins => {
  const joining = new Map<string, Deferred.Deferred<void, Failure>>()

  const joinOn = (channel: string): Effect.Effect<void, Failure> =>
    Effect.flatMap(joinOnce(state, channel), (r) => Either.isLeft(r) ? joinOn(channel) : Effect.void)

  const join = (raw: string, rejoining = false): Effect.Effect<void, Failure> =>
    Effect.suspend(() => {
      const channel = normalizeChannel(raw)
      if (channel === undefined) return Effect.fail(invalid(raw))
      const inFlight = joining.get(channel)
      if (inFlight !== undefined) return Deferred.await(inFlight)
      const done = Deferred.unsafeMake<void, Failure>(FiberId.none)
      joining.set(channel, done)
      const run = Effect.gen(function*() {
        const status = yield* SubscriptionRef.get(state.status)
        if (status.failure !== undefined) return yield* status.failure
        if (status.joined.has(channel) && status.wanted.has(channel)) return
        yield* State.update(state, (s) => ({ ...s, wanted: State.withChannel(s.wanted, channel, true) }))
        yield* joinOn(channel).pipe(
          Effect.tapError((error) =>
            Effect.gen(function*() {
              // A user's join that failed is not wanted any more (a typo times out: Twitch drops
              // JOINs of nonexistent channels silently). A rejoin is given up only on a refusal.
              if (!rejoining || (error._tag === "ChatError" && error.reason === "JoinFailed")) {
                yield* State.update(
                  state,
                  (s) => ({ ...s, wanted: State.withChannel(s.wanted, channel, false) })
                )
              }
              if (error._tag === "ChatError") State.emit(state, { _tag: "JoinFailed", channel, error })
            })
          )
        )
      }).pipe(
        Effect.onExit((exit) =>
          Effect.sync(() => {
            joining.delete(channel)
            Deferred.unsafeDone(done, exit)
          })
        )
      )
      return Effect.zipRight(Effect.forkIn(run, state.fibers), Deferred.await(done))
    })

  const rejoin = (channel: string): Effect.Effect<void> =>
    Effect.gen(function*() {
      for (let attempt = 1;; attempt++) {
        const status = yield* SubscriptionRef.get(state.status)
        if (!status.wanted.has(channel) || status.failure !== undefined) return
        const result = yield* Effect.either(join(channel, true))
        if (Either.isRight(result)) return
        const error = result.left
        if (!(error._tag === "ChatError" && error.reason === "JoinTimeout")) return
        yield* Effect.sleep(yield* State.backoff(state.settings.backoff, attempt))
      }
    })

  const rejoinAll = Effect.flatMap(
    SubscriptionRef.get(state.status),
    (s) => Effect.forEach([...s.wanted], rejoin, { concurrency: "unbounded", discard: true })
  )

  const part = (raw: string): Effect.Effect<void, ChatError> =>
    Effect.gen(function*() {
      const channel = normalizeChannel(raw)
      if (channel === undefined) return yield* invalid(raw)
      yield* State.update(state, (s) => ({ ...s, wanted: State.withChannel(s.wanted, channel, false) }))
      // A join in flight: let it finish (it does not write JOIN any more, or its confirmation
      // marks the channel joined), then part what the server has us in.
      const inFlight = joining.get(channel)
      if (inFlight !== undefined) yield* Effect.ignore(Deferred.await(inFlight))
      const [wasJoined, conn] = yield* SubscriptionRef.modify(state.status, (s) =>
        [
          [s.joined.has(channel), s.current] as const,
          { ...s, joined: State.withChannel(s.joined, channel, false) }
        ] as const)
      if (conn === undefined || !wasJoined) return
      const done = yield* Deferred.make<void>()
      conn.parts.set(channel, done)
      Connection.write(conn, { text: `PART ${wireChannel(channel)}` })
      yield* Deferred.await(done).pipe(Effect.timeout(state.settings.timeouts.join), Effect.ignore)
      conn.parts.delete(channel)
      State.emit(state, { _tag: "Parted", channel })
    })

  return {
    join: (channel) =>
      join(channel).pipe(Effect.withSpan("chat.join", { attributes: { "chat.channel": channel } })),
    part,
    rejoinAll
  }
}
