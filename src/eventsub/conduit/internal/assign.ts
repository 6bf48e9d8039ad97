/**
 * Assigning a session to a shard and reading Twitch's answer. Taken; refused for good
 * (`Permanent`, with a `ConduitError`): a 404 (the conduit is gone), a 400/401/403 (the request
 * or the token), or a shard Twitch did not take while Get Conduits shows the conduit gone or too
 * small for the shard id; or refused for now (`Transient`): no answer in time, a server error, a
 * session Twitch does not take (not connected, not yet known). A transient refusal is tried again
 * on the schedule while the session is still the shard's and within the window (Twitch closes a
 * session left unused 10 s after its welcome; the shard's next session then tries again).
 */
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import { ConduitError, type HelixError } from "../../../TwitchError.js"

/** Why an attempt did not assign the shard. */
export type Refusal = Data.TaggedEnum<{
  Transient: { readonly detail: string }
  Permanent: { readonly error: ConduitError }
}>

/** Constructors of {@link Refusal}. */
export const Refusal = Data.taggedEnum<Refusal>()

/** The two Helix calls an assignment needs, for one shard. */
export interface Api {
  /** Update Conduit Shards with this session: Twitch's message when it did not take the shard. */
  readonly update: (sessionId: string) => Effect.Effect<Option.Option<string>, HelixError>
  /** The conduit's shard count from Get Conduits, `None` when the client has no such conduit. */
  readonly shardCount: Effect.Effect<Option.Option<number>, HelixError>
}

/** The shard being assigned. */
export interface Target {
  readonly conduitId: string
  readonly shardId: string
}

const permanent = (error: ConduitError): Refusal => Refusal.Permanent({ error })

/** A shard Twitch left out of its answer: gone or too small is for good, else for now. */
const verify = (api: Api, target: Target, detail: string): Effect.Effect<Refusal> =>
  api.shardCount.pipe(
    Effect.map(Option.match({
      onNone: () => permanent(new ConduitError({ reason: "ConduitNotFound", ...target, detail })),
      onSome: (shardCount) =>
        Number(target.shardId) >= shardCount
          ? permanent(new ConduitError({ reason: "ShardOutOfRange", ...target, shardCount, detail }))
          : Refusal.Transient({ detail })
    })),
    Effect.orElseSucceed(() => Refusal.Transient({ detail }))
  )

/** What a failed Update Conduit Shards call means. */
const ofError = (target: Target, error: HelixError): Refusal => {
  const status = error._tag === "HttpError" ? error.status : undefined
  if (status === 404) {
    return permanent(
      new ConduitError({ reason: "ConduitNotFound", ...target, status, detail: error.message })
    )
  }
  if (error._tag === "NotAuthorized" || status === 400 || status === 403) {
    const code = error._tag === "NotAuthorized" ? error.status : status
    return permanent(
      new ConduitError({
        reason: "Refused",
        ...target,
        ...(code === undefined ? {} : { status: code }),
        detail: error.message
      })
    )
  }
  return Refusal.Transient({ detail: error.message })
}

/** One attempt: fails with the refusal when the shard was not assigned to the session. */
export const attempt = (
  api: Api,
  target: Target,
  sessionId: string,
  timeout: Duration.Duration
): Effect.Effect<void, Refusal> =>
  api.update(sessionId).pipe(
    Effect.mapError((error) => ofError(target, error)),
    Effect.timeoutFail({
      duration: timeout,
      onTimeout: () => Refusal.Transient({ detail: `no answer within ${Duration.format(timeout)}` })
    }),
    Effect.flatMap(Option.match({
      onNone: () => Effect.void,
      onSome: (detail) => Effect.flatMap(verify(api, target, detail), Effect.fail)
    }))
  )

/** How {@link assign} retries. */
export interface RetryOptions {
  /** Waits between transient refusals. */
  readonly schedule: Schedule.Schedule<unknown, Refusal>
  /** No retry starts later than this after the first attempt. */
  readonly window: Duration.Duration
  /** Each attempt's time limit. */
  readonly timeout: Duration.Duration
  /** Whether the session is still the shard's (a retry for a replaced session is pointless). */
  readonly current: Effect.Effect<boolean>
  /** Told each refusal, with the attempt's number (from 1). */
  readonly onRefused: (refusal: Refusal, attempt: number) => Effect.Effect<void>
}

/**
 * Assigns the session, retrying transient refusals on the schedule within the window while the
 * session is the shard's; fails with the last refusal.
 */
export const assign = (
  api: Api,
  target: Target,
  sessionId: string,
  options: RetryOptions
): Effect.Effect<void, Refusal> => {
  let attempts = 0
  const once = Effect.suspend(() => {
    attempts++
    const n = attempts
    return Effect.tapError(attempt(api, target, sessionId, options.timeout), (r) => options.onRefused(r, n))
  })
  return Effect.flatMap(Clock.currentTimeMillis, (start) => {
    const deadline = start + Duration.toMillis(options.window)
    // A retry whose wait would end past the deadline does not start.
    const schedule = Schedule.checkEffect(
      Schedule.delays(options.schedule),
      (_, delay) => Effect.map(Clock.currentTimeMillis, (now) => now + Duration.toMillis(delay) <= deadline)
    )
    return Effect.retry(once, {
      schedule,
      while: (refusal) => (refusal._tag === "Transient" ? options.current : Effect.succeed(false))
    })
  })
}
