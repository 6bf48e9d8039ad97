/**
 * One case of the helix benchmark in its own process: `node worker.js <case> <port> <quick>`.
 * Calls Get Streams (`first=100`) on the loopback server one call after another, reads what a user
 * reads of every stream (through each library's own API), and reports the best and median wall
 * time and process CPU time per call over several rounds, with a checksum of what was read (the
 * same for every case, or the cases did not do the same work).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { ApiClient, type HelixStream } from "@twurple/api"
import { StaticAuthProvider } from "@twurple/auth"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { Agent, request } from "undici"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as Operations from "../../src/helix/generated/Operations.js"
import { StreamsApi } from "../../src/helix/generated/StreamsApi.js"
import * as Helix from "../../src/helix/Helix.js"
import { HelixClient } from "../../src/helix/HelixClient.js"
import type { LiveStream } from "../../src/helix/LiveStream.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import { streamsPage, type WireStream } from "./page.js"

export interface CaseResult {
  readonly id: string
  readonly wallBest: number
  readonly wallMedian: number
  readonly cpuBest: number
  readonly cpuMedian: number
  readonly calls: number
  /** Pages the server served per measured call (1 unless a case fetched more, or none without I/O). */
  readonly requestsPerCall: number
  /** What one call read, summed (lengths, counts, times): equal across cases doing the same work. */
  readonly checksum: number
}

export const CLIENT_ID = "benchclientid0123456789abcdefgh"
export const TOKEN = "benchaccesstoken0123456789abcd"

/** One call: the checksum of what was read. */
type Call = () => Promise<number>

/**
 * What a user reads of a stream, in the same order for every library: ids, login, display name,
 * game name, title, viewers, start time as a `Date`, language, tags, a thumbnail URL at a size.
 */
interface Read {
  readonly id: string
  readonly userId: string
  readonly login: string
  readonly name: string
  readonly game: string
  readonly title: string
  readonly viewers: number
  readonly started: Date
  readonly language: string
  readonly tags: ReadonlyArray<string>
  readonly thumbnail: string
}

const sum = (read: Read): number =>
  read.id.length + read.userId.length + read.login.length + read.name.length + read.game.length +
  read.title.length + read.viewers + read.started.getTime() / 1000 + read.language.length + read.tags.length +
  (read.tags[0]?.length ?? 0) + read.thumbnail.length

/** A bare user's reads: the parsed JSON as it is, the date parsed, the size filled in by hand. */
const readWire = (s: WireStream): number =>
  sum({
    id: s.id,
    userId: s.user_id,
    login: s.user_login,
    name: s.user_name,
    game: s.game_name,
    title: s.title,
    viewers: s.viewer_count,
    started: new Date(s.started_at),
    language: s.language,
    tags: s.tags ?? [],
    thumbnail: s.thumbnail_url.replace("{width}", "320").replace("{height}", "180")
  })

const readOurs = (s: LiveStream): number =>
  sum({
    id: s.id,
    userId: s.userId,
    login: s.userLogin,
    name: s.userName,
    game: Option.getOrElse(s.gameName, () => ""),
    title: s.title,
    viewers: s.viewerCount,
    started: s.startedAt,
    language: s.language,
    tags: s.tags,
    thumbnail: s.thumbnail(320, 180)
  })

const readTwurple = (s: HelixStream): number =>
  sum({
    id: s.id,
    userId: s.userId,
    login: s.userName,
    name: s.userDisplayName,
    game: s.gameName,
    title: s.title,
    viewers: s.viewers,
    started: s.startDate,
    language: s.language,
    tags: s.tags,
    thumbnail: s.getThumbnailUrl(320, 180)
  })

const total = <A>(items: Iterable<A>, read: (a: A) => number): number => {
  let n = 0
  for (const item of items) n += read(item)
  return n
}

const runtimeFor = (port: number) =>
  ManagedRuntime.make(
    Helix.layer().pipe(
      Layer.provide(TwitchAuth.layerStatic(AccessToken.make(TOKEN, { kind: "user", userId: "1234" }))),
      Layer.provide(TwitchConfig.layer({ clientId: CLIENT_ID, helixUrl: `http://127.0.0.1:${port}/helix` })),
      Layer.provide(NodeHttpClient.layerUndici)
    )
  )

const ours = async (id: string, port: number): Promise<Call> => {
  const runtime = runtimeFor(port)
  const [streams, helix] = await runtime.runPromise(Effect.all([StreamsApi, HelixClient]))
  switch (id) {
    case "ours": {
      // What a user writes for one page: the generated one-page method, 100 streams.
      const call = Effect.map(streams.listPage({ first: 100 }), (page) => total(page.data, readOurs))
      return () => runtime.runPromise(call)
    }
    case "ours-stream": {
      // What a user writes for "the first 100" as a Stream: the generated Stream method.
      const call = Effect.map(
        Stream.runCollect(Stream.take(streams.list({ first: 100 }), 100)),
        (chunk) => total(Chunk.toReadonlyArray(chunk), readOurs)
      )
      return () => runtime.runPromise(call)
    }
    default: {
      // The transport without the model decode: the wire objects as they are, read as bare does.
      const call = Effect.map(
        helix.page("/streams", Schema.Unknown, { query: { first: 100 } }),
        (page) => total(page.data as ReadonlyArray<WireStream>, readWire)
      )
      return () => runtime.runPromise(call)
    }
  }
}

const makeCall = async (id: string, port: number): Promise<Call> => {
  switch (id) {
    case "bare": {
      const dispatcher = new Agent({ keepAliveTimeout: 60_000 })
      const url = `http://127.0.0.1:${port}/helix/streams?first=100`
      const headers = { "client-id": CLIENT_ID, authorization: `Bearer ${TOKEN}`, accept: "application/json" }
      return async () => {
        const response = await request(url, { dispatcher, headers })
        const page = JSON.parse(await response.body.text()) as { readonly data: ReadonlyArray<WireStream> }
        return total(page.data, readWire)
      }
    }
    case "platform": {
      // The floor of any client on @effect/platform: its undici client, the text, JSON.parse.
      const runtime = ManagedRuntime.make(NodeHttpClient.layerUndici)
      const http = await runtime.runPromise(HttpClient.HttpClient)
      const get = HttpClientRequest.get(`http://127.0.0.1:${port}/helix/streams`).pipe(
        HttpClientRequest.setUrlParam("first", "100"),
        HttpClientRequest.setHeaders({ "client-id": CLIENT_ID, accept: "application/json" }),
        HttpClientRequest.bearerToken(TOKEN)
      )
      const call = Effect.flatMap(http.execute(get), (response) =>
        Effect.map(response.text, (text) => {
          const page = JSON.parse(text) as { readonly data: ReadonlyArray<WireStream> }
          return total(page.data, readWire)
        }))
      return () => runtime.runPromise(call)
    }
    case "ours":
    case "ours-stream":
    case "ours-unknown":
      return ours(id, port)
    case "decode-only": {
      // JSON.parse and the operation's fast decoder of the 100 streams, then the reads: no I/O.
      const text = JSON.stringify(streamsPage(100))
      const decode = Schema.decodeUnknownSync(Schema.Array(Operations.getStreams.item))
      return () => {
        const page = JSON.parse(text) as { readonly data: unknown }
        return Promise.resolve(total(decode(page.data), readOurs))
      }
    }
    case "parse-only": {
      // JSON.parse and the bare reads: no I/O.
      const text = JSON.stringify(streamsPage(100))
      return () => {
        const page = JSON.parse(text) as { readonly data: ReadonlyArray<WireStream> }
        return Promise.resolve(total(page.data, readWire))
      }
    }
    case "twurple": {
      process.env["TWURPLE_MOCK_API_PORT"] = String(port)
      const api = new ApiClient({ authProvider: new StaticAuthProvider(CLIENT_ID, TOKEN) })
      return async () => total((await api.streams.getStreams({ limit: 100 })).data, readTwurple)
    }
    default:
      throw new Error(`unknown case ${id}`)
  }
}

const cpuMs = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

/** How many pages the server has served so far. */
const served = async (port: number): Promise<number> => {
  const response = await request(`http://127.0.0.1:${port}/served`)
  return Number(await response.body.text())
}

const run = async (id: string, port: number, quick: boolean): Promise<CaseResult> => {
  const call = await makeCall(id, port)
  const checksum = await call()
  const check = (value: number) => {
    if (value !== checksum) throw new Error(`${id}: a call read ${value}, the first ${checksum}`)
  }
  const warmEnd = performance.now() + (quick ? 500 : 3000)
  while (performance.now() < warmEnd) check(await call())
  const rounds = quick ? 2 : 5
  const minMs = quick ? 500 : 2000
  const walls: Array<number> = []
  const cpus: Array<number> = []
  let calls = 0
  const servedBefore = await served(port)
  for (let r = 0; r < rounds; r++) {
    let n = 0
    const start = performance.now()
    const cpuStart = cpuMs()
    do {
      check(await call())
      n++
    } while (performance.now() - start < minMs)
    walls.push((performance.now() - start) / n)
    cpus.push((cpuMs() - cpuStart) / n)
    calls += n
  }
  const requestsPerCall = (await served(port) - servedBefore) / calls
  const sorted = (xs: Array<number>) => [...xs].sort((a, b) => a - b)
  return {
    id,
    wallBest: sorted(walls)[0],
    wallMedian: sorted(walls)[Math.floor(walls.length / 2)],
    cpuBest: sorted(cpus)[0],
    cpuMedian: sorted(cpus)[Math.floor(cpus.length / 2)],
    calls,
    requestsPerCall,
    checksum
  }
}

/**
 * Exploration: several cases in one process, interleaved in short rounds, best per case
 * (`AB="bare platform" node worker.js ab <port>`): the machine's noise hits all alike.
 */
const ab = async (ids: ReadonlyArray<string>, port: number) => {
  const calls = await Promise.all(ids.map((id) => makeCall(id, port)))
  const best = ids.map(() => ({ wall: Infinity, cpu: Infinity }))
  const end = performance.now() + Number(process.env["AB_MS"] ?? 20_000)
  for (let round = 0; performance.now() < end; round++) {
    for (let i = 0; i < ids.length; i++) {
      const start = performance.now()
      const cpu = cpuMs()
      let n = 0
      do {
        await calls[i]()
        n++
      } while (performance.now() - start < 150)
      if (round < 3) continue
      best[i].wall = Math.min(best[i].wall, (performance.now() - start) / n)
      best[i].cpu = Math.min(best[i].cpu, (cpuMs() - cpu) / n)
    }
  }
  ids.forEach((id, i) =>
    console.log(id.padEnd(18), "wall", best[i].wall.toFixed(3), "cpu", best[i].cpu.toFixed(3))
  )
  process.exit(0)
}

const [id, port, quick] = process.argv.slice(2)
if (id === "ab" && port !== undefined) ab((process.env["AB"] ?? "").split(" "), Number(port))
else if (id !== undefined && port !== undefined) {
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
