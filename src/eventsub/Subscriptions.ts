/**
 * Managing EventSub subscriptions on Twitch: list them with their status, delete one, delete those
 * of dead WebSocket sessions (`websocket_disconnected` and the other `websocket_*` failure
 * statuses: Twitch keeps showing them for a while, and deleting them frees nothing it counts, but
 * keeps lists readable), or delete any that match a predicate. Over the generated `EventSubApi`.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as EventSubApi from "../helix/generated/EventSubApi.js"
import type { EventSubSubscription } from "../helix/generated/models.js"
import type { GetEventsubSubscriptionsParams } from "../helix/generated/Operations.js"
import * as OperationRunner from "../helix/OperationRunner.js"
import type { HelixError } from "../TwitchError.js"

/**
 * The statuses of subscriptions whose WebSocket session is gone.
 *
 * @since 0.1.0
 * @category constants
 */
export const deadSessionStatuses: ReadonlySet<string> = new Set([
  "websocket_disconnected",
  "websocket_failed_ping_pong",
  "websocket_received_inbound_traffic",
  "websocket_connection_unused",
  "websocket_internal_error",
  "websocket_network_timeout",
  "websocket_network_error",
  "websocket_failed_to_reconnect"
])

/**
 * The management service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class EventSubSubscriptions extends Context.Tag("effect-twitcher/eventsub/EventSubSubscriptions")<
  EventSubSubscriptions,
  EventSubSubscriptions.Service
>() {}

/**
 * @since 0.1.0
 */
export declare namespace EventSubSubscriptions {
  /**
   * What the service offers.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The token's subscriptions (one filter of status, type or user id at most, as Twitch allows). */
    readonly list: (
      filter?: GetEventsubSubscriptionsParams
    ) => Stream.Stream<EventSubSubscription, HelixError>
    readonly delete: (id: string) => Effect.Effect<void, HelixError>
    /** Deletes those matching `predicate`; returns what was deleted. */
    readonly deleteWhere: (
      predicate: (subscription: EventSubSubscription) => boolean
    ) => Effect.Effect<ReadonlyArray<EventSubSubscription>, HelixError>
    /** Deletes those of dead WebSocket sessions; returns what was deleted. */
    readonly deleteDisconnected: Effect.Effect<ReadonlyArray<EventSubSubscription>, HelixError>
    /** How many there are by status. */
    readonly countByStatus: Effect.Effect<Readonly<Record<string, number>>, HelixError>
  }
}

/**
 * Builds the service over the generated `EventSubApi`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<EventSubSubscriptions.Service, never, EventSubApi.EventSubApi> = Effect.map(
  EventSubApi.EventSubApi,
  (api) => {
    const list: EventSubSubscriptions.Service["list"] = (filter) =>
      OperationRunner.builtParamsStream(api.subscriptions(filter ?? {}))
    const remove: EventSubSubscriptions.Service["delete"] = (id) =>
      OperationRunner.builtParams(api.unsubscribe({ id }))
    const deleteWhere: EventSubSubscriptions.Service["deleteWhere"] = (predicate) =>
      list().pipe(
        Stream.filter(predicate),
        Stream.runCollect,
        Effect.flatMap((found) =>
          Effect.as(Effect.forEach(found, (s) => remove(s.id), { concurrency: 4 }), [...found])
        )
      )
    return EventSubSubscriptions.of({
      list,
      delete: remove,
      deleteWhere,
      deleteDisconnected: deleteWhere((s) => deadSessionStatuses.has(s.status)),
      countByStatus: Stream.runFold(list(), {} as Record<string, number>, (counts, s) => ({
        ...counts,
        [s.status]: (counts[s.status] ?? 0) + 1
      }))
    })
  }
)

/**
 * The management layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<EventSubSubscriptions, never, EventSubApi.EventSubApi> = Layer.effect(
  EventSubSubscriptions,
  make
)
