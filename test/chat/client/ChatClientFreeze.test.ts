/**
 * Issue #17: a RECONNECT followed by a drop of every connection froze the whole process (a loop
 * waiting for a connection on a dead one that stayed current). Public API only: the client and the
 * mock's control handle, so the rewritten engine (issue #13) runs these too.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as World from "../../../src/testing/mock/World.js"
import { client, setup, waitEvent } from "./fixture.js"
import * as Heartbeat from "./heartbeat.js"

const offlineSendTimeout = 1_000

/**
 * Join; delay the mock's output 150 ms; RECONNECT; as soon as the client reports `Connected` on its
 * second connection, drop every connection and lift the delay; `say()` after `sayAfterMs`.
 */
const dropDuringReconnect = (sayAfterMs: number) =>
  Effect.gen(function*() {
    const beat = yield* Heartbeat.start({ label: `drop during RECONNECT, say after ${sayAfterMs} ms` })
    const { config, control } = yield* setup()
    const chat = yield* client(config, { offlineSendTimeout: `${offlineSendTimeout} millis` })
    const channel = World.defaultUserLogin
    yield* chat.join(channel)
    const first = Option.getOrThrow(yield* chat.connectionId)
    const second = yield* Effect.fork(
      waitEvent(chat, (e) => e._tag === "Connected" && e.connection !== first)
    )
    yield* control.setOutgoingDelay("150 millis")
    assert.strictEqual(yield* control.sendReconnect(), 1)
    yield* Fiber.join(second)
    assert.isAtLeast(yield* control.dropConnections(), 1)
    yield* control.setOutgoingDelay(0)
    if (sayAfterMs > 0) yield* Effect.sleep(`${sayAfterMs} millis`)

    // Sent once a connection is back, or NotConnected once offline for offlineSendTimeout; either
    // way within the send's bounds, while the process keeps ticking.
    const start = yield* Clock.currentTimeMillis
    const result = yield* chat.say(channel, "said after the drop").pipe(
      Effect.either,
      Effect.timeoutFail({
        duration: `${offlineSendTimeout + 4_000} millis`,
        onTimeout: () => new Error("say() after the drop did not complete")
      })
    )
    const elapsed = (yield* Clock.currentTimeMillis) - start
    if (Either.isLeft(result)) {
      assert(result.left._tag === "ChatError" && result.left.reason === "NotConnected", result.left.message)
      assert.isAtLeast(elapsed, offlineSendTimeout - sayAfterMs - 100)
    } else if (sayAfterMs === 0 && result.right._tag === "Unconfirmed") {
      // Right after the drop the client may not have seen the socket close yet: a line written
      // then is lost with it, and the client cannot know whether it arrived.
      assert.strictEqual(result.right.reason, "ConnectionLost")
    } else {
      assert.strictEqual(result.right._tag, "Sent")
    }
    yield* beat.check

    // The client recovered: the next message is Sent. In the mock's records a Sent text arrived
    // once, an Unconfirmed one at most once, a NotConnected one never.
    const again = yield* chat.say(channel, "said after recovering").pipe(Effect.timeout("5 seconds"))
    assert.strictEqual(again._tag, "Sent")
    const texts = (yield* control.received(channel)).map((r) => r.text)
    const early = Either.isLeft(result)
      ? []
      : result.right._tag === "Sent"
      ? ["said after the drop"]
      : texts.filter((t) => t === "said after the drop").slice(0, 1)
    assert.deepStrictEqual(texts, [...early, "said after recovering"])
    yield* beat.check
  })

describe("ChatClient: every connection dropped during a RECONNECT (issue #17)", () => {
  it.scopedLive("a say() 50 ms after the drop completes and the process keeps running", () =>
    dropDuringReconnect(50))

  it.scopedLive("a say() right after the drop completes and the process keeps running", () =>
    dropDuringReconnect(0))
})
