/**
 * The chat engine: builds the one state and the parts (hub, dedupe, inbound routing, joins,
 * sender, supervisor) around it, connects, and hands out the `ChatClient` service. Closing the
 * client's scope says goodbye (PART every channel, QUIT), then closes the connections.
 *
 * What is IRC here and what is not: `connection`, `session`, `inbound`, `joins`, `supervisor` and
 * the sender's exchange (`sender.ts`) speak IRC; `state`, `hub`, `dedupe`, `text`, the limiter, the
 * send queue (`sendQueue.ts`: queues, bounds, outcomes) and the service (`client.ts`) do not. The
 * second way to Twitch (`../eventsub/engine.ts`: EventSub for reading, Helix Send Chat Message for
 * sending) is another engine over the same state and parts: events written as IRC lines, parsed
 * into the same messages and published to the hub, sends through the same queue and limits with
 * an exchange that maps `is_sent`/`drop_reason` to the same `SendOutcome`s, and the same
 * `ConnectionEvent`s; `ChatClient.make` builds this engine, `ChatClient.makeEventSub` that one.
 *
 * @internal
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as SubscriptionRef from "effect/SubscriptionRef"
import * as TwitchAuth from "../../../auth/TwitchAuth.js"
import type { TwitchConfig } from "../../../TwitchConfig.js"
import { ChatError, NotAuthorized } from "../../../TwitchError.js"
import type * as ChatClient from "../../ChatClient.js"
import type * as ChatTransport from "../../ChatTransport.js"
import * as Client from "./client.js"
import * as Connection from "./connection.js"
import * as Identity from "./identity.js"
import * as Inbound from "./inbound.js"
import * as Joins from "./joins.js"
import * as Sender from "./sender.js"
import * as State from "./state.js"
import * as Supervisor from "./supervisor.js"
import * as Text from "./text.js"

type Failure = ChatError | NotAuthorized

/** PART every channel and QUIT on the current connection (bounded), then close everything. */
const goodbye = (state: State.State, sender: Sender.Sender) =>
  Effect.gen(function*() {
    const closed = new ChatError({ reason: "Closed", detail: "the chat client was closed" })
    const before = yield* SubscriptionRef.getAndUpdate(state.status, (s) => ({
      ...s,
      phase: "Closed" as const,
      current: undefined,
      failure: s.failure ?? closed
    }))
    sender.failAll(closed)
    const conn = before.current
    if (conn !== undefined && Connection.live(conn)) {
      const flushed = yield* Deferred.make<void>()
      const bye = [...before.joined].map((c) => ({ text: `PART ${Text.wireChannel(c)}` }))
      Connection.write(conn, ...bye, {
        text: "QUIT",
        onWritten: () => Deferred.unsafeDone(flushed, Exit.void)
      })
      // Written, or the connection ended meanwhile (its write failed: nothing more will be
      // written), or a second. Finalizers are uninterruptible: the race and the timeout need an
      // interruptible region to fire.
      yield* Deferred.await(flushed).pipe(
        Effect.race(Deferred.await(conn.ended)),
        Effect.timeout("1 second"),
        Effect.ignore,
        Effect.interruptible
      )
    }
    if (conn !== undefined) yield* Connection.close(conn)
    state.hub.end(Exit.void)
    State.emit(state, { _tag: "Closed" })
  })

/** Whether the client may send: a token with `chat:edit` (when its scopes are known). */
const canSend = (state: State.State): Effect.Effect<void, NotAuthorized> =>
  Effect.suspend(() => {
    const { auth, token } = state.identity
    if (token === undefined) return Effect.fail(new NotAuthorized({ reason: "NoToken", scope: "chat:edit" }))
    if (auth === undefined) return Effect.void
    return Effect.asVoid(TwitchAuth.tokenWithScope(auth, "chat:edit"))
  })

/**
 * Connects and logs in (as `who` says), then hands out the client; everything lives until the
 * scope closes.
 */
export const make = (
  settings: State.Settings,
  transport: ChatTransport.ChatTransport.Service,
  who: {
    readonly anonymous: boolean
    readonly login: string | undefined
    readonly auth: TwitchAuth.TwitchAuth.Service | undefined
  }
): Effect.Effect<ChatClient.ChatClient.Service, Failure, TwitchConfig | Scope.Scope> =>
  Effect.gen(function*() {
    const identity = yield* Identity.resolve(who)
    const state = yield* Client.makeState(settings, identity)
    // Added after the scopes of connections and fibers: it runs before they close.
    let shutdown: Effect.Effect<void> = Effect.void
    yield* Effect.addFinalizer(() => Effect.suspend(() => shutdown))
    const joins = Joins.make(state)
    const sender = Sender.make(state)
    const supervisor = Supervisor.make(state, {
      transport,
      onLines: yield* Inbound.make(state),
      rejoinAll: joins.rejoinAll,
      onFatal: (error) =>
        Effect.sync(() => {
          // Nothing more will arrive: every message stream ends with the error (after the
          // messages already buffered), queued sends and joins fail.
          state.hub.end(Exit.fail(error))
          sender.failAll(error)
        })
    })
    const first = yield* supervisor.connectFirst(settings.initialAttempts).pipe(
      Effect.withSpan("chat.start", {
        attributes: { "chat.login": identity.login, "chat.transport": transport.address }
      })
    )
    yield* supervisor.start(first)
    shutdown = goodbye(state, sender)
    const status = SubscriptionRef.get(state.status)
    return Client.service(state, {
      join: joins.join,
      part: joins.part,
      sender,
      writeRaw: sender.writeRaw,
      canSend: canSend(state),
      unsupported: ({ channel, forSourceOnly }) =>
        forSourceOnly === undefined ? undefined : new ChatError({
          reason: "Unsupported",
          channel,
          detail:
            "forSourceOnly is Send Chat Message's (the EventSub transport with an app token); IRC has no such choice"
        }),
      capabilities: Effect.map(
        status,
        (s) => s.current === undefined ? [] : [...s.current.session.caps].sort()
      ),
      connectionId: Effect.map(status, (s) => Option.fromNullable(s.current?.id))
    })
  })
