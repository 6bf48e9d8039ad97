/**
 * Errors of generated Helix operations beyond the transport's: parameters that do not encode, and
 * a Twitch limit that cannot be waited out (the daily whisper recipients).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { TypeId } from "../TwitchError.js"

/**
 * The parameters of a call do not fit the operation (e.g. a fraction where Twitch wants an
 * integer); nothing was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidParams extends Schema.TaggedError<InvalidParams>("effect-twitcher/InvalidParams")(
  "InvalidParams",
  {
    operation: Schema.String,
    detail: Schema.String
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `Invalid parameters for ${this.operation}: ${this.detail}. Nothing was sent; fix the call.`
  }
}

/**
 * A limit Twitch sets on an endpoint that waiting cannot satisfy in reasonable time (whispers to
 * more than 40 new recipients a day); nothing was sent. `retryAfter` says when it frees up.
 *
 * @since 0.1.0
 * @category errors
 */
export class LimitExceeded extends Schema.TaggedError<LimitExceeded>("effect-twitcher/LimitExceeded")(
  "LimitExceeded",
  {
    operation: Schema.String,
    limit: Schema.String,
    retryAfter: Schema.DateFromSelf
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `${this.operation}: ${this.limit}. Nothing was sent; try again after ${this.retryAfter.toISOString()}.`
  }
}
