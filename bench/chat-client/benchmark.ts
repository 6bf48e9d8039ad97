/**
 * Chat client end to end: the mock Twitch IRC server pushes N PRIVMSG lines with full tags (and
 * then a sentinel message) as fast as loopback allows to one client joined to the channel. Each
 * client runs in its own Node process and consumes every chat message as a user's code would:
 * text, display name, color, badges, emotes and time, through its own API (`worker.ts`).
 *
 * Clients, all logged in anonymously (justinfan) and joined the same way:
 * - ours (`ChatClient` consuming its `Stream`, default buffer and overflow) over TCP and WebSocket,
 *   each drained twice over: with our `ChatClient.forEachChunk` (a `Stream.toPull` loop) and with
 *   Effect's usual `Stream.runForEachChunk`, the same handler and reads (`runForEachChunk`'s sink
 *   makes V8 promote the messages it hands over, see the README);
 * - tmi.js over WebSocket (the only transport it has);
 * - Twurple's `ChatClient` over WebSocket (its default) and over TCP. Twurple has no port option:
 *   over WebSocket its `ws` is given a socket to the mock's port (`connectionOptions.wsOptions.
 *   createConnection`); over TCP it connects to port 6667, so the mock binds 127.0.0.1:6667 (waiting
 *   for it to be free for a while; if it stays taken, the case is reported as not run).
 *
 * Fairness: every client must hand over all N + 1 messages. tmi.js emits a PRIVMSG with bits as
 * "cheer" and Twurple a `/me` PRIVMSG as `onAction`, not as their "message" events, so those
 * events are consumed too (without them, each lost ~5% of the blast). Twurple over TCP still
 * loses a line or two per 100k (see below): shown, and tolerated up to 0.1%; beyond that a run is
 * flagged and left out of the ratios. Rates count all N + 1 messages for every client.
 *
 * Reported, best of the interleaved passes (at least 3): messages per second of wall time from "go" to the
 * sentinel, messages per CPU-second of the client process, and its smallest peak RSS and heap
 * growth over the passes. Our code runs compiled to ES2022 like `npm run build` emits it.
 *
 * Then the EventSub case (`eventsub.ts`): the same `ChatClient` over EventSub against Twurple's
 * `EventSubWsListener`, both reading the whole mock Twitch's EventSub WebSocket.
 */
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { compileForNode } from "../lib/compile.js"
import { type Benchmark, fmt, type RunOptions, table } from "../lib/harness.js"
import { columns, logPass, runCase } from "./cases.js"
import * as EventSub from "./eventsub.js"
import { type Kind, SENTINEL, type WorkerResult } from "./shared.js"

const kinds: ReadonlyArray<{ readonly kind: Kind; readonly label: string; readonly ours: boolean }> = [
  { kind: "ours-tcp-each", label: "effect-twitcher ChatClient, TCP, ChatClient.forEachChunk", ours: true },
  {
    kind: "ours-ws-each",
    label: "effect-twitcher ChatClient, WebSocket, ChatClient.forEachChunk",
    ours: true
  },
  { kind: "ours-tcp", label: "effect-twitcher ChatClient, TCP, Stream.runForEachChunk", ours: true },
  { kind: "ours-ws", label: "effect-twitcher ChatClient, WebSocket, Stream.runForEachChunk", ours: true },
  { kind: "tmi.js-ws", label: "tmi.js 1.8, WebSocket", ours: false },
  { kind: "twurple-ws", label: "Twurple 8.2 ChatClient, WebSocket", ours: false },
  { kind: "twurple-tcp", label: "Twurple 8.2 ChatClient, TCP (port 6667)", ours: false }
]

const TWURPLE_TCP_PORT = 6667

// BENCH_CHAT_KINDS="ours-tcp ours-ws" runs only those cases (for profiling; not for publishing)
const onlyKinds = (process.env["BENCH_CHAT_KINDS"] ?? "").split(" ").filter((k) => k.length > 0)

const run = async (options: RunOptions): Promise<void> => {
  const workerPath = compileForNode(new URL("./worker.ts", import.meta.url))
  if (onlyKinds.length === 0 || kinds.some((k) => onlyKinds.includes(k.kind))) {
    await runIrc(options, workerPath)
  }
  await EventSub.run(options, workerPath, onlyKinds)
}

/** The IRC cases: ours over TCP and WebSocket, tmi.js, Twurple. */
const runIrc = async (options: RunOptions, workerPath: string): Promise<void> => {
  const IrcServer = await import("../../src/testing/mock/IrcServer.js")
  const World = await import("../../src/testing/mock/World.js")
  const n = options.quick ? 20_000 : 200_000
  const expected = n + 1
  // end-to-end runs vary more than the parse rounds: at least 3 passes unless smoke-testing
  const passes = options.quick ? options.passes : Math.max(3, options.passes)
  await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
    const world = yield* World.make()
    // Twurple over TCP can only reach port 6667: wait up to ~15 s for it, then go without it
    let portNote: string | undefined
    const server = yield* IrcServer.make(world, { chatterRate: 0, tcpPort: TWURPLE_TCP_PORT }).pipe(
      Effect.retry({ times: 15, schedule: Schedule.spaced("1 second") }),
      Effect.tapError((e) =>
        Effect.sync(() => {
          portNote = `127.0.0.1:${TWURPLE_TCP_PORT} stayed taken for 15 s (${e.message})`
          console.log(`${portNote}: Twurple over TCP will not run`)
        })
      ),
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
    const runnable = kinds.filter((k) =>
      (k.kind !== "twurple-tcp" || server.tcpPort === TWURPLE_TCP_PORT) &&
      (onlyKinds.length === 0 || onlyKinds.includes(k.kind))
    )
    const results = new Map<Kind, Array<WorkerResult>>()
    const errors = new Map<Kind, Array<string>>()
    console.log(
      `${fmt(n)} PRIVMSG lines with full tags + 1 sentinel, ${passes} interleaved pass(es), ` +
        `each client in its own process`
    )
    for (let pass = 1; pass <= passes; pass++) {
      for (const { kind } of runnable) {
        const port = kind.includes("-ws") ? server.wsPort : server.tcpPort
        const outcome = yield* Effect.promise(() => runCase(workerPath, kind, port, channel, blast))
        logPass(pass, kind, outcome, 12)
        if (outcome.result !== undefined) {
          results.set(kind, [...(results.get(kind) ?? []), outcome.result])
        } else {
          errors.set(kind, [...(errors.get(kind) ?? []), outcome.error ?? "no result"])
        }
        // let the server notice the closed connection before the next client joins
        yield* Effect.sleep("200 millis")
      }
    }

    // A run counts when the client handed over (nearly) every message: Twurple over TCP loses a
    // line now and then (its reader splits received text on "\r\n" per read, so a read ending
    // between CR and LF glues two lines into one). Rates credit every client with all the
    // messages blasted, whatever it lost.
    const complete = (kind: Kind) => (results.get(kind) ?? []).filter((r) => r.count >= expected * 0.999)
    const bestRate = (kind: Kind) => Math.max(0, ...complete(kind).map((r) => expected / r.millis * 1000))
    const bestCpuRate = (kind: Kind) =>
      Math.max(0, ...complete(kind).map((r) => expected / r.cpuMillis * 1000))
    const rows = kinds.map(({ kind, label, ours }) => {
      const name = ours ? `**${label}**` : label
      const all = results.get(kind) ?? []
      if (all.length === 0) {
        const why = kind === "twurple-tcp" && portNote !== undefined
          ? portNote
          : (errors.get(kind) ?? ["not run"]).join("; ")
        return [name, `not run: ${why}`, "—", "—", "—", "—"]
      }
      const delivered = Math.min(...all.map((r) => r.count))
      return [
        name,
        delivered === expected
          ? `${fmt(delivered)} (all)`
          : `${fmt(delivered)} of ${fmt(expected)}${delivered >= expected * 0.999 ? "" : " (MISSING)"}`,
        complete(kind).length > 0 ? fmt(bestRate(kind)) : "—",
        complete(kind).length > 0 ? fmt(bestCpuRate(kind)) : "—",
        Math.min(...all.map((r) => r.peakRssMb)).toFixed(1),
        Math.min(...all.map((r) => r.peakHeapMb)).toFixed(1)
      ]
    })
    console.log("")
    console.log(
      table(
        columns,
        rows
      )
    )
    const failures = [...errors].map(([kind, es]) => `${kind}: ${es.length} failed pass(es) (${es[0]})`)
    if (failures.length > 0) console.log(`\nfailed passes: ${failures.join("; ")}`)

    const verdicts: Array<Array<string>> = []
    const label = (kind: Kind) => kinds.find((k) => k.kind === kind)!.label
    const target = 2.5
    const peers: ReadonlyArray<Kind> = ["tmi.js-ws", "twurple-ws", "twurple-tcp"]
    const compare = (what: string, ours: ReadonlyArray<Kind>, against: ReadonlyArray<Kind>) => {
      const ourBest = ours.reduce((a, b) => (bestRate(b) > bestRate(a) ? b : a))
      const peer = against.filter((k) => bestRate(k) > 0).reduce<Kind | undefined>(
        (a, b) => (a === undefined || bestRate(b) > bestRate(a) ? b : a),
        undefined
      )
      if (peer === undefined || bestRate(ourBest) === 0) {
        verdicts.push([what, "—", "no complete run to compare", "", `≥ ${target}x`, "—"])
        return
      }
      const x = bestRate(ourBest) / bestRate(peer)
      const cpu = bestCpuRate(ourBest) / bestCpuRate(peer)
      verdicts.push([
        what,
        `${x.toFixed(2)}x`,
        `${cpu.toFixed(2)}x`,
        label(peer),
        `≥ ${target}x`,
        x >= target ? "met" : "MISSED"
      ])
    }
    compare(
      "best transport, ChatClient.forEachChunk: ours vs best peer",
      ["ours-tcp-each", "ours-ws-each"],
      peers
    )
    compare("best transport, Stream.runForEachChunk: ours vs best peer", ["ours-tcp", "ours-ws"], peers)
    compare("WebSocket, forEachChunk: ours vs best WebSocket peer", ["ours-ws-each"], [
      "tmi.js-ws",
      "twurple-ws"
    ])
    compare("TCP, forEachChunk: ours vs Twurple over TCP", ["ours-tcp-each"], ["twurple-tcp"])
    // Peak heap growth, smallest over the passes, against the lowest of the peers.
    const heap = (kind: Kind) => {
      const all = results.get(kind) ?? []
      return all.length === 0 ? undefined : Math.min(...all.map((r) => r.peakHeapMb))
    }
    const lowestPeer = peers.filter((k) => heap(k) !== undefined).reduce<Kind | undefined>(
      (a, b) => (a === undefined || heap(b)! < heap(a)! ? b : a),
      undefined
    )
    for (const kind of ["ours-tcp-each", "ours-ws-each", "ours-tcp", "ours-ws"] as const) {
      const ours = heap(kind)
      if (ours === undefined || lowestPeer === undefined) continue
      const x = ours / heap(lowestPeer)!
      verdicts.push([
        `peak heap growth: ${label(kind)} vs lowest peer`,
        `${x.toFixed(2)}x`,
        `${ours.toFixed(1)} vs ${heap(lowestPeer)!.toFixed(1)} MB`,
        label(lowestPeer),
        "≤ 1x",
        x <= 1 ? "met" : "MISSED"
      ])
    }
    console.log("")
    console.log(
      table(["ours vs peers", "ratio", "per CPU-s (heap: MB)", "peer", "target", "verdict"], verdicts)
    )
    console.log(
      "\nmessages/s: wall time from go to the sentinel (server and client share the machine); " +
        "messages/CPU-s: the client process's CPU time. Peak growth: smallest over the passes."
    )
  })))
}

/** The chat-client benchmark, for the registry. */
export const chatClientBenchmark: Benchmark = {
  name: "chat-client",
  description:
    "mock Twitch blasts chat to one client: ours (IRC over TCP, WS; EventSub) vs tmi.js vs Twurple",
  run
}
