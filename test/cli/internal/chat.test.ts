import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Stdin from "../../../src/cli/internal/stdin.js"
import * as Tty from "../../../src/cli/Tty.js"
import * as MockWorld from "../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import { cli, jsonLines, runWith } from "../support.js"

/** Whether `text` holds a C0 or C1 control character (ESC, BEL, CSI...). */
const hasControl = (text: string) =>
  [...text].some((c) => {
    const n = c.codePointAt(0) ?? 0
    return n < 0x20 || (n >= 0x7f && n <= 0x9f)
  })

const setup = Effect.gen(function*() {
  const mock = yield* MockTwitch.MockTwitch
  const irc = Option.getOrThrow(mock.irc).control
  const state = yield* mock.world.snapshot
  const live = state.streams.map((s) => state.users.find((u) => u.id === s.userId)!.login)
  return { mock, irc, state, live }
})

describe("twitcher chat", () => {
  layer(MockTwitch.layer({ irc: { chatterRate: 20 } }), { excludeTestServices: true })((it) => {
    it.effect(
      "chat read: a live channel's generated chat, --limit messages, JSON lines or text",
      () =>
        Effect.gen(function*() {
          const { live } = yield* setup
          const r = yield* cli(["chat", "read", live[0], "--limit", "3", "--json"])
          expect(r.code).toBe(0)
          const messages = jsonLines(r).filter((m) => m["type"] === "message")
          expect(messages).toHaveLength(3)
          for (const m of messages) {
            expect(m["channel"]).toBe(live[0])
            expect(typeof m["id"]).toBe("string")
            expect(typeof m["text"]).toBe("string")
          }
          const text = yield* cli(["chat", "read", `#${live[1]}`, live[2], "--limit", "2"])
          expect(text.code).toBe(0)
          const lines = text.lines.filter((l) => /^\d\d:\d\d:\d\d #/.test(l))
          expect(lines).toHaveLength(2)
          for (const l of lines) {
            expect(l).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d #(${live[1]}|${live[2]}) .+`))
          }
        }),
      20_000
    )

    it.effect(
      "chat read: a channel that cannot be joined is a warning while others are read; none joined fails",
      () =>
        Effect.gen(function*() {
          const { live, state } = yield* setup
          const suspended = state.users[state.users.length - 1].login
          const r = yield* cli(["chat", "read", live[0], `#${suspended}`, "--limit", "10", "--json"])
          expect(r.code).toBe(0)
          expect(jsonLines(r).filter((m) => m["type"] === "message")).toHaveLength(10)
          expect(r.err).toMatch(
            new RegExp(`^twitcher: warning: not reading #${suspended}: .*msg_channel_suspended`)
          )
          expect(r.err.split("\n")).toHaveLength(1)

          const none = yield* cli(["chat", "read", suspended, "--limit", "1"])
          expect(none.code).toBe(1)
          expect(none.err).toMatch(
            new RegExp(`^twitcher: Chat JoinFailed in #${suspended} \\[msg_channel_suspended\\]`)
          )
          expect(none.err.split("\n")).toHaveLength(1)
        }),
      20_000
    )

    it.effect(
      "chat read shows exactly what was posted (sender, color, /me), anonymously too",
      () =>
        Effect.gen(function*() {
          const { irc, state } = yield* setup
          const sender = state.users.find((u) => u.login === MockWorld.secondUserLogin)!
          const channel = MockWorld.defaultUserLogin // offline: no generated chatter
          const recorder = { out: [] as Array<string>, err: [] as Array<string>, status: [] as Array<string> }
          const fiber = yield* Effect.fork(
            runWith(["chat", "read", channel, "--limit", "2", "--json", "--anonymous"], recorder)
          )
          for (let i = 0; i < 200; i++) {
            const joined = (yield* irc.connections).some((c) => c.anonymous && c.channels.includes(channel))
            if (joined) break
            yield* Effect.sleep("20 millis")
          }
          const first = yield* irc.postMessage({ channel, login: sender.login, text: "hello from the test" })
          yield* irc.postMessage({ channel, login: sender.login, text: "waves", action: true })
          expect(yield* Fiber.join(fiber)).toBe(0)
          const messages = recorder.out.map((l) => JSON.parse(l) as Record<string, unknown>)
            .filter((m) => m["type"] === "message")
          expect(messages).toEqual([
            expect.objectContaining({
              channel,
              id: first.id,
              login: sender.login,
              user_id: sender.id,
              color: sender.chatColor,
              text: "hello from the test",
              action: false
            }),
            expect.objectContaining({ login: sender.login, text: "waves", action: true })
          ])
        }),
      20_000
    )

    it.effect(
      "chat read prints no escape sequence or control character from chat in text mode; JSON and --raw keep the data",
      () =>
        Effect.gen(function*() {
          const { irc } = yield* setup
          const channel = MockWorld.defaultUserLogin // offline: no generated chatter
          const evil = "hi \u001b]0;pwn\u0007\u001b[2J\u009b31mthere\u0007"
          const line =
            `@badges=;color=#FF0000;display-name=Ev\u001b[5mil;id=0b7e5a8c-1;tmi-sent-ts=1700000000000;` +
            `user-id=999 :evil!evil@evil.tmi.twitch.tv PRIVMSG #${channel} :${evil}`
          const readWith = (flags: ReadonlyArray<string>) =>
            Effect.gen(function*() {
              const recorder = {
                out: [] as Array<string>,
                err: [] as Array<string>,
                status: [] as Array<string>
              }
              const joined = Effect.map(
                irc.connections,
                (cs) => cs.some((c) => c.anonymous && c.channels.includes(channel))
              )
              // The previous run's connection must be gone, or its JOIN would be mistaken for this one's.
              for (let i = 0; i < 200 && (yield* joined); i++) yield* Effect.sleep("20 millis")
              const fiber = yield* Effect.fork(
                runWith(["chat", "read", channel, "--limit", "1", "--anonymous", ...flags], recorder)
              )
              for (let i = 0; i < 200 && !(yield* joined); i++) yield* Effect.sleep("20 millis")
              yield* irc.sendRaw(`@msg-id=x :tmi.twitch.tv NOTICE #${channel} :beware\u001b[2J`, { channel })
              yield* irc.sendRaw(line, { channel })
              expect(yield* Fiber.join(fiber)).toBe(0)
              return recorder.out
            })
          const text = yield* readWith([])
          for (const l of text) expect(hasControl(l)).toBe(false)
          expect(text).toContain("[notice] beware")
          expect(text.find((l) => l.includes("Evil"))).toMatch(/^\d\d:\d\d:\d\d #\S+ Evil: hi there$/)

          const json = (yield* readWith(["--json"])).map((l) => JSON.parse(l) as Record<string, unknown>)
          expect(json.find((m) => m["type"] === "message")).toMatchObject({
            display_name: "Ev\u001b[5mil",
            text: evil
          })

          const raw = yield* readWith(["--raw"])
          for (const l of raw) expect(hasControl(l)).toBe(false)
          expect(raw.find((l) => l.includes("PRIVMSG"))).toContain("\\x1b]0;pwn\\x07")
        }),
      20_000
    )

    it.effect(
      "chat read: bans and deletions carry their time; --limit counts chat messages, not the other lines",
      () =>
        Effect.gen(function*() {
          const { irc, state } = yield* setup
          const channel = MockWorld.defaultUserLogin // offline: no generated chatter
          const sender = state.users.find((u) => u.login === MockWorld.secondUserLogin)!
          const joined = Effect.map(irc.connections, (cs) =>
            cs.some((c) => c.anonymous && c.channels.includes(channel)))
          for (let i = 0; i < 200 && (yield* joined); i++) {
            yield* Effect.sleep("20 millis")
          }
          const recorder = { out: [] as Array<string>, err: [] as Array<string>, status: [] as Array<string> }
          const fiber = yield* Effect.fork(
            runWith(["chat", "read", channel, "--limit", "2", "--anonymous"], recorder)
          )
          for (let i = 0; i < 200 && !(yield* joined); i++) {
            yield* Effect.sleep("20 millis")
          }
          const ts = 1_700_000_123_000
          const at = new Date(ts)
          const clock = [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) =>
            String(n).padStart(2, "0")
          ).join(":")
          yield* irc.sendRaw(
            `@ban-duration=600;room-id=1;target-user-id=2;tmi-sent-ts=${ts} :tmi.twitch.tv CLEARCHAT #${channel} :ronni`,
            { channel }
          )
          yield* irc.sendRaw(
            `@login=ronni;room-id=1;target-msg-id=abc-1;tmi-sent-ts=${ts} :tmi.twitch.tv CLEARMSG #${channel} :spam`,
            { channel }
          )
          yield* irc.sendRaw(`@room-id=1;tmi-sent-ts=${ts} :tmi.twitch.tv CLEARCHAT #${channel}`, { channel })
          yield* irc.postMessage({ channel, login: sender.login, text: "one" })
          yield* irc.postMessage({ channel, login: sender.login, text: "two" })
          yield* irc.postMessage({ channel, login: sender.login, text: "three" })
          expect(yield* Fiber.join(fiber)).toBe(0)
          const lines = recorder.out.map(Tty.stripAnsi)
          expect(lines.slice(0, 3)).toEqual([
            `${clock} #${channel} ronni timed out for 600s`,
            `${clock} #${channel} a message of ronni was deleted`,
            `${clock} #${channel} chat cleared`
          ])
          // Two chat messages counted, the three other lines printed but not counted.
          expect(lines.slice(3).map((l) => l.replace(/^\d\d:\d\d:\d\d /, ""))).toEqual([
            `#${channel} ${sender.displayName}: one`,
            `#${channel} ${sender.displayName}: two`
          ])
          const help = yield* cli(["chat", "read", "--help"])
          expect(help.out).toContain("Stop after this many chat messages (PRIVMSG")
        }),
      20_000
    )

    it.effect(
      "chat read with an app token or a token without chat:read reads anonymously, with a note on stderr",
      () =>
        Effect.gen(function*() {
          const { irc, mock, state } = yield* setup
          const channel = MockWorld.defaultUserLogin // offline: no generated chatter
          const sender = state.users.find((u) => u.login === MockWorld.secondUserLogin)!
          const noChat = yield* mock.world.issueToken({
            clientId: mock.credentials.clientId,
            userId: state.users.find((u) => u.login === MockWorld.defaultUserLogin)!.id,
            scopes: ["user:read:email"]
          })
          const joined = Effect.map(
            irc.connections,
            (cs) => cs.some((c) => c.anonymous && c.channels.includes(channel))
          )
          for (
            const [token, why] of [[mock.credentials.appToken, "an app token"], [noChat.value, "chat:read"]]
          ) {
            for (let i = 0; i < 200 && (yield* joined); i++) yield* Effect.sleep("20 millis")
            const recorder = {
              out: [] as Array<string>,
              err: [] as Array<string>,
              status: [] as Array<string>
            }
            const fiber = yield* Effect.fork(
              runWith(["chat", "read", channel, "--limit", "1", "--json"], recorder, {
                env: { TWITCH_TOKEN: token }
              })
            )
            for (let i = 0; i < 200 && !(yield* joined); i++) yield* Effect.sleep("20 millis")
            yield* irc.postMessage({ channel, login: sender.login, text: `read with ${why}` })
            expect(yield* Fiber.join(fiber)).toBe(0)
            expect(recorder.err).toHaveLength(1)
            expect(recorder.err[0]).toMatch(new RegExp(`^twitcher: note: .*${why}.*; reading anonymously`))
            expect(recorder.out.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
              expect.objectContaining({ type: "message", text: `read with ${why}` })
            )
          }
        }),
      20_000
    )

    it.scoped(
      "chat send: Twitch's id back, the mock received it (and replies); a JSON line and a distinct exit status for every outcome",
      () =>
        Effect.gen(function*() {
          const { irc, state } = yield* setup
          const channel = state.users[6].login
          // Runs share their send times through a file next to the named token file.
          const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "twitcher-chat-"))
          yield* Effect.addFinalizer(() =>
            Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
          )
          const tokenFile = ["--token-file", Path.join(dir, "token.json")]
          const sent = yield* cli(["chat", "send", channel, "hello from twitcher", "--json", ...tokenFile])
          expect(sent.code).toBe(0)
          const doc = JSON.parse(sent.out)
          expect(doc).toMatchObject({ outcome: "sent", channel, parts: 1 })
          expect(doc.ids).toEqual([doc.id])
          const received = yield* irc.awaitPrivmsgs(channel, 1)
          expect(received[0]).toMatchObject({
            id: doc.id,
            login: MockWorld.defaultUserLogin,
            text: "hello from twitcher"
          })

          // Right away: the second run waits for Twitch's 1 s per channel (the send log of the first run).
          const firstDone = Date.now()
          const reply = yield* cli(["chat", "send", channel, "a reply", "--reply-to", doc.id, ...tokenFile])
          expect(Date.now() - firstDone).toBeGreaterThanOrEqual(900)
          expect(reply.code).toBe(0)
          expect(reply.out).toMatch(new RegExp(`^Sent to #${channel} \\(message id \\S+\\)\\.$`))
          expect((yield* irc.awaitPrivmsgs(channel, 2))[1]).toMatchObject({
            text: "a reply",
            replyParentMsgId: doc.id
          })
          expect(Fs.existsSync(Path.join(dir, "chat-sends.json"))).toBe(true)

          // Without a token file (mock mode) runs share nothing: Twitch's 1 s per channel refuses it.
          const tooSoon = yield* cli(["chat", "send", channel, "again"])
          expect(tooSoon.code).toBe(3)
          expect(tooSoon.err).toMatch(/\[msg_ratelimit\]$/)

          yield* Effect.sleep("1100 millis")
          yield* irc.ban({ channel, login: MockWorld.defaultUserLogin })
          const refused = yield* cli(["chat", "send", channel, "let me in"])
          yield* Effect.sleep("1100 millis")
          const refusedJson = yield* cli(["chat", "send", channel, "let me in", "--json"])
          yield* irc.unban(channel, MockWorld.defaultUserLogin)
          expect(refused).toMatchObject({ code: 3, out: "" })
          expect(refused.err).toMatch(
            new RegExp(`^twitcher: Twitch refused the message in #${channel}: .+ \\[msg_banned\\]$`)
          )
          expect(refusedJson).toMatchObject({ code: 3, err: "" })
          expect(JSON.parse(refusedJson.out)).toEqual({
            outcome: "refused",
            ids: [],
            channel,
            reason: "msg_banned",
            notice: expect.stringMatching(/banned/),
            parts: 1
          })

          const app = yield* cli(["chat", "send", channel, "hi", "--json"], {
            env: { TWITCH_TOKEN: MockTwitch.credentials.appToken }
          })
          expect(app.code).toBe(1)
          expect(app.err).toMatch(/^twitcher: This needs a user token .*twitcher login/)
          expect(JSON.parse(app.out)).toMatchObject({ outcome: "error", channel, error: "NotAuthorized" })

          const twoLines = yield* cli(["chat", "send", channel, "a\nb"])
          expect(twoLines).toMatchObject({ code: 2, out: "" })
          expect(twoLines.err).toMatch(/^twitcher: Chat InvalidText/)
          const empty = yield* cli(["chat", "send", channel, "", "--json"])
          expect(empty).toMatchObject({ code: 2, err: "" })
          expect(JSON.parse(empty.out)).toMatchObject({ outcome: "invalid", channel, reason: "InvalidText" })
        }),
      20_000
    )

    it.effect(
      "chat send -: every stdin line through one client, spaced by Twitch's 1 s per channel, a JSON line each",
      () =>
        Effect.gen(function*() {
          const { irc, state } = yield* setup
          const channel = state.users[7].login
          const recorder = { out: [] as Array<string>, err: [] as Array<string>, status: [] as Array<string> }
          const logins = (yield* irc.counters).logins
          const started = Date.now()
          const code = yield* runWith(["chat", "send", channel, "-", "--json"], recorder).pipe(
            Effect.provideService(Stdin.Stdin, Stdin.fromLines(["one", "", "two\r", "   ", "three"]))
          )
          expect(code).toBe(0)
          expect(Date.now() - started).toBeGreaterThanOrEqual(1900)
          const docs = recorder.out.map((l) => JSON.parse(l) as Record<string, unknown>)
          expect(docs.map((d) => d["outcome"])).toEqual(["sent", "sent", "sent"])
          const received = yield* irc.awaitPrivmsgs(channel, 3)
          expect(received.map((m) => m.text)).toEqual(["one", "two", "three"])
          expect(received.map((m) => m.id)).toEqual(docs.map((d) => d["id"]))
          // One connection (one login) for the whole batch.
          expect((yield* irc.counters).logins - logins).toBe(1)
          expect(recorder.err).toEqual([])
        }),
      20_000
    )

    it.effect("chat usage: --help, bad --limit, a stray flag", () =>
      Effect.gen(function*() {
        const help = yield* cli(["chat", "--help"])
        expect(help.code).toBe(0)
        expect(help.out).toContain("read")
        expect(help.out).toContain("send")
        expect((yield* cli(["chat", "read", "x", "--limit", "0"])).code).toBe(2)
        expect((yield* cli(["chat", "send", "x", "hi", "--nope"])).code).toBe(2)
        // --me was silently dropped with --reply-to.
        const meReply = yield* cli(["chat", "send", "x", "hi", "--me", "--reply-to", "abc"])
        expect(meReply).toMatchObject({ code: 2, err: "twitcher: --me and --reply-to cannot be combined." })
      }))
  })
})
