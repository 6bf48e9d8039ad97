/**
 * The daily commands (clips, videos, schedule, chatters, ban/timeout/unban, announce, shoutout,
 * poll) against the scripted Twitch of `scriptedHelix.ts`, reached as real Twitch through the
 * environment: what each sends (wire names, the token's user as moderator and broadcaster), what
 * it prints for people and with --json, and how Twitch's refusals and bad input read.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Scripted from "./scriptedHelix.js"
import { cli, jsonLines, type RunOptions } from "./support.js"

/** The CLI against the scripted Twitch (its env first, then `env`), and the Helix requests it made. */
const run = (argv: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const scripted = yield* Scripted.Scripted
    const before = (yield* scripted.seen).length
    const options: RunOptions = { env: { ...scripted.env, ...env } }
    const result = yield* cli(argv, options)
    const requests = yield* Scripted.helixSeen(before)
    return { ...result, requests }
  })

const bodyOf = (request: Scripted.Seen | undefined) => request?.body

describe("daily commands against a scripted Twitch", () => {
  layer(Scripted.layer({ clips: 45 }), { excludeTestServices: true })((it) => {
    it.effect("--help: every family lists its commands; every command its usage, what it needs and --json", () =>
      Effect.gen(function*() {
        const families = {
          clips: ["list", "create"],
          videos: ["list"],
          schedule: ["show", "ical"],
          poll: ["create", "show", "end"]
        }
        for (const [family, commands] of Object.entries(families)) {
          const page = yield* cli([family, "--help"])
          expect(page.code).toBe(0)
          for (const command of commands) expect(page.out).toMatch(new RegExp(`^  ${command} +\\S`, "m"))
          for (const command of commands) {
            const leaf = yield* cli([family, command, "--help"])
            expect(leaf.out).toContain(`$ twitcher ${family} ${command} `)
            if (command !== "ical") expect(leaf.out).toContain("--json")
          }
        }
        for (const command of ["chatters", "ban", "timeout", "unban", "announce", "shoutout"]) {
          const page = yield* cli([command, "--help"])
          expect(page.code).toBe(0)
          expect(page.out).toContain(`$ twitcher ${command} [--json]`)
          expect(page.out).toMatch(/needs a user token with moderator:/)
        }
        expect((yield* cli(["timeout", "--help"])).out).toContain("<user> [<duration>]")
        expect((yield* cli(["api", "ban-user", "--help"])).out).toContain("$ twitcher api call ")
      }))

    it.effect("clips list: the token user's clips by default, paged by --limit/--offset, filters, other channels", () =>
      Effect.gen(function*() {
        const page = yield* run(["clips", "list", "--json", "--limit", "5", "--offset", "20"])
        expect(page.code).toBe(0)
        expect(jsonLines(page).map((c) => c["id"])).toEqual([
          "Clip21",
          "Clip22",
          "Clip23",
          "Clip24",
          "Clip25"
        ])
        expect(jsonLines(page)[0]).toMatchObject({ broadcaster_id: Scripted.streamer.id, view_count: 979 })
        // The token names its user: no Get Users, one page of limit + offset.
        expect(page.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /helix/clips"])
        expect(page.requests[0].query.get("broadcaster_id")).toBe(Scripted.streamer.id)
        expect(page.requests[0].query.get("first")).toBe("25")

        const table = yield* run(["clips", "list"])
        expect(table.lines[0]).toMatch(/^CREATED\s+VIEWS\s+SECONDS\s+CREATOR\s+TITLE\s+URL$/)
        expect(table.lines).toHaveLength(26)
        expect(table.lines[1]).toContain("https://clips.twitch.tv/Clip1")

        const featured = yield* run([
          "clips",
          "list",
          "--featured",
          "--since",
          "2026-04-01",
          "--json",
          "--limit",
          "100"
        ])
        expect(jsonLines(featured).every((c) => c["is_featured"] === true)).toBe(true)
        expect(featured.requests[0].query.get("is_featured")).toBe("true")
        expect(featured.requests[0].query.get("started_at")).toBe("2026-04-01T00:00:00.000Z")

        const other = yield* run(["clips", "list", "@Bob"])
        expect(other).toMatchObject({ code: 0, out: "", err: "Nothing found." })
        expect(other.requests.map((r) => r.path)).toEqual(["/helix/users", "/helix/clips"])
        expect(other.requests[0].query.get("login")).toBe("bob")
        expect(other.requests[1].query.get("broadcaster_id")).toBe(Scripted.bob.id)

        const until = yield* run(["clips", "list", "--until", "2026-05-01"])
        expect(until).toMatchObject({ code: 2, err: "twitcher: --until needs --since (Twitch's rule)." })
        expect(until.requests).toEqual([])
        const unknown = yield* run(["clips", "list", "nosuchuser"])
        expect(unknown).toMatchObject({ code: 1, err: "twitcher: No user named \"nosuchuser\"." })
      }))

    it.effect("clips create: the clip and its edit URL; an offline channel and a missing scope are one line", () =>
      Effect.gen(function*() {
        const made = yield* run(["clips", "create", "--title", "what a play", "--duration", "20"])
        expect(made.code).toBe(0)
        expect(made.out).toBe(
          "Clip NewClip of streamer's stream is being made: https://clips.twitch.tv/NewClip/edit"
        )
        expect(made.requests).toHaveLength(1)
        expect(made.requests[0].method).toBe("POST")
        expect(Object.fromEntries(made.requests[0].query)).toEqual({
          broadcaster_id: Scripted.streamer.id,
          title: "what a play",
          duration: "20"
        })
        const json = yield* run(["clips", "create", "--json"])
        expect(JSON.parse(json.out)).toEqual({
          id: "NewClip",
          edit_url: "https://clips.twitch.tv/NewClip/edit"
        })

        const offline = yield* run(["clips", "create", "carol"])
        expect(offline).toMatchObject({
          code: 1,
          out: "",
          err:
            "twitcher: Could not clip carol's stream: Clipping is not possible for an offline channel. (Twitch answered 404)."
        })
        const long = yield* run(["clips", "create", "--duration", "90"])
        expect(long.code).toBe(2)
        expect(long.err).toContain("--duration: 90 is not a clip length in seconds (5 to 60).")
        const bare = yield* run(["clips", "create"], { TWITCH_TOKEN: Scripted.bareToken })
        expect(bare.code).toBe(1)
        expect(bare.err).toContain("lacks the scope \"clips:edit\"")
        expect(bare.requests).toEqual([])
      }))

    it.effect("videos list and schedule show/ical", () =>
      Effect.gen(function*() {
        const videos = yield* run(["videos", "list", "--json", "--type", "archive"])
        expect(jsonLines(videos).map((v) => v["id"])).toEqual(["5001", "5002"])
        expect(Object.fromEntries(videos.requests[0].query)).toEqual({
          user_id: Scripted.streamer.id,
          type: "archive",
          sort: "time",
          first: "25"
        })
        const table = yield* run(["videos", "list"])
        expect(table.lines[0]).toMatch(/^CREATED\s+TYPE\s+LENGTH\s+VIEWS\s+TITLE\s+URL$/)
        expect(table.lines[1]).toMatch(
          /archive\s+1h2m3s\s+41\s+broadcast 1\s+https:\/\/www.twitch.tv\/videos\/5001$/
        )
        expect((yield* run(["videos", "list", "--sort", "oldest"])).code).toBe(2)

        const schedule = yield* run(["schedule", "show"])
        expect(schedule.code).toBe(0)
        expect(schedule.lines[0]).toMatch(/^schedule of\s+Streamer \(streamer\)$/)
        expect(schedule.out).toMatch(/^2026-05-01 18:00\s+20:00\s+Week 1\s+Just Chatting\s+weekly$/m)
        expect(schedule.out).toMatch(/^2026-05-02 18:00\s+20:00\s+Week 2\s+-\s+-$/m)
        const json = JSON.parse((yield* run(["schedule", "show", "--json", "--limit", "10"])).out)
        expect(json.segments.map((s: { id: string }) => s.id)).toEqual(["seg1", "seg2"])
        expect(json).toMatchObject({ broadcaster_login: "streamer", vacation: null })
        const none = yield* run(["schedule", "show", "bob", "--json"])
        expect(none).toMatchObject({ code: 1, out: "null", err: "twitcher: bob has no stream schedule." })
        expect((yield* run(["schedule", "show", "--limit", "30"])).code).toBe(2)

        const ical = yield* run(["schedule", "ical"])
        // Twitch's text as is (iCalendar lines end in CRLF), to redirect into a .ics file.
        expect(ical.out.split("\r\n")).toEqual(Scripted.icalendarLines)
        expect(ical.requests.at(-1)?.query.get("broadcaster_id")).toBe(Scripted.streamer.id)
        const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "twitcher-ical-"))
        const file = Path.join(dir, "schedule.ics")
        const saved = yield* run(["schedule", "ical", "--output", file])
        expect(saved).toMatchObject({ code: 0, out: `Wrote streamer's schedule (2 events) to ${file}.` })
        expect(Fs.readFileSync(file, "utf8")).toContain("SUMMARY:Week 2")
        Fs.rmSync(dir, { recursive: true })
      }))

    it.effect("chatters: as the moderator (the token's user), in a channel it moderates, refused elsewhere", () =>
      Effect.gen(function*() {
        const own = yield* run(["chatters", "--json"])
        expect(jsonLines(own).map((c) => c["user_login"])).toEqual(["streamer", "alice", "bob"])
        expect(own.requests[0].query.get("moderator_id")).toBe(Scripted.streamer.id)
        const table = yield* run(["chatters", "bob", "--limit", "2"])
        expect(table.lines).toEqual([
          "LOGIN     NAME        ID",
          "streamer  Streamer  1001",
          "alice     Alice     1002"
        ])
        expect(table.requests.at(-1)?.query.get("broadcaster_id")).toBe(Scripted.bob.id)
        const carol = yield* run(["chatters", "carol"])
        expect(carol).toMatchObject({
          code: 1,
          err:
            "twitcher: Could not list the chatters of carol: The user in moderator_id is not one of the broadcaster's moderators. (Twitch answered 403)."
        })
      }))

    it.effect("ban, timeout, unban: what is sent, the outcome lines, Twitch's refusals", () =>
      Effect.gen(function*() {
        const banned = yield* run(["ban", "alice", "--reason", "spam"])
        expect(banned).toMatchObject({ code: 0, out: "Banned alice from streamer's chat (reason: spam)." })
        const post = banned.requests.find((r) => r.method === "POST")
        expect(Object.fromEntries(post?.query ?? [])).toEqual({
          broadcaster_id: Scripted.streamer.id,
          moderator_id: Scripted.streamer.id
        })
        expect(bodyOf(post)).toEqual({ data: { user_id: Scripted.alice.id, reason: "spam" } })

        const again = yield* run(["ban", "alice"])
        expect(again).toMatchObject({
          code: 1,
          err:
            "twitcher: Could not ban alice in streamer's chat: The user specified in the user_id field is already banned. (Twitch answered 400)."
        })
        const elsewhere = JSON.parse((yield* run(["ban", "alice", "--channel", "bob", "--json"])).out)
        expect(elsewhere).toMatchObject({
          broadcaster_id: Scripted.bob.id,
          user_id: Scripted.alice.id,
          end_time: null
        })
        const notMod = yield* run(["ban", "alice", "--channel", "carol"])
        expect(notMod.code).toBe(1)
        expect(notMod.err).toContain("not one of the broadcaster's moderators")
        const nobody = yield* run(["ban", "nosuchuser"])
        expect(nobody).toMatchObject({ code: 1, err: "twitcher: No user named \"nosuchuser\"." })
        expect(nobody.requests.every((r) => r.method === "GET")).toBe(true)

        const timedOut = yield* run(["timeout", "bob", "1h30m", "--reason", "calm down"])
        expect(timedOut.code).toBe(0)
        expect(timedOut.out).toMatch(
          /^Timed out bob in streamer's chat for 1h30m, until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(reason: calm down\)\.$/
        )
        expect(bodyOf(timedOut.requests.at(-1))).toEqual({
          data: { user_id: Scripted.bob.id, duration: 5400, reason: "calm down" }
        })
        const byDefault = yield* run(["timeout", "carol", "--json"])
        expect(bodyOf(byDefault.requests.at(-1))).toEqual({
          data: { user_id: Scripted.carol.id, duration: 600 }
        })
        expect(JSON.parse(byDefault.out).end_time).toMatch(/Z$/)
        const tooLong = yield* run(["timeout", "bob", "3w"])
        expect(tooLong).toMatchObject({ code: 2, out: "" })
        expect(tooLong.err).toContain("<duration>: 3w is not allowed (1s to 2w).")
        expect((yield* run(["timeout", "bob", "soon"])).err).toContain("\"soon\" is not a duration")

        const unbanned = yield* run(["unban", "alice"])
        expect(unbanned).toMatchObject({
          code: 0,
          out: "Unbanned alice in streamer's chat (a ban or a timeout)."
        })
        expect(unbanned.requests.at(-1)?.method).toBe("DELETE")
        expect(Object.fromEntries(unbanned.requests.at(-1)?.query ?? [])).toEqual({
          broadcaster_id: Scripted.streamer.id,
          moderator_id: Scripted.streamer.id,
          user_id: Scripted.alice.id
        })
        const notBanned = yield* run(["unban", "alice"])
        expect(notBanned.code).toBe(1)
        expect(notBanned.err).toContain("is not banned. (Twitch answered 400).")
        const state = yield* Effect.flatMap(Scripted.Scripted, (s) => s.state.get)
        expect(state.bans.map((b) => `${b.broadcasterId}:${b.userId}`).sort()).toEqual(
          [
            `${Scripted.bob.id}:${Scripted.alice.id}`,
            `${Scripted.streamer.id}:${Scripted.bob.id}`,
            `${Scripted.streamer.id}:${Scripted.carol.id}`
          ]
            .sort()
        )
      }))

    it.effect("announce and shoutout: what is sent and said; bad colors and empty messages are usage errors", () =>
      Effect.gen(function*() {
        const sent = yield* run(["announce", "Stream starts in 5!", "--color", "purple"])
        expect(sent).toMatchObject({
          code: 0,
          out: "Announced in streamer's chat (purple): Stream starts in 5!"
        })
        expect(bodyOf(sent.requests.at(-1))).toEqual({ message: "Stream starts in 5!", color: "purple" })
        expect(sent.requests.at(-1)?.query.get("moderator_id")).toBe(Scripted.streamer.id)
        const inBob = yield* run(["announce", "hi", "--channel", "bob", "--json"])
        expect(JSON.parse(inBob.out)).toEqual({
          broadcaster_id: Scripted.bob.id,
          message: "hi",
          color: "primary"
        })
        expect((yield* run(["announce", "  "])).err).toBe("twitcher: The announcement is empty.")
        const red = yield* run(["announce", "hi", "--color", "red"])
        expect(red).toMatchObject({
          code: 2,
          err: "twitcher: --color: \"red\" is not one of primary, blue, green, orange, purple."
        })

        const shout = yield* run(["shoutout", "bob"])
        expect(shout).toMatchObject({ code: 0, out: "Shouted out bob in streamer's chat." })
        expect(Object.fromEntries(shout.requests.at(-1)?.query ?? [])).toEqual({
          from_broadcaster_id: Scripted.streamer.id,
          to_broadcaster_id: Scripted.bob.id,
          moderator_id: Scripted.streamer.id
        })
        const self = yield* run(["shoutout", "streamer"])
        expect(self).toMatchObject({
          code: 1,
          err:
            "twitcher: Could not shout out streamer in streamer's chat: The broadcaster may not give themselves a Shoutout. (Twitch answered 400)."
        })
      }))

    it.effect("poll create/show/end: the poll's life in the token user's channel", () =>
      Effect.gen(function*() {
        const none = yield* run(["poll", "show"])
        expect(none).toMatchObject({ code: 1, err: "twitcher: No poll in streamer's channel yet." })
        expect(JSON.parse((yield* run(["poll", "show", "--json"])).out)).toBeNull()

        const created = yield* run(["poll", "create", "Best snack?", "chips", "pretzels", "--duration", "2m"])
        expect(created.code).toBe(0)
        expect(created.out).toBe(
          "Poll started in streamer's channel for 2m: Best snack? (chips / pretzels); id poll1"
        )
        expect(bodyOf(created.requests.at(-1))).toEqual({
          broadcaster_id: Scripted.streamer.id,
          title: "Best snack?",
          choices: [{ title: "chips" }, { title: "pretzels" }],
          duration: 120
        })
        const twice = yield* run(["poll", "create", "Again?", "yes", "no"])
        expect(twice).toMatchObject({
          code: 1,
          err:
            "twitcher: Could not start a poll in streamer's channel: A poll is already active. (Twitch answered 400)."
        })

        const shown = yield* run(["poll", "show"])
        expect(shown.lines[0]).toMatch(/^poll\s+Best snack\?$/)
        expect(shown.out).toMatch(/^status\s+active$/m)
        expect(shown.out).toMatch(/^chips\s+3\s+60%$/m)
        expect(shown.out).toMatch(/^pretzels\s+2\s+40%$/m)
        expect(JSON.parse((yield* run(["poll", "show", "--json", "--id", "poll1"])).out)).toMatchObject({
          id: "poll1",
          status: "ACTIVE",
          choices: [{ title: "chips", votes: 3 }, { title: "pretzels", votes: 2 }]
        })

        const ended = yield* run(["poll", "end"])
        expect(ended).toMatchObject({
          code: 0,
          out: "Poll ended: Best snack?: most votes for chips (3 of 5)."
        })
        expect(bodyOf(ended.requests.at(-1))).toEqual({
          broadcaster_id: Scripted.streamer.id,
          id: "poll1",
          status: "TERMINATED"
        })
        const noneRunning = yield* run(["poll", "end"])
        expect(noneRunning).toMatchObject({
          code: 1,
          err: "twitcher: No poll is running in streamer's channel."
        })

        expect((yield* run(["poll", "create", "Q?", "only"])).code).toBe(2)
        const six = yield* run(["poll", "create", "Q?", "a", "b", "c", "d", "e", "f"])
        expect(six).toMatchObject({ code: 2, err: "twitcher: A poll has 2 to 5 choices, not 6." })
        const short = yield* run(["poll", "create", "Q?", "a", "b", "--duration", "5s"])
        expect(short.err).toContain("--duration: 5s is not allowed (15s to 30m).")
        expect(short.requests).toEqual([])
      }))
  })
})
