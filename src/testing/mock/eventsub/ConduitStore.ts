/**
 * The conduit store's rules as pure functions over the map of conduits: a client's conduits (at
 * most 5, each of 1 to 20,000 shards with ids `0` to `n-1`), resize (growing adds unassigned
 * shards, shrinking drops the shards past the new count), shards backed by a WebSocket session
 * that ended (disabled with the session's close status) or moved to a reconnect URL's session, the
 * time since which no shard is enabled (a conduit idle for 72 h is deleted), and the routing of a
 * notification: a hash of the channel id picks the shard, and when that one is down one other
 * enabled shard, picked by a second hash, gets the one retry.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Facts from "./Facts.js"
import type { Refusal } from "./Rules.js"
import type { Conduit, Shard, Subscription } from "./State.js"

type Conduits = ReadonlyMap<string, Conduit>

const refuse = (status: Refusal["status"], message: string): Either.Either<never, Refusal> =>
  Either.left({ status, message })

/**
 * A shard nobody assigned yet: a WebSocket shard without a session, `websocket_disconnected`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unassigned = (index: number): Shard => ({
  id: String(index),
  status: "websocket_disconnected",
  transport: { method: "websocket", sessionId: undefined, connectedAt: undefined, disconnectedAt: undefined },
  failures: 0
})

/**
 * Whether a shard takes notifications.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isEnabled = (shard: Shard): boolean => shard.status === "enabled"

/** Keeps `idleSince` in step with the shards: set when none is enabled, cleared when one is. */
const settle = (conduit: Conduit, now: number): Conduit => {
  const idle = !conduit.shards.some(isEnabled)
  if (idle === (conduit.idleSince !== undefined)) return conduit
  return { ...conduit, idleSince: idle ? now : undefined }
}

/**
 * A `shard_count` as Twitch takes it: an integer from 1 to 20,000.
 *
 * @since 0.1.0
 * @category rules
 */
export const shardCountOf = (value: unknown): Either.Either<number, Refusal> => {
  const max = Facts.conduitLimits.maxShardsPerConduit
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= max
    ? Either.right(value)
    : refuse(400, `shard_count must be an integer from 1 to ${max}`)
}

/**
 * A client's conduit by id.
 *
 * @since 0.1.0
 * @category store
 */
export const owned = (conduits: Conduits, clientId: string, id: string): Conduit | undefined => {
  const conduit = conduits.get(id)
  return conduit !== undefined && conduit.clientId === clientId ? conduit : undefined
}

/**
 * A client's conduits, oldest first.
 *
 * @since 0.1.0
 * @category store
 */
export const ownedBy = (conduits: Conduits, clientId: string): ReadonlyArray<Conduit> =>
  [...conduits.values()].filter((c) => c.clientId === clientId)

const notFound = refuse(404, "conduit not found")

/**
 * Adds a conduit of `shardCount` unassigned shards; 429 when the client has 5 already.
 *
 * @since 0.1.0
 * @category store
 */
export const create = (
  conduits: Conduits,
  conduit: { readonly id: string; readonly clientId: string; readonly shardCount: number },
  now: number
): Either.Either<readonly [Conduit, Conduits], Refusal> => {
  const max = Facts.conduitLimits.maxEnabledConduitsPerClient
  if (ownedBy(conduits, conduit.clientId).length >= max) {
    return refuse(429, `conduit limit reached: a client may have at most ${max} conduits`)
  }
  const made: Conduit = {
    id: conduit.id,
    clientId: conduit.clientId,
    shards: Array.from({ length: conduit.shardCount }, (_, i) => unassigned(i)),
    idleSince: now
  }
  return Either.right([made, new Map(conduits).set(made.id, made)])
}

/**
 * Changes the shard count: new shards are unassigned, shards past the new count are dropped.
 *
 * @since 0.1.0
 * @category store
 */
export const resize = (
  conduits: Conduits,
  clientId: string,
  id: string,
  shardCount: number,
  now: number
): Either.Either<readonly [Conduit, Conduits], Refusal> => {
  const conduit = owned(conduits, clientId, id)
  if (conduit === undefined) return notFound
  const shards = Array.from({ length: shardCount }, (_, i) => conduit.shards[i] ?? unassigned(i))
  const next = settle({ ...conduit, shards }, now)
  return Either.right([next, new Map(conduits).set(id, next)])
}

/**
 * Deletes a client's conduit.
 *
 * @since 0.1.0
 * @category store
 */
export const remove = (
  conduits: Conduits,
  clientId: string,
  id: string
): Either.Either<Conduits, Refusal> => {
  if (owned(conduits, clientId, id) === undefined) return notFound
  const next = new Map(conduits)
  next.delete(id)
  return Either.right(next)
}

/**
 * Changes the shards of one conduit with `f` (which returns them unchanged when nothing changes).
 *
 * @since 0.1.0
 * @category store
 */
export const updateShards = (
  conduits: Conduits,
  conduitId: string,
  f: (shard: Shard) => Shard,
  now: number
): Conduits => {
  const conduit = conduits.get(conduitId)
  if (conduit === undefined) return conduits
  let changed = false
  const shards = conduit.shards.map((shard) => {
    const next = f(shard)
    if (next !== shard) changed = true
    return next
  })
  return changed ? new Map(conduits).set(conduitId, settle({ ...conduit, shards }, now)) : conduits
}

/**
 * Changes one shard of a conduit with `f`.
 *
 * @since 0.1.0
 * @category store
 */
export const updateShard = (
  conduits: Conduits,
  conduitId: string,
  shardId: string,
  f: (shard: Shard) => Shard,
  now: number
): Conduits => updateShards(conduits, conduitId, (shard) => (shard.id === shardId ? f(shard) : shard), now)

/** Applies `f` to the shards of every conduit. */
const everyShard = (conduits: Conduits, f: (shard: Shard) => Shard, now: number): Conduits => {
  let next = conduits
  for (const id of conduits.keys()) next = updateShards(next, id, f, now)
  return next
}

const backedBy = (shard: Shard, sessionId: string): boolean =>
  shard.transport.method === "websocket" && shard.transport.sessionId === sessionId

/**
 * Disables the enabled shards a session backed, with the status of its end.
 *
 * @since 0.1.0
 * @category store
 */
export const disableSession = (
  conduits: Conduits,
  sessionId: string,
  status: string,
  now: number,
  timestamp: string
): Conduits =>
  everyShard(
    conduits,
    (shard) =>
      shard.transport.method === "websocket" && backedBy(shard, sessionId) && isEnabled(shard)
        ? { ...shard, status, transport: { ...shard.transport, disconnectedAt: timestamp } }
        : shard,
    now
  )

/**
 * Moves the shards of a session to the session that replaced it after `session_reconnect`.
 *
 * @since 0.1.0
 * @category store
 */
export const moveSession = (
  conduits: Conduits,
  from: string,
  to: string,
  connectedAt: string,
  now: number
): Conduits =>
  everyShard(
    conduits,
    (shard) =>
      shard.transport.method === "websocket" && backedBy(shard, from) && isEnabled(shard)
        ? { ...shard, transport: { ...shard.transport, sessionId: to, connectedAt } }
        : shard,
    now
  )

/**
 * How long a conduit may have no enabled shard before it is deleted (72 h).
 *
 * @since 0.1.0
 * @category constants
 */
export const idleLifetimeMs = Facts.conduitLimits.conduitDeletedAfterHoursWithAllShardsDisabled * 3600_000

/**
 * When a conduit is deleted if no shard is enabled before then.
 *
 * @since 0.1.0
 * @category store
 */
export const deadline = (conduit: Conduit): number | undefined =>
  conduit.idleSince === undefined ? undefined : conduit.idleSince + idleLifetimeMs

/**
 * The conduits whose deadline has passed.
 *
 * @since 0.1.0
 * @category store
 */
export const expired = (conduits: Conduits, now: number): ReadonlyArray<Conduit> =>
  [...conduits.values()].filter((c) => (deadline(c) ?? Number.POSITIVE_INFINITY) <= now)

/**
 * The nearest deadline of any conduit.
 *
 * @since 0.1.0
 * @category store
 */
export const nextDeadline = (conduits: Conduits): number | undefined => {
  let next: number | undefined
  for (const conduit of conduits.values()) {
    const at = deadline(conduit)
    if (at !== undefined && (next === undefined || at < next)) next = at
  }
  return next
}

/**
 * FNV-1a of a string, as an unsigned 32-bit integer.
 *
 * @since 0.1.0
 * @category routing
 */
export const hash = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

const channelFields = [
  "broadcaster_user_id",
  "broadcaster_id",
  "to_broadcaster_user_id",
  "from_broadcaster_user_id",
  "user_id",
  "client_id",
  "conduit_id"
]

/**
 * What a subscription's notifications are routed by: the channel id of its condition (the
 * broadcaster, else the user, client or conduit it is about), else its id.
 *
 * @since 0.1.0
 * @category routing
 */
export const routingKey = (sub: Subscription): string => {
  for (const field of channelFields) {
    const value = sub.condition[field]
    if (value !== undefined && value !== "") return value
  }
  return sub.id
}

/**
 * The shard a routing key hashes to.
 *
 * @since 0.1.0
 * @category routing
 */
export const primary = (conduit: Conduit, key: string): Shard | undefined =>
  conduit.shards[hash(key) % Math.max(1, conduit.shards.length)]

/**
 * The shard of the one retry when `missed` was down: another enabled shard, picked by a second
 * hash of the key (so a channel's retries go to the same shard while the shards stay as they are).
 *
 * @since 0.1.0
 * @category routing
 */
export const fallback = (conduit: Conduit, key: string, missed: Shard): Shard | undefined => {
  const others = conduit.shards.filter((s) => s !== missed && isEnabled(s))
  return others.length === 0 ? undefined : others[hash(`${key}#retry`) % others.length]
}

/**
 * A conduit as Get Conduits shows it.
 *
 * @since 0.1.0
 * @category wire
 */
export const conduitJson = (conduit: Conduit): Record<string, unknown> => ({
  id: conduit.id,
  shard_count: conduit.shards.length
})

/**
 * A shard as Get Conduit Shards shows it (no secret).
 *
 * @since 0.1.0
 * @category wire
 */
export const shardJson = (shard: Shard): Record<string, unknown> => ({
  id: shard.id,
  status: shard.status,
  transport: transportJson(shard)
})

/**
 * A shard's transport as Twitch shows it (the `transport` of `conduit.shard.disabled` too).
 *
 * @since 0.1.0
 * @category wire
 */
export const transportJson = (shard: Shard): Readonly<Record<string, string>> => {
  const t = shard.transport
  if (t.method === "webhook") return { method: t.method, callback: t.callback }
  return {
    method: t.method,
    ...(t.sessionId === undefined ? {} : { session_id: t.sessionId }),
    ...(t.connectedAt === undefined ? {} : { connected_at: t.connectedAt }),
    ...(t.disconnectedAt === undefined ? {} : { disconnected_at: t.disconnectedAt })
  }
}
