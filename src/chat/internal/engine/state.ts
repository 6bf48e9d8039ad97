/**
 * The engine's one explicit state, passed to every part: the resolved settings, the identity, the
 * connection status (a `SubscriptionRef`, so whoever waits for a connection or a channel waits on
 * its changes), what was learned about rooms, the counters and the shared services (limiter, hub,
 * dedupe, events, scopes).
 *
 * @internal
 */
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as PubSub from "effect/PubSub"
import * as Random from "effect/Random"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type { AccessToken } from "../../../auth/AccessToken.js"
import type * as TwitchAuth from "../../../auth/TwitchAuth.js"
import type { ChatError, NotAuthorized } from "../../../TwitchError.js"
import type * as ChatClient from "../../ChatClient.js"
import type * as ChatRateLimits from "../../ChatRateLimits.js"
import type { SendOutcome } from "../../SendOutcome.js"
import type * as Connection from "./connection.js"
import type * as Dedupe from "./dedupe.js"
import type * as Hub from "./hub.js"

/** The client's options resolved: durations decoded, defaults applied. */
export interface Settings {
  readonly bufferSize: number
  readonly overflow: ChatClient.Overflow
  readonly limits: ChatRateLimits.Limits
  readonly timeouts: {
    readonly send: Duration.Duration
    readonly offlineSend: Duration.Duration
    readonly join: Duration.Duration
    readonly login: Duration.Duration
    readonly keepaliveIdle: Duration.Duration
    readonly keepaliveAnswer: Duration.Duration
  }
  readonly backoff: {
    readonly base: Duration.Duration
    readonly max: Duration.Duration
    readonly stableAfter: Duration.Duration
  }
  readonly sendQueueSize: number
  readonly initialAttempts: number
  readonly defaults: {
    readonly maxLength: number
    readonly tooLong: "split" | "refuse"
    readonly commands: "escape" | "allow"
    readonly duplicates: "refuse" | "distinct"
  }
  readonly dedupeSize: number
  /** Metric updates. */
  readonly hooks: {
    readonly received: (n: number) => void
    readonly sent: (outcome: SendOutcome) => void
    readonly dropped: (n: number) => void
    readonly reconnect: () => void
  }
}

/** Who the client logs in as. The token is replaced when it is refreshed. */
export interface Identity {
  readonly login: string
  readonly anonymous: boolean
  readonly auth: TwitchAuth.TwitchAuth.Service | undefined
  token: AccessToken | undefined
}

/**
 * The connection status. `current` is the connection sends and joins use: it is set only while
 * live (an ended or draining connection is never current, so nobody waits on a dead one), and
 * `joined` lists the channels joined on it.
 */
export interface Status {
  readonly phase: ChatClient.ConnectionState
  readonly current: Connection.Conn | undefined
  /** When the client lost its last usable connection (undefined while connected). */
  readonly offlineSince: number | undefined
  /** Channels the user wants: joined, and rejoined after every reconnect, until `part`. */
  readonly wanted: ReadonlySet<string>
  readonly joined: ReadonlySet<string>
  /** Why the client gave up (`Failed`), or was closed (`Closed`). */
  readonly failure: ChatError | NotAuthorized | undefined
}

/** What the client learned about rooms and itself from Twitch's tags. */
export interface Rooms {
  /** Broadcaster, moderator or VIP (USERSTATE badges). */
  readonly elevated: Map<string, boolean>
  readonly roomIds: Map<string, string>
  /** Slow mode in milliseconds (ROOMSTATE). */
  readonly slowModes: Map<string, number>
  /** The last message accepted in each channel and when (Twitch's `msg_duplicate` rule). */
  readonly lastSent: Map<string, { readonly text: string; readonly at: number }>
  userId: string
}

/** Mutable counters behind `stats`. */
export type Counters = { -readonly [K in keyof ChatClient.Stats]: number }

/** The state every part of the engine works on. */
export interface State {
  readonly settings: Settings
  readonly identity: Identity
  readonly status: SubscriptionRef.SubscriptionRef<Status>
  readonly rooms: Rooms
  readonly counters: Counters
  readonly events: PubSub.PubSub<ChatClient.ConnectionEvent>
  readonly limiter: ChatRateLimits.ChatRateLimiter
  readonly hub: Hub.Hub
  readonly dedupe: Dedupe.Dedupe
  /** The client's clock, for the times stamped synchronously on inbound messages. */
  readonly clock: Clock.Clock
  /** Where connections live (closed after the client's goodbye). */
  readonly connections: Scope.Scope
  /** Where background fibers live (joins, send workers, the supervisor). */
  readonly fibers: Scope.Scope
}

/** The status of a client that is connecting for the first time. */
export const initial: Status = {
  phase: "Connecting",
  current: undefined,
  offlineSince: undefined,
  wanted: new Set(),
  joined: new Set(),
  failure: undefined
}

/** Publishes a connection event (the PubSub slides: a slow reader of `events` loses old ones). */
export const emit = (state: State, event: ChatClient.ConnectionEvent): void => {
  state.events.unsafeOffer(event)
}

/** Changes the status (every waiter sees the change). */
export const update = (state: State, f: (status: Status) => Status): Effect.Effect<void> =>
  SubscriptionRef.update(state.status, f)

/**
 * Waits until `f` gives a value for the status (checked now and on every change); never polls.
 */
export const awaitStatus = <A>(
  status: SubscriptionRef.SubscriptionRef<Status>,
  f: (status: Status) => A | undefined
): Effect.Effect<A> =>
  Effect.flatMap(SubscriptionRef.get(status), (now) => {
    const ready = f(now)
    if (ready !== undefined) return Effect.succeed(ready)
    return status.changes.pipe(
      Stream.filterMap((s) => {
        const a = f(s)
        return a === undefined ? Option.none() : Option.some(a)
      }),
      Stream.runHead,
      Effect.flatMap((a) => a._tag === "Some" ? Effect.succeed(a.value) : Effect.never)
    )
  })

/** Adds or removes one channel of a set (a new set: the status is immutable). */
export const withChannel = (
  set: ReadonlySet<string>,
  channel: string,
  present: boolean
): ReadonlySet<string> => {
  if (set.has(channel) === present) return set
  const next = new Set(set)
  if (present) next.add(channel)
  else next.delete(channel)
  return next
}

/**
 * The wait before reconnect (or rejoin) attempt `attempt`: `base` doubled per attempt up to
 * `max`, jittered to 50-100% (through `Random`).
 */
export const backoff = (
  settings: Pick<Settings["backoff"], "base" | "max">,
  attempt: number
): Effect.Effect<Duration.Duration> =>
  Effect.map(Random.next, (r) => {
    const base = Duration.toMillis(settings.base)
    const max = Duration.toMillis(settings.max)
    const raw = Math.min(max, base * 2 ** Math.max(0, attempt - 1))
    return Duration.millis(Math.round(raw * (0.5 + r / 2)))
  })
