import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as ChildProcess from "node:child_process"
import * as MockWorld from "../../src/testing/mock/World.js"

interface Ran {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly out: string
  readonly err: string
}

/** Runs the real executable (through tsx) with a clean environment; `onOut` may signal it. */
const bin = (
  args: ReadonlyArray<string>,
  onOut?: (text: string, child: ChildProcess.ChildProcess) => void,
  input?: string
) =>
  Effect.async<Ran>((resume) => {
    const env: Record<string, string> = {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "/tmp"
    }
    const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], {
      env,
      stdio: ["pipe", "pipe", "pipe"]
    })
    child.stdin.end(input ?? "")
    let out = ""
    let err = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
      onOut?.(out, child)
    })
    child.stderr.on("data", (chunk: Buffer) => void (err += chunk.toString("utf8")))
    child.on("close", (code, signal) => resume(Effect.succeed({ code, signal, out, err })))
    return Effect.sync(() => void child.kill("SIGKILL"))
  })

describe("the twitcher executable", () => {
  it.live(
    "piped: help without ANSI codes, exit 0; a failure is one stderr line and exit 1",
    () =>
      Effect.gen(function*() {
        const [help, offline] = yield* Effect.all([
          bin(["streams", "--help"]),
          bin(["streams", "get", "twitcher"])
        ], { concurrency: 2 })
        expect(help.code).toBe(0)
        expect(help.out).toContain("followed")
        expect(help.out).not.toContain("\u001b[")
        expect(offline).toMatchObject({ code: 1, out: "", err: "twitcher: Twitcher is offline.\n" })
      }),
    90_000
  )

  it.live(
    "chat send - sends the lines piped to stdin (one JSON line each, exit 0)",
    () =>
      Effect.gen(function*() {
        const ran = yield* bin(
          ["chat", "send", "--mock", "twitcher", "-", "--json"],
          undefined,
          "first\r\n\nsecond\n"
        )
        expect(ran.err).toBe("")
        expect(ran.code).toBe(0)
        const docs = ran.out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>)
        expect(docs).toEqual([
          expect.objectContaining({ outcome: "sent", channel: "twitcher" }),
          expect.objectContaining({ outcome: "sent", channel: "twitcher" })
        ])
      }),
    90_000
  )

  it.live(
    "chat read | head -1: the closed pipe ends the command with exit 0 and nothing on stderr",
    () =>
      Effect.gen(function*() {
        const world = MockWorld.defaultWorldData(Date.now())
        const live = world.users.find((u) => u.id === world.streams[0].userId)!.login
        let closed = false
        const ran = yield* bin(["chat", "read", "--mock", live, "--json"], (out, child) => {
          if (!closed && out.includes("\n")) {
            closed = true
            child.stdout?.destroy()
          }
        })
        expect(closed).toBe(true)
        expect(ran.code).toBe(0)
        expect(ran.err).toBe("")
      }),
    90_000
  )

  it.live(
    "Ctrl+C stops a running command (the mock) cleanly with exit status 130",
    () =>
      Effect.gen(function*() {
        let signalled = false
        const zero = ["--http-port", "0", "--irc-port", "0", "--irc-tls-port", "0", "--irc-ws-port", "0"]
        const ran = yield* bin(["mock", ...zero], (out, child) => {
          if (!signalled && out.includes("Press Ctrl+C to stop.")) {
            signalled = true
            child.kill("SIGINT")
          }
        })
        expect(signalled).toBe(true)
        expect(ran.code).toBe(130)
        expect(ran.err).toBe("")
      }),
    90_000
  )
})
