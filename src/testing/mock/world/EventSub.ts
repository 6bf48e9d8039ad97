/**
 * The world's EventSub subscriptions and conduits, per client id: a plain working behaviour
 * (created, listed, deleted; conduits with shards) that a dedicated EventSub module can build on
 * or replace (sessions, costs and limits are its business).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import { WorldEvent } from "./Events.js"
import type { Conduit, Shard, Subscription, Transport } from "./EventSubModels.js"
import { rfc3339 } from "./Fixtures.js"
import type { WorldState } from "./State.js"
import { newUuid, type Store, type Transition } from "./Store.js"
import { fail, type WorldError } from "./WorldError.js"

/**
 * Input of {@link Service.subscribe}.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewSubscription {
  readonly clientId: string
  readonly type: string
  readonly version: string
  readonly condition: Readonly<Record<string, string>>
  readonly transport: Transport
  readonly cost: number
}

/**
 * A shard update of {@link Service.updateShards}, and what came of each.
 *
 * @since 0.1.0
 * @category models
 */
export interface ShardUpdates {
  readonly updated: ReadonlyArray<Shard>
  readonly errors: ReadonlyArray<{ readonly id: string; readonly message: string; readonly code: string }>
}

/**
 * The EventSub part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** A subscription (`Conflict` for the same type, version, condition and transport). */
  readonly subscribe: (input: NewSubscription) => Effect.Effect<Subscription, WorldError>
  readonly unsubscribe: (clientId: string, id: string) => Effect.Effect<void, WorldError>
  readonly createConduit: (clientId: string, shardCount: number) => Effect.Effect<Conduit, WorldError>
  readonly resizeConduit: (
    clientId: string,
    id: string,
    shardCount: number
  ) => Effect.Effect<Conduit, WorldError>
  readonly deleteConduit: (clientId: string, id: string) => Effect.Effect<void, WorldError>
  readonly updateShards: (
    clientId: string,
    conduitId: string,
    shards: ReadonlyArray<{ readonly id: string; readonly transport: Transport }>
  ) => Effect.Effect<ShardUpdates, WorldError>
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

const subscribe = (input: NewSubscription): Transition<Subscription> => (s, now) => {
  const duplicate = s.subscriptions.some((x) =>
    x.clientId === input.clientId && x.type === input.type && x.version === input.version &&
    sameJson(x.condition, input.condition) && sameJson(x.transport, input.transport)
  )
  if (duplicate) return fail("Conflict", "subscription already exists")
  if (
    input.transport.method === "conduit" &&
    !s.conduits.some((c) => c.id === input.transport.conduitId && c.clientId === input.clientId)
  ) {
    return fail("InvalidInput", "The conduit_id names no conduit of this client.")
  }
  const [id, s1] = newUuid(s)
  const subscription: Subscription = {
    ...input,
    condition: { ...input.condition },
    id,
    status: input.transport.method === "webhook" ? "webhook_callback_verification_pending" : "enabled",
    createdAt: rfc3339(now),
    transport: input.transport.method === "websocket"
      ? { ...input.transport, connectedAt: rfc3339(now) }
      : input.transport
  }
  return [subscription, { ...s1, subscriptions: [...s1.subscriptions, subscription] }]
}

const shardsOf = (count: number, from: ReadonlyArray<Shard> = []): ReadonlyArray<Shard> =>
  Array.from(
    { length: count },
    (_, i) =>
      from[i] ?? { id: String(i), status: "websocket_disconnected", transport: { method: "websocket" } }
  )

const ownConduit = (s: WorldState, clientId: string, id: string): Conduit | WorldError =>
  s.conduits.find((c) => c.id === id && c.clientId === clientId) ??
    fail("NotFound", "The conduit was not found.")

const withConduit = (s: WorldState, conduit: Conduit): WorldState => ({
  ...s,
  conduits: s.conduits.map((c) => (c.id === conduit.id ? conduit : c))
})

const updateShards = (
  clientId: string,
  conduitId: string,
  updates: Parameters<Service["updateShards"]>[2]
): Transition<ShardUpdates> =>
(s, now) => {
  const conduit = ownConduit(s, clientId, conduitId)
  if (!("id" in conduit)) return conduit
  const updated: Array<Shard> = []
  const errors: Array<ShardUpdates["errors"][number]> = []
  const shards = [...conduit.shards]
  for (const update of updates) {
    const index = shards.findIndex((x) => x.id === update.id)
    if (index < 0) {
      errors.push({
        id: update.id,
        message: "The shard id is outside the conduit's range",
        code: "invalid_parameter"
      })
      continue
    }
    const websocket = update.transport.method === "websocket"
    const shard: Shard = {
      id: update.id,
      status: websocket ? "enabled" : "webhook_callback_verification_pending",
      transport: websocket ? { ...update.transport, connectedAt: rfc3339(now) } : update.transport
    }
    shards[index] = shard
    updated.push(shard)
  }
  return [{ updated, errors }, withConduit(s, { ...conduit, shards })]
}

/**
 * The EventSub operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ publish, transition }: Store): Service => ({
  subscribe: (input) =>
    transition(subscribe(input)).pipe(
      Effect.tap((subscription) =>
        publish(WorldEvent.EventSubSubscriptionChanged({ subscription, removed: false }))
      )
    ),
  unsubscribe: (clientId, id) =>
    transition((s): readonly [Subscription, WorldState] | WorldError => {
      const found = s.subscriptions.find((x) => x.id === id && x.clientId === clientId)
      if (found === undefined) return fail("NotFound", "subscription not found")
      return [found, { ...s, subscriptions: s.subscriptions.filter((x) => x !== found) }]
    }).pipe(
      Effect.tap((subscription) =>
        publish(WorldEvent.EventSubSubscriptionChanged({ subscription, removed: true }))
      ),
      Effect.asVoid
    ),
  createConduit: (clientId, shardCount) =>
    transition((s) => {
      if (s.conduits.filter((c) => c.clientId === clientId).length >= 5) {
        return fail("RateLimited", "The client has the maximum of 5 conduits.")
      }
      const [id, s1] = newUuid(s)
      const conduit: Conduit = { id, clientId, shards: shardsOf(shardCount) }
      return [conduit, { ...s1, conduits: [...s1.conduits, conduit] }]
    }),
  resizeConduit: (clientId, id, shardCount) =>
    transition((s) => {
      const conduit = ownConduit(s, clientId, id)
      if (!("id" in conduit)) return conduit
      const next: Conduit = { ...conduit, shards: shardsOf(shardCount, conduit.shards) }
      return [next, withConduit(s, next)]
    }),
  deleteConduit: (clientId, id) =>
    transition((s): readonly [void, WorldState] | WorldError => {
      const conduit = ownConduit(s, clientId, id)
      if (!("id" in conduit)) return conduit
      return [undefined, {
        ...s,
        conduits: s.conduits.filter((c) => c !== conduit),
        subscriptions: s.subscriptions.filter((x) => x.transport.conduitId !== id)
      }]
    }),
  updateShards: (clientId, conduitId, shards) => transition(updateShards(clientId, conduitId, shards))
})
