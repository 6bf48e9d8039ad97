/**
 * Twitch's EventSub messages, read from a WebSocket text frame or a webhook request into one form.
 * Only the envelope is read here (by hand: it is on every message's path); events are decoded by
 * their definition when routed, subscriptions and sessions with their schemas.
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as FastDecode from "../../helix/FastDecode.js"
import { EventSubSubscription } from "../../helix/generated/models.js"
import { Session } from "../Notification.js"

/** A message as both transports deliver it. */
export type Inbound =
  | {
    readonly _tag: "Welcome"
    readonly messageId: string
    readonly timestamp: string
    readonly session: Session
  }
  | { readonly _tag: "Keepalive"; readonly messageId: string; readonly timestamp: string }
  | {
    readonly _tag: "Reconnect"
    readonly messageId: string
    readonly timestamp: string
    readonly session: Session
  }
  | {
    readonly _tag: "Notification"
    readonly messageId: string
    readonly timestamp: string
    readonly type: string
    readonly version: string
    /** The subscription object as sent (decoded when read, see {@link subscriptionOf}). */
    readonly subscription: RawSubscription
    /** The event, or the batch of events (`events`, drop entitlements). */
    readonly payload: { readonly event: unknown } | { readonly events: ReadonlyArray<unknown> }
  }
  | {
    readonly _tag: "Revocation"
    readonly messageId: string
    readonly timestamp: string
    readonly type: string
    readonly version: string
    readonly subscription: RawSubscription
  }

/** A subscription object as sent: its id and status read, the rest decoded on demand. */
export interface RawSubscription {
  readonly id: string
  readonly status: string
  readonly raw: Readonly<Record<string, unknown>>
}

/** Why a message was not read. */
export interface Unreadable {
  readonly _tag: "Unreadable"
  readonly detail: string
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const str = (record: Readonly<Record<string, unknown>>, key: string): string | undefined => {
  const value = record[key]
  return typeof value === "string" ? value : undefined
}

const unreadable = (detail: string): Unreadable => ({ _tag: "Unreadable", detail })

const decodeSession = Schema.decodeUnknownEither(Session)
const fastSubscription = FastDecode.compile(EventSubSubscription)
const slowSubscription = Schema.decodeUnknownOption(EventSubSubscription)

/** The subscription of a message, decoded (`None` when it does not fit Twitch's shape). */
export const subscriptionOf = (raw: RawSubscription): Option.Option<EventSubSubscription> => {
  const fast = fastSubscription(raw.raw)
  return Option.isSome(fast) ? fast : slowSubscription(raw.raw)
}

const rawSubscription = (payload: Readonly<Record<string, unknown>>): RawSubscription | undefined => {
  const sub = payload["subscription"]
  if (!isRecord(sub)) return undefined
  const id = str(sub, "id")
  const status = str(sub, "status")
  return id === undefined ? undefined : { id, status: status ?? "", raw: sub }
}

/**
 * Reads a message from its type, id, timestamp, subscription type and version (the WebSocket's
 * `metadata`, a webhook's headers) and its payload.
 */
export const fromParts = (
  messageType: string,
  messageId: string,
  timestamp: string,
  subscriptionType: string | undefined,
  subscriptionVersion: string | undefined,
  payload: unknown
): Inbound | Unreadable => {
  if (!isRecord(payload)) return unreadable(`${messageType} without a payload object`)
  switch (messageType) {
    case "session_welcome":
    case "session_reconnect": {
      const session = decodeSession(payload["session"])
      if (Either.isLeft(session)) return unreadable(`${messageType}: ${session.left.message}`)
      return messageType === "session_welcome"
        ? { _tag: "Welcome", messageId, timestamp, session: session.right }
        : { _tag: "Reconnect", messageId, timestamp, session: session.right }
    }
    case "session_keepalive":
      return { _tag: "Keepalive", messageId, timestamp }
    case "notification":
    case "revocation": {
      const subscription = rawSubscription(payload)
      if (subscription === undefined) return unreadable(`${messageType} without a subscription id`)
      const type = subscriptionType ?? str(subscription.raw, "type")
      const version = subscriptionVersion ?? str(subscription.raw, "version")
      if (type === undefined || version === undefined) return unreadable(`${messageType} without a type`)
      if (messageType === "revocation") {
        return { _tag: "Revocation", messageId, timestamp, type, version, subscription }
      }
      const events = payload["events"]
      const event = payload["event"]
      const body = event === undefined && Array.isArray(events)
        ? { events }
        : isRecord(event)
        ? { event }
        : undefined
      if (body === undefined) return unreadable(`notification of ${type} without an event`)
      return { _tag: "Notification", messageId, timestamp, type, version, subscription, payload: body }
    }
    default:
      return unreadable(`unknown message type ${messageType}`)
  }
}

/** Reads a WebSocket text frame (`{metadata, payload}`). */
export const fromFrame = (text: string): Inbound | Unreadable => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return unreadable("not JSON")
  }
  if (!isRecord(json)) return unreadable("not a JSON object")
  const metadata = json["metadata"]
  if (!isRecord(metadata)) return unreadable("no metadata")
  const messageType = str(metadata, "message_type")
  const messageId = str(metadata, "message_id")
  const timestamp = str(metadata, "message_timestamp")
  if (messageType === undefined || messageId === undefined || timestamp === undefined) {
    return unreadable("metadata without message_type, message_id or message_timestamp")
  }
  return fromParts(
    messageType,
    messageId,
    timestamp,
    str(metadata, "subscription_type"),
    str(metadata, "subscription_version"),
    json["payload"]
  )
}
