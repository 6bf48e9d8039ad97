/**
 * The sender: one queue and one worker per channel, one message in flight per channel, every
 * message through the account's limits, and each completed with the server's answer.
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
 *   channel waits for the late answer (dropped) or one more `sendTimeout`.
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
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Queue from "effect/Queue"
import * as SubscriptionRef from "effect/SubscriptionRef"
import { ChatError, type NotAuthorized } from "../../../TwitchError.js"
import { SendOutcome } from "../../SendOutcome.js"
import * as Connection from "./connection.js"
import * as Session from "./session.js"
import * as State from "./state.js"
import { distinct, duplicateWindowMillis, type Line, wireChannel } from "./text.js"

type Failure = ChatError | NotAuthorized

interface Request {
  readonly channel: string
  readonly line: string
  readonly text: string
  readonly replyTo: string | undefined
  readonly part: number
  readonly parts: number
  /** Ids the server gave the parts of this text it accepted so far: one array shared by the parts. */
  readonly accepted: Array<string>
  readonly enqueuedAt: number
  readonly duplicates: "refuse" | "distinct"
  readonly done: Deferred.Deferred<SendOutcome, Failure>
  cancelled: boolean
}

/** What the engine sends with. */
export interface Sender {
  /** Queues the lines of one text (its parts) in `channel`; completes with the text's outcome. */
  readonly enqueue: (
    channel: string,
    lines: ReadonlyArray<Line>,
    replyTo: string | undefined,
    duplicates: "refuse" | "distinct"
  ) => Effect.Effect<SendOutcome, Failure>
  /** Writes a raw line (not a PRIVMSG) once connected. */
  readonly writeRaw: (line: string) => Effect.Effect<SendOutcome, Failure>
  /** Fails every send not completed yet (the client gave up or closed). */
  readonly failAll: (error: Failure) => void
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

/** Writes one line and waits for its answer (or `sendTimeout`). */
const exchange = (
  state: State.State,
  conn: Connection.Conn,
  req: Request,
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
    const result = yield* Deferred.await(answer).pipe(
      Effect.timeoutTo({
        duration: state.settings.timeouts.send,
        onTimeout: () => undefined,
        onSuccess: (a) => a
      })
    )
    if (conn.pending.get(req.channel) === pending) conn.pending.delete(req.channel)
    return { result, written: pending.written }
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

/** One try at sending `req`: its outcome, "again" (try again), or undefined (cancelled). */
const attempt = (
  state: State.State,
  req: Request
): Effect.Effect<SendOutcome | "again" | undefined, Failure> =>
  Effect.gen(function*() {
    const conn = yield* awaitChannel(state, req.channel)
    if (req.cancelled) return undefined
    const owed = conn.owed.get(req.channel)
    if (owed !== undefined) {
      yield* awaitOwed(state, conn, req.channel, owed)
      return "again" as const
    }
    const now = yield* Clock.currentTimeMillis
    const previous = state.rooms.lastSent.get(req.channel)
    const recent = previous !== undefined && now - previous.at < duplicateWindowMillis
      ? previous.text
      : undefined
    const mode = req.part > 1 ? "distinct" : req.duplicates
    const text = distinct(req.text, recent, mode, state.settings.defaults.maxLength)
    const base = {
      channel: req.channel,
      text: text ?? req.text,
      part: req.part,
      parts: req.parts,
      ids: [...req.accepted]
    }
    if (text === undefined) {
      return SendOutcome.Refused({
        ...base,
        waited: Duration.millis(now - req.enqueuedAt),
        reason: "msg_duplicate",
        notice:
          `Not sent: identical to the previous message in ${wireChannel(req.channel)} less than 30 seconds ` +
          "ago, which Twitch refuses; send with duplicates: \"distinct\" to add an invisible marker."
      })
    }
    const permit = yield* state.limiter.acquireSend(
      req.channel,
      () => state.rooms.elevated.get(req.channel) === true,
      () => state.rooms.slowModes.get(req.channel) ?? 0
    )
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
      { ...base, text, waited: Duration.millis(writtenAt - req.enqueuedAt) },
      result,
      written
    )
  })

/** What an answer means for the send. */
const outcomeOf = (
  state: State.State,
  conn: Connection.Conn,
  req: Request,
  base: {
    readonly channel: string
    readonly text: string
    readonly waited: Duration.Duration
    readonly part: number
    readonly parts: number
    readonly ids: ReadonlyArray<string>
  },
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
        if (result.reason === "msg_ratelimit") {
          // Breaking the limit again means being ignored for an hour: stop for one window.
          yield* state.limiter.penalize
          yield* Effect.logWarning(
            "chat: Twitch answered msg_ratelimit (another client of this account sends too?); " +
              "no message is sent for one message window"
          )
        }
        return SendOutcome.Refused({ ...base, reason: result.reason, notice: result.text })
      case "Sent": {
        if (result.message === undefined) return SendOutcome.Unconfirmed({ ...base, reason: "Timeout" })
        state.rooms.lastSent.set(req.channel, { text: base.text, at: yield* Clock.currentTimeMillis })
        req.accepted.push(result.id)
        return SendOutcome.Sent({ ...base, id: result.id, message: result.message, ids: [...req.accepted] })
      }
    }
  })

const count = (state: State.State, outcome: SendOutcome) => {
  const counters = state.counters
  if (outcome._tag === "Sent") counters.sent++
  else if (outcome._tag === "Refused") counters.refused++
  else if (outcome._tag === "Unconfirmed") counters.unconfirmed++
  state.settings.hooks.sent(outcome)
}

/** The sender of one client. */
export const make = (state: State.State): Sender => {
  const queues = new Map<string, Queue.Queue<Request>>()
  /** Lines of sends not completed yet, per channel (`sendQueueSize`). */
  const waiting = new Map<string, number>()
  const outstanding = new Set<Request>()

  const sendOne = (req: Request): Effect.Effect<SendOutcome | undefined, Failure> =>
    Effect.flatMap(attempt(state, req), (r) => r === "again" ? sendOne(req) : Effect.succeed(r))

  const worker = (queue: Queue.Queue<Request>) =>
    Effect.forever(Effect.gen(function*() {
      const req = yield* Queue.take(queue)
      const exit: Exit.Exit<SendOutcome | undefined, Failure> = req.cancelled
        ? Exit.succeed(undefined)
        : yield* Effect.exit(sendOne(req))
      outstanding.delete(req)
      if (Exit.isFailure(exit)) return Deferred.unsafeDone(req.done, Exit.failCause(exit.cause))
      if (exit.value === undefined) return
      count(state, exit.value)
      Deferred.unsafeDone(req.done, Exit.succeed(exit.value))
    }))

  const queueFor = (channel: string): Effect.Effect<Queue.Queue<Request>> =>
    Effect.suspend(() => {
      const existing = queues.get(channel)
      if (existing !== undefined) return Effect.succeed(existing)
      const queue = Effect.runSync(Queue.unbounded<Request>())
      queues.set(channel, queue)
      return Effect.as(Effect.forkIn(worker(queue), state.fibers), queue)
    })

  /** Queues the parts and completes with the first that was not `Sent`, or the last. */
  const run = (
    channel: string,
    lines: ReadonlyArray<Line>,
    replyTo: string | undefined,
    duplicates: "refuse" | "distinct"
  ): Effect.Effect<SendOutcome, Failure> =>
    Effect.gen(function*() {
      const queue = yield* queueFor(channel)
      const now = yield* Clock.currentTimeMillis
      const accepted: Array<string> = []
      const reqs: Array<Request> = lines.map((l, i) => ({
        channel,
        line: l.line,
        text: l.text,
        replyTo,
        part: i + 1,
        parts: lines.length,
        accepted,
        enqueuedAt: now,
        duplicates,
        done: Deferred.unsafeMake<SendOutcome, Failure>(FiberId.none),
        cancelled: false
      }))
      for (const r of reqs) outstanding.add(r)
      yield* Queue.offerAll(queue, reqs)
      let last: SendOutcome | undefined
      for (let i = 0; i < reqs.length; i++) {
        const outcome = yield* Deferred.await(reqs[i].done).pipe(
          // Interrupted, or failed (NotConnected, Closed...): the other parts are not sent.
          Effect.onExit((exit) =>
            Effect.sync(() => {
              if (Exit.isFailure(exit)) { for (const r of reqs) r.cancelled = true }
            })
          )
        )
        last = outcome
        if (outcome._tag !== "Sent") {
          for (const r of reqs.slice(i + 1)) r.cancelled = true
          break
        }
      }
      return last!
    })

  const enqueue: Sender["enqueue"] = (channel, lines, replyTo, duplicates) =>
    Effect.gen(function*() {
      const failure = (yield* SubscriptionRef.get(state.status)).failure
      if (failure !== undefined) return yield* failure
      const size = state.settings.sendQueueSize
      const already = waiting.get(channel) ?? 0
      if (size > 0 && already + lines.length > size) {
        return yield* new ChatError({
          reason: "QueueFull",
          channel,
          detail: `${already} messages already waiting in this channel (sendQueueSize ${size}); not sent`
        })
      }
      waiting.set(channel, already + lines.length)
      const release = Effect.sync(() => {
        const left = (waiting.get(channel) ?? lines.length) - lines.length
        if (left > 0) waiting.set(channel, left)
        else waiting.delete(channel)
      })
      return yield* Effect.ensuring(run(channel, lines, replyTo, duplicates), release)
    })

  const writeRaw = (line: string) =>
    Effect.gen(function*() {
      const start = yield* Clock.currentTimeMillis
      const conn = yield* awaitChannel(state, undefined)
      Connection.write(conn, { text: line })
      return SendOutcome.Written({ line, waited: Duration.millis((yield* Clock.currentTimeMillis) - start) })
    })

  return {
    enqueue,
    writeRaw,
    failAll: (error) => {
      for (const req of outstanding) Deferred.unsafeDone(req.done, Exit.fail(error))
      outstanding.clear()
    }
  }
}
