/**
 * The Helix operations of conduits, one handler per operationId (`get-conduits`,
 * `create-conduits`, `update-conduits`, `delete-conduit`, `get-conduit-shards`,
 * `update-conduit-shards`), over the EventSub server's conduit store, the one its routing reads.
 * Each takes the authenticated app token, the query and the parsed body, and answers as Twitch
 * does: a client has at most 5 conduits (429), 1 to 20,000 shards each (400), another client's
 * conduit is not found (404). Update Conduit Shards answers 202 with the shards it changed and an
 * `errors` entry for each it did not: an id outside the conduit, a transport it does not take, a
 * WebSocket session that does not exist, belongs to another client, or was welcomed more than
 * 10 s before (a session must be assigned within 10 s of its welcome). A WebSocket shard is enabled
 * at once; a webhook shard gets the verification challenge. Deleting a conduit deletes its
 * subscriptions.
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
import { helixError, json, paginate, replying } from "../http/shared.js"
import * as ConduitStore from "./ConduitStore.js"
import * as ConduitWebhook from "./ConduitWebhook.js"
import * as Facts from "./Facts.js"
import type { Handler } from "./Operations.js"
import { isObject } from "./Payload.js"
import type { Refusal } from "./Rules.js"
import * as Rules from "./Rules.js"
import * as Sessions from "./Sessions.js"
import {
  type Conduit,
  conduits,
  type Env,
  modifyConduits,
  type Shard,
  subscriptions,
  updateSubscriptions
} from "./State.js"
import * as Time from "./Time.js"

const refusal = (r: Refusal) => helixError(r.status, r.message)

/** Applies a store change that may be refused; the store is left as it was when it is. */
const change = <A>(
  env: Env,
  f: (all: ReadonlyMap<string, Conduit>) => Either.Either<readonly [A, ReadonlyMap<string, Conduit>], Refusal>
): Effect.Effect<Either.Either<A, Refusal>> =>
  modifyConduits(env, (all): readonly [Either.Either<A, Refusal>, ReadonlyMap<string, Conduit>] => {
    const changed = f(all)
    return Either.isLeft(changed)
      ? [Either.left(changed.left), all]
      : [Either.right(changed.right[0]), changed.right[1]]
  })

const bodyField = (body: unknown, name: string): unknown => (isObject(body) ? body[name] : undefined)

const text = (
  value: unknown
): string | undefined => (typeof value === "string" && value !== "" ? value : undefined)

/**
 * `GET /helix/eventsub/conduits`: the client's conduits.
 *
 * @since 0.1.0
 * @category handlers
 */
export const list: Handler = (env, { token }) =>
  Effect.map(
    conduits(env),
    (all) => json({ data: ConduitStore.ownedBy(all, token.clientId).map(ConduitStore.conduitJson) })
  )

/**
 * `POST /helix/eventsub/conduits`: a conduit of `shard_count` unassigned shards.
 *
 * @since 0.1.0
 * @category handlers
 */
export const create: Handler = (env, { body, token }) =>
  Effect.gen(function*() {
    const count = ConduitStore.shardCountOf(bodyField(body, "shard_count"))
    if (Either.isLeft(count)) return refusal(count.left)
    const id = yield* env.ids.uuid
    const now = yield* Clock.currentTimeMillis
    const made = yield* change(
      env,
      (all) => ConduitStore.create(all, { id, clientId: token.clientId, shardCount: count.right }, now)
    )
    return Either.match(made, {
      onLeft: refusal,
      onRight: (conduit) => json({ data: [ConduitStore.conduitJson(conduit)] })
    })
  })

/**
 * `PATCH /helix/eventsub/conduits`: a new shard count (shrinking drops the shards past it).
 *
 * @since 0.1.0
 * @category handlers
 */
export const update: Handler = (env, { body, token }) =>
  Effect.gen(function*() {
    const id = text(bodyField(body, "id"))
    if (id === undefined) return helixError(400, "Missing required parameter \"id\"")
    const count = ConduitStore.shardCountOf(bodyField(body, "shard_count"))
    if (Either.isLeft(count)) return refusal(count.left)
    const now = yield* Clock.currentTimeMillis
    const resized = yield* change(
      env,
      (all) => ConduitStore.resize(all, token.clientId, id, count.right, now)
    )
    return Either.match(resized, {
      onLeft: refusal,
      onRight: (conduit) => json({ data: [ConduitStore.conduitJson(conduit)] })
    })
  })

/**
 * Deletes the subscriptions of a conduit that is gone.
 *
 * @since 0.1.0
 * @category handlers
 */
export const dropSubscriptions = (env: Env, conduitId: string): Effect.Effect<void> =>
  updateSubscriptions(env, (subs) => {
    const next = new Map(subs)
    for (const [id, sub] of subs) {
      if (sub.transport.method === "conduit" && sub.transport.conduitId === conduitId) next.delete(id)
    }
    return next.size === subs.size ? subs : next
  })

/**
 * `DELETE /helix/eventsub/conduits?id=`: 204, and its subscriptions are deleted.
 *
 * @since 0.1.0
 * @category handlers
 */
export const remove: Handler = (env, { params, token }) =>
  Effect.gen(function*() {
    const id = text(params.get("id"))
    if (id === undefined) return helixError(400, "Missing required parameter \"id\"")
    const removed = yield* change(
      env,
      (all) => Either.map(ConduitStore.remove(all, token.clientId, id), (next) => [undefined, next] as const)
    )
    if (Either.isLeft(removed)) return refusal(removed.left)
    yield* dropSubscriptions(env, id)
    return HttpServerResponse.empty({ status: 204 })
  })

/**
 * `GET /helix/eventsub/conduits/shards?conduit_id=`: its shards (of one `status` when given), with
 * an `after` cursor.
 *
 * @since 0.1.0
 * @category handlers
 */
export const shards: Handler = (env, { params, token }) =>
  replying(Effect.gen(function*() {
    const id = text(params.get("conduit_id"))
    if (id === undefined) return helixError(400, "Missing required parameter \"conduit_id\"")
    const conduit = ConduitStore.owned(yield* conduits(env), token.clientId, id)
    if (conduit === undefined) return helixError(404, "conduit not found")
    const status = params.get("status")
    const found = conduit.shards.filter((s) => status === undefined || s.status === status)
    const page = yield* paginate(params, found, { defaultFirst: 100, allowBefore: false, max: 1000 })
    return json({
      data: page.data.map(ConduitStore.shardJson),
      pagination: page.cursor === undefined ? {} : { cursor: page.cursor }
    })
  }))

/**
 * Update Conduit Shards' `errors` messages, as Twitch documents them (the session already backing
 * another shard is the mock's wording: Twitch documents the rule, not the message).
 *
 * @since 0.1.0
 * @category constants
 */
export const shardErrors = {
  outOfRange: "The shard id is outside of the conduit’s range",
  method: "The value specified in the method field is not valid",
  callbackRequired: "The callback field is required if you specify the webhook transport method",
  callback:
    "The URL in the transport's callback field is not valid. The URL must use the HTTPS protocol and the 443 port number",
  secret: "The length of the string in the secret field is not valid",
  sessionRequired: "The session_id field is required if you specify the WebSocket transport method",
  notConnected: "The websocket session is not connected",
  otherClient: "The websocket session belongs to another client",
  inUse: "The websocket session is already assigned to a shard"
} as const

/** One entry of Update Conduit Shards' `errors`. */
interface ShardError {
  readonly id: string
  readonly message: string
  readonly code: string
}

type Planned = Either.Either<Shard, ShardError>

/** Whether an enabled shard other than `shardId` of `conduitId` is backed by the session. */
const backsAnother = (
  all: ReadonlyMap<string, Conduit>,
  conduitId: string,
  shardId: string,
  sessionId: string
): boolean =>
  [...all.values()].some((c) =>
    c.shards.some((s) =>
      ConduitStore.isEnabled(s) && s.transport.method === "websocket" &&
      s.transport.sessionId === sessionId &&
      !(c.id === conduitId && s.id === shardId)
    )
  )

/** A request giving one session to two shards: the later ones are refused. */
const oneShardPerSession = (planned: ReadonlyArray<Planned>): ReadonlyArray<Planned> => {
  const seen = new Set<string>()
  return planned.map((p) => {
    if (Either.isLeft(p) || p.right.transport.method !== "websocket") return p
    const sessionId = p.right.transport.sessionId ?? ""
    if (!seen.has(sessionId)) {
      seen.add(sessionId)
      return p
    }
    return Either.left({ id: p.right.id, message: shardErrors.inUse, code: "invalid_parameter" })
  })
}

/** The shard one update asks for, or why it cannot be. */
const plan = (
  env: Env,
  clientId: string,
  conduitId: string,
  shardCount: number,
  raw: unknown,
  now: number
): Effect.Effect<Planned> =>
  Effect.gen(function*() {
    const id = typeof bodyField(raw, "id") === "string" ? String(bodyField(raw, "id")) : ""
    const fail = (message: string): Planned => Either.left({ id, message, code: "invalid_parameter" })
    const index = /^\d+$/.test(id) ? Number(id) : -1
    if (index < 0 || index >= shardCount) return fail(shardErrors.outOfRange)
    const transport = bodyField(raw, "transport")
    if (!isObject(transport)) return fail(shardErrors.method)
    if (transport.method === "webhook") {
      if (text(transport.callback) === undefined) return fail(shardErrors.callbackRequired)
      const hook = Rules.webhookTransport(transport)
      if (Either.isLeft(hook)) {
        return fail(hook.left.message.includes("secret") ? shardErrors.secret : shardErrors.callback)
      }
      const target = {
        method: "webhook" as const,
        callback: hook.right.callback,
        secret: Redacted.make(hook.right.secret)
      }
      return Either.right({
        id,
        status: "webhook_callback_verification_pending",
        transport: target,
        failures: 0
      })
    }
    if (transport.method !== "websocket") return fail(shardErrors.method)
    const sessionId = text(transport.session_id)
    if (sessionId === undefined) return fail(shardErrors.sessionRequired)
    const session = yield* Sessions.find(env, sessionId)
    if (Option.isNone(session) || (yield* Sessions.isClosed(session.value))) {
      return fail(shardErrors.notConnected)
    }
    const owners = [...(yield* subscriptions(env)).values()].filter((s) =>
      s.transport.method === "websocket" && s.transport.sessionId === sessionId && s.status === "enabled"
    )
    if (owners.some((s) => s.clientId !== clientId)) return fail(shardErrors.otherClient)
    if (backsAnother(yield* conduits(env), conduitId, id, sessionId)) return fail(shardErrors.inUse)
    const within = Facts.conduitLimits.websocketShardAssignWithinSecondsAfterWelcome
    if (now - Date.parse(session.value.connectedAt) > within * 1000) {
      return fail(`The session must be assigned to a shard within ${within} seconds of its welcome`)
    }
    return Either.right({
      id,
      status: "enabled",
      transport: {
        method: "websocket",
        sessionId: session.value.id,
        connectedAt: session.value.connectedAt,
        disconnectedAt: undefined
      },
      failures: 0
    })
  })

/** After the store took the shards: sessions used (or their shard disabled if they ended), challenges sent. */
const afterAssign = (env: Env, conduitId: string, assigned: ReadonlyArray<Shard>) =>
  Effect.forEach(assigned, (shard) =>
    Effect.gen(function*() {
      const t = shard.transport
      if (t.method === "webhook") {
        const ref = { conduitId, shardId: shard.id, target: t }
        return yield* Effect.asVoid(Effect.forkIn(ConduitWebhook.challenge(env, ref), env.scope))
      }
      if (t.sessionId === undefined) return
      const session = yield* Sessions.find(env, t.sessionId)
      const open = Option.isSome(session) &&
        !(yield* Ref.modify(session.value.live, (l) => [l.closed, { ...l, used: true }] as const))
      if (!open) {
        const now = yield* Clock.currentTimeMillis
        const timestamp = yield* Time.now
        yield* modifyConduits(env, (all) => [
          undefined,
          ConduitStore.disableSession(all, t.sessionId ?? "", "websocket_disconnected", now, timestamp)
        ])
      }
    }), { discard: true })

/**
 * `PATCH /helix/eventsub/conduits/shards`: assigns transports to shards; 202 with the shards
 * changed and the errors of the others.
 *
 * @since 0.1.0
 * @category handlers
 */
export const updateShards: Handler = (env, { body, token }) =>
  Effect.gen(function*() {
    const conduitId = text(bodyField(body, "conduit_id"))
    if (conduitId === undefined) return helixError(400, "Missing required parameter \"conduit_id\"")
    const raw = bodyField(body, "shards")
    if (!Array.isArray(raw)) return helixError(400, "Missing required parameter \"shards\"")
    const conduit = ConduitStore.owned(yield* conduits(env), token.clientId, conduitId)
    if (conduit === undefined) return helixError(404, "conduit not found")
    const now = yield* Clock.currentTimeMillis
    const planned = oneShardPerSession(
      yield* Effect.forEach(raw, (update) =>
        plan(env, token.clientId, conduitId, conduit.shards.length, update, now))
    )
    const wanted = planned.filter(Either.isRight).map((p) =>
      p.right
    )
    const errors = planned.filter(Either.isLeft).map((p) => p.left)
    const assigned = yield* modifyConduits(env, (all) => {
      const current = all.get(conduitId)
      if (current === undefined) return [[], all] as const
      const byId = new Map(wanted.filter((s) => Number(s.id) < current.shards.length).map((s) => [s.id, s]))
      return [
        [...byId.values()],
        ConduitStore.updateShards(all, conduitId, (s) => byId.get(s.id) ?? s, now)
      ] as const
    })
    yield* afterAssign(env, conduitId, assigned)
    return json({ data: assigned.map(ConduitStore.shardJson), errors }, 202)
  })

/**
 * The handlers by Helix operationId.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Readonly<Record<string, Handler>> = {
  "get-conduits": list,
  "create-conduits": create,
  "update-conduits": update,
  "delete-conduit": remove,
  "get-conduit-shards": shards,
  "update-conduit-shards": updateShards
}
