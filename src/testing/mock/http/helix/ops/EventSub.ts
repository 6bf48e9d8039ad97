/**
 * EventSub subscriptions and conduits: a plain working behaviour over the world's EventSub slice
 * (created, listed, deleted; conduits resized, shards updated). A dedicated EventSub module
 * (sessions, costs, limits) takes these operations over by listing handlers of its own in its
 * route module (`RouteModule.helixHandlers`).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import type { Shard, Subscription, Transport } from "../../../world/EventSubModels.js"
import { failHelix, paginate, type Reply } from "../../shared.js"
import {
  bodyNumber,
  bodyRecord,
  bodyString,
  data,
  fromWorld,
  type Handlers,
  type HelixRequest,
  json,
  noContent,
  page,
  required
} from "../Handler.js"

/**
 * Twitch's ceiling on a client's total subscription cost.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxTotalCost = 10_000

const transportJson = (t: Transport) => ({
  method: t.method,
  ...(t.callback === undefined ? {} : { callback: t.callback }),
  ...(t.sessionId === undefined ? {} : { session_id: t.sessionId }),
  ...(t.conduitId === undefined ? {} : { conduit_id: t.conduitId }),
  ...(t.connectedAt === undefined ? {} : { connected_at: t.connectedAt }),
  ...(t.disconnectedAt === undefined ? {} : { disconnected_at: t.disconnectedAt })
})

const subscriptionJson = (x: Subscription) => ({
  id: x.id,
  status: x.status,
  type: x.type,
  version: x.version,
  condition: x.condition,
  created_at: x.createdAt,
  transport: transportJson(x.transport),
  cost: x.cost
})

const shardJson = (x: Shard) => ({ id: x.id, status: x.status, transport: transportJson(x.transport) })

const text = (record: Readonly<Record<string, unknown>>, key: string): string | undefined => {
  const value = record[key]
  return typeof value === "string" ? value : undefined
}

type Method = Transport["method"]

/**
 * A transport of a request body, checked as Twitch checks it: subscriptions take `websocket` with
 * a user token and `webhook` or `conduit` with an app token; conduit shards take `webhook` or
 * `websocket`.
 */
const transportOf = (
  raw: Readonly<Record<string, unknown>>,
  allowed: ReadonlyArray<Method>,
  why: string
): Effect.Effect<Transport, Reply> => {
  const method = text(raw, "method")
  const callback = text(raw, "callback")
  const secret = text(raw, "secret") ?? ""
  if (
    method !== undefined && (method === "websocket" || method === "webhook" || method === "conduit") &&
    !allowed.includes(method)
  ) {
    return failHelix(400, `The ${method} transport ${why}.`)
  }
  switch (method) {
    case "websocket": {
      const sessionId = text(raw, "session_id")
      return sessionId === undefined || sessionId === ""
        ? failHelix(400, "The websocket transport requires a session_id.")
        : Effect.succeed({ method, sessionId })
    }
    case "webhook":
      if (callback === undefined || !callback.startsWith("https://")) {
        return failHelix(400, "The webhook transport requires an https callback.")
      }
      if (secret.length < 10 || secret.length > 100) {
        return failHelix(400, "The webhook secret must have 10 to 100 characters.")
      }
      return Effect.succeed({ method, callback })
    case "conduit": {
      const conduitId = text(raw, "conduit_id")
      return conduitId === undefined
        ? failHelix(400, "The conduit transport requires a conduit_id.")
        : Effect.succeed({ method, conduitId })
    }
    default:
      return failHelix(400, "The transport method must be webhook, websocket or conduit.")
  }
}

const totals = (mine: ReadonlyArray<Subscription>) => ({
  total: mine.length,
  total_cost: mine.reduce((n, x) => n + x.cost, 0),
  max_total_cost: maxTotalCost
})

const ownSubscriptions = (request: HelixRequest, all: ReadonlyArray<Subscription>) =>
  all.filter((x) => x.clientId === request.caller.clientId)

/**
 * The EventSub subscription handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const subscriptionHandlers: Handlers = {
  "create-eventsub-subscription": (request) =>
    Effect.gen(function*() {
      const user = Option.isSome(request.caller.user)
      const transport = yield* transportOf(
        bodyRecord(request, "transport"),
        user ? ["websocket"] : ["webhook", "conduit"],
        user ? "requires an app access token" : "requires a user access token"
      )
      const condition = Object.fromEntries(
        Object.entries(bodyRecord(request, "condition")).filter((e): e is [string, string] =>
          Predicate.isString(e[1])
        )
      )
      const subscription = yield* fromWorld(request.ctx.world.subscribe({
        clientId: request.caller.clientId,
        type: bodyString(request, "type") ?? "",
        version: bodyString(request, "version") ?? "1",
        condition,
        transport,
        cost: user ? 0 : 1
      }))
      const mine = ownSubscriptions(request, (yield* request.ctx.world.snapshot).subscriptions)
      return json({ data: [subscriptionJson(subscription)], ...totals(mine) }, 202)
    }),

  "delete-eventsub-subscription": (request) =>
    Effect.as(
      fromWorld(request.ctx.world.unsubscribe(request.caller.clientId, required(request, "id"))),
      noContent
    ),

  "get-eventsub-subscriptions": (request) =>
    Effect.gen(function*() {
      const q = request.query
      const mine = ownSubscriptions(request, request.state.subscriptions)
      const userId = q.get("user_id")
      const found = mine.filter((x) =>
        (q.get("status") === undefined || x.status === q.get("status")) &&
        (q.get("type") === undefined || x.type === q.get("type")) &&
        (q.get("subscription_id") === undefined || x.id === q.get("subscription_id")) &&
        (userId === undefined || Object.values(x.condition).includes(userId))
      )
      const { cursor, data: items } = yield* paginate(q, found, { defaultFirst: 100, allowBefore: false })
      return page(items.map(subscriptionJson), cursor, totals(mine))
    })
}

const conduitJson = (c: { readonly id: string; readonly shards: ReadonlyArray<Shard> }) => ({
  id: c.id,
  shard_count: c.shards.length
})

const shardCount = (request: HelixRequest): Effect.Effect<number, Reply> => {
  const count = bodyNumber(request, "shard_count") ?? 0
  return count >= 1 && count <= 20_000
    ? Effect.succeed(count)
    : failHelix(400, "The shard_count field must be between 1 and 20000.")
}

/**
 * The conduit handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const conduitHandlers: Handlers = {
  "get-conduits": (request) =>
    Effect.succeed(
      data(request.state.conduits.filter((c) => c.clientId === request.caller.clientId).map(conduitJson))
    ),

  "create-conduits": (request) =>
    Effect.gen(function*() {
      const conduit = yield* fromWorld(
        request.ctx.world.createConduit(request.caller.clientId, yield* shardCount(request))
      )
      return data([conduitJson(conduit)])
    }),

  "update-conduits": (request) =>
    Effect.gen(function*() {
      const conduit = yield* fromWorld(
        request.ctx.world.resizeConduit(
          request.caller.clientId,
          bodyString(request, "id") ?? "",
          yield* shardCount(request)
        )
      )
      return data([conduitJson(conduit)])
    }),

  "delete-conduit": (request) =>
    Effect.as(
      fromWorld(request.ctx.world.deleteConduit(request.caller.clientId, required(request, "id"))),
      noContent
    ),

  "get-conduit-shards": (request) =>
    Effect.gen(function*() {
      const conduitId = required(request, "conduit_id")
      const conduit = request.state.conduits.find((c) =>
        c.id === conduitId && c.clientId === request.caller.clientId
      )
      if (conduit === undefined) return yield* failHelix(404, "The conduit was not found.")
      const status = request.query.get("status")
      const found = conduit.shards.filter((x) => status === undefined || x.status === status)
      const { cursor, data: items } = yield* paginate(request.query, found, {
        defaultFirst: 100,
        allowBefore: false,
        max: 1000
      })
      return page(items.map(shardJson), cursor)
    }),

  "update-conduit-shards": (request) =>
    Effect.gen(function*() {
      const raw = request.body["shards"]
      const updates: Array<{ readonly id: string; readonly transport: Transport }> = []
      for (const shard of Array.isArray(raw) ? raw : []) {
        if (!Predicate.isRecord(shard)) continue
        const transport = yield* transportOf(
          Predicate.isRecord(shard["transport"]) ? shard["transport"] : {},
          ["webhook", "websocket"],
          "is not a shard transport"
        )
        updates.push({ id: text(shard, "id") ?? "", transport })
      }
      const result = yield* fromWorld(
        request.ctx.world.updateShards(
          request.caller.clientId,
          bodyString(request, "conduit_id") ?? "",
          updates
        )
      )
      return json({ data: result.updated.map(shardJson), errors: result.errors }, 202)
    })
}
