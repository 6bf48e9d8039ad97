/**
 * Standard input as lines (`chat send <channel> -`). A `Context.Reference`: the process's stdin
 * by default, lines given by tests.
 */
import * as Context from "effect/Context"
import * as Stream from "effect/Stream"
import * as Readline from "node:readline"
import { CliError } from "../CliError.js"

/** Where `-` reads its lines from. */
export class Stdin extends Context.Reference<Stdin>()("effect-twitcher/cli/Stdin", {
  defaultValue: (): { readonly lines: Stream.Stream<string, CliError> } => ({
    lines: Stream.suspend(() =>
      Stream.fromAsyncIterable(
        Readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false }),
        (error) =>
          new CliError({
            reason: "Io",
            detail: `Could not read stdin: ${error instanceof Error ? error.message : String(error)}`
          })
      )
    )
  })
}) {}

/** Fixed lines (tests). */
export const fromLines = (
  lines: ReadonlyArray<string>
): { readonly lines: Stream.Stream<string, CliError> } => ({
  lines: Stream.fromIterable(lines)
})
