/**
 * `npm run mock` as a person runs it: started through npm, stopped with Ctrl+C (SIGINT to the whole
 * process group, as a terminal sends it) or SIGTERM (to npm only, as a process manager sends it).
 * Both must close the servers and exit with code 0.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import * as net from "node:net"
import * as MockWorld from "../../../src/testing/mock/World.js"

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly output: string
  readonly helixPort: number
}

/** Starts `npm run mock` on OS-chosen ports, sends `signal` once the banner is out, waits for the exit. */
const runAndStop = (signal: NodeJS.Signals, toGroup: boolean) =>
  Effect.acquireUseRelease(
    Effect.sync(() =>
      spawn(
        "npm",
        [
          "run",
          "-s",
          "mock",
          "--",
          "--http-port",
          "0",
          "--irc-port",
          "0",
          "--irc-tls-port",
          "0",
          "--irc-ws-port",
          "0"
        ],
        // Its own process group, so the group signal reaches npm, the shell's child and the mock only.
        { cwd: process.cwd(), detached: true, stdio: ["ignore", "pipe", "pipe"] }
      )
    ),
    (child) =>
      Effect.async<Run, Error>((resume) => {
        let output = ""
        let helixPort = 0
        const onData = (chunk: Buffer) => {
          output += chunk.toString("utf8")
          if (helixPort === 0 && output.includes("Press Ctrl+C to stop.")) {
            helixPort = Number(/Helix\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1] ?? -1)
            if (toGroup) process.kill(-(child.pid ?? 0), signal)
            else child.kill(signal)
          }
        }
        child.stdout.on("data", onData)
        child.stderr.on("data", onData)
        child.on("error", (e) => resume(Effect.fail(e)))
        child.on("exit", (code, sig) => resume(Effect.succeed({ code, signal: sig, output, helixPort })))
      }).pipe(
        Effect.timeoutFail({
          duration: "20 seconds",
          onTimeout: () => new Error("npm run mock did not stop")
        })
      ),
    (child) =>
      Effect.sync(() => {
        // Whatever happened, leave nothing running.
        try {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL")
        } catch {
          // already gone
        }
      })
  )

const refused = (port: number) =>
  Effect.async<boolean>((resume) => {
    const socket = net.connect(port, "127.0.0.1")
    socket.on("connect", () => {
      socket.destroy()
      resume(Effect.succeed(false))
    })
    socket.on("error", () => resume(Effect.succeed(true)))
  })

describe("npm run mock", () => {
  it.live(
    "Ctrl+C (SIGINT to the process group) and SIGTERM (to npm) stop it cleanly with exit code 0",
    () =>
      Effect.gen(function*() {
        const [ctrlC, term] = yield* Effect.all([runAndStop("SIGINT", true), runAndStop("SIGTERM", false)], {
          concurrency: "unbounded"
        })
        for (const run of [ctrlC, term]) {
          assert.isAbove(run.helixPort, 0, run.output)
          assert.deepStrictEqual([run.code, run.signal], [0, null], run.output)
          assert.isTrue(run.output.trimEnd().endsWith("Mock Twitch stopped."), run.output)
          // The banner gives the extension's id and JWT secret for the extension-JWT operations.
          assert.include(run.output, `Extension id     ${MockWorld.extensionClientId}`)
          assert.include(run.output, `Extension secret ${MockWorld.extensionSecret}`)
          assert.isTrue(yield* refused(run.helixPort))
        }
      }),
    30_000
  )
})
