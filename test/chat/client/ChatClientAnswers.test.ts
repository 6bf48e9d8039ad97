import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as RawServer from "./rawServer.js"

describe("ChatClient answer correlation", () => {
  it.scopedLive("a late USERSTATE after a timeout is not taken for the next send's answer", () =>
    Effect.gen(function*() {
      let n = 0
      const { client } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :/.exec(line)
        if (m !== null) {
          const k = ++n
          // The first answer comes after the client's 1 s timeout, the second at once.
          setTimeout(() => conn.write(RawServer.userState(m[1], `msg-${k}`)), k === 1 ? 1400 : 50)
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
    }))

  it.scopedLive("an answer that never comes holds the next send for one more timeout only", () =>
    Effect.gen(function*() {
      let n = 0
      const { client } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :/.exec(line)
        if (m !== null) {
          const k = ++n
          if (k > 1) setTimeout(() => conn.write(RawServer.userState(m[1], `msg-${k}`)), 20)
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
    }))

  it.scopedLive("a NOTICE the client does not know answers the pending send (Refused), room notices do not", () =>
    Effect.gen(function*() {
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
      const start = Date.now()
      const refused = yield* chat.sendRaw("PRIVMSG #room :/frobnicate")
      assert(refused._tag === "Refused")
      assert.strictEqual(refused.reason, "unrecognized_cmd")
      assert.isBelow(Date.now() - start, 2000)
      const sent = yield* chat.say("room", "hello")
      assert(sent._tag === "Sent")
      assert.strictEqual(sent.id, "msg-ok")
    }))
})
