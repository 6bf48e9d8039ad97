import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import type { SendOutcome } from "../../../src/chat/SendOutcome.js"
import * as World from "../../../src/testing/mock/World.js"
import { client, setup } from "./fixture.js"
import * as Virtual from "./virtual.js"

const sentOf = (outcome: SendOutcome) => {
  assert(outcome._tag === "Sent", `expected Sent, got ${JSON.stringify(outcome)}`)
  return outcome
}

describe("ChatClient send", () => {
  it.scoped("say completes Sent with Twitch's id, and the own message appears in the stream", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control, live } = yield* setup()
      const chat = yield* client(config, { transport: memory })
      const channel = live[0]
      yield* chat.join(channel)
      const fiber = yield* Effect.fork(
        chat.channel(channel).pipe(
          Stream.filter((m) => m._tag === "Privmsg"),
          Stream.take(1),
          Stream.runCollect,
          Effect.timeout("5 seconds")
        )
      )
      const outcome = sentOf(yield* chat.say(channel, "hello chat"))
      const received = yield* control.received(channel)
      assert.strictEqual(received.length, 1)
      assert.strictEqual(received[0].id, outcome.id)
      assert.strictEqual(received[0].text, "hello chat")
      const [own] = Chunk.toArray(yield* Fiber.join(fiber))
      assert(own._tag === "Privmsg")
      assert.strictEqual(own.id, outcome.id)
      assert.strictEqual(own.text, "hello chat")
      assert.strictEqual(own.login, World.defaultUserLogin)
      assert.strictEqual(own.displayName, "Twitcher")
      assert.isTrue(own.roomId.length > 0)
      assert.strictEqual(outcome.message.id, outcome.id)
    })))

  it.scoped("reply sends reply-parent-msg-id; me sends an ACTION", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control, live } = yield* setup()
      const chat = yield* client(config, { transport: memory })
      const channel = live[0]
      yield* chat.join(channel)
      const parent = yield* control.postMessage({ channel, login: World.secondUserLogin, text: "question?" })
      const reply = sentOf(yield* chat.reply(channel, parent.id, "answer!"))
      const action = sentOf(yield* chat.me(channel, "waves"))
      assert.isTrue(action.message.isAction)
      assert.strictEqual(action.message.text, "waves")
      const received = yield* control.received(channel)
      assert.strictEqual(received[0].replyParentMsgId, parent.id)
      assert.strictEqual(received[0].id, reply.id)
      assert.strictEqual(received[1].text, "\x01ACTION waves\x01")
    })))

  it.scoped("refusals come back as typed outcomes with Twitch's msg-id", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control, live } = yield* setup({ limits: { channelIntervalMs: 20 } })
      const chat = yield* client(config, {
        transport: memory,
        limits: ChatRateLimits.scaled(ChatRateLimits.twitchLimits, 0.02)
      })
      // duplicate: in the own channel (broadcaster: no 1 s gap), the same text twice
      yield* chat.join(World.defaultUserLogin)
      sentOf(yield* chat.say(World.defaultUserLogin, "same text"))
      const dup = yield* chat.say(World.defaultUserLogin, "same text")
      assert(dup._tag === "Refused")
      assert.strictEqual(dup.reason, "msg_duplicate")
      // slow mode: another instance of the same account spoke just before (the client's own
      // sends follow the slow mode it learned from ROOMSTATE, and clients of one account in one
      // process share their limits, so it takes a client with limits of its own: another process)
      const slowChannel = live[1]
      yield* chat.join(slowChannel)
      yield* control.setRoomState(slowChannel, { slow: 5 })
      const other = yield* client(config, {
        transport: memory,
        limits: ChatRateLimits.scaled(ChatRateLimits.twitchLimits, 0.02)
      }).pipe(Effect.provide(ChatRateLimits.layerLimiters()))
      sentOf(yield* other.say(slowChannel, "first"))
      const slow = yield* chat.say(slowChannel, "second")
      assert(slow._tag === "Refused")
      assert.strictEqual(slow.reason, "msg_slowmode")
      // banned
      const banChannel = live[2]
      yield* chat.join(banChannel)
      yield* control.ban({ channel: banChannel, login: World.defaultUserLogin })
      const banned = yield* chat.say(banChannel, "let me talk")
      assert(banned._tag === "Refused")
      assert.strictEqual(banned.reason, "msg_banned")
      // suspended: the join fails typed, a send is refused
      const suspended = live[3]
      yield* control.suspendChannel(suspended, true)
      const join = yield* Effect.either(chat.join(suspended))
      assert(Either.isLeft(join) && join.left._tag === "ChatError")
      assert.strictEqual(join.left.reason, "JoinFailed")
      assert.strictEqual(join.left.noticeId, "msg_channel_suspended")
      assert.notInclude(yield* chat.joined, suspended)
      const refused = yield* chat.say(suspended, "hello?")
      assert(refused._tag === "Refused")
      assert.strictEqual(refused.reason, "msg_channel_suspended")
      const stats = yield* chat.stats
      assert.strictEqual(stats.refused, 4)
    })))

  it.scoped("msg_ratelimit when the client's limits are looser than the server's: one violation, then a pause", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control } = yield* setup({
        limits: { userMessages: 5, elevatedMessages: 5, messageWindowMs: 600, duplicateWindowMs: 0 }
      })
      const chat = yield* client(config, {
        transport: memory,
        limits: ChatRateLimits.scaled(ChatRateLimits.twitchLimits, 0.02)
      })
      yield* chat.join(World.defaultUserLogin)
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 7 }, (_, i) => `message ${i}`),
        (text) => chat.say(World.defaultUserLogin, text)
      )
      // After Twitch's msg_ratelimit the client counts the window as full: the 7th message waits
      // for it instead of breaking the limit a second time.
      assert.deepStrictEqual(outcomes.map((o) => o._tag), [
        "Sent",
        "Sent",
        "Sent",
        "Sent",
        "Sent",
        "Refused",
        "Sent"
      ])
      const refused = outcomes[5]
      assert(refused._tag === "Refused")
      assert.strictEqual(refused.reason, "msg_ratelimit")
      assert.isAtLeast(Duration.toMillis(outcomes[6].waited), 500)
      assert.strictEqual((yield* control.counters).violations.userRate, 1)
    })))

  it.scoped("a message Twitch drops silently completes Unconfirmed after the send timeout", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory } = yield* setup()
      const chat = yield* client(config, { transport: memory, sendTimeout: "300 millis" })
      const start = yield* Clock.currentTimeMillis
      const outcome = yield* chat.say("nosuchchannel_xyz", "anyone?")
      const took = (yield* Clock.currentTimeMillis) - start
      assert(outcome._tag === "Unconfirmed")
      assert.strictEqual(outcome.reason, "Timeout")
      // The timeout ends the send when it is due: not before, not at a later timer's turn.
      assert.isAtLeast(took, 300)
      assert.isBelow(took, 400)
    })))

  it.scoped("text with CR, LF or NUL is refused before it reaches the queue", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control, live } = yield* setup()
      const chat = yield* client(config, { transport: memory })
      yield* chat.join(live[0])
      for (const text of ["a\r\nPRIVMSG #x :injected", "line\nbreak", "nul\0byte", "cr\r"]) {
        const result = yield* Effect.either(chat.say(live[0], text))
        assert(Either.isLeft(result) && result.left._tag === "ChatError")
        assert.strictEqual(result.left.reason, "InvalidText")
      }
      const raw = yield* Effect.either(chat.sendRaw("PRIVMSG #a :x\r\nQUIT"))
      assert(Either.isLeft(raw))
      assert.strictEqual((yield* control.received(live[0])).length, 0)
      assert.strictEqual((yield* chat.stats).sent, 0)
    })))

  it.scoped("text over 500 characters is split on grapheme boundaries, or refused on request", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control } = yield* setup({ limits: { duplicateWindowMs: 0 } })
      const chat = yield* client(config, { transport: memory })
      const channel = World.defaultUserLogin
      yield* chat.join(channel)
      // 👍🏽 is two code points, one grapheme; 🇫🇷 two regional indicators.
      const unit = "word 👍🏽 🇫🇷 "
      const text = unit.repeat(120).trim()
      const outcome = sentOf(yield* chat.say(channel, text))
      assert.strictEqual(outcome.parts, outcome.part)
      const received = yield* control.received(channel)
      assert.strictEqual(received.length, outcome.parts)
      assert.isTrue(received.length >= 3)
      // Every part's id is reported, not only the last one's (review #16).
      assert.deepStrictEqual(outcome.ids, received.map((r) => r.id))
      assert.strictEqual(outcome.ids[outcome.ids.length - 1], outcome.id)
      for (const r of received) {
        assert.isAtMost(Array.from(r.text).length, 500)
        assert.isFalse(/\uD83D$/.test(r.text), "no dangling surrogate")
        assert.isFalse(
          r.text.startsWith("\uDFFD") || /^[\u{1F3FB}-\u{1F3FF}]/u.test(r.text),
          "no split modifier"
        )
      }
      assert.strictEqual(
        received.map((r) => r.text).join(" ").replace(/\s+/g, " "),
        text.replace(/\s+/g, " ")
      )
      const refused = yield* Effect.either(chat.say(channel, "x".repeat(501), { tooLong: "refuse" }))
      assert(Either.isLeft(refused) && refused.left._tag === "ChatError")
      assert.strictEqual(refused.left.reason, "TooLong")
      assert.strictEqual((yield* control.counters).violations.tooLong, 0)
    })))
})
