import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as MockWorld from "../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import { cli, runWith } from "../support.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "twitcher-auth-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

const storedToken = (file: string): string =>
  (JSON.parse(Fs.readFileSync(file, "utf8")) as { access_token: string }).access_token

describe("twitcher login and logout", () => {
  layer(MockTwitch.layer({ irc: false }), { excludeTestServices: true })((it) => {
    it.scoped(
      "mock: implicit grant saved to --token-file (0600), used by later commands, revoked by logout",
      () =>
        Effect.gen(function*() {
          const mock = yield* MockTwitch.MockTwitch
          const dir = yield* tempDir
          const file = Path.join(dir, "nested", "token.json")
          const args = ["--token-file", file]
          const login = yield* cli([
            "login",
            "--flow",
            "implicit",
            "--port",
            "0",
            "--scope",
            "chat:read",
            ...args,
            "--json"
          ])
          expect(login.code).toBe(0)
          expect(JSON.parse(login.out)).toEqual({
            login: MockWorld.defaultUserLogin,
            user_id: MockWorld.defaultUserId,
            scopes: ["chat:read"],
            expires_at: expect.any(String),
            token_file: file
          })
          expect(login.err).toMatch(
            /^Open this address in a browser to log in:\n {2}http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?/
          )
          expect(login.status).toEqual([])
          expect(Fs.statSync(file).mode & 0o777).toBe(0o600)
          const value = storedToken(file)
          expect(login.out + login.err).not.toContain(value)
          expect((yield* mock.world.validateToken(value)).scopes).toEqual(["chat:read"])

          // The stored token (chat:read only) is the one used, not the mock's all-scopes token.
          const me = JSON.parse((yield* cli(["users", "me", "--json", ...args])).out)
          expect(me.login).toBe(MockWorld.defaultUserLogin)
          const followed = yield* cli(["streams", "followed", ...args])
          expect(followed.code).toBe(1)
          expect(followed.err).toContain("twitcher login --scope user:read:follows")

          const logout = yield* cli(["logout", ...args])
          expect(logout.code).toBe(0)
          expect(logout.out).toBe(`Logged out twitcher: token revoked and removed from ${file}.`)
          expect(Fs.existsSync(file)).toBe(false)
          const revoked = yield* Effect.either(mock.world.validateToken(value))
          expect(revoked._tag).toBe("Left")
          const again = yield* cli(["logout", ...args])
          expect(again).toMatchObject({ code: 0, out: `Not logged in (no token in ${file}).` })

          // Without a token file, mock mode neither saves nor touches a store.
          const unsaved = yield* cli(["login", "--flow", "implicit", "--port", "0"])
          expect(unsaved.code).toBe(0)
          expect(unsaved.err).toContain("the token was not saved")
          expect((yield* cli(["logout"])).err).toContain("no stored token")
        }),
      20_000
    )

    it.scoped(
      "Twitch via env: device code (approved by the user), stored under XDG_CONFIG_HOME, progress on a terminal",
      () =>
        Effect.gen(function*() {
          const mock = yield* MockTwitch.MockTwitch
          const dir = yield* tempDir
          // "Real" mode: TWITCH_CLIENT_ID set, URLs pointed at the mock as a user would.
          const env = {
            TWITCH_CLIENT_ID: mock.credentials.publicClientId,
            TWITCH_HELIX_URL: mock.http.helixUrl,
            TWITCH_ID_URL: mock.http.idUrl,
            XDG_CONFIG_HOME: dir
          }
          const recorder = { out: [] as Array<string>, err: [] as Array<string>, status: [] as Array<string> }
          const fiber = yield* Effect.fork(runWith(["login", "--scope", "user:read:follows"], recorder, {
            env,
            stderrTty: true
          }))
          // The user reads the code from stderr and approves it.
          const code = yield* Effect.gen(function*() {
            for (let i = 0; i < 100; i++) {
              const line = recorder.err.find((l) => l.includes("enter the code"))
              if (line !== undefined) return line.split(" ").at(-1)!
              yield* Effect.sleep("50 millis")
            }
            return yield* Effect.dieMessage("no code printed")
          })
          expect(recorder.err[0]).toBe(
            `To log in, open ${mock.http.baseUrl}/activate?device-code=${code} and enter the code ${code}`
          )
          yield* mock.approveDeviceCode(code)
          expect(yield* Fiber.join(fiber)).toBe(0)
          const file = Path.join(dir, "effect-twitcher", "token.json")
          expect(recorder.out).toEqual([
            "Logged in as twitcher with scopes: user:read:follows",
            `Token saved to ${file}`
          ])
          expect(recorder.status[0]).toMatch(/^Waiting for the code to be approved\.\.\. \d+s$/)
          expect(recorder.status.at(-1)).toBe("")
          expect(Fs.statSync(file).mode & 0o777).toBe(0o600)

          const followed = yield* cli(["streams", "followed", "--json", "--limit", "1"], { env })
          expect(followed.code).toBe(0)
          expect(followed.lines).toHaveLength(1)
          const value = storedToken(file)
          expect((yield* cli(["logout"], { env })).code).toBe(0)
          expect(Fs.existsSync(file)).toBe(false)
          expect((yield* Effect.either(mock.world.validateToken(value)))._tag).toBe("Left")
          const loggedOut = yield* cli(["users", "me"], { env })
          expect(loggedOut).toMatchObject({
            code: 1,
            err: "twitcher: Not logged in: run `twitcher login` (or set TWITCH_TOKEN)."
          })
        }),
      30_000
    )
  })
})
