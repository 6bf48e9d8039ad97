/**
 * How the chat client reaches a chat server: a value that opens one `@effect/platform` `Socket`
 * per connection, provided the way `Socket`s are (a layer, or an option of the client), so an app
 * or a test plugs in its own. TLS, WebSocket and plain TCP are ready-made.
 *
 * ```ts
 * // Twitch over WebSocket instead of TLS, for every chat client of the app
 * const transport = ChatTransport.layer(ChatTransport.webSocket({ url: "wss://irc-ws.chat.twitch.tv:443" }))
 * // or one of your own: whatever Socket (a proxy, an in-memory pair in a test...)
 * ChatClient.make({ transport: ChatTransport.fromSocket(mySocket, { address: "memory://test" }) })
 * ```
 *
 * @since 0.1.0
 */
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import * as Socket from "@effect/platform/Socket"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Net from "node:net"
import * as Tls from "node:tls"

/**
 * One opened transport: the socket of one connection, how its reads are framed, and, where the
 * transport can, a way to stop reading (back-pressure from slow consumers).
 *
 * - `framing: "stream"`: bytes (TCP, TLS) where a read may end inside a line.
 * - `framing: "frames"`: each read is a whole frame whose last line ends with it (WebSocket).
 *
 * @since 0.1.0
 * @category models
 */
export interface Connection {
  readonly socket: Socket.Socket
  readonly framing: "stream" | "frames"
  /** Stops reading until `resume` (the kernel buffer fills and the server slows down). */
  readonly pause?: (() => void) | undefined
  readonly resume?: (() => void) | undefined
}

/**
 * The transport service tag: the client uses the one in context unless its `transport` option
 * names one.
 *
 * @since 0.1.0
 * @category tags
 */
export class ChatTransport extends Context.Tag("effect-twitcher/ChatTransport")<
  ChatTransport,
  ChatTransport.Service
>() {}

/**
 * @since 0.1.0
 */
export declare namespace ChatTransport {
  /**
   * A transport. `connect` is run once per connection attempt, in that connection's scope; the
   * socket opens when the client runs it (`Socket.runRaw`), and the connection closes with the
   * scope.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Where it connects, for errors and spans (`tls://irc.chat.twitch.tv:6697`); never a secret. */
    readonly address: string
    readonly connect: Effect.Effect<Connection, never, Scope.Scope>
  }
}

/**
 * The longest a socket may take to open (TCP connect, TLS handshake or WebSocket upgrade) unless
 * a transport's `openTimeout` says otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const openTimeout: Duration.DurationInput = "10 seconds"

const duplex = (
  address: string,
  open: () => Net.Socket,
  readyEvent: "connect" | "secureConnect",
  timeout: Duration.DurationInput | undefined
): ChatTransport.Service => ({
  address,
  connect: Effect.gen(function*() {
    let current: Net.Socket | undefined
    // Interruptible (not an acquireRelease, whose acquire is not): the open timeout must be able
    // to stop a TLS handshake that never completes.
    const socket = yield* NodeSocket.fromDuplex(
      Effect.scopeWith((scope) => {
        let raw: Net.Socket | undefined
        return Effect.zipRight(
          Scope.addFinalizer(scope, Effect.sync(() => raw?.destroy())),
          Effect.async<Net.Socket, Socket.SocketError>((resume) => {
            const s = open()
            raw = s
            const onError = (cause: Error) =>
              resume(Effect.fail(new Socket.SocketGenericError({ reason: "Open", cause })))
            s.once("error", onError)
            s.once(readyEvent, () => {
              s.off("error", onError)
              // the platform socket adds its own listener once it runs; none may be missing before
              s.on("error", () => {})
              s.setNoDelay(true)
              current = s
              resume(Effect.succeed(s))
            })
            return Effect.sync(() => s.destroy())
          })
        )
      }),
      { openTimeout: timeout ?? openTimeout }
    )
    return {
      socket,
      framing: "stream" as const,
      pause: () => current?.pause(),
      resume: () => current?.resume()
    }
  })
})

/**
 * Plain TCP (IRC servers without TLS, the mock Twitch in tests; Twitch closed its plain port).
 *
 * @since 0.1.0
 * @category transports
 */
export const tcp = (options: {
  readonly host: string
  readonly port: number
  readonly openTimeout?: Duration.DurationInput | undefined
}): ChatTransport.Service =>
  duplex(
    `tcp://${options.host}:${options.port}`,
    () => Net.createConnection({ host: options.host, port: options.port }),
    "connect",
    options.openTimeout
  )

/**
 * TLS over TCP: Twitch's default (`irc.chat.twitch.tv:6697`). `ca` adds certificates to trust
 * (e.g. the mock Twitch's); `rejectUnauthorized: false` trusts any (tests only).
 *
 * @since 0.1.0
 * @category transports
 */
export const tls = (options: {
  readonly host: string
  readonly port: number
  readonly ca?: string | ReadonlyArray<string> | undefined
  readonly rejectUnauthorized?: boolean | undefined
  readonly openTimeout?: Duration.DurationInput | undefined
}): ChatTransport.Service =>
  duplex(
    `tls://${options.host}:${options.port}`,
    () =>
      Tls.connect({
        host: options.host,
        port: options.port,
        servername: Net.isIP(options.host) === 0 ? options.host : undefined,
        ...(options.ca === undefined ? {} : { ca: [options.ca].flat() }),
        rejectUnauthorized: options.rejectUnauthorized ?? true
      }),
    "secureConnect",
    options.openTimeout
  )

interface Pausable {
  pause(): unknown
  resume(): unknown
}

const isPausable = (u: unknown): u is Pausable =>
  typeof u === "object" && u !== null && "pause" in u && typeof u.pause === "function" &&
  "resume" in u && typeof u.resume === "function"

/**
 * WebSocket (`wss://irc-ws.chat.twitch.tv:443`), text frames. Uses the
 * `Socket.WebSocketConstructor` in context, or Node's (`ws`) when there is none.
 *
 * @since 0.1.0
 * @category transports
 */
export const webSocket = (options: {
  readonly url: string
  readonly openTimeout?: Duration.DurationInput | undefined
}): ChatTransport.Service => ({
  address: options.url,
  connect: Effect.gen(function*() {
    const given = yield* Effect.serviceOption(Socket.WebSocketConstructor)
    const construct = Option.isSome(given)
      ? Effect.succeed(given.value)
      : Effect.provide(Socket.WebSocketConstructor, NodeSocket.layerWebSocketConstructor)
    let current: Pausable | undefined
    const socket = yield* Socket.fromWebSocket(
      Effect.acquireRelease(
        Effect.map(construct, (make) => {
          const ws = make(options.url)
          current = isPausable(ws) ? ws : undefined
          return ws
        }),
        (ws) => Effect.sync(() => ws.close(1000))
      ),
      { openTimeout: options.openTimeout ?? openTimeout }
    )
    return {
      socket,
      framing: "frames" as const,
      pause: () => current?.pause(),
      resume: () => current?.resume()
    }
  })
})

/**
 * A transport over a `Socket` of your own. `socket` is run once per connection: give an
 * `Effect` that makes a fresh one when the same socket cannot be run twice (most can: a platform
 * `Socket` opens a new connection on each run). Without `pause`/`resume`, a stalled consumer
 * under `overflow: "backpressure"` makes the client buffer instead of stopping reads.
 *
 * @since 0.1.0
 * @category transports
 */
export const fromSocket = (
  socket: Socket.Socket | Effect.Effect<Socket.Socket, never, Scope.Scope>,
  options: {
    readonly address: string
    readonly framing?: "stream" | "frames" | undefined
    readonly pause?: (() => void) | undefined
    readonly resume?: (() => void) | undefined
  }
): ChatTransport.Service => ({
  address: options.address,
  connect: Effect.map(Socket.isSocket(socket) ? Effect.succeed(socket) : socket, (s) => ({
    socket: s,
    framing: options.framing ?? "stream",
    pause: options.pause,
    resume: options.resume
  }))
})

/**
 * A layer providing `transport` to every chat client built in its scope.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (transport: ChatTransport.Service): Layer.Layer<ChatTransport> =>
  Layer.succeed(ChatTransport, transport)

const codes: Record<string, string> = {
  ECONNREFUSED: "connection refused (nothing listens there)",
  ENOTFOUND: "DNS lookup failed (no such host)",
  EAI_AGAIN: "DNS lookup failed (temporary: no answer from the resolver)",
  ECONNRESET: "connection reset by the peer",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EPIPE: "the peer closed the connection",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS: the server's certificate is self-signed and not trusted (pass `tlsCa`)",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS: a self-signed certificate in the chain is not trusted (pass `tlsCa`)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS: the server's certificate cannot be verified (pass `tlsCa`)",
  CERT_HAS_EXPIRED: "TLS: the server's certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS: the certificate is not for this host name",
  EPROTO: "TLS handshake failed (is the port speaking TLS?)"
}

const field = (u: unknown, key: string): unknown =>
  typeof u === "object" && u !== null && key in u ? (u as Record<string, unknown>)[key] : undefined

const causeText = (cause: unknown): string => {
  // A WebSocket error event carries the Node error in `error`.
  const inner = field(cause, "error") ?? cause
  const code = field(inner, "code")
  const message = field(inner, "message")
  const known = typeof code === "string" ? codes[code] : undefined
  const text = typeof message === "string" && message.length > 0 ? message : String(inner)
  if (known !== undefined) return `${known}: ${text}`
  return typeof code === "string" && !text.includes(code) ? `${text} (${code})` : text
}

/**
 * What failed and where, from a socket error: `tls://host:6697: could not connect: TLS: the
 * server's certificate is self-signed ...`, `... DNS lookup failed ...`, `... connection refused`.
 *
 * @since 0.1.0
 * @category utils
 */
export const describeError = (address: string, error: Socket.SocketError): string => {
  if (error.reason === "Close") {
    return `${address}: connection closed (code ${error.code}${
      error.closeReason ? `, ${error.closeReason}` : ""
    })`
  }
  const what = error.reason === "Open" || error.reason === "OpenTimeout"
    ? "could not connect"
    : error.reason === "Write"
    ? "write failed"
    : "read failed"
  const why =
    error.reason === "OpenTimeout" || (error.reason === "Open" && /timed out/i.test(causeText(error.cause)))
      ? "timed out (no TCP connection, TLS handshake or WebSocket upgrade in time)"
      : causeText(error.cause)
  return `${address}: ${what}: ${why}`
}
