/**
 * One connection of the pool: a whole `ChatClient` (its own reconnects, keepalive, send queues and
 * the channels it joined, rejoined after every reconnect) in a scope of its own, whose messages
 * are pumped into the pool's hub and whose connection events into the pool's events.
 *
 * The pump keeps back-pressure end to end: when a stream of the pool is full, the hub pauses the
 * pump, the connection's own buffer fills, and that connection stops reading its socket (the
 * others go on).
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as PubSub from "effect/PubSub"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { ChatError, NotAuthorized } from "../../../TwitchError.js"
import type * as ChatClient from "../../ChatClient.js"
import * as drain from "../../internal/drain.js"
import type * as Hub from "../../internal/engine/hub.js"

type Failure = ChatError | NotAuthorized

/** A connection event with the number of the pool's connection it happened on. */
export interface PoolEvent {
  readonly connection: number
  readonly event: ChatClient.ConnectionEvent
}

/** What a connection needs from the pool. */
export interface Parts {
  /** Builds the connection's client (the pool's options and context applied). */
  readonly client: Effect.Effect<ChatClient.ChatClient.Service, Failure, Scope.Scope>
  /** Where connections live (closed with the pool). */
  readonly parent: Scope.Scope
  readonly hub: Hub.Hub
  readonly events: PubSub.PubSub<PoolEvent>
  /** The connection's client gave up (its message stream failed). */
  readonly onFatal: (error: Failure) => Effect.Effect<void>
  /** Runs when the connection's scope closes. */
  readonly onClose: Effect.Effect<void>
}

/** Pumps the client's messages into the hub, pausing while the hub says so. */
const pumpMessages = (client: ChatClient.ChatClient.Service, parts: Parts) =>
  Effect.gen(function*() {
    const latch = yield* Effect.makeLatch(true)
    const source: Hub.Source = { pause: () => latch.unsafeClose(), resume: () => latch.unsafeOpen() }
    // drained with a pull loop: Stream.runForEachChunk would make V8 promote every chunk (drain.ts)
    yield* drain.forEachChunk(client.stream({ overflow: "backpressure" }), (chunk) => {
      parts.hub.publish(Chunk.toArray(chunk), source)
      return latch.await
    }).pipe(
      Effect.catchAll(parts.onFatal),
      Effect.ensuring(Effect.sync(() => parts.hub.release(source)))
    )
  })

/** Opens connection number `connection`: its client, pumps and bookkeeping, in a scope of its own. */
export const open = (
  connection: number,
  parts: Parts
): Effect.Effect<ChatClient.ChatClient.Service, Failure> =>
  Effect.gen(function*() {
    const scope = yield* Scope.fork(parts.parent, ExecutionStrategy.sequential)
    const client = yield* parts.client.pipe(
      Scope.extend(scope),
      Effect.onExit((exit) => Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void)
    )
    yield* Scope.addFinalizer(scope, parts.onClose)
    yield* Effect.forkIn(pumpMessages(client, parts), scope)
    yield* Effect.forkIn(
      Stream.runForEach(client.events, (event) => PubSub.publish(parts.events, { connection, event })),
      scope
    )
    return client
  }).pipe(Effect.withSpan("chat.pool.open", { attributes: { "chat.pool.connection": connection } }))
