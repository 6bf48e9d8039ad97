/**
 * Chat client end to end: the mock Twitch IRC server pushes N PRIVMSG lines with full tags as fast
 * as loopback allows to one client joined to the channel; the client runs in its own Node process
 * and counts the messages it delivers (reading display name and text of each). Reported: messages
 * per second from "go" to the Nth message, and the client process's peak RSS and heap growth.
 *
 * Clients: ours over TCP and over WebSocket, tmi.js (WebSocket only), Twurple's ChatClient (TCP;
 * Twurple has no port option, so the mock's TCP listener binds 127.0.0.1:6667 for it). All log in
 * anonymously (justinfan) the same way.
 *
 * Run alone: `npm run bench -- chat-client [--quick]`. This file is also the child process
 * (`--worker`).
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { Benchmark, RunOptions } from "./lib/harness.js"

type Kind = "ours-tcp" | "ours-ws" | "tmi.js-ws" | "twurple-tcp"

interface Result {
  readonly kind: Kind
  readonly count: number
  readonly millis: number
  readonly peakRssMb: number
  readonly peakHeapMb: number
  readonly error?: string
}

const CHANNEL_ARG = 3
/** Posted after the blast: the client stops counting when it sees it (peers skip some lines). */
const SENTINEL = "bench-end-sentinel"

// ------------------------------------------------------------------ child
const worker = async (kind: Kind, host: string, port: number, channel: string) => {
  let count = 0
  let touched = 0
  let goAt = 0
  let finished = false
  let baseRss = 0
  let baseHeap = 0
  let peakRss = 0
  let peakHeap = 0
  const sample = () => {
    const m = process.memoryUsage()
    if (m.rss > peakRss) peakRss = m.rss
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed
  }
  const timer = setInterval(sample, 5)
  let stop: () => Promise<void> = async () => {}
  const onMessage = (displayName: string, text: string) => {
    touched += displayName.length + text.length
    count++
    if (text === SENTINEL && !finished) {
      finished = true
      const millis = performance.now() - goAt
      sample()
      clearInterval(timer)
      const result: Result = {
        kind,
        count,
        millis,
        peakRssMb: (peakRss - baseRss) / 2 ** 20,
        peakHeapMb: (peakHeap - baseHeap) / 2 ** 20
      }
      process.send?.(result, () => {
        void stop().finally(() => process.exit(touched > 0 ? 0 : 1))
      })
    }
  }
  const ready = () => {
    globalThis.gc?.()
    const m = process.memoryUsage()
    baseRss = peakRss = m.rss
    baseHeap = peakHeap = m.heapUsed
    process.once("message", () => {
      goAt = performance.now()
    })
    process.send?.({ ready: true })
  }

  if (kind === "ours-tcp" || kind === "ours-ws") {
    const ChatClient = await import("../src/chat/ChatClient.js")
    const TwitchConfig = await import("../src/TwitchConfig.js")
    const program = Effect.gen(function*() {
      const chat = yield* ChatClient.make({
        transport: kind === "ours-tcp" ? "tcp" : "websocket",
        host,
        port,
        webSocketUrl: `ws://${host}:${port}`,
        anonymous: true,
        bufferSize: 0
      })
      yield* chat.join(channel)
      const done = chat.channel(channel).pipe(
        Stream.runForEachChunk((chunk) =>
          Effect.sync(() => {
            for (const m of chunk) if (m._tag === "Privmsg") onMessage(m.displayName, m.text)
          })
        )
      )
      yield* Effect.sync(ready)
      yield* done
    })
    await Effect.runPromise(
      Effect.scoped(program).pipe(
        Effect.provide(TwitchConfig.layer({ clientId: "bench", ircHost: host, ircPort: port, ircTls: false }))
      )
    )
  } else if (kind === "tmi.js-ws") {
    const tmi = (await import("tmi.js")).default
    const client = new tmi.Client({
      connection: { server: host, port, secure: false, reconnect: false },
      channels: [channel],
      logger: { info: () => {}, warn: () => {}, error: () => {} }
    })
    client.on("message", (_channel, tags, message) => onMessage(tags["display-name"] ?? "", message))
    client.on("join", (_channel, _username, self) => {
      if (self) ready()
    })
    stop = async () => {
      await client.disconnect().catch(() => undefined)
    }
    await client.connect()
  } else {
    const { ChatClient } = await import("@twurple/chat")
    const client = new ChatClient({ channels: [channel], hostName: host, ssl: false, webSocket: false })
    client.onMessage((_channel, _user, text, msg) => onMessage(msg.userInfo.displayName, text))
    client.onJoin((_channel, user) => {
      if (user === client.irc.currentNick) ready()
    })
    stop = async () => {
      client.quit()
    }
    client.connect()
  }
}

// ------------------------------------------------------------------ parent
const runCase = (
  kind: Kind,
  host: string,
  port: number,
  channel: string,
  blast: () => Promise<void>
): Promise<Result> =>
  new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), ["--worker", kind, host, String(port), channel], {
      execArgv: ["--import", "tsx", "--expose-gc", "--max-old-space-size=4096"],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    let result: Result | undefined
    const fail = (error: string) => resolve({ kind, count: 0, millis: 0, peakRssMb: 0, peakHeapMb: 0, error })
    const timeout = setTimeout(() => {
      child.kill()
      fail("timed out")
    }, 60_000)
    child.on("message", (message: unknown) => {
      if (typeof message === "object" && message !== null && "ready" in message) {
        child.send("go")
        blast().catch((e) => fail(String(e)))
      } else {
        result = message as Result
      }
    })
    child.once("exit", (code) => {
      clearTimeout(timeout)
      if (result !== undefined) resolve(result)
      else fail(`exited with ${code}`)
    })
  })

const run = async (options: RunOptions) => {
  const IrcServer = await import("../src/testing/mock/IrcServer.js")
  const World = await import("../src/testing/mock/World.js")
  const n = options.quick ? 20_000 : 100_000
  await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const world = yield* World.make()
    const server = yield* IrcServer.make(world, { chatterRate: 0, tcpPort: 6667 }).pipe(
      Effect.orElse(() => IrcServer.make(world, { chatterRate: 0 }))
    )
    const channel = World.defaultUserLogin
    const blast = () =>
      Effect.runPromise(
        Effect.zipRight(
          server.control.blast(channel, n),
          server.control.postMessage({ channel, login: World.secondUserLogin, text: SENTINEL })
        ).pipe(Effect.asVoid)
      )
    const kinds: Array<Kind> = ["ours-tcp", "ours-ws", "tmi.js-ws"]
    if (server.tcpPort === 6667) kinds.push("twurple-tcp")
    else console.log("port 6667 is taken: Twurple (which cannot be given a port) is skipped")
    const best = new Map<Kind, Result>()
    for (let pass = 0; pass < options.passes; pass++) {
      for (const kind of kinds) {
        const port = kind.endsWith("-ws") ? server.wsPort : server.tcpPort
        const r = yield* Effect.promise(() => runCase(kind, "127.0.0.1", port, channel, blast))
        if (r.error !== undefined) console.log(`${kind}: ${r.error}`)
        const previous = best.get(kind)
        if (r.error === undefined && (previous === undefined || r.millis < previous.millis)) best.set(kind, r)
      }
    }
    console.log(`${n} PRIVMSG lines with full tags, best of ${options.passes} pass(es)\n`)
    console.log("| client | messages delivered | messages/s | peak RSS growth (MB) | peak heap growth (MB) |")
    console.log("|---|---:|---:|---:|---:|")
    const rate = (r: Result) => (r.count / r.millis) * 1000
    for (const kind of kinds) {
      const r = best.get(kind)
      if (r === undefined) console.log(`| ${kind} | failed | | |`)
      else {
        console.log(
          `| ${kind} | ${r.count} | ${Math.round(rate(r)).toLocaleString("en")} | ${
            r.peakRssMb.toFixed(1)
          } | ${r.peakHeapMb.toFixed(1)} |`
        )
      }
    }
    const ours = Math.max(
      ...["ours-tcp", "ours-ws"].map((k) => best.get(k as Kind)).map((r) => r ? rate(r) : 0)
    )
    const peers = ["tmi.js-ws", "twurple-tcp"].map((k) => best.get(k as Kind)).filter((r) => r !== undefined)
    const bestPeer = Math.max(0, ...peers.map(rate))
    if (bestPeer > 0) {
      console.log(`\nours (best transport) / best peer: ${(ours / bestPeer).toFixed(2)}x (target: 2x)`)
    }
  })))
}

/** The benchmark as registered in `bench/benchmarks.ts`. */
export const chatClientBenchmark: Benchmark = {
  name: "chat-client",
  description: "mock IRC server blasts PRIVMSGs to one client: ours (TCP, WS) vs tmi.js vs Twurple",
  run
}

if (process.argv[2] === "--worker") {
  const [kind, host, port, channel] = process.argv.slice(CHANNEL_ARG)
  void worker(kind as Kind, host, Number(port), channel)
}
