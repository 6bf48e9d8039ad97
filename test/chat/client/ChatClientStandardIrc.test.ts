/**
 * The client against a standard IRCv3 server (not Twitch), as issue #13 found it: registration
 * needs USER, capabilities come from CAP LS, channel names follow RFC 1459/IRCv3, a PRIVMSG to a
 * channel the client is not in is refused with 404, and sends are confirmed by `echo-message` or,
 * without it, by the server not refusing them before answering a PING. On TestClock.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import * as RawServer from "./rawServer.js"
import * as Virtual from "./virtual.js"

const HOST = ":irc.example.org"

interface Options {
  /** Capabilities offered in CAP LS. */
  readonly offered: ReadonlyArray<string>
  /** Delay of the JOIN echo on connections after the first. */
  readonly rejoinDelay?: number
}

/**
 * An ergo-like server: registration completes on NICK + USER once CAP negotiation ended; Twitch's
 * capabilities are NAKed; PRIVMSG to a channel the client is not in gets 404; with echo-message
 * a PRIVMSG is echoed (with msgid and time tags when message-tags/server-time are on).
 */
const standard = (options: Options) => {
  const state = new Map<
    number,
    { user: boolean; capEnd: boolean; welcomed: boolean; caps: Set<string>; joined: Set<string> }
  >()
  const refusals: Array<string> = []
  const handler = (conn: RawServer.RawConn, line: string) => {
    let s = state.get(conn.index)
    if (s === undefined) {
      s = { user: false, capEnd: false, welcomed: false, caps: new Set(), joined: new Set() }
      state.set(conn.index, s)
    }
    const welcome = () => {
      if (s.welcomed || !s.user || !s.capEnd || conn.nick === "") return
      s.welcomed = true
      conn.write(`${HOST} 001 ${conn.nick} :Welcome to the Example IRC Network ${conn.nick}`)
    }
    const [command, ...rest] = line.split(" ")
    const arg = rest.join(" ")
    if (command === "CAP" && rest[0] === "LS") {
      return conn.write(`${HOST} CAP * LS :${options.offered.join(" ")}`)
    }
    if (command === "CAP" && rest[0] === "REQ") {
      const caps = arg.slice("REQ :".length).split(" ")
      const ok = caps.every((c) => options.offered.includes(c))
      if (ok) { for (const c of caps) s.caps.add(c) }
      return conn.write(`${HOST} CAP * ${ok ? "ACK" : "NAK"} :${caps.join(" ")}`)
    }
    if (command === "CAP" && rest[0] === "END") {
      s.capEnd = true
      return welcome()
    }
    if (command === "USER") {
      s.user = true
      return welcome()
    }
    if (command === "NICK") return welcome()
    if (command === "PING") return conn.write(`${HOST} PONG irc.example.org :${arg.replace(/^:/, "")}`)
    if (!s.welcomed) return conn.write(`${HOST} 451 * :You have not registered`)
    if (command === "JOIN") {
      const channel = rest[0]
      const echo = () => {
        s.joined.add(channel.toLowerCase())
        conn.write(`:${conn.nick}!~u@host JOIN ${channel}`)
      }
      if (conn.index > 1 && options.rejoinDelay !== undefined) conn.later(options.rejoinDelay, echo)
      else echo()
      return
    }
    if (command === "PRIVMSG") {
      const channel = rest[0]
      const text = arg.slice(channel.length + 2)
      if (!s.joined.has(channel.toLowerCase())) {
        refusals.push(text)
        return conn.write(`${HOST} 404 ${conn.nick} ${channel} :Cannot send to channel`)
      }
      if (s.caps.has("echo-message")) {
        const tags = s.caps.has("message-tags")
          ? `@msgid=m${conn.lines.length};time=2026-12-03T08:00:00.000Z `
          : ""
        conn.write(`${tags}:${conn.nick}!~u@host PRIVMSG ${channel} :${text}`)
      }
    }
  }
  return { handler, refusals, state }
}

const limits = { ...ChatRateLimits.twitchLimits, channelInterval: 0 }

describe("ChatClient on a standard IRCv3 server", () => {
  it.scoped("registers with USER, asks for the standard capabilities it offers, joins RFC channel names", () =>
    Virtual.run(Effect.gen(function*() {
      const server = standard({
        offered: ["message-tags", "server-time", "echo-message", "sasl=PLAIN,EXTERNAL"]
      })
      const { client, conns } = yield* RawServer.start(server.handler)
      const chat = yield* client({ limits })
      const lines = conns[0].lines
      assert.include(lines, "USER bot 0 * :bot")
      assert.include(lines, "CAP LS 302")
      assert.include(lines, "CAP REQ :message-tags server-time echo-message")
      assert.deepStrictEqual(yield* chat.capabilities, ["echo-message", "message-tags", "server-time"])
      yield* chat.joinAll(["#chan-name", "&local", "##meta", "Mixed-Case"])
      assert.includeMembers(lines, ["JOIN #chan-name", "JOIN &local", "JOIN ##meta", "JOIN #mixed-case"])
      assert.deepStrictEqual(yield* chat.joined, ["#meta", "&local", "chan-name", "mixed-case"])
      // A standard server's tags arrive (message-tags), and its messages reach the channel's stream.
      const inbound = yield* Effect.fork(
        chat.channel("#chan-name").pipe(
          Stream.filter((m) => m._tag === "Privmsg"),
          Stream.take(1),
          Stream.runCollect
        )
      )
      yield* Effect.sleep("10 millis")
      conns[0].write("@msgid=x1;time=2026-12-03T08:00:00.000Z :alice!~a@host PRIVMSG #Chan-Name :hello all")
      const [message] = yield* Fiber.join(inbound)
      assert(message._tag === "Privmsg")
      assert.strictEqual(message.text, "hello all")
      assert.strictEqual(message.irc.tags.get("time"), "2026-12-03T08:00:00.000Z")
      // Sends are confirmed by the echo, with the server's msgid.
      const sent = yield* chat.say("&local", "hi")
      assert(sent._tag === "Sent", JSON.stringify(sent))
      assert.strictEqual(sent.id, `m${lines.indexOf("PRIVMSG &local :hi") + 1}`)
      assert.strictEqual(sent.message.text, "hi")
      // Refused by the server (not in the channel): Refused with the numeric, not Unconfirmed.
      const refused = yield* chat.say("#elsewhere", "anyone?")
      assert(refused._tag === "Refused", JSON.stringify(refused))
      assert.strictEqual(refused.reason, "404")
      assert.strictEqual(refused.notice, "Cannot send to channel")
    })))

  it.scoped("without echo-message: a send is Unconfirmed(NoConfirmation) once the server took it, Refused when it refused", () =>
    Virtual.run(Effect.gen(function*() {
      const server = standard({ offered: ["server-time"] })
      const { client, conns } = yield* RawServer.start(server.handler)
      const chat = yield* client({ limits })
      assert.deepStrictEqual(yield* chat.capabilities, ["server-time"])
      yield* chat.join("#room")
      const taken = yield* chat.say("#room", "hello")
      assert(taken._tag === "Unconfirmed" && taken.reason === "NoConfirmation", JSON.stringify(taken))
      const refused = yield* chat.say("#nowhere", "hello?")
      assert(refused._tag === "Refused", JSON.stringify(refused))
      assert.strictEqual(refused.reason, "404")
      const lines = conns[0].lines
      assert.isAbove(lines.findIndex((l) => l.startsWith("PING :")), lines.indexOf("PRIVMSG #room :hello"))
    })))

  it.scoped("sends queued during an outage go out after their channel is rejoined, not before", () =>
    Virtual.run(Effect.gen(function*() {
      const server = standard({ offered: ["message-tags", "echo-message"], rejoinDelay: 500 })
      const { client, conns } = yield* RawServer.start(server.handler)
      const chat = yield* client({ limits, reconnect: { base: "100 millis", max: "100 millis" } })
      yield* chat.join("#room")
      conns[0].end()
      yield* Effect.sleep("10 millis")
      const outcomes = yield* Effect.forEach(["one", "two", "three"], (t) => chat.say("#room", t), {
        concurrency: "unbounded"
      })
      assert.deepStrictEqual(outcomes.map((o) => o._tag), ["Sent", "Sent", "Sent"])
      assert.deepStrictEqual(server.refusals, [])
      const second = conns[1].lines
      const join = second.indexOf("JOIN #room")
      assert.isAbove(join, -1)
      for (const t of ["one", "two", "three"]) assert.isAbove(second.indexOf(`PRIVMSG #room :${t}`), join)
    })))
})
