/**
 * Dropping copies of inbound messages. Twitch may send a message twice, and during a RECONNECT
 * overlap (old and new connection both live) every room event comes on both connections:
 *
 * - PRIVMSG and USERNOTICE carry an `id`: the last `size` ids are kept in a ring and a message
 *   whose id is among them is a copy. An id is kept as a 63-bit fingerprint (two 32-bit hashes of
 *   its characters, read in place in the line) in typed arrays, not as a string:
 *   nothing is sliced out of the line, nothing is retained or allocated, and a lookup hashes a
 *   few dozen characters once. Two different ids share a fingerprint with a probability of about
 *   2^-63 (then the later one would be taken for a copy).
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

/** The fingerprint {@link hash} computed last (two int32 halves, `a` never 0). */
const H = { a: 0, b: 0 }

/**
 * Fingerprints `s[start, end)`, or in a tag value only up to its first `;` or space: two 32-bit
 * hashes over the characters taken two at a time (one 32-bit word per pair, the length mixed in
 * at the end, so different texts make different word sequences), kept in {@link H}. One pass over
 * the characters finds the end of the value and hashes it. Returns false for an empty text.
 */
const hash = (s: string, start: number, end: number, tagValue: boolean): boolean => {
  let a = 0x811c9dc5 | 0
  let b = 0x9747b28c | 0
  let i = start
  for (; i < end; i++) {
    let c = s.charCodeAt(i)
    if (tagValue && (c === 59 || c === 32)) break // ; or space
    if (i + 1 < end) {
      const d = s.charCodeAt(i + 1)
      if (!tagValue || (d !== 59 && d !== 32)) {
        c |= d << 16
        i++
      }
    }
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  const n = i - start
  if (n === 0) return false
  // the table's slot comes from the low bits of `a`: mix the high halves of the words into them
  a ^= n
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b)
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35)
  H.a = (a ^ (a >>> 16)) | 1
  H.b = b ^ n
  return true
}

/**
 * A set of fingerprints (two int32 halves, the first never 0) in typed arrays: open addressing
 * with linear probing, at most half full, deletion by backward shift. No allocation per operation.
 */
const fingerprints = (capacity: number) => {
  let slots = 16
  while (slots < capacity * 2) slots *= 2
  const mask = slots - 1
  const as = new Int32Array(slots)
  const bs = new Int32Array(slots)
  const find = (a: number, b: number): number => {
    for (let i = a & mask;; i = (i + 1) & mask) {
      if (as[i] === 0) return -1
      if (as[i] === a && bs[i] === b) return i
    }
  }
  return {
    has: (a: number, b: number) => find(a, b) >= 0,
    add: (a: number, b: number) => {
      let i = a & mask
      while (as[i] !== 0) i = (i + 1) & mask
      as[i] = a
      bs[i] = b
    },
    delete: (a: number, b: number) => {
      let i = find(a, b)
      if (i < 0) return
      as[i] = 0
      // Shift back the entries of the run after i that would not be found past the hole.
      for (let j = (i + 1) & mask; as[j] !== 0; j = (j + 1) & mask) {
        const home = as[j] & mask
        const between = i <= j ? home > i && home <= j : home > i || home <= j
        if (between) continue
        as[i] = as[j]
        bs[i] = bs[j]
        as[j] = 0
        i = j
      }
    }
  }
}

/** A dedupe that remembers `size` ids (and at most `size` overlap keys). */
export const make = (size: number): Dedupe => {
  const capacity = Math.max(1, size)
  const index = fingerprints(capacity)
  const ringA = new Int32Array(capacity)
  const ringB = new Int32Array(capacity)
  let filled = 0
  let position = 0
  let overlap = 0
  let overlaps = 0
  const seen = new Map<string, { conn: number; count: number }>()
  /** Whether the fingerprint in {@link H} was seen (and remembers it when not). */
  const remember = (): boolean => {
    const a = H.a
    const b = H.b
    if (index.has(a, b)) return true
    if (filled === capacity) index.delete(ringA[position], ringB[position])
    else filled++
    ringA[position] = a
    ringB[position] = b
    index.add(a, b)
    position = position + 1 === capacity ? 0 : position + 1
    return false
  }
  return {
    seenId: (id) => hash(id, 0, id.length, false) && remember(),
    seenLine: (line) => {
      const start = idValue(line)
      return start >= 0 && hash(line, start, line.length, true) && remember()
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
