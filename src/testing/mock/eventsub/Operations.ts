/**
 * The Helix operations of EventSub subscriptions, one handler per operationId
 * (`create-eventsub-subscription`, `get-eventsub-subscriptions`, `delete-eventsub-subscription`),
 * independent of routing: each takes the authenticated token, the query parameters and the parsed
 * body, and answers as Twitch does (202 with the subscription and the totals, 200 with a page, 204;
 * Twitch's error body on 400, 401, 403, 404, 409 and 429). Authentication and the `Ratelimit-*`
 * headers are the router's (`Routes.ts`, or the Helix router's).
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as SubscriptionRef from "effect/SubscriptionRef"
import { helixError, json, paginate, type Params, replying } from "../http/shared.js"
import type * as MockWorld from "../World.js"
import * as ChatEvents from "./ChatEvents.js"
import * as ConduitStore from "./ConduitStore.js"
import * as Facts from "./Facts.js"
import * as Rules from "./Rules.js"
import * as Sessions from "./Sessions.js"
import { conduits, type Env, type Subscription, type Transport, updateSubscriptions } from "./State.js"
import * as Subscriptions from "./Subscriptions.js"
import * as Time from "./Time.js"
import * as Webhook from "./Webhook.js"

/**
 * An authenticated request to one of the operations.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  /** The validated token (its client id matched the `Client-Id` header). */
  readonly token: MockWorld.Token
  readonly params: Params
  /** The parsed JSON body (`undefined` when there is none or it is not JSON). */
  readonly body: unknown
}

/**
 * A handler of one operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Handler = (env: Env, request: Request) => Effect.Effect<HttpServerResponse.HttpServerResponse>

const ownerOf = (token: MockWorld.Token): Subscriptions.Owner => ({
  clientId: token.clientId,
  userId: token.userId
})

const refusal = (r: Rules.Refusal) => helixError(r.status, r.message)

/** The transport record of a new subscription, or why there is none. */
const transportFor = (
  env: Env,
  requested: Rules.RequestedTransport,
  clientId: string
): Effect.Effect<Either.Either<Transport, Rules.Refusal>> => {
  switch (requested.method) {
    case "websocket":
      return Effect.map(Sessions.find(env, requested.sessionId), (session) =>
        Option.match(session, {
          onNone: () =>
            Either.left({
              status: 400 as const,
              message: "websocket transport session does not exist or has already disconnected"
            }),
          onSome: (s) =>
            Either.right({
              method: "websocket" as const,
              sessionId: s.id,
              connectedAt: s.connectedAt,
              disconnectedAt: undefined
            })
        }))
    case "webhook":
      return Effect.succeed(Either.right({
        method: "webhook" as const,
        callback: requested.callback,
        secret: Redacted.make(requested.secret)
      }))
    case "conduit":
      return Effect.map(
        conduits(env),
        (all) =>
          ConduitStore.owned(all, clientId, requested.conduitId) === undefined
            ? Either.left({ status: 400 as const, message: `conduit ${requested.conduitId} does not exist` })
            : Either.right({ method: "conduit" as const, conduitId: requested.conduitId })
      )
  }
}

/** `conduit.shard.disabled`: a conduit named in the condition must be the client's. */
const conduitOwned = (env: Env, request: Rules.CreateRequest, clientId: string) =>
  Effect.map(conduits(env), (all): Either.Either<void, Rules.Refusal> => {
    const id = request.condition["conduit_id"] ?? ""
    return request.spec.auth.conduitOwnerMustBeClient !== true || id === "" ||
        ConduitStore.owned(all, clientId, id) !== undefined
      ? Either.void
      : Either.left({ status: 403, message: `conduit ${id} is not a conduit of this client` })
  })

/** After a subscription was admitted: mark its session used, verify its callback, join its chat. */
const afterCreate = (env: Env, sub: Subscription) =>
  Effect.gen(function*() {
    const t = sub.transport
    if (t.method === "websocket") {
      const session = yield* Sessions.find(env, t.sessionId)
      const used = Option.isSome(session) &&
        !(yield* Ref.modify(session.value.live, (l) => [l.closed, { ...l, used: true }] as const))
      if (!used) {
        // The session ended between the lookup and the admission: disabled like its others.
        const now = yield* Clock.currentTimeMillis
        yield* updateSubscriptions(env, (subs) =>
          Subscriptions.setStatus(subs, sub.id, "websocket_disconnected", now))
      }
    } else if (t.method === "webhook") {
      yield* Effect.forkIn(Webhook.challenge(env, sub), env.scope)
    }
    const tap = yield* Ref.get(env.state.chatTap)
    const room = ChatEvents.roomOf(sub.type, sub.condition)
    if (Option.isSome(tap) && room !== undefined) {
      yield* tap.value.ensure(room)
    }
  })

/**
 * `POST /helix/eventsub/subscriptions`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const create: Handler = (env, { body, token }) =>
  Effect.gen(function*() {
    const s = yield* env.world.snapshot
    const parsed = Rules.parseCreate(body, token, s)
    if (Either.isLeft(parsed)) return refusal(parsed.left)
    const cost = Rules.authorize(parsed.right, token, s)
    if (Either.isLeft(cost)) return refusal(cost.left)
    const owned = yield* conduitOwned(env, parsed.right, token.clientId)
    if (Either.isLeft(owned)) return refusal(owned.left)
    const transport = yield* transportFor(env, parsed.right.transport, token.clientId)
    if (Either.isLeft(transport)) return refusal(transport.left)
    const sub: Subscription = {
      id: yield* env.ids.uuid,
      type: parsed.right.spec.type,
      version: parsed.right.spec.version,
      condition: parsed.right.condition,
      status: transport.right.method === "webhook" ? "webhook_callback_verification_pending" : "enabled",
      cost: cost.right,
      createdAt: yield* Time.now,
      clientId: token.clientId,
      userId: token.userId,
      transport: transport.right,
      disabledAt: undefined,
      failures: 0
    }
    const now = yield* Clock.currentTimeMillis
    const admitted = yield* SubscriptionRef.modify(
      env.state.subscriptions,
      (
        subs: ReadonlyMap<string, Subscription>
      ): readonly [
        Either.Either<ReturnType<typeof Subscriptions.totals>, Rules.Refusal>,
        ReadonlyMap<string, Subscription>
      ] => {
        const pruned = Subscriptions.prune(subs, now, env.settings)
        return Either.match(Subscriptions.admit(pruned, sub), {
          onLeft: (r) => [Either.left(r), pruned],
          onRight: (next) => [Either.right(Subscriptions.totals(next, ownerOf(token))), next]
        })
      }
    )
    if (Either.isLeft(admitted)) return refusal(admitted.left)
    yield* afterCreate(env, sub)
    return json({ data: [Subscriptions.toJson(sub)], ...admitted.right }, 202)
  })

const filterNames = ["status", "type", "user_id", "subscription_id"] as const

const filterOf = (p: Params): Either.Either<(sub: Subscription) => boolean, Rules.Refusal> => {
  const given = filterNames.filter((name) => p.has(name))
  if (given.length > 1) {
    return Either.left({ status: 400, message: `Only one of ${filterNames.join(", ")} may be given` })
  }
  const value = given.length === 0 ? "" : p.get(given[0]) ?? ""
  switch (given[0]) {
    case undefined:
      return Either.right(() => true)
    case "status":
      return Facts.statuses.includes(value)
        ? Either.right((sub) => sub.status === value)
        : Either.left({ status: 400, message: `Invalid value for query parameter "status": ${value}` })
    case "type":
      return Either.right((sub) => sub.type === value)
    case "user_id":
      return Either.right((sub) =>
        Object.entries(sub.condition).some(([k, v]) => k.endsWith("user_id") && v === value)
      )
    case "subscription_id":
      return Either.right((sub) => sub.id === value)
  }
}

/**
 * `GET /helix/eventsub/subscriptions`: the caller's subscriptions, oldest first, one filter at a
 * time, 100 a page with an `after` cursor.
 *
 * @since 0.1.0
 * @category handlers
 */
export const list: Handler = (env, { params, token }) =>
  replying(Effect.gen(function*() {
    const filter = filterOf(params)
    if (Either.isLeft(filter)) return refusal(filter.left)
    const now = yield* Clock.currentTimeMillis
    const subs = yield* SubscriptionRef.updateAndGet(
      env.state.subscriptions,
      (all) => Subscriptions.prune(all, now, env.settings)
    )
    const owner = ownerOf(token)
    const mine = [...subs.values()].filter((sub) => Subscriptions.ownedBy(sub, owner) && filter.right(sub))
    const { cursor, data } = yield* paginate(params, mine, { defaultFirst: 100, allowBefore: false })
    return json({
      data: data.map(Subscriptions.toJson),
      ...Subscriptions.totals(subs, owner),
      pagination: cursor === undefined ? {} : { cursor }
    })
  }))

/**
 * `DELETE /helix/eventsub/subscriptions?id=`: 204, or 404 when the caller has no such
 * subscription.
 *
 * @since 0.1.0
 * @category handlers
 */
export const remove: Handler = (env, { params, token }) =>
  Effect.gen(function*() {
    const id = params.get("id")
    if (id === undefined || id === "") return helixError(400, "Missing required parameter \"id\"")
    const owner = ownerOf(token)
    const removed = yield* SubscriptionRef.modify(env.state.subscriptions, (subs) => {
      const sub = subs.get(id)
      if (sub === undefined || !Subscriptions.ownedBy(sub, owner)) return [false, subs] as const
      const next = new Map(subs)
      next.delete(id)
      return [true, next] as const
    })
    return removed
      ? HttpServerResponse.empty({ status: 204 })
      : helixError(404, "The subscription was not found")
  })

/**
 * The handlers by Helix operationId.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Readonly<Record<string, Handler>> = {
  "create-eventsub-subscription": create,
  "get-eventsub-subscriptions": list,
  "delete-eventsub-subscription": remove
}
