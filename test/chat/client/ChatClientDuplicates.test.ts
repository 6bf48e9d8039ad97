/**
 * Twitch refuses a message identical to the account's previous one in the channel within 30 s
 * (`msg_duplicate`). Split parts that would repeat are made distinct; a repeated `say` is refused
 * at once or sent distinct, as the caller chooses; never a silent wait. On TestClock, against the
 * mock (which enforces the 30 s rule).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as ChatClient from "../../../src/chat/ChatClient.js"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import type { SendOutcome } from "../../../src/chat/SendOutcome.js"
import * as World from "../../../src/testing/mock/World.js"
import { client, patient, setup } from "./fixture.js"
import * as Virtual from "./virtual.js"

const channel = World.defaultUserLogin
const textOf = (o: SendOutcome) => o._tag === "Written" ? o.line : o.text

describe("ChatClient duplicates", () => {
  it.scoped("a text of one repeated character is split into parts Twitch takes (repeats marked)", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control } = yield* setup()
      const chat = yield* client(config, { ...patient, transport: memory })
      yield* chat.join(channel)
      const text = "a".repeat(1200)
      const outcome = yield* chat.say(channel, text)
      assert(outcome._tag === "Sent", JSON.stringify(outcome))
      assert.strictEqual(outcome.parts, 3)
      const received = (yield* control.received(channel)).map((r) => r.text)
      assert.deepStrictEqual(received, [
        "a".repeat(498),
        "a".repeat(498) + ChatClient.duplicateMarker,
        "a".repeat(204)
      ])
      assert.strictEqual(received.map((t) => t.replace(ChatClient.duplicateMarker, "")).join(""), text)
      assert.strictEqual((yield* control.counters).violations.duplicate, 0)
    })))

  it.scoped("a repeated say within 30 s: refused at once by default, sent distinct on request", () =>
    Virtual.run(Effect.gen(function*() {
      // Twitch's 30 s shrunk to 300 ms on both sides.
      const { config, memory, control } = yield* setup({ limits: { duplicateWindowMs: 300 } })
      const chat = yield* client(config, {
        ...patient,
        transport: memory,
        limits: { ...ChatRateLimits.twitchLimits, duplicateWindow: "300 millis" }
      })
      yield* chat.join(channel)
      assert.strictEqual(textOf(yield* chat.say(channel, "gg")), "gg")
      const start = yield* Clock.currentTimeMillis
      const refused = yield* chat.say(channel, "gg")
      assert(refused._tag === "Refused", JSON.stringify(refused))
      assert.strictEqual(refused.reason, "msg_duplicate")
      assert.strictEqual(yield* Virtual.since(start), 0)
      assert.strictEqual(Duration.toMillis(refused.waited), 0)
      const distinct = yield* chat.say(channel, "gg", { duplicates: "distinct" })
      assert(distinct._tag === "Sent", JSON.stringify(distinct))
      assert.strictEqual(distinct.text, "gg" + ChatClient.duplicateMarker)
      // The previous message is now the marked one: the plain text is not a repeat of it.
      const third = yield* chat.say(channel, "gg", { duplicates: "distinct" })
      assert.strictEqual(textOf(third), "gg")
      const action = yield* chat.me(channel, "waves")
      const again = yield* chat.me(channel, "waves", { duplicates: "distinct" })
      assert(again._tag === "Sent", JSON.stringify(again))
      assert.strictEqual(again.message.text, "waves" + ChatClient.duplicateMarker)
      assert.strictEqual(action._tag, "Sent")
      // A window later the same text is no repeat any more.
      yield* Effect.sleep("300 millis")
      assert.strictEqual((yield* chat.say(channel, "waves"))._tag, "Sent")
      const texts = (yield* control.received(channel)).map((r) => r.text)
      assert.deepStrictEqual(texts, [
        "gg",
        "gg" + ChatClient.duplicateMarker,
        "gg",
        "\x01ACTION waves\x01",
        `\x01ACTION waves${ChatClient.duplicateMarker}\x01`,
        "waves"
      ])
      assert.strictEqual((yield* control.counters).violations.duplicate, 0)
    })))

  it.scoped("client default duplicates: distinct", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory } = yield* setup()
      const chat = yield* client(config, { ...patient, transport: memory, duplicates: "distinct" })
      yield* chat.join(channel)
      yield* chat.say(channel, "same")
      const second = yield* chat.say(channel, "same")
      assert(second._tag === "Sent")
      assert.strictEqual(second.text, "same" + ChatClient.duplicateMarker)
    })))
})
