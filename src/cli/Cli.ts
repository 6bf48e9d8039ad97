/**
 * The `twitcher` command line: Helix queries, playlists, emotes, chat, login and the mock Twitch,
 * over real Twitch when `TWITCH_CLIENT_ID` is set and over an in-process mock otherwise (or with
 * `--mock`). {@link run} runs one command line in-process and returns its exit status; output goes
 * through Effect's `Console` (tests record it), progress through the {@link Tty.Tty} service.
 *
 * ```ts
 * const code = yield* Cli.run(["games", "top", "--limit", "5", "--json"])
 * ```
 *
 * @since 0.1.0
 */
import type * as CliApp from "@effect/cli/CliApp"
import * as Command from "@effect/cli/Command"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as HashSet from "effect/HashSet"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Util from "node:util"
import * as CliError from "./CliError.js"
import * as Api from "./internal/api.js"
import * as Auth from "./internal/auth.js"
import * as Chat from "./internal/chat.js"
import * as Clips from "./internal/clips.js"
import * as Community from "./internal/community.js"
import * as Events from "./internal/events.js"
import * as Helix from "./internal/helix.js"
import * as Help from "./internal/help.js"
import * as Media from "./internal/media.js"
import * as Mock from "./internal/mock.js"
import * as Moderation from "./internal/moderation.js"
import * as Overlay from "./internal/overlay.js"
import * as Polls from "./internal/polls.js"
import * as Schedule from "./internal/schedule.js"
import * as Videos from "./internal/videos.js"
import * as Tty from "./Tty.js"

/**
 * The version `--version` prints.
 *
 * @since 0.1.0
 * @category constants
 */
export const version = "0.1.0"

/**
 * The root command with every subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("twitcher").pipe(
  Command.withDescription(
    "Twitch from the command line. Uses Twitch when TWITCH_CLIENT_ID is set, else a built-in mock Twitch."
  ),
  Command.withSubcommands([
    ...Helix.commands,
    ...Clips.commands,
    ...Videos.commands,
    ...Schedule.commands,
    ...Community.commands,
    ...Moderation.commands,
    ...Polls.commands,
    ...Api.commands,
    ...Media.commands,
    ...Chat.commands,
    ...Events.commands,
    ...Overlay.commands,
    ...Auth.commands,
    ...Mock.commands
  ])
)

const cli = Command.run(command, { name: "twitcher", version })

/** The command tree, for help and for unknown commands. */
const tree = Help.family(command, [
  ...Helix.nodes,
  ...Clips.nodes,
  ...Videos.nodes,
  ...Schedule.nodes,
  ...Community.nodes,
  ...Moderation.nodes,
  ...Polls.nodes,
  ...Api.nodes,
  ...Media.nodes,
  ...Chat.nodes,
  ...Events.nodes,
  ...Overlay.nodes,
  ...Auth.nodes,
  ...Mock.nodes
])

/**
 * `--help` pages and unknown commands are ours (see `internal/help.ts`); the rest is @effect/cli's.
 */
const parsedAndRun = (given: ReadonlyArray<string>) => {
  const argv = Api.expand(given)
  const route = Help.route(tree, argv)
  switch (route._tag) {
    case "Help":
      return Console.log(Help.render(route.path, version))
    case "UnknownCommand":
      return Effect.zipRight(
        Console.error(
          Help.unknownCommand(route.path, route.token).split("\n").map((l) => `twitcher: ${l}`).join("\n")
        ),
        Effect.fail(new CliError.CliError({ reason: "BadInput", detail: "" }))
      )
    case "Run":
      return cli(["node", "twitcher", ...argv])
  }
}

// Log lines (warnings from the auth layer, say) go to stderr, never into stdout's JSON.
// The only logger: a runtime's own (runMain's pretty logger, say) would print the same line twice.
const logger = Logger.withConsoleError(
  Logger.make(({ logLevel, message }) => {
    const text = (Array.isArray(message) ? message : [message]).map((m) =>
      typeof m === "string" ? m : Util.inspect(m, { depth: 3, breakLength: Infinity })
    ).join(" ")
    return `twitcher: ${logLevel.label.toLowerCase()}: ${text}`
  })
)

/**
 * Runs one command line (without `node` and the script name) and returns its exit status: 0 on
 * success, 1 on a failure (printed as one line on stderr), 2 on bad usage, 3/4 when Twitch
 * refused/did not confirm a chat message, 70 on a bug (see `CliError.ExitCode`). Never fails;
 * interruption (Ctrl+C) propagates.
 *
 * @since 0.1.0
 * @category running
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, CliApp.CliApp.Environment> =>
  parsedAndRun(argv).pipe(
    Effect.as(CliError.ExitCode.ok),
    Effect.catchAll((error) => {
      const { exitCode, line } = CliError.describe(error)
      // @effect/cli already printed what was wrong with the command line.
      if (ValidationError.isValidationError(error) || line === "") return Effect.succeed(exitCode)
      return Effect.as(Console.error(`twitcher: ${line}`), exitCode)
    }),
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause) ?
        Effect.failCause(cause) as never :
        Effect.as(
          Console.error(`twitcher: internal error: ${CliError.describe(Cause.squash(cause)).line}`),
          CliError.ExitCode.internal
        )
    ),
    Effect.provideServiceEffect(Tty.Tty, Tty.current),
    Effect.locally(FiberRef.currentLoggers, HashSet.make(logger)),
    Logger.withMinimumLogLevel(LogLevel.Warning)
  )
