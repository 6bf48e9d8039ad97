/**
 * One chat socket: TLS TCP (Twitch's default, `irc.chat.twitch.tv:6697`), WebSocket
 * (`wss://irc-ws.chat.twitch.tv:443`) or plain TCP (tests), as @effect/platform `Socket`s, with
 * line framing (one TCP read or WebSocket frame may hold several `\r\n`-separated lines, or part of
 * one) and read pausing for back-pressure.
 *
 * @since 0.1.0
 */
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import * as Socket from "@effect/platform/Socket"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Net from "node:net"
import * as Tls from "node:tls"

/**
 * Where and how to connect.
 *
 * @since 0.1.0
 * @category models
 */
export type Transport =
  | { readonly _tag: "Tcp"; readonly host: string; readonly port: number }
  | {
    readonly _tag: "Tls"
    readonly host: string
    readonly port: number
    /** Extra CA certificates to trust (PEM), e.g. the mock Twitch's self-signed one. */
    readonly ca?: string | ReadonlyArray<string> | undefined
    /** Default true. */
    readonly rejectUnauthorized?: boolean | undefined
  }
  | { readonly _tag: "WebSocket"; readonly url: string }

/**
 * Longest line kept while waiting for its end (1 MiB); a longer one is dropped and reported.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLineLength = 1 << 20

/**
 * An open socket speaking lines.
 *
 * @since 0.1.0
 * @category models
 */
export interface LineSocket {
  /**
   * Reads until the socket closes, handing each read's complete lines (without CR/LF) to `onLines`
   * synchronously and in order. Succeeds on a clean close, fails with the socket error otherwise.
   * `onOpen` runs once the socket is open.
   */
  readonly run: (
    onLines: (lines: Array<string>) => void,
    onOpen: Effect.Effect<void>
  ) => Effect.Effect<void, Socket.SocketError>
  /** Writes text as is (the caller adds `\r\n`); waits until the socket is open. */
  readonly write: (text: string) => Effect.Effect<void, Socket.SocketError>
  /** Stops reading (back-pressure): the kernel buffer fills and the server slows down. */
  readonly pause: () => void
  readonly resume: () => void
  /** Lines dropped because they exceeded {@link maxLineLength}. */
  readonly oversized: () => number
}

interface Pausable {
  pause(): unknown
  resume(): unknown
}

const openDuplex = (
  transport: Exclude<Transport, { _tag: "WebSocket" }>,
  onSocket: (s: Net.Socket) => void
) =>
  Effect.acquireRelease(
    Effect.async<Net.Socket, Socket.SocketError>((resume) => {
      const ready = transport._tag === "Tls" ? "secureConnect" : "connect"
      const socket: Net.Socket = transport._tag === "Tls"
        ? Tls.connect({
          host: transport.host,
          port: transport.port,
          servername: Net.isIP(transport.host) === 0 ? transport.host : undefined,
          ...(transport.ca === undefined ? {} : { ca: [transport.ca].flat() }),
          rejectUnauthorized: transport.rejectUnauthorized ?? true
        })
        : Net.createConnection({ host: transport.host, port: transport.port })
      const onError = (cause: Error) =>
        resume(Effect.fail(new Socket.SocketGenericError({ reason: "Open", cause })))
      socket.once("error", onError)
      socket.once(ready, () => {
        socket.off("error", onError)
        socket.setNoDelay(true)
        socket.setEncoding("utf8")
        onSocket(socket)
        resume(Effect.succeed(socket))
      })
      return Effect.sync(() => socket.destroy())
    }),
    (socket) => Effect.sync(() => socket.destroy())
  )

/**
 * Builds a socket for `transport`; nothing is opened until `run`. WebSockets use the
 * `Socket.WebSocketConstructor` in context, or the Node one (`ws`) when there is none.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (transport: Transport): Effect.Effect<LineSocket> =>
  Effect.gen(function*() {
    let pausable: Pausable | undefined
    let paused = false
    let oversized = 0
    let socket: Socket.Socket
    if (transport._tag === "WebSocket") {
      const ctor = yield* Effect.serviceOption(Socket.WebSocketConstructor)
      const construct = Option.isSome(ctor)
        ? Effect.succeed(ctor.value)
        : Effect.provide(Socket.WebSocketConstructor, NodeSocket.layerWebSocketConstructor)
      socket = yield* Socket.fromWebSocket(
        Effect.acquireRelease(
          Effect.map(construct, (f) => {
            const ws = f(transport.url)
            if ("pause" in ws && typeof ws.pause === "function") pausable = ws as unknown as Pausable
            return ws
          }),
          (ws) => Effect.sync(() => ws.close(1000))
        ),
        { openTimeout: "10 seconds" }
      )
    } else {
      socket = yield* NodeSocket.fromDuplex(
        openDuplex(transport, (s) => {
          pausable = s
        }),
        { openTimeout: "10 seconds" }
      )
    }
    const writer = yield* Effect.scoped(socket.writer)
    const frameIsLine = transport._tag === "WebSocket"

    const run = (onLines: (lines: Array<string>) => void, onOpen: Effect.Effect<void>) =>
      Effect.suspend(() => {
        let partial = ""
        const decoder = new TextDecoder()
        return socket.runRaw((data) => {
          let text = typeof data === "string" ? data : decoder.decode(data, { stream: true })
          if (partial.length > 0) {
            text = partial + text
            partial = ""
          }
          const lines: Array<string> = []
          let start = 0
          for (;;) {
            const nl = text.indexOf("\n", start)
            if (nl < 0) break
            let end = nl
            if (end > start && text.charCodeAt(end - 1) === 13) end--
            if (end > start) lines.push(text.slice(start, end))
            start = nl + 1
          }
          if (start < text.length) {
            const rest = start === 0 ? text : text.slice(start)
            if (frameIsLine) {
              // A WebSocket frame ends its last line even without CRLF.
              const trimmed = rest.charCodeAt(rest.length - 1) === 13 ? rest.slice(0, -1) : rest
              if (trimmed.length > 0) lines.push(trimmed)
            } else if (rest.length > maxLineLength) {
              oversized++
            } else {
              partial = rest
            }
          }
          if (lines.length > 0) onLines(lines)
        }, { onOpen })
      })

    return {
      run,
      write: (text) => writer(text),
      pause: () => {
        if (!paused && pausable !== undefined) {
          paused = true
          pausable.pause()
        }
      },
      resume: () => {
        if (paused && pausable !== undefined) {
          paused = false
          pausable.resume()
        }
      },
      oversized: () => oversized
    }
  })
