/**
 * One shard a process runs: a WebSocket session kept by the EventSub client's supervisor
 * (reconnects with backoff, `session_reconnect` handover), assigned to the shard id right after
 * every welcome, the first and each new one (Twitch wants it within 10 s, else it closes the
 * session as unused). A transient refusal is retried on the shard's schedule within that time; a
 * refusal for good (the conduit is gone, the shard id is past its shard count) stops the shard:
 * its session closes, it does not reconnect, and `onStopped` tells why. Its messages go to the
 * process's registry; its connection events to the process's events, labelled with the shard.
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import type * as Conduits from "../../../helix/generated/Conduits.js"
import * as OperationRunner from "../../../helix/OperationRunner.js"
import type { ConduitError } from "../../../TwitchError.js"
import type { ConnectionEvent } from "../../EventSub.js"
import type * as Connection from "../../internal/connection.js"
import type { Core } from "../../internal/core.js"
import type { Registry } from "../../internal/registry.js"
import type { Signals } from "../../internal/signals.js"
import * as Supervisor from "../../internal/websocket.js"
import type { Session } from "../../Notification.js"
import { metrics } from "../ConduitMetrics.js"
import { ShardEvent } from "../ShardEvent.js"
import * as Assign from "./assign.js"

/** How long an assignment may take: Twitch's 10 s from the welcome. */
export const assignWithin = Duration.seconds(10)

/** Retries of a new session's assignment start no later than this after its welcome. */
export const retryWithin = Duration.seconds(8)

/** A running shard. */
export interface Shard {
  readonly id: string
  /** Its session, while it has one. */
  readonly session: () => Option.Option<Session>
  /** Whether Twitch took its current session. */
  readonly assigned: () => boolean
  /** How long after its welcome the current session was assigned. */
  readonly assignMillis: () => Option.Option<number>
  /** Why the shard stopped, once Twitch refused it for good. */
  readonly stopped: () => Option.Option<ConduitError>
  /** Assigns the current session again (Twitch disabled the shard while the session looked alive). */
  readonly reassign: Effect.Effect<void>
}

/** What a shard needs. */
export interface ShardOptions {
  readonly shardId: string
  readonly conduitId: string
  readonly conduits: Conduits.Conduits.Service
  readonly core: Core
  readonly registry: Registry
  readonly url: string
  readonly connection: Omit<Connection.ConnectionOptions, "onMessage" | "onUnreadable">
  readonly welcomeTimeout: Duration.Duration
  readonly backoff: Schedule.Schedule<unknown>
  /** Waits between transient refusals of one session's assignment. */
  readonly assignRetry: Schedule.Schedule<unknown>
  readonly shardEvents: Signals<ShardEvent>
  /** The shard got or lost a usable session. */
  readonly onAssigned: (assigned: boolean) => void
  /** Twitch refused the shard for good; it has stopped. */
  readonly onStopped: (error: ConduitError) => void
}

/** The process's connection events, plus this shard's labelled ones. */
const labelled = (options: ShardOptions): Signals => ({
  emit: (event: ConnectionEvent) => {
    options.core.signals.emit(event)
    options.shardEvents.emit(ShardEvent.Connection({ shardId: options.shardId, event }))
  },
  stream: options.core.signals.stream
})

/** Update Conduit Shards and Get Conduits for one shard. */
const api = (options: ShardOptions): Assign.Api => ({
  update: (sessionId) =>
    options.conduits.updateShards({
      conduitId: options.conduitId,
      shards: [{ id: options.shardId, transport: { method: "websocket", sessionId } }]
    }).pipe(
      OperationRunner.builtParams,
      Effect.map((answer) =>
        Option.orElse(
          Option.fromNullable(answer.errors.find((e) => e.id === options.shardId)?.message),
          () =>
            answer.data.some((s) => s.id === options.shardId)
              ? Option.none()
              : Option.some("the shard is not in Twitch's answer")
        )
      )
    ),
  shardCount: options.conduits.list().pipe(
    OperationRunner.builtParams,
    Effect.map((all) => Option.fromNullable(all.find((c) => c.id === options.conduitId)?.shardCount))
  )
})

/** Starts a shard for the life of the scope. */
export const make = (options: ShardOptions): Effect.Effect<Shard, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { conduitId, shardEvents, shardId } = options
    const target = { conduitId, shardId }
    const calls = api(options)
    const stop = yield* Deferred.make<ConduitError>()
    let session = Option.none<Session>()
    let assigned = false
    let assignMillis = Option.none<number>()
    let stopped = Option.none<ConduitError>()
    const setAssigned = (next: boolean, millis = Option.none<number>()) => {
      if (next !== assigned) options.onAssigned(next)
      assigned = next
      assignMillis = millis
    }
    const isCurrent = (id: string) => Option.exists(session, (s) => s.id === id)

    const refused = (sessionId: string) => (refusal: Assign.Refusal, attempt: number) =>
      Effect.sync(() => {
        const detail = refusal._tag === "Transient" ? refusal.detail : refusal.error.message
        metrics.assignFailures.unsafeUpdate(1, [])
        options.core.log(`EventSub conduit ${conduitId} shard ${shardId}: assignment refused: ${detail}`)
        shardEvents.emit(ShardEvent.AssignFailed({
          shardId,
          sessionId,
          detail,
          attempt,
          permanent: refusal._tag === "Permanent"
        }))
      })

    const taken = (sessionId: string, millis: number) =>
      Effect.sync(() => {
        // A session lost meanwhile is not this shard's any more.
        if (!isCurrent(sessionId)) return
        setAssigned(true, Option.some(millis))
        metrics.assignments.unsafeUpdate(1, [])
        metrics.assignMillis.unsafeUpdate(millis, [])
        shardEvents.emit(ShardEvent.Assigned({ shardId, sessionId, millis }))
      })

    const giveUp = (error: ConduitError) =>
      Effect.sync(() => {
        stopped = Option.some(error)
        setAssigned(false)
        session = Option.none()
        shardEvents.emit(ShardEvent.Stopped({ shardId, error }))
        options.onStopped(error)
      }).pipe(Effect.zipRight(Deferred.succeed(stop, error)))

    /** Assigns `target`, retrying within `window`; a refusal for good stops the shard. */
    const assign = (next: Session, window: Duration.Duration) =>
      Effect.gen(function*() {
        const since = yield* Clock.currentTimeMillis
        const outcome = yield* Assign.assign(calls, target, next.id, {
          schedule: options.assignRetry,
          window,
          timeout: assignWithin,
          current: Effect.sync(() => isCurrent(next.id)),
          onRefused: refused(next.id)
        }).pipe(Effect.either)
        const millis = (yield* Clock.currentTimeMillis) - since
        yield* Effect.annotateCurrentSpan("twitch.conduit.assigned", outcome._tag === "Right")
        if (outcome._tag === "Right") return yield* taken(next.id, millis)
        if (isCurrent(next.id)) setAssigned(false)
        if (outcome.left._tag === "Permanent") yield* giveUp(outcome.left.error)
      }).pipe(
        Effect.withSpan("Conduit assign", {
          kind: "client",
          attributes: {
            "twitch.conduit.id": conduitId,
            "twitch.conduit.shard_id": shardId,
            "twitch.eventsub.session_id": next.id
          }
        })
      )
    const welcomed = (next: Session) => assign(next, retryWithin)

    const wanted = yield* Effect.makeLatch(true)
    yield* Effect.forkScoped(Effect.raceFirst(
      Supervisor.run({
        ...options.core,
        signals: labelled(options),
        url: options.url,
        connection: options.connection,
        onMessage: options.registry.handle,
        onWelcome: welcomed,
        onHandover: welcomed,
        onLost: () => Option.isNone(stopped),
        wanted,
        welcomeTimeout: options.welcomeTimeout,
        reconnectGrace: Duration.seconds(30),
        backoff: options.backoff,
        stableAfter: Duration.seconds(30),
        onSession: (next) => {
          if (Option.isSome(stopped)) return
          session = next
          if (Option.isNone(next)) setAssigned(false)
        }
      }),
      Deferred.await(stop)
    ))

    return {
      id: shardId,
      session: () => session,
      assigned: () => assigned,
      assignMillis: () => assignMillis,
      stopped: () => stopped,
      reassign: Effect.suspend(() =>
        Option.match(session, { onNone: () => Effect.void, onSome: (s) => assign(s, Duration.zero) })
      )
    }
  })
