/**
 * Limits Twitch documents for single Helix endpoints beyond the 800-point bucket, honoured by
 * waiting before the request (on the `Clock`, so tests run them on `TestClock`): announcements 1
 * per 2 s per channel, shoutouts 1 per 2 min per channel and the same target once per 60 min,
 * raids 10 per 10 min, adding/removing moderators and VIPs 10 per 10 s per channel, whispers 3 per
 * second and 100 per minute, clip downloads 100 per minute, AutoMod checks 5 per minute and 50 per
 * hour (more for affiliates and partners). Whispers to more than 40 new recipients a day cannot be
 * waited for: that fails with `LimitExceeded` before the request.
 *
 * Each call reserves the earliest moment that keeps every window under its count, then sleeps
 * until then; reservations are in order, so callers go first come, first served.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import { LimitExceeded } from "./OperationError.js"

/**
 * How many calls a window of `millis` allows.
 *
 * @since 0.1.0
 * @category models
 */
export interface Window {
  readonly count: number
  readonly millis: number
}

/**
 * AutoMod check limits depend on the broadcaster: normal, affiliate or partner.
 *
 * @since 0.1.0
 * @category models
 */
export type AutoModTier = "normal" | "affiliate" | "partner"

/**
 * What a limit sees of a call: its wire parameters.
 *
 * @since 0.1.0
 * @category models
 */
export interface Call {
  readonly operation: string
  readonly params: Readonly<Record<string, unknown>>
}

/**
 * The limits' memory: reservations per key and whisper recipients per sender.
 *
 * @since 0.1.0
 * @category models
 */
export interface State {
  readonly reservations: Ref.Ref<ReadonlyMap<string, ReadonlyArray<number>>>
  readonly recipients: Ref.Ref<ReadonlyMap<string, ReadonlyMap<string, number>>>
  readonly autoModTier: AutoModTier
}

/**
 * A limit of one endpoint: waits, or fails with `E` before the request.
 *
 * @since 0.1.0
 * @category models
 */
export interface Limit<E> {
  readonly describe: string
  readonly take: (state: State, call: Call) => Effect.Effect<void, E>
}

/**
 * A fresh state.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeState = (options: { readonly autoModTier?: AutoModTier } = {}): Effect.Effect<State> =>
  Effect.map(
    Effect.zip(
      Ref.make<ReadonlyMap<string, ReadonlyArray<number>>>(new Map()),
      Ref.make<ReadonlyMap<string, ReadonlyMap<string, number>>>(new Map())
    ),
    ([reservations, recipients]) => ({
      reservations,
      recipients,
      autoModTier: options.autoModTier ?? "normal"
    })
  )

/**
 * The earliest time at or after `now` (and after the last reservation) that keeps each window of
 * `entries` under its count. `entries` is in order.
 *
 * @since 0.1.0
 * @category arithmetic
 */
export const earliest = (
  entries: ReadonlyArray<number>,
  now: number,
  windows: ReadonlyArray<Window>
): number => {
  let at = Math.max(now, entries.length > 0 ? entries[entries.length - 1] : now)
  for (const window of windows) {
    const pivot = entries[entries.length - window.count]
    if (pivot !== undefined) at = Math.max(at, pivot + window.millis)
  }
  return at
}

const longest = (windows: ReadonlyArray<Window>) => Math.max(...windows.map((w) => w.millis))

/** A rule: a key from the call (none: not limited) and its windows. */
interface Rule {
  readonly key: (call: Call) => string | undefined
  readonly windows: (state: State) => ReadonlyArray<Window>
}

const param = (call: Call, name: string): string | undefined => {
  const value = call.params[name]
  return typeof value === "string" ? value : undefined
}

/** Reserves one moment valid for every rule at once, then sleeps until it. */
const waitFor = (describe: string, rules: ReadonlyArray<Rule>): Limit<never> => ({
  describe,
  take: (state, call) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const keyed = rules.flatMap((rule) => {
        const key = rule.key(call)
        return key === undefined ? [] : [{ key: `${call.operation}:${key}`, windows: rule.windows(state) }]
      })
      const at = yield* Ref.modify(state.reservations, (map) => {
        const time = Math.max(
          now,
          ...keyed.map(({ key, windows }) => earliest(map.get(key) ?? [], now, windows))
        )
        const next = new Map(map)
        for (const { key, windows } of keyed) {
          const kept = (map.get(key) ?? []).filter((t) => t > time - longest(windows))
          next.set(key, [...kept, time])
        }
        return [time, next]
      })
      if (at > now) {
        yield* Effect.logDebug(`Helix ${call.operation}: waiting for Twitch's limit (${describe})`).pipe(
          Effect.annotateLogs({ waitMs: at - now })
        )
        yield* Effect.sleep(Duration.millis(at - now))
      }
    })
})

const perChannel = (name: string, windows: ReadonlyArray<Window>): Rule => ({
  key: (call) => param(call, name),
  windows: () => windows
})

const everyCall = (windows: ReadonlyArray<Window>): Rule => ({ key: () => "all", windows: () => windows })

const second = 1000
const minute = 60 * second
const hour = 60 * minute
const day = 24 * hour

const moderatorsAndVips = waitFor("10 per 10 s per channel", [
  perChannel("broadcaster_id", [{ count: 10, millis: 10 * second }])
])

const autoModWindows: Record<AutoModTier, ReadonlyArray<Window>> = {
  normal: [{ count: 5, millis: minute }, { count: 50, millis: hour }],
  affiliate: [{ count: 10, millis: minute }, { count: 100, millis: hour }],
  partner: [{ count: 30, millis: minute }, { count: 300, millis: hour }]
}

/**
 * Whisper recipients: at most 40 distinct ones per sender in a day; a 41st fails before sending.
 *
 * @since 0.1.0
 * @category limits
 */
export const maxWhisperRecipients = 40

const whisperRecipients: Limit<LimitExceeded> = {
  describe: `at most ${maxWhisperRecipients} new whisper recipients a day`,
  take: (state, call) =>
    Effect.gen(function*() {
      const from = param(call, "from_user_id")
      const to = param(call, "to_user_id")
      if (from === undefined || to === undefined) return
      const now = yield* Clock.currentTimeMillis
      const refused = yield* Ref.modify(state.recipients, (all) => {
        const seen = new Map(
          [...(all.get(from) ?? new Map<string, number>())].filter(([, t]) => t > now - day)
        )
        if (!seen.has(to) && seen.size >= maxWhisperRecipients) {
          return [Math.min(...seen.values()) + day, new Map(all).set(from, seen)] as const
        }
        if (!seen.has(to)) seen.set(to, now)
        return [undefined, new Map(all).set(from, seen)] as const
      })
      if (refused !== undefined) {
        return yield* Effect.fail(
          new LimitExceeded({
            operation: call.operation,
            limit: `whispers go to at most ${maxWhisperRecipients} new recipients a day`,
            retryAfter: new Date(refused)
          })
        )
      }
    })
}

const whisperRate = waitFor("3 per second, 100 per minute", [
  perChannel("from_user_id", [{ count: 3, millis: second }, { count: 100, millis: minute }])
])

/**
 * The limits by spec `operationId` (the generator wires them into the operations).
 *
 * @since 0.1.0
 * @category limits
 */
export const byOperation = {
  "send-chat-announcement": waitFor("1 per 2 s per channel", [
    perChannel("broadcaster_id", [{ count: 1, millis: 2 * second }])
  ]),
  "send-a-shoutout": waitFor("1 per 2 min per channel, the same target once per 60 min", [
    perChannel("from_broadcaster_id", [{ count: 1, millis: 2 * minute }]),
    {
      key: (call) => {
        const from = param(call, "from_broadcaster_id")
        const to = param(call, "to_broadcaster_id")
        return from === undefined || to === undefined ? undefined : `${from}>${to}`
      },
      windows: () => [{ count: 1, millis: hour }]
    }
  ]),
  "start-a-raid": waitFor("10 per 10 min", [
    perChannel("from_broadcaster_id", [{ count: 10, millis: 10 * minute }])
  ]),
  "add-channel-moderator": moderatorsAndVips,
  "remove-channel-moderator": moderatorsAndVips,
  "add-channel-vip": moderatorsAndVips,
  "remove-channel-vip": moderatorsAndVips,
  "send-whisper": {
    describe: `${whisperRecipients.describe}; ${whisperRate.describe}`,
    take: (state, call) => Effect.zipRight(whisperRecipients.take(state, call), whisperRate.take(state, call))
  } satisfies Limit<LimitExceeded>,
  "get-clips-download": waitFor("100 per minute", [everyCall([{ count: 100, millis: minute }])]),
  "check-automod-status": waitFor("5 per minute and 50 per hour (10/100 affiliates, 30/300 partners)", [{
    key: (call) => param(call, "broadcaster_id"),
    windows: (state) => autoModWindows[state.autoModTier]
  }])
} as const

/**
 * The error a limited operation may fail with before its request (`never`: it only waits).
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorOf<K extends keyof typeof byOperation> = (typeof byOperation)[K] extends Limit<infer E> ? E
  : never
