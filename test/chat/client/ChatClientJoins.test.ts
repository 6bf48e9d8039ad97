import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as RawServer from "./rawServer.js"
import * as Virtual from "./virtual.js"

describe("ChatClient joins", () => {
  it.scoped("part while the join is in flight leaves the channel parted", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        const join = /^JOIN #(\S+)$/.exec(line)
        if (join !== null) {
          conn.later(200, () => conn.write(RawServer.joinEcho(conn.nick, join[1])))
          return
        }
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client()
      const joining = yield* Effect.fork(chat.join("chan"))
      yield* Effect.sleep("50 millis")
      yield* chat.part("chan")
      yield* Fiber.join(joining)
      assert.deepStrictEqual(yield* chat.joined, [])
      assert.include(conns[0].lines, "PART #chan")
    })))

  it.scoped("a rejoin that times out after a reconnect is retried, not dropped", () =>
    Virtual.run(Effect.gen(function*() {
      let ignored = 0
      const { client, conns } = yield* RawServer.start((conn, line) => {
        if (line.startsWith("JOIN ") && conn.index === 1) {
          RawServer.twitchLike(conn, line)
          conn.later(100, () => conn.end())
          return
        }
        // After the reconnect the server is slow: the first two JOINs get no answer.
        if (line.startsWith("JOIN ") && ignored < 2) {
          ignored++
          return
        }
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({ joinTimeout: "300 millis" })
      yield* chat.join("chan")
      yield* Effect.sleep("200 millis")
      let joined: ReadonlyArray<string> = []
      for (let i = 0; i < 50 && joined.length === 0; i++) {
        yield* Effect.sleep("100 millis")
        joined = (yield* chat.connectionId)._tag === "Some" ? yield* chat.joined : []
      }
      assert.deepStrictEqual(joined, ["chan"])
      assert.isAtLeast(conns.length, 2)
      assert.strictEqual(conns.slice(1).flatMap((c) => c.lines).filter((l) => l === "JOIN #chan").length, 3)
    })))
})
