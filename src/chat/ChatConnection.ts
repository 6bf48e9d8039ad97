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
        onSocket(socket)
        resume(Effect.succeed(socket))
      })
      return Effect.sync(() => socket.destroy())
    }),
    (socket) => Effect.sync(() => socket.destroy())
  )

const CR = 13
const LF = 10

/**
 * Line framing of received data. Bytes (TCP, TLS, binary WebSocket frames) are split on LF
 * before decoding, and each line is decoded on its own: a line is then a flat string of its own,
 * one byte per character unless it holds characters beyond Latin-1, and never a slice of the whole
 * read. (Decoding a 64 KiB read into one string, then slicing lines out of it, made every message
 * keep the read alive: two bytes per character as soon as one emoji was in it, and large enough
 * to be promoted to the old generation. The peak heap during a burst was mostly such reads.)
 * UTF-8 never has byte 10 inside a multi-byte character, so a character split across reads is
 * decoded whole. Text (WebSocket text frames, already decoded) is split on LF as is. A line longer
 * than {@link maxLineLength} is dropped up to its LF and reported through `onOversized`.
 *
 * @since 0.1.0
 * @category internal
 */
export const lineSplitter = (frameIsLine: boolean, onOversized: () => void) => {
  /** The start of a line whose end has not arrived yet (bytes). */
  let pending: Array<Buffer> = []
  let pendingBytes = 0
  /** Skipping the rest of an oversized line, up to its LF. */
  let skipping = false
  const toBuffer = (data: Uint8Array): Buffer =>
    Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const pushLine = (lines: Array<string>, buf: Buffer, start: number, end: number) => {
    if (end > start && buf[end - 1] === CR) end--
    if (end > start) lines.push(buf.toString("utf8", start, end))
  }
  const keep = (buf: Buffer, start: number) => {
    if (start >= buf.length) return
    pendingBytes += buf.length - start
    if (pendingBytes > maxLineLength) {
      onOversized()
      pending = []
      pendingBytes = 0
      skipping = true
      return
    }
    // copy: the socket may reuse its read buffer
    pending.push(Buffer.from(buf.subarray(start)))
  }
  const bytes = (data: Uint8Array): Array<string> => {
    const buf = toBuffer(data)
    const lines: Array<string> = []
    let start = 0
    if (skipping || pendingBytes > 0) {
      const nl = buf.indexOf(LF)
      if (nl < 0) {
        if (frameIsLine) {
          if (!skipping) {
            pending.push(buf)
            const joined = Buffer.concat(pending)
            pushLine(lines, joined, 0, joined.length)
          }
          pending = []
          pendingBytes = 0
          skipping = false
        } else if (!skipping) keep(buf, 0)
        return lines
      }
      if (!skipping) {
        pending.push(buf.subarray(0, nl))
        const joined = Buffer.concat(pending)
        pushLine(lines, joined, 0, joined.length)
      }
      pending = []
      pendingBytes = 0
      skipping = false
      start = nl + 1
    }
    for (;;) {
      const nl = buf.indexOf(LF, start)
      if (nl < 0) break
      pushLine(lines, buf, start, nl)
      start = nl + 1
    }
    if (start < buf.length) {
      // A WebSocket frame ends its last line even without CRLF.
      if (frameIsLine) pushLine(lines, buf, start, buf.length)
      else keep(buf, start)
    }
    return lines
  }
  const text = (data: string): Array<string> => {
    // text from a stream transport (not one of ours) joins the bytes of a pending line
    if (!frameIsLine) return bytes(Buffer.from(data, "utf8"))
    const lines: Array<string> = []
    let start = 0
    for (;;) {
      const nl = data.indexOf("\n", start)
      if (nl < 0) break
      let end = nl
      if (end > start && data.charCodeAt(end - 1) === CR) end--
      if (end > start) lines.push(data.slice(start, end))
      start = nl + 1
    }
    // A WebSocket frame ends its last line even without CRLF.
    const end = data.charCodeAt(data.length - 1) === CR ? data.length - 1 : data.length
    if (end > start) lines.push(data.slice(start, end))
    return lines
  }
  return { bytes, text }
}

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
        const splitter = lineSplitter(frameIsLine, () => {
          oversized++
        })
        return socket.runRaw((data) => {
          const lines = typeof data === "string" ? splitter.text(data) : splitter.bytes(data)
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
