/**
 * Loopback listeners for the mock IRC server: plain TCP, TLS and WebSocket, each a scoped Effect
 * that closes the listener and every connection it accepted when the scope closes. A connection is
 * reduced to a {@link RawConnection}: inbound text on a queue, outbound writes that report
 * back-pressure.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Net from "node:net"
import * as Tls from "node:tls"
import { WebSocket, WebSocketServer } from "ws"

/**
 * How a client reached the server.
 *
 * @since 0.1.0
 * @category models
 */
export type TransportKind = "tcp" | "tls" | "ws"

/**
 * Something the socket delivered: complete lines (one per element, without `\r\n`) or the end of the
 * connection.
 *
 * @since 0.1.0
 * @category models
 */
export type Inbound =
  | { readonly _tag: "Lines"; readonly lines: ReadonlyArray<string> }
  | { readonly _tag: "Closed" }

/**
 * One accepted connection.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawConnection {
  readonly kind: TransportKind
  readonly remote: string
  /** Lines received, then one `Closed`. */
  readonly inbound: Queue.Queue<Inbound>
  /** Writes text (whole lines with `\r\n`); `false` means wait for {@link RawConnection.drain}. */
  readonly write: (text: string) => boolean
  /** Completes when the socket's buffer drained (or the socket closed). */
  readonly drain: Effect.Effect<void>
  /** Ends the connection gracefully (after queued writes). */
  readonly end: () => void
  /** Drops the connection at once. */
  readonly destroy: () => void
  readonly isOpen: () => boolean
}

/**
 * Options of a listener.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListenOptions {
  /** Port on 127.0.0.1; 0 lets the OS choose. */
  readonly port: number
  readonly onConnection: (connection: RawConnection) => void
}

const MAX_PENDING = 1 << 20

/** Splits a TCP byte stream into lines, keeping an incomplete tail across reads. */
const lineSplitter = () => {
  let buffer = ""
  return (chunk: string): Array<string> => {
    buffer += chunk
    const lines: Array<string> = []
    let start = 0
    let nl: number
    while ((nl = buffer.indexOf("\n", start)) !== -1) {
      const end = nl > start && buffer.charCodeAt(nl - 1) === 13 ? nl - 1 : nl
      if (end > start) lines.push(buffer.slice(start, end))
      start = nl + 1
    }
    buffer = start === 0 ? buffer : buffer.slice(start)
    // A "line" this long without a newline is garbage: drop it rather than grow without bound.
    if (buffer.length > MAX_PENDING) buffer = ""
    return lines
  }
}

/** Splits one WebSocket frame into lines (a frame holds whole lines; the last `\r\n` is optional). */
const frameLines = (frame: string): Array<string> => frame.split(/\r?\n/).filter((line) => line.length > 0)

const fromSocket = (socket: Net.Socket, kind: TransportKind): RawConnection => {
  const inbound = Effect.runSync(Queue.unbounded<Inbound>())
  const split = lineSplitter()
  let open = true
  socket.setEncoding("utf8")
  socket.setNoDelay(true)
  socket.on("data", (chunk: string) => {
    const lines = split(chunk)
    if (lines.length > 0) inbound.unsafeOffer({ _tag: "Lines", lines })
  })
  socket.on("error", () => socket.destroy())
  socket.on("close", () => {
    open = false
    inbound.unsafeOffer({ _tag: "Closed" })
  })
  return {
    kind,
    remote: `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? 0}`,
    inbound,
    write: (text) => (open ? socket.write(text) : true),
    drain: Effect.async<void>((resume) => {
      if (!open || !socket.writableNeedDrain) return resume(Effect.void)
      const done = () => {
        socket.off("drain", done)
        socket.off("close", done)
        resume(Effect.void)
      }
      socket.on("drain", done)
      socket.on("close", done)
      return Effect.sync(() => {
        socket.off("drain", done)
        socket.off("close", done)
      })
    }),
    end: () => {
      if (open) socket.end()
    },
    destroy: () => socket.destroy(),
    isOpen: () => open
  }
}

const WS_HIGH_WATER = 1 << 20

const fromWebSocket = (ws: WebSocket, remote: string): RawConnection => {
  const inbound = Effect.runSync(Queue.unbounded<Inbound>())
  let open = true
  let waiters: Array<() => void> = []
  const wake = () => {
    const current = waiters
    waiters = []
    for (const w of current) w()
  }
  ws.on("message", (data, isBinary) => {
    const text = isBinary || typeof data !== "string"
      ? Buffer.isBuffer(data)
        ? data.toString("utf8")
        : Array.isArray(data)
        ? Buffer.concat(data).toString("utf8")
        : Buffer.from(data).toString("utf8")
      : data
    const lines = frameLines(text)
    if (lines.length > 0) inbound.unsafeOffer({ _tag: "Lines", lines })
  })
  ws.on("error", () => ws.terminate())
  ws.on("close", () => {
    open = false
    wake()
    inbound.unsafeOffer({ _tag: "Closed" })
  })
  return {
    kind: "ws",
    remote,
    inbound,
    write: (text) => {
      if (!open || ws.readyState !== WebSocket.OPEN) return true
      ws.send(text, () => {
        if (ws.bufferedAmount < WS_HIGH_WATER) wake()
      })
      return ws.bufferedAmount < WS_HIGH_WATER
    },
    drain: Effect.async<void>((resume) => {
      if (!open || ws.bufferedAmount < WS_HIGH_WATER) return resume(Effect.void)
      const done = () => resume(Effect.void)
      waiters.push(done)
      return Effect.sync(() => {
        waiters = waiters.filter((w) => w !== done)
      })
    }),
    end: () => {
      if (open) ws.close(1000)
    },
    destroy: () => ws.terminate(),
    isOpen: () => open
  }
}

const listenServer = (
  server: Net.Server,
  port: number,
  sockets: Set<{ destroy: () => void }>
): Effect.Effect<number, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<number, Error>((resume) => {
      const onError = (error: Error) => resume(Effect.fail(error))
      server.once("error", onError)
      server.listen(port, "127.0.0.1", () => {
        server.off("error", onError)
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : port))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        for (const s of sockets) s.destroy()
        server.close(() => resume(Effect.void))
      })
  )

/**
 * Listens for plain TCP IRC on 127.0.0.1; succeeds with the bound port.
 *
 * @since 0.1.0
 * @category listeners
 */
export const listenTcp = (options: ListenOptions): Effect.Effect<number, Error, Scope.Scope> =>
  Effect.suspend(() => {
    const sockets = new Set<Net.Socket>()
    const server = Net.createServer((socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
      options.onConnection(fromSocket(socket, "tcp"))
    })
    return listenServer(server, options.port, sockets)
  })

/**
 * Listens for IRC over TLS on 127.0.0.1 with the given certificate; succeeds with the bound port.
 *
 * @since 0.1.0
 * @category listeners
 */
export const listenTls = (
  options: ListenOptions & { readonly certificatePem: string; readonly privateKeyPem: string }
): Effect.Effect<number, Error, Scope.Scope> =>
  Effect.suspend(() => {
    const sockets = new Set<Tls.TLSSocket>()
    const server = Tls.createServer(
      { cert: options.certificatePem, key: options.privateKeyPem },
      (socket) => {
        sockets.add(socket)
        socket.on("close", () => sockets.delete(socket))
        options.onConnection(fromSocket(socket, "tls"))
      }
    )
    server.on("tlsClientError", () => {})
    return listenServer(server, options.port, sockets)
  })

/**
 * Listens for IRC over WebSocket (text frames) on 127.0.0.1, any path; succeeds with the bound port.
 *
 * @since 0.1.0
 * @category listeners
 */
export const listenWebSocket = (options: ListenOptions): Effect.Effect<number, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly wss: WebSocketServer; readonly port: number }, Error>((resume) => {
      const wss = new WebSocketServer({ host: "127.0.0.1", port: options.port, perMessageDeflate: false })
      const onError = (error: Error) => resume(Effect.fail(error))
      wss.once("error", onError)
      wss.on("connection", (ws, request) => {
        ws.on("error", () => {})
        const remote = `${request.socket.remoteAddress ?? "?"}:${request.socket.remotePort ?? 0}`
        options.onConnection(fromWebSocket(ws, remote))
      })
      wss.once("listening", () => {
        wss.off("error", onError)
        wss.on("error", () => {})
        const address = wss.address()
        resume(
          Effect.succeed({
            wss,
            port: typeof address === "object" && address !== null ? address.port : options.port
          })
        )
      })
    }),
    ({ wss }) =>
      Effect.async<void>((resume) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ port }) => port))
