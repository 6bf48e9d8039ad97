/**
 * From a routed message to what streams hand over. Streams buffer messages as they came (a frame's
 * event still JSON text); an event is parsed and decoded when the first stream pulls it, once for
 * every stream that gets it, and dies young with the consumer's work instead of waiting decoded in
 * a buffer. An event that does not parse or decode is counted `unreadable`, logged and skipped in
 * the stream, before any user code sees it.
 */
import * as Chunk from "effect/Chunk"
import * as Either from "effect/Either"
import type * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { EventSubSubscription } from "../../helix/generated/models.js"
import * as Definition from "../Definition.js"
import type { Delivered, Notification, Revocation } from "../Notification.js"
import { eventsOf, type Inbound, subscriptionOf } from "./frames.js"
import type { Counters } from "./signals.js"

/** A notification as a stream buffers it. */
export interface Pending {
  readonly _tag: "Pending"
  readonly inbound: Extract<Inbound, { _tag: "Notification" }>
  /** The definition its events decode with (found by its type and version). */
  readonly definition: Definition.Any
  /** Its decoded events, once a stream pulled it or it was decoded when routed. */
  decoded: ReadonlyArray<unknown> | undefined
  /** The subscription, decoded for the stream of everything. */
  subscription: Option.Option<EventSubSubscription> | undefined
}

/** What the stream of everything buffers. */
export type Item = Pending | Revocation

/** Counting and logging, for decoding. */
export interface Reporting {
  readonly counters: Counters
  readonly log: (message: string) => void
}

/** Whether a message's events wait to be decoded until pulled (one event of a frame, as text). */
export const isLazy = (inbound: Extract<Inbound, { _tag: "Notification" }>): boolean =>
  inbound.payload._tag === "Text" && !inbound.payload.batched

/**
 * The events of a pending notification, parsed and decoded on the first call. Decoded when routed,
 * every event that decodes counts as a notification; decoded on a pull, the message was counted
 * when routed and what fails counts as unreadable too.
 */
export const decode = (reporting: Reporting, pending: Pending, routed: boolean): ReadonlyArray<unknown> => {
  if (pending.decoded !== undefined) return pending.decoded
  const { inbound } = pending
  const label = Definition.key(inbound.type, inbound.version)
  const raw = eventsOf(inbound.payload)
  if ("_tag" in raw) {
    reporting.counters.add("unreadable")
    reporting.log(`EventSub ${label} notification skipped: ${raw.detail}`)
    return pending.decoded = []
  }
  const out: Array<unknown> = []
  for (const event of raw) {
    const decoded = Definition.decodeEvent(pending.definition, event)
    if (Either.isLeft(decoded)) {
      reporting.counters.add("unreadable")
      reporting.log(`EventSub ${label} event did not decode (skipped): ${decoded.left.message}`)
      continue
    }
    if (routed) reporting.counters.add("notifications")
    out.push(decoded.right)
  }
  return pending.decoded = out
}

/** The events of one subscription's buffered messages, decoded as pulled. */
export const events = <E>(
  reporting: Reporting,
  buffered: Stream.Stream<Pending, E>
): Stream.Stream<unknown, E> =>
  Stream.mapChunks(buffered, (chunk) => {
    const out: Array<unknown> = []
    for (const pending of chunk) {
      const decoded = decode(reporting, pending, false)
      for (let i = 0; i < decoded.length; i++) out.push(decoded[i])
    }
    return Chunk.unsafeFromArray(out)
  })

/**
 * Subscriptions decoded by the stream of everything, by id with the text they were decoded from:
 * every message of a subscription carries the same object, so one decoding serves them all.
 */
export type SubscriptionMemo = Map<
  string,
  { readonly text: string; readonly subscription: Option.Option<EventSubSubscription> }
>

/** Ids remembered by a memo before it starts over (a client has a few dozen subscriptions). */
const memoSize = 64

/** The subscription of a message, decoded, or the decoding of an earlier one with the same text. */
export const subscriptionIn = (
  memo: SubscriptionMemo,
  raw: Extract<Inbound, { _tag: "Notification" }>["subscription"]
): Option.Option<EventSubSubscription> => {
  const text = raw.text
  if (text === undefined) return subscriptionOf(raw)
  const known = memo.get(raw.id)
  if (known !== undefined && known.text === text) return known.subscription
  const subscription = subscriptionOf(raw)
  if (memo.size >= memoSize) memo.clear()
  memo.set(raw.id, { text, subscription })
  return subscription
}

const notificationOf = (memo: SubscriptionMemo, pending: Pending, event: unknown): Delivered => {
  const { inbound } = pending
  // Built for the stream of everything; the definition was found by this type and version.
  return {
    _tag: "Notification",
    type: inbound.type,
    version: inbound.version,
    event,
    messageId: inbound.messageId,
    timestamp: new Date(inbound.timestamp),
    subscriptionId: inbound.subscription.id,
    subscription: (pending.subscription ??= subscriptionIn(memo, inbound.subscription))
  } as Notification<Definition.Any> as Delivered
}

/** The stream of everything: notifications (one per event, decoded as pulled) and revocations. */
export const everything = (reporting: Reporting, buffered: Stream.Stream<Item>): Stream.Stream<Delivered> =>
  Stream.suspend(() => {
    const memo: SubscriptionMemo = new Map()
    return Stream.mapChunks(buffered, (chunk) => {
      const out: Array<Delivered> = []
      for (const item of chunk) {
        if (item._tag === "Revocation") {
          out.push(item)
          continue
        }
        for (const event of decode(reporting, item, false)) out.push(notificationOf(memo, item, event))
      }
      return Chunk.unsafeFromArray(out)
    })
  })
