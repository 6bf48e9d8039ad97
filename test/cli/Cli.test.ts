import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Control from "../../src/testing/mock/Control.js"
import * as MockWorld from "../../src/testing/mock/World.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import { cli, jsonLines } from "./support.js"

const world = Effect.flatMap(MockWorld.World, (w) => w.snapshot)

const byViewers = (a: MockWorld.LiveStream, b: MockWorld.LiveStream) =>
  b.viewerCount - a.viewerCount || (a.id < b.id ? -1 : 1)

const loginOf = (state: MockWorld.WorldState, userId: string) =>
  state.users.find((u) => u.id === userId)!.login

describe("twitcher CLI, fresh in-process mock", () => {
  it.live(
    "runs offline out of the box: no TWITCH_CLIENT_ID starts a mock for the command",
    () =>
      Effect.gen(function*() {
        const r = yield* cli(["games", "top", "--limit", "3"])
        expect(r.code).toBe(0)
        expect(r.lines[0]).toMatch(/^\s*ID\s+NAME$/)
        expect(r.lines).toHaveLength(4)
        expect(r.err).toBe("")
      }),
    20_000
  )
})

describe("twitcher CLI against a shared mock", () => {
  layer(MockTwitch.layer({ irc: { chatterRate: 20 } }), { excludeTestServices: true })((it) => {
    it.effect("--help works on the root, a group and a leaf", () =>
      Effect.gen(function*() {
        const root = yield* cli(["--help"])
        expect(root.code).toBe(0)
        for (const group of ["games", "streams", "channels", "users"]) expect(root.out).toContain(group)
        const group = yield* cli(["streams", "--help"])
        expect(group.code).toBe(0)
        for (const leaf of ["list", "get", "search", "followed"]) expect(group.out).toContain(leaf)
        const leaf = yield* cli(["games", "top", "--help"])
        expect(leaf.code).toBe(0)
        expect(leaf.out).toContain("--limit")
        expect(leaf.out).toContain("--json")
      }))

    it.effect("--help pages: the real usage line, every command described, no repeated global options", () =>
      Effect.gen(function*() {
        const family = yield* cli(["games", "--help"])
        expect(family.lines[0]).toBe(
          "twitcher games: Games (categories): top, search, one game with its viewers"
        )
        expect(family.out).toContain("$ twitcher games <command> [options]")
        expect(family.out).not.toContain("--completions")
        expect(family.lines.length).toBeLessThan(12)
        expect(yield* cli(["games"])).toMatchObject({ code: 0, out: family.out })

        const chat = yield* cli(["chat", "--help"])
        expect(chat.out).toMatch(/^ {2}send +Send a chat message \(needs a user token with chat:edit\)/m)
        expect(chat.out).toMatch(/^ {2}read +Print the chat of channels/m)

        const leaf = yield* cli(["games", "top", "--help"])
        expect(leaf.out).toContain(
          "$ twitcher games top [--json] [--mock] [--token-file text] [--limit integer] [--offset integer]"
        )
        expect(leaf.out).not.toContain("--completions")
        expect(leaf.out).not.toContain("A user-defined piece of text.")
        const emote = yield* cli(["emote", "url", "-h"])
        expect(emote.out).toContain("--scale 1.0|2.0|3.0")

        const root = yield* cli(["--help"])
        expect(root.out).toMatch(/^GLOBAL OPTIONS$/m)
        expect(root.out.match(/--completions/g)).toHaveLength(1)
        // Every command of the root with its description.
        const described = root.lines.filter((l) => /^ {2}[a-z]+ {2,}\S/.test(l)).map((l) =>
          l.trim().split(/\s+/)[0]
        )
        expect(described).toEqual([
          "games",
          "streams",
          "channels",
          "users",
          "clips",
          "videos",
          "schedule",
          "chatters",
          "announce",
          "shoutout",
          "ban",
          "timeout",
          "unban",
          "poll",
          "api",
          "playlist",
          "emote",
          "chat",
          "events",
          "login",
          "logout",
          "mock"
        ])
        expect((yield* cli(["--version"])).lines).toEqual(["0.1.0"])
      }))

    it.effect("an unknown command names its family's commands; bad values name their flag", () =>
      Effect.gen(function*() {
        const typo = yield* cli(["games", "tpo"])
        expect(typo.code).toBe(2)
        expect(typo.err.split("\n")).toEqual([
          "twitcher: twitcher games: unknown command \"tpo\". Did you mean \"top\"?",
          "twitcher: Commands of twitcher games: top, search, get (see `twitcher games --help`)."
        ])
        const root = yield* cli(["stream", "list"])
        expect(root.code).toBe(2)
        expect(root.err).toContain("Did you mean \"streams\"?")
        const limit = yield* cli(["games", "top", "--limit", "abc"])
        expect(limit).toMatchObject({
          code: 2,
          out: "",
          err: "twitcher: --limit: \"abc\" is not a whole number."
        })
        const scale = yield* cli(["emote", "url", "25", "--scale", "4.0"])
        expect(scale).toMatchObject({
          code: 2,
          err: "twitcher: --scale: \"4.0\" is not one of 1.0, 2.0, 3.0."
        })
        const format = yield* cli(["emote", "url", "25", "--format=gif"])
        expect(format.err).toBe("twitcher: --format: \"gif\" is not one of default, static, animated.")
      }))

    it.effect("games top --json: JSON lines of the world's games, paged with --limit/--offset", () =>
      Effect.gen(function*() {
        const state = yield* world
        const all = jsonLines(yield* cli(["games", "top", "--json", "--limit", "100"]))
        expect(all.length).toBe(state.games.length)
        for (const g of all) {
          expect(state.games.find((w) => w.id === g["id"])?.name).toBe(g["name"])
          expect(typeof g["box_art_url"]).toBe("string")
        }
        const page = jsonLines(yield* cli(["games", "top", "--json", "--limit", "2", "--offset", "3"]))
        expect(page.map((g) => g["id"])).toEqual(all.slice(3, 5).map((g) => g["id"]))
      }))

    it.effect("games search and get (viewer totals summed with progress on a terminal, quiet when piped)", () =>
      Effect.gen(function*() {
        const state = yield* world
        const top = [...state.streams].sort(byViewers)[0]
        const game = state.games.find((g) => g.id === top.gameId)!
        const found = jsonLines(yield* cli(["games", "search", game.name, "--json"]))
        expect(found.map((c) => c["id"])).toContain(game.id)

        const live = state.streams.filter((s) => s.gameId === game.id)
        const piped = yield* cli(["games", "get", game.name, "--json"])
        expect(piped.code).toBe(0)
        expect(piped.status).toEqual([])
        expect(JSON.parse(piped.out)).toMatchObject({
          id: game.id,
          name: game.name,
          viewers: live.reduce((n, s) => n + s.viewerCount, 0),
          channels: live.length
        })
        const onTty = yield* cli(["games", "get", game.id, "--id"], { stderrTty: true })
        expect(onTty.code).toBe(0)
        expect(onTty.out).toContain(game.name)
        expect(onTty.out).toMatch(new RegExp(`live channels\\s+${live.length}`))
        expect(onTty.status[0]).toContain(`Summing the viewers of ${game.name}`)
        expect(onTty.status.at(-1)).toBe("")

        const missing = yield* cli(["games", "get", "No Such Game Anywhere"])
        expect(missing.code).toBe(1)
        expect(missing.err).toBe(`twitcher: No game named "No Such Game Anywhere".`)
      }))

    it.effect("games top --viewers: each game's viewers and live channels, one count per game, in order", () =>
      Effect.gen(function*() {
        const state = yield* world
        const control = yield* Control.Control
        const streamsRoute = Control.routeCounter("GET", "/helix/streams")
        const plain = jsonLines(yield* cli(["games", "top", "--json", "--limit", "6", "--offset", "1"]))
        const before = yield* control.counter(streamsRoute)
        const counted = jsonLines(
          yield* cli(["games", "top", "--viewers", "--json", "--limit", "6", "--offset", "1"])
        )
        expect(counted.map((g) => g["id"])).toEqual(plain.map((g) => g["id"]))
        for (const g of counted) {
          const live = state.streams.filter((s) => s.gameId === g["id"])
          expect(g).toMatchObject({
            viewers: live.reduce((n, s) => n + s.viewerCount, 0),
            channels: live.length
          })
        }
        // One Get Streams per game (none has more than 100 live streams here), none for skipped games.
        expect((yield* control.counter(streamsRoute)) - before).toBe(6)

        const table = yield* cli(["games", "top", "--viewers", "--limit", "3"], { stderrTty: true })
        expect(table.code).toBe(0)
        expect(table.lines[0]).toMatch(/^\s*ID\s+NAME\s+VIEWERS\s+CHANNELS$/)
        expect(table.lines).toHaveLength(4)
        expect(table.status.filter((l) => l.startsWith("Counting the viewers of each game"))).toHaveLength(3)
        expect(table.status.at(-1)).toBe("")
      }))

    it.effect("streams list/get/search: the world's live streams, by viewers, filters, offline and unknown", () =>
      Effect.gen(function*() {
        const state = yield* world
        const sorted = [...state.streams].sort(byViewers)
        const listed = jsonLines(yield* cli(["streams", "list", "--json", "--limit", "5", "--offset", "1"]))
        expect(listed.map((s) => s["id"])).toEqual(sorted.slice(1, 6).map((s) => s.id))
        expect(listed.map((s) => s["viewer_count"])).toEqual(sorted.slice(1, 6).map((s) => s.viewerCount))

        const game = state.games.find((g) => g.id === sorted[0].gameId)!
        const ofGame = jsonLines(yield* cli(["streams", "list", "--json", "--game", game.name]))
        expect(ofGame.map((s) => s["id"]).sort()).toEqual(
          state.streams.filter((s) => s.gameId === game.id).map((s) => s.id).sort()
        )
        const table = yield* cli(["streams", "list", "--limit", "3"])
        expect(table.code).toBe(0)
        expect(table.lines[0]).toMatch(/^CHANNEL\s+VIEWERS\s+UPTIME\s+LANG\s+GAME\s+TITLE$/)
        expect(table.lines[1]).toContain(loginOf(state, sorted[0].userId))

        const login = loginOf(state, sorted[2].userId)
        const one = yield* cli(["streams", "get", login, "--json"])
        expect(one.code).toBe(0)
        expect(JSON.parse(one.out)).toMatchObject({ user_login: login, viewer_count: sorted[2].viewerCount })

        const offline = yield* cli(["streams", "get", MockWorld.defaultUserLogin])
        expect(offline.code).toBe(1)
        expect(offline.err).toBe("twitcher: Twitcher is offline.")
        const unknown = yield* cli(["streams", "get", "nosuchchannel"])
        expect(unknown.code).toBe(1)
        expect(unknown.err).toBe(`twitcher: No channel named "nosuchchannel".`)
        // With --json a script always gets a document: null when there is no stream.
        for (
          const argv of [["streams", "get", MockWorld.defaultUserLogin], ["streams", "get", "nosuchchannel"]]
        ) {
          const none = yield* cli([...argv, "--json"])
          expect(none.code).toBe(1)
          expect(JSON.parse(none.out)).toBeNull()
        }
        expect(JSON.parse((yield* cli(["channels", "get", "nosuchchannel", "--json"])).out)).toBeNull()
        expect(JSON.parse((yield* cli(["games", "get", "No Such Game", "--json"])).out)).toBeNull()

        const search = jsonLines(yield* cli(["streams", "search", login, "--json"]))
        expect(search.map((s) => s["user_login"])).toContain(login)
      }))

    it.effect("streams followed: the default user's follows; a token without the scope says how to fix it", () =>
      Effect.gen(function*() {
        const state = yield* world
        const follows = state.follows.filter((f) => f.fromId === MockWorld.defaultUserId).map((f) => f.toId)
        const live = state.streams.filter((s) => follows.includes(s.userId))
        const followed = jsonLines(yield* cli(["streams", "followed", "--json", "--limit", "100"]))
        expect(followed.map((s) => s["user_id"]).sort()).toEqual(live.map((s) => s.userId).sort())

        const limited = yield* cli(["streams", "followed"], {
          env: { TWITCH_TOKEN: MockTwitch.credentials.noFollowsUserToken }
        })
        expect(limited.code).toBe(1)
        expect(limited.out).toBe("")
        expect(limited.err).toBe(
          "twitcher: The token lacks the scope \"user:read:follows\": run `twitcher login --scope user:read:follows` to get a token with it."
        )
        const expired = yield* cli(["users", "me"], {
          env: { TWITCH_TOKEN: MockTwitch.credentials.expiredUserToken }
        })
        expect(expired.code).toBe(1)
        // The auth layer's warning, then the one-line error.
        expect(expired.err.split("\n")).toEqual([
          "twitcher: warn: the token failed validation and it cannot be refreshed; the token was dropped: log in again",
          "twitcher: Not logged in: run `twitcher login` (or set TWITCH_TOKEN)."
        ])
      }))

    it.effect("channels get/search and users get/me match the world", () =>
      Effect.gen(function*() {
        const state = yield* world
        const user = state.users[3]
        const channel = JSON.parse((yield* cli(["channels", "get", user.login, "--json"])).out)
        const info = state.channels.find((c) => c.broadcasterId === user.id)!
        expect(channel.user).toMatchObject({ id: user.id, login: user.login, display_name: user.displayName })
        expect(channel.information).toMatchObject({
          broadcaster_id: user.id,
          title: info.title,
          game_id: info.gameId
        })
        expect(channel.followers).toBe(state.follows.filter((f) => f.toId === user.id).length)
        const text = yield* cli(["channels", "get", user.login])
        expect(text.out).toMatch(new RegExp(`^channel\\s+${user.displayName} \\(${user.login}\\)`, "m"))
        expect((yield* cli(["channels", "get", "nosuchchannel"])).code).toBe(1)

        const search = jsonLines(yield* cli(["channels", "search", user.login, "--json"]))
        expect(search.map((c) => c["broadcaster_login"])).toContain(user.login)
        const liveOnly = jsonLines(
          yield* cli(["channels", "search", user.login.slice(0, 4), "--live", "--json"])
        )
        for (const c of liveOnly) expect(c["is_live"]).toBe(true)

        const users = jsonLines(yield* cli(["users", "get", user.login, state.users[4].login, "--json"]))
        expect(users.map((u) => u["id"]).sort()).toEqual([user.id, state.users[4].id].sort())
        const byId = JSON.parse((yield* cli(["users", "get", "--id", user.id, "--json"])).out)
        expect(byId.login).toBe(user.login)
        const someMissing = yield* cli(["users", "get", user.login, "nosuchuser"])
        expect(someMissing.code).toBe(1)
        expect(someMissing.out).toContain(user.login)
        expect(someMissing.err).toBe(`twitcher: No user named "nosuchuser".`)

        const me = JSON.parse((yield* cli(["users", "me", "--json"])).out)
        expect(me).toMatchObject({ id: MockWorld.defaultUserId, login: MockWorld.defaultUserLogin })
        const app = yield* cli(["users", "me"], { env: { TWITCH_TOKEN: MockTwitch.credentials.appToken } })
        expect(app.code).toBe(1)
        expect(app.err).toMatch(/^twitcher: .*user token.*twitcher login/)
      }))

    it.effect("bad usage: unknown flag, bad integer, bad --limit, unknown command: exit status 2", () =>
      Effect.gen(function*() {
        const unknownFlag = yield* cli(["games", "top", "--nope"])
        expect(unknownFlag.code).toBe(2)
        expect(unknownFlag.out).toBe("")
        const badInt = yield* cli(["games", "top", "--limit", "many"])
        expect(badInt.code).toBe(2)
        expect(badInt.err).toContain("many")
        const zero = yield* cli(["games", "top", "--limit", "0"])
        expect(zero.code).toBe(2)
        expect(zero.err).toBe("twitcher: --limit must be at least 1 and --offset at least 0.")
        expect((yield* cli(["nosuchcommand"])).code).toBe(2)
      }))

    it.effect(
      "--mock wins over TWITCH_CLIENT_ID; an unreachable Twitch is a warning and one error line",
      () =>
        Effect.gen(function*() {
          const nowhere = {
            TWITCH_CLIENT_ID: "x",
            TWITCH_HELIX_URL: "http://127.0.0.1:1/helix",
            TWITCH_ID_URL: "http://127.0.0.1:1"
          }
          const mocked = yield* cli(["games", "top", "--mock", "--limit", "1", "--json"], { env: nowhere })
          expect(mocked.code).toBe(0)
          expect(mocked.lines).toHaveLength(1)
          const down = yield* cli(["games", "top"], { env: { ...nowhere, TWITCH_TOKEN: "sometoken" } })
          expect(down.code).toBe(1)
          expect(down.out).toBe("")
          const lines = down.err.split("\n")
          expect(lines).toHaveLength(2)
          expect(lines[0]).toMatch(/^twitcher: warn: could not validate the token, keeping it: /)
          expect(lines[1]).toMatch(/^twitcher: GET http:\/\/127\.0\.0\.1:1\/helix\/games\/top\?first=25: /)
          expect(down.err).not.toContain("sometoken")
        }),
      20_000
    )

    it.effect("a bad config value is one line, not a stack trace", () =>
      Effect.gen(function*() {
        const r = yield* cli(["games", "top"], {
          env: { TWITCH_CLIENT_ID: "x", TWITCH_IRC_PORT: "notaport" }
        })
        expect(r.code).toBe(2)
        expect(r.err.split("\n")).toHaveLength(1)
        expect(r.err).toMatch(/^twitcher: Configuration error: .*TWITCH_IRC_PORT/)
      }))
  })
})

describe("twitcher CLI on a big game", () => {
  layer(MockTwitch.layer({ irc: false, http: { rateLimit: { limit: 10_000 } } }), {
    excludeTestServices: true
  })(
    (it) => {
      it.effect(
        "games get sums 250 streams over 3 pages with a running count on a terminal; listings fetch only the pages they need",
        () =>
          Effect.gen(function*() {
            const world = yield* MockWorld.World
            const control = yield* Control.Control
            const game = (yield* world.snapshot).games[5]
            for (let i = 0; i < 250; i++) {
              const user = yield* world.addUser({ login: `bulkstreamer${i}` })
              yield* world.startStream({ userId: user.id, gameId: game.id, viewerCount: 10 + i })
            }
            const live = (yield* world.snapshot).streams.filter((s) => s.gameId === game.id)
            const expected = live.reduce((n, s) => n + s.viewerCount, 0)
            const streamsRoute = Control.routeCounter("GET", "/helix/streams")
            const before = yield* control.counter(streamsRoute)
            const r = yield* cli(["games", "get", game.name, "--json"], { stderrTty: true })
            expect(r.code).toBe(0)
            expect(JSON.parse(r.out)).toMatchObject({ id: game.id, viewers: expected, channels: live.length })
            expect((yield* control.counter(streamsRoute)) - before).toBe(Math.ceil(live.length / 100))
            expect(
              r.status.filter((s) => /: \d+ channels, [\d,]+ viewers so far\.\.\.$/.test(s)).map((s) =>
                /: (\d+) channels/.exec(s)![1]
              )
            ).toEqual(["100", "200"])
            expect(r.status.at(-1)).toBe("")

            // --limit 5 --offset 5 pulls one page of 10, not the whole list.
            const gamesRoute = Control.routeCounter("GET", "/helix/games/top")
            const gamesBefore = yield* control.counter(gamesRoute)
            const page = jsonLines(yield* cli(["games", "top", "--json", "--limit", "5", "--offset", "5"]))
            expect(page).toHaveLength(5)
            expect((yield* control.counter(gamesRoute)) - gamesBefore).toBe(1)
            const streamsBefore = yield* control.counter(streamsRoute)
            expect(jsonLines(yield* cli(["streams", "list", "--json", "--limit", "150"]))).toHaveLength(150)
            expect((yield* control.counter(streamsRoute)) - streamsBefore).toBe(2)
            // A long table shows how far it got on a terminal.
            const table = yield* cli(["streams", "list", "--limit", "250"], { stderrTty: true })
            expect(table.lines).toHaveLength(251)
            expect(table.status).toEqual(["Fetched 100 items...", "Fetched 200 items...", ""])
          }),
        30_000
      )

      it.effect("streams search and channels search match anywhere in the name, as Twitch does", () =>
        Effect.gen(function*() {
          const world = yield* MockWorld.World
          const game = (yield* world.snapshot).games[0]
          const user = yield* world.addUser({ login: "sleepyotter91" })
          yield* world.startStream({ userId: user.id, gameId: game.id, viewerCount: 3 })
          const streams = jsonLines(yield* cli(["streams", "search", "otter", "--json", "--limit", "100"]))
          expect(streams.map((s) => s["user_login"])).toContain("sleepyotter91")
          const channels = jsonLines(yield* cli(["channels", "search", "OTTER", "--json", "--limit", "100"]))
          expect(channels.map((c) => c["broadcaster_login"])).toContain("sleepyotter91")
        }))
    }
  )
})
