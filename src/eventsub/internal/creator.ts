/**
 * Creates and deletes subscriptions on Twitch through the generated `EventSubApi` (the Helix
 * runner: token checks, bucket, retries), within Twitch's limits: at most 300 on one WebSocket
 * (refused before any request), no webhook-only type on a WebSocket; a "websocket transports limit
 * exceeded" answer first frees the slots held by this user's dead sessions and tries once more;
 * what is still refused is a typed `EventSubError` (`LimitReached`). A subscription created for a
 * session that was lost meanwhile is left alone: the next session creates it anew.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as EventSubApi from "../../helix/generated/EventSubApi.js"
import type {
  CreateEventSubSubscriptionResponse,
  EventSubSubscription
} from "../../helix/generated/models.js"
import {
  createEventsubSubscription,
  CreateEventsubSubscriptionParams
} from "../../helix/generated/Operations.js"
import * as OperationRunner from "../../helix/OperationRunner.js"
import { EventSubError, type HelixError } from "../../TwitchError.js"
import type * as Definition from "../Definition.js"
import type { SubscribeError } from "../EventSub.js"
import type { Entry } from "./registry.js"

/** Where subscriptions are delivered. */
export type Transport =
  | { readonly method: "websocket"; readonly sessionId: string }
  | { readonly method: "webhook"; readonly callback: string; readonly secret: Redacted.Redacted<string> }
  | { readonly method: "conduit"; readonly conduitId: string }

/** What identifies a transport: its session, callback or conduit. */
const targetOf = (t: Transport): string =>
  t.method === "websocket" ? t.sessionId : t.method === "webhook" ? t.callback : t.conduitId

/** What the creator tells the registry. */
export interface Report {
  /** Twitch created it; `false` when nobody wants it any more (then it is deleted). */
  readonly created: (entry: Entry, id: string, cost: number) => boolean
  readonly failed: (entry: Entry, error: SubscribeError) => void
}

/** Most enabled subscriptions on one WebSocket connection. */
export const maxPerWebSocket = 300

/** The creator of one client. */
export interface Creator {
  /** Why a new subscription cannot be wanted at all, before any request. */
  readonly refuses: (definition: Definition.Any, wanted: number) => Option.Option<EventSubError>
  /** A subscription is newly wanted: create it now if there is a transport (in the background). */
  readonly wanted: (entry: Entry, report: Report) => Effect.Effect<void>
  /** Creates these on the current transport, concurrently. */
  readonly createAll: (entries: ReadonlyArray<Entry>, report: Report) => Effect.Effect<void>
  /** Deletes a subscription on Twitch (best effort). */
  readonly remove: (id: string) => Effect.Effect<void>
}

type Limit = NonNullable<EventSubError["limit"]>

/** The limit a refused create request hit, from Twitch's status and message. */
export const limitOf = (error: HelixError): Limit | undefined => {
  if (error._tag !== "HttpError") return undefined
  const text = `${error.error ?? ""} ${error.twitchMessage ?? ""}`.toLowerCase()
  if (error.status === 409) return "SameSubscription"
  if (error.status !== 429) return undefined
  // "number of subscriptions per websocket transport limit exceeded" is the 300 per connection
  if (text.includes("per websocket transport") || text.includes("subscriptions per")) return "Subscriptions"
  if (text.includes("transport")) return "Connections"
  if (text.includes("same") || text.includes("already") || text.includes("too many subscriptions")) {
    return "SameSubscription"
  }
  return "Cost"
}

const isKnownType = Schema.is(CreateEventsubSubscriptionParams.fields.type)

/** Create EventSub Subscription with body fields beyond the generated ones (`is_batching_enabled`). */
const createWithExtra = (extra: Readonly<Record<string, unknown>>) => ({
  ...createEventsubSubscription,
  params: Schema.extend(
    CreateEventsubSubscriptionParams,
    Schema.Record({ key: Schema.String, value: Schema.Unknown })
  ),
  body: [...createEventsubSubscription.body, ...Object.keys(extra)]
})

const sameTransport = (a: Transport, b: Option.Option<Transport>): boolean =>
  Option.isSome(b) && b.value.method === a.method && targetOf(b.value) === targetOf(a)

const onTransport = (sub: EventSubSubscription, transport: Transport): boolean => {
  const t = sub.transport
  const target = transport.method === "websocket"
    ? t.sessionId
    : transport.method === "webhook"
    ? t.callback
    : t.conduitId
  return Option.getOrUndefined(target) === targetOf(transport)
}

const wire = (transport: Transport) => {
  switch (transport.method) {
    case "websocket":
      return { method: "websocket", sessionId: transport.sessionId } as const
    case "webhook":
      return {
        method: "webhook",
        callback: transport.callback,
        secret: Redacted.value(transport.secret)
      } as const
    case "conduit":
      return { method: "conduit", conduitId: transport.conduitId } as const
  }
}

/**
 * Create EventSub Subscription for an entry on a transport; fields beyond the generated operation's
 * go through the Helix OperationRunner when one is in context.
 */
const requestOf = (
  api: EventSubApi.EventSubApi.Service,
  runner: Option.Option<OperationRunner.OperationRunner["Type"]>
) =>
(
  entry: Entry,
  transport: Transport
): Effect.Effect<CreateEventSubSubscriptionResponse, SubscribeError> =>
  Effect.suspend((): Effect.Effect<CreateEventSubSubscriptionResponse, SubscribeError> => {
    const type = entry.definition.type
    if (!isKnownType(type)) {
      return Effect.fail(new EventSubError({ reason: "Unsupported", subscription: entry.label }))
    }
    const params = {
      type,
      version: entry.definition.version,
      condition: entry.condition,
      transport: wire(transport)
    }
    const extra = entry.definition.requestExtra
    if (Object.keys(extra).length === 0) return api.subscribe(params).pipe(OperationRunner.builtParams)
    // Fields beyond the generated operation's (`is_batching_enabled`) go beside the condition.
    return Option.match(runner, {
      onNone: () =>
        Effect.fail(
          new EventSubError({
            reason: "Unsupported",
            subscription: entry.label,
            detail: `${Object.keys(extra).join(", ")} needs the Helix OperationRunner in context`
          })
        ),
      onSome: (run) =>
        run.value(createWithExtra(extra))({ ...params, ...extra }).pipe(OperationRunner.builtParams)
    })
  })

/** The subscription Twitch already has for this entry on this transport (after a 409). */
const existingOf = (api: EventSubApi.EventSubApi.Service) => (entry: Entry, transport: Transport) => {
  const type = entry.definition.type
  return api.subscriptions(isKnownType(type) ? { type } : {}).pipe(
    Stream.filter((sub) =>
      sub.version === entry.definition.version && onTransport(sub, transport) &&
      Object.entries(entry.condition).every(([k, v]) => sub.condition[k] === v)
    ),
    Stream.runHead,
    OperationRunner.builtParams
  )
}

/** Builds the creator. */
export const make = (options: {
  readonly api: EventSubApi.EventSubApi.Service
  /** The transport new subscriptions go to now (`None` while a WebSocket has no session). */
  readonly transport: () => Option.Option<Transport>
  readonly webSocket: boolean
  /** Frees connection slots held by dead sessions (the WebSocket deletes their subscriptions). */
  readonly freeSlots: Effect.Effect<void>
  /** A subscription is wanted while there is no transport (the WebSocket connects). */
  readonly needTransport: Effect.Effect<void>
  readonly concurrency: number
  /**
   * Whether a subscription nobody wants any more is deleted on Twitch (default true; a conduit's
   * subscriptions serve every process of a fleet and stay).
   */
  readonly deleteUnwanted?: boolean | undefined
}): Effect.Effect<Creator, never, Scope.Scope> =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const runner = yield* Effect.serviceOption(OperationRunner.OperationRunner)
    const { api } = options

    const request = requestOf(api, runner)
    const existing = existingOf(api)

    const attempt = (
      entry: Entry,
      transport: Transport,
      mayFree: boolean
    ): Effect.Effect<{ readonly id: string; readonly cost: number }, SubscribeError> =>
      request(entry, transport).pipe(
        Effect.flatMap((answer) => {
          const sub = answer.data[0]
          return sub === undefined
            ? Effect.fail(
              new EventSubError({ reason: "Unsupported", subscription: entry.label, detail: "empty answer" })
            )
            : Effect.succeed({ id: sub.id, cost: sub.cost })
        }),
        Effect.catchIf((e: SubscribeError): e is HelixError => e._tag !== "EventSubError", (error) => {
          const limit = limitOf(error)
          if (limit === "Connections" && mayFree) {
            return Effect.zipRight(options.freeSlots, attempt(entry, transport, false))
          }
          if (limit === "SameSubscription" && error._tag === "HttpError" && error.status === 409) {
            return Effect.flatMap(existing(entry, transport), (found) =>
              Option.isSome(found) ?
                Effect.succeed({ id: found.value.id, cost: found.value.cost }) :
                Effect.fail(limitError(entry, limit, error)))
          }
          return Effect.fail(limit === undefined ? error : limitError(entry, limit, error))
        })
      )

    const create = (entry: Entry, report: Report): Effect.Effect<void> =>
      Effect.suspend(() => {
        const transport = options.transport()
        if (Option.isNone(transport) || entry.creating || entry.twitchId !== undefined) return Effect.void
        entry.creating = true
        return attempt(entry, transport.value, true).pipe(
          Effect.either,
          Effect.flatMap((outcome) => {
            entry.creating = false
            // Made for a session lost meanwhile: the next one creates it again.
            if (!sameTransport(transport.value, options.transport())) return Effect.void
            if (outcome._tag === "Left") return Effect.sync(() => report.failed(entry, outcome.left))
            return report.created(entry, outcome.right.id, outcome.right.cost)
              ? Effect.void
              : remove(outcome.right.id)
          }),
          Effect.withSpan("EventSub subscribe", {
            kind: "client",
            attributes: {
              "twitch.eventsub.type": entry.definition.type,
              "twitch.eventsub.version": entry.definition.version,
              "twitch.eventsub.transport": transport.value.method
            }
          })
        )
      })

    const remove = (id: string) =>
      options.deleteUnwanted === false ? Effect.void : api.unsubscribe({ id }).pipe(
        OperationRunner.builtParams,
        Effect.timeout("10 seconds"),
        Effect.catchAll((error) => Effect.logDebug("EventSub: deleting a subscription failed", error))
      )

    return {
      refuses: (definition, wanted) => {
        const label = `${definition.type}@${definition.version}`
        if (options.webSocket && definition.webhookOnly) {
          return Option.some(
            new EventSubError({ reason: "Unsupported", subscription: label, detail: "webhook-only type" })
          )
        }
        if (options.webSocket && wanted >= maxPerWebSocket) {
          return Option.some(
            new EventSubError({ reason: "LimitReached", limit: "Subscriptions", subscription: label })
          )
        }
        return Option.none()
      },
      wanted: (entry, report) =>
        Option.isSome(options.transport())
          ? Effect.asVoid(Effect.forkIn(create(entry, report), scope))
          : options.needTransport,
      createAll: (entries, report) =>
        Effect.forEach(entries, (entry) => create(entry, report), {
          concurrency: options.concurrency,
          discard: true
        }),
      remove
    }
  })

const limitError = (entry: Entry, limit: Limit, error: HelixError) =>
  new EventSubError({
    reason: "LimitReached",
    limit,
    subscription: entry.label,
    detail: error._tag === "HttpError"
      ? `Twitch answered ${error.status} ${error.twitchMessage ?? ""}`.trim()
      : ""
  })
