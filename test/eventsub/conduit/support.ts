/**
 * Conduit fleets against the mock Twitch: "processes" are ConduitShard layers built in scopes of
 * their own (closing one is a process going away), each with its own Helix pipeline and the mock's
 * app token; their notifications are collected in a queue labelled with the process.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import * as ConduitShard from "../../../src/eventsub/conduit/ConduitShard.js"
import type * as ShardEvent from "../../../src/eventsub/conduit/ShardEvent.js"
import type * as ShardOwnership from "../../../src/eventsub/conduit/ShardOwnership.js"
import type { Delivered } from "../../../src/eventsub/Notification.js"
import * as Helix from "../../../src/helix/Helix.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import * as TwitchConfig from "../../../src/TwitchConfig.js"

/** Helix on the mock with its app token (what conduits need). */
export const helixLayer = (mock: MockTwitch.MockTwitch.Service) =>
  Helix.layer({ retryBase: "10 millis" }).pipe(
    Layer.provideMerge(TwitchAuth.layerStatic(AccessToken.make(mock.credentials.appToken, { kind: "app" }))),
    Layer.provideMerge(Layer.succeed(TwitchConfig.TwitchConfig, MockTwitch.twitchConfig(mock))),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** Runs an effect needing Helix against the mock. */
export const withHelix = <A, E, R>(mock: MockTwitch.MockTwitch.Service, effect: Effect.Effect<A, E, R>) =>
  Effect.provide(effect, helixLayer(mock))

/** A notification as one process received it. */
export interface Received {
  readonly process: number
  readonly delivered: Delivered
}

/** One running process of a fleet. */
export interface Process {
  readonly index: number
  readonly shards: ConduitShard.Service
  readonly events: ReadonlyArray<ShardEvent.ShardEvent>
  /** Ends the process: its sessions close. */
  readonly stop: Effect.Effect<void>
}

/** Starts a process (its own scope) whose notifications go to `inbox`. */
export const start = (
  mock: MockTwitch.MockTwitch.Service,
  options: {
    readonly index: number
    readonly conduitId: string
    readonly ownership: ShardOwnership.Ownership
    readonly inbox: Queue.Queue<Received>
  } & Partial<ConduitShard.Options>
): Effect.Effect<Process, unknown> =>
  Effect.gen(function*() {
    const scope = yield* Scope.make()
    const context = yield* Layer.buildWithScope(
      ConduitShard.layer({ backoff: Schedule.spaced("50 millis"), ...options }).pipe(
        Layer.provideMerge(helixLayer(mock))
      ),
      scope
    ).pipe(Effect.tapError(() => Scope.close(scope, Exit.void)))
    const shards = yield* Effect.provide(ConduitShard.ConduitShard, context)
    const events: Array<ShardEvent.ShardEvent> = []
    yield* Effect.forkIn(
      Stream.runForEach(shards.shardEvents, (e) => Effect.sync(() => events.push(e))),
      scope
    )
    yield* Effect.forkIn(
      Stream.runForEach(
        shards.notifications(),
        (delivered) => Queue.offer(options.inbox, { process: options.index, delivered })
      ),
      scope
    )
    yield* Effect.yieldNow()
    return { index: options.index, shards, events, stop: Scope.close(scope, Exit.void) }
  })

const takeStreamOnline = (inbox: Queue.Queue<Received>): Effect.Effect<Received> =>
  Effect.flatMap(
    Queue.take(inbox),
    (r) => (broadcasterOf(r) === "" ? takeStreamOnline(inbox) : Effect.succeed(r))
  )

/** Takes `n` received `stream.online` notifications (skipping others, e.g. conduit.shard.disabled), failing after `ms`. */
export const takeN = (inbox: Queue.Queue<Received>, n: number, ms = 5_000) =>
  takeStreamOnline(inbox).pipe(
    Effect.replicateEffect(n),
    Effect.timeoutFail({
      duration: ms,
      onTimeout: () => new Error(`fewer than ${n} notifications within ${ms} ms`)
    })
  )

/** The broadcaster of a received `stream.online` notification. */
export const broadcasterOf = (r: Received): string =>
  r.delivered._tag === "Notification" && r.delivered.type === "stream.online"
    ? r.delivered.event.broadcasterUserId
    : ""

/** Polls `check` (real time) until it holds, for at most `ms`. */
export const eventually = <A>(check: Effect.Effect<A | undefined>, ms = 5_000): Effect.Effect<A> =>
  check.pipe(
    Effect.flatMap((
      value
    ) => (value === undefined ? Effect.fail("not yet" as const) : Effect.succeed(value))),
    Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.upTo(ms))),
    Effect.orElse(() => Effect.dieMessage("condition not met in time"))
  )

/** Fires `stream.online` once per channel; the message ids. */
export const fireAll = (mock: MockTwitch.MockTwitch.Service, ids: ReadonlyArray<string>) =>
  Effect.map(
    Effect.forEach(ids, (id) =>
      mock.eventSub.control.fire({ type: "stream.online", condition: { broadcaster_user_id: id } })),
    (fired) =>
      fired.flatMap((f) => f.messageIds)
  )

/** The message id of a received notification. */
export const messageIdOf = (r: Received): string => r.delivered.messageId

/** The mock's EventSub layer without IRC. */
export const mockLayer = MockTwitch.layer({ irc: false })

/** Runs `f` with a fresh mock. */
export const withMock = <A, E, R>(f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(MockTwitch.MockTwitch, f).pipe(Effect.provide(mockLayer))
