/**
 * Dropping copies of inbound messages. Twitch may send a message twice, and during a RECONNECT
 * overlap (old and new connection both live) every room event comes on both connections:
 *
 * - PRIVMSG and USERNOTICE carry an `id`: the last `size` ids are kept in a ring and a message
 *   whose id is among them is a copy. An id is kept as a 62-bit fingerprint (two 32-bit FNV-style
 *   hashes of its characters, read in place in the line), not as a string: nothing is sliced out
 *   of the line, nothing is retained, and a lookup hashes a few dozen characters once. Two
 *   different ids share a fingerprint with a probability of about 2^-62; a clash of only the
 *   first hash makes the older id forgotten early (a copy of it would be delivered), never a
 *   message dropped.
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
  /** `seenId` for the `id` tag of a raw line (none: false). */
  readonly seenLine: (line: string) => boolean
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

/** Where the `id` tag's value starts in `line`, or -1 (it ends at the next `;` or space). */
const idValue = (line: string): number => {
  if (line.charCodeAt(0) !== 64) return -1 // @
  if (line.startsWith("id=", 1)) return 4
  const tagsEnd = line.indexOf(" ")
  const hit = line.indexOf(";id=")
  return hit < 0 || (tagsEnd >= 0 && hit > tagsEnd) ? -1 : hit + 4
}

const valueEnd = (line: string, start: number): number => {
  for (let i = start; i < line.length; i++) {
    const c = line.charCodeAt(i)
    if (c === 59 || c === 32) return i // ; or space
  }
  return line.length
}

/** A dedupe that remembers `size` ids (and at most `size` overlap keys). */
export const make = (size: number): Dedupe => {
  const capacity = Math.max(1, size)
  // fingerprint: key (30 bits, a small integer as Map key) -> check (32 bits)
  const index = new Map<number, number>()
  const keys = new Int32Array(capacity)
  const checks = new Int32Array(capacity)
  let filled = 0
  let position = 0
  let overlap = 0
  let overlaps = 0
  const seen = new Map<string, { conn: number; count: number }>()
  const remember = (line: string, start: number, end: number): boolean => {
    if (end <= start) return false
    let a = 0x811c9dc5 | 0
    let b = 0x9747b28c | 0
    for (let i = start; i < end; i++) {
      const c = line.charCodeAt(i)
      a = Math.imul(a ^ c, 0x01000193)
      b = Math.imul(b ^ c, 0x5bd1e995)
      b ^= b >>> 15
    }
    const key = a & 0x3fffffff
    if (index.get(key) === b) return true
    if (filled === capacity) {
      const old = keys[position]
      if (index.get(old) === checks[position]) index.delete(old)
    } else {
      filled++
    }
    keys[position] = key
    checks[position] = b
    index.set(key, b)
    position = (position + 1) % capacity
    return false
  }
  return {
    seenId: (id) => remember(id, 0, id.length),
    seenLine: (line) => {
      const start = idValue(line)
      return start >= 0 && remember(line, start, valueEnd(line, start))
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
