import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Net from "node:net"
import { cli, runWith } from "../support.js"

const zeroPorts = ["--http-port", "0", "--irc-port", "0", "--irc-tls-port", "0", "--irc-ws-port", "0"]

describe("twitcher mock", () => {
  it.live(
    "starts the mock on 127.0.0.1, prints its URLs and env, serves until interrupted",
    () =>
      Effect.gen(function*() {
        const recorder = { out: [] as Array<string>, err: [] as Array<string>, status: [] as Array<string> }
        const fiber = yield* Effect.fork(runWith(["mock", ...zeroPorts, "--seed", "7", "--json"], recorder))
        for (let i = 0; i < 200 && recorder.out.length === 0; i++) yield* Effect.sleep("25 millis")
        const info = JSON.parse(recorder.out[0]) as {
          helixUrl: string
          env: Record<string, string>
          credentials: { userToken: string; clientId: string }
        }
        expect(info.helixUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/helix$/)
        expect(info.env["TWITCH_HELIX_URL"]).toBe(info.helixUrl)

        // Another twitcher, pointed at it through the environment, sees its world.
        const games = yield* cli(["games", "top", "--json", "--limit", "3"], {
          env: { ...info.env, TWITCH_TOKEN: info.credentials.userToken }
        })
        expect(games.code).toBe(0)
        expect(games.lines).toHaveLength(3)

        yield* Fiber.interrupt(fiber)
        const after = yield* Effect.either(Effect.tryPromise(() => fetch(`${info.helixUrl}/games/top`)))
        expect(after._tag).toBe("Left")
      }),
    20_000
  )

  it.live("prints a banner for people; --help lists the port flags", () =>
    Effect.gen(function*() {
      const recorder = { out: [] as Array<string>, err: [] as Array<string>, status: [] as Array<string> }
      const fiber = yield* Effect.fork(runWith(["mock", ...zeroPorts], recorder))
      for (let i = 0; i < 200 && recorder.out.length === 0; i++) yield* Effect.sleep("25 millis")
      yield* Fiber.interrupt(fiber)
      const banner = recorder.out.join("\n")
      expect(banner).toMatch(/^Mock Twitch on 127\.0\.0\.1 \(seed 42\)/)
      expect(banner).toMatch(/export TWITCH_CLIENT_ID=\S+ TWITCH_HELIX_URL=http:\/\/127\.0\.0\.1:\d+\/helix/)
      expect(banner).toContain("Press Ctrl+C to stop.")
      const help = yield* cli(["mock", "--help"])
      expect(help.code).toBe(0)
      for (const flag of ["--http-port", "--irc-port", "--seed", "--chatter-rate"]) {
        expect(help.out).toContain(flag)
      }
      const bad = yield* cli(["mock", "--http-port", "http"])
      expect(bad.code).toBe(2)
      expect(bad.err).toBe(`twitcher: --http-port (or MOCK_TWITCH_HTTP_PORT): "http" is not a whole number.`)
    }), 20_000)

  it.live("an out-of-range port is a usage error naming the flag, not an internal error", () =>
    Effect.gen(function*() {
      const high = yield* cli(["mock", ...zeroPorts.slice(0, -1), "99999"])
      expect(high.code).toBe(2)
      expect(high.err).toBe(
        "twitcher: --irc-ws-port (or MOCK_TWITCH_IRC_WS_PORT): 99999 is not a port (0 to 65535)."
      )
      const fromEnv = yield* cli(["mock", "--irc-port", "0", "--irc-tls-port", "0", "--irc-ws-port", "0"], {
        env: { MOCK_TWITCH_HTTP_PORT: "-1" }
      })
      expect(fromEnv.code).toBe(2)
      expect(fromEnv.err).toContain("--http-port (or MOCK_TWITCH_HTTP_PORT): -1 is not a port")
    }))

  it.scopedLive(
    "a port in use says so (EADDRINUSE) and how to choose another, for the HTTP port too",
    () =>
      Effect.gen(function*() {
        const server = Net.createServer()
        yield* Effect.acquireRelease(
          Effect.async<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
          () => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
        )
        const address = server.address()
        const busy = String(typeof address === "object" && address !== null ? address.port : 0)
        for (const flag of ["--http-port", "--irc-port"]) {
          const ports = [...zeroPorts]
          ports[ports.indexOf(flag) + 1] = busy
          const r = yield* cli(["mock", ...ports])
          expect(r.code).toBe(1)
          expect(r.err).toMatch(
            new RegExp(
              `^twitcher: Could not start the mock Twitch: .*EADDRINUSE.*${busy}.*choose others with --http-port`
            )
          )
        }
      }),
    20_000
  )
})
