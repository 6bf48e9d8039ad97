import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as ChatClient from "../../../src/chat/ChatClient.js"
import { client, patient, setup } from "./fixture.js"
import * as Virtual from "./virtual.js"

class StreamBroke extends Data.TaggedError("StreamBroke")<{ readonly at: number }> {}
class HandlerBroke extends Data.TaggedError("HandlerBroke")<{ readonly at: number }> {}

/** 1..n in chunks of 7, with a finalizer that records it ran. */
const numbers = (n: number, closed: { count: number }) =>
  Stream.range(1, n).pipe(
    Stream.rechunk(7),
    Stream.ensuring(Effect.sync(() => closed.count++))
  )

describe("ChatClient.forEachMessage / forEachChunk", () => {
  it.effect("hands over every message once, in order, and returns at the end of the stream", () =>
    Effect.gen(function*() {
      const closed = { count: 0 }
      const seen: Array<number> = []
      yield* ChatClient.forEachMessage(numbers(1000, closed), (m) => Effect.sync(() => seen.push(m)))
      assert.deepStrictEqual(seen, Array.from({ length: 1000 }, (_, i) => i + 1))
      assert.strictEqual(closed.count, 1)

      const chunks: Array<ReadonlyArray<number>> = []
      yield* numbers(50, closed).pipe(
        ChatClient.forEachChunk((c) => Effect.sync(() => chunks.push(Chunk.toArray(c))))
      )
      assert.deepStrictEqual(chunks.flat(), Array.from({ length: 50 }, (_, i) => i + 1))
      assert.deepStrictEqual(chunks.map((c) => c.length), [7, 7, 7, 7, 7, 7, 7, 1])
      assert.strictEqual(closed.count, 2)
      // an empty stream ends at once
      yield* ChatClient.forEachMessage(Stream.empty, () => Effect.die("never called"))
    }))

  it.effect("fails with the stream's typed error after the messages before it", () =>
    Effect.gen(function*() {
      const closed = { count: 0 }
      const seen: Array<number> = []
      const failing = Stream.concat(numbers(10, closed), Stream.fail(new StreamBroke({ at: 11 })))
      const error = yield* Effect.flip(
        ChatClient.forEachMessage(failing, (m) => Effect.sync(() => seen.push(m)))
      )
      assert.deepStrictEqual(error, new StreamBroke({ at: 11 }))
      assert.strictEqual(seen.length, 10)
      assert.strictEqual(closed.count, 1)
    }))

  it.effect("fails with the handler's typed error, stops pulling and closes the stream", () =>
    Effect.gen(function*() {
      const closed = { count: 0 }
      let pulled = 0
      const counted = numbers(1000, closed).pipe(Stream.mapChunks((c) => (pulled += c.length, c)))
      const seen: Array<number> = []
      const error = yield* Effect.flip(
        ChatClient.forEachMessage(
          counted,
          (m) => m === 10 ? Effect.fail(new HandlerBroke({ at: m })) : Effect.sync(() => seen.push(m))
        )
      )
      assert.deepStrictEqual(error, new HandlerBroke({ at: 10 }))
      assert.deepStrictEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9])
      // 10 is in the second chunk of 7: no third chunk was pulled
      assert.strictEqual(pulled, 14)
      assert.strictEqual(closed.count, 1)
    }))

  it.effect("a defect of the handler is a defect, not a typed error", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(ChatClient.forEachMessage(Stream.make(1, 2), () => Effect.die("boom")))
      assert.isTrue(Exit.isFailure(exit) && exit.cause._tag === "Die")
    }))

  it.effect("back-pressure: the next chunk is pulled only after the handler finished the current one", () =>
    Effect.gen(function*() {
      let pulls = 0
      let handled = 0
      const endless = Stream.repeatEffectChunk(Effect.sync(() => Chunk.make(++pulls, pulls)))
      const fiber = yield* Effect.fork(
        ChatClient.forEachChunk(endless, () =>
          Effect.as(Effect.sleep("1 second"), undefined).pipe(
            Effect.tap(() => Effect.sync(() => handled++))
          ))
      )
      yield* TestClock.adjust("2500 millis")
      // pulled at 0 s, 1 s and 2 s; the third chunk is still being handled
      assert.strictEqual(pulls, 3)
      assert.strictEqual(handled, 2)
      yield* Fiber.interrupt(fiber)
    }))

  it.effect("interruption stops the drain and closes the stream's scope", () =>
    Effect.gen(function*() {
      const closed = { count: 0 }
      const seen: Array<number> = []
      const slow = Stream.concat(numbers(3, closed), Stream.never).pipe(
        Stream.ensuring(Effect.sync(() => closed.count++))
      )
      const fiber = yield* Effect.fork(
        ChatClient.forEachMessage(slow, (m) => Effect.sync(() => seen.push(m)))
      )
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(seen, [1, 2, 3])
      assert.strictEqual(closed.count, 1)
      const exit = yield* Fiber.interrupt(fiber)
      assert.isTrue(Exit.isInterrupted(exit))
      assert.strictEqual(closed.count, 2)

      // interrupted inside the handler, too
      const stuck = yield* Effect.fork(ChatClient.forEachMessage(numbers(5, closed), () => Effect.never))
      yield* TestClock.adjust("1 second")
      assert.isTrue(Exit.isInterrupted(yield* Fiber.interrupt(stuck)))
      assert.strictEqual(closed.count, 3)
    }))

  it.scoped("drains a chat client's stream: every message once, in order, with a slow consumer", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, control, live } = yield* setup()
      const chat = yield* client(config, { ...patient, transport: memory, bufferSize: 16 })
      yield* chat.join(live[0])
      const ids: Array<string> = []
      const consumer = yield* Effect.fork(
        ChatClient.forEachMessage(
          chat.channel(live[0]).pipe(Stream.filter((m) => m._tag === "Privmsg")),
          (m) =>
            Effect.zipRight(
              ids.length % 100 === 0 ? Effect.sleep("50 millis") : Effect.void,
              Effect.sync(() => ids.push(m._tag === "Privmsg" ? m.id : ""))
            )
        )
      )
      yield* Effect.sleep("20 millis")
      assert.strictEqual((yield* control.blast(live[0], 500)).lines, 500)
      yield* Effect.sleep("1 second")
      assert.strictEqual(ids.length, 500)
      assert.strictEqual(new Set(ids).size, 500)
      assert.deepStrictEqual(ids, [...ids].sort())
      assert.strictEqual((yield* chat.stats).dropped, 0)
      yield* Fiber.interrupt(consumer)
    })))
})
