/**
 * Ids of the mock's EventSub objects: subscription and message ids shaped like Twitch's UUIDs,
 * session ids shaped like Twitch's (`AQoQ...`, 28 characters). Seeded by the world's seed and
 * counter-based, so they are unique within a run and the same from run to run.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import { ALNUM, HEX, randomString } from "../world/Random.js"

/**
 * A source of ids.
 *
 * @since 0.1.0
 * @category models
 */
export interface Ids {
  /** `xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx`, for subscriptions and messages. */
  readonly uuid: Effect.Effect<string>
  /** A WebSocket session id. */
  readonly session: Effect.Effect<string>
  /** An opaque token (reconnect URLs, webhook challenges). */
  readonly token: Effect.Effect<string>
  /** Reserves `count` uuids at once; returns the `i`-th of them (bursts). */
  readonly uuids: (count: number) => Effect.Effect<(i: number) => string>
}

/**
 * Ids drawn from a seed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (seed: number): Effect.Effect<Ids> =>
  Effect.map(Ref.make(0), (counter) => {
    const [hex] = randomString(seed ^ 0x5eb5_0b1d, 18, HEX)
    const [alnum] = randomString(seed ^ 0x0c0d_e5e5, 16, ALNUM)
    const next = Ref.getAndUpdate(counter, (n) => n + 1)
    const prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(12, 15)}-8${hex.slice(15, 18)}`
    const format = (n: number) => `${prefix}-${n.toString(16).padStart(12, "0")}`
    return {
      uuid: Effect.map(next, format),
      uuids: (count) =>
        Effect.map(Ref.getAndUpdate(counter, (n) => n + Math.max(0, count)), (first) => (i: number) =>
          format(first + i)),
      session: Effect.map(next, (n) =>
        `AQoQ${alnum}${n.toString(36).padStart(8, "0")}`),
      token: Effect.map(next, (n) => `${alnum}${n.toString(36).padStart(8, "0")}`)
    }
  })
