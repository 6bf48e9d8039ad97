/**
 * Options shared by the commands.
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import { CliError } from "../CliError.js"

const badValue = (name: string, message: string) =>
  Effect.fail(ValidationError.invalidValue(HelpDoc.p(`twitcher: --${name}: ${message}`)))

/**
 * `--<name> <integer>`: a value that is not a whole number in `[min, max]` is a usage error naming
 * the flag (`--limit: "abc" is not a whole number.`), not @effect/cli's anonymous one.
 */
export const integer = (
  name: string,
  range: {
    readonly min?: number
    readonly max?: number
    /** What the number is, for the error: `a port`. */
    readonly what?: string
    /** An environment variable read when the flag is not given. */
    readonly env?: string
  } = {}
): Options.Options<number> => {
  const flag = range.env === undefined ? name : `${name} (or ${range.env})`
  const text = Options.text(name).pipe(Options.withPseudoName("integer"))
  return (range.env === undefined ? text : Options.withFallbackConfig(text, Config.string(range.env))).pipe(
    Options.mapEffect((raw) => {
      const n = Number(raw.trim())
      if (!/^[+-]?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) {
        return badValue(flag, `"${raw}" is not a whole number.`)
      }
      const { max, min } = range
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        const bounds = min === undefined
          ? `at most ${max}`
          : max === undefined
          ? `at least ${min}`
          : `${min} to ${max}`
        return badValue(flag, `${n} is not ${range.what ?? "allowed"} (${bounds}).`)
      }
      return Effect.succeed(n)
    })
  )
}

/**
 * `--<name> <choice>`: a value that is not one of `choices` is a usage error naming the flag and
 * the choices (`--scale: "4.0" is not one of 1.0, 2.0, 3.0.`).
 */
export const choice = <const A extends ReadonlyArray<string>>(
  name: string,
  choices: A
): Options.Options<A[number]> =>
  Options.text(name).pipe(
    Options.withPseudoName(choices.join("|")),
    Options.mapEffect((raw) => {
      const found = choices.find((c) => c === raw)
      return found === undefined ?
        badValue(name, `"${raw}" is not one of ${choices.join(", ")}.`) :
        Effect.succeed(found)
    })
  )

/** `--json`. */
export const json = Options.boolean("json").pipe(
  Options.withDescription("Print JSON: one document, or one line per item for lists (JSON lines)")
)

/** `--mock`. */
export const mock = Options.boolean("mock").pipe(
  Options.withDescription(
    "Use an in-process mock Twitch (the default when TWITCH_CLIENT_ID is not set)"
  )
)

/** `--token-file <path>`. */
export const tokenFile = Options.text("token-file").pipe(
  Options.withDescription(
    "Token store file (default $TWITCHER_TOKEN_FILE, else $XDG_CONFIG_HOME or ~/.config + /effect-twitcher/token.json)"
  ),
  Options.optional
)

/** `--json`, `--mock`, `--token-file`: every command that talks to Twitch takes them. */
export const common = { json, mock, tokenFile } as const

/** `--limit <n>` (default 25). */
export const limit = integer("limit").pipe(
  Options.withDescription("How many items at most"),
  Options.withDefault(25)
)

/** `--offset <n>` (default 0). */
export const offset = integer("offset").pipe(
  Options.withDescription("How many items to skip first (they are still fetched: Helix pages by cursor)"),
  Options.withDefault(0)
)

/** `--limit`, `--offset`. */
export const paging = { limit, offset } as const

/** Checks `--limit`/`--offset`. */
export const checkPaging = (
  o: { readonly limit: number; readonly offset: number }
): Effect.Effect<void, CliError> =>
  o.limit < 1 || o.offset < 0 ?
    Effect.fail(
      new CliError({ reason: "BadInput", detail: "--limit must be at least 1 and --offset at least 0." })
    ) :
    Effect.void

/** The page size for `--limit` + `--offset` (the fewest requests). */
export const pageSize = (o: { readonly limit: number; readonly offset: number }): number =>
  Math.min(100, Math.max(1, o.limit + o.offset))
