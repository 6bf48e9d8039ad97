/**
 * The subscriptions a client wants and where their messages go. Streams with the same type,
 * version and condition share one Twitch subscription (Twitch allows the same one only 3 times per
 * user); it is created on the current transport (a WebSocket session, a webhook callback),
 * created anew after a lost session, and deleted when its last stream ends. Messages pass the
 * gate (duplicates and stale ones dropped), then are offered to each stream's outlet as they came;
 * their events are decoded once, when the first stream pulls them (`delivery.ts`). The parts below
 * share one {@link State}: plain maps changed in synchronous steps only.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Mailbox from "effect/Mailbox"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { EventSubError } from "../../TwitchError.js"
import * as Definition from "../Definition.js"
import { ConnectionEvent, type StreamOptions, type SubscribeError } from "../EventSub.js"
import * as Types from "../generated/Types.js"
import type { Delivered, Revocation } from "../Notification.js"
import type * as Creator from "./creator.js"
import * as Delivery from "./delivery.js"
import { type Inbound, recordOf, subscriptionOf } from "./frames.js"
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
  readonly outlets: Set<Outlet<Delivery.Pending, SubscribeError>>
  /** Holders without a stream (`keep`): done when the subscription ends, failed when it fails. */
  readonly holders: Set<Deferred.Deferred<void, SubscribeError>>
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
  /** As `subscribe` without a stream: its messages reach the streams of everything only. */
  readonly keep: (
    definition: Definition.Any,
    condition: unknown
  ) => Effect.Effect<Effect.Effect<void, SubscribeError>, SubscribeError, Scope.Scope>
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

/** What a registry works with. */
export interface Context {
  readonly creator: Creator.Creator
  readonly hub: Hub
  readonly gate: Gate
  readonly counters: Counters
  readonly signals: Signals
  readonly log: (message: string) => void
}

/** A registry's state, shared by its parts. */
interface State {
  readonly context: Context
  /** Wanted subscriptions by type, version and condition. */
  readonly entries: Map<string, Entry>
  /** The same, by Twitch's id on the current transport. */
  readonly byId: Map<string, Entry>
  /** The outlets of the streams of everything. */
  readonly everything: Set<Outlet<Delivery.Item, never>>
}

type NotificationInbound = Extract<Inbound, { _tag: "Notification" }>

const remove = (state: State, entry: Entry) => {
  state.entries.delete(entry.key)
  if (entry.twitchId !== undefined) state.byId.delete(entry.twitchId)
}

/** Ends an entry's streams with an error (refused or revoked). */
const fail = (entry: Entry, error: SubscribeError) => {
  Deferred.unsafeDone(entry.ready, Exit.fail(error))
  for (const outlet of entry.outlets) outlet.mailbox.unsafeDone(Exit.fail(error))
  for (const holder of entry.holders) Deferred.unsafeDone(holder, Exit.fail(error))
}

/** Lets go of one user of the entry (`drop` removes it); the last one deletes the subscription. */
const release = (state: State, entry: Entry, drop: () => void) =>
  Effect.suspend(() => {
    drop()
    if (entry.outlets.size + entry.holders.size > 0 || state.entries.get(entry.key) !== entry) {
      return Effect.void
    }
    remove(state, entry)
    const id = entry.twitchId
    entry.twitchId = undefined
    return id === undefined ? Effect.void : state.context.creator.remove(id)
  })

const entryFor = (state: State, definition: Definition.Any, condition: Definition.WireCondition) =>
  Effect.suspend(() => {
    const label = Definition.key(definition.type, definition.version)
    const key = `${label} ${JSON.stringify(Object.entries(condition).sort(([a], [b]) => (a < b ? -1 : 1)))}`
    const known = state.entries.get(key)
    if (known !== undefined) return Effect.succeed({ entry: known, fresh: false })
    const refused = state.context.creator.refuses(definition, state.entries.size)
    if (Option.isSome(refused)) return Effect.fail(refused.value)
    return Effect.map(Deferred.make<void, SubscribeError>(), (ready) => {
      const entry: Entry = {
        key,
        label,
        definition,
        condition,
        outlets: new Set(),
        holders: new Set(),
        twitchId: undefined,
        creating: false,
        ready
      }
      state.entries.set(key, entry)
      return { entry, fresh: true }
    })
  })

/** What the creator reports back for an entry. */
const reportOf = (state: State): Creator.Report => ({
  created: (entry, id, cost) => {
    if (state.entries.get(entry.key) !== entry) return false
    entry.twitchId = id
    state.byId.set(id, entry)
    Deferred.unsafeDone(entry.ready, Exit.void)
    state.context.signals.emit(
      ConnectionEvent.Subscribed({ subscription: entry.label, condition: entry.condition, id, cost })
    )
    return true
  },
  failed: (entry, error) => {
    remove(state, entry)
    fail(entry, error)
    state.context.signals.emit(
      ConnectionEvent.SubscribeFailed({ subscription: entry.label, condition: entry.condition, error })
    )
  }
})

/** The entry of a definition and condition, created on Twitch if new (`add` registers its user). */
const wanted = <A>(
  state: State,
  report: Creator.Report,
  definition: Definition.Any,
  condition: unknown,
  add: (entry: Entry) => Effect.Effect<A, never, Scope.Scope>
) =>
  Effect.gen(function*() {
    const label = Definition.key(definition.type, definition.version)
    const wire = yield* Either.mapLeft(
      Definition.encodeCondition(definition, condition),
      (error) => new EventSubError({ reason: "InvalidCondition", subscription: label, detail: error.message })
    )
    const { entry, fresh } = yield* entryFor(state, definition, wire)
    const added = yield* add(entry)
    if (fresh) yield* state.context.creator.wanted(entry, report)
    yield* Deferred.await(entry.ready)
    return added
  })

const subscribe =
  (state: State, report: Creator.Report): Registry["subscribe"] => (definition, condition, options) =>
    Effect.map(
      wanted(state, report, definition, condition, (entry) =>
        Effect.gen(function*() {
          const outlet = yield* state.context.hub.outlet<Delivery.Pending, SubscribeError>(options)
          entry.outlets.add(outlet)
          yield* Effect.addFinalizer(() => release(state, entry, () => entry.outlets.delete(outlet)))
          return outlet
        })),
      (outlet) => Delivery.events(state.context, Mailbox.toStream(outlet.mailbox))
    )

const keep = (state: State, report: Creator.Report): Registry["keep"] => (definition, condition) =>
  Effect.gen(function*() {
    const holder = yield* Deferred.make<void, SubscribeError>()
    yield* wanted(
      state,
      report,
      definition,
      condition,
      (entry) =>
        Effect.sync(() => entry.holders.add(holder)).pipe(
          Effect.zipRight(Effect.addFinalizer(() =>
            release(state, entry, () => {
              entry.holders.delete(holder)
              Deferred.unsafeDone(holder, Exit.void)
            })
          ))
        )
    )
    return Deferred.await(holder)
  })

const notifications = (state: State): Registry["notifications"] => (options) =>
  Stream.unwrapScoped(
    Effect.gen(function*() {
      const outlet = yield* state.context.hub.outlet<Delivery.Item, never>(options)
      state.everything.add(outlet)
      yield* Effect.addFinalizer(() => Effect.sync(() => state.everything.delete(outlet)))
      return Delivery.everything(state.context, Mailbox.toStream(outlet.mailbox))
    })
  )

const find = (state: State, inbound: Extract<Inbound, { _tag: "Notification" | "Revocation" }>) => {
  const known = state.byId.get(inbound.subscription.id)
  if (known !== undefined) return known
  // A message may arrive before the create request's answer: match it by type and condition.
  const label = Definition.key(inbound.type, inbound.version)
  const raw = recordOf(inbound.subscription)
  for (const entry of state.entries.values()) {
    if (entry.label === label && entry.twitchId === undefined && conditionMatches(entry, raw)) return entry
  }
  return undefined
}

/**
 * Offers a notification to the entry's streams and the streams of everything, as it came: its
 * events are decoded when pulled. It is decoded now when it came parsed (a webhook's, or a batch)
 * or when no stream would pull it, so that the counters tell what became of it.
 */
const deliver = (state: State, inbound: NotificationInbound, entry: Entry | undefined) => {
  const { counters, hub, log } = state.context
  const definition = entry?.definition ?? definitionOf(inbound.type, inbound.version)
  if (definition === undefined) {
    counters.add("unreadable")
    log(`EventSub notification of an unknown type ${Definition.key(inbound.type, inbound.version)}: skipped`)
    return
  }
  const pending: Delivery.Pending = {
    _tag: "Pending",
    inbound,
    definition,
    decoded: undefined,
    subscription: undefined
  }
  const pulled = (entry !== undefined && entry.outlets.size > 0) || state.everything.size > 0
  if (pulled && Delivery.isLazy(inbound)) counters.add("notifications")
  else if (Delivery.decode(state.context, pending, true).length === 0) return
  if (entry !== undefined) { for (const outlet of entry.outlets) hub.offer(outlet, pending) }
  for (const outlet of state.everything) hub.offer(outlet, pending)
}

const revoke = (
  state: State,
  inbound: Extract<Inbound, { _tag: "Revocation" }>,
  entry: Entry | undefined
) => {
  state.context.counters.add("revocations")
  const label = Definition.key(inbound.type, inbound.version)
  const status = inbound.subscription.status
  state.context.signals.emit(ConnectionEvent.Revoked({ subscription: label, status }))
  if (entry !== undefined) {
    remove(state, entry)
    entry.twitchId = undefined
    fail(entry, new EventSubError({ reason: "Revoked", subscription: label, status }))
  }
  const revocation: Revocation = {
    _tag: "Revocation",
    type: inbound.type,
    version: inbound.version,
    status,
    messageId: inbound.messageId,
    timestamp: new Date(inbound.timestamp),
    subscriptionId: inbound.subscription.id,
    subscription: subscriptionOf(inbound.subscription)
  }
  for (const outlet of state.everything) state.context.hub.offer(outlet, revocation)
}

const handle = (state: State): Registry["handle"] => (inbound, now) => {
  const { counters, gate } = state.context
  const verdict = gate.admit(inbound.messageId, inbound.timestamp, now)
  if (verdict !== "deliver") {
    counters.add(verdict === "duplicate" ? "duplicates" : "stale")
    return
  }
  const entry = find(state, inbound)
  if (inbound._tag === "Revocation") return revoke(state, inbound, entry)
  if (entry !== undefined && entry.twitchId === undefined) {
    entry.twitchId = inbound.subscription.id
    state.byId.set(inbound.subscription.id, entry)
  }
  deliver(state, inbound, entry)
}

/** Builds a registry over the creator (which talks to Twitch) and the hub (which feeds streams). */
export const make = (context: Context): Registry => {
  const state: State = { context, entries: new Map(), byId: new Map(), everything: new Set() }
  const report = reportOf(state)
  return {
    subscribe: subscribe(state, report),
    keep: keep(state, report),
    notifications: notifications(state),
    handle: handle(state),
    missing: () => [...state.entries.values()].filter((e) => e.twitchId === undefined && !e.creating),
    forgetIds: () => {
      const ids = [...state.byId.keys()]
      state.byId.clear()
      for (const entry of state.entries.values()) entry.twitchId = undefined
      return ids
    },
    size: () => state.entries.size,
    report
  }
}
