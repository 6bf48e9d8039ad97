/**
 * Twitch's cap of 100 channels joined at once (where the account is neither broadcaster nor
 * moderator), on TestClock against the mock, which enforces it over all the user's connections.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as ChannelCap from "../../../src/chat/pool/ChannelCap.js"
import * as World from "../../../src/testing/mock/World.js"
import { client, patient } from "../client/fixture.js"
import * as Virtual from "../client/virtual.js"
import { clientLimits, pool, setup } from "./fixture.js"

/** Runs `effect` with its warnings collected in `into`. */
const collectWarnings = <A, E, R>(effect: Effect.Effect<A, E, R>, into: Array<string>) =>
  effect.pipe(
    Effect.provide(Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ logLevel, message }) => {
        if (LogLevel.greaterThanEqual(logLevel, LogLevel.Warning)) into.push(String(message))
      })
    ))
  )

const joinEach = <E>(join: (c: string) => Effect.Effect<void, E>, channels: ReadonlyArray<string>) =>
  Effect.forEach(channels, (c) => Effect.either(join(c)), { concurrency: 20 })

describe("ChatPool and Twitch's channel cap", () => {
  it.scoped("past 100 channels: one clear warning, then Twitch's refusals as typed JoinFailed errors", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, memory, plain } = yield* setup(130)
      const chat = yield* pool(config, { transport: memory })
      const channels = plain.slice(0, 105)
      assert.strictEqual(channels.length, 105)
      const warnings: Array<string> = []
      const results = yield* collectWarnings(joinEach(chat.join, channels), warnings)
      const refused = results.filter(Either.isLeft).map((r) => r.left)
      assert.strictEqual(refused.length, 5)
      for (const error of refused) {
        assert.isTrue(ChannelCap.isCapError(error), String(error))
        assert.include(error.message, "refused by Twitch")
        assert.include(error.message, "EventSub")
      }
      assert.strictEqual(warnings.length, 1, warnings.join("\n"))
      assert.include(warnings[0], `${World.defaultUserLogin} would be in 101 channels`)
      assert.include(warnings[0], "allows 100")
      assert.strictEqual((yield* control.counters).violations.concurrentRooms, 5)
      assert.strictEqual((yield* chat.joined).length, 100)
      // Refused channels take no place; the account's own channel never counts.
      assert.strictEqual((yield* chat.connections).flatMap((c) => c.channels).length, 100)
      yield* chat.join(World.defaultUserLogin)
      assert.strictEqual((yield* chat.joined).length, 101)
    })))

  it.scoped("overCap: \"fail\" refuses past the cap at once, without sending the JOIN", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, memory, plain } = yield* setup(130, { concurrentRooms: 10 })
      const chat = yield* pool(config, { transport: memory, channelCap: 10, overCap: "fail" })
      const results = yield* joinEach(chat.join, plain.slice(0, 12))
      const refused = results.filter(Either.isLeft).map((r) => r.left)
      assert.strictEqual(refused.length, 2)
      for (const error of refused) {
        assert.isTrue(ChannelCap.isCapError(error), String(error))
        assert.include(error.message, "not sent")
      }
      const counters = yield* control.counters
      assert.strictEqual(counters.joins, 10)
      assert.strictEqual(counters.violations.concurrentRooms, 0)
      // Parting one frees a place.
      yield* chat.part(plain[0])
      yield* chat.join(plain[11])
      assert.strictEqual((yield* chat.joined).length, 10)
    })))

  it.scoped("an anonymous pool is not capped", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, control, memory, plain } = yield* setup(130, { concurrentRooms: 10 })
      const chat = yield* pool(config, { transport: memory }, true)
      const warnings: Array<string> = []
      yield* collectWarnings(chat.joinAll(plain.slice(0, 15)), warnings)
      assert.strictEqual((yield* chat.joined).length, 15)
      assert.deepStrictEqual(warnings, [])
      assert.strictEqual((yield* control.counters).violations.concurrentRooms, 0)
    })))

  it.scoped("a lone ChatClient past the cap fails JoinFailed at once, not JoinTimeout later", () =>
    Virtual.run(Effect.gen(function*() {
      const { config, memory, plain } = yield* setup(130, { concurrentRooms: 2 })
      const chat = yield* client(config, { ...patient, limits: clientLimits, transport: memory })
      yield* chat.joinAll(plain.slice(0, 2))
      const error = yield* Effect.flip(chat.join(plain[2]))
      assert.isTrue(ChannelCap.isCapError(error), String(error))
      assert.deepStrictEqual(yield* chat.joined, plain.slice(0, 2).sort())
    })))
})
