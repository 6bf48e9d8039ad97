/**
 * The hub: fans inbound messages out to every message stream, each with its own bounded buffer
 * (a `Mailbox`) and overflow policy.
 *
 * - `backpressure`: when a stream's buffer is full, the rest waits in that stream's `stalled` list
 *   and the connection that delivered it stops reading (`pause`) until every stalled stream has
 *   drained; nothing is lost.
 * - `dropOldest`: the buffer slides; dropped messages are counted.
 *
 * Before the first stream subscribes, the latest `bufferSize` messages are kept for it. `end`
 * ends every stream (with the client's error, or cleanly), now and for streams started later.
 *
 * `publish` is synchronous (one call per socket read, from the read callback): the hot path.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Mailbox from "effect/Mailbox"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import * as Stream from "effect/Stream"
import type { ChatError, NotAuthorized } from "../../../TwitchError.js"
import type * as ChatClient from "../../ChatClient.js"
import type * as TM from "../../TwitchMessage.js"

type Failure = ChatError | NotAuthorized

/** What delivered messages and can stop reading (a connection). */
export interface Source {
  readonly pause: () => void
  readonly resume: () => void
}

/** What a stream asks for. */
export interface Subscription {
  readonly filter?: ((m: TM.TwitchMessage) => boolean) | undefined
  readonly bufferSize?: number | undefined
  readonly overflow?: ChatClient.Overflow | undefined
}

/** The hub of one client. */
export interface Hub {
  readonly publish: (batch: Array<TM.TwitchMessage>, source: Source) => void
  readonly subscribe: (options: Subscription) => Stream.Stream<TM.TwitchMessage, Failure>
  /** Whether the hub stopped reading `source` (its silence is then ours, not the server's). */
  readonly isPaused: (source: Source) => boolean
  /** Forgets a source that closed. */
  readonly release: (source: Source) => void
  readonly end: (exit: Exit.Exit<void, Failure>) => void
}

interface Sub {
  readonly mailbox: Mailbox.Mailbox<TM.TwitchMessage, Failure>
  readonly filter: ((m: TM.TwitchMessage) => boolean) | undefined
  readonly overflow: ChatClient.Overflow
  readonly capacity: number
  stalled: Array<TM.TwitchMessage> | undefined
}

/** The messages of `batch` that pass `filter`: `batch` itself when all do (no copy). */
const select = (batch: Array<TM.TwitchMessage>, filter: (m: TM.TwitchMessage) => boolean) => {
  for (let i = 0; i < batch.length; i++) {
    if (filter(batch[i])) continue
    const selected = batch.slice(0, i)
    for (let j = i + 1; j < batch.length; j++) if (filter(batch[j])) selected.push(batch[j])
    return selected
  }
  return batch
}

/** Counters the hub adds to: messages delivered and dropped. */
export interface Counts {
  readonly received: (n: number) => void
  readonly dropped: (n: number) => void
}

/** A hub with the client's default buffer size (0 = unbounded) and overflow policy. */
export const make = (
  defaults: { readonly bufferSize: number; readonly overflow: ChatClient.Overflow },
  counts: Counts
): Effect.Effect<Hub> =>
  Effect.map(Effect.runtime<never>(), (runtime) => {
    const runFork = Runtime.runFork(runtime)
    const subs = new Set<Sub>()
    const backlogCapacity = defaults.bufferSize > 0 ? defaults.bufferSize : 10_000
    let backlog: Array<TM.TwitchMessage> = []
    const paused = new Set<Source>()
    let ended: Exit.Exit<void, Failure> | undefined

    const resumeIfFree = () => {
      for (const sub of subs) if (sub.stalled !== undefined) return
      for (const source of paused) source.resume()
      paused.clear()
    }
    const stall = (source: Source) => {
      source.pause()
      paused.add(source)
    }
    const drain = (sub: Sub) =>
      Effect.gen(function*() {
        while (sub.stalled !== undefined && sub.stalled.length > 0) {
          const items = sub.stalled
          sub.stalled = []
          const rest = yield* sub.mailbox.offerAll(items)
          if (rest.length > 0) break // mailbox ended
        }
        sub.stalled = undefined
        resumeIfFree()
      })
    const keep = (batch: Array<TM.TwitchMessage>) => {
      for (const m of batch) backlog.push(m)
      if (backlog.length > backlogCapacity) {
        counts.dropped(backlog.length - backlogCapacity)
        backlog = backlog.slice(backlog.length - backlogCapacity)
      }
    }
    const offer = (sub: Sub, items: Array<TM.TwitchMessage>, source: Source) => {
      if (sub.stalled !== undefined) {
        for (const m of items) sub.stalled.push(m)
        stall(source)
      } else if (sub.overflow === "dropOldest" && sub.capacity > 0) {
        const size = Option.getOrElse(sub.mailbox.unsafeSize(), () => 0)
        const over = size + items.length - sub.capacity
        if (over > 0) counts.dropped(over)
        sub.mailbox.unsafeOfferAll(items)
      } else {
        const rest = sub.mailbox.unsafeOfferAll(items)
        if (rest.length > 0) {
          sub.stalled = Chunk.toArray(rest)
          stall(source)
          runFork(drain(sub))
        }
      }
    }
    const publish = (batch: Array<TM.TwitchMessage>, source: Source) => {
      counts.received(batch.length)
      if (subs.size === 0) return keep(batch)
      for (const sub of subs) {
        const items = sub.filter === undefined ? batch : select(batch, sub.filter)
        if (items.length > 0) offer(sub, items, source)
      }
    }
    const attach = (sub: Sub) => {
      if (ended !== undefined) return sub.mailbox.unsafeDone(ended)
      if (subs.size === 0 && backlog.length > 0) {
        const items = sub.filter === undefined ? backlog : backlog.filter(sub.filter)
        backlog = []
        const rest = sub.mailbox.unsafeOfferAll(items)
        if (rest.length > 0) counts.dropped(rest.length)
      }
      subs.add(sub)
    }
    const detach = (sub: Sub) => {
      subs.delete(sub)
      sub.stalled = undefined
      sub.mailbox.unsafeDone(Exit.void)
      resumeIfFree()
    }
    const subscribe = (options: Subscription) =>
      Stream.unwrapScoped(Effect.gen(function*() {
        const capacity = options.bufferSize ?? defaults.bufferSize
        const overflow = options.overflow ?? defaults.overflow
        const mailbox = yield* Mailbox.make<TM.TwitchMessage, Failure>(
          capacity > 0 ? { capacity, strategy: overflow === "dropOldest" ? "sliding" : "suspend" } : undefined
        )
        const sub: Sub = { mailbox, filter: options.filter, overflow, capacity, stalled: undefined }
        yield* Effect.acquireRelease(Effect.sync(() => attach(sub)), () => Effect.sync(() => detach(sub)))
        return Mailbox.toStream(mailbox)
      }))
    return {
      publish,
      subscribe,
      isPaused: (source) => paused.has(source),
      release: (source) => {
        paused.delete(source)
      },
      end: (exit) => {
        if (ended !== undefined) return
        ended = exit
        // Streams end after the messages already buffered.
        for (const sub of subs) sub.mailbox.unsafeDone(exit)
        subs.clear()
      }
    }
  })
