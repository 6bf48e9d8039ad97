/**
 * The IRC sender: the send queue (`sendQueue.ts`: a queue per channel, one message in flight per
 * channel) with an exchange over IRC, every message through the account's limits, and each
 * completed with the server's answer.
 *
 * - A message waits for its channel: a live connection on which the channel, when the user wants
 *   it, is joined (sends queued during an outage go out after the rejoin, not before it). The
 *   wait is bounded by `offlineSendTimeout`, counted from when the connection was lost: then
 *   `NotConnected` (not written, so not sent).
 * - Answers carry nothing that names the PRIVMSG they answer, so they are matched by order: the
 *   next USERSTATE-with-id or non-room NOTICE in the channel (Twitch), the echo or an error numeric
 *   such as 404 (IRC servers with `echo-message`), or the PONG of a PING written right after the
 *   message, or an error numeric before it (servers that cannot confirm). After a send timed out,
 *   its answer may still come and would be taken for the next one's, so the next send in that
 *   channel waits for the late answer (dropped) or one more `sendTimeout`. The timeouts of all
 *   sends share one timer (`deadlines.ts`), ended with each send's answer.
 * - A message identical to the previous one accepted in the channel within 30 s (Twitch refuses
 *   it: `msg_duplicate`) is refused at once without being sent, or sent with an invisible marker
 *   (`duplicates: "distinct"`); parts of one split text are always made distinct.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as SubscriptionRef from "effect/SubscriptionRef"
import { ChatError, type NotAuthorized } from "../../../TwitchError.js"
import { SendOutcome } from "../../SendOutcome.js"
import * as Connection from "./connection.js"
import * as Deadlines from "./deadlines.js"
import * as SendQueue from "./sendQueue.js"
import * as Session from "./session.js"
import * as State from "./state.js"
import { wireChannel } from "./text.js"

type Failure = ChatError | NotAuthorized

/** What the engine sends with over IRC. */
export interface Sender extends SendQueue.Sender {
  /** Writes a raw line (not a PRIVMSG) once connected. */
  readonly writeRaw: (line: string) => Effect.Effect<SendOutcome, Failure>
}

const readyFor = (
  s: State.Status,
  channel: string | undefined
): Effect.Effect<Connection.Conn, Failure> | undefined => {
  if (s.failure !== undefined) return Effect.fail(s.failure)
  const conn = s.current
  if (conn === undefined || !Connection.live(conn)) return undefined
  if (channel !== undefined && s.wanted.has(channel) && !s.joined.has(channel)) return undefined
  return Effect.succeed(conn)
}

const notConnected = (state: State.State, channel: string | undefined, s: State.Status) => {
  const bound = Duration.format(state.settings.timeouts.offlineSend)
  const connected = s.current !== undefined && Connection.live(s.current)
  return new ChatError({
    reason: "NotConnected",
    ...(channel === undefined ? {} : { channel }),
    detail: connected && channel !== undefined
      ? `${wireChannel(channel)} was not rejoined within ${bound}; the message was not sent`
      : `no connection for ${bound} (the client keeps reconnecting); the message was not sent`
  })
}

/**
 * Waits until `channel` can be sent to (see the module doc), at most until the client has been
 * offline for `offlineSendTimeout`: then `NotConnected`, at once when that is already the case.
 */
export const awaitChannel = (
  state: State.State,
  channel: string | undefined
): Effect.Effect<Connection.Conn, Failure> =>
  Effect.gen(function*() {
    const status = yield* SubscriptionRef.get(state.status)
    const ready = readyFor(status, channel)
    if (ready !== undefined) return yield* ready
    const now = yield* Clock.currentTimeMillis
    const left = (status.offlineSince ?? now) + Duration.toMillis(state.settings.timeouts.offlineSend) - now
    if (left <= 0) return yield* notConnected(state, channel, status)
    const conn = yield* Effect.flatten(State.awaitStatus(state.status, (s) => readyFor(s, channel))).pipe(
      Effect.timeoutTo({ duration: Duration.millis(left), onTimeout: () => undefined, onSuccess: (c) => c })
    )
    if (conn !== undefined) return conn
    return yield* notConnected(state, channel, yield* SubscriptionRef.get(state.status))
  })

const probes = { next: 0 }

/** What the send timeout completes an answer with (told apart from a server's by identity). */
const timedOut: Connection.Answer = { _tag: "NoConfirmation" }

/** Writes one line and waits for its answer (or `sendTimeout`). */
const exchange = (
  state: State.State,
  conn: Connection.Conn,
  req: SendQueue.Request,
  line: string,
  text: string
) =>
  Effect.gen(function*() {
    const answer = yield* Deferred.make<Connection.Answer>()
    const mode = Session.confirmation(conn.session)
    const probe = mode === "probe" ? `effect-twitcher-${++probes.next}` : undefined
    const pending: Connection.Pending = { answer, text, replyTo: req.replyTo, probe, written: false }
    conn.pending.set(req.channel, pending)
    const written = { text: line, onWrite: () => (pending.written = true) }
    if (probe === undefined) Connection.write(conn, written)
    else Connection.write(conn, written, { text: `PING :${probe}` })
    const cancel = yield* Deadlines.schedule(
      state,
      state.settings.timeouts.send,
      Deferred.succeed(answer, timedOut)
    )
    const answered = yield* Deferred.await(answer).pipe(Effect.ensuring(Effect.sync(cancel)))
    if (conn.pending.get(req.channel) === pending) conn.pending.delete(req.channel)
    return { result: answered === timedOut ? undefined : answered, written: pending.written }
  })

/** Waits, bounded, for the late answer to a send in this channel that timed out. */
const awaitOwed = (
  state: State.State,
  conn: Connection.Conn,
  channel: string,
  owed: Deferred.Deferred<void>
) =>
  Deferred.await(owed).pipe(
    Effect.raceFirst(Effect.asVoid(Deferred.await(conn.ended))),
    Effect.timeout(state.settings.timeouts.send),
    Effect.ignore,
    Effect.zipRight(Effect.sync(() => {
      if (conn.owed.get(channel) === owed) conn.owed.delete(channel)
    }))
  )

/** One try at sending `req` over IRC (see {@link SendQueue.Attempt}). */
const attempt =
  (state: State.State) =>
  (req: SendQueue.Request): Effect.Effect<SendOutcome | "again" | undefined, Failure> =>
    Effect.gen(function*() {
      const conn = yield* awaitChannel(state, req.channel)
      if (req.cancelled) return undefined
      const owed = conn.owed.get(req.channel)
      if (owed !== undefined) {
        yield* awaitOwed(state, conn, req.channel, owed)
        return "again" as const
      }
      const prepared = yield* SendQueue.prepare(state, req)
      if (Either.isLeft(prepared)) return prepared.left
      const { base, text } = prepared.right
      const permit = yield* SendQueue.permit(state, req.channel)
      const status = yield* SubscriptionRef.get(state.status)
      if (readyFor(status, req.channel) === undefined || status.current !== conn) {
        yield* permit.settle
        return "again" as const
      }
      const writtenAt = yield* Clock.currentTimeMillis
      const line = text === req.text ? req.line : req.line.slice(0, req.line.length - req.text.length) + text
      const { result, written } = yield* exchange(state, conn, req, line, text)
      yield* permit.settle
      return yield* outcomeOf(
        state,
        conn,
        req,
        { ...base, waited: Duration.millis(writtenAt - req.enqueuedAt) },
        result,
        written
      )
    })

/** What an answer means for the send. */
const outcomeOf = (
  state: State.State,
  conn: Connection.Conn,
  req: SendQueue.Request,
  base: SendQueue.Base & { readonly waited: Duration.Duration },
  result: Connection.Answer | undefined,
  written: boolean
): Effect.Effect<SendOutcome | "again"> =>
  Effect.gen(function*() {
    if (result === undefined) {
      if (written) conn.owed.set(req.channel, yield* Deferred.make<void>())
      return SendOutcome.Unconfirmed({ ...base, reason: "Timeout" })
    }
    switch (result._tag) {
      case "NoConfirmation":
        return SendOutcome.Unconfirmed({ ...base, reason: "NoConfirmation" })
      case "Lost":
        return written ? SendOutcome.Unconfirmed({ ...base, reason: "ConnectionLost" }) : "again" as const
      case "Refused":
        return yield* SendQueue.refused(state, base, result.reason, result.text)
      case "Sent":
        if (result.message === undefined) return SendOutcome.Unconfirmed({ ...base, reason: "Timeout" })
        return yield* SendQueue.accepted(state, req, base, result.id, result.message)
    }
  })

/** The sender of one client over IRC: the send queue, and raw lines once connected. */
export const make = (state: State.State): Sender => {
  const queue = SendQueue.make(state, attempt(state))
  const writeRaw = (line: string) =>
    Effect.gen(function*() {
      const start = yield* Clock.currentTimeMillis
      const conn = yield* awaitChannel(state, undefined)
      Connection.write(conn, { text: line })
      return SendOutcome.Written({ line, waited: Duration.millis((yield* Clock.currentTimeMillis) - start) })
    })

  return { ...queue, writeRaw }
}
