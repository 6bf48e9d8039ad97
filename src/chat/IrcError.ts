/**
 * Typed failures of the IRC layer: a line that is not an IRC message, and a message that cannot be
 * written as one line.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { TypeId } from "../TwitchError.js"

/**
 * Why a line could not be parsed.
 *
 * - `Empty`: nothing but spaces or line breaks.
 * - `NoCommand`: tags or a prefix with nothing after them.
 * - `InvalidCommand`: the command is neither letters nor a 3-digit numeric.
 * - `NotAString`: the input was not a string (only reachable from untyped callers).
 *
 * @since 0.1.0
 * @category models
 */
export const IrcParseReason = Schema.Literal("Empty", "NoCommand", "InvalidCommand", "NotAString")

/**
 * @since 0.1.0
 * @category models
 */
export type IrcParseReason = typeof IrcParseReason.Type

/**
 * A received line that is not an IRC message. `line` is the raw input, kept so that it can be
 * logged and skipped.
 *
 * @since 0.1.0
 * @category errors
 */
export class IrcParseError extends Schema.TaggedError<IrcParseError>("effect-twitcher/IrcParseError")(
  "IrcParseError",
  {
    reason: IrcParseReason,
    line: Schema.String
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    const shown = this.line.length > 120 ? `${this.line.slice(0, 120)}…` : this.line
    return `Not an IRC line (${this.reason}): ${JSON.stringify(shown)}`
  }
}

/**
 * Why a message could not be written as a line.
 *
 * - `ForbiddenCharacter`: a CR, LF or NUL in any part (it would split or truncate the line).
 * - `InvalidTagKey`: an empty key, or one with `=`, `;` or a space.
 * - `InvalidPrefix`: an empty nick, or a space (or `!`/`@` where it would change the split).
 * - `InvalidCommand`: not letters or a 3-digit numeric.
 * - `InvalidParameter`: a parameter other than the last that is empty, holds a space or starts
 *   with `:`.
 *
 * @since 0.1.0
 * @category models
 */
export const IrcFormatReason = Schema.Literal(
  "ForbiddenCharacter",
  "InvalidTagKey",
  "InvalidPrefix",
  "InvalidCommand",
  "InvalidParameter"
)

/**
 * @since 0.1.0
 * @category models
 */
export type IrcFormatReason = typeof IrcFormatReason.Type

/**
 * A message that cannot be sent as one IRC line. `part` names the offending part
 * (`command`, `prefix`, `tag <key>`, `param <index>`).
 *
 * @since 0.1.0
 * @category errors
 */
export class IrcFormatError extends Schema.TaggedError<IrcFormatError>("effect-twitcher/IrcFormatError")(
  "IrcFormatError",
  {
    reason: IrcFormatReason,
    part: Schema.String
  }
) {
  /** @since 0.1.0 */
  readonly [TypeId]: TypeId = TypeId
  /** @since 0.1.0 */
  override get message(): string {
    return `Cannot format IRC line: ${this.reason} in ${this.part}`
  }
}
