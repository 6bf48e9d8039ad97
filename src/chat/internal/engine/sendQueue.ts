/**
 * The send queue, whatever carries the messages: one queue and one worker per channel, one
 * message in flight per channel, a bound on what may wait, the parts of a split text completed as
 * one send, and the steps every way to Twitch shares around its own exchange: Twitch's duplicate
 * rule checked before anything is sent, an accepted message remembered, a refusal counted (a
 * `msg_ratelimit` stops sending for one window).
 *
 * A way to Twitch gives one {@link Attempt}: it takes a request and answers with its outcome,
 * `"again"` (try the request again, e.g. after a reconnect) or `undefined` (cancelled meanwhile).
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Queue from "effect/Queue"
import * as SubscriptionRef from "effect/SubscriptionRef"
import { ChatError, type NotAuthorized } from "../../../TwitchError.js"
import { SendOutcome } from "../../SendOutcome.js"
import type { Privmsg } from "../../TwitchMessage.js"
import type * as State from "./state.js"
import { distinct, duplicateWindowMillis, type Line, wireChannel } from "./text.js"

type Failure = ChatError | NotAuthorized

/** One message (one part of a text) waiting in its channel's queue. */
export interface Request {
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
  /** Extra fields of the send that one way to Twitch may use (EventSub: `for_source_only`). */
  readonly extra: SendExtra
  readonly done: Deferred.Deferred<SendOutcome, Failure>
  cancelled: boolean
}

/** What a send asks beyond its text. */
export interface SendExtra {
  readonly forSourceOnly?: boolean | undefined
}

/** One try at sending a request: its outcome, "again" (try again), or undefined (cancelled). */
export type Attempt = (req: Request) => Effect.Effect<SendOutcome | "again" | undefined, Failure>

/** What the engine sends with. */
export interface Sender {
  /** Queues the lines of one text (its parts) in `channel`; completes with the text's outcome. */
  readonly enqueue: (
    channel: string,
    lines: ReadonlyArray<Line>,
    replyTo: string | undefined,
    duplicates: "refuse" | "distinct",
    extra?: SendExtra
  ) => Effect.Effect<SendOutcome, Failure>
  /** Fails every send not completed yet (the client gave up or closed). */
  readonly failAll: (error: Failure) => void
}

/** The fields every outcome of a request has. */
export interface Base {
  readonly channel: string
  readonly text: string
  readonly part: number
  readonly parts: number
  readonly ids: ReadonlyArray<string>
}

/**
 * Twitch's duplicate rule before anything is sent: the text to send (made distinct when asked and
 * needed), or (`Left`) the `Refused` outcome of a repeat the caller chose not to send.
 */
export const prepare = (
  state: State.State,
  req: Request
): Effect.Effect<Either.Either<{ readonly text: string; readonly base: Base }, SendOutcome>> =>
  Effect.map(Clock.currentTimeMillis, (now) => {
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
    if (text !== undefined) return Either.right({ text, base })
    return Either.left(SendOutcome.Refused({
      ...base,
      waited: Duration.millis(now - req.enqueuedAt),
      reason: "msg_duplicate",
      notice:
        `Not sent: identical to the previous message in ${wireChannel(req.channel)} less than 30 seconds ` +
        "ago, which Twitch refuses; send with duplicates: \"distinct\" to add an invisible marker."
    }))
  })

/**
 * Waits for the account's limits to let a message to `channel` through (elevated or not, and the
 * channel's slow mode, as last learned), and takes the slot.
 */
export const permit = (state: State.State, channel: string) =>
  state.limiter.acquireSend(
    channel,
    () => state.rooms.elevated.get(channel) === true,
    () => state.rooms.slowModes.get(channel) ?? 0
  )

/** Twitch accepted the message: remembered for the duplicate rule, its id added to the text's. */
export const accepted = (
  state: State.State,
  req: Request,
  base: Base & { readonly waited: Duration.Duration },
  id: string,
  message: Privmsg
): Effect.Effect<SendOutcome> =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    state.rooms.lastSent.set(req.channel, { text: base.text, at: now })
    req.accepted.push(id)
    return SendOutcome.Sent({ ...base, id, message, ids: [...req.accepted] })
  })

/** Twitch refused the message; after `msg_ratelimit` nothing is sent for one message window. */
export const refused = (
  state: State.State,
  base: Base & { readonly waited: Duration.Duration },
  reason: string,
  notice: string
): Effect.Effect<SendOutcome> =>
  Effect.gen(function*() {
    if (reason === "msg_ratelimit") {
      // Breaking the limit again means being ignored for an hour: stop for one window.
      yield* state.limiter.penalize
      yield* Effect.logWarning(
        "chat: Twitch answered msg_ratelimit (another client of this account sends too?); " +
          "no message is sent for one message window"
      )
    }
    return SendOutcome.Refused({ ...base, reason, notice })
  })

const count = (state: State.State, outcome: SendOutcome) => {
  const counters = state.counters
  if (outcome._tag === "Sent") counters.sent++
  else if (outcome._tag === "Refused") counters.refused++
  else if (outcome._tag === "Unconfirmed") counters.unconfirmed++
  state.settings.hooks.sent(outcome)
}

/** The send queue of one client over one way to Twitch. */
export const make = (state: State.State, attempt: Attempt): Sender => {
  const queues = new Map<string, Queue.Queue<Request>>()
  /** Lines of sends not completed yet, per channel (`sendQueueSize`). */
  const waiting = new Map<string, number>()
  const outstanding = new Set<Request>()

  const sendOne = (req: Request): Effect.Effect<SendOutcome | undefined, Failure> =>
    Effect.flatMap(attempt(req), (r) => r === "again" ? sendOne(req) : Effect.succeed(r))

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
    duplicates: "refuse" | "distinct",
    extra: SendExtra
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
        extra,
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

  const enqueue: Sender["enqueue"] = (channel, lines, replyTo, duplicates, extra = {}) =>
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
      return yield* Effect.ensuring(run(channel, lines, replyTo, duplicates, extra), release)
    })

  return {
    enqueue,
    failAll: (error) => {
      for (const req of outstanding) Deferred.unsafeDone(req.done, Exit.fail(error))
      outstanding.clear()
    }
  }
}
