import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import * as RawServer from "./rawServer.js"
import * as Virtual from "./virtual.js"

/** A server that welcomes every login and drops the connection right after. */
const flapping = () => {
  const logins: Array<number> = []
  const server = RawServer.start((conn, line) => {
    RawServer.twitchLike(conn, line)
    if (line.startsWith("NICK ")) {
      logins.push(conn.now())
      conn.later(5, () => conn.end())
    }
  })
  return Effect.map(server, (s) => ({ ...s, logins }))
}

describe("ChatClient reconnect storm", () => {
  it.scoped("the backoff keeps growing while connections drop right after login", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, logins } = yield* flapping()
      const chat = yield* client({ reconnect: { base: "20 millis", max: "400 millis" } })
      const events = yield* chat.events.pipe(
        Stream.filter((e) => e._tag === "Reconnecting"),
        Stream.interruptAfter("1500 millis"),
        Stream.runCollect
      )
      const attempts = [...events].map((e) => e._tag === "Reconnecting" ? e.attempt : 0)
      assert.isAtLeast(attempts.length, 3)
      for (let i = 1; i < attempts.length; i++) assert.strictEqual(attempts[i], attempts[i - 1] + 1)
      const delays = [...events].map((e) => e._tag === "Reconnecting" ? Duration.toMillis(e.delay) : 0)
      assert.isAtLeast(delays[delays.length - 1], 100)
      // Without growth (20 ms each) this would be 50+ logins.
      assert.isAtMost(logins.length, 12)
    })))

  it.scoped("logins go through the authentication limit", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, logins } = yield* flapping()
      yield* client({
        reconnect: { base: "1 millis", max: "1 millis" },
        limits: { ...ChatRateLimits.twitchLimits, auths: 3, authWindow: "500 millis" }
      })
      yield* Effect.sleep("1200 millis")
      assert.isAtLeast(logins.length, 4)
      for (let i = 0; i < logins.length; i++) {
        const inWindow = logins.filter((t) => t >= logins[i] && t < logins[i] + 500).length
        assert.isAtMost(inWindow, 3, `logins at ${logins.map((t) => t - logins[0]).join(",")}`)
      }
    })))
})
