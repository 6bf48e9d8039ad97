import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as ChatClient from "../../../src/chat/ChatClient.js"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import * as RawServer from "./rawServer.js"
import * as Virtual from "./virtual.js"

describe("ChatClient answer correlation", () => {
  it.scoped("a late USERSTATE after a timeout is not taken for the next send's answer", () =>
    Virtual.run(Effect.gen(function*() {
      let n = 0
      const { client } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :/.exec(line)
        if (m !== null) {
          const k = ++n
          // The first answer comes after the client's 1 s timeout, the second at once.
          conn.later(k === 1 ? 1400 : 50, () => conn.write(RawServer.userState(m[1], `msg-${k}`)))
          return
        }
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({ sendTimeout: "1 second" })
      const first = yield* chat.say("room", "first")
      assert.strictEqual(first._tag, "Unconfirmed")
      const second = yield* chat.say("room", "second")
      assert(second._tag === "Sent")
      assert.strictEqual(second.id, "msg-2")
      assert.strictEqual(second.message.text, "second")
      assert.strictEqual(second.message.id, "msg-2")
    })))

  it.scoped("an answer that never comes holds the next send for one more timeout only", () =>
    Virtual.run(Effect.gen(function*() {
      let n = 0
      const { client } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :/.exec(line)
        if (m !== null) {
          const k = ++n
          if (k > 1) conn.later(20, () => conn.write(RawServer.userState(m[1], `msg-${k}`)))
          return
        }
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({ sendTimeout: "500 millis" })
      assert.strictEqual((yield* chat.say("room", "dropped silently"))._tag, "Unconfirmed")
      const second = yield* chat.say("room", "second")
      assert(second._tag === "Sent")
      assert.strictEqual(second.id, "msg-2")
      const third = yield* chat.say("room", "third")
      assert(third._tag === "Sent")
      assert.strictEqual(third.id, "msg-3")
    })))

  it.scoped("a split text whose second part is refused reports the first part's id", () =>
    Virtual.run(Effect.gen(function*() {
      let n = 0
      const { client, conns } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :/.exec(line)
        if (m !== null) {
          const k = ++n
          if (k === 2) {
            return conn.write(
              `@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #${
                m[1]
              } :Your message is identical to the previous one.`
            )
          }
          return conn.write(RawServer.userState(m[1], `msg-${k}`))
        }
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({ limits: { ...ChatRateLimits.twitchLimits, channelInterval: 0 } })
      const text = ["a".repeat(400), "b".repeat(400), "c".repeat(400)].join(" ")
      const refused = yield* chat.say("room", text)
      assert(refused._tag === "Refused")
      assert.strictEqual(refused.part, 2)
      assert.strictEqual(refused.parts, 3)
      assert.strictEqual(refused.reason, "msg_duplicate")
      assert.deepStrictEqual(refused.ids, ["msg-1"])
      // The third part is not sent after a refusal.
      assert.strictEqual(conns[0].lines.filter((l) => l.startsWith("PRIVMSG")).length, 2)
      const single = yield* chat.say("room", "short")
      assert(single._tag === "Sent")
      assert.deepStrictEqual(single.ids, ["msg-3"])
    })))

  it.scoped("a NOTICE the client does not know answers the pending send (Refused), room notices do not", () =>
    Virtual.run(Effect.gen(function*() {
      const { client } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :(.*)$/.exec(line)
        if (m !== null) {
          conn.write(`@msg-id=slow_on :tmi.twitch.tv NOTICE #${m[1]} :This room is now in slow mode.`)
          if (m[2] === "hello") return conn.write(RawServer.userState(m[1], "msg-ok"))
          return conn.write(
            `@msg-id=unrecognized_cmd :tmi.twitch.tv NOTICE #${m[1]} :Unrecognized command: ${m[2]}`
          )
        }
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({ sendTimeout: "5 seconds" })
      const start = yield* Clock.currentTimeMillis
      const refused = yield* chat.sendRaw("PRIVMSG #room :/frobnicate")
      assert(refused._tag === "Refused")
      assert.strictEqual(refused.reason, "unrecognized_cmd")
      assert.isBelow(yield* Virtual.since(start), 2000)
      const sent = yield* chat.say("room", "hello")
      assert(sent._tag === "Sent")
      assert.strictEqual(sent.id, "msg-ok")
    })))
})

describe("ChatClient command texts", () => {
  it.scoped("say neutralises a leading / or . with a zero-width space; commands: allow and me do not", () =>
    Virtual.run(Effect.gen(function*() {
      let n = 0
      const { client, conns } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :/.exec(line)
        if (m !== null) return conn.write(RawServer.userState(m[1], `msg-${++n}`))
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({ limits: { ...ChatRateLimits.twitchLimits, channelInterval: 0 } })
      const sent = yield* chat.say("room", "/color red")
      assert(sent._tag === "Sent")
      assert.strictEqual(sent.message.text, "\u200B/color red")
      yield* chat.say("room", ".ban someone")
      yield* chat.reply("room", "abc-123", " /vip me")
      yield* chat.say("room", "/me raw", { commands: "allow" })
      yield* chat.me("room", "waves")
      yield* chat.say("room", "plain.text/ok")
      yield* Effect.sleep("100 millis")
      const privmsgs = conns[0].lines.filter((l) => l.includes("PRIVMSG"))
      assert.deepStrictEqual(privmsgs, [
        "PRIVMSG #room :\u200B/color red",
        "PRIVMSG #room :\u200B.ban someone",
        "@reply-parent-msg-id=abc-123 PRIVMSG #room :\u200B /vip me",
        "PRIVMSG #room :/me raw",
        "PRIVMSG #room :\x01ACTION waves\x01",
        "PRIVMSG #room :plain.text/ok"
      ])
      assert.strictEqual(ChatClient.commandEscape, "\u200B")
    })))

  it.scoped("splits again when the escape would take a part over the limit", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :/.exec(line)
        if (m !== null) return conn.write(RawServer.userState(m[1], "x"))
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({ limits: { ...ChatRateLimits.twitchLimits, channelInterval: 0 } })
      const outcome = yield* chat.say("room", "/" + "a".repeat(499))
      assert.strictEqual(outcome._tag, "Sent")
      yield* Effect.sleep("100 millis")
      const texts = conns[0].lines.filter((l) => l.startsWith("PRIVMSG")).map((l) =>
        l.slice("PRIVMSG #room :".length)
      )
      assert.strictEqual(texts.length, 2)
      assert.strictEqual(texts[0], "\u200B/" + "a".repeat(498))
      for (const t of texts) assert.isAtMost([...t].length, 500)
    })))
})

describe("ChatClient msg_ratelimit", () => {
  it.scoped("after msg_ratelimit nothing is sent for one message window", () =>
    Virtual.run(Effect.gen(function*() {
      const written: Array<number> = []
      const { client } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :/.exec(line)
        if (m !== null) {
          written.push(conn.now())
          if (written.length === 1) {
            return conn.write(
              `@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #${
                m[1]
              } :Your message was not sent because you are sending messages too quickly.`
            )
          }
          return conn.write(RawServer.userState(m[1], `msg-${written.length}`))
        }
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({
        limits: { ...ChatRateLimits.twitchLimits, messageWindow: "600 millis", channelInterval: 0 }
      })
      const first = yield* chat.say("room", "one")
      assert(first._tag === "Refused")
      assert.strictEqual(first.reason, "msg_ratelimit")
      const second = yield* chat.say("other", "two")
      assert.strictEqual(second._tag, "Sent")
      assert.isAtLeast(written[1] - written[0], 550)
    })))
})
