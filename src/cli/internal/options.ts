/**
 * Options shared by the commands.
 */
import * as Args from "@effect/cli/Args"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import { CliError } from "../CliError.js"

/** A usage error naming the flag (`--limit`) or the argument (`<duration>`) that is wrong. */
const badValue = (name: string, message: string) =>
  Effect.fail(
    ValidationError.invalidValue(
      HelpDoc.p(`twitcher: ${name.startsWith("<") ? name : `--${name}`}: ${message}`)
    )
  )

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

const units: ReadonlyArray<readonly [string, number]> = [["w", 604_800], ["d", 86_400], ["h", 3600], [
  "m",
  60
], ["s", 1]]

/** `90`, `90s`, `10m`, `1h30m`, `2d`, `1w` as seconds; `undefined` when it is none of these. */
export const parseSeconds = (text: string): number | undefined => {
  const match = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(text.trim().toLowerCase())
  if (match === null || text.trim() === "") return undefined
  const seconds = units.reduce((sum, [, size], i) => sum + Number(match[i + 1] ?? 0) * size, 0)
  return Number.isSafeInteger(seconds) ? seconds : undefined
}

/** Seconds as the shortest of `2w`, `1d4h`, `1h30m`, `45s`. */
export const formatSeconds = (total: number): string => {
  let rest = Math.max(0, Math.round(total))
  let text = ""
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size)
    rest -= n * size
    if (n > 0) text += `${n}${unit}`
  }
  return text === "" ? "0s" : text
}

const checkSeconds =
  (label: string, range: { readonly min: number; readonly max: number }) => (raw: string) => {
    const seconds = parseSeconds(raw)
    if (seconds === undefined) {
      return badValue(label, `"${raw}" is not a duration (like 90, 90s, 10m, 1h30m, 2d, 1w).`)
    }
    if (seconds < range.min || seconds > range.max) {
      return badValue(
        label,
        `${formatSeconds(seconds)} is not allowed (${formatSeconds(range.min)} to ${
          formatSeconds(range.max)
        }).`
      )
    }
    return Effect.succeed(seconds)
  }

/** `--<name> <duration>` in seconds within `[min, max]`; a bad value is a usage error naming the flag. */
export const seconds = (
  name: string,
  range: { readonly min: number; readonly max: number }
): Options.Options<number> =>
  Options.text(name).pipe(Options.withPseudoName("duration"), Options.mapEffect(checkSeconds(name, range)))

/** A `<name>` argument: a duration in seconds within `[min, max]`. */
export const secondsArg = (
  name: string,
  range: { readonly min: number; readonly max: number }
): Args.Args<number> =>
  Args.text({ name }).pipe(
    Args.mapEffect((raw) => Effect.mapError(checkSeconds(`<${name}>`, range)(raw), (e) => e.error))
  )

/** `--<name> <date>`: an ISO 8601 date or date-time (`2026-05-01`, `2026-05-01T18:00:00Z`). */
export const date = (name: string): Options.Options<Date> =>
  Options.text(name).pipe(
    Options.withPseudoName("date"),
    Options.mapEffect((raw) => {
      const parsed = /^\d{4}-\d{2}-\d{2}/.test(raw.trim()) ? new Date(raw.trim()) : new Date(Number.NaN)
      return Number.isNaN(parsed.getTime())
        ? badValue(name, `"${raw}" is not a date (like 2026-05-01 or 2026-05-01T18:00:00Z).`)
        : Effect.succeed(parsed)
    })
  )
