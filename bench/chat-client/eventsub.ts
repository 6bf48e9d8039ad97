/**
 * The chat-client benchmark's EventSub case: the whole mock Twitch (in the benchmark process)
 * blasts N `channel.chat.message` notifications (each its own chat message) and then a sentinel
 * message over its EventSub WebSocket to one client reading the default user's channel as that
 * user: ours (`ChatClient.makeEventSub`, the same `ChatClient` stream as over IRC, default buffer
 * with back-pressure) and Twurple's `EventSubWsListener` (`onChannelChatMessage`, pointed at the
 * mock with `TWURPLE_MOCK_API_PORT`, as for twitch-cli's mock). Each client runs in its own Node
 * process and reads every message as a user's code would (`worker.ts`).
 *
 * Reported, best of the interleaved passes: messages per second of wall time from "go" to the
 * sentinel, messages per CPU-second of the client process, and its smallest peak RSS and heap
 * growth over the passes.
 */
import * as Effect from "effect/Effect"
import { fmt, type RunOptions, table } from "../lib/harness.js"
import { columns, logPass, runCase } from "./cases.js"
import { type EventSubAccount, type Kind, SENTINEL, type WorkerResult } from "./shared.js"

const kinds: ReadonlyArray<{ readonly kind: Kind; readonly label: string; readonly ours: boolean }> = [
  { kind: "ours-eventsub", label: "effect-twitcher ChatClient, EventSub", ours: true },
  { kind: "twurple-eventsub", label: "Twurple 8.2 EventSubWsListener", ours: false }
]

/** The EventSub kinds. */
export const eventSubKinds: ReadonlyArray<Kind> = kinds.map((k) => k.kind)

/** Runs the EventSub case (the kinds of `only`, or both). */
export const run = async (
  options: RunOptions,
  workerPath: string,
  only: ReadonlyArray<string>
): Promise<void> => {
  const MockTwitch = await import("../../src/testing/MockTwitch.js")
  const runnable = kinds.filter((k) => only.length === 0 || only.includes(k.kind))
  if (runnable.length === 0) return
  const n = options.quick ? 10_000 : 100_000
  const expected = n + 1
  const passes = options.quick ? options.passes : Math.max(3, options.passes)
  const results = new Map<Kind, Array<WorkerResult>>()
  await Effect.runPromise(
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const broadcasterId = mock.defaultUser.id
      const account: EventSubAccount = {
        clientId: mock.credentials.clientId,
        token: mock.credentials.userToken,
        userId: mock.defaultUser.id,
        broadcasterId
      }
      const condition = { broadcaster_user_id: broadcasterId }
      const fragment = { type: "text", text: SENTINEL, cheermote: null, emote: null, mention: null }
      const blast = () =>
        Effect.runPromise(Effect.asVoid(Effect.zipRight(
          mock.eventSub.control.blast({ type: "channel.chat.message", version: "1", condition }, n),
          mock.eventSub.control.fire({
            type: "channel.chat.message",
            version: "1",
            condition,
            event: { message: { text: SENTINEL, fragments: [fragment] } }
          })
        )))
      console.log(`\nEventSub: ${fmt(n)} channel.chat.message notifications + 1 sentinel, ${passes} pass(es)`)
      for (let pass = 1; pass <= passes; pass++) {
        for (const { kind } of runnable) {
          const outcome = yield* Effect.promise(() =>
            runCase(workerPath, kind, mock.http.port, mock.defaultUser.login, blast, {
              BENCH_EVENTSUB: JSON.stringify(account)
            })
          )
          logPass(pass, kind, outcome, 16)
          if (outcome.result !== undefined) results.set(kind, [...(results.get(kind) ?? []), outcome.result])
          // let the server close the session before the next client subscribes
          yield* Effect.sleep("300 millis")
        }
      }
    }).pipe(Effect.provide(MockTwitch.layer({ irc: false })))
  )
  report(results, expected)
}

const report = (results: ReadonlyMap<Kind, ReadonlyArray<WorkerResult>>, expected: number) => {
  const complete = (kind: Kind) => (results.get(kind) ?? []).filter((r) => r.count === expected)
  const best = (kind: Kind, f: (r: WorkerResult) => number) => Math.max(0, ...complete(kind).map(f))
  const least = (kind: Kind, f: (r: WorkerResult) => number) => Math.min(...complete(kind).map(f))
  const rate = (kind: Kind) => best(kind, (r) => expected / r.millis * 1000)
  const cpuRate = (kind: Kind) => best(kind, (r) => expected / r.cpuMillis * 1000)
  console.log("")
  console.log(table(
    columns,
    kinds.map(({ kind, label, ours }) => {
      const all = results.get(kind) ?? []
      const name = ours ? `**${label}**` : label
      if (complete(kind).length === 0) {
        const got = all.length === 0
          ? "not run"
          : `${fmt(Math.max(...all.map((r) => r.count)))} of ${fmt(expected)}`
        return [name, got, "—", "—", "—", "—"]
      }
      return [
        name,
        `${fmt(expected)} (all)`,
        fmt(rate(kind)),
        fmt(cpuRate(kind)),
        least(kind, (r) => r.peakRssMb).toFixed(1),
        least(kind, (r) => r.peakHeapMb).toFixed(1)
      ]
    })
  ))
  if (complete("ours-eventsub").length === 0 || complete("twurple-eventsub").length === 0) return
  console.log("")
  console.log(table(["EventSub: ours vs Twurple", "ratio"], [
    ["messages/s", `${(rate("ours-eventsub") / rate("twurple-eventsub")).toFixed(2)}x`],
    ["messages/CPU-s", `${(cpuRate("ours-eventsub") / cpuRate("twurple-eventsub")).toFixed(2)}x`],
    [
      "peak heap growth",
      `${
        (least("ours-eventsub", (r) => r.peakHeapMb) / least("twurple-eventsub", (r) => r.peakHeapMb))
          .toFixed(2)
      }x`
    ]
  ]))
}
