/**
 * Conduits on Twitch, through the generated Helix `Conduits` service (the one Helix pipeline: the
 * app token of `TwitchAuth`, the bucket, retries, typed errors): list, create, resize, delete, list
 * shards, and `ensure`, the conduit a fleet starts from (the one with this id, else the client's
 * first, else a new one), grown to at least the shards the fleet runs. Twitch allows 5 conduits
 * per client and 20,000 shards per conduit; shrinking a conduit drops its last shards (their
 * channels move to the others).
 *
 * ```ts
 * const conduit = yield* Conduit.ensure({ shardCount: 3 })
 * yield* Conduit.resize(conduit.id, 6)
 * ```
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Conduits from "../../helix/generated/Conduits.js"
import type { ConduitShardsData } from "../../helix/generated/models.js"
import * as OperationRunner from "../../helix/OperationRunner.js"
import type { HelixError } from "../../TwitchError.js"

/**
 * A conduit: its id and how many shards it has.
 *
 * @since 0.1.0
 * @category models
 */
export interface Conduit {
  readonly id: string
  readonly shardCount: number
}

/**
 * A shard's status as Twitch documents it: `enabled`, a webhook's verification or failures, or why
 * a WebSocket shard's session ended.
 *
 * @since 0.1.0
 * @category constants
 */
export const shardStatuses = [
  "enabled",
  "webhook_callback_verification_pending",
  "webhook_callback_verification_failed",
  "notification_failures_exceeded",
  "websocket_disconnected",
  "websocket_failed_ping_pong",
  "websocket_received_inbound_traffic",
  "websocket_internal_error",
  "websocket_network_timeout",
  "websocket_network_error",
  "websocket_failed_to_reconnect"
] as const

/**
 * One of {@link shardStatuses}.
 *
 * @since 0.1.0
 * @category models
 */
export type ShardStatus = typeof shardStatuses[number]

/**
 * Twitch's limits: conduits per client, shards per conduit.
 *
 * @since 0.1.0
 * @category constants
 */
export const limits = { conduitsPerClient: 5, shardsPerConduit: 20_000 } as const

const plain = (c: { readonly id: string; readonly shardCount: number }): Conduit => ({
  id: c.id,
  shardCount: c.shardCount
})

const first = <A extends { readonly id: string; readonly shardCount: number }>(
  items: ReadonlyArray<A>,
  what: string
): Effect.Effect<Conduit> =>
  items[0] === undefined
    ? Effect.dieMessage(`Twitch answered ${what} without the conduit`)
    : Effect.succeed(plain(items[0]))

/**
 * The client's conduits.
 *
 * @since 0.1.0
 * @category conduits
 */
export const list: Effect.Effect<ReadonlyArray<Conduit>, HelixError, Conduits.Conduits> = Effect.flatMap(
  Conduits.Conduits,
  (api) => Effect.map(OperationRunner.builtParams(api.list()), (items) => items.map(plain))
).pipe(Effect.withSpan("Conduit list"))

/**
 * A conduit of the client by id.
 *
 * @since 0.1.0
 * @category conduits
 */
export const find = (id: string): Effect.Effect<Option.Option<Conduit>, HelixError, Conduits.Conduits> =>
  Effect.map(list, (all) => Option.fromNullable(all.find((c) => c.id === id)))

/**
 * Creates a conduit of `shardCount` shards (1 to 20,000); Twitch answers 429 past 5 conduits.
 *
 * @since 0.1.0
 * @category conduits
 */
export const create = (shardCount: number): Effect.Effect<Conduit, HelixError, Conduits.Conduits> =>
  Effect.flatMap(
    Conduits.Conduits,
    (api) =>
      OperationRunner.builtParams(api.create({ shardCount })).pipe(
        Effect.flatMap((items) => first(items, "create"))
      )
  ).pipe(
    Effect.withSpan("Conduit create", { attributes: { "twitch.conduit.shard_count": shardCount } })
  )

/**
 * Changes a conduit's shard count: new shards are unassigned; shrinking drops the last shards.
 *
 * @since 0.1.0
 * @category conduits
 */
export const resize = (
  id: string,
  shardCount: number
): Effect.Effect<Conduit, HelixError, Conduits.Conduits> =>
  Effect.flatMap(Conduits.Conduits, (api) =>
    OperationRunner.builtParams(api.update({ id, shardCount })).pipe(
      Effect.flatMap((items) => first(items, "update"))
    )).pipe(
      Effect.withSpan("Conduit resize", {
        attributes: { "twitch.conduit.id": id, "twitch.conduit.shard_count": shardCount }
      })
    )

/**
 * Deletes a conduit (Twitch disables its subscriptions).
 *
 * @since 0.1.0
 * @category conduits
 */
export const remove = (id: string): Effect.Effect<void, HelixError, Conduits.Conduits> =>
  Effect.flatMap(Conduits.Conduits, (api) => OperationRunner.builtParams(api.delete({ id }))).pipe(
    Effect.withSpan("Conduit delete", { attributes: { "twitch.conduit.id": id } })
  )

/**
 * A conduit's shards with their status and transport (of one status when given), every page of
 * Get Conduit Shards fetched on pull.
 *
 * @since 0.1.0
 * @category conduits
 */
export const shards = (
  id: string,
  status?: ShardStatus
): Stream.Stream<ConduitShardsData, HelixError, Conduits.Conduits> =>
  Stream.unwrap(
    Effect.map(
      Conduits.Conduits,
      (api) =>
        OperationRunner.builtParamsStream(
          api.shards(status === undefined ? { conduitId: id } : { conduitId: id, status })
        )
    )
  )

/**
 * The conduit a fleet runs on: the one with `id` when given (`None` when the client has no such
 * conduit), else the client's first, else a new one; grown to `shardCount` when it has fewer shards.
 *
 * @since 0.1.0
 * @category conduits
 */
export const ensure = (options: {
  readonly shardCount: number
  readonly id?: string | undefined
}): Effect.Effect<Option.Option<Conduit>, HelixError, Conduits.Conduits> =>
  Effect.gen(function*() {
    const all = yield* list
    const found = options.id === undefined ? all[0] : all.find((c) => c.id === options.id)
    if (found === undefined) {
      return options.id === undefined ? Option.some(yield* create(options.shardCount)) : Option.none()
    }
    return Option.some(
      found.shardCount >= options.shardCount ? found : yield* resize(found.id, options.shardCount)
    )
  }).pipe(Effect.withSpan("Conduit ensure"))
