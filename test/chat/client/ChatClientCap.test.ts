/**
 * Capability negotiation with scripted servers, on TestClock over in-memory connections.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as RawServer from "./rawServer.js"
import * as Virtual from "./virtual.js"

describe("ChatClient capability negotiation", () => {
  it.scoped("IRCv3 server: NAK of the whole REQ, caps asked one by one, CAP END before the welcome", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        const req = /^CAP REQ :(.*)$/.exec(line)
        if (req !== null) {
          // Atomic REQ: anything with membership is refused as a whole.
          const ok = !req[1].includes("twitch.tv/membership")
          conn.write(`:server CAP * ${ok ? "ACK" : "NAK"} :${req[1]}`)
          return
        }
        // Registration is held until CAP END, as IRCv3 servers do.
        if (line === "CAP END") return conn.write(RawServer.welcome(conn.nick))
        const privmsg = /^PRIVMSG #(\S+) :/.exec(line)
        if (privmsg !== null) return conn.write(RawServer.userState(privmsg[1], "id-1"))
        if (!line.startsWith("NICK ")) RawServer.twitchLike(conn, line)
      })
      const chat = yield* client()
      assert.deepStrictEqual(yield* chat.capabilities, ["twitch.tv/commands", "twitch.tv/tags"])
      const lines = conns[0].lines
      assert.strictEqual(lines[0], "CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
      assert.includeMembers(lines, [
        "CAP REQ :twitch.tv/tags",
        "CAP REQ :twitch.tv/commands",
        "CAP REQ :twitch.tv/membership"
      ])
      assert.strictEqual(lines.filter((l) => l === "CAP END").length, 1)
      const outcome = yield* chat.say("somewhere", "hello")
      assert.strictEqual(outcome._tag, "Sent")
      assert(outcome._tag === "Sent")
      assert.strictEqual(outcome.id, "id-1")
    })))

  it.scoped("a server that grants no capability: sends complete Unconfirmed(NoConfirmation) once written", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        if (line.startsWith("CAP ")) {
          // An IRC server without IRCv3 capabilities.
          return conn.write(`:server 421 ${conn.nick || "*"} CAP :Unknown command`)
        }
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client({ sendTimeout: "5 seconds" })
      assert.deepStrictEqual(yield* chat.capabilities, [])
      const start = yield* Clock.currentTimeMillis
      const outcome = yield* chat.say("somewhere", "hello")
      assert(outcome._tag === "Unconfirmed")
      assert.strictEqual(outcome.reason, "NoConfirmation")
      // Once written, not after the 5 s send timeout.
      assert.isBelow(yield* Virtual.since(start), 2000)
      yield* Effect.sleep("100 millis") // written by the client; let the server read it
      assert.include(conns[0].lines, "PRIVMSG #somewhere :hello")
      assert.notInclude(conns[0].lines, "CAP END")
    })))

  it.scoped("Twitch's sequence: one REQ, ACK, CAP END after it", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        RawServer.twitchLike(conn, line)
      })
      const chat = yield* client()
      assert.deepStrictEqual(yield* chat.capabilities, [
        "twitch.tv/commands",
        "twitch.tv/membership",
        "twitch.tv/tags"
      ])
      yield* Effect.sleep("100 millis") // CAP END follows the ACK, the welcome may be read first
      const capLines = conns[0].lines.filter((l) => l.startsWith("CAP "))
      assert.deepStrictEqual(capLines, [
        "CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership",
        "CAP END"
      ])
    })))
})
