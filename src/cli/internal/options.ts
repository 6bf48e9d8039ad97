/**
 * Options shared by the commands.
 */
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import { CliError } from "../CliError.js"

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
export const limit = Options.integer("limit").pipe(
  Options.withDescription("How many items at most"),
  Options.withDefault(25)
)

/** `--offset <n>` (default 0). */
export const offset = Options.integer("offset").pipe(
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
