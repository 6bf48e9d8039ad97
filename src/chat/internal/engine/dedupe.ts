/**
 * Dropping copies of inbound messages. Twitch may send a message twice, and during a RECONNECT
 * overlap (old and new connection both live) every room event comes on both connections:
 *
 * - PRIVMSG and USERNOTICE carry an `id`: the last `size` ids are kept in a ring and a message
 *   whose id is among them is a copy.
 * - CLEARCHAT, CLEARMSG, NOTICE and ROOMSTATE carry none, so during an overlap they are keyed by
 *   command, params and every tag (`tmi-sent-ts`, `target-msg-id`, `msg-id`...): one is a copy
 *   when the same key came on the *other* connection and was not matched yet. Copies are
 *   counted, so an event that really comes twice still comes twice; outside an overlap identical
 *   messages are all delivered.
 *
 * Synchronous and allocation-light: it runs for every inbound message.
 *
 * @internal
 */
import type * as TM from "../../TwitchMessage.js"

/** The dedupe state of one client. */
export interface Dedupe {
  /** Whether a message with this id was seen (and remembers it when not). */
  readonly seenId: (id: string) => boolean
  /** Whether `m`, received on connection `conn`, is the copy of one received on the other one. */
  readonly overlapCopy: (conn: number, m: TM.TwitchMessage) => boolean
  /**
   * A RECONNECT started: room events are matched across connections until
   * {@link Dedupe.endOverlap} with the number returned (a later overlap is not ended by an
   * earlier one's end).
   */
  readonly startOverlap: () => number
  readonly endOverlap: (overlap: number) => void
}

const overlapKey = (m: TM.TwitchMessage): string | undefined => {
  switch (m._tag) {
    case "ClearChat":
    case "ClearMsg":
    case "Notice":
    case "RoomState": {
      let key = `${m.irc.command} ${m.irc.params.join(" ")}`
      for (const [k, v] of [...m.irc.tags].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
        key += `;${k}=${v}`
      }
      return key
    }
    default:
      return undefined
  }
}

/** A dedupe that remembers `size` ids (and at most `size` overlap keys). */
export const make = (size: number): Dedupe => {
  const capacity = Math.max(1, size)
  const ids = new Set<string>()
  const ring: Array<string | undefined> = new Array(capacity)
  let position = 0
  let overlap = 0
  let overlaps = 0
  const seen = new Map<string, { conn: number; count: number }>()
  return {
    seenId: (id) => {
      if (id.length === 0) return false
      if (ids.has(id)) return true
      const old = ring[position]
      if (old !== undefined) ids.delete(old)
      // A copy: the id is a slice of the received line, which would keep the line alive for
      // `size` messages.
      const own = (" " + id).slice(1)
      ring[position] = own
      ids.add(own)
      position = (position + 1) % capacity
      return false
    },
    overlapCopy: (conn, m) => {
      if (overlap === 0) return false
      const key = overlapKey(m)
      if (key === undefined) return false
      const entry = seen.get(key)
      if (entry === undefined || entry.conn === conn) {
        if (entry === undefined) seen.set(key, { conn, count: 1 })
        else entry.count++
        if (seen.size > capacity) {
          const oldest = seen.keys().next()
          if (oldest.done !== true) seen.delete(oldest.value)
        }
        return false
      }
      entry.count--
      if (entry.count === 0) seen.delete(key)
      return true
    },
    startOverlap: () => {
      overlap = ++overlaps
      seen.clear()
      return overlap
    },
    endOverlap: (n) => {
      if (overlap !== n) return
      overlap = 0
      seen.clear()
    }
  }
}
