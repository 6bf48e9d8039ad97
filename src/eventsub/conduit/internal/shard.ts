/**
 * One shard a process runs: a WebSocket session kept by the EventSub client's supervisor
 * (reconnects with backoff, `session_reconnect` handover), assigned to the shard id right after
 * every welcome, the first and each new one (Twitch wants it within 10 s, else it closes the
 * session as unused). Its messages go to the process's registry; its connection events to the
 * process's events, labelled with the shard.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import type * as Conduits from "../../../helix/generated/Conduits.js"
import * as OperationRunner from "../../../helix/OperationRunner.js"
import type { ConnectionEvent } from "../../EventSub.js"
import type * as Connection from "../../internal/connection.js"
import type { Core } from "../../internal/core.js"
import type { Registry } from "../../internal/registry.js"
import type { Signals } from "../../internal/signals.js"
import * as Supervisor from "../../internal/websocket.js"
import type { Session } from "../../Notification.js"
import { metrics } from "../ConduitMetrics.js"
import { ShardEvent } from "../ShardEvent.js"

/** How long an assignment may take: Twitch's 10 s from the welcome. */
export const assignWithin = Duration.seconds(10)

/** A running shard. */
export interface Shard {
  readonly id: string
  /** Its session, while it has one. */
  readonly session: () => Option.Option<Session>
  /** Whether Twitch took its current session. */
  readonly assigned: () => boolean
  /** How long after its welcome the current session was assigned. */
  readonly assignMillis: () => Option.Option<number>
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
  readonly shardEvents: Signals<ShardEvent>
  /** The shard got or lost a usable session. */
  readonly onAssigned: (assigned: boolean) => void
}

/** The process's connection events, plus this shard's labelled ones. */
const labelled = (options: ShardOptions): Signals => ({
  emit: (event: ConnectionEvent) => {
    options.core.signals.emit(event)
    options.shardEvents.emit(ShardEvent.Connection({ shardId: options.shardId, event }))
  },
  stream: options.core.signals.stream
})

/** Starts a shard for the life of the scope. */
export const make = (options: ShardOptions): Effect.Effect<Shard, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { conduitId, shardId, shardEvents } = options
    let session = Option.none<Session>()
    let assigned = false
    let assignMillis = Option.none<number>()
    const setAssigned = (next: boolean, millis = Option.none<number>()) => {
      if (next !== assigned) options.onAssigned(next)
      assigned = next
      assignMillis = millis
    }

    const assign = (target: Session) =>
      Effect.gen(function*() {
        const since = yield* Clock.currentTimeMillis
        const answer = yield* options.conduits.updateShards({
          conduitId,
          shards: [{ id: shardId, transport: { method: "websocket", sessionId: target.id } }]
        }).pipe(OperationRunner.builtParams, Effect.timeout(assignWithin), Effect.either)
        const millis = (yield* Clock.currentTimeMillis) - since
        const refused = Either.isLeft(answer)
          ? answer.left.message
          : answer.right.errors.find((e) => e.id === shardId)?.message ??
            (answer.right.data.some((s) => s.id === shardId)
              ? undefined
              : "the shard is not in Twitch's answer")
        // A session lost meanwhile is not this shard's any more.
        if (!Option.exists(session, (s) => s.id === target.id)) return
        if (refused === undefined) {
          setAssigned(true, Option.some(millis))
          metrics.assignments.unsafeUpdate(1, [])
          metrics.assignMillis.unsafeUpdate(millis, [])
          shardEvents.emit(ShardEvent.Assigned({ shardId, sessionId: target.id, millis }))
        } else {
          setAssigned(false)
          metrics.assignFailures.unsafeUpdate(1, [])
          options.core.log(`EventSub conduit ${conduitId} shard ${shardId}: assignment refused: ${refused}`)
          shardEvents.emit(ShardEvent.AssignFailed({ shardId, sessionId: target.id, detail: refused }))
        }
        yield* Effect.annotateCurrentSpan("twitch.conduit.assigned", refused === undefined)
      }).pipe(
        Effect.withSpan("Conduit assign", {
          kind: "client",
          attributes: {
            "twitch.conduit.id": conduitId,
            "twitch.conduit.shard_id": shardId,
            "twitch.eventsub.session_id": target.id
          }
        })
      )

    const wanted = yield* Effect.makeLatch(true)
    yield* Effect.forkScoped(Supervisor.run({
      ...options.core,
      signals: labelled(options),
      url: options.url,
      connection: options.connection,
      onMessage: options.registry.handle,
      onWelcome: assign,
      onHandover: assign,
      onLost: () => true,
      wanted,
      welcomeTimeout: options.welcomeTimeout,
      reconnectGrace: Duration.seconds(30),
      backoff: options.backoff,
      stableAfter: Duration.seconds(30),
      onSession: (next) => {
        session = next
        if (Option.isNone(next)) setAssigned(false)
      }
    }))

    return {
      id: shardId,
      session: () => session,
      assigned: () => assigned,
      assignMillis: () => assignMillis,
      reassign: Effect.suspend(() => Option.match(session, { onNone: () => Effect.void, onSome: assign }))
    }
  })
