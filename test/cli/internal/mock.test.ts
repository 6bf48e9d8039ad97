import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
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
    }), 20_000)
})
