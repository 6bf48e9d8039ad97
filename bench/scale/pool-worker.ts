/**
 * Child process of the pool case: one anonymous `ChatPool` (default options but the limits, shrunk
 * by `factor` like the mock's) joins every channel listed in `channelsFile`, reports how long that
 * took and its memory, then on "go" reads every message as a user's code would until it has seen
 * as many as the parent says it sent.
 *
 * Usage (spawned by `pool.ts`): pool-worker.js <port> <factor> <channelsFile> <channelsPerConnection>
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { readFileSync } from "node:fs"
import * as ChatRateLimits from "../../src/chat/ChatRateLimits.js"
import * as ChatPool from "../../src/chat/pool/ChatPool.js"
import type { TwitchMessage } from "../../src/chat/TwitchMessage.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import type { Done, Expect, Go, Joined } from "./pool-shared.js"

const [portArg, factorArg, channelsFile, perConnectionArg] = process.argv.slice(2)
const channels = readFileSync(channelsFile, "utf8").split("\n").filter((c) => c.length > 0)

const gc = () => {
  for (let i = 0; i < 4; i++) globalThis.gc?.()
}
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

const len = (s: string) => s.length

/** What the parent's traffic consists of (a server PING, say, is not counted). */
const counted = new Set(["Privmsg", "UserNotice", "ClearChat", "ClearMsg", "RoomState"])

/** What a logger or an analytics tool reads of each message. */
const read = (m: TwitchMessage): number => {
  switch (m._tag) {
    case "Privmsg": {
      let n = len(m.text) + len(m.displayName) + m.badges.size + len(m.channel)
      for (const e of m.emotes) n += len(e.id) + e.utf16Start
      if (m.color._tag === "Some") n += len(m.color.value)
      if (m.sentAt._tag === "Some") n += m.sentAt.value.getTime() & 1
      return n
    }
    case "UserNotice":
      return len(m.kind) + len(m.systemMessage) + len(m.channel) + m.msgParams.size
    case "ClearChat":
    case "ClearMsg":
      return len(m.channel) + 1
    default:
      return 1
  }
}

const program = Effect.gen(function*() {
  gc()
  const base = process.memoryUsage()
  const go = yield* Deferred.make<void>()
  const expected = yield* Deferred.make<number>()
  const finished = yield* Deferred.make<Done>()
  process.on("message", (message: Go | Expect) => {
    if ("go" in message) Deferred.unsafeDone(go, Effect.void)
    else Deferred.unsafeDone(expected, Effect.succeed(message.expect))
  })

  const pool = yield* ChatPool.make({
    anonymous: true,
    transport: "tcp",
    limits: ChatRateLimits.scaled(ChatRateLimits.twitchLimits, Number(factorArg)),
    channelsPerConnection: Number(perConnectionArg)
  })

  // Counting starts at "go"; it ends at the expected count (known once the parent's traffic is out).
  let counting = false
  let count = 0
  let touched = 0
  let target = Number.POSITIVE_INFINITY
  let goAt = 0
  let goCpu = 0
  let peakRss = 0
  let peakHeap = 0
  const byKind: Record<string, number> = {}
  const sample = () => {
    const m = process.memoryUsage()
    peakRss = Math.max(peakRss, m.rss)
    peakHeap = Math.max(peakHeap, m.heapUsed)
  }
  const finish = () => {
    sample()
    Deferred.unsafeDone(
      finished,
      Effect.succeed<Done>({
        phase: "done",
        count,
        millis: performance.now() - goAt,
        cpuMillis: cpuMs() - goCpu,
        peakRssMb: (peakRss - base.rss) / 2 ** 20,
        peakHeapMb: (peakHeap - base.heapUsed) / 2 ** 20,
        byKind,
        touched
      })
    )
  }
  yield* pool.messages.pipe(
    Stream.runForEachChunk((chunk) =>
      Effect.sync(() => {
        if (!counting) return
        for (const m of chunk) {
          if (!counted.has(m._tag)) continue
          byKind[m._tag] = (byKind[m._tag] ?? 0) + 1
          touched += read(m)
          count++
        }
        if (count >= target) finish()
      })
    ),
    Effect.forkScoped
  )

  const started = performance.now()
  // A channel that fails is counted below, not fatal: joinAll tries every one.
  const outcome = yield* Effect.either(pool.joinAll(channels))
  const joinMs = performance.now() - started
  const joined = (yield* pool.joined).length
  gc()
  const after = process.memoryUsage()
  const report: Joined = {
    phase: "joined",
    joinMs,
    channels: joined,
    failed: channels.length - joined,
    connections: (yield* pool.connections).length,
    heapBytes: after.heapUsed - base.heapUsed,
    rssBytes: after.rss - base.rss,
    firstError: outcome._tag === "Left" ? outcome.left.message : undefined
  }
  process.send?.(report)

  yield* Deferred.await(go)
  goAt = performance.now()
  goCpu = cpuMs()
  counting = true
  sample()
  const timer = setInterval(sample, 50)
  target = yield* Deferred.await(expected)
  if (count >= target) finish()
  const done = yield* Deferred.await(finished)
  clearInterval(timer)
  yield* Effect.async<void>((resume) => {
    process.send?.(done, () => resume(Effect.void))
  })
})

Effect.runPromise(
  Effect.scoped(program).pipe(
    Effect.provide(TwitchConfig.layer({
      clientId: "bench",
      ircHost: "127.0.0.1",
      ircPort: Number(portArg),
      ircTls: false
    }))
  )
).then(() => process.exit(0), (error: unknown) => {
  console.error(error)
  process.exit(1)
})
