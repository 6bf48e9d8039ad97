/**
 * Runs the `twitcher` CLI in-process: output recorded through a Console, env through a
 * ConfigProvider (never the real environment), terminal flags through the Tty service.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Cli from "../../src/cli/Cli.js"
import * as Tty from "../../src/cli/Tty.js"

export interface Result {
  readonly code: number
  readonly out: string
  readonly err: string
  /** stdout lines. */
  readonly lines: ReadonlyArray<string>
  /** What the status line showed (only on a terminal stderr). */
  readonly status: ReadonlyArray<string>
}

export interface RunOptions {
  readonly env?: Record<string, string>
  /** Pretend stderr is a terminal (progress drawn). */
  readonly stderrTty?: boolean
}

export const cli = (argv: ReadonlyArray<string>, options: RunOptions = {}) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const status: Array<string> = []
    const tty: Tty.Tty.Service = options.stderrTty === true ?
      { ...Tty.piped, stderr: true, status: (text) => Effect.sync(() => void status.push(text)) } :
      Tty.piped
    const code = yield* Cli.run(argv).pipe(
      Effect.withConsole(Tty.console({ out: (l) => void out.push(l), err: (l) => void err.push(l) })),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(options.env ?? {})))),
      Effect.provideService(Tty.Tty, tty),
      Effect.provide(NodeContext.layer)
    )
    return {
      code,
      out: Tty.stripAnsi(out.join("\n")),
      err: Tty.stripAnsi(err.join("\n")),
      lines: Tty.stripAnsi(out.join("\n")).split("\n").filter((l) => l !== ""),
      status
    } satisfies Result
  })

/** Parses JSON lines. */
export const jsonLines = (result: Result): Array<Record<string, unknown>> =>
  result.lines.map((l) => JSON.parse(l) as Record<string, unknown>)
