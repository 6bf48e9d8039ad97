/**
 * Raw clients of the mock's EventSub server for its tests: a `ws` WebSocket client that queues the
 * JSON messages and records the close, and fetch helpers for the subscription calls.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
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
