/**
 * What tests wait for: the client PRIVMSGs the server accepted, per channel, and the number of
 * logged-in connections, with waiters completed when a count is reached.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import type { ReceivedMessage } from "./Model.js"
import { normalizeChannel } from "./Protocol.js"
import { sessions } from "./Rooms.js"
import type { Env } from "./State.js"

interface PrivmsgWaiter {
  readonly channel: string
  readonly count: number
  readonly deferred: Deferred.Deferred<void>
}

interface LoginWaiter {
  readonly count: number
  readonly deferred: Deferred.Deferred<void>
}

/**
 * Accepted messages per channel login, and who waits for how many.
 *
 * @since 0.1.0
 * @category models
 */
export interface Inbox {
  readonly received: ReadonlyMap<string, Chunk.Chunk<ReceivedMessage>>
  readonly privmsgWaiters: ReadonlyArray<PrivmsgWaiter>
  readonly loginWaiters: ReadonlyArray<LoginWaiter>
}

const release = (waiters: ReadonlyArray<{ readonly deferred: Deferred.Deferred<void> }>) =>
  Effect.forEach(waiters, (w) => Deferred.succeed(w.deferred, undefined), { discard: true })

/**
 * Keeps an accepted message and releases the waiters whose count it reaches.
 *
 * @since 0.1.0
 * @category inbox
 */
export const accept = (env: Env, message: ReceivedMessage): Effect.Effect<void> =>
  Effect.flatMap(
    Ref.modify(env.state.inbox, (inbox): readonly [ReadonlyArray<PrivmsgWaiter>, Inbox] => {
      const list = Chunk.append(inbox.received.get(message.channel) ?? Chunk.empty(), message)
      const size = Chunk.size(list)
      const done = inbox.privmsgWaiters.filter((w) => w.channel === message.channel && size >= w.count)
      return [done, {
        ...inbox,
        received: new Map(inbox.received).set(message.channel, list),
        privmsgWaiters: inbox.privmsgWaiters.filter((w) => !done.includes(w))
      }]
    }),
    release
  )

/**
 * The accepted messages of a channel so far.
 *
 * @since 0.1.0
 * @category inbox
 */
export const received = (env: Env, channel: string): Effect.Effect<ReadonlyArray<ReceivedMessage>> =>
  Effect.map(
    Ref.get(env.state.inbox),
    (inbox) => Chunk.toArray(inbox.received.get(normalizeChannel(channel)) ?? Chunk.empty())
  )

/**
 * Waits until `count` messages were accepted in `channel`; returns the first `count`.
 *
 * @since 0.1.0
 * @category inbox
 */
export const awaitPrivmsgs = (
  env: Env,
  channel: string,
  count: number
): Effect.Effect<ReadonlyArray<ReceivedMessage>> =>
  Effect.gen(function*() {
    const login = normalizeChannel(channel)
    const deferred = yield* Deferred.make<void>()
    const reached = yield* Ref.modify(env.state.inbox, (inbox): readonly [boolean, Inbox] =>
      Chunk.size(inbox.received.get(login) ?? Chunk.empty()) >= count
        ? [true, inbox]
        : [false, {
          ...inbox,
          privmsgWaiters: [...inbox.privmsgWaiters, { channel: login, count, deferred }]
        }])
    if (!reached) {
      yield* Deferred.await(deferred)
    }
    return (yield* received(env, login)).slice(0, count)
  })

const loggedIn = (env: Env): Effect.Effect<number> =>
  Effect.map(sessions(env), (all) => {
    let n = 0
    for (const s of all) if (s.phase === "registered") n++
    return n
  })

/**
 * Releases the login waiters the current number of logged-in connections satisfies (call after
 * a login).
 *
 * @since 0.1.0
 * @category inbox
 */
export const loginsChanged = (env: Env): Effect.Effect<void> =>
  Effect.flatMap(loggedIn(env), (logged) =>
    Effect.flatMap(
      Ref.modify(env.state.inbox, (inbox): readonly [ReadonlyArray<LoginWaiter>, Inbox] => {
        const done = inbox.loginWaiters.filter((w) => logged >= w.count)
        return [done, { ...inbox, loginWaiters: inbox.loginWaiters.filter((w) => logged < w.count) }]
      }),
      release
    ))

/**
 * Waits until `count` connections are logged in.
 *
 * @since 0.1.0
 * @category inbox
 */
export const awaitLogins = (env: Env, count: number): Effect.Effect<void> =>
  Effect.gen(function*() {
    if ((yield* loggedIn(env)) >= count) return
    const deferred = yield* Deferred.make<void>()
    yield* Ref.update(env.state.inbox, (inbox) => ({
      ...inbox,
      loginWaiters: [...inbox.loginWaiters, { count, deferred }]
    }))
    // A login between the count above and the waiter's registration is not missed.
    yield* loginsChanged(env)
    yield* Deferred.await(deferred)
  })
