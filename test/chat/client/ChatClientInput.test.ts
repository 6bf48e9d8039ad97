import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import * as RawServer from "./rawServer.js"
import * as Virtual from "./virtual.js"

describe("ChatClient input checks", () => {
  it.scoped("line breaks in channel names and reply ids, and bad reply ids, never reach the server", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client()
      yield* Effect.sleep("100 millis")
      const before = conns[0].lines.length
      const reasons = (e: Either.Either<unknown, { readonly _tag: string; readonly reason?: string }>) =>
        Either.isLeft(e) ? e.left.reason : "succeeded"
      assert.strictEqual(reasons(yield* Effect.either(chat.say("#a\r\nQUIT", "x"))), "InvalidText")
      for (const id of ["id\r\nQUIT", "", "a;b", "a b", "a\\b", "x".repeat(65)]) {
        assert.strictEqual(reasons(yield* Effect.either(chat.reply("room", id, "x"))), "InvalidText", id)
      }
      assert.strictEqual(reasons(yield* Effect.either(chat.join("a\nb"))), "JoinFailed")
      assert.strictEqual(reasons(yield* Effect.either(chat.part("a\nb"))), "JoinFailed")
      yield* Effect.sleep("100 millis")
      assert.deepStrictEqual(conns[0].lines.slice(before), [])
    })))
})

describe("ChatClient keepalive under backpressure", () => {
  it.scoped("a stalled consumer does not make the client declare its server silent", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        RawServer.twitchLike(conn, line)
        if (line.startsWith("JOIN ")) {
          for (let i = 0; i < 2000; i++) {
            conn.write(`@id=m${i} :u!u@u.tmi.twitch.tv PRIVMSG #room :message number ${i} ${"x".repeat(200)}`)
          }
        }
      })
      const chat = yield* client({
        bufferSize: 1,
        overflow: "backpressure",
        keepalive: { idle: "100 millis", timeout: "100 millis" }
      })
      yield* Effect.forkScoped(chat.messages.pipe(Stream.runForEach(() => Effect.never)))
      yield* chat.join("room")
      yield* Effect.sleep("1 second")
      assert.strictEqual((yield* chat.stats).reconnects, 0)
      assert.strictEqual(conns.length, 1)
    })))
})
