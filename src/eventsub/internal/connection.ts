/**
 * One EventSub WebSocket connection: reads text frames into messages, completes `welcome` with
 * the first `session_welcome`, `reconnect` with the URL of a `session_reconnect`, hands
 * notifications and revocations to `onMessage`, and ends (`ended`) when Twitch closes it (with its
 * close code), the socket fails, or it stays silent past the keepalive timeout (plus a grace).
 * Silence is not counted while the consumers hold the flow (the socket is paused then). The
 * socket comes from the `Socket.WebSocketConstructor` in context, or Node's (`ws`).
 */
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import * as Socket from "@effect/platform/Socket"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as CloseCode from "../CloseCode.js"
import type { ConnectionEvent } from "../EventSub.js"
import type { Session } from "../Notification.js"
import { fromFrame, type Inbound } from "./frames.js"
import type { Hub } from "./hub.js"

/** How a connection ended. */
export interface Ended {
  readonly reason: Extract<ConnectionEvent, { _tag: "Disconnected" }>["reason"]
  readonly code: Option.Option<number>
}

/** An open connection. */
export interface Connection {
  readonly welcome: Deferred.Deferred<Session>
  readonly reconnect: Deferred.Deferred<string>
  readonly ended: Deferred.Deferred<Ended>
}

/** What a connection needs. */
export interface ConnectionOptions {
  readonly hub: Hub
  readonly onMessage: (
    inbound: Extract<Inbound, { _tag: "Notification" | "Revocation" }>,
    now: number
  ) => void
  readonly onUnreadable: (detail: string) => void
  /** Silence allowed beyond the session's keepalive timeout before the connection counts as dead. */
  readonly silenceGrace: Duration.Duration
  /** The keepalive timeout until the welcome says otherwise. */
  readonly keepaliveTimeout: Duration.Duration
}

interface Pausable {
  pause(): unknown
  resume(): unknown
}

const isPausable = (ws: unknown): ws is Pausable =>
  typeof ws === "object" && ws !== null && "pause" in ws && typeof ws.pause === "function" &&
  "resume" in ws && typeof ws.resume === "function"

const endedOf = (error: Socket.SocketError): Ended =>
  Socket.SocketCloseError.is(error)
    ? {
      reason: error.code === 1000 ? "Closed" : CloseCode.reasonOf(error.code),
      code: Option.some(error.code)
    }
    : { reason: "SocketError", code: Option.none() }

/** Opens a connection to `url` for the life of the scope (closing it closes the socket). */
export const open = (
  url: string,
  options: ConnectionOptions
): Effect.Effect<Connection, never, Scope.Scope> =>
  Effect.gen(function*() {
    const clock = yield* Effect.clock
    const welcome = yield* Deferred.make<Session>()
    const reconnect = yield* Deferred.make<string>()
    const ended = yield* Deferred.make<Ended>()
    const ctor = yield* Effect.serviceOption(Socket.WebSocketConstructor)
    const construct = Option.isSome(ctor)
      ? Effect.succeed(ctor.value)
      : Effect.provide(Socket.WebSocketConstructor, NodeSocket.layerWebSocketConstructor)
    let pausable: Pausable | undefined
    const socket = yield* Socket.fromWebSocket(
      Effect.acquireRelease(
        Effect.map(construct, (make) => {
          const ws = make(url)
          if (isPausable(ws)) pausable = ws
          return ws
        }),
        (ws) => Effect.sync(() => ws.close(1000))
      ),
      { closeCodeIsError: () => true, openTimeout: "10 seconds" }
    )
    let lastSeen = clock.unsafeCurrentTimeMillis()
    let timeout = options.keepaliveTimeout
    const stopListening = options.hub.onFlow((flowing) => {
      lastSeen = clock.unsafeCurrentTimeMillis()
      if (pausable === undefined) return
      if (flowing) pausable.resume()
      else pausable.pause()
    })
    yield* Effect.addFinalizer(() => Effect.sync(stopListening))
    const decoder = new TextDecoder()

    const onFrame = (data: string | Uint8Array) => {
      const now = clock.unsafeCurrentTimeMillis()
      lastSeen = now
      const inbound = fromFrame(typeof data === "string" ? data : decoder.decode(data))
      switch (inbound._tag) {
        case "Unreadable":
          return options.onUnreadable(inbound.detail)
        case "Welcome":
          Option.map(inbound.session.keepaliveTimeoutSeconds, (s) => {
            timeout = Duration.seconds(s)
          })
          Deferred.unsafeDone(welcome, Effect.succeed(inbound.session))
          return
        case "Keepalive":
          return
        case "Reconnect":
          Deferred.unsafeDone(
            reconnect,
            Effect.succeed(Option.getOrElse(inbound.session.reconnectUrl, () => ""))
          )
          return
        default:
          return options.onMessage(inbound, now)
      }
    }

    yield* socket.runRaw(onFrame).pipe(
      Effect.matchEffect({
        onFailure: (error) => Deferred.succeed(ended, endedOf(error)),
        onSuccess: () => Deferred.succeed(ended, { reason: "Closed", code: Option.none() })
      }),
      Effect.forkScoped
    )

    // The watchdog: silence past the keepalive timeout (plus the grace) while flowing ends it.
    yield* Effect.gen(function*() {
      for (;;) {
        const limit = Duration.toMillis(timeout) + Duration.toMillis(options.silenceGrace)
        const left = lastSeen + limit - clock.unsafeCurrentTimeMillis()
        if (left <= 0 && !options.hub.stalled()) {
          yield* Deferred.succeed(ended, { reason: "Silent", code: Option.none() })
          return
        }
        if (left <= 0) lastSeen = clock.unsafeCurrentTimeMillis()
        yield* Effect.sleep(Duration.millis(Math.max(left, 50)))
      }
    }).pipe(Effect.forkScoped)

    return { welcome, reconnect, ended }
  })
