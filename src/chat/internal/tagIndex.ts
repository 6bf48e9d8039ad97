/**
 * Tag lookups of the Twitch model: the tags it reads are known in advance (`key`), and a message
 * read field after field gets an index of where each known tag's value is, built in one pass over
 * its tags the first time it is read more than a few times. Up to then, and for keys the model does
 * not know, each lookup is one `indexOf` in the line (`findTag`); a user who reads the text and a
 * few fields pays no more than that, a logger who reads every field pays one pass instead of one
 * search per field. Once most of the last messages were read that many times (a program that reads
 * every field), the next message gets its index at its first lookup.
 *
 * The pass also notes which values hold a backslash (`V.escaped`), so that reading a value needs
 * no scan of its characters for escapes.
 *
 * One index for the whole process, owned by the message read last (reading is synchronous): a
 * program that reads messages one after another gets each indexed once; one that alternates
 * between two messages falls back to searching. Nothing is kept on the message itself.
 *
 * Same answers as `findTag`: the first occurrence of a key wins, a key without `=` has an empty
 * value, keys are compared exactly.
 *
 * @internal
 */
import { findTag, T } from "./irc.js"

/** A tag key the model reads, with its search needle and its slot in the index. */
export interface Key {
  readonly key: string
  readonly needle: string
  readonly id: number
}

const SLOTS = 512
const MASK = SLOTS - 1
/** Hash slot → key id + 1 (0: empty); open addressing with linear probing. */
const table = new Int16Array(SLOTS)
const names: Array<string> = []
/** The characters of every name, one after another: a name is `codes[offsets[id], + its length)`. */
let codes = new Uint16Array(0)
let offsets = new Int32Array(0)

/** The hash of a key, as `build` computes it while reading the key. */
const hashOf = (name: string): number => {
  let hash = 0
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) | 0
  return hash
}

/** Registers a key the model reads (at module load; at most a few hundred). */
export const key = (name: string): Key => {
  const existing = names.indexOf(name)
  if (existing >= 0) return { key: name, needle: ";" + name, id: existing }
  const id = names.length
  if (id * 2 >= SLOTS) throw new Error("tagIndex: too many keys")
  names.push(name)
  const more = new Uint16Array(codes.length + name.length)
  more.set(codes)
  for (let i = 0; i < name.length; i++) more[codes.length + i] = name.charCodeAt(i)
  offsets = Int32Array.from([...offsets, codes.length])
  codes = more
  let slot = hashOf(name) & MASK
  while (table[slot] !== 0) slot = (slot + 1) & MASK
  table[slot] = id + 1
  return { key: name, needle: ";" + name, id }
}

/** Lookups of one message before it gets the index. */
const THRESHOLD = 7
/**
 * How the last messages were read: up by one for each read at least {@link THRESHOLD} times (to
 * {@link RUN_MAX}), down by one for each read fewer times (a logger's CLEARCHAT), to 0 once at
 * {@link EAGER}.
 */
let heavyRun = 0
/** From this {@link heavyRun} on, a message gets its index at its first lookup. */
const EAGER = 3
const RUN_MAX = 8

/** What the last lookup knows of the value's escapes: 0 none, 1 it holds a backslash, 2 unknown. */
export const V = { escaped: 2 }

let owner: object | undefined
let candidate: object | undefined
let lookups = 0
let generation = 0
let stamps = new Int32Array(0)
let starts = new Int32Array(0)
/** The end of each value, negated minus one when the value holds a backslash. */
let ends = new Int32Array(0)

/** The known key whose name is `line[start, end)` (hashed as `hash`), or -1. */
const idAt = (line: string, start: number, end: number, hash: number): number => {
  const len = end - start
  for (let slot = hash & MASK;; slot = (slot + 1) & MASK) {
    const entry = table[slot]
    if (entry === 0) return -1
    const name = names[entry - 1]
    if (name.length !== len) continue
    let i = 0
    while (i < len && name.charCodeAt(i) === line.charCodeAt(start + i)) i++
    if (i === len) return entry - 1
  }
}

/** The first backslash in `line[from, tagsEnd)`, or `tagsEnd`. */
const backslash = (line: string, from: number, tagsEnd: number): number => {
  const at = line.indexOf("\\", from)
  return at < 0 || at > tagsEnd ? tagsEnd : at
}

/**
 * The key seen after each known key (by id + 1; 0 for the first tag) in the lines indexed before,
 * or -1: Twitch sends a kind's tags in one order, so a key is mostly compared with that guess
 * instead of being read and hashed to be found in the table (and then compared).
 */
const following = new Int16Array(SLOTS / 2 + 1).fill(-1)

/**
 * The id of the known key at `line[i, ...)` ending before `=`, `;` or `tagsEnd` when it is the
 * guess `guess`, else -1; its end is then in `B.keyEnd`.
 */
const guessed = (line: string, i: number, tagsEnd: number, guess: number): number => {
  if (guess < 0) return -1
  const from = offsets[guess]
  const length = names[guess].length
  const end = i + length
  if (end > tagsEnd) return -1
  for (let j = 0; j < length; j++) if (line.charCodeAt(i + j) !== codes[from + j]) return -1
  const c = end < tagsEnd ? line.charCodeAt(end) : 59
  if (c !== 61 && c !== 59) return -1
  B.keyEnd = end
  return guess
}

/** The key read by {@link keyAt}: where it ends. */
const B = { keyEnd: 0 }

/** The known key at `line[i, ...)` (its end in `B.keyEnd`), or -1: read, hashed and looked up. */
const keyAt = (line: string, i: number, tagsEnd: number): number => {
  let k = i
  let hash = 0
  while (k < tagsEnd) {
    const c = line.charCodeAt(k)
    if (c === 61 || c === 59) break
    hash = (Math.imul(hash, 31) + c) | 0
    k++
  }
  B.keyEnd = k
  return k > i ? idAt(line, i, k, hash) : -1
}

/** Indexes the known keys of the tags `line[1, tagsEnd)`: one pass over them. */
const build = (line: string, tagsEnd: number): void => {
  if (stamps.length < names.length) {
    stamps = new Int32Array(names.length)
    starts = new Int32Array(names.length)
    ends = new Int32Array(names.length)
  }
  generation = (generation + 1) | 0
  if (generation === 0) {
    stamps.fill(0)
    generation = 1
  }
  // the next backslash at or after `i` (or `tagsEnd`)
  let bs = backslash(line, 1, tagsEnd)
  // the last known key, as id + 1 (0 before the first)
  let previous = 0
  let i = 1
  while (i < tagsEnd) {
    let id = guessed(line, i, tagsEnd, following[previous])
    if (id < 0) {
      id = keyAt(line, i, tagsEnd)
      if (id >= 0) following[previous] = id
    }
    const k = B.keyEnd
    let valueStart = k
    let valueEnd = k
    if (k < tagsEnd && line.charCodeAt(k) === 61) {
      valueStart = k + 1
      // empty and one-character values (flags) without a search
      if (valueStart >= tagsEnd || line.charCodeAt(valueStart) === 59) valueEnd = valueStart
      else if (valueStart + 1 >= tagsEnd || line.charCodeAt(valueStart + 1) === 59) valueEnd = valueStart + 1
      else {
        valueEnd = line.indexOf(";", valueStart + 2)
        if (valueEnd < 0 || valueEnd > tagsEnd) valueEnd = tagsEnd
      }
    }
    // a backslash in the key is kept as written: look for one in the value
    if (bs < valueStart) bs = backslash(line, valueStart, tagsEnd)
    if (id >= 0) {
      if (stamps[id] !== generation) {
        stamps[id] = generation
        starts[id] = valueStart
        ends[id] = bs < valueEnd ? -valueEnd - 1 : valueEnd
      }
      previous = id + 1
    }
    i = valueEnd + 1
    if (bs < i && bs < tagsEnd) bs = backslash(line, i, tagsEnd)
  }
}

/** The last lookup before the index (a getter read twice, as `m.color._tag === "Some" ? m.color.value`). */
let lastSelf: object | undefined
let lastId = -1
let lastStart = -1
let lastEnd = 0

/**
 * Finds the tag `key` of the message `self` (whose line is `line`, tags `line[1, tagsEnd)`):
 * the start of its value (the end is in `T.end`, what is known of its escapes in `V.escaped`),
 * or -1 when absent. See the module doc.
 */
export const lookup = (self: object, line: string, tagsEnd: number, key: Key): number => {
  const id = key.id
  if (owner !== self) {
    if (lastSelf === self && lastId === id) {
      T.end = lastEnd
      V.escaped = 2
      return lastStart
    }
    if (candidate !== self) {
      // a new message: was the previous one read field after field?
      if (lookups >= THRESHOLD) {
        if (heavyRun < RUN_MAX) heavyRun++
      } else if (heavyRun > 0) heavyRun = heavyRun > EAGER ? heavyRun - 1 : 0
      candidate = self
      lookups = 0
    }
    if ((++lookups < THRESHOLD && heavyRun < EAGER) || tagsEnd === 0) {
      const start = findTag(line, tagsEnd, key.key, key.needle)
      lastSelf = self
      lastId = id
      lastStart = start
      lastEnd = T.end
      V.escaped = 2
      return start
    }
    build(line, tagsEnd)
    owner = self
    lastSelf = undefined
  } else lookups++
  if (stamps[id] !== generation) return -1
  const end = ends[id]
  if (end < 0) {
    T.end = -end - 1
    V.escaped = 1
  } else {
    T.end = end
    V.escaped = 0
  }
  return starts[id]
}

/**
 * Forgets how the last messages were read (tests: the next message is searched until its 7th
 * lookup), or, with `eager`, acts as if they were all read field after field (the next message
 * gets its index at its first lookup).
 */
export const resetReads = (eager = false): void => {
  owner = undefined
  candidate = undefined
  lastSelf = undefined
  lookups = eager ? THRESHOLD : 0
  heavyRun = eager ? RUN_MAX : 0
}
