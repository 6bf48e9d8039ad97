/**
 * One chat socket speaking lines: a {@link ChatTransport} connection (TLS, WebSocket, TCP or one
 * of your own) with line framing (one TCP read or WebSocket frame may hold several
 * `\r\n`-separated lines, or part of one) and read pausing for back-pressure.
 *
 * @since 0.1.0
 */
import type * as Socket from "@effect/platform/Socket"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type * as ChatTransport from "./ChatTransport.js"

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
 * Opens a connection of `transport` in the scope; nothing is connected until `run`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  transport: ChatTransport.ChatTransport.Service
): Effect.Effect<LineSocket, never, Scope.Scope> =>
  Effect.gen(function*() {
    const connection = yield* transport.connect
    const socket = connection.socket
    let paused = false
    let oversized = 0
    const writer = yield* socket.writer
    const frameIsLine = connection.framing === "frames"

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
        if (!paused && connection.pause !== undefined) {
          paused = true
          connection.pause()
        }
      },
      resume: () => {
        if (paused && connection.resume !== undefined) {
          paused = false
          connection.resume()
        }
      },
      oversized: () => oversized
    }
  })
