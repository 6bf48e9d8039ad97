/**
 * Fault soak (issue #17): several fibers send while connections drop and Twitch sends RECONNECT at
 * random (seeded) moments. Checked from the mock's own records: every `Sent` text arrived exactly
 * once, no text twice, none that was not written; every send completes within a bound; the process
 * keeps ticking throughout. Public API only (client and mock control), so the rewritten engine
 * (issue #13) runs it too. `CHAT_SOAK_SEED` picks another fault schedule.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Random from "effect/Random"
import type * as ChatClient from "../../../src/chat/ChatClient.js"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import type { SendOutcome } from "../../../src/chat/SendOutcome.js"
import type * as IrcServer from "../../../src/testing/mock/IrcServer.js"
import * as World from "../../../src/testing/mock/World.js"
import type { ChatError, NotAuthorized } from "../../../src/TwitchError.js"
import { client, setup } from "./fixture.js"
import * as Heartbeat from "./heartbeat.js"

const seed = Number(process.env.CHAT_SOAK_SEED ?? "1717")
const senders = 4
/** Each sender sends until the faults are over, at most this many messages. */
const maxPerSender = 80
const faults = 12
/** Longest a single send may take: queue, outages, a late answer and its own timeout together. */
const sendBoundMs = 6_000

const factor = 1 / 150
// The server's windows shrunk like the client's (the JOIN window too: every fault costs a rejoin of
// both channels, more than Twitch's 20 JOINs in an unscaled 10 s window).
const serverLimits = {
  messageWindowMs: 200,
  channelIntervalMs: 1000 * factor,
  joinWindowMs: 10_000 * factor,
  duplicateWindowMs: 0
}
const clientLimits = ChatRateLimits.scaled(ChatRateLimits.twitchLimits, factor)

const millis = (lo: number, hi: number) => Effect.map(Random.nextIntBetween(lo, hi), Duration.millis)

/** One random fault: a drop, a RECONNECT (closed later, as Twitch does), or a RECONNECT whose new connection is dropped. */
const fault = (control: IrcServer.Control) =>
  Effect.gen(function*() {
    switch (yield* Random.nextIntBetween(0, 3)) {
      case 0:
        yield* control.dropConnections()
        return "drop"
      case 1:
        yield* control.sendReconnect({ closeAfter: yield* millis(50, 400) })
        return "reconnect"
      default:
        yield* control.setOutgoingDelay(yield* millis(30, 150))
        yield* control.sendReconnect()
        yield* Effect.sleep(yield* millis(0, 250))
        yield* control.dropConnections()
        yield* control.setOutgoingDelay(0)
        return "reconnect then drop"
    }
  })

type Result = Either.Either<SendOutcome, ChatError | NotAuthorized>

interface Send {
  readonly text: string
  readonly result: Result
  readonly millis: number
}

/** Sends one message after another (random pauses) into alternating channels until `over()`. */
const sender = (
  chat: ChatClient.ChatClient.Service,
  id: number,
  channels: ReadonlyArray<string>,
  over: () => boolean
) =>
  Effect.gen(function*() {
    const sends: Array<Send> = []
    for (let i = 0; i < maxPerSender && !over(); i++) {
      yield* Effect.sleep(yield* millis(0, 30))
      const text = `soak ${id}-${i}`
      const start = yield* Clock.currentTimeMillis
      const result: Result = yield* chat.say(channels[(id + i) % channels.length], text).pipe(
        Effect.either,
        Effect.timeoutFail({
          duration: Duration.millis(sendBoundMs),
          onTimeout: () => new Error(`seed ${seed}: say("${text}") did not complete within ${sendBoundMs} ms`)
        })
      )
      sends.push({ text, result, millis: (yield* Clock.currentTimeMillis) - start })
    }
    return sends
  }).pipe(Effect.withRandom(Random.make(seed * 31 + id)))

describe("ChatClient fault soak", () => {
  it.scopedLive(`sends from ${senders} fibers through ${faults} random drops and RECONNECTs (seed ${seed})`, () =>
    Effect.gen(function*() {
      const beat = yield* Heartbeat.start({ label: `chat fault soak, seed ${seed}` })
      const { config, control, plain } = yield* setup({ limits: serverLimits })
      const chat = yield* client(config, {
        limits: clientLimits,
        sendTimeout: "500 millis",
        joinTimeout: "500 millis",
        loginTimeout: "1 second",
        offlineSendTimeout: "1 second",
        reconnect: { base: "10 millis", max: "100 millis" }
      })
      // The own channel (broadcaster: no gap between messages) and a plain one (a gap).
      const channels = [World.defaultUserLogin, plain[0]]
      yield* chat.joinAll(channels)

      const injected: Array<string> = []
      const faulting = Effect.forEach(
        Array.from({ length: faults }, (_, i) => i),
        () =>
          Effect.gen(function*() {
            yield* Effect.sleep(yield* millis(20, 120))
            injected.push(yield* fault(control))
          }),
        { discard: true }
      ).pipe(Effect.withRandom(Random.make(seed)))
      let over = false
      const [, sends] = yield* Effect.all([
        Effect.ensuring(faulting, Effect.sync(() => over = true)),
        Effect.all(Array.from({ length: senders }, (_, id) => sender(chat, id, channels, () => over)), {
          concurrency: "unbounded"
        })
      ], { concurrency: "unbounded" })
      yield* beat.check

      // Once the last fault played out (a RECONNECT closes its connection within 400 ms; a line
      // written right after a drop, before the client saw it, is lost with it), the client works.
      yield* Effect.sleep("500 millis")
      const last = yield* chat.say(channels[0], "soak done").pipe(Effect.timeout("5 seconds"))
      assert.strictEqual(
        last._tag,
        "Sent",
        `seed ${seed}, faults [${injected.join(", ")}]: ${JSON.stringify(last)}`
      )

      const arrived = new Map<string, number>()
      for (const channel of channels) {
        for (const r of yield* control.received(channel)) arrived.set(r.text, (arrived.get(r.text) ?? 0) + 1)
      }
      const tally = new Map<string, number>()
      const where = (text: string) => `seed ${seed}, faults [${injected.join(", ")}]: "${text}"`
      for (const { result, text } of sends.flat()) {
        const count = arrived.get(text) ?? 0
        if (Either.isLeft(result)) {
          const error = result.left
          tally.set(error._tag, (tally.get(error._tag) ?? 0) + 1)
          // Only an outage longer than offlineSendTimeout fails a send, and then nothing was written.
          assert(
            error._tag === "ChatError" && error.reason === "NotConnected",
            `${where(text)} ${error.message}`
          )
          assert.strictEqual(count, 0, `${where(text)} failed NotConnected but arrived`)
          continue
        }
        const outcome = result.right
        const key = outcome._tag === "Unconfirmed" ? `Unconfirmed ${outcome.reason}` : outcome._tag
        tally.set(key, (tally.get(key) ?? 0) + 1)
        switch (outcome._tag) {
          case "Sent":
            assert.strictEqual(count, 1, `${where(text)} reported Sent, arrived ${count} times`)
            break
          case "Unconfirmed":
            assert.isAtMost(count, 1, `${where(text)} Unconfirmed, arrived ${count} times`)
            assert.notStrictEqual(outcome.reason, "NoConfirmation")
            break
          case "Refused":
            assert.strictEqual(count, 0, `${where(text)} refused but arrived`)
            break
          default:
            assert.fail(`${where(text)} unexpected outcome ${outcome._tag}`)
        }
      }
      // Most sends go through: the faults are short and the client reconnects at once.
      assert.isAtLeast(tally.get("Sent") ?? 0, sends.flat().length / 2, JSON.stringify([...tally]))
      const slowest = Math.max(...sends.flat().map((s) => s.millis))
      yield* Effect.logInfo("chat soak", {
        seed,
        faults: injected,
        sends: sends.flat().length,
        outcomes: Object.fromEntries(tally),
        slowestSendMs: slowest,
        maxGapMs: yield* beat.maxGap,
        reconnects: (yield* chat.stats).reconnects
      })
      yield* beat.check
    }))
})
