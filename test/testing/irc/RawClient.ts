/**
 * A raw IRC test client over TCP, TLS or WebSocket: send lines, wait for lines, observe the close.
 * Deliberately independent of the server's code.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Net from "node:net"
import * as Tls from "node:tls"
import WebSocket from "ws"

export interface RawClient {
  /** Every line received so far (without `\r\n`). */
  readonly lines: ReadonlyArray<string>
  /** Sends lines (each gets `\r\n`); over WebSocket all lines go in one frame. */
  readonly send: (...lines: ReadonlyArray<string>) => Effect.Effect<void>
  /** Sends text as-is (one WebSocket frame / one TCP write). */
  readonly sendText: (text: string) => Effect.Effect<void>
  /** Raw chunks as received (WebSocket frames / TCP reads). */
  readonly frames: ReadonlyArray<string>
  /** Waits for the first line matching `predicate` received after index `from` (default: any not yet taken). */
  readonly next: (
    predicate: (line: string) => boolean,
    timeout?: Duration.DurationInput
  ) => Effect.Effect<string, Error>
  /** Waits until `count` lines match. */
  readonly count: (
    predicate: (line: string) => boolean,
    count: number,
    timeout?: Duration.DurationInput
  ) => Effect.Effect<ReadonlyArray<string>, Error>
  /** Lines matching `predicate` so far. */
  readonly matching: (predicate: (line: string) => boolean) => ReadonlyArray<string>
  /** Completes when the connection closed. */
  readonly closed: (timeout?: Duration.DurationInput) => Effect.Effect<void, Error>
  readonly isClosed: () => boolean
  readonly close: Effect.Effect<void>
}

export type Transport =
  | { readonly _tag: "tcp"; readonly port: number }
  | { readonly _tag: "tls"; readonly port: number; readonly ca?: string }
  | { readonly _tag: "ws"; readonly url: string }

export const connect = (transport: Transport): Effect.Effect<RawClient, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<RawClient, Error>((resume) => {
      const lines: Array<string> = []
      const frames: Array<string> = []
      const taken = new Set<number>()
      let closed = false
      let listeners: Array<() => void> = []
      const notify = () => {
        const current = listeners
        listeners = []
        for (const l of current) l()
      }
      let buffer = ""
      const onText = (text: string) => {
        frames.push(text)
        buffer += text
        const parts = buffer.split("\r\n")
        buffer = parts.pop() ?? ""
        for (const p of parts) if (p.length > 0) lines.push(p)
        notify()
      }
      const onClose = () => {
        closed = true
        notify()
      }
      let write: (text: string) => void
      let end: () => void
      let onOpen: (f: () => void) => void
      if (transport._tag === "ws") {
        const ws = new WebSocket(transport.url)
        ws.on("message", (data) => onText(data.toString()))
        ws.on("close", onClose)
        ws.on("error", () => {})
        write = (text) => ws.send(text)
        end = () => ws.terminate()
        onOpen = (f) => ws.once("open", f)
      } else {
        const socket = transport._tag === "tcp"
          ? Net.connect(transport.port, "127.0.0.1")
          : Tls.connect({
            port: transport.port,
            host: "127.0.0.1",
            servername: "localhost",
            ...(transport.ca !== undefined ? { ca: transport.ca } : { rejectUnauthorized: false })
          })
        socket.setEncoding("utf8")
        socket.on("data", (d: string) => onText(d))
        socket.on("close", onClose)
        socket.on("error", (e) => {
          if (lines.length === 0 && !closed) resume(Effect.fail(e))
        })
        write = (text) => {
          socket.write(text)
        }
        end = () => socket.destroy()
        onOpen = (f) => socket.once(transport._tag === "tls" ? "secureConnect" : "connect", f)
      }
      const waitUntil = <A>(check: () => A | undefined, timeout: Duration.DurationInput, what: string) =>
        Effect.async<A, Error>((resume) => {
          const attempt = () => {
            const a = check()
            if (a !== undefined) resume(Effect.succeed(a))
            else listeners.push(attempt)
          }
          attempt()
          return Effect.sync(() => {
            listeners = listeners.filter((l) => l !== attempt)
          })
        }).pipe(
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: () => new Error(`timed out waiting for ${what}; got:\n${lines.slice(-15).join("\n")}`)
          })
        )
      const client: RawClient = {
        lines,
        frames,
        send: (...ls) => Effect.sync(() => write(ls.map((l) => l + "\r\n").join(""))),
        sendText: (text) => Effect.sync(() => write(text)),
        next: (predicate, timeout = Duration.seconds(3)) =>
          waitUntil(
            () => {
              for (let i = 0; i < lines.length; i++) {
                if (!taken.has(i) && predicate(lines[i])) {
                  taken.add(i)
                  return lines[i]
                }
              }
              return undefined
            },
            timeout,
            "a line"
          ),
        count: (predicate, count, timeout = Duration.seconds(5)) =>
          waitUntil(
            () => {
              const found = lines.filter(predicate)
              return found.length >= count ? found : undefined
            },
            timeout,
            `${count} lines`
          ),
        matching: (predicate) => lines.filter(predicate),
        closed: (timeout = Duration.seconds(3)) =>
          waitUntil(() => (closed ? true : undefined), timeout, "close"),
        isClosed: () => closed,
        close: Effect.sync(() => end())
      }
      onOpen(() => resume(Effect.succeed(client)))
    }).pipe(
      Effect.timeoutFail({ duration: Duration.seconds(3), onTimeout: () => new Error("connect timed out") })
    ),
    (client) => client.close
  )

/** Tags of a line as a plain object (values unescaped); independent of the server's parser. */
export const tagsOf = (line: string): Record<string, string> => {
  if (!line.startsWith("@")) return {}
  const out: Record<string, string> = {}
  for (const part of line.slice(1, line.indexOf(" ")).split(";")) {
    const eq = part.indexOf("=")
    const key = eq === -1 ? part : part.slice(0, eq)
    const raw = eq === -1 ? "" : part.slice(eq + 1)
    out[key] = raw.replace(
      /\\(.?)/g,
      (_, c: string) =>
        c === ":" ? ";" : c === "s" ? " " : c === "\\" ? "\\" : c === "r" ? "\r" : c === "n" ? "\n" : c
    )
  }
  return out
}

/** The command of a line (after tags and prefix). */
export const commandOf = (line: string): string => {
  const rest = line.startsWith("@") ? line.slice(line.indexOf(" ") + 1) : line
  const noPrefix = rest.startsWith(":") ? rest.slice(rest.indexOf(" ") + 1) : rest
  return noPrefix.split(" ")[0]
}

/** Trailing parameter of a line. */
export const trailingOf = (line: string): string => {
  const rest = line.startsWith("@") ? line.slice(line.indexOf(" ") + 1) : line
  const i = rest.indexOf(" :", 1)
  return i === -1 ? "" : rest.slice(i + 2)
}

export const is = (command: string) => (line: string) => commandOf(line) === command
