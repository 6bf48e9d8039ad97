import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as RawServer from "./rawServer.js"

describe("ChatClient capability negotiation", () => {
  it.scopedLive("IRCv3 server: NAK of the whole REQ, caps asked one by one, CAP END before the welcome", () =>
    Effect.gen(function*() {
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
      }, { tcp: true })
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
    }))

  it.scopedLive("a server that grants no capability: sends complete Unconfirmed(NoConfirmation) once written", () =>
    Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        if (line.startsWith("CAP ")) {
          // An IRC server without IRCv3 capabilities.
          return conn.write(`:server 421 ${conn.nick || "*"} CAP :Unknown command`)
        }
        RawServer.twitchLike(conn, line)
      }, { tcp: true })
      const chat = yield* client({ sendTimeout: "5 seconds" })
      assert.deepStrictEqual(yield* chat.capabilities, [])
      const start = Date.now()
      const outcome = yield* chat.say("somewhere", "hello")
      assert(outcome._tag === "Unconfirmed")
      assert.strictEqual(outcome.reason, "NoConfirmation")
      assert.isBelow(Date.now() - start, 2000)
      yield* Effect.sleep("100 millis") // written by the client; let the server read it
      assert.include(conns[0].lines, "PRIVMSG #somewhere :hello")
      assert.notInclude(conns[0].lines, "CAP END")
    }))

  it.scopedLive("Twitch's sequence: one REQ, ACK, CAP END after it", () =>
    Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        RawServer.twitchLike(conn, line)
      }, { tcp: true })
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
    }))
})
