/**
 * One connection: the transport's socket with line framing, an outbox drained by a writer fiber
 * (lines queued together go out in one write), keepalive (PING after silence, `Silent` without a
 * PONG), and the tables where the other parts wait for the server's answers on this connection.
 *
 * A connection ends once (`end`): on a clean close, a socket error, silence, Twitch's RECONNECT or
 * shutdown. Unless it only drains after a RECONNECT (answers may still come on it), everything
 * waiting for an answer on it is told the connection was lost (`lose`), and so is everything when
 * its socket closes.
 *
 * @internal
 */
import * as Socket from "@effect/platform/Socket"
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Mailbox from "effect/Mailbox"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as ChatConnection from "../../ChatConnection.js"
import * as ChatTransport from "../../ChatTransport.js"
import type * as TM from "../../TwitchMessage.js"
import type * as Session from "./session.js"

/** Why a connection ended. */
export type EndReason =
  | { readonly _tag: "Closed" }
  | { readonly _tag: "Error"; readonly detail: string }
  | { readonly _tag: "Silent" }
  | { readonly _tag: "Reconnect" }
  | { readonly _tag: "Shutdown" }

/** The server's answer to a PRIVMSG. */
export type Answer =
  /**
   * Twitch's USERSTATE with the message id (`message` built from it), or the echo of an
   * `echo-message` server (`message` is the echo); `message` is undefined when it could not be built.
   */
  | { readonly _tag: "Sent"; readonly id: string; readonly message: TM.Privmsg | undefined }
  /** A NOTICE (Twitch) or an error numeric such as 404 (other IRC servers). */
  | { readonly _tag: "Refused"; readonly reason: string; readonly text: string }
  | { readonly _tag: "Lost" }
  /** The server cannot confirm sends and did not refuse this one (it answered a PING sent after it). */
  | { readonly _tag: "NoConfirmation" }

/** The server's answer to a JOIN. */
export type JoinAnswer =
  | { readonly _tag: "Joined" }
  | { readonly _tag: "Refused"; readonly reason: string; readonly text: string }
  | { readonly _tag: "Lost" }

/** A send waiting for its answer. */
export interface Pending {
  readonly answer: Deferred.Deferred<Answer>
  readonly text: string
  readonly replyTo: string | undefined
  /** The PING token whose PONG confirms the send (servers without tags and echo). */
  readonly probe: string | undefined
  written: boolean
}

/** A line for the writer, with what to do when it is handed to the socket and once it was written. */
export interface OutLine {
  readonly text: string
  /**
   * Called just before the line is handed to the socket: from then on it may reach the server
   * even if the connection dies before the write completes (so a send is never written twice).
   */
  readonly onWrite?: (() => void) | undefined
  readonly onWritten?: (() => void) | undefined
}

/** One connection. */
export interface Conn {
  readonly id: number
  readonly socket: ChatConnection.LineSocket
  readonly scope: Scope.CloseableScope
  readonly outbox: Mailbox.Mailbox<OutLine>
  /** Completed once the socket is open (connected, TLS handshake done). */
  readonly opened: Deferred.Deferred<void>
  readonly ended: Deferred.Deferred<EndReason>
  endReason: EndReason | undefined
  /** Reads so far (keepalive watches it). */
  seen: number
  pongs: number
  /** Login and capabilities. */
  readonly session: Session.Session
  /** The send in flight per channel. */
  readonly pending: Map<string, Pending>
  /** Channels whose last send timed out: the answer the server may still send (see the sender). */
  readonly owed: Map<string, Deferred.Deferred<void>>
  readonly joins: Map<string, Deferred.Deferred<JoinAnswer>>
  readonly parts: Map<string, Deferred.Deferred<void>>
}

/** Whether the connection has not ended (a draining one has). */
export const live = (conn: Conn): boolean => conn.endReason === undefined

/** Queues lines for the writer (lines queued in one call go out in one write). */
export const write = (conn: Conn, ...lines: ReadonlyArray<OutLine>): void => {
  conn.outbox.unsafeOfferAll(lines)
}

/** Tells every send, join and part waiting on the connection that it was lost. */
export const lose = (conn: Conn): void => {
  for (const [, p] of conn.pending) Deferred.unsafeDone(p.answer, Exit.succeed({ _tag: "Lost" }))
  conn.pending.clear()
  for (const [, j] of conn.joins) Deferred.unsafeDone(j, Exit.succeed({ _tag: "Lost" }))
  conn.joins.clear()
  for (const [, p] of conn.parts) Deferred.unsafeDone(p, Exit.void)
  conn.parts.clear()
  for (const [, o] of conn.owed) Deferred.unsafeDone(o, Exit.void)
  conn.owed.clear()
}

/** Ends the connection (once). See the module doc. */
export const end = (conn: Conn, reason: EndReason): void => {
  if (conn.endReason !== undefined) return
  conn.endReason = reason
  if (reason._tag !== "Reconnect") lose(conn)
  Deferred.unsafeDone(conn.ended, Exit.succeed(reason))
}

/** Ends the connection and closes its socket. */
export const close = (conn: Conn): Effect.Effect<void> =>
  Effect.suspend(() => {
    end(conn, { _tag: "Shutdown" })
    lose(conn)
    return Scope.close(conn.scope, Exit.void)
  })

const failureDetail = (address: string, cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure) && Socket.isSocketError(failure.value)) {
    return ChatTransport.describeError(address, failure.value)
  }
  return `${address}: ${Cause.pretty(cause).split("\n")[0].slice(0, 300)}`
}

const writer = (conn: Conn, address: string) =>
  Effect.gen(function*() {
    for (;;) {
      const [items] = yield* conn.outbox.takeAll
      // A connection that ended (other than draining after RECONNECT) writes nothing more: a line
      // queued before the end (a send told the connection was lost, to be sent on the next one)
      // must not reach a server that still reads this socket.
      if (conn.endReason !== undefined && conn.endReason._tag !== "Reconnect") continue
      let text = ""
      for (const item of items) {
        item.onWrite?.()
        text += item.text + "\r\n"
      }
      const result = yield* Effect.either(conn.socket.write(text))
      if (Either.isLeft(result)) {
        return end(conn, { _tag: "Error", detail: ChatTransport.describeError(address, result.left) })
      }
      for (const item of items) item.onWritten?.()
    }
  })

/**
 * Opens a connection in a child scope of `parent`: runs its socket (handing every read's lines to
 * `onLines`) and its writer. Nothing is logged in yet.
 */
export const open = (options: {
  readonly id: number
  readonly transport: ChatTransport.ChatTransport.Service
  readonly parent: Scope.Scope
  readonly session: Session.Session
  readonly onLines: (conn: Conn, lines: Array<string>) => void
}): Effect.Effect<Conn> =>
  Effect.gen(function*() {
    const scope = yield* Scope.fork(options.parent, ExecutionStrategy.sequential)
    const socket = yield* Scope.extend(ChatConnection.make(options.transport), scope)
    const conn: Conn = {
      id: options.id,
      socket,
      scope,
      outbox: yield* Mailbox.make<OutLine>(),
      opened: yield* Deferred.make<void>(),
      ended: yield* Deferred.make<EndReason>(),
      endReason: undefined,
      seen: 0,
      pongs: 0,
      session: options.session,
      pending: new Map(),
      owed: new Map(),
      joins: new Map(),
      parts: new Map()
    }
    const address = options.transport.address
    yield* socket.run((lines) => options.onLines(conn, lines), Deferred.complete(conn.opened, Effect.void))
      .pipe(
        Effect.matchCause({
          onSuccess: () => end(conn, { _tag: "Closed" }),
          onFailure: (cause) => end(conn, { _tag: "Error", detail: failureDetail(address, cause) })
        }),
        // No answer comes once the socket closed, also on a connection draining after RECONNECT.
        Effect.ensuring(Effect.sync(() => lose(conn))),
        Effect.forkIn(scope)
      )
    yield* Effect.forkIn(writer(conn, address), scope)
    return conn
  })

/**
 * Keepalive: after `idle` without a read, PING; without a PONG within `answer`, the connection
 * ends `Silent`. Silence while the client itself stopped reading (`paused`: a stalled consumer
 * under back-pressure) is ours, not the server's: no verdict for it.
 */
export const keepalive = (
  conn: Conn,
  idle: Duration.Duration,
  answer: Duration.Duration,
  paused: () => boolean
): Effect.Effect<void> =>
  Effect.gen(function*() {
    let lastSeen = conn.seen
    for (;;) {
      yield* Effect.sleep(idle)
      if (conn.seen !== lastSeen || paused()) {
        lastSeen = conn.seen
        continue
      }
      const pongs = conn.pongs
      write(conn, { text: "PING :tmi.twitch.tv" })
      yield* Effect.sleep(answer)
      if (conn.pongs === pongs) return end(conn, { _tag: "Silent" })
      lastSeen = conn.seen
    }
  })
