/**
 * This process's shards of an EventSub conduit, as a scoped service with the same typed streams as
 * the EventSub client. Twitch's conduit is the distribution engine: it takes app-token
 * subscriptions for any number of channels, hashes each channel to a shard, and retries a dead
 * shard's messages on one other shard; N processes share the load by each running the shards its
 * configuration gives it (`ShardOwnership`), with no coordinator.
 *
 * ```ts
 * const program = Effect.gen(function*() {
 *   const shards = yield* ConduitShard.ConduitShard
 *   yield* shards.notifications().pipe(Stream.runForEach((n) => Console.log(n.type)))
 * })
 * const Live = ConduitShard.layer({ conduitId, ownership: ShardOwnership.slice(0, 3) }).pipe(
 *   Layer.provideMerge(Helix.layer()) // with an app token in TwitchAuth
 * )
 * ```
 *
 * For each shard it owns it opens a WebSocket session and assigns it to the shard right after the
 * welcome (Twitch's limit: 10 s, else the session is closed as unused), and again after every
 * reconnect (`session_reconnect`, a dropped connection). An assignment Twitch refuses for now (no
 * answer, a server error, a session it does not take) is tried again on `assignRetry` within those
 * 10 s, then on the shard's next session; one it refuses for good (the conduit is gone, the shard id
 * is past its shard count after another process shrank it) stops that shard and fails `ready`
 * with a `ConduitError`. `shardEvents` tells each assignment and refusal, and
 * `conduit.shard.disabled` (subscribed on the conduit unless `watchDisabled: false`) tells the
 * fleet's disabled shards, reassigning this process's own. Messages of all its shards go through
 * one dedupe gate (a message Twitch retried on another shard of this process is delivered once).
 *
 * `subscribe(type, condition)` creates the subscription on the conduit if it is missing (a 409 means
 * another process did) and streams the events of it that reach this process's shards; the
 * subscription stays on the conduit when the stream ends (the fleet shares it). `notifications()` is
 * everything that reaches this process, whoever subscribed it (`ConduitSubscriptions` subscribes
 * channels in bulk).
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Conduits from "../../helix/generated/Conduits.js"
import * as EventSubApi from "../../helix/generated/EventSubApi.js"
import { TwitchConfig } from "../../TwitchConfig.js"
import { ConduitError, type EventSubError, type HelixError } from "../../TwitchError.js"
import type * as Definition from "../Definition.js"
import type * as EventSub from "../EventSub.js"
import * as EventSubWebSocket from "../EventSubWebSocket.js"
import * as Types from "../generated/Types.js"
import * as Core from "../internal/core.js"
import * as Creator from "../internal/creator.js"
import * as Registry from "../internal/registry.js"
import * as Signals from "../internal/signals.js"
import * as Conduit from "./Conduit.js"
import { metrics } from "./ConduitMetrics.js"
import * as Shard from "./internal/shard.js"
import { ShardEvent } from "./ShardEvent.js"
import * as ShardOwnership from "./ShardOwnership.js"

/**
 * A shard as this process sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ShardState {
  readonly id: string
  /** Its WebSocket session, while connected. */
  readonly sessionId: Option.Option<string>
  /** Whether Twitch took the current session for the shard. */
  readonly assigned: boolean
  /** How long after the session's welcome Twitch took it (Twitch allows 10 s). */
  readonly assignMillis: Option.Option<number>
  /** Why the shard stopped, when Twitch refused it for good. */
  readonly stopped: Option.Option<ConduitError>
}

/**
 * What the service offers: the EventSub streams, plus the shards.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service extends EventSub.Service<Definition.Any> {
  readonly conduitId: string
  /** The shard ids this process runs. */
  readonly shardIds: ReadonlyArray<string>
  readonly shards: Effect.Effect<ReadonlyArray<ShardState>>
  /** Assignments, refusals, disabled shards and each shard's connection events, from when the stream starts. */
  readonly shardEvents: Stream.Stream<ShardEvent>
  /**
   * Succeeds once every shard of this process is assigned to a session; fails when Twitch refused
   * one of them for good (that shard stopped; the others run on).
   */
  readonly ready: Effect.Effect<void, ConduitError>
  /**
   * Fails once Twitch refused one of this process's shards for good, with why; until then it waits.
   * A worker races its work with it to exit (and be restarted on a conduit it fits).
   */
  readonly refused: Effect.Effect<never, ConduitError>
}

/**
 * The service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class ConduitShard
  extends Context.Tag("effect-twitcher/eventsub/ConduitShard")<ConduitShard, Service>()
{}

/**
 * Options of the service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends
  Core.CoreOptions,
  Pick<
    EventSubWebSocket.Options,
    "url" | "keepaliveTimeoutSeconds" | "silenceGrace" | "welcomeTimeout" | "backoff"
  >
{
  readonly conduitId: string
  /** Which shards this process runs. */
  readonly ownership: ShardOwnership.Ownership
  /** Subscribe to `conduit.shard.disabled` on the conduit and reassign own shards (default true). */
  readonly watchDisabled?: boolean | undefined
  /**
   * Waits between transient refusals of a session's assignment, within 8 s of its welcome (default
   * exponential from 250 ms).
   */
  readonly assignRetry?: Schedule.Schedule<unknown> | undefined
}

/**
 * The default wait between transient refusals of an assignment: 250 ms, doubling.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultAssignRetry: Schedule.Schedule<unknown> = Schedule.exponential("250 millis", 2)

/** The shard ids of this process on the conduit, or why there are none. */
const ownedShards = (conduitId: string, ownership: ShardOwnership.Ownership) =>
  Effect.gen(function*() {
    const conduit = yield* Conduit.find(conduitId)
    if (Option.isNone(conduit)) return yield* new ConduitError({ reason: "ConduitNotFound", conduitId })
    return yield* ShardOwnership.owned(ownership, conduit.value.shardCount)
  })

/** Follows `conduit.shard.disabled`: tells it, and reassigns this process's own shards. */
const watchDisabled = (
  service: EventSub.Service<Definition.Any>,
  clientId: string,
  conduitId: string,
  shards: ReadonlyMap<string, Shard.Shard>,
  events: Signals.Signals<ShardEvent>
) =>
  service.subscribe(Types.conduitShardDisabledV1, { clientId, conduitId }).pipe(
    Stream.runForEach((disabled) => {
      const own = shards.get(disabled.shardId)
      metrics.shardsDisabled.unsafeUpdate(1, [])
      events.emit(
        ShardEvent.Disabled({ shardId: disabled.shardId, status: disabled.status, ours: own !== undefined })
      )
      return own === undefined ? Effect.void : own.reassign
    }),
    Effect.catchAll((error) =>
      Effect.logWarning(`EventSub conduit ${conduitId}: not watching disabled shards`, error)
    )
  )

/**
 * Starts this process's shards for the life of the scope. Fails when the conduit is not one of the
 * client's (`ConduitError`) or the ownership names none of its shards (`EventSubError`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<
  Service,
  EventSubError | ConduitError | HelixError,
  Conduits.Conduits | EventSubApi.EventSubApi | TwitchConfig | Scope.Scope
> =>
  Effect.gen(function*() {
    const { conduitId } = options
    const api = yield* EventSubApi.EventSubApi
    const conduits = yield* Conduits.Conduits
    const config = yield* TwitchConfig
    const shardIds = yield* ownedShards(conduitId, options.ownership)
    const core = yield* Core.make(options)
    const creator = yield* Creator.make({
      api,
      transport: () => Option.some({ method: "conduit", conduitId }),
      webSocket: false,
      freeSlots: Effect.void,
      needTransport: Effect.void,
      concurrency: 10,
      deleteUnwanted: false
    })
    const registry = Registry.make({ ...core, creator })
    const shardEvents = Signals.signals<ShardEvent>()
    const keepalive = Core.keepaliveSeconds(options.keepaliveTimeoutSeconds)
    const base = options.url ?? config.eventSubWebSocketUrl
    let connected = 0
    const allAssigned = yield* Effect.makeLatch(false)
    const refused = yield* Deferred.make<never, ConduitError>()
    const running = new Map<string, Shard.Shard>()
    for (const shardId of shardIds) {
      running.set(
        shardId,
        yield* Shard.make({
          shardId,
          conduitId,
          conduits,
          core,
          registry,
          url: `${base}${base.includes("?") ? "&" : "?"}keepalive_timeout_seconds=${keepalive}`,
          connection: {
            hub: core.hub,
            silenceGrace: Duration.decode(options.silenceGrace ?? "2 seconds"),
            keepaliveTimeout: Duration.seconds(keepalive)
          },
          welcomeTimeout: Duration.decode(options.welcomeTimeout ?? "10 seconds"),
          backoff: options.backoff ?? EventSubWebSocket.defaultBackoff,
          assignRetry: options.assignRetry ?? defaultAssignRetry,
          shardEvents,
          onStopped: (error) => Deferred.unsafeDone(refused, Effect.fail(error)),
          onAssigned: (assigned) => {
            connected += assigned ? 1 : -1
            metrics.shardsConnected.unsafeUpdate(connected, [])
            if (connected === shardIds.length) allAssigned.unsafeOpen()
            else allAssigned.unsafeClose()
          }
        })
      )
    }
    const firstSession = () => Option.firstSomeOf([...running.values()].map((shard) => shard.session()))
    const service = Core.service<Definition.Any>(core, registry, firstSession)
    if (options.watchDisabled !== false) {
      yield* Effect.forkScoped(watchDisabled(service, config.clientId, conduitId, running, shardEvents))
    }
    return {
      ...service,
      conduitId,
      shardIds,
      shards: Effect.sync(() =>
        [...running.values()].map((shard) => ({
          id: shard.id,
          sessionId: Option.map(shard.session(), (s) => s.id),
          assigned: shard.assigned(),
          assignMillis: shard.assignMillis(),
          stopped: shard.stopped()
        }))
      ),
      shardEvents: shardEvents.stream,
      ready: Effect.raceFirst(allAssigned.await, Deferred.await(refused)),
      refused: Deferred.await(refused)
    }
  }).pipe(
    Effect.withSpan("Conduit shards", { attributes: { "twitch.conduit.id": options.conduitId } })
  )

/**
 * The service as a layer (scoped: its sessions close when the layer is released).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<
  ConduitShard,
  EventSubError | ConduitError | HelixError,
  Conduits.Conduits | EventSubApi.EventSubApi | TwitchConfig
> => Layer.scoped(ConduitShard, make(options))
