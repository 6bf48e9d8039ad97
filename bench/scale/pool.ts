/**
 * Part (a) of the scale benchmark: one `ChatPool` reading 5,000 channels of the mock IRC server.
 *
 * - **Setup**: a mock world of 5,000+ users (one channel each) and its IRC server in this process;
 *   the pool in a child process (`pool-worker.ts`, compiled as `npm run build` emits it), logged
 *   in anonymously, default options (50 channels per connection) but Twitch's limits shrunk by
 *   `factor` on both sides (10 s JOIN windows become 100 ms), so that 5,000 JOINs at 20 per
 *   window take 25 s instead of 41 minutes.
 * - **Joins**: the time `joinAll` takes for every channel, against the least the JOIN limit
 *   allows: the last of ⌈N / 20⌉ windows starts (⌈N / 20⌉ − 1) windows after the first.
 * - **Memory**: heap and RSS growth after full GCs with every channel joined, per channel.
 * - **Messages**: lines of the mock's chatter generator (its mix: 85% PRIVMSG with full tags,
 *   10% USERNOTICE, 4% CLEARCHAT/CLEARMSG, 1% ROOMSTATE), rendered before "go" and sent with
 *   `control.sendRaw` as fast as the mock can, spread over the channels by popularity (Zipf: the
 *   k-th channel gets a share ∝ 1/k, so a few channels are busy and most are quiet, as on Twitch)
 *   and interleaved; the pool reads every message as a logger would. Rates: per second of wall
 *   time from "go" to the last message (the mock sends on the same 2 cores: it is the bottleneck),
 *   and per CPU-second of the pool's process.
 */
import * as Effect from "effect/Effect"
import { fork } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type * as ChatterModule from "../../src/testing/mock/irc/Chatter.js"
import { compileForNode } from "../lib/compile.js"
import { fmt, type RunOptions, table } from "../lib/harness.js"
import type { ScaleCase } from "./case.js"
import type { Done, Joined } from "./pool-shared.js"

/** Twitch's windows times this: 10 s of JOINs become 100 ms. */
const factor = 0.01
const joinsPerWindow = 20
const joinWindowMs = 10_000
const channelsPerConnection = Number(process.env["CPC"] ?? 50)

const childFlags = (process.env["BENCH_CHILD_FLAGS"] ?? "").split(" ").filter((f) => f.length > 0)

/** Message counts per channel, ∝ 1/rank, summing to `total`. */
const zipf = (channels: ReadonlyArray<string>, total: number): Array<readonly [string, number]> => {
  const weights = channels.map((_, k) => 1 / (k + 1))
  const sum = weights.reduce((a, b) => a + b, 0)
  const counts = weights.map((w) => Math.floor(total * w / sum))
  counts[0] += total - counts.reduce((a, b) => a + b, 0)
  return channels.map((c, k) => [c, counts[k]] as const).filter(([, n]) => n > 0)
}

/**
 * The traffic: each channel's lines from the mock's chatter generator (its mix), the channels'
 * lines interleaved in a seeded random order, as `[channel, line]`.
 */
const render = (
  Chatter: typeof ChatterModule,
  users: ReadonlyArray<{ readonly id: string; readonly login: string; readonly displayName: string }>,
  plan: ReadonlyArray<readonly [string, number]>
): Array<readonly [string, string]> => {
  const byLogin = new Map(users.map((u) => [u.login, u]))
  const generator = Chatter.make(42)
  const now = Date.now()
  const lines: Array<readonly [string, string]> = []
  for (const [login, count] of plan) {
    const user = byLogin.get(login)!
    const channel = { login, id: user.id, displayName: user.displayName, emotes: Chatter.defaultEmotes }
    for (let i = 0; i < count; i++) lines.push([login, generator.next(channel, now + lines.length).line])
  }
  // Fisher-Yates with a seeded LCG: the same order every run.
  let seed = 7
  for (let i = lines.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
    const j = seed % (i + 1)
    const swap = lines[i]
    lines[i] = lines[j]
    lines[j] = swap
  }
  return lines
}

interface Pass {
  readonly joined: Joined
  readonly done: Done | undefined
  readonly generatedMs: number
  /** CPU time of this process (the mock) from the worker's start to every channel joined. */
  readonly mockJoinCpuMs: number
  readonly error: string | undefined
}

const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

const runPass = (
  workerPath: string,
  port: number,
  channelsFile: string,
  traffic: (go: () => void) => Promise<{ readonly expected: number; readonly millis: number }>
): Promise<Pass> =>
  new Promise((resolve) => {
    const child = fork(workerPath, [
      String(port),
      String(factor),
      channelsFile,
      String(channelsPerConnection)
    ], {
      // BENCH_CHILD_FLAGS adds Node flags to the pool's process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
      execArgv: ["--expose-gc", "--max-old-space-size=4096", ...childFlags],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    let joined: Joined | undefined
    let generatedMs = 0
    const cpuAtStart = cpuMs()
    let mockJoinCpuMs = NaN
    let settled = false
    const settle = (done: Done | undefined, error: string | undefined) => {
      if (settled) return
      settled = true
      clearTimeout(timeout)
      if (joined === undefined) {
        joined = {
          phase: "joined",
          joinMs: NaN,
          channels: 0,
          failed: 0,
          connections: 0,
          heapBytes: 0,
          rssBytes: 0,
          firstError: undefined
        }
      }
      resolve({ joined, done, generatedMs, mockJoinCpuMs, error })
    }
    const timeout = setTimeout(() => {
      child.kill()
      settle(undefined, "timed out after 10 minutes")
    }, 600_000)
    child.on("message", (message: Joined | Done) => {
      if (message.phase === "joined") {
        mockJoinCpuMs = cpuMs() - cpuAtStart
        joined = message
        traffic(() => child.send({ go: true })).then(
          ({ expected, millis }) => {
            generatedMs = millis
            child.send({ expect: expected })
          },
          (e: unknown) => settle(undefined, `traffic failed: ${String(e)}`)
        )
      } else {
        settle(message, undefined)
      }
    })
    child.once("exit", (code) => settle(undefined, `worker exited with ${code}`))
  })

const run = async (options: RunOptions): Promise<void> => {
  const Chatter = await import("../../src/testing/mock/irc/Chatter.js")
  const IrcServer = await import("../../src/testing/mock/IrcServer.js")
  const World = await import("../../src/testing/mock/World.js")
  const n = options.quick ? 500 : 5_000
  const total = options.quick ? 20_000 : 50_000
  const workerPath = compileForNode(new URL("./pool-worker.ts", import.meta.url))
  const dir = mkdtempSync(join(tmpdir(), "scale-pool-"))
  await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const world = yield* World.make({ users: n + 10 })
    const server = yield* IrcServer.make(world, {
      chatterRate: 0,
      limits: { joinWindowMs: joinWindowMs * factor, authWindowMs: joinWindowMs * factor }
    })
    const snapshot = yield* world.snapshot
    const logins = new Map(snapshot.users.map((u) => [u.id, u.login]))
    const channels = snapshot.channels.filter((c) => !c.suspended).map((c) =>
      logins.get(c.broadcasterId) ?? ""
    )
      .slice(0, n)
    const channelsFile = join(dir, "channels.txt")
    writeFileSync(channelsFile, channels.join("\n"))
    const lines = render(Chatter, snapshot.users, zipf(channels, total))
    const traffic = (go: () => void) =>
      Effect.runPromise(Effect.gen(function*() {
        go()
        const start = performance.now()
        for (const [channel, line] of lines) yield* server.control.sendRaw(line, { channel })
        return { expected: lines.length, millis: performance.now() - start }
      }))

    const passes = options.passes
    console.log(
      `${fmt(n)} channels, anonymous pool of ${channelsPerConnection} channels per connection, JOIN limit ` +
        `${joinsPerWindow} per ${joinWindowMs * factor} ms (Twitch's 10 s x ${factor}); ${
          fmt(total)
        } messages ` +
        `(Zipf over the channels); ${passes} pass(es)`
    )
    const results: Array<Pass> = []
    for (let pass = 1; pass <= passes; pass++) {
      const result = yield* Effect.promise(() => runPass(workerPath, server.tcpPort, channelsFile, traffic))
      results.push(result)
      const j = result.joined
      const d = result.done
      console.log(
        `  pass ${pass}: joined ${
          fmt(j.channels)
        } (${j.failed} failed) over ${j.connections} connections in ` +
          `${fmt(j.joinMs)} ms; ` +
          (d === undefined
            ? `FAILED: ${result.error}`
            : `${fmt(d.count)} messages in ${fmt(d.millis)} ms (mock generated them in ${
              fmt(result.generatedMs)
            } ms)`)
      )
      // let the server see the pool's connections closed before the next pass joins
      yield* Effect.sleep("500 millis")
    }
    const counters = yield* server.control.counters
    report(n, total, results, counters.violations)
  })))
  rmSync(dir, { recursive: true, force: true })
}

const report = (
  n: number,
  total: number,
  results: ReadonlyArray<Pass>,
  violations: Readonly<Record<string, number>>
) => {
  const windowMs = joinWindowMs * factor
  const windows = Math.ceil(n / joinsPerWindow)
  const floorMs = (windows - 1) * windowMs
  const complete = results.filter((r) => r.done !== undefined && r.joined.failed === 0)
  if (complete.length === 0) {
    console.log("\nno complete pass")
    return
  }
  const min = (f: (r: Pass) => number) => Math.min(...complete.map(f))
  const max = (f: (r: Pass) => number) => Math.max(...complete.map(f))
  const joinMs = min((r) => r.joined.joinMs)
  // Each window of JOINs ends a window after Twitch *answered* them (the limiter's safety margin):
  // the rest of a window's time is how long the server took to answer its 20 JOINs.
  const overheadMs = (joinMs - floorMs) / (windows - 1)
  const mockPerJoinMs = min((r) => r.mockJoinCpuMs) / n
  const first = complete[0].done!
  const mix = Object.entries(first.byKind).sort((a, b) => b[1] - a[1]).map(([k, v]) =>
    `${k} ${(v / first.count * 100).toFixed(1)}%`
  ).join(", ")
  const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`
  console.log("")
  console.log(table(["figure", "value"], [
    ["channels joined", `${fmt(n)} over ${complete[0].joined.connections} connections`],
    ["time until every channel is joined", `${fmt(joinMs)} ms`],
    ["least the JOIN limit allows", `${fmt(floorMs)} ms (${windows} windows of ${windowMs} ms)`],
    ["joined / least allowed", `${(joinMs / floorMs).toFixed(3)}x`],
    [
      "time per window beyond the window",
      `${overheadMs.toFixed(1)} ms (the window counts from the JOINs' answers)`
    ],
    ["the mock's CPU per JOIN (same cores)", `${mockPerJoinMs.toFixed(2)} ms`],
    [
      "the same at Twitch's limit (20 per 10 s)",
      `${minutes((windows - 1) * (joinWindowMs + overheadMs))} (least: ${
        minutes((windows - 1) * joinWindowMs)
      })`
    ],
    ["limit violations counted by the mock", String(Object.values(violations).reduce((a, b) => a + b, 0))],
    ["heap per channel (idle, after GC)", `${fmt(min((r) => r.joined.heapBytes) / n)} bytes`],
    ["RSS growth per channel (idle)", `${fmt(min((r) => r.joined.rssBytes) / n)} bytes`],
    ["messages handed over", `${fmt(first.count)} of ${fmt(total)} sent`],
    ["messages/s (wall, the mock on the same cores)", fmt(max((r) => r.done!.count / r.done!.millis * 1000))],
    ["the mock's own rate sending them", fmt(max((r) => total / r.generatedMs * 1000))],
    ["messages/CPU-s of the pool's process", fmt(max((r) => r.done!.count / r.done!.cpuMillis * 1000))],
    ["peak RSS growth (pool and reading)", `${min((r) => r.done!.peakRssMb).toFixed(1)} MB`],
    ["mix handed over", mix]
  ]))
}

/** The pool case, for `benchmark.ts`. */
export const poolCase: ScaleCase = {
  name: "pool",
  title: "one ChatPool reading 5,000 channels",
  run
}
