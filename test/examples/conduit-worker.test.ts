import { assert, describe, it } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import { type ChildProcess, spawn } from "node:child_process"
import * as Readline from "node:readline"
import * as Conduit from "../../src/eventsub/conduit/Conduit.js"
import * as ConduitSubscriptions from "../../src/eventsub/conduit/ConduitSubscriptions.js"
import * as Types from "../../src/eventsub/generated/Types.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import { withHelix } from "../eventsub/conduit/support.js"
import { bundle } from "../support/bundle.js"

/** A line a worker printed with `--json`. */
interface Line {
  readonly worker: number
  readonly ready?: ReadonlyArray<string>
  readonly type?: string
  readonly broadcaster?: string
  readonly messageId?: string
}

const workers = 3

/** Starts the bundled `examples/conduit-worker.ts` as process `index` of `workers`, pointed at the mock; its lines go to `lines`. */
const worker = (
  program: string,
  mock: MockTwitch.MockTwitch.Service,
  conduitId: string,
  index: number,
  lines: Queue.Queue<Line>
) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const env: Record<string, string> = {}
      for (const [key, value] of Object.entries(process.env)) {
        if (value !== undefined && !/^(TWITCH_|PYTWITCHER_|SHARD_|CONDUIT_|CHANNELS)/.test(key)) {
          env[key] = value
        }
      }
      Object.assign(env, {
        TWITCH_CLIENT_ID: mock.credentials.clientId,
        TWITCH_TOKEN: mock.credentials.appToken,
        TWITCH_HELIX_URL: mock.http.helixUrl,
        TWITCH_ID_URL: mock.http.idUrl,
        TWITCH_EVENTSUB_WS_URL: mock.eventSub.wsUrl,
        SHARD_INDEX: String(index),
        SHARD_COUNT: String(workers),
        CONDUIT_ID: conduitId
      })
      const child = spawn(process.execPath, [program, "--json"], {
        env,
        stdio: ["ignore", "pipe", "inherit"]
      })
      Readline.createInterface({ input: child.stdout }).on("line", (text) => {
        if (text.startsWith("{")) Queue.unsafeOffer(lines, JSON.parse(text) as Line)
      })
      return child
    }),
    (child: ChildProcess) => Effect.sync(() => child.kill("SIGKILL"))
  )

const takeWhere = (
  lines: Queue.Queue<Line>,
  n: number,
  keep: (line: Line) => boolean,
  within: Duration.DurationInput
) =>
  Effect.gen(function*() {
    const taken: Array<Line> = []
    while (taken.length < n) {
      const line = yield* Queue.take(lines)
      if (keep(line)) taken.push(line)
    }
    return taken
  }).pipe(
    Effect.timeoutFail({
      duration: within,
      onTimeout: () => new Error(`fewer than ${n} lines within ${within}`)
    })
  )

describe("examples/conduit-worker.ts", () => {
  it.scopedLive("three worker processes on one conduit get every event exactly once between them", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const channels = (yield* mock.world.snapshot).users.slice(0, 30).map((u) => u.id)
      const conduitId = yield* withHelix(
        mock,
        Effect.gen(function*() {
          const conduit = yield* Conduit.create(workers)
          yield* ConduitSubscriptions.subscribe({
            conduitId: conduit.id,
            definition: Types.streamOnlineV1,
            conditions: channels.map((id) => ({ broadcasterUserId: id }))
          })
          return conduit.id
        })
      )
      // One bundle for plain Node: three tsx processes would each transform the whole library first.
      const program = yield* Effect.acquireRelease(
        Effect.promise(() => bundle("examples/conduit-worker.ts")),
        (b) => Effect.sync(b.remove)
      )
      const lines = yield* Queue.unbounded<Line>()
      for (let i = 0; i < workers; i++) yield* worker(program.path, mock, conduitId, i, lines)
      const ready = yield* takeWhere(lines, workers, (l) => l.ready !== undefined, "15 seconds")
      assert.deepStrictEqual(ready.map((l) => l.ready).sort(), [["0"], ["1"], ["2"]])
      yield* mock.eventSub.control.awaitShards(conduitId, workers)

      const fired: Array<string> = []
      for (const round of [1, 2]) {
        for (const id of channels) {
          const result = yield* mock.eventSub.control.fire({
            type: "stream.online",
            condition: { broadcaster_user_id: id }
          })
          assert.strictEqual(result.messageIds.length, 1, `round ${round}`)
          fired.push(...result.messageIds)
        }
      }
      const events = yield* takeWhere(lines, fired.length, (l) => l.type === "stream.online", "5 seconds")
      // Anything more than once would arrive now.
      yield* Effect.sleep("300 millis")
      const extra = (yield* Queue.takeAll(lines)).pipe((c) =>
        [...c].filter((l) => l.type === "stream.online")
      )
      assert.deepStrictEqual(extra, [])
      assert.deepStrictEqual(events.map((l) => l.messageId).sort(), [...fired].sort())
      const workerOf = new Map<string, number>()
      for (const line of events) {
        const known = workerOf.get(line.broadcaster ?? "")
        assert.isTrue(known === undefined || known === line.worker, `a channel's events go to one worker`)
        workerOf.set(line.broadcaster ?? "", line.worker)
      }
      assert.deepStrictEqual(new Set(events.map((l) => l.worker)), new Set([0, 1, 2]))
    }).pipe(Effect.provide(MockTwitch.layer({ irc: false }))))
})
