/**
 * The mock IRC server's one state record and what every part is given. {@link ServerState} holds
 * one `Ref` per concern (connections and rooms, settings, counters, send windows, bans, chat
 * history, accepted messages and waiters, blast pools), each an immutable value owned by the part
 * that changes it; {@link Env} adds the world, the options, the limits and the clock. Parts are
 * functions of an `Env`: no state lives in closures.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import type * as World from "../World.js"
import type { BlastState } from "./Blast.js"
import type * as Chatter from "./Chatter.js"
import type { ChatLog } from "./History.js"
import type { Inbox } from "./Inbox.js"
import type { Windows } from "./Limits.js"
import type { Counters, Limits, Options, ViolationKind } from "./Model.js"
import type { Bans } from "./Moderation.js"
import type { Registry } from "./Rooms.js"

/**
 * What the control handle can change while the server runs.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  /** Generated lines per second in each live, joined channel (0: none). */
  readonly chatterRate: number
  readonly answerPings: boolean
  /** Every outgoing line waits this long after it was queued. */
  readonly delayMs: number
}

/**
 * What the server counted (see {@link Counters}; `openConnections` is derived).
 *
 * @since 0.1.0
 * @category models
 */
export type Stats = Omit<Counters, "openConnections">

/**
 * The server's state: one `Ref` per concern.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerState {
  readonly registry: Ref.Ref<Registry>
  readonly settings: Ref.Ref<Settings>
  readonly stats: Ref.Ref<Stats>
  readonly windows: Ref.Ref<Windows>
  readonly bans: Ref.Ref<Bans>
  readonly log: Ref.Ref<ChatLog>
  readonly inbox: Ref.Ref<Inbox>
  readonly blast: Ref.Ref<BlastState>
}

/**
 * What every part of the server is given.
 *
 * @since 0.1.0
 * @category models
 */
export interface Env {
  readonly world: World.World.Service
  readonly options: Options
  readonly limits: Limits
  /** The seed of the generators (the option, else the world's). */
  readonly seed: number
  /** Epoch milliseconds from the server's `Clock`. */
  readonly now: () => number
  /** Ids of posted, relayed, noticed and blasted messages: seeded and counter-based. */
  readonly messageIds: Chatter.MessageIds
  /** The background chatter's generator. */
  readonly generator: Chatter.Generator
  /** The server's scope (for work that outlives the request that started it). */
  readonly scope: Scope.Scope
  readonly state: ServerState
}

const noViolations: Record<ViolationKind, number> = {
  userRate: 0,
  channelRate: 0,
  slowMode: 0,
  duplicate: 0,
  tooLong: 0,
  banned: 0,
  timedOut: 0,
  joinRate: 0,
  authRate: 0,
  concurrentRooms: 0,
  anonymousSend: 0,
  missingScope: 0,
  suspended: 0,
  r9k: 0,
  emoteOnly: 0,
  subsOnly: 0,
  followersOnly: 0
}

/**
 * A fresh state.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (settings: Settings): Effect.Effect<ServerState> =>
  Effect.all({
    registry: Ref.make<Registry>({ sessions: new Set(), rooms: new Map(), nextId: 1 }),
    settings: Ref.make(settings),
    stats: Ref.make<Stats>({
      connections: 0,
      logins: 0,
      loginFailures: 0,
      linesReceived: 0,
      linesSent: 0,
      privmsgsAccepted: 0,
      joins: 0,
      pingsSent: 0,
      pongsReceived: 0,
      violations: noViolations
    }),
    windows: Ref.make<Windows>({
      user: new Map(),
      join: new Map(),
      auth: new Map(),
      lastInChannel: new Map()
    }),
    bans: Ref.make<Bans>(new Map()),
    log: Ref.make<ChatLog>({ history: new Map(), firstSeen: new Set() }),
    inbox: Ref.make<Inbox>({ received: new Map(), privmsgWaiters: [], loginWaiters: [] }),
    blast: Ref.make<BlastState>({ pools: new Map(), lastTs: 0 })
  })

/**
 * Adds `n` to a counter.
 *
 * @since 0.1.0
 * @category utils
 */
export const count = (
  env: Env,
  key: Exclude<keyof Stats, "violations">,
  n = 1
): Effect.Effect<void> => Ref.update(env.state.stats, (s) => ({ ...s, [key]: s[key] + n }))

/**
 * Counts a refused attempt.
 *
 * @since 0.1.0
 * @category utils
 */
export const violation = (env: Env, kind: ViolationKind): Effect.Effect<void> =>
  Ref.update(
    env.state.stats,
    (s) => ({ ...s, violations: { ...s.violations, [kind]: s.violations[kind] + 1 } })
  )

/**
 * The current settings.
 *
 * @since 0.1.0
 * @category utils
 */
export const settings = (env: Env): Effect.Effect<Settings> => Ref.get(env.state.settings)
