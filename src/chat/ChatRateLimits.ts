/**
 * Twitch's chat limits and the limiter the chat client sends and joins through.
 *
 * Twitch counts messages in a sliding window per account (20 per 30 s, or 100 per 30 s in channels
 * where the account is broadcaster, moderator or VIP), 1 message per second per channel for plain
 * users, and 20 JOINs per 10 s. Effect's `RateLimiter` (token bucket or fixed window) lets up to
 * twice the limit through within one sliding window, which Twitch counts as a violation, so this
 * module keeps a log of slots instead, behind a small interface of its own.
 *
 * A slot is taken when a line is written and stamped with the time Twitch *answered* it (or the
 * time the client gave up waiting). Twitch stamps the message when it reads it, which is never
 * later than its answer, so the client's count is never lower than Twitch's: no violation whatever
 * the latency, and no slower than the limits require by more than one round trip.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"
import { globalValue } from "effect/GlobalValue"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"

/**
 * The limits the client follows. Windows are configurable so tests can shrink them (together with
 * the mock Twitch's).
 *
 * @since 0.1.0
 * @category models
 */
export interface Limits {
  /** Window of the per-account message count (30 s). */
  readonly messageWindow: Duration.DurationInput
  /** Messages per window in channels where the account is a plain user (20). */
  readonly userMessages: number
  /** Messages per window in channels where the account is broadcaster, moderator or VIP (100). */
  readonly elevatedMessages: number
  /** Minimum gap between two messages of a plain user in one channel (1 s); 0 disables. */
  readonly channelInterval: Duration.DurationInput
  /** Window of the JOIN count (10 s). */
  readonly joinWindow: Duration.DurationInput
  /** JOIN attempts per window (20). */
  readonly joins: number
  /** Window of the authentication count (10 s when absent). */
  readonly authWindow?: Duration.DurationInput | undefined
  /** Logins (a PASS+NICK pair) per window (20 when absent; 200 for a verified bot). */
  readonly auths?: number | undefined
  /**
   * How long Twitch remembers the previous message of the account in a channel to refuse an
   * identical one (`msg_duplicate`; 30 s when absent).
   */
  readonly duplicateWindow?: Duration.DurationInput | undefined
}

/**
 * Twitch's documented limits for a regular account (twitch-facts §5.8).
 *
 * @since 0.1.0
 * @category constants
 */
export const twitchLimits: Limits = {
  messageWindow: Duration.seconds(30),
  userMessages: 20,
  elevatedMessages: 100,
  channelInterval: Duration.seconds(1),
  joinWindow: Duration.seconds(10),
  joins: 20,
  authWindow: Duration.seconds(10),
  auths: 20,
  duplicateWindow: Duration.seconds(30)
}

/**
 * Twitch's limits for a verified bot: 7,500 messages per 30 s whatever the role (the 1 s per
 * channel gap still applies to plain users), 2,000 JOINs per 10 s.
 *
 * @since 0.1.0
 * @category constants
 */
export const verifiedBotLimits: Limits = {
  ...twitchLimits,
  userMessages: 7_500,
  elevatedMessages: 7_500,
  joins: 2_000,
  auths: 200
}

/**
 * The limits with every window and interval multiplied by `factor` (e.g. `0.01` in tests, matched
 * by the mock server's limits).
 *
 * @since 0.1.0
 * @category constructors
 */
export const scaled = (limits: Limits, factor: number): Limits => {
  // Rounded to the microsecond: 30 s / 150 is 200 ms, not 199.99999999999997 (which would free a
  // slot a hair before a server counting 200 ms does).
  const scale = (d: Duration.DurationInput) =>
    Duration.millis(Math.round(Duration.toMillis(Duration.decode(d)) * factor * 1000) / 1000)
  return {
    ...limits,
    messageWindow: scale(limits.messageWindow),
    channelInterval: scale(limits.channelInterval),
    joinWindow: scale(limits.joinWindow),
    authWindow: scale(limits.authWindow ?? Duration.seconds(10)),
    duplicateWindow: scale(limits.duplicateWindow ?? Duration.seconds(30))
  }
}

/**
 * A taken slot. `settle` stamps it with the current time (call it when Twitch answered, or when the
 * client stopped waiting); until then it counts as "now" in every window.
 *
 * @since 0.1.0
 * @category models
 */
export interface Permit {
  /** How long the caller waited for the slot. */
  readonly waited: Duration.Duration
  readonly settle: Effect.Effect<void>
}

/**
 * The limiter of one chat client (one account).
 *
 * @since 0.1.0
 * @category models
 */
export interface ChatRateLimiter {
  /**
   * Waits until a message to `channel` fits, then takes a slot. `elevated` says whether the account
   * is broadcaster, moderator or VIP there (read at each attempt, so a role change applies live);
   * `slowMode` the channel's slow-mode gap in milliseconds (from ROOMSTATE; it applies to plain
   * users like the 1 s gap).
   */
  readonly acquireSend: (
    channel: string,
    elevated: () => boolean,
    slowMode?: () => number
  ) => Effect.Effect<Permit>
  /** Waits until a JOIN fits, then takes a slot. */
  readonly acquireJoin: Effect.Effect<Permit>
  /**
   * Waits until a login (PASS+NICK, Twitch's "authentication attempt") fits, then takes a slot;
   * settle it when the server answered the login or the attempt ended.
   */
  readonly acquireAuth: Effect.Effect<Permit>
  /**
   * Twitch said the account sends too fast (`msg_ratelimit`): its count differs from ours (other
   * instances or connections of the account). Counts the message window as full from now, so
   * nothing more is sent for one window, whatever the role.
   */
  readonly penalize: Effect.Effect<void>
  /** The wait a JOIN would have now (for join timeouts). */
  readonly joinDelay: Effect.Effect<Duration.Duration>
  /** Messages counted in the current window (pending ones included). */
  readonly messagesInWindow: Effect.Effect<number>
}

interface Slot {
  at: number
}

const millis = (d: Duration.DurationInput) => Duration.toMillis(Duration.decode(d))

/**
 * Builds a limiter following `limits`, on the `Clock` (so `TestClock` drives it in tests).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (limits: Limits = twitchLimits): Effect.Effect<ChatRateLimiter> =>
  Effect.sync(() => {
    const messageWindow = millis(limits.messageWindow)
    const channelInterval = millis(limits.channelInterval)
    const joinWindow = millis(limits.joinWindow)
    const messages: Array<Slot> = []
    const joins: Array<Slot> = []
    const auths: Array<Slot> = []
    const authWindow = millis(limits.authWindow ?? Duration.seconds(10))
    const authLimit = limits.auths ?? 20
    const lastInChannel = new Map<string, Slot>()
    let changed = Deferred.unsafeMake<void>(FiberId.none)

    const prune = (slots: Array<Slot>, now: number, window: number) => {
      for (let i = slots.length - 1; i >= 0; i--) {
        if (slots[i].at <= now - window) slots.splice(i, 1)
      }
    }
    /** Milliseconds until `slots` holds fewer than `limit` (Infinity: waits on a pending slot). */
    const windowWait = (slots: Array<Slot>, now: number, window: number, limit: number): number => {
      prune(slots, now, window)
      if (slots.length < limit) return 0
      const times = slots.map((s) => s.at).sort((a, b) => a - b)
      // The (count - limit + 1)-th oldest must leave the window. Never 0 here: with fractional
      // times, `at + window - now` can round to 0 while `at > now - window` still holds.
      return Math.max(times[slots.length - limit] + window - now, Number.MIN_VALUE)
    }
    const settleSlot = (slot: Slot) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          if (slot.at === Infinity) slot.at = now
          const old = changed
          changed = Deferred.unsafeMake<void>(FiberId.none)
          Deferred.unsafeDone(old, Effect.void)
        }))
    // A finite wait ends when a stamped slot leaves its window; settling a pending slot stamps it
    // "now", after every stamped one, so it never shortens a finite wait: sleep it out (no timer
    // left behind for every wake-up). An infinite wait (a pending slot blocks) waits for a settle.
    const waitFor = (ms: number) =>
      ms === Infinity ? Deferred.await(changed) : Effect.sleep(Duration.millis(Math.max(1, ms)))

    const attempt = <A>(
      start: number,
      tryTake: (now: number) => { readonly wait: number } | { readonly slot: A }
    ): Effect.Effect<readonly [A, Duration.Duration]> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const result = tryTake(now)
        if ("slot" in result) return Effect.succeed([result.slot, Duration.millis(now - start)] as const)
        return Effect.zipRight(waitFor(result.wait), attempt(start, tryTake))
      })

    const acquireSend = (
      channel: string,
      elevated: () => boolean,
      slowMode: () => number = () => 0
    ): Effect.Effect<Permit> =>
      Effect.flatMap(Clock.currentTimeMillis, (start) =>
        Effect.map(
          attempt(start, (now) => {
            const isElevated = elevated()
            let wait = windowWait(
              messages,
              now,
              messageWindow,
              isElevated ? limits.elevatedMessages : limits.userMessages
            )
            const gap = isElevated ? 0 : Math.max(channelInterval, slowMode())
            if (gap > 0) {
              const last = lastInChannel.get(channel)
              // As Twitch counts: too soon while less than `gap` has passed (never a 0 wait then).
              if (last !== undefined && now - last.at < gap) {
                wait = Math.max(wait, last.at + gap - now, Number.MIN_VALUE)
              }
            }
            if (wait > 0) return { wait }
            const slot: Slot = { at: Infinity }
            messages.push(slot)
            lastInChannel.set(channel, slot)
            return { slot }
          }),
          ([slot, waited]): Permit => ({ waited, settle: settleSlot(slot) })
        ))

    const acquireJoin: Effect.Effect<Permit> = Effect.flatMap(Clock.currentTimeMillis, (start) =>
      Effect.map(
        attempt(start, (now) => {
          const wait = windowWait(joins, now, joinWindow, limits.joins)
          if (wait > 0) return { wait }
          const slot: Slot = { at: Infinity }
          joins.push(slot)
          return { slot }
        }),
        ([slot, waited]): Permit => ({ waited, settle: settleSlot(slot) })
      ))

    const acquireAuth: Effect.Effect<Permit> = Effect.flatMap(Clock.currentTimeMillis, (start) =>
      Effect.map(
        attempt(start, (now) => {
          const wait = windowWait(auths, now, authWindow, authLimit)
          if (wait > 0) return { wait }
          const slot: Slot = { at: Infinity }
          auths.push(slot)
          return { slot }
        }),
        ([slot, waited]): Permit => ({ waited, settle: settleSlot(slot) })
      ))

    const penalize = Effect.map(Clock.currentTimeMillis, (now) => {
      prune(messages, now, messageWindow)
      const full = Math.max(limits.userMessages, limits.elevatedMessages)
      for (let i = messages.length; i < full; i++) messages.push({ at: now })
    })

    return {
      acquireSend,
      acquireJoin,
      acquireAuth,
      penalize,
      joinDelay: Effect.map(Clock.currentTimeMillis, (now) => {
        const wait = windowWait(joins, now, joinWindow, limits.joins)
        return Duration.millis(wait === Infinity ? joinWindow : wait)
      }),
      messagesInWindow: Effect.map(Clock.currentTimeMillis, (now) => {
        prune(messages, now, messageWindow)
        return messages.length
      })
    }
  })

/**
 * Where chat clients get their limiter. Twitch counts every limit per account, so all clients of
 * one account must draw from one limiter: this service hands out one per account (and limits),
 * shared by every client that holds it, for as long as one does.
 *
 * The chat client uses the `ChatLimiters` in context, else {@link processLimiters} (one registry
 * for the whole process), so clients of one account in one process share their limits without
 * any setup. To share them across processes, provide a `ChatLimiters` whose limiters keep their
 * slots where all processes see them (a database or Redis, with the same sliding-window
 * arithmetic); a limiter is the small {@link ChatRateLimiter} interface.
 *
 * @since 0.1.0
 * @category tags
 */
export class ChatLimiters extends Context.Tag("effect-twitcher/ChatLimiters")<
  ChatLimiters,
  ChatLimiters.Service
>() {}

/**
 * @since 0.1.0
 */
export declare namespace ChatLimiters {
  /**
   * A source of limiters.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /**
     * The limiter of `account` (a login, lowercase) with these limits, held until the scope
     * closes. Clients of one account with the same limits get the same limiter.
     */
    readonly acquire: (account: string, limits: Limits) => Effect.Effect<ChatRateLimiter, never, Scope.Scope>
  }
}

const signature = (limits: Limits): string =>
  [
    millis(limits.messageWindow),
    limits.userMessages,
    limits.elevatedMessages,
    millis(limits.channelInterval),
    millis(limits.joinWindow),
    limits.joins,
    millis(limits.authWindow ?? Duration.seconds(10)),
    limits.auths ?? 20
  ].join(",")

/**
 * A registry of limiters in memory: one per account and limits while a client holds it (the
 * entry goes when the last one releases it).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeLimiters = (): ChatLimiters.Service => {
  const entries = new Map<string, { readonly limiter: ChatRateLimiter; holders: number }>()
  return {
    acquire: (account, limits) => {
      const key = `${account}\n${signature(limits)}`
      return Effect.acquireRelease(
        Effect.sync(() => {
          let entry = entries.get(key)
          if (entry === undefined) {
            entry = { limiter: Effect.runSync(make(limits)), holders: 0 }
            entries.set(key, entry)
          }
          entry.holders++
          return entry.limiter
        }),
        () =>
          Effect.sync(() => {
            const entry = entries.get(key)
            if (entry !== undefined && --entry.holders <= 0) entries.delete(key)
          })
      )
    }
  }
}

/**
 * The registry every chat client of the process uses when no `ChatLimiters` is in context.
 *
 * @since 0.1.0
 * @category constants
 */
export const processLimiters: ChatLimiters.Service = globalValue(
  Symbol.for("effect-twitcher/ChatRateLimits/processLimiters"),
  makeLimiters
)

/**
 * A layer with a registry of its own (clients built in its scope share limits with each other,
 * not with the rest of the process), or with `limiters` (e.g. one shared across processes).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerLimiters = (limiters?: ChatLimiters.Service): Layer.Layer<ChatLimiters> =>
  Layer.sync(ChatLimiters, () => limiters ?? makeLimiters())
