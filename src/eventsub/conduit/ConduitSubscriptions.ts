/**
 * Subscribing many channels to a conduit: one Create EventSub Subscription per condition, with the
 * app token of `TwitchAuth`, through the generated `EventSubApi` on the one Helix pipeline, so the
 * rate limit is kept (the 800-points-a-minute bucket is waited on, never run into; a 429 waits for
 * `Ratelimit-Reset`). Requests run a few at a time; one Twitch already has (409) counts as there;
 * what Twitch refuses (the total cost past 10,000, a condition it does not take) is reported per
 * condition and does not stop the others.
 *
 * ```ts
 * const report = yield* ConduitSubscriptions.subscribe({
 *   conduitId,
 *   definition: Types.streamOnlineV1,
 *   conditions: channelIds.map((id) => ({ broadcasterUserId: id }))
 * })
 * ```
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Metric from "effect/Metric"
import * as Schema from "effect/Schema"
import * as EventSubApi from "../../helix/generated/EventSubApi.js"
import { CreateEventsubSubscriptionParams } from "../../helix/generated/Operations.js"
import * as OperationRunner from "../../helix/OperationRunner.js"
import { EventSubError, type HelixError } from "../../TwitchError.js"
import * as Definition from "../Definition.js"
import { limitOf } from "../internal/creator.js"

/**
 * One condition Twitch did not take.
 *
 * @since 0.1.0
 * @category models
 */
export interface Refused<S extends Definition.Any> {
  readonly condition: Definition.Condition<S>
  readonly error: EventSubError | HelixError
}

/**
 * What a bulk subscribe did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Report<S extends Definition.Any> {
  /** Subscriptions created now. */
  readonly created: number
  /** Subscriptions Twitch already had on the conduit (409). */
  readonly existing: number
  readonly refused: ReadonlyArray<Refused<S>>
  /** The total cost Twitch reported after the last creation (`undefined` when none was created). */
  readonly totalCost: number | undefined
}

/**
 * Subscriptions created by {@link subscribe} (a counter).
 *
 * @since 0.1.0
 * @category metrics
 */
export const created = Metric.counter("effect_twitcher_conduit_subscriptions_created", { incremental: true })

const isKnownType = Schema.is(CreateEventsubSubscriptionParams.fields.type)

type Outcome = "created" | "existing" | EventSubError | HelixError

/**
 * Subscribes one type with each of `conditions` to the conduit (`concurrency` requests at once,
 * default 8).
 *
 * @since 0.1.0
 * @category subscribe
 */
export const subscribe = <const S extends Definition.Any>(options: {
  readonly conduitId: string
  readonly definition: S
  readonly conditions: Iterable<Definition.Condition<S>>
  readonly concurrency?: number | undefined
}): Effect.Effect<Report<S>, never, EventSubApi.EventSubApi> =>
  Effect.gen(function*() {
    const api = yield* EventSubApi.EventSubApi
    const { definition } = options
    const label = Definition.key(definition.type, definition.version)
    let totalCost: number | undefined
    const one = (condition: Definition.Condition<S>): Effect.Effect<Outcome> =>
      Effect.gen(function*() {
        const type = definition.type
        if (!isKnownType(type)) return new EventSubError({ reason: "Unsupported", subscription: label })
        const wire = Definition.encodeCondition(definition, condition)
        if (Either.isLeft(wire)) {
          return new EventSubError({
            reason: "InvalidCondition",
            subscription: label,
            detail: wire.left.message
          })
        }
        const answer = yield* api.subscribe({
          type,
          version: definition.version,
          condition: { ...wire.right, ...definition.requestExtra },
          transport: { method: "conduit", conduitId: options.conduitId }
        }).pipe(OperationRunner.builtParams, Effect.either)
        if (Either.isRight(answer)) {
          totalCost = answer.right.totalCost
          return "created"
        }
        const limit = limitOf(answer.left)
        if (limit === "SameSubscription" && answer.left._tag === "HttpError" && answer.left.status === 409) {
          return "existing"
        }
        return limit === undefined
          ? answer.left
          : new EventSubError({
            reason: "LimitReached",
            limit,
            subscription: label,
            detail: answer.left.message
          })
      })
    const conditions = [...options.conditions]
    const outcomes = yield* Effect.forEach(conditions, one, { concurrency: options.concurrency ?? 8 })
    const refused: Array<Refused<S>> = []
    outcomes.forEach((outcome, i) => {
      if (typeof outcome !== "string") refused.push({ condition: conditions[i], error: outcome })
    })
    const made = outcomes.filter((o) => o === "created").length
    yield* Metric.incrementBy(created, made)
    yield* Effect.annotateCurrentSpan({
      "twitch.conduit.created": made,
      "twitch.conduit.refused": refused.length
    })
    return { created: made, existing: outcomes.filter((o) => o === "existing").length, refused, totalCost }
  }).pipe(
    Effect.withSpan("Conduit subscribe", {
      attributes: {
        "twitch.conduit.id": options.conduitId,
        "twitch.eventsub.type": options.definition.type,
        "twitch.eventsub.version": options.definition.version
      }
    })
  )
