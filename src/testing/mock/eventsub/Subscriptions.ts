/**
 * The subscription store's rules that need state: who owns which subscriptions (a user token sees
 * its WebSocket subscriptions, an app token its client's webhook and conduit ones), the limits
 * (enabled subscriptions per connection, connections per user, total cost, the same type and
 * condition at most three times, 409 for an exact duplicate), the totals every answer carries,
 * pruning of disabled subscriptions and what a closed or moved session does to its subscriptions.
 * Every change is one atomic update of the store.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Facts from "./Facts.js"
import type { Refusal } from "./Rules.js"
import type { Settings, Subscription } from "./State.js"

/**
 * Who is asking: the token's client and, for user tokens, its user.
 *
 * @since 0.1.0
 * @category models
 */
export interface Owner {
  readonly clientId: string
  readonly userId: string | undefined
}

/**
 * Whether a subscription counts (enabled, or a webhook waiting for its challenge).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isActive = (sub: Subscription): boolean =>
  sub.status === "enabled" || sub.status === "webhook_callback_verification_pending"

/**
 * Whether a subscription belongs to a caller: a user token owns its WebSocket subscriptions, an app
 * token its client's webhook and conduit ones.
 *
 * @since 0.1.0
 * @category predicates
 */
export const ownedBy = (sub: Subscription, owner: Owner): boolean =>
  sub.clientId === owner.clientId &&
  (owner.userId === undefined
    ? sub.transport.method !== "websocket"
    : sub.transport.method === "websocket" && sub.userId === owner.userId)

/**
 * The most a caller's active subscriptions may cost: 10 over WebSockets, 10,000 for an app token.
 *
 * @since 0.1.0
 * @category limits
 */
export const maxTotalCost = (owner: Owner): number =>
  owner.userId === undefined ? Facts.costRules.webhookMaxTotalCost : Facts.websocketLimits.maxTotalCost

/**
 * The totals every answer carries: subscriptions listed, their cost, the maximum.
 *
 * @since 0.1.0
 * @category limits
 */
export const totals = (
  subs: ReadonlyMap<string, Subscription>,
  owner: Owner
): { readonly total: number; readonly total_cost: number; readonly max_total_cost: number } => {
  let total = 0
  let cost = 0
  for (const sub of subs.values()) {
    if (!ownedBy(sub, owner)) continue
    total++
    if (isActive(sub)) cost += sub.cost
  }
  return { total, total_cost: cost, max_total_cost: maxTotalCost(owner) }
}

const sameCondition = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  for (const key of keys) if ((a[key] ?? "") !== (b[key] ?? "")) return false
  return true
}

const targetOf = (sub: Subscription): string => {
  switch (sub.transport.method) {
    case "websocket":
      return sub.transport.sessionId
    case "webhook":
      return sub.transport.callback
    case "conduit":
      return sub.transport.conduitId
  }
}

const sessionOf = (sub: Subscription): string | undefined =>
  sub.transport.method === "websocket" ? sub.transport.sessionId : undefined

const refuse = (status: Refusal["status"], message: string): Either.Either<never, Refusal> =>
  Either.left({ status, message })

/** The WebSocket limits: the session's owner, 300 per connection, 3 connections. */
const websocketLimits = (
  mine: ReadonlyArray<Subscription>,
  all: ReadonlyMap<string, Subscription>,
  candidate: Subscription
): Either.Either<void, Refusal> => {
  const session = sessionOf(candidate)
  for (const sub of all.values()) {
    if (
      sessionOf(sub) === session && (sub.clientId !== candidate.clientId || sub.userId !== candidate.userId)
    ) {
      return refuse(403, "The websocket session belongs to another user or client")
    }
  }
  const limits = Facts.websocketLimits
  const enabled = mine.filter((s) => s.status === "enabled")
  if (enabled.filter((s) => sessionOf(s) === session).length >= limits.maxEnabledSubscriptionsPerConnection) {
    return refuse(429, "number of subscriptions per websocket transport limit exceeded")
  }
  const sessions = new Set(enabled.map(sessionOf))
  if (
    session !== undefined && !sessions.has(session) &&
    sessions.size >= limits.maxConnectionsWithEnabledSubscriptions
  ) {
    return refuse(429, "websocket transports limit exceeded")
  }
  return Either.void
}

/**
 * Adds a subscription if the limits allow it: 409 for the same type, version, condition and
 * transport; 429 past three of the same type and condition, past the WebSocket limits or past the
 * total cost.
 *
 * @since 0.1.0
 * @category limits
 */
export const admit = (
  subs: ReadonlyMap<string, Subscription>,
  candidate: Subscription
): Either.Either<ReadonlyMap<string, Subscription>, Refusal> =>
  Either.gen(function*() {
    const owner: Owner = { clientId: candidate.clientId, userId: candidate.userId }
    const mine = [...subs.values()].filter((s) => ownedBy(s, owner) && isActive(s))
    const same = mine.filter((s) =>
      s.type === candidate.type && sameCondition(s.condition, candidate.condition)
    )
    if (same.some((s) => s.version === candidate.version && targetOf(s) === targetOf(candidate))) {
      return yield* refuse(409, "subscription already exists")
    }
    if (same.length >= Facts.costRules.sameTypeAndConditionMax) {
      return yield* refuse(429, "too many subscriptions with the same type and condition")
    }
    if (candidate.transport.method === "websocket") yield* websocketLimits(mine, subs, candidate)
    const cost = mine.reduce((n, s) => n + s.cost, 0)
    if (cost + candidate.cost > maxTotalCost(owner)) {
      return yield* refuse(429, "the total cost of the subscriptions would exceed max_total_cost")
    }
    return new Map(subs).set(candidate.id, candidate)
  })

/**
 * Drops disabled subscriptions listed longer than Twitch keeps them.
 *
 * @since 0.1.0
 * @category store
 */
export const prune = (
  subs: ReadonlyMap<string, Subscription>,
  now: number,
  settings: Settings
): ReadonlyMap<string, Subscription> => {
  const expired = (s: Subscription) =>
    s.disabledAt !== undefined &&
    now - s.disabledAt >
      (s.transport.method === "websocket" ? settings.websocketRetentionMs : settings.webhookRetentionMs)
  return [...subs.values()].some(expired) ? new Map([...subs].filter(([, s]) => !expired(s))) : subs
}

/**
 * Sets a subscription's status (disabled ones are stamped for pruning).
 *
 * @since 0.1.0
 * @category store
 */
export const withStatus = (sub: Subscription, status: string, now: number): Subscription => ({
  ...sub,
  status,
  disabledAt: status === "enabled" || status === "webhook_callback_verification_pending" ? undefined : now
})

/**
 * Sets the status of the subscription with an id, if it exists.
 *
 * @since 0.1.0
 * @category store
 */
export const setStatus = (
  subs: ReadonlyMap<string, Subscription>,
  id: string,
  status: string,
  now: number
): ReadonlyMap<string, Subscription> => {
  const sub = subs.get(id)
  return sub === undefined ? subs : new Map(subs).set(id, withStatus(sub, status, now))
}

/**
 * Disables the enabled subscriptions of a closed session with the close's status.
 *
 * @since 0.1.0
 * @category store
 */
export const disableSession = (
  subs: ReadonlyMap<string, Subscription>,
  sessionId: string,
  status: string,
  now: number,
  timestamp: string
): ReadonlyMap<string, Subscription> =>
  new Map(
    [...subs].map(([id, s]) =>
      s.transport.method === "websocket" && s.transport.sessionId === sessionId && s.status === "enabled"
        ? [id, { ...withStatus(s, status, now), transport: { ...s.transport, disconnectedAt: timestamp } }]
        : [id, s]
    )
  )

/**
 * Moves a session's enabled subscriptions to the session that replaced it after
 * `session_reconnect`.
 *
 * @since 0.1.0
 * @category store
 */
export const moveSession = (
  subs: ReadonlyMap<string, Subscription>,
  from: string,
  to: string,
  connectedAt: string
): ReadonlyMap<string, Subscription> =>
  new Map(
    [...subs].map(([id, s]) =>
      s.transport.method === "websocket" && s.transport.sessionId === from && s.status === "enabled"
        ? [id, { ...s, transport: { ...s.transport, sessionId: to, connectedAt } }]
        : [id, s]
    )
  )

/**
 * A subscription as Twitch's API shows it (no secret).
 *
 * @since 0.1.0
 * @category wire
 */
export const toJson = (sub: Subscription): Record<string, unknown> => ({
  id: sub.id,
  status: sub.status,
  type: sub.type,
  version: sub.version,
  condition: sub.condition,
  created_at: sub.createdAt,
  transport: transportJson(sub),
  cost: sub.cost
})

const transportJson = (sub: Subscription): Record<string, unknown> => {
  const t = sub.transport
  switch (t.method) {
    case "websocket":
      return {
        method: t.method,
        session_id: t.sessionId,
        connected_at: t.connectedAt,
        ...(t.disconnectedAt === undefined ? {} : { disconnected_at: t.disconnectedAt })
      }
    case "webhook":
      return { method: t.method, callback: t.callback }
    case "conduit":
      return { method: t.method, conduit_id: t.conduitId }
  }
}
