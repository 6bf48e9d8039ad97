import { assert, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as Session from "../../../../src/chat/internal/engine/session.js"
import type * as TM from "../../../../src/chat/TwitchMessage.js"
import { parseTwitchLine } from "../../../../src/chat/TwitchMessage.js"

const parse = <T extends TM.TwitchMessage["_tag"]>(tag: T, line: string) => {
  const m = Either.getOrThrow(parseTwitchLine(line))
  assert.strictEqual(m._tag, tag)
  return m as Extract<TM.TwitchMessage, { _tag: T }>
}
const cap = (line: string) => parse("Cap", line)
const TWITCH = "twitch.tv/tags twitch.tv/commands twitch.tv/membership"

describe("engine/session registration", () => {
  it("first lines: the Twitch REQ, PASS (token or anonymous), NICK and USER", () => {
    assert.deepStrictEqual(Session.hello("bot", Redacted.make("abc")), [
      `CAP REQ :${TWITCH}`,
      "PASS oauth:abc",
      "NICK bot",
      "USER bot 0 * :bot"
    ])
    assert.strictEqual(Session.hello("bot", Redacted.make("oauth:abc"))[1], "PASS oauth:abc")
    assert.strictEqual(Session.hello("justinfan123", undefined)[1], "PASS SCHMOOPIIE")
  })

  it("Twitch: ACK of the REQ, then CAP END; sends confirmed by Twitch", () => {
    const s = Session.make()
    assert.deepStrictEqual(Session.onCap(s, cap(`:tmi.twitch.tv CAP * ACK :${TWITCH}`)), ["CAP END"])
    assert.strictEqual(Session.confirmation(s), "twitch")
  })

  it("a standard server: NAK, LS, each Twitch capability alone, then what LS offered, END last", () => {
    const s = Session.make()
    assert.deepStrictEqual(Session.onCap(s, cap(`:irc CAP * NAK :${TWITCH}`)), [
      "CAP LS 302",
      "CAP REQ :twitch.tv/tags",
      "CAP REQ :twitch.tv/commands",
      "CAP REQ :twitch.tv/membership"
    ])
    // A multi-line LS: the REQ goes out after its last line.
    assert.deepStrictEqual(Session.onCap(s, cap(":irc CAP * LS * :sasl=PLAIN message-tags")), [])
    assert.deepStrictEqual(Session.onCap(s, cap(":irc CAP * LS :server-time echo-message")), [
      "CAP REQ :message-tags server-time echo-message"
    ])
    for (const c of ["twitch.tv/tags", "twitch.tv/commands", "twitch.tv/membership"]) {
      assert.deepStrictEqual(Session.onCap(s, cap(`:irc CAP * NAK :${c}`)), [])
    }
    assert.deepStrictEqual(Session.onCap(s, cap(":irc CAP * ACK :message-tags server-time echo-message")), [
      "CAP END"
    ])
    assert.strictEqual(Session.confirmation(s), "echo")
  })

  it("a server that ignores LS still gets CAP END once the REQs sent after it were answered", () => {
    const s = Session.make()
    Session.onCap(s, cap(`:irc CAP * NAK :${TWITCH}`))
    assert.deepStrictEqual(Session.onCap(s, cap(":irc CAP * ACK :twitch.tv/tags")), [])
    assert.deepStrictEqual(Session.onCap(s, cap(":irc CAP * ACK :twitch.tv/commands")), [])
    assert.deepStrictEqual(Session.onCap(s, cap(":irc CAP * NAK :twitch.tv/membership")), ["CAP END"])
    assert.strictEqual(Session.confirmation(s), "twitch")
  })

  it.effect("a server without CAP (421), the welcome, and refusals of the login", () =>
    Effect.gen(function*() {
      const none = Session.make()
      Session.onNumeric(none, parse("Numeric", ":irc 421 * CAP :Unknown command"))
      assert.isTrue(none.capEnded)
      assert.strictEqual(Session.confirmation(none), "probe")
      Session.onNumeric(none, parse("Numeric", ":irc 001 bot :Welcome"))
      assert.deepStrictEqual(yield* Effect.exit(Deferred.await(none.welcomed)), Exit.void)

      const taken = Session.make()
      Session.onNumeric(taken, parse("Numeric", ":irc 433 * bot :Nickname is already in use"))
      const exit = yield* Effect.exit(Deferred.await(taken.welcomed))
      assert(Exit.isFailure(exit))
      assert.include(String(exit.cause), "already in use")

      const twitch = Session.make()
      assert.isTrue(
        Session.onNotice(twitch, parse("Notice", ":tmi.twitch.tv NOTICE * :Login authentication failed"))
      )
      assert.isFalse(Session.onNotice(twitch, parse("Notice", ":tmi.twitch.tv NOTICE * :later")))
    }))
})
