/**
 * Why a world operation failed.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Why a world operation failed. OAuth reasons map 1:1 onto Twitch's answers (e.g.
 * `AuthorizationPending` is `{"status":400,"message":"authorization_pending"}`).
 *
 * @since 0.1.0
 * @category errors
 */
export class WorldError extends Schema.TaggedError<WorldError>("effect-twitcher/MockWorld/WorldError")(
  "WorldError",
  {
    reason: Schema.Literal(
      "NotFound",
      "Conflict",
      "Forbidden",
      "RateLimited",
      "InvalidInput",
      "InvalidClient",
      "InvalidToken",
      "ExpiredToken",
      "InvalidRefreshToken",
      "AuthorizationPending",
      "SlowDown",
      "InvalidDeviceCode",
      "AccessDenied",
      "InvalidCode"
    ),
    message: Schema.String
  }
) {}

/**
 * A {@link WorldError} for a reason and message.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fail = (reason: WorldError["reason"], message: string): WorldError =>
  new WorldError({ reason, message })
