/**
 * The `twitcher` CLI's own failures (something not found, a bad argument the parser could not
 * catch, a file that cannot be written) and how every failure becomes one line on stderr:
 * `TwitchError`s (with what to do for `NotAuthorized`), config errors and these.
 *
 * @since 0.1.0
 */
import * as ValidationError from "@effect/cli/ValidationError"
import * as ConfigError from "effect/ConfigError"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { isTwitchError, type TwitchError } from "../TwitchError.js"

/**
 * A failure of the CLI itself.
 *
 * - `NotFound`: no such game, channel, user, or the channel is offline (exit status 1).
 * - `Failed`: Twitch refused a request (already banned, no such poll...), or the CLI cannot make
 *   it (exit status 1).
 * - `BadInput`: an argument the parser accepted but that makes no sense (exit status 2).
 * - `Io`: a file could not be read or written; the mock could not start (exit status 1).
 * - `Refused`: Twitch refused a chat message (a NOTICE: banned, slow mode, rate limit...) (exit
 *   status 3).
 * - `Unconfirmed`: Twitch did not confirm a chat message; it may or may not have been sent (exit
 *   status 4).
 *
 * An empty `detail` means the problem was already printed: nothing more goes to stderr.
 *
 * @since 0.1.0
 * @category errors
 */
export class CliError extends Schema.TaggedError<CliError>("effect-twitcher/cli/CliError")("CliError", {
  reason: Schema.Literal("NotFound", "Failed", "BadInput", "Io", "Refused", "Unconfirmed"),
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail
  }
}

/**
 * Exit statuses: 0 success, 1 a failure (Twitch, network, auth, not found), 2 bad usage (an
 * invalid chat message too), 3 Twitch refused a chat message, 4 Twitch did not confirm a chat
 * message, 70 a bug.
 *
 * @since 0.1.0
 * @category constants
 */
export const ExitCode = { ok: 0, failure: 1, usage: 2, refused: 3, unconfirmed: 4, internal: 70 } as const

const exitCodeOf = (reason: CliError["reason"]): number => {
  switch (reason) {
    case "BadInput":
      return ExitCode.usage
    case "Refused":
      return ExitCode.refused
    case "Unconfirmed":
      return ExitCode.unconfirmed
    default:
      return ExitCode.failure
  }
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, " ").trim()

/**
 * What to tell the user about a Twitch error; `NotAuthorized` says how to fix it.
 *
 * @since 0.1.0
 * @category rendering
 */
export const describeTwitchError = (error: TwitchError): string => {
  switch (error._tag) {
    case "NotAuthorized":
      switch (error.reason) {
        case "NoToken":
          return "Not logged in: run `twitcher login` (or set TWITCH_TOKEN)."
        case "MissingScope":
          return `The token lacks the scope "${error.scope ?? "?"}": run \`twitcher login --scope ${
            error.scope ?? "<scope>"
          }\` to get a token with it.`
        case "WrongTokenKind":
          return `This needs a user token${
            error.scope ? ` with the scope "${error.scope}"` : ""
          }, not an app token: run \`twitcher login\`.`
        case "InvalidToken":
          return `Twitch rejected the token${
            error.twitchMessage ? ` (${error.twitchMessage})` : ""
          }: run \`twitcher login\` again.`
      }
      break
    case "LoginFailed":
      return `Login failed: ${error.message}`
    default:
      return error.message
  }
}

/**
 * One line for any failure the CLI can meet, and its exit status.
 *
 * @since 0.1.0
 * @category rendering
 */
export const describe = (error: unknown): { readonly line: string; readonly exitCode: number } => {
  if (isTwitchError(error)) {
    // A chat message that can never be sent (empty, line breaks, too long) is bad input.
    const usage = error._tag === "ChatError" && (error.reason === "InvalidText" || error.reason === "TooLong")
    return { line: oneLine(describeTwitchError(error)), exitCode: usage ? ExitCode.usage : ExitCode.failure }
  }
  if (error instanceof CliError) return { line: oneLine(error.detail), exitCode: exitCodeOf(error.reason) }
  if (ConfigError.isConfigError(error)) {
    return { line: oneLine(`Configuration error: ${configMessage(error)}`), exitCode: ExitCode.usage }
  }
  if (ValidationError.isValidationError(error)) return { line: "", exitCode: ExitCode.usage }
  if (Predicate.hasProperty(error, "message") && typeof error.message === "string") {
    return { line: oneLine(error.message), exitCode: ExitCode.failure }
  }
  return { line: oneLine(String(error)), exitCode: ExitCode.failure }
}

/**
 * The text of an error, never empty: its message, else its cause's (a platform `ServeError` has an
 * empty message and the `EADDRINUSE` in its cause), else its code or tag.
 *
 * @since 0.1.0
 * @category rendering
 */
export const errorText = (error: unknown): string => {
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    if (Predicate.hasProperty(e, "message") && typeof e.message === "string" && e.message.trim() !== "") {
      return e.message
    }
    if (Predicate.hasProperty(e, "code") && typeof e.code === "string") return e.code
    e = Predicate.hasProperty(e, "cause") ? e.cause : undefined
  }
  return Predicate.hasProperty(error, "_tag") && typeof error._tag === "string" ? error._tag : String(error)
}

const configMessage = (error: ConfigError.ConfigError): string =>
  ConfigError.reduceWithContext(error, undefined, {
    andCase: (_, left: string, right: string) => `${left}; ${right}`,
    orCase: (_, left: string, right: string) => `${left}; ${right}`,
    invalidDataCase: (_, path, message) => `${path.join(".")}: ${message}`,
    missingDataCase: (_, path, message) => `${path.join(".")}: ${message}`,
    sourceUnavailableCase: (_, path, message) => `${path.join(".")}: ${message}`,
    unsupportedCase: (_, path, message) => `${path.join(".")}: ${message}`
  })
