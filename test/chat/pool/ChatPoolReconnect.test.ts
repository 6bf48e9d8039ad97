/**
 * One connection of the pool killed by the server while chat flows, on TestClock: it reconnects on
 * its own and rejoins only its own channels; the other connections never stop delivering.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import type * as ChatTransport from "../../../src/chat/ChatTransport.js"
import * as World from "../../../src/testing/mock/World.js"
import * as Memory from "../client/memory.js"
import * as Virtual from "../client/virtual.js"
import { pool, setup } from "./fixture.js"

describe("ChatPool reconnect", () => {
  it.scoped("a killed connection rejoins only its channels; messages keep flowing everywhere", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, memory, plain } = yield* setup()
      const chat = yield* pool(config, {
        transport: memory,
        channelsPerConnection: 5,
        reconnect: { base: "50 millis", max: "200 millis" }
      })
      const channels = plain.slice(0, 15)
      yield* chat.joinAll(channels)
      const texts: Array<string> = []
      const consumer = yield* Effect.fork(
        chat.messages.pipe(
          Stream.runForEach((m) => Effect.sync(() => m._tag === "Privmsg" && texts.push(m.text)))
        )
      )
      yield* Effect.sleep("5 millis")
      const post = (round: number) =>
        Effect.forEach(
          channels,
          (channel) =>
            control.postMessage({ channel, login: World.secondUserLogin, text: `${channel} ${round}` }),
          { discard: true }
        )

      const victim = (yield* chat.connections)[1]
      const others = new Set(channels.filter((c) => !victim.channels.includes(c)))
      const before = yield* control.connections
      const session = before.find((s) => s.channels.includes(victim.channels[0]))!
      const joinsBefore = (yield* control.counters).joins
      const rejoined = yield* Effect.fork(
        chat.connectionEvents.pipe(
          Stream.filter((e) => e.connection === victim.connection && e.event._tag === "Joined"),
          Stream.take(victim.channels.length),
          Stream.runCollect
        )
      )
      yield* Effect.sleep("5 millis")
      yield* post(1)
      yield* Effect.sleep("20 millis")
      assert.isTrue(yield* control.dropConnection(session.id))
      // While the victim is away: the others' chat still arrives.
      yield* Effect.sleep("10 millis")
      yield* post(2)
      const joinedAgain = yield* Fiber.join(rejoined)
      assert.deepStrictEqual(
        Chunk.toReadonlyArray(joinedAgain).map((e) => e.event._tag === "Joined" ? e.event.channel : "")
          .sort(),
        [...victim.channels]
      )
      yield* post(3)
      yield* Effect.sleep("50 millis")

      // Only the victim's channels were joined again, on one new session; the others untouched.
      assert.strictEqual((yield* control.counters).joins - joinsBefore, victim.channels.length)
      const after = yield* control.connections
      assert.strictEqual(after.length, 3)
      const untouched = before.filter((s) => s.id !== session.id)
      for (const s of untouched) {
        assert.deepStrictEqual(after.find((a) => a.id === s.id)?.channels, s.channels)
      }
      const fresh = after.find((a) => !before.some((b) => b.id === a.id))!
      assert.deepStrictEqual([...fresh.channels].sort(), [...victim.channels])
      // The pool still places the victim's channels on the same connection (its client reconnected).
      assert.deepStrictEqual((yield* chat.connections)[1].channels, victim.channels)

      // Every round arrived in the other channels; in the victim's, rounds 1 and 3 (2 was posted
      // while it was away).
      const got = new Set(texts)
      for (const channel of channels) {
        const expected = others.has(channel) ? [1, 2, 3] : [1, 3]
        for (const round of expected) assert.isTrue(got.has(`${channel} ${round}`), `${channel} ${round}`)
        if (!others.has(channel)) assert.isFalse(got.has(`${channel} 2`))
      }
      assert.strictEqual(texts.length, others.size * 3 + victim.channels.length * 2)
      assert.strictEqual(yield* chat.state, "Connected")
      assert.strictEqual((yield* chat.stats).reconnects, 1)
      yield* Fiber.interrupt(consumer)
    })))

  it.scoped("a connection opened later that cannot connect at first keeps trying; its joins wait for it", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, memory, plain } = yield* setup()
      // Attempts 2 to 4 (the second connection's first three) find nothing listening.
      let attempts = 0
      const flaky: ChatTransport.ChatTransport.Service = {
        address: "flaky",
        connect: Effect.suspend(() => {
          attempts++
          return attempts >= 2 && attempts <= 4 ? Memory.refused : memory.connect
        })
      }
      const chat = yield* pool(config, {
        transport: flaky,
        channelsPerConnection: 2,
        initialAttempts: 2,
        reconnect: { base: "20 millis", max: "50 millis" }
      })
      yield* chat.joinAll(plain.slice(0, 4)).pipe(Effect.timeout("10 seconds"))
      assert.strictEqual(attempts, 5)
      assert.deepStrictEqual((yield* chat.connections).map((c) => c.channels.length), [2, 2])
      assert.strictEqual((yield* control.connections).length, 2)
    })))
})
