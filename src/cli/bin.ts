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

// A closed pipe (`twitcher ... | head`) is the reader's choice, not an error: stdout's ends the
// command (exit 0); stderr's is ignored (the output still goes to stdout). Any other write error
// is one line and exit status 1, never a stack trace.
const writeFailed = (stream: string) => (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") {
    if (stream === "stdout") process.exit(0)
    return
  }
  try {
    process.stderr.write(`twitcher: cannot write to ${stream}: ${error.code ?? error.message}\n`)
  } finally {
    process.exit(1)
  }
}
process.stdout.on("error", writeFailed("stdout"))
process.stderr.on("error", writeFailed("stderr"))

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
