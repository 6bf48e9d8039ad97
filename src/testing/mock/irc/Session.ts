/**
 * One client connection's session: its socket, its queue of outgoing lines and what it negotiated
 * (capabilities, login, joined channels). Output goes through the queue to one writer fiber that
 * batches lines into socket writes, waits on back-pressure and applies the outgoing delay.
 *
 * @since 0.1.0
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Queue from "effect/Queue"
import type * as World from "../World.js"
import * as Message from "./Message.js"
import { CAP_COMMANDS, CAP_TAGS, COMMANDS_ONLY, HOST } from "./Protocol.js"
import { count, type Env, settings } from "./State.js"
import type * as Transport from "./Transport.js"

/**
 * An item of a session's output queue: text (one or more whole lines; `done` completes once
 * written) or the end of the connection. `at` is when it was queued.
 *
 * @since 0.1.0
 * @category models
 */
export type Out =
  | {
    readonly _tag: "Text"
    readonly text: string
    readonly lines: number
    readonly at: number
    readonly done?: Deferred.Deferred<void> | undefined
  }
  | { readonly _tag: "Close"; readonly at: number }

/**
 * A connection's session. The identity fields are fixed; the others are the session's own
 * negotiated state, written by its connection fiber (CAP, PASS, NICK, JOIN, PART), by world events
 * (`emoteSets`, `userStates`), by keepalive (`awaitingPong`) and by the control handle (`silent`,
 * closing).
 *
 * @since 0.1.0
 * @category models
 */
export interface Session {
  readonly id: number
  readonly raw: Transport.RawConnection
  readonly caps: Set<string>
  readonly out: Queue.Queue<Out>
  /** Logins of the joined channels. */
  readonly channels: Set<string>
  /** Last USERSTATE tag values sent per channel (to send a fresh one only on change). */
  readonly userStates: Map<string, string>
  pass: string | undefined
  phase: "new" | "registered" | "closing"
  nick: string | undefined
  user: World.User | undefined
  anonymous: boolean
  scopes: ReadonlyArray<string>
  emoteSets: string
  silent: boolean
  awaitingPong: boolean
}

/**
 * A new session for an accepted connection.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (id: number, raw: Transport.RawConnection): Effect.Effect<Session> =>
  Effect.map(Queue.unbounded<Out>(), (out) => ({
    id,
    raw,
    caps: new Set(),
    out,
    channels: new Set(),
    userStates: new Map(),
    pass: undefined,
    phase: "new",
    nick: undefined,
    user: undefined,
    anonymous: false,
    scopes: [],
    emoteSets: "0",
    silent: false,
    awaitingPong: false
  }))

/**
 * Queues a line as is (no capability filter).
 *
 * @since 0.1.0
 * @category output
 */
export const sendRaw = (env: Env, session: Session, line: string): void => {
  session.out.unsafeOffer({ _tag: "Text", text: line + "\r\n", lines: 1, at: env.now() })
}

/**
 * Queues a line as the session's capabilities want it: dropped without `twitch.tv/commands` when
 * it is a Twitch command, tags stripped without `twitch.tv/tags`. False when dropped.
 *
 * @since 0.1.0
 * @category output
 */
export const send = (env: Env, session: Session, line: string): boolean => {
  if (!session.caps.has(CAP_COMMANDS) && COMMANDS_ONLY.has(Message.commandOf(line))) return false
  sendRaw(env, session, session.caps.has(CAP_TAGS) ? line : Message.stripTags(line))
  return true
}

/**
 * A NOTICE from the server, with a `msg-id` tag when given.
 *
 * @since 0.1.0
 * @category output
 */
export const notice = (
  env: Env,
  session: Session,
  target: string,
  msgId: string | undefined,
  text: string
): void => {
  send(
    env,
    session,
    Message.format({
      tags: msgId === undefined ? undefined : { "msg-id": msgId },
      prefix: HOST,
      command: "NOTICE",
      params: [target],
      trailing: text
    })
  )
}

/**
 * Ends the session after what is queued; its inbound lines are ignored from now on.
 *
 * @since 0.1.0
 * @category output
 */
export const close = (env: Env, session: Session): void => {
  session.phase = "closing"
  session.out.unsafeOffer({ _tag: "Close", at: env.now() })
}

/** Completes every pending blast waiter of a connection that is going away. */
const releaseWaiters = (session: Session, dones: Array<Deferred.Deferred<void>>) =>
  Effect.gen(function*() {
    for (const d of dones) Deferred.unsafeDone(d, Exit.void)
    dones.length = 0
    for (const item of yield* Queue.takeAll(session.out)) {
      if (item._tag === "Text" && item.done) Deferred.unsafeDone(item.done, Exit.void)
    }
  })

/**
 * The session's writer: batches queued text into socket writes, waits on back-pressure, applies
 * the outgoing delay, drops output while silent, and ends the socket on `Close` (destroying it
 * when the peer does not close within 2 s).
 *
 * @since 0.1.0
 * @category output
 */
export const writer = (env: Env, session: Session): Effect.Effect<void> => {
  const dones: Array<Deferred.Deferred<void>> = []
  return Effect.gen(function*() {
    let text = ""
    let lines = 0
    const flush = Effect.gen(function*() {
      if (text.length > 0) {
        const ok = session.raw.write(text)
        yield* count(env, "linesSent", lines)
        text = ""
        lines = 0
        if (!ok) yield* session.raw.drain
      }
      for (const d of dones) Deferred.unsafeDone(d, Exit.void)
      dones.length = 0
    })
    while (true) {
      const items = yield* Queue.takeBetween(session.out, 1, 1024)
      let { delayMs } = yield* settings(env)
      for (const item of items) {
        if (delayMs > 0) {
          const wait = item.at + delayMs - env.now()
          if (wait > 0) {
            yield* flush
            yield* Effect.sleep(Duration.millis(wait))
            // The delay may have changed while this writer slept.
            delayMs = (yield* settings(env)).delayMs
          }
        }
        if (item._tag === "Close") {
          yield* flush
          session.raw.end()
          // A peer that never closes its side is cut off after a grace period.
          yield* Effect.sleep(Duration.seconds(2))
          session.raw.destroy()
          return
        }
        if (item.done !== undefined) dones.push(item.done)
        if (session.silent) continue
        text += item.text
        lines += item.lines
      }
      yield* flush
    }
  }).pipe(Effect.ensuring(releaseWaiters(session, dones)))
}
