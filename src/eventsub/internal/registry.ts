/**
 * The subscriptions a client wants and where their messages go. Streams with the same type,
 * version and condition share one Twitch subscription (Twitch allows the same one only 3 times per
 * user); it is created on the current transport (a WebSocket session, a webhook callback),
 * created anew after a lost session, and deleted when its last stream ends. Messages pass the
 * gate (duplicates and stale ones dropped), then their events are decoded once and offered to each
 * stream's outlet. Routing state is plain maps changed in synchronous steps only.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Mailbox from "effect/Mailbox"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { EventSubSubscription } from "../../helix/generated/models.js"
import { EventSubError } from "../../TwitchError.js"
import * as Definition from "../Definition.js"
import { ConnectionEvent, type StreamOptions, type SubscribeError } from "../EventSub.js"
import * as Types from "../generated/Types.js"
import type { Delivered, Notification } from "../Notification.js"
import type * as Creator from "./creator.js"
import { type Inbound, subscriptionOf } from "./frames.js"
import type { Gate } from "./gate.js"
import type { Hub, Outlet } from "./hub.js"
import type { Counters, Signals } from "./signals.js"

/** One wanted subscription. */
export interface Entry {
  readonly key: string
  /** `type@version`. */
  readonly label: string
  readonly definition: Definition.Any
  readonly condition: Definition.WireCondition
  readonly outlets: Set<Outlet<unknown, SubscribeError>>
  /** Twitch's id on the current transport; `undefined` while not (yet) created there. */
  twitchId: string | undefined
  creating: boolean
  /** Done once Twitch first created it (or refused it). */
  readonly ready: Deferred.Deferred<void, SubscribeError>
}

/** The registry of one client. */
export interface Registry {
  readonly subscribe: (
    definition: Definition.Any,
    condition: unknown,
    options: StreamOptions | undefined
  ) => Effect.Effect<Stream.Stream<unknown, SubscribeError>, SubscribeError, Scope.Scope>
  readonly notifications: (options: StreamOptions | undefined) => Stream.Stream<Delivered>
  /** Routes a notification or revocation (`now` from the caller's `Clock`). */
  readonly handle: (inbound: Extract<Inbound, { _tag: "Notification" | "Revocation" }>, now: number) => void
  /** Every wanted subscription without a Twitch id. */
  readonly missing: () => ReadonlyArray<Entry>
  /** The session is lost: Twitch has disabled every subscription (their ids are returned). */
  readonly forgetIds: () => ReadonlyArray<string>
  readonly size: () => number
  /** How creations are reported back (for the transport's `createAll`). */
  readonly report: Creator.Report
}

const definitions = new Map<string, Definition.Any>(
  Types.all.map((d): [string, Definition.Any] => [Definition.key(d.type, d.version), d])
)

/** The definition of a type and version Twitch documents. */
export const definitionOf = (type: string, version: string): Definition.Any | undefined =>
  definitions.get(Definition.key(type, version))

const conditionMatches = (entry: Entry, raw: Readonly<Record<string, unknown>>): boolean => {
  const condition = raw["condition"]
  if (typeof condition !== "object" || condition === null) return false
  for (const [name, value] of Object.entries(entry.condition)) {
    if ((condition as Readonly<Record<string, unknown>>)[name] !== value) return false
  }
  return true
}

/** Builds a registry over the creator (which talks to Twitch) and the hub (which feeds streams). */
export const make = (context: {
  readonly creator: Creator.Creator
  readonly hub: Hub
  readonly gate: Gate
  readonly counters: Counters
  readonly signals: Signals
  readonly log: (message: string) => void
}): Registry => {
  const { counters, creator, gate, hub, signals } = context
  const entries = new Map<string, Entry>()
  const byId = new Map<string, Entry>()
  const everything = new Set<Outlet<Delivered, never>>()

  const remove = (entry: Entry) => {
    entries.delete(entry.key)
    if (entry.twitchId !== undefined) byId.delete(entry.twitchId)
  }

  const release = (entry: Entry, outlet: Outlet<unknown, SubscribeError>) =>
    Effect.suspend(() => {
      entry.outlets.delete(outlet)
      if (entry.outlets.size > 0 || entries.get(entry.key) !== entry) return Effect.void
      remove(entry)
      const id = entry.twitchId
      entry.twitchId = undefined
      return id === undefined ? Effect.void : creator.remove(id)
    })

  const entryFor = (definition: Definition.Any, condition: Definition.WireCondition) =>
    Effect.suspend(() => {
      const label = Definition.key(definition.type, definition.version)
      const key = `${label} ${JSON.stringify(Object.entries(condition).sort(([a], [b]) => (a < b ? -1 : 1)))}`
      const known = entries.get(key)
      if (known !== undefined) return Effect.succeed({ entry: known, fresh: false })
      const refused = creator.refuses(definition, entries.size)
      if (Option.isSome(refused)) return Effect.fail(refused.value)
      return Effect.map(Deferred.make<void, SubscribeError>(), (ready) => {
        const entry: Entry = {
          key,
          label,
          definition,
          condition,
          outlets: new Set(),
          twitchId: undefined,
          creating: false,
          ready
        }
        entries.set(key, entry)
        return { entry, fresh: true }
      })
    })

  const subscribe: Registry["subscribe"] = (definition, condition, options) =>
    Effect.gen(function*() {
      const label = Definition.key(definition.type, definition.version)
      const wire = yield* Either.mapLeft(
        Definition.encodeCondition(definition, condition),
        (error) =>
          new EventSubError({ reason: "InvalidCondition", subscription: label, detail: error.message })
      )
      const { entry, fresh } = yield* entryFor(definition, wire)
      const outlet = yield* hub.outlet<unknown, SubscribeError>(options)
      entry.outlets.add(outlet)
      yield* Effect.addFinalizer(() => release(entry, outlet))
      if (fresh) yield* creator.wanted(entry, created)
      yield* Deferred.await(entry.ready)
      return Mailbox.toStream(outlet.mailbox)
    })

  /** What the creator reports back for an entry. */
  const created: Creator.Report = {
    created: (entry, id, cost) => {
      if (entries.get(entry.key) !== entry) return false
      entry.twitchId = id
      byId.set(id, entry)
      Deferred.unsafeDone(entry.ready, Exit.void)
      signals.emit(
        ConnectionEvent.Subscribed({ subscription: entry.label, condition: entry.condition, id, cost })
      )
      return true
    },
    failed: (entry, error) => {
      remove(entry)
      Deferred.unsafeDone(entry.ready, Exit.fail(error))
      for (const outlet of entry.outlets) outlet.mailbox.unsafeDone(Exit.fail(error))
      signals.emit(
        ConnectionEvent.SubscribeFailed({ subscription: entry.label, condition: entry.condition, error })
      )
    }
  }

  const notifications: Registry["notifications"] = (options) =>
    Stream.unwrapScoped(
      Effect.gen(function*() {
        const outlet = yield* hub.outlet<Delivered, never>(options)
        everything.add(outlet)
        yield* Effect.addFinalizer(() => Effect.sync(() => everything.delete(outlet)))
        return Mailbox.toStream(outlet.mailbox)
      })
    )

  const find = (inbound: Extract<Inbound, { _tag: "Notification" | "Revocation" }>): Entry | undefined => {
    const known = byId.get(inbound.subscription.id)
    if (known !== undefined) return known
    // A message may arrive before the create request's answer: match it by type and condition.
    const label = Definition.key(inbound.type, inbound.version)
    const raw = inbound.subscription.raw
    for (const entry of entries.values()) {
      if (entry.label === label && entry.twitchId === undefined && conditionMatches(entry, raw)) return entry
    }
    return undefined
  }

  /** Decodes one event and offers it to the entry's streams and the stream of everything. */
  const deliverOne = (
    inbound: Extract<Inbound, { _tag: "Notification" }>,
    entry: Entry | undefined,
    definition: Definition.Any,
    raw: unknown,
    subscription: { value: Option.Option<EventSubSubscription> | undefined }
  ) => {
    const decoded = Definition.decodeEvent(definition, raw)
    if (Either.isLeft(decoded)) {
      counters.add("unreadable")
      context.log(
        `EventSub ${
          Definition.key(inbound.type, inbound.version)
        } event did not decode (skipped): ${decoded.left.message}`
      )
      return
    }
    counters.add("notifications")
    if (entry !== undefined) { for (const outlet of entry.outlets) hub.offer(outlet, decoded.right) }
    if (everything.size === 0) return
    // Built for the stream of everything only; the definition was found by this type and version.
    const notification = {
      _tag: "Notification",
      type: inbound.type,
      version: inbound.version,
      event: decoded.right,
      messageId: inbound.messageId,
      timestamp: new Date(inbound.timestamp),
      subscriptionId: inbound.subscription.id,
      subscription: (subscription.value ??= subscriptionOf(inbound.subscription))
    } as Notification<Definition.Any> as Delivered
    for (const outlet of everything) hub.offer(outlet, notification)
  }

  const deliver = (inbound: Extract<Inbound, { _tag: "Notification" }>, entry: Entry | undefined) => {
    const definition = entry?.definition ?? definitionOf(inbound.type, inbound.version)
    if (definition === undefined) {
      counters.add("unreadable")
      context.log(
        `EventSub notification of an unknown type ${Definition.key(inbound.type, inbound.version)}: skipped`
      )
      return
    }
    // The subscription object is decoded once, and only for the stream of everything.
    const subscription = { value: undefined }
    const payload = inbound.payload
    if ("event" in payload) return deliverOne(inbound, entry, definition, payload.event, subscription)
    for (const raw of payload.events) deliverOne(inbound, entry, definition, raw, subscription)
  }

  const revoke = (inbound: Extract<Inbound, { _tag: "Revocation" }>, entry: Entry | undefined) => {
    counters.add("revocations")
    const label = Definition.key(inbound.type, inbound.version)
    const status = inbound.subscription.status
    signals.emit(ConnectionEvent.Revoked({ subscription: label, status }))
    if (entry !== undefined) {
      remove(entry)
      entry.twitchId = undefined
      const error = new EventSubError({ reason: "Revoked", subscription: label, status })
      Deferred.unsafeDone(entry.ready, Exit.fail(error))
      for (const outlet of entry.outlets) outlet.mailbox.unsafeDone(Exit.fail(error))
    }
    const revocation: Delivered = {
      _tag: "Revocation",
      type: inbound.type,
      version: inbound.version,
      status,
      messageId: inbound.messageId,
      timestamp: new Date(inbound.timestamp),
      subscriptionId: inbound.subscription.id,
      subscription: subscriptionOf(inbound.subscription)
    }
    for (const outlet of everything) hub.offer(outlet, revocation)
  }

  const handle: Registry["handle"] = (inbound, now) => {
    const verdict = gate.admit(inbound.messageId, inbound.timestamp, now)
    if (verdict !== "deliver") {
      counters.add(verdict === "duplicate" ? "duplicates" : "stale")
      return
    }
    const entry = find(inbound)
    if (inbound._tag === "Revocation") return revoke(inbound, entry)
    if (entry !== undefined && entry.twitchId === undefined) {
      entry.twitchId = inbound.subscription.id
      byId.set(inbound.subscription.id, entry)
    }
    deliver(inbound, entry)
  }

  return {
    subscribe,
    notifications,
    handle,
    missing: () => [...entries.values()].filter((e) => e.twitchId === undefined && !e.creating),
    forgetIds: () => {
      const ids = [...byId.keys()]
      byId.clear()
      for (const entry of entries.values()) entry.twitchId = undefined
      return ids
    },
    size: () => entries.size,
    report: created
  }
}
