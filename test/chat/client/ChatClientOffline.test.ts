import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import * as RawServer from "./rawServer.js"
import * as Virtual from "./virtual.js"

describe("ChatClient sends while offline", () => {
  it.scoped("sends waiting for a connection fail NotConnected after offlineSendTimeout, then work again", () =>
    Virtual.run(Effect.gen(function*() {
      // The first connection is welcomed; later ones get no welcome (login times out, retried)
      // until `welcoming` is set again.
      let welcoming = true
      const { client, conns } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :/.exec(line)
        if (m !== null) return conn.write(RawServer.userState(m[1], `msg-${conn.index}`))
        if (line.startsWith("NICK ") && !welcoming) return
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({
        offlineSendTimeout: "800 millis",
        loginTimeout: "300 millis",
        limits: { ...ChatRateLimits.twitchLimits, channelInterval: 0 }
      })
      welcoming = false
      conns[0].end()
      yield* Effect.sleep("100 millis")
      const start = yield* Clock.currentTimeMillis
      // Two sends in the same channel: the second is queued behind the first; both are bounded.
      const first = yield* Effect.fork(Effect.either(chat.say("room", "first")))
      const second = yield* Effect.fork(Effect.either(chat.say("room", "second")))
      const results = [yield* Fiber.join(first), yield* Fiber.join(second)]
      const elapsed = yield* Virtual.since(start)
      for (const r of results) {
        assert(Either.isLeft(r) && r.left._tag === "ChatError", JSON.stringify(r))
        assert.strictEqual(r.left.reason, "NotConnected")
        assert.strictEqual(r.left.channel, "room")
      }
      // Counted from when the connection was lost (~100 ms before the sends), not per send.
      assert.isAtLeast(elapsed, 500)
      assert.isBelow(elapsed, 2500)
      // Later in the outage a send fails at once.
      const late = yield* Clock.currentTimeMillis
      const third = yield* Effect.either(chat.say("other", "third"))
      assert(Either.isLeft(third) && third.left._tag === "ChatError")
      assert.strictEqual(third.left.reason, "NotConnected")
      assert.isBelow(yield* Virtual.since(late), 300)
      assert.strictEqual(conns.flatMap((c) => c.lines).filter((l) => l.startsWith("PRIVMSG")).length, 0)
      // Once a connection is back, sends go out again.
      welcoming = true
      const again = yield* chat.say("room", "back").pipe(
        Effect.retry({
          while: (e) => e._tag === "ChatError" && e.reason === "NotConnected",
          schedule: Schedule.spaced("100 millis"),
          times: 50
        }),
        Effect.timeout("10 seconds")
      )
      assert.strictEqual(again._tag, "Sent")
    })))
})

describe("ChatClient send queue bound", () => {
  it.scoped("a channel with sendQueueSize messages waiting refuses more with QueueFull, at once", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :(.*)$/.exec(line)
        if (m !== null) {
          // Messages in #room are never answered, except "ok".
          if (m[1] !== "room" || m[2] === "ok") {
            conn.write(RawServer.userState(m[1], `msg-${conn.lines.length}`))
          }
          return
        }
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({
        sendQueueSize: 3,
        sendTimeout: "1 second",
        limits: { ...ChatRateLimits.twitchLimits, channelInterval: 0 }
      })
      const waiting = yield* Effect.forEach(
        ["a", "b", "c"],
        (t) => Effect.fork(chat.say("room", t)),
        { concurrency: "unbounded" }
      )
      yield* Effect.sleep("100 millis")
      const start = yield* Clock.currentTimeMillis
      const full = yield* Effect.either(chat.say("room", "d"))
      assert(Either.isLeft(full) && full.left._tag === "ChatError", JSON.stringify(full))
      assert.strictEqual(full.left.reason, "QueueFull")
      assert.isBelow(yield* Virtual.since(start), 200)
      // Parts count one by one; other channels have their own bound.
      const long = yield* Effect.either(chat.say("other", "word ".repeat(400)))
      assert(Either.isLeft(long) && long.left._tag === "ChatError")
      assert.strictEqual(long.left.reason, "QueueFull")
      assert.strictEqual((yield* chat.say("other", "fine"))._tag, "Sent")
      // Callers that give up free their places.
      for (const f of waiting) yield* Fiber.interrupt(f)
      assert.strictEqual((yield* chat.say("room", "ok").pipe(Effect.timeout("8 seconds")))._tag, "Sent")
      const written = conns[0].lines.filter((l) => l.startsWith("PRIVMSG"))
      assert.isFalse(written.some((l) => l.endsWith(" :d")))
    })))
})
