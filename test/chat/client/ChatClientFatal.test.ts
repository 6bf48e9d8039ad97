import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as RawServer from "./rawServer.js"
import * as Virtual from "./virtual.js"

describe("ChatClient after a fatal failure", () => {
  it.scoped("message streams end with the typed error; join and say fail at once", () =>
    Virtual.run(Effect.gen(function*() {
      const { client } = yield* RawServer.start((conn, line) => {
        if (line.startsWith("NICK ") && conn.index > 1) {
          // The token was revoked meanwhile: every later login is refused.
          conn.write(":tmi.twitch.tv NOTICE * :Login authentication failed")
          return conn.end()
        }
        RawServer.twitchLike(conn, line)
        if (line.startsWith("NICK ")) conn.later(200, () => conn.end())
      })
      const chat = yield* client()
      const all = yield* Effect.fork(chat.messages.pipe(Stream.runDrain, Effect.either))
      const one = yield* Effect.fork(chat.channel("somewhere").pipe(Stream.runDrain, Effect.either))
      const result = yield* Fiber.join(all).pipe(Effect.timeout("3 seconds"))
      assert(Either.isLeft(result))
      assert.strictEqual(result.left._tag, "ChatError")
      assert(result.left._tag === "ChatError")
      assert.strictEqual(result.left.reason, "LoginFailed")
      const other = yield* Fiber.join(one).pipe(Effect.timeout("1 second"))
      assert(Either.isLeft(other))
      assert.strictEqual(yield* chat.state, "Failed")
      // A stream started afterwards fails at once, so do joins and sends.
      const late = yield* chat.messages.pipe(Stream.runDrain, Effect.either, Effect.timeout("1 second"))
      assert(Either.isLeft(late))
      const joined = yield* chat.join("elsewhere").pipe(Effect.either, Effect.timeout("1 second"))
      assert(Either.isLeft(joined))
      const said = yield* chat.say("somewhere", "hi").pipe(Effect.either, Effect.timeout("1 second"))
      assert(Either.isLeft(said))
      // The refused token may already be reported by the auth layer (NotAuthorized).
      assert.include(["ChatError", "NotAuthorized"], said.left._tag)
    })))
})
