/**
 * Sends over the pool, on TestClock: each goes over the connection holding its channel, all
 * through the account's one message limit (the mock counts messages per user over every
 * connection, and answers a send over the limit with `msg_ratelimit`).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import * as ChatClient from "../../../src/chat/ChatClient.js"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import * as ChatPool from "../../../src/chat/pool/ChatPool.js"
import * as World from "../../../src/testing/mock/World.js"
import { userToken } from "../client/fixture.js"
import * as Virtual from "../client/virtual.js"
import { clientLimits, messageWindowMs, pool, setup, violations } from "./fixture.js"

describe("ChatPool sends", () => {
  it.scoped("60 sends over 3 connections share the account's limit: no msg_ratelimit, none late", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, memory, plain } = yield* setup()
      const chat = yield* pool(config, { transport: memory, channelsPerConnection: 2 })
      const channels = plain.slice(0, 6)
      yield* chat.joinAll(channels)
      const start = yield* Clock.currentTimeMillis
      const outcomes = yield* Effect.forEach(
        Array.from({ length: 60 }, (_, i) => i),
        (i) => chat.say(channels[i % 6], `pool send ${i}`),
        { concurrency: "unbounded" }
      )
      const elapsed = (yield* Clock.currentTimeMillis) - start
      const notSent = outcomes.filter((o) => o._tag !== "Sent")
      assert.deepStrictEqual(notSent, [], JSON.stringify(notSent.slice(0, 3)))
      const counters = yield* control.counters
      assert.strictEqual(violations(counters), 0, JSON.stringify(counters.violations))
      assert.strictEqual(counters.privmsgsAccepted, 60)
      // 20 per window for the account: the last 20 go out 2 windows after the first 20.
      const minimum = (60 / 20 - 1) * messageWindowMs
      assert.isAtLeast(elapsed, minimum)
      assert.isAtMost(elapsed, minimum * 1.6 + 500, `took ${elapsed} ms for a minimum of ${minimum} ms`)
      // Each connection sent its own channels' messages.
      const sent = (yield* chat.connections).map((c) => Option.map(c.stats, (s) => s.sent))
      assert.deepStrictEqual(sent, [Option.some(20), Option.some(20), Option.some(20)])
      assert.strictEqual((yield* chat.stats).sent, 60)
    })))

  it.scoped("ChatPool.layer stands in for ChatClient.layer: the same program joins, sends and reads", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, plain } = yield* setup()
      const program = Effect.gen(function*() {
        const chat = yield* ChatClient.ChatClient
        yield* chat.joinAll(plain.slice(0, 3))
        const own = yield* Effect.fork(
          chat.channel(plain[2]).pipe(
            Stream.filter((m) => m._tag === "Privmsg" && m.login === World.defaultUserLogin),
            Stream.runHead
          )
        )
        yield* Effect.sleep("5 millis")
        const outcome = yield* chat.say(plain[2], "hello from the pool")
        const echoed = yield* own
        return { outcome, echoed, pool: yield* ChatPool.ChatPool }
      })
      const { echoed, outcome, pool: p } = yield* program.pipe(
        Effect.provide(ChatPool.layer({
          transport: memory,
          limits: clientLimits,
          channelsPerConnection: 2,
          sendTimeout: "1 minute",
          joinTimeout: "1 minute"
        })),
        Effect.provide(
          Layer.mergeAll(config, TwitchAuth.layerStatic(userToken), ChatRateLimits.layerLimiters())
        )
      )
      assert.strictEqual(outcome._tag, "Sent")
      assert.isTrue(
        Option.isSome(echoed) && echoed.value._tag === "Privmsg" &&
          echoed.value.text === "hello from the pool"
      )
      assert.strictEqual(p.channelsPerConnection, 2)
    })))
})
