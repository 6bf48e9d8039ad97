/**
 * What both transports build the same way: counters, connection events, the hub of streams, the
 * dedupe gate, a logger, and the public service over a registry.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Definition from "../Definition.js"
import * as EventSub from "../EventSub.js"
import type { Session } from "../Notification.js"
import * as Gate from "./gate.js"
import * as Hub from "./hub.js"
import type { Registry } from "./registry.js"
import * as Signals from "./signals.js"

/** The replay window: older messages are refused (Twitch's advice). */
export const maxAge = Duration.minutes(10)

/** The keepalive timeout asked of Twitch: 10 to 600 seconds, default 10. */
export const keepaliveSeconds = (seconds: number | undefined): number =>
  Math.min(600, Math.max(10, Math.round(Number.isFinite(seconds) ? (seconds ?? 10) : 10)))

/** Buffer and dedupe options both transports take. */
export interface CoreOptions {
  /** Items kept per stream (default 4096; 0 = unbounded). */
  readonly bufferSize?: number | undefined
  readonly overflow?: EventSub.Overflow | undefined
  /** Message ids remembered for dedupe (default 10,000; none older than 10 minutes). */
  readonly dedupeWindow?: number | undefined
}

/** The parts. */
export interface Core {
  readonly counters: Signals.Counters
  readonly signals: Signals.Signals
  readonly hub: Hub.Hub
  readonly gate: Gate.Gate
  readonly log: (message: string) => void
}

/** Builds the parts. */
export const make = (options: CoreOptions): Effect.Effect<Core> =>
  Effect.gen(function*() {
    const counters = Signals.counters()
    const hub = yield* Hub.make({
      bufferSize: options.bufferSize ?? EventSub.defaultBufferSize,
      overflow: options.overflow ?? "backpressure",
      dropped: (n) => counters.add("dropped", n)
    })
    const runtime = yield* Effect.runtime<never>()
    return {
      counters,
      signals: Signals.signals(),
      hub,
      gate: Gate.make({ window: options.dedupeWindow ?? 10_000, maxAgeMillis: Duration.toMillis(maxAge) }),
      log: (message) => {
        Runtime.runFork(runtime)(Effect.logWarning(message))
      }
    }
  })

/** The public service over a registry. */
export const service = <D extends Definition.Any>(
  core: Core,
  registry: Registry,
  session: () => Option.Option<Session>
): EventSub.Service<D> => {
  const subscribeScoped: EventSub.Service<D>["subscribeScoped"] = (definition, condition, options) =>
    // The registry decodes with the definition's own schema: its items are that definition's events.
    registry.subscribe(definition, condition, options) as Effect.Effect<
      Stream.Stream<Definition.Event<typeof definition>, EventSub.SubscribeError>,
      EventSub.SubscribeError,
      Scope.Scope
    >
  return {
    subscribeScoped,
    subscribe: (definition, condition, options) =>
      Stream.unwrapScoped(subscribeScoped(definition, condition, options)),
    keepScoped: registry.keep,
    notifications: registry.notifications,
    events: core.signals.stream,
    session: Effect.sync(session),
    stats: Effect.sync(core.counters.stats)
  }
}
