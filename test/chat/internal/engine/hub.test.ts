import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as Hub from "../../../../src/chat/internal/engine/hub.js"
import type * as TM from "../../../../src/chat/TwitchMessage.js"
import { parseTwitchLine } from "../../../../src/chat/TwitchMessage.js"
import { ChatError } from "../../../../src/TwitchError.js"

const message = (i: number, channel = "room"): TM.TwitchMessage =>
  Either.getOrThrow(parseTwitchLine(`@id=m${i} :u!u@u.tmi.twitch.tv PRIVMSG #${channel} :message ${i}`))
const batch = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => message(from + i))
const ids = (ms: Chunk.Chunk<TM.TwitchMessage>) =>
  Chunk.toArray(ms).map((m) => (m._tag === "Privmsg" ? m.id : ""))

const source = () => {
  const calls: Array<string> = []
  return { calls, pause: () => calls.push("pause"), resume: () => calls.push("resume") }
}

const make = (bufferSize: number, overflow: "backpressure" | "dropOldest" = "backpressure") =>
  Effect.gen(function*() {
    const counts = { received: 0, dropped: 0 }
    const hub = yield* Hub.make({ bufferSize, overflow }, {
      received: (n) => (counts.received += n),
      dropped: (n) => (counts.dropped += n)
    })
    return { hub, counts }
  })

describe("engine/hub", () => {
  it.scoped("keeps the latest bufferSize messages for the first stream, counting the rest dropped", () =>
    Effect.gen(function*() {
      const { counts, hub } = yield* make(3)
      hub.publish(batch(0, 5), source())
      const got = yield* hub.subscribe({}).pipe(Stream.take(3), Stream.runCollect)
      assert.deepStrictEqual(ids(got), ["m2", "m3", "m4"])
      assert.deepStrictEqual(counts, { received: 5, dropped: 2 })
    }))

  it.scoped("backpressure: a full buffer pauses the source until the stream drained, nothing lost", () =>
    Effect.gen(function*() {
      const { counts, hub } = yield* make(2)
      const src = source()
      const stream = yield* Effect.fork(hub.subscribe({}).pipe(Stream.take(12), Stream.runCollect))
      yield* TestClock.adjust(0) // let the stream subscribe
      hub.publish(batch(0, 8), src)
      assert.isTrue(hub.isPaused(src))
      hub.publish(batch(8, 12), src) // what comes while stalled waits behind
      const got = yield* Fiber.join(stream)
      assert.deepStrictEqual(ids(got), batch(0, 12).map((m) => (m._tag === "Privmsg" ? m.id : "")))
      assert.isFalse(hub.isPaused(src))
      assert.deepStrictEqual(src.calls.slice(-1), ["resume"])
      assert.strictEqual(counts.dropped, 0)
    }))

  it.scoped("dropOldest: the buffer slides, the source is never paused, drops are counted", () =>
    Effect.gen(function*() {
      const { counts, hub } = yield* make(2, "dropOldest")
      const src = source()
      const stream = yield* Effect.fork(hub.subscribe({}).pipe(Stream.take(2), Stream.runCollect))
      yield* TestClock.adjust(0) // let the stream subscribe
      hub.publish(batch(0, 5), src)
      assert.deepStrictEqual(ids(yield* Fiber.join(stream)), ["m3", "m4"])
      assert.deepStrictEqual(src.calls, [])
      assert.strictEqual(counts.dropped, 3)
    }))

  it.scoped("filters per stream, and ends every stream (and later ones) with the client's error", () =>
    Effect.gen(function*() {
      const { hub } = yield* make(16)
      const other = yield* Effect.fork(
        hub.subscribe({ filter: (m) => m._tag === "Privmsg" && m.channel === "other" }).pipe(
          Stream.runCollect,
          Effect.either
        )
      )
      yield* TestClock.adjust(0) // let the stream subscribe
      hub.publish([message(1), message(2, "other")], source())
      const error = new ChatError({ reason: "LoginFailed", detail: "revoked" })
      hub.end(Exit.fail(error))
      const result = yield* Fiber.join(other)
      assert(Either.isLeft(result))
      assert.strictEqual(result.left, error)
      const late = yield* hub.subscribe({}).pipe(Stream.runCollect, Effect.either)
      assert(Either.isLeft(late))
    }))
})
