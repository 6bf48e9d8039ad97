/**
 * One EventSub WebSocket connection from accept to close: `session_welcome` first (the keepalive
 * timeout from `keepalive_timeout_seconds`, clamped to 10-600 as Twitch does), keepalives after
 * that many seconds of silence, WebSocket pings (a ping unanswered by the next one closes with
 * 4002), 4003 when no subscription was created within the keepalive timeout of the welcome, 4001
 * on any message from the client (only pongs are allowed), and, for a connection to a reconnect
 * URL, the old session's subscriptions and conduit shards moved to the new one after its welcome
 * (4007 when the URL is unknown or used). A session assigned to a conduit shard counts as used.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Ref from "effect/Ref"
import type * as Stream from "node:stream"
import { WebSocket } from "ws"
import * as ConduitStore from "./ConduitStore.js"
import * as Facts from "./Facts.js"
import * as Sessions from "./Sessions.js"
import {
  count,
  countClose,
  type Env,
  modifyConduits,
  type Session,
  type SocketHandle,
  updateSubscriptions
} from "./State.js"
import * as Subscriptions from "./Subscriptions.js"
import * as Time from "./Time.js"
import * as Wire from "./Wire.js"

type Inbound = { readonly _tag: "Data" } | { readonly _tag: "Pong" } | { readonly _tag: "Closed" }

/**
 * Where a connection came in: its query and its URL without the query.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly query: URLSearchParams
  /** `ws://<host><path>`. */
  readonly url: string
  /** The upgraded TCP socket under the WebSocket (corked for bursts). */
  readonly socket?: Stream.Duplex | undefined
}

/**
 * The keepalive timeout a URL asks for: its integer `keepalive_timeout_seconds` clamped to 10-600,
 * else the default.
 *
 * @since 0.1.0
 * @category websocket
 */
export const keepaliveOf = (query: URLSearchParams, fallback: number): number => {
  const { keepaliveTimeoutSecondsMax: max, keepaliveTimeoutSecondsMin: min } = Facts.websocketLimits
  const raw = query.get("keepalive_timeout_seconds")
  const n = raw === null || raw.trim() === "" ? Number.NaN : Number(raw)
  return Number.isFinite(n)
    ? Math.min(max, Math.max(min, Math.trunc(n)))
    : Math.min(max, Math.max(min, fallback))
}

const handleOf = (ws: WebSocket, raw: Stream.Duplex | undefined): SocketHandle => ({
  send: (text) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(text)
  },
  sendFlushed: (text) =>
    Effect.async<void>((resume) => {
      if (ws.readyState !== WebSocket.OPEN) return resume(Effect.void)
      ws.send(text, () => resume(Effect.void))
    }),
  close: (code, reason) => ws.close(code, reason),
  ping: () => {
    if (ws.readyState === WebSocket.OPEN) ws.ping()
  },
  terminate: () => ws.terminate(),
  batch: raw === undefined ? undefined : (sends) => {
    raw.cork()
    try {
      sends()
    } finally {
      raw.uncork()
    }
  }
})

const listen = (ws: WebSocket) =>
  Effect.tap(Queue.unbounded<Inbound>(), (inbound) =>
    Effect.sync(() => {
      ws.on("message", () => Queue.unsafeOffer(inbound, { _tag: "Data" }))
      ws.on("pong", () => Queue.unsafeOffer(inbound, { _tag: "Pong" }))
      ws.on("close", () => Queue.unsafeOffer(inbound, { _tag: "Closed" }))
      ws.on("error", () => ws.terminate())
    }))

/** The session a reconnect token stands for, if the token is known and the session still open. */
const takeReconnect = (env: Env, token: string) =>
  Effect.flatMap(
    Ref.modify(env.state.reconnects, (m) => {
      const next = new Map(m)
      next.delete(token)
      return [m.get(token), next] as const
    }),
    (id) => (id === undefined ? Effect.succeed(Option.none<Session>()) : Sessions.find(env, id))
  )

const keepaliveLoop = (env: Env, session: Session) =>
  Effect.gen(function*() {
    while (true) {
      const live = yield* Ref.get(session.live)
      if (live.closed) return
      const now = yield* Clock.currentTimeMillis
      const due = live.lastSentAt + session.keepaliveSeconds * 1000
      if (now < due) {
        yield* Effect.sleep(due - now)
      } else if (live.keepalives) {
        yield* Sessions.send(session, Wire.keepalive(yield* env.ids.uuid, yield* Time.now))
        yield* count(env, "keepalives")
      } else {
        yield* Ref.update(session.live, (l) => ({ ...l, lastSentAt: now }))
      }
    }
  })

const pingLoop = (env: Env, session: Session) =>
  Effect.gen(function*() {
    while (true) {
      yield* Effect.sleep(env.settings.pingIntervalMs)
      const live = yield* Ref.getAndUpdate(session.live, (l) => ({ ...l, awaitingPong: true }))
      if (live.closed) return
      if (live.awaitingPong) return yield* Sessions.close(env, session, 4002)
      session.socket.ping()
    }
  })

const unusedCheck = (env: Env, session: Session) =>
  Effect.gen(function*() {
    yield* Effect.sleep(session.keepaliveSeconds * 1000)
    const live = yield* Ref.get(session.live)
    if (!live.used) yield* Sessions.close(env, session, 4003)
  })

const readLoop = (env: Env, session: Session, inbound: Queue.Queue<Inbound>) =>
  Effect.gen(function*() {
    while (true) {
      const event = yield* Queue.take(inbound)
      switch (event._tag) {
        case "Closed":
          return
        case "Pong":
          yield* Ref.update(session.live, (l) => ({ ...l, awaitingPong: false }))
          break
        case "Data":
          yield* Sessions.close(env, session, 4001)
          break
      }
    }
  })

/** Moves the replaced session's subscriptions and shards to its successor (after the successor's welcome). */
const takeOver = (env: Env, previous: Session, session: Session) =>
  Effect.gen(function*() {
    yield* updateSubscriptions(env, (subs) =>
      Subscriptions.moveSession(subs, previous.id, session.id, session.connectedAt))
    const now = yield* Clock.currentTimeMillis
    yield* modifyConduits(env, (all) => [
      undefined,
      ConduitStore.moveSession(all, previous.id, session.id, session.connectedAt, now)
    ])
    yield* Ref.update(previous.live, (l) => ({ ...l, used: true }))
  })

/**
 * Runs one accepted WebSocket until it closes.
 *
 * @since 0.1.0
 * @category websocket
 */
export const handle = (env: Env, ws: WebSocket, target: Target): Effect.Effect<void> =>
  Effect.scoped(Effect.gen(function*() {
    const inbound = yield* listen(ws)
    yield* count(env, "connections")
    const token = target.query.get("reconnect")
    const previous = token === null ? Option.none<Session>() : yield* takeReconnect(env, token)
    if (token !== null && Option.isNone(previous)) {
      yield* countClose(env, 4007)
      return ws.close(4007, Sessions.closeCodes[4007].reason)
    }
    const keepaliveSeconds = Option.match(previous, {
      onNone: () => keepaliveOf(target.query, env.settings.keepaliveSeconds),
      onSome: (p) => p.keepaliveSeconds
    })
    const session: Session = {
      id: yield* env.ids.session,
      socket: handleOf(ws, target.socket),
      url: target.url,
      connectedAt: yield* Time.now,
      keepaliveSeconds,
      live: yield* Ref.make({
        lastSentAt: yield* Clock.currentTimeMillis,
        keepalives: yield* Ref.get(env.state.keepalives),
        awaitingPong: false,
        used: Option.isSome(previous),
        closed: false
      }),
      reconnectToken: undefined
    }
    yield* Sessions.register(env, session)
    yield* Effect.addFinalizer(() => Sessions.finish(env, session, "websocket_disconnected"))
    yield* Sessions.send(
      session,
      Wire.welcome(yield* env.ids.uuid, yield* Time.now, {
        id: session.id,
        connectedAt: session.connectedAt,
        keepaliveSeconds
      })
    )
    yield* count(env, "welcomes")
    if (Option.isSome(previous)) yield* takeOver(env, previous.value, session)
    yield* Effect.forkScoped(keepaliveLoop(env, session))
    if (env.settings.pingIntervalMs > 0) yield* Effect.forkScoped(pingLoop(env, session))
    if (Option.isNone(previous)) yield* Effect.forkScoped(unusedCheck(env, session))
    yield* readLoop(env, session, inbound)
  }))
