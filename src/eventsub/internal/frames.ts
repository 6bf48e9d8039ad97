/**
 * Twitch's EventSub messages, read from a WebSocket text frame or a webhook request into one form.
 * Only the envelope is read here (by hand: it is on every message's path; a notification frame is
 * not even parsed, see `scan.ts`); events are parsed and decoded when a consumer pulls them,
 * subscriptions and sessions with their schemas when read.
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as FastDecode from "../../helix/FastDecode.js"
import { EventSubSubscription } from "../../helix/generated/models.js"
import { Session } from "../Notification.js"
import { type ScannedNotification, scanNotification } from "./scan.js"

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
    readonly payload: Body
  }
  | {
    readonly _tag: "Revocation"
    readonly messageId: string
    readonly timestamp: string
    readonly type: string
    readonly version: string
    readonly subscription: RawSubscription
  }

/** A subscription object as sent: its id and status read, the rest parsed on demand ({@link recordOf}). */
export interface RawSubscription {
  readonly id: string
  readonly status: string
  /** Its JSON text, when not parsed yet. */
  readonly text: string | undefined
  parsed: Readonly<Record<string, unknown>> | undefined
}

/**
 * A notification's event, or batch of events (`batched`): parsed already (a webhook's body, a
 * frame read in full), or the JSON text of a frame, parsed when a consumer pulls it
 * ({@link eventsOf}).
 */
export type Body =
  | { readonly _tag: "Parsed"; readonly batched: boolean; readonly value: unknown }
  | { readonly _tag: "Text"; readonly batched: boolean; readonly json: string; readonly frame: string }

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

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The subscription object of a message (`{}` if its text does not read as one). */
export const recordOf = (raw: RawSubscription): Readonly<Record<string, unknown>> => {
  if (raw.parsed !== undefined) return raw.parsed
  const parsed = raw.text === undefined ? undefined : parseJson(raw.text)
  return raw.parsed = isRecord(parsed) ? parsed : {}
}

/** The subscription of a message, decoded (`None` when it does not fit Twitch's shape). */
export const subscriptionOf = (raw: RawSubscription): Option.Option<EventSubSubscription> => {
  const record = recordOf(raw)
  const fast = fastSubscription(record)
  return Option.isSome(fast) ? fast : slowSubscription(record)
}

const rawSubscription = (payload: Readonly<Record<string, unknown>>): RawSubscription | undefined => {
  const sub = payload["subscription"]
  if (!isRecord(sub)) return undefined
  const id = str(sub, "id")
  const status = str(sub, "status")
  return id === undefined ? undefined : { id, status: status ?? "", text: undefined, parsed: sub }
}

const eventsIn = (value: unknown, batched: boolean): ReadonlyArray<unknown> | undefined =>
  batched ? (Array.isArray(value) ? value : undefined) : isRecord(value) ? [value] : undefined

/**
 * The events of a notification (one, or a batch): the JSON text parsed now if it was left as
 * text; an `Unreadable` when it does not read. When the text does not parse (the frame did not
 * end with its event after all), the whole frame is parsed and read as {@link parseFrame} reads it.
 */
export const eventsOf = (body: Body): ReadonlyArray<unknown> | Unreadable => {
  const key = body.batched ? "events" : "event"
  if (body._tag === "Parsed") {
    return eventsIn(body.value, body.batched) ?? unreadable(`no ${key} in the payload`)
  }
  const value = parseJson(body.json)
  if (value === undefined) {
    const whole = parseFrame(body.frame)
    return whole._tag === "Notification" && whole.payload._tag === "Parsed"
      ? eventsOf(whole.payload)
      : unreadable(`the ${key} is not JSON`)
  }
  return eventsIn(value, body.batched) ??
    unreadable(`the ${key} is not ${body.batched ? "a list" : "an object"}`)
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
      const type = subscriptionType ?? str(recordOf(subscription), "type")
      const version = subscriptionVersion ?? str(recordOf(subscription), "version")
      if (type === undefined || version === undefined) return unreadable(`${messageType} without a type`)
      if (messageType === "revocation") {
        return { _tag: "Revocation", messageId, timestamp, type, version, subscription }
      }
      const events = payload["events"]
      const event = payload["event"]
      const body: Body | undefined = event === undefined && Array.isArray(events)
        ? { _tag: "Parsed", batched: true, value: events }
        : isRecord(event)
        ? { _tag: "Parsed", batched: false, value: event }
        : undefined
      if (body === undefined) return unreadable(`notification of ${type} without an event`)
      return { _tag: "Notification", messageId, timestamp, type, version, subscription, payload: body }
    }
    default:
      return unreadable(`unknown message type ${messageType}`)
  }
}

const fromScan = (scanned: ScannedNotification, frame: string): Inbound | Unreadable => {
  const type = scanned.subscriptionType ?? scanned.subscriptionTypeInPayload
  const version = scanned.subscriptionVersion ?? scanned.subscriptionVersionInPayload
  if (type === undefined || version === undefined) return unreadable("notification without a type")
  return {
    _tag: "Notification",
    messageId: scanned.messageId,
    timestamp: scanned.timestamp,
    type,
    version,
    subscription: {
      id: scanned.subscriptionId,
      status: scanned.subscriptionStatus ?? "",
      text: scanned.subscription,
      parsed: undefined
    },
    payload: { _tag: "Text", batched: scanned.batched, json: scanned.event, frame }
  }
}

/**
 * Reads a WebSocket text frame (`{metadata, payload}`): a notification by its envelope alone
 * when it reads that way (`scan.ts`), anything else parsed in full.
 */
export const fromFrame = (text: string): Inbound | Unreadable => {
  const scanned = scanNotification(text)
  return scanned === undefined ? parseFrame(text) : fromScan(scanned, text)
}

/** Reads a WebSocket text frame by parsing all of it (what {@link fromFrame} falls back to). */
export const parseFrame = (text: string): Inbound | Unreadable => {
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
