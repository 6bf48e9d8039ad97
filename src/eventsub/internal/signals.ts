/**
 * A client's counters (the `stats` and the Effect metrics, updated together) and its connection
 * events (each listener gets its own sliding buffer of 1024, so a listener that stops reading
 * loses old events, never the client's progress).
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Mailbox from "effect/Mailbox"
import * as Stream from "effect/Stream"
import { type ConnectionEvent, metrics, type Stats } from "../EventSub.js"

/** The counters of one client. */
export interface Counters {
  readonly stats: () => Stats
  readonly add: (name: keyof Stats, n?: number) => void
}

/** Builds the counters. */
export const counters = (): Counters => {
  const stats: { -readonly [K in keyof Stats]: number } = {
    notifications: 0,
    duplicates: 0,
    stale: 0,
    dropped: 0,
    revocations: 0,
    unreadable: 0,
    reconnects: 0
  }
  return {
    stats: () => ({ ...stats }),
    add: (name, n = 1) => {
      stats[name] += n
      metrics[name].unsafeUpdate(n, [])
    }
  }
}

/** Events (connection events by default) to every listener. */
export interface Signals<A = ConnectionEvent> {
  readonly emit: (event: A) => void
  readonly stream: Stream.Stream<A>
}

/** Builds the event broadcaster. */
export const signals = <A = ConnectionEvent>(): Signals<A> => {
  const listeners = new Set<Mailbox.Mailbox<A>>()
  return {
    emit: (event) => {
      for (const listener of listeners) listener.unsafeOffer(event)
    },
    stream: Stream.unwrapScoped(
      Effect.map(
        Effect.acquireRelease(
          Effect.tap(
            Mailbox.make<A>({ capacity: 1024, strategy: "sliding" }),
            (mailbox) => Effect.sync(() => listeners.add(mailbox))
          ),
          (mailbox) =>
            Effect.sync(() => {
              listeners.delete(mailbox)
              mailbox.unsafeDone(Exit.void)
            })
        ),
        (mailbox) => Mailbox.toStream(mailbox)
      )
    )
  }
}
