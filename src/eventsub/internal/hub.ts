/**
 * The consumers' side: one outlet per stream, each a `Mailbox` with its own size and overflow
 * policy. Items are offered synchronously; an outlet that is full under `backpressure` keeps the
 * items that did not fit (in order), closes the flow latch and drains them in a fiber. Readers
 * stop while the flow is closed: the WebSocket pauses its socket, the webhook handler waits before
 * answering Twitch.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Mailbox from "effect/Mailbox"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import type { Overflow, StreamOptions } from "../EventSub.js"

/** One consumer's buffer. */
export interface Outlet<A, E> {
  readonly mailbox: Mailbox.Mailbox<A, E>
  readonly capacity: number
  readonly overflow: Overflow
  /** Items waiting for room (backpressure), in order. */
  stalled: Array<A> | undefined
}

/** The outlets' shared flow control and counters. */
export interface Hub {
  /** Offers an item to an outlet; never waits. */
  readonly offer: <A, E>(outlet: Outlet<A, E>, item: A) => void
  /** Opens an outlet for the life of the scope. */
  readonly outlet: <A, E>(
    options: StreamOptions | undefined
  ) => Effect.Effect<Outlet<A, E>, never, Scope.Scope>
  /** Succeeds when no outlet is stalled (at once if none is). */
  readonly flowing: Effect.Effect<void>
  /** Whether some outlet is stalled now. */
  readonly stalled: () => boolean
  /**
   * Called when the flow stops and starts again (the WebSocket pauses and resumes its socket);
   * returns how to stop listening.
   */
  readonly onFlow: (listener: (flowing: boolean) => void) => () => void
}

/** Builds a hub; `dropped` counts items dropped for `dropOldest` outlets. */
export const make = (defaults: {
  readonly bufferSize: number
  readonly overflow: Overflow
  readonly dropped: (n: number) => void
}): Effect.Effect<Hub> =>
  Effect.gen(function*() {
    const latch = yield* Effect.makeLatch(true)
    const runFork = Runtime.runFork(yield* Effect.runtime<never>())
    const stalledOutlets = new Set<Outlet<unknown, unknown>>()
    const listeners = new Set<(flowing: boolean) => void>()
    const setFlowing = (flowing: boolean) => {
      if (flowing) latch.unsafeOpen()
      else latch.unsafeClose()
      for (const listener of listeners) listener(flowing)
    }
    const drain = <A, E>(outlet: Outlet<A, E>) =>
      Effect.gen(function*() {
        while (outlet.stalled !== undefined && outlet.stalled.length > 0) {
          const items = outlet.stalled
          outlet.stalled = []
          const rest = yield* outlet.mailbox.offerAll(items)
          if (rest.length > 0) break // the mailbox ended
        }
        outlet.stalled = undefined
        stalledOutlets.delete(outlet as Outlet<unknown, unknown>)
        if (stalledOutlets.size === 0) setFlowing(true)
      })

    const offer: Hub["offer"] = (outlet, item) => {
      if (outlet.stalled !== undefined) {
        outlet.stalled.push(item)
        return
      }
      if (outlet.overflow === "dropOldest" && outlet.capacity > 0) {
        const size = Option.getOrElse(outlet.mailbox.unsafeSize(), () => 0)
        if (size >= outlet.capacity) defaults.dropped(1)
        outlet.mailbox.unsafeOffer(item)
        return
      }
      if (outlet.mailbox.unsafeOffer(item)) return
      outlet.stalled = [item]
      const first = stalledOutlets.size === 0
      stalledOutlets.add(outlet as Outlet<unknown, unknown>)
      if (first) setFlowing(false)
      runFork(drain(outlet))
    }

    const outlet: Hub["outlet"] = <A, E>(options: StreamOptions | undefined) =>
      Effect.acquireRelease(
        Effect.gen(function*() {
          const capacity = options?.bufferSize ?? defaults.bufferSize
          const overflow = options?.overflow ?? defaults.overflow
          const mailbox = yield* Mailbox.make<A, E>(
            capacity > 0
              ? { capacity, strategy: overflow === "dropOldest" ? "sliding" : "suspend" }
              : undefined
          )
          const made: Outlet<A, E> = { mailbox, capacity, overflow, stalled: undefined }
          return made
        }),
        (made) =>
          Effect.sync(() => {
            made.stalled = undefined
            made.mailbox.unsafeDone(Exit.void)
            if (stalledOutlets.delete(made as Outlet<unknown, unknown>) && stalledOutlets.size === 0) {
              setFlowing(true)
            }
          })
      )

    return {
      offer,
      outlet,
      flowing: latch.await,
      stalled: () => stalledOutlets.size > 0,
      onFlow: (listener) => {
        listeners.add(listener)
        return () => listeners.delete(listener)
      }
    }
  })
