/**
 * Reading over EventSub: the EventSub client's stream of everything (one order across the chat
 * types: a message comes before its deletion) turned into the message model and published to the
 * hub, and the client's connection events turned into the chat client's.
 *
 * - Only chat notifications of this account's subscriptions are read (an EventSub client shared
 *   with the app may carry others). Each is written as the IRC line of the same event and parsed
 *   (`lines.ts`); a message whose id was already delivered (Twitch may send it twice, and once
 *   more around a reconnect) is dropped and counted. The client's own messages tell its badges in
 *   the channel (elevated or not: the limits), settings updates the slow mode.
 * - Back-pressure: when a message stream is full under `backpressure`, the hub pauses the source;
 *   reading then stops, the EventSub client's buffer fills and it stops reading its socket.
 * - Connection events: a welcome is `Connected` (connection numbers count WebSocket sessions), a
 *   `session_reconnect` is `ReconnectRequested`, a lost session `Disconnected` (the client is
 *   `Reconnecting` until the next welcome; sends go on through the API meanwhile). After a lost
 *   session no channel is joined until the EventSub client created its subscriptions anew: then
 *   `Joined`, as after IRC's rejoin.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Definition from "../../../eventsub/Definition.js"
import type * as EventSub from "../../../eventsub/EventSub.js"
import type { Delivered } from "../../../eventsub/Notification.js"
import type * as TM from "../../TwitchMessage.js"
import { parseTwitchLine } from "../../TwitchMessage.js"
import * as drain from "../drain.js"
import type * as Hub from "../engine/hub.js"
import * as State from "../engine/state.js"
import type * as Channels from "./channels.js"
import * as Lines from "./lines.js"

/** The badges the account showed in each channel (its last message there). */
export type OwnBadges = Map<
  string,
  ReadonlyArray<{ readonly setId: string; readonly id: string; readonly info: string }>
>

const elevatedSets = new Set(["broadcaster", "moderator", "vip"])

/** Whether a notification is chat of one of this account's subscriptions. */
const ours = (d: Delivered, userId: string): boolean => {
  if (d._tag !== "Notification") return false
  if (!d.type.startsWith("channel.chat")) return false
  return Option.match(d.subscription, {
    onNone: () => true,
    onSome: (s) => s.condition["user_id"] === undefined || s.condition["user_id"] === userId
  })
}

/** A source the hub can pause: reading waits while it is paused. */
export const source = Effect.map(Effect.makeLatch(true), (latch) => ({
  latch,
  pause: () => latch.unsafeClose(),
  resume: () => latch.unsafeOpen()
}))

/** What the reader learns from one message, and whether it is a copy. */
const admit = (
  state: State.State,
  userId: string,
  own: OwnBadges,
  d: Delivered,
  m: TM.TwitchMessage
): boolean => {
  if (m._tag === "Privmsg" || m._tag === "UserNotice") {
    if (state.dedupe.seenId(m.id)) {
      state.counters.duplicates++
      return false
    }
  }
  if (
    m._tag === "Privmsg" && m.userId === userId && d._tag === "Notification" &&
    d.type === "channel.chat.message"
  ) {
    own.set(m.channel, d.event.badges)
    state.rooms.elevated.set(m.channel, d.event.badges.some((b) => elevatedSets.has(b.setId)))
  } else if (m._tag === "RoomState") {
    state.rooms.roomIds.set(m.channel, m.roomId)
    const slow = Option.getOrElse(m.slow, () => 0)
    if (slow > 0) state.rooms.slowModes.set(m.channel, slow * 1000)
    else state.rooms.slowModes.delete(m.channel)
  }
  return true
}

/** Turns one chunk of notifications into messages (copies and other types left out). */
const translate = (
  state: State.State,
  userId: string,
  own: OwnBadges,
  chunk: Iterable<Delivered>
): Array<TM.TwitchMessage> => {
  const out: Array<TM.TwitchMessage> = []
  for (const d of chunk) {
    if (!ours(d, userId)) continue
    const line = Lines.fromEventSub(d)
    if (line === undefined) continue
    const parsed = parseTwitchLine(line)
    if (Either.isLeft(parsed)) {
      state.counters.invalidLines++
      continue
    }
    if (admit(state, userId, own, d, parsed.right)) out.push(parsed.right)
  }
  return out
}

/** Reads the EventSub client's notifications into the hub until the scope closes. */
export const read = (
  state: State.State,
  eventSub: EventSub.Service<Definition.WebSocketCapable>,
  userId: string,
  own: OwnBadges,
  from: Effect.Effect.Success<typeof source>
): Effect.Effect<void> =>
  // drained with a pull loop: Stream.runForEachChunk would make V8 promote every chunk (drain.ts)
  drain.forEachChunk(
    eventSub.notifications({ bufferSize: state.settings.bufferSize, overflow: "backpressure" }),
    (chunk) =>
      Effect.zipRight(
        from.latch.await,
        Effect.sync(() => {
          const batch = translate(state, userId, own, chunk)
          if (batch.length > 0) state.hub.publish(batch, from satisfies Hub.Source)
        })
      )
  )

/** The WebSocket session the client reads on: its number (1 for the first), while it lives. */
export interface Session {
  number: number
  live: boolean
}

/**
 * Follows the EventSub client's connection events: the chat client's status and events, and the
 * channels' subscriptions lost with a session and created anew.
 */
export const follow = (
  state: State.State,
  eventSub: EventSub.Service<Definition.WebSocketCapable>,
  session: Session,
  channels: Pick<Channels.Channels, "sessionLost" | "subscribed">
): Effect.Effect<void> =>
  Stream.runForEach(eventSub.events, (event) =>
    Effect.gen(function*() {
      switch (event._tag) {
        case "Connecting":
          return State.emit(state, { _tag: "Connecting", attempt: event.attempt })
        case "Welcomed": {
          const connection = ++session.number
          session.live = true
          if (connection > 1) {
            state.counters.reconnects++
            state.settings.hooks.reconnect()
          }
          yield* State.update(state, (s) =>
            s.phase === "Closed" || s.phase === "Failed"
              ? s
              : { ...s, phase: "Connected", offlineSince: undefined })
          return State.emit(state, {
            _tag: "Connected",
            connection,
            login: state.identity.login,
            anonymous: false
          })
        }
        case "ReconnectRequested":
          return State.emit(state, { _tag: "ReconnectRequested", connection: session.number })
        case "Disconnected": {
          const now = yield* Clock.currentTimeMillis
          session.live = false
          yield* channels.sessionLost
          yield* State.update(state, (s) =>
            s.phase === "Closed" || s.phase === "Failed"
              ? s
              : { ...s, phase: "Reconnecting", offlineSince: now })
          return State.emit(state, { _tag: "Disconnected", connection: session.number, reason: event.reason })
        }
        case "Subscribed":
          return yield* channels.subscribed(event.subscription.replace(/@[^@]*$/, ""), event.condition)
        default:
          return
      }
    }))
