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

/** Output recorded so far by a {@link start}ed command. */
export interface Recorder {
  readonly out: Array<string>
  readonly err: Array<string>
  readonly status: Array<string>
}

/** The command as an Effect, recording into `recorder`. */
export const runWith = (argv: ReadonlyArray<string>, recorder: Recorder, options: RunOptions = {}) => {
  const tty: Tty.Tty.Service = options.stderrTty === true ?
    { ...Tty.piped, stderr: true, status: (text) => Effect.sync(() => void recorder.status.push(text)) } :
    Tty.piped
  return Cli.run(argv).pipe(
    Effect.withConsole(
      Tty.console({ out: (l) => void recorder.out.push(l), err: (l) => void recorder.err.push(l) })
    ),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(options.env ?? {})))),
    Effect.provideService(Tty.Tty, tty),
    Effect.provide(NodeContext.layer)
  )
}

export const cli = (argv: ReadonlyArray<string>, options: RunOptions = {}) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const status: Array<string> = []
    const code = yield* runWith(argv, { out, err, status }, options)
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
