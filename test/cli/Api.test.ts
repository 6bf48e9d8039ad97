/**
 * `twitcher api list` and `twitcher api <operation-id>`: the catalog against the spec, reads and a
 * paged call against the mock Twitch, a write, a 204 and the iCalendar text against the scripted
 * Twitch, and every kind of bad input as one usage line (exit status 2) with nothing sent.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as HelixSpec from "../../src/spec/HelixSpec.js"
import * as Control from "../../src/testing/mock/Control.js"
import * as MockWorld from "../../src/testing/mock/World.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as Scripted from "./scriptedHelix.js"
import { cli, jsonLines } from "./support.js"

const counter = (method: string, route: string) =>
  Effect.flatMap(Control.Control, (c) => c.counter(Control.routeCounter(method, route)))

describe("twitcher api against the mock Twitch", () => {
  layer(MockTwitch.layer({ irc: false }), { excludeTestServices: true })((it) => {
    it.effect("api list: every spec operation with its method, path, group, tokens and scopes; filters", () =>
      Effect.gen(function*() {
        const all = jsonLines(yield* cli(["api", "list", "--json"]))
        expect(all).toHaveLength(HelixSpec.operations.length)
        for (const located of HelixSpec.operations) {
          const entry = all.find((e) => e["id"] === located.operation.operationId)
          expect(entry).toMatchObject({
            method: located.method,
            path: located.path,
            tokens: located.operation.tokens,
            scopes: located.operation.scopes.anyOf ?? []
          })
        }
        expect(all.find((e) => e["id"] === "ban-user")).toMatchObject({
          group: "Moderation",
          service_method: "Moderation.banUser",
          answer: "items",
          query: [
            { name: "broadcaster_id", required: true, token_user: false },
            { name: "moderator_id", required: false, token_user: true }
          ],
          body: [{ name: "data", required: true, token_user: false }]
        })

        const table = yield* cli(["api", "list"])
        expect(table.lines[0]).toMatch(/^OPERATION ID\s+METHOD\s+PATH\s+GROUP\s+TOKENS\s+SCOPES \(any one\)$/)
        expect(table.lines).toHaveLength(HelixSpec.operations.length + 1)
        expect(table.err).toBe(
          `${HelixSpec.operations.length} of ${HelixSpec.operations.length} operations. Call one: twitcher api <operation-id> --query name=value --body JSON`
        )
        const polls = jsonLines(yield* cli(["api", "list", "--group", "polls", "--json"]))
        expect(polls.map((e) => e["id"])).toEqual(["get-polls", "create-poll", "end-poll"])
        const words = jsonLines(yield* cli(["api", "list", "ban", "moderation", "--json"]))
        expect(words.map((e) => e["id"]).sort()).toEqual(
          ["ban-user", "get-banned-users", "unban-user", "get-unban-requests", "resolve-unban-requests"]
            .sort()
        )
        const none = yield* cli(["api", "list", "nothingmatchesthis"])
        expect(none.code).toBe(0)
        expect(none.err).toMatch(/^No operation matches\. Groups: Ads, Analytics, /)
      }))

    it.effect("api <read>: the decoded answer encoded back to Twitch's names, as JSON or indented for people", () =>
      Effect.gen(function*() {
        const state = yield* Effect.flatMap(MockWorld.World, (w) => w.snapshot)
        const [a, b] = state.users
        const users = yield* cli([
          "api",
          "get-users",
          "--query",
          `login=${a.login}`,
          "--query",
          `login=${b.login}`,
          "--json"
        ])
        expect(users.code).toBe(0)
        expect(users.lines).toHaveLength(1)
        const parsed: Array<Record<string, unknown>> = JSON.parse(users.out)
        expect(parsed.map((u) => u["login"]).sort()).toEqual([a.login, b.login].sort())
        expect(parsed[0]).toHaveProperty("display_name")
        expect(parsed[0]).toHaveProperty("created_at")
        // `api call <id>` is the same command.
        const human = yield* cli(["api", "call", "get-users", "--query", `id=${a.id}`])
        expect(human.out.split("\n")[1]).toBe("  {")
        expect(JSON.parse(human.out)[0]).toMatchObject({ id: a.id, login: a.login })

        // The token's user fills moderator_id; the default user moderates its own channel.
        const world = yield* MockWorld.World
        yield* world.addChatter(MockWorld.defaultUserId, b.id)
        const chatters = JSON.parse(
          (yield* cli([
            "api",
            "get-chatters",
            "--query",
            `broadcaster_id=${MockWorld.defaultUserId}`,
            "--json"
          ])).out
        )
        expect(chatters).toEqual([{ user_id: b.id, user_login: b.login, user_name: b.displayName }])
      }))

    it.effect("api <paged>: --limit items over as many pages as needed, the page size from --limit", () =>
      Effect.gen(function*() {
        const state = yield* Effect.flatMap(MockWorld.World, (w) => w.snapshot)
        const expected = jsonLines(yield* cli(["games", "top", "--json", "--limit", "7"])).map((g) => g["id"])
        const before = yield* counter("GET", "/helix/games/top")
        const seven = yield* cli(["api", "get-top-games", "--limit", "7", "--json"])
        expect(JSON.parse(seven.out).map((g: { id: string }) => g.id)).toEqual(expected)
        expect(seven.err).toBe("Showing the first 7 items (--limit 7); there may be more.")
        expect((yield* counter("GET", "/helix/games/top")) - before).toBe(1)

        const paged = yield* cli(["api", "get-top-games", "--query", "first=3", "--limit", "7", "--json"])
        expect(JSON.parse(paged.out).map((g: { id: string }) => g.id)).toEqual(expected)
        expect((yield* counter("GET", "/helix/games/top")) - before).toBe(1 + 3)

        const everything = yield* cli(["api", "get-top-games", "--json", "--limit", "1000"])
        expect(JSON.parse(everything.out)).toHaveLength(state.games.length)
        expect(everything.err).toBe("")
      }))

    it.effect("api: token kind and scopes are checked before anything is sent", () =>
      Effect.gen(function*() {
        const before = yield* counter("GET", "/helix/streams/followed")
        const limited = yield* cli([
          "api",
          "get-followed-streams",
          "--query",
          `user_id=${MockWorld.defaultUserId}`
        ], {
          env: { TWITCH_TOKEN: MockTwitch.credentials.noFollowsUserToken }
        })
        expect(limited).toMatchObject({
          code: 1,
          out: "",
          err:
            "twitcher: The token lacks the scope \"user:read:follows\": run `twitcher login --scope user:read:follows` to get a token with it."
        })
        expect(yield* counter("GET", "/helix/streams/followed")).toBe(before)
        const jwt = yield* cli(["api", "get-extension-configuration-segment", "--query", "extension_id=x"])
        expect(jwt.code).toBe(1)
        expect(jwt.err).toContain("needs an extension JWT")
      }))

    it.effect("api: bad input is one usage line naming what is wrong (exit status 2), nothing sent", () =>
      Effect.gen(function*() {
        const control = yield* Control.Control
        const before = yield* control.counters
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
          [
            ["api", "get-user"],
            "twitcher: Unknown operation \"get-user\". Did you mean \"get-users\"? `twitcher api list` lists them all."
          ],
          [
            ["api", "ban", "--query", "x=1"],
            "twitcher: Unknown operation \"ban\". Did you mean \"ban-user\", \"unban-user\" or \"get-banned-users\"? `twitcher api list` lists them all."
          ],
          [
            ["api", "get-users", "--query", "nope=1"],
            "twitcher: \"nope\" is no query parameter of get-users (it takes: id, login)."
          ],
          [["api", "get-users", "--query", "login"], "twitcher: --query \"login\": expected name=value."],
          [
            ["api", "get-top-games", "--query", "first=ten"],
            "twitcher: --query first: \"ten\" is not a whole number."
          ],
          [
            ["api", "get-videos", "--query", "user_id=1", "--query", "period=year"],
            "twitcher: --query period: \"year\" is not one of all, day, month, week."
          ],
          [
            ["api", "get-streams", "--query", "type=live", "--query", "type=all"],
            "twitcher: --query type: takes one value, got 2."
          ],
          [
            ["api", "ban-user", "--query", "broadcaster_id=1", "--body", "{\"data\": {\"user_id\": "],
            "twitcher: --body is not valid JSON (Unexpected end of JSON input)."
          ],
          [
            ["api", "ban-user", "--query", "broadcaster_id=1", "--body", "[1]"],
            "twitcher: --body must be a JSON object of ban-user's body fields: data."
          ],
          [
            ["api", "ban-user", "--query", "broadcaster_id=1", "--body", "{\"data\": {\"user_id\": 5}}"],
            "twitcher: Bad parameters for ban-user: --body data.user_id: Expected string, actual 5."
          ],
          [
            ["api", "ban-user", "--body", "{\"data\": {\"user_id\": \"5\"}, \"broadcaster_id\": \"1\"}"],
            "twitcher: \"broadcaster_id\" is a query parameter of ban-user: pass it as --query broadcaster_id=..."
          ],
          [
            ["api", "ban-user", "--body", "{\"data\": {\"user_id\": \"5\"}}"],
            "twitcher: Bad parameters for ban-user: --query broadcaster_id: is missing."
          ],
          [
            ["api", "create-poll", "--query", "title=x"],
            "twitcher: \"title\" is a body field of create-poll: pass it in --body '{\"title\": ...}'."
          ],
          [
            ["api", "get-users", "--body", "{}"],
            "twitcher: get-users takes no body (only --query parameters)."
          ],
          [["api", "get-users", "--limit", "0"], "twitcher: --limit: 0 is not allowed (at least 1)."]
        ]
        for (const [argv, err] of cases) {
          const r = yield* cli(argv)
          expect({ argv, code: r.code, out: r.out, err: r.err }).toEqual({ argv, code: 2, out: "", err })
        }
        const after = yield* control.counters
        const helix = (c: Readonly<Record<string, number>>) =>
          Object.entries(c).filter(([k]) => k.includes("/helix/")).reduce((n, [, v]) => n + v, 0)
        expect(helix(after)).toBe(helix(before))
      }))
  })
})

describe("twitcher api against a scripted Twitch (writes)", () => {
  layer(Scripted.layer(), { excludeTestServices: true })((it) => {
    it.effect("api <write>, a 204 and text: sent with Twitch's names, the token user filled in", () =>
      Effect.gen(function*() {
        const scripted = yield* Scripted.Scripted
        const run = (argv: ReadonlyArray<string>) => cli(argv, { env: scripted.env })
        const banned = yield* run([
          "api",
          "ban-user",
          "--query",
          `broadcaster_id=${Scripted.streamer.id}`,
          "--body",
          `{"data": {"user_id": "${Scripted.alice.id}", "reason": "spam", "duration": 60}}`,
          "--json"
        ])
        expect(banned.code).toBe(0)
        const [ban] = JSON.parse(banned.out)
        expect(ban).toMatchObject({
          broadcaster_id: Scripted.streamer.id,
          moderator_id: Scripted.streamer.id,
          user_id: Scripted.alice.id
        })
        expect(ban.end_time).toMatch(/Z$/)
        const post = (yield* Scripted.helixSeen()).find((r) => r.method === "POST")
        expect(post?.query.get("moderator_id")).toBe(Scripted.streamer.id)
        expect(post?.body).toEqual({ data: { user_id: Scripted.alice.id, reason: "spam", duration: 60 } })

        const unban = [
          "api",
          "unban-user",
          "--query",
          `broadcaster_id=${Scripted.streamer.id}`,
          "--query",
          `user_id=${Scripted.alice.id}`
        ]
        const done = yield* run(unban)
        expect(done).toMatchObject({
          code: 0,
          out: "Done: unban-user (DELETE /moderation/bans) answered 204 No Content."
        })
        const again = yield* run([...unban, "--json"])
        expect(again.code).toBe(1)
        expect(again.err).toMatch(
          /^twitcher: DELETE .*\/helix\/moderation\/bans\?.* failed with 400 \(Bad Request: The user specified in the user_id field is not banned\.\)$/
        )
        const announced = yield* run([
          "api",
          "send-chat-announcement",
          "--query",
          `broadcaster_id=${Scripted.streamer.id}`,
          "--body",
          "{\"message\": \"hi\"}",
          "--json"
        ])
        expect(announced).toMatchObject({ code: 0, out: "null" })

        const ical = yield* run([
          "api",
          "get-channel-icalendar",
          "--query",
          `broadcaster_id=${Scripted.streamer.id}`,
          "--json"
        ])
        expect(JSON.parse(ical.out)).toMatch(/^BEGIN:VCALENDAR\r\n/)
      }))
  })
})
