#!/usr/bin/env node
/**
 * The `twitcher` executable: runs {@link Cli.run} on the process's arguments, with stdout and
 * stderr as the console (colors stripped off a terminal), and exits with its status. Ctrl+C stops
 * the command cleanly (exit status 130).
 *
 * @since 0.1.0
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Cli from "./Cli.js"
import * as Tty from "./Tty.js"

const tty = Tty.fromProcess()
const keepColor = (isTTY: boolean) => tty.style.color && isTTY

// A closed pipe (`twitcher ... | head`) is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0)
  throw error
})

const console = Tty.console({
  out: (line) => {
    process.stdout.write(`${keepColor(tty.stdout) ? line : Tty.stripAnsi(line)}\n`)
  },
  err: (line) => {
    tty.status("").pipe(Effect.runSync)
    process.stderr.write(`${keepColor(tty.stderr) ? line : Tty.stripAnsi(line)}\n`)
  }
})

Cli.run(process.argv.slice(2)).pipe(
  Effect.provideService(Tty.Tty, tty),
  Effect.withConsole(console),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    disablePrettyLogger: true,
    teardown: (exit, onExit) =>
      onExit(Exit.isSuccess(exit) && typeof exit.value === "number" ? exit.value : 130)
  })
)
