/**
 * One case of the helix benchmark in its own process: `node worker.js <case> <port> <quick>`.
 * Calls Get Streams (`first=100`) on the loopback server one call after another and reports the
 * best and median wall time and process CPU time per call over several rounds.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { ApiClient } from "@twurple/api"
import { StaticAuthProvider } from "@twurple/auth"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Schema from "effect/Schema"
import { Agent, request } from "undici"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as HelixClient from "../../src/helix/HelixClient.js"
import { Stream as LiveStream } from "../../src/helix/Stream.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import { streamsPage } from "./page.js"

export interface CaseResult {
  readonly id: string
  readonly wallBest: number
  readonly wallMedian: number
  readonly cpuBest: number
  readonly cpuMedian: number
  readonly calls: number
  readonly items: number
}

export const CLIENT_ID = "benchclientid0123456789abcdefgh"
export const TOKEN = "benchaccesstoken0123456789abcd"

type Call = () => Promise<number>

const ours = async <A, I>(port: number, item: Schema.Schema<A, I>): Promise<Call> => {
  const runtime = ManagedRuntime.make(
    HelixClient.layer().pipe(
      Layer.provide(TwitchAuth.layerStatic(AccessToken.make(TOKEN, { kind: "user", userId: "1234" }))),
      Layer.provide(TwitchConfig.layer({ clientId: CLIENT_ID, helixUrl: `http://127.0.0.1:${port}/helix` })),
      Layer.provide(NodeHttpClient.layerUndici)
    )
  )
  const helix = await runtime.runPromise(HelixClient.HelixClient)
  const call = helix.page("/streams", item, { query: { first: 100 } })
  return () => runtime.runPromise(call).then((page) => page.data.length)
}

const makeCall = async (id: string, port: number): Promise<Call> => {
  switch (id) {
    case "bare": {
      const dispatcher = new Agent({ keepAliveTimeout: 60_000 })
      const url = `http://127.0.0.1:${port}/helix/streams?first=100`
      const headers = { "client-id": CLIENT_ID, authorization: `Bearer ${TOKEN}`, accept: "application/json" }
      return async () => {
        const response = await request(url, { dispatcher, headers })
        const page = JSON.parse(await response.body.text()) as { readonly data: ReadonlyArray<unknown> }
        return page.data.length
      }
    }
    case "ours":
      return ours(port, LiveStream)
    case "ours-unknown":
      return ours(port, Schema.Unknown)
    case "decode-only": {
      // The Schema decode of the page's 100 streams alone, on an already parsed body.
      const text = JSON.stringify(streamsPage(100))
      const decode = Schema.decodeUnknownSync(Schema.Struct({ data: Schema.Array(LiveStream) }))
      return () => Promise.resolve(decode(JSON.parse(text)).data.length)
    }
    case "twurple": {
      process.env["TWURPLE_MOCK_API_PORT"] = String(port)
      const api = new ApiClient({ authProvider: new StaticAuthProvider(CLIENT_ID, TOKEN) })
      return async () => (await api.streams.getStreams({ limit: 100 })).data.length
    }
    default:
      throw new Error(`unknown case ${id}`)
  }
}

const cpuMs = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

const run = async (id: string, port: number, quick: boolean): Promise<CaseResult> => {
  const call = await makeCall(id, port)
  let items = 0
  const warmEnd = performance.now() + (quick ? 500 : 3000)
  while (performance.now() < warmEnd) items += await call()
  const rounds = quick ? 2 : 5
  const minMs = quick ? 500 : 2000
  const walls: Array<number> = []
  const cpus: Array<number> = []
  let calls = 0
  for (let r = 0; r < rounds; r++) {
    let n = 0
    const start = performance.now()
    const cpuStart = cpuMs()
    do {
      items += await call()
      n++
    } while (performance.now() - start < minMs)
    walls.push((performance.now() - start) / n)
    cpus.push((cpuMs() - cpuStart) / n)
    calls += n
  }
  const sorted = (xs: Array<number>) => [...xs].sort((a, b) => a - b)
  return {
    id,
    wallBest: sorted(walls)[0],
    wallMedian: sorted(walls)[Math.floor(walls.length / 2)],
    cpuBest: sorted(cpus)[0],
    cpuMedian: sorted(cpus)[Math.floor(cpus.length / 2)],
    calls,
    items
  }
}

const [id, port, quick] = process.argv.slice(2)
if (id !== undefined && port !== undefined) {
  run(id, Number(port), quick === "1").then(
    (result) => {
      process.send?.(result)
      process.exit(0)
    },
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    }
  )
}
