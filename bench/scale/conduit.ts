/**
 * Scale (b): three worker processes on one EventSub conduit of three shards, against the mock
 * Twitch in this process, with 5,000 channels subscribed to `stream.online` on the conduit (the
 * mock's Helix bucket raised so the setup does not wait 6 minutes on Twitch's 800 points a minute;
 * the setup time is reported).
 *
 * - **Throughput**: the mock sends `perChannel` notifications to every subscription as fast as the
 *   sockets take them (`blast`); reported: events/s summed over the workers from the first message
 *   sent to the last one read, each read through the typed stream of everything.
 * - **Evenness**: each worker's share of the events (Twitch's hash of the channel id picks the
 *   shard) and the largest share over the mean.
 * - **A killed worker**: during a second burst (one notification per channel per round), one worker
 *   is killed (SIGKILL) after a third of the rounds, and the rounds go on; reported: how long until the mock saw its shard gone (after which the retry
 *   shard takes its channels), the messages the mock retried on another shard, dropped, and lost
 *   (sent to the dead worker's socket before its shard was disabled, or read but not reported
 *   by it: its last report, at most 50 ms old, is what it counted).
 *
 * Workers run as one esbuild bundle on plain Node.
 */
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import { type ChildProcess, fork } from "node:child_process"
import * as Conduit from "../../src/eventsub/conduit/Conduit.js"
import * as ConduitSubscriptions from "../../src/eventsub/conduit/ConduitSubscriptions.js"
import * as Types from "../../src/eventsub/generated/Types.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import { withHelix } from "../../test/eventsub/conduit/support.js"
import { bundle } from "../../test/support/bundle.js"
import { fmt, type RunOptions, table } from "../lib/harness.js"
import type { WorkerMessage } from "./conduitWorker.js"

const workerCount = 3

/** A forked worker and the last count it reported. */
interface Worker {
  readonly child: ChildProcess
  read: number
  ready: boolean
}

const forkWorker = (program: string, mock: MockTwitch.MockTwitch.Service, conduitId: string, index: number) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const c = mock.credentials
      const child = fork(program, [
        conduitId,
        String(index),
        String(workerCount),
        mock.http.helixUrl,
        mock.http.idUrl,
        mock.eventSub.wsUrl,
        c.clientId,
        c.appToken
      ], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
      const worker: Worker = { child, read: 0, ready: false }
      child.on("message", (message: WorkerMessage) => {
        if ("ready" in message) worker.ready = true
        else worker.read = message.read
      })
      return worker
    }),
    (w) => Effect.sync(() => w.child.kill("SIGKILL"))
  )

const total = (workers: ReadonlyArray<Worker>) => workers.reduce((n, w) => n + w.read, 0)

/** Polls (real time, every 20 ms) until `done` holds or `ms` passed; whether it held. */
const until = (done: () => boolean, ms: number) =>
  Effect.sync(done).pipe(
    Effect.repeat({ until: (held) => held, schedule: Schedule.spaced("20 millis").pipe(Schedule.upTo(ms)) }),
    Effect.map(() => done())
  )

/** Polls until the sum stops moving for `quietMs`. */
const settle = (workers: ReadonlyArray<Worker>, quietMs: number) =>
  Effect.gen(function*() {
    let last = -1
    let since = performance.now()
    while (performance.now() - since < quietMs) {
      yield* Effect.sleep("25 millis")
      const now = total(workers)
      if (now !== last) {
        last = now
        since = performance.now()
      }
    }
  })

const now = Effect.sync(() => performance.now())

const setUp = (mock: MockTwitch.MockTwitch.Service, channels: number) =>
  withHelix(
    mock,
    Effect.gen(function*() {
      const started = performance.now()
      const conduit = yield* Conduit.create(workerCount)
      const ids = (yield* mock.world.snapshot).users.slice(0, channels).map((u) => u.id)
      const report = yield* ConduitSubscriptions.subscribe({
        conduitId: conduit.id,
        definition: Types.streamOnlineV1,
        conditions: ids.map((id) => ({ broadcasterUserId: id })),
        concurrency: 16
      })
      return { conduitId: conduit.id, report, millis: performance.now() - started }
    })
  )

const throughput = (
  mock: MockTwitch.MockTwitch.Service,
  workers: ReadonlyArray<Worker>,
  perChannel: number
) =>
  Effect.gen(function*() {
    const before = workers.map((w) => w.read)
    const started = yield* now
    const sent = yield* mock.eventSub.control.blast({ type: "stream.online" }, perChannel)
    const complete = yield* until(
      () => total(workers) - before.reduce((a, b) => a + b, 0) >= sent.messages,
      120_000
    )
    const millis = (yield* now) - started
    const shares = workers.map((w, i) => w.read - before[i])
    return {
      sent: sent.messages,
      sendMillis: sent.millis,
      read: shares.reduce((a, b) => a + b, 0),
      millis,
      shares,
      complete
    }
  })

const killOne = (
  mock: MockTwitch.MockTwitch.Service,
  conduitId: string,
  workers: ReadonlyArray<Worker>,
  perChannel: number
) =>
  Effect.gen(function*() {
    const victim = workers[workerCount - 1]
    const counters = yield* mock.eventSub.control.counters
    const before = total(workers)
    // One notification per channel per round; the worker dies after a third of the rounds, and the
    // rounds go on at once (the mock learns of the death from its socket, as Twitch would).
    const round = Effect.map(mock.eventSub.control.blast({ type: "stream.online" }, 1), (r) => r.messages)
    const third = Math.ceil(perChannel / 3)
    let sent = 0
    for (let i = 0; i < third; i++) sent += yield* round
    const killedAt = yield* now
    victim.child.kill("SIGKILL")
    const detected = yield* Effect.fork(
      Effect.zipRight(
        mock.eventSub.control.awaitShards(conduitId, workerCount - 1, { exactly: true }),
        Effect.map(now, (at) => at - killedAt)
      )
    )
    for (let i = third; i < perChannel; i++) sent += yield* round
    const detectMillis = yield* Fiber.join(detected)
    yield* settle(workers, 500)
    const after = yield* mock.eventSub.control.counters
    const read = total(workers) - before
    return {
      sent,
      read,
      lost: sent - read,
      detectMillis,
      retried: after.conduitRetries - counters.conduitRetries,
      dropped: after.conduitDropped - counters.conduitDropped
    }
  })

/** Runs part (b) and prints its figures. */
export const runConduit = (options: RunOptions): Promise<void> => {
  const channels = options.quick ? 1_000 : 5_000
  const perChannel = options.quick ? 12 : 20
  return Effect.runPromise(
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const setup = yield* setUp(mock, channels)
      console.log(
        `${fmt(channels)} channels subscribed to stream.online on a conduit of ${workerCount} shards in ${
          fmt(setup.millis)
        } ms (${setup.report.created} created, ${setup.report.refused.length} refused)`
      )
      const program = yield* Effect.acquireRelease(
        Effect.promise(() => bundle("bench/scale/conduitWorker.ts")),
        (b) => Effect.sync(b.remove)
      )
      const workers = yield* Effect.forEach(
        [0, 1, 2],
        (i) => forkWorker(program.path, mock, setup.conduitId, i)
      )
      if (!(yield* until(() => workers.every((w) => w.ready), 60_000))) {
        return console.log("  FAILED: the workers were not ready within 60 s")
      }
      const rounds = yield* Effect.forEach(
        Array.from({ length: options.passes }, (_, i) => i),
        () => throughput(mock, workers, perChannel)
      )
      const best = rounds.filter((r) => r.complete).sort((a, b) => a.millis - b.millis)[0] ?? rounds[0]
      const mean = best.read / workerCount
      const killed = yield* killOne(mock, setup.conduitId, workers, perChannel)
      console.log("")
      console.log(table(["three workers, one conduit", "figure"], [
        [`events sent (${perChannel} per channel)`, fmt(best.sent)],
        ["events read by the workers", `${fmt(best.read)}${best.complete ? "" : " (INCOMPLETE)"}`],
        ["events/s summed (best pass)", fmt(best.read / best.millis * 1000)],
        ["events/s the mock wrote (its ceiling)", fmt(best.sent / best.sendMillis * 1000)],
        ["share per worker", best.shares.map((s) => `${(s / best.read * 100).toFixed(1)}%`).join(" / ")],
        ["largest share / mean", (Math.max(...best.shares) / mean).toFixed(2)],
        ["killed worker: ms until its shard was disabled", fmt(killed.detectMillis)],
        ["killed worker: events retried on another shard", fmt(killed.retried)],
        ["killed worker: events dropped by Twitch (mock)", fmt(killed.dropped)],
        [
          "killed worker: events lost of the burst",
          `${fmt(killed.lost)} of ${fmt(killed.sent)} (${(killed.lost / killed.sent * 100).toFixed(2)}%)`
        ]
      ]))
    }).pipe(
      Effect.scoped,
      Effect.provide(
        MockTwitch.layer({ irc: false, users: channels, http: { rateLimit: { limit: 1_000_000 } } })
      )
    )
  )
}
