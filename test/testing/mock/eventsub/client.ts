/**
 * Raw clients of the mock's EventSub server for its tests: a `ws` WebSocket client that queues the
 * JSON messages and records the close, and fetch helpers for the subscription calls.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import { WebSocket } from "ws"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import { type Answer, helixHeaders, request } from "../http/client.js"

/** One EventSub WebSocket message. */
export interface Frame {
  readonly metadata: {
    readonly message_id: string
    readonly message_type: string
    readonly message_timestamp: string
    readonly subscription_type?: string
    readonly subscription_version?: string
  }
  readonly payload: {
    readonly session?: {
      readonly id: string
      readonly status: string
      readonly keepalive_timeout_seconds: number | null
      readonly reconnect_url: string | null
      readonly connected_at: string
    }
    readonly subscription?: {
      readonly id: string
      readonly status: string
      readonly type: string
      readonly version: string
      readonly condition: Record<string, string>
      readonly transport: Record<string, string>
    }
    readonly event?: Record<string, unknown>
    readonly events?: ReadonlyArray<Record<string, unknown>>
  }
}

export interface Closed {
  readonly code: number
  readonly reason: string
}

export interface WsClient {
  /** The next message (of a type, skipping others, when given). */
  readonly next: (type?: string) => Effect.Effect<Frame>
  /** Messages already received and not taken. */
  readonly pending: Effect.Effect<ReadonlyArray<Frame>>
  readonly closed: Effect.Effect<Closed>
  readonly send: (text: string) => void
  readonly close: () => void
  /** Pings received so far. */
  readonly pings: () => number
  readonly socket: WebSocket
}

/** Connects; `autoPong: false` makes a client that never answers pings. */
export const connect = (
  url: string,
  options: { readonly autoPong?: boolean } = {}
): Effect.Effect<WsClient, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const frames = yield* Queue.unbounded<Frame>()
    const closed = yield* Deferred.make<Closed>()
    let pings = 0
    const socket = yield* Effect.acquireRelease(
      Effect.async<WebSocket, Error>((resume) => {
        const ws = new WebSocket(url, { autoPong: options.autoPong ?? true })
        ws.on("message", (data) => Queue.unsafeOffer(frames, JSON.parse(String(data)) as Frame))
        ws.on("ping", () => {
          pings++
        })
        ws.on("close", (code, reason) =>
          Deferred.unsafeDone(closed, Effect.succeed({ code, reason: String(reason) })))
        ws.on("open", () =>
          resume(Effect.succeed(ws)))
        ws.on("error", (e) => resume(Effect.fail(e)))
      }),
      (ws) => Effect.sync(() => ws.terminate())
    )
    const next = (type?: string): Effect.Effect<Frame> =>
      Effect.flatMap(Queue.take(frames), (f) =>
        type === undefined || f.metadata.message_type === type ? Effect.succeed(f) : next(type))
    return {
      next,
      pending: Queue.takeAll(frames).pipe(Effect.map((c) =>
        Array.from(c)
      )),
      closed: Deferred.await(closed),
      send: (text) => socket.send(text),
      close: () => socket.close(1000),
      pings: () => pings,
      socket
    }
  })

/** Connects and takes the welcome; returns the client and its session id. */
export const session = (url: string, options: { readonly autoPong?: boolean } = {}) =>
  Effect.gen(function*() {
    const client = yield* connect(url, options)
    const welcome = yield* client.next()
    return { client, welcome, sessionId: welcome.payload.session?.id ?? "" }
  })

/** The body of a WebSocket subscription. */
export const wsBody = (
  type: string,
  version: string,
  condition: Record<string, string>,
  sessionId: string
) => ({
  type,
  version,
  condition,
  transport: { method: "websocket", session_id: sessionId }
})

/** Calls the subscription endpoint at `url` (Twitch's path by default). */
export const createAt = (
  url: string,
  token: string,
  body: unknown,
  clientId?: string
): Effect.Effect<Answer> =>
  request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...helixHeaders(token, clientId) },
    body: JSON.stringify(body)
  })

export const create = (
  mock: MockTwitch.MockTwitch.Service,
  token: string,
  body: unknown,
  clientId?: string
) => createAt(`${mock.http.helixUrl}/eventsub/subscriptions`, token, body, clientId)

export const list = (mock: MockTwitch.MockTwitch.Service, token: string, query = "") =>
  request(`${mock.http.helixUrl}/eventsub/subscriptions${query}`, { headers: helixHeaders(token) })

export const remove = (mock: MockTwitch.MockTwitch.Service, token: string, id: string) =>
  request(`${mock.http.helixUrl}/eventsub/subscriptions?id=${id}`, {
    method: "DELETE",
    headers: helixHeaders(token)
  })

/** A subscription to `channel.follow` v2 of the default user's channel as its moderator. */
export const followBody = (sessionId: string, broadcaster = "100000001") =>
  wsBody(
    "channel.follow",
    "2",
    { broadcaster_user_id: broadcaster, moderator_user_id: "100000001" },
    sessionId
  )

/** A mock without IRC, with EventSub options, for one test. */
export const mockLayer = (options: MockTwitch.Options = {}) => MockTwitch.layer({ irc: false, ...options })

export const { appToken, userToken } = MockTwitch.credentials

/** Calls a conduit operation (`/eventsub/conduits<path>`) with the app token. */
export const conduitCall = (
  mock: MockTwitch.MockTwitch.Service,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
  token: string = appToken,
  clientId?: string
): Effect.Effect<Answer> =>
  request(`${mock.http.helixUrl}/eventsub/conduits${path}`, {
    method,
    headers: { "content-type": "application/json", ...helixHeaders(token, clientId) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })

/** Creates a conduit of `shardCount` shards; its id. */
export const createConduit = (mock: MockTwitch.MockTwitch.Service, shardCount: number) =>
  Effect.map(
    conduitCall(mock, "POST", "", { shard_count: shardCount }),
    (answer) => answer.json<{ data: ReadonlyArray<{ id: string }> }>().data[0].id
  )

/** Assigns WebSocket sessions to shards (`[shard id, session id]` pairs). */
export const assignShards = (
  mock: MockTwitch.MockTwitch.Service,
  conduitId: string,
  shards: ReadonlyArray<readonly [string, string]>
) =>
  conduitCall(mock, "PATCH", "/shards", {
    conduit_id: conduitId,
    shards: shards.map(([id, sessionId]) => ({
      id,
      transport: { method: "websocket", session_id: sessionId }
    }))
  })

/** Subscribes a type to a conduit with the app token. */
export const subscribeConduit = (
  mock: MockTwitch.MockTwitch.Service,
  conduitId: string,
  type: string,
  version: string,
  condition: Record<string, string>
) =>
  create(mock, appToken, {
    type,
    version,
    condition,
    transport: { method: "conduit", conduit_id: conduitId }
  })

/** A request a loopback webhook callback received. */
export interface Captured<J> {
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
  readonly json: J
}

/** How a callback answers its `index`-th request. */
export type Respond<J> = (
  request: Captured<J>,
  index: number
) => { readonly status: number; readonly body: string }

/** A loopback webhook callback that answers with `respond` and queues what it received. */
export const callback = <J>(
  respond: Respond<J>
): Effect.Effect<{ readonly url: string; readonly next: Effect.Effect<Captured<J>> }, never, Scope.Scope> =>
  Effect.gen(function*() {
    const received = yield* Queue.unbounded<Captured<J>>()
    let index = 0
    const server = yield* Effect.acquireRelease(
      Effect.async<Http.Server>((resume) => {
        const s = Http.createServer((req, res) => {
          const chunks: Array<Buffer> = []
          req.on("data", (c: Buffer) => chunks.push(c))
          req.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8")
            const captured: Captured<J> = { headers: req.headers, body, json: JSON.parse(body) as J }
            const answer = respond(captured, index++)
            Queue.unsafeOffer(received, captured)
            res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body)
          })
        })
        s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
      }),
      (s) =>
        Effect.async<void>((resume) => {
          s.closeAllConnections()
          s.close(() => resume(Effect.void))
        })
    )
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    return { url: `http://127.0.0.1:${port}/eventsub`, next: Queue.take(received) }
  })
