/**
 * The chat tap: how chat reaches EventSub. The EventSub server keeps one anonymous (`justinfan`)
 * connection to the mock's own IRC server, joined to every room an active chat subscription names
 * (`ChatEvents.types`), and turns what the room receives into notifications: messages of the
 * chatter generator, of IRC clients and of the control handle, USERNOTICEs, CLEARCHAT and
 * CLEARMSG (anything the IRC server relays, later Helix's Send Chat Message too). Creating such a
 * subscription waits (up to 5 s) until the tap is in the room, so nothing said after Create
 * answers is missed. Joins stay within Twitch's 20 per 10 s; a dropped connection reconnects after
 * a second and rejoins.
 *
 * @since 0.1.0
 */
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Message from "../irc/Message.js"
import * as ChatEvents from "./ChatEvents.js"
import * as Delivery from "./Delivery.js"
import { type Env, subscriptions } from "./State.js"
import * as Subscriptions from "./Subscriptions.js"
import * as Time from "./Time.js"

interface TapState {
  /** Writes a line on the current connection, once it is logged in. */
  readonly send: Option.Option<(line: string) => Effect.Effect<void>>
  /** Rooms a JOIN was sent for on the current connection. */
  readonly requested: ReadonlySet<string>
  readonly joined: ReadonlySet<string>
  readonly waiters: ReadonlyArray<{ readonly login: string; readonly deferred: Deferred.Deferred<void> }>
  /** Times of recent JOINs (epoch ms). */
  readonly joinTimes: ReadonlyArray<number>
}

const empty: TapState = {
  send: Option.none(),
  requested: new Set(),
  joined: new Set(),
  waiters: [],
  joinTimes: []
}

const joinsPerWindow = 15
const joinWindowMs = 10_000

/** The room logins active chat subscriptions name. */
const desired = (env: Env) =>
  Effect.gen(function*() {
    const s = yield* env.world.snapshot
    const logins = new Set<string>()
    for (const sub of (yield* subscriptions(env)).values()) {
      const id = Subscriptions.isActive(sub) ? ChatEvents.roomOf(sub.type, sub.condition) : undefined
      const login = id === undefined ? undefined : s.users.find((u) => u.id === id)?.login
      if (login !== undefined) logins.add(login)
    }
    return logins
  })

/** Waits, if needed, until another JOIN fits in the window; records it. */
const takeJoinSlot = (state: Ref.Ref<TapState>) =>
  Effect.gen(function*() {
    while (true) {
      const now = yield* Clock.currentTimeMillis
      const wait = yield* Ref.modify(state, (st): readonly [number, TapState] => {
        const recent = st.joinTimes.filter((t) => now - t < joinWindowMs)
        if (recent.length < joinsPerWindow) return [0, { ...st, joinTimes: [...recent, now] }]
        return [recent[0] + joinWindowMs - now, { ...st, joinTimes: recent }]
      })
      if (wait <= 0) return
      yield* Effect.sleep(wait)
    }
  })

/** Joins the rooms wanted and parts the others, on the current connection. */
const sync = (env: Env, state: Ref.Ref<TapState>) =>
  Effect.gen(function*() {
    const wanted = yield* desired(env)
    const plan = yield* Ref.modify(state, (st) => {
      if (Option.isNone(st.send)) return [undefined, st] as const
      const join = [...wanted].filter((l) => !st.requested.has(l))
      const part = [...st.requested].filter((l) => !wanted.has(l))
      const joined = new Set([...st.joined].filter((l) => wanted.has(l)))
      return [{ send: st.send.value, join, part }, { ...st, requested: wanted, joined }] as const
    })
    if (plan === undefined) return
    for (const login of plan.part) yield* plan.send(`PART #${login}`)
    for (const login of plan.join) {
      yield* takeJoinSlot(state)
      yield* plan.send(`JOIN #${login}`)
    }
  })

const joinedRoom = (state: Ref.Ref<TapState>, login: string) =>
  Effect.flatMap(
    Ref.modify(state, (st) => {
      const done = st.waiters.filter((w) => w.login === login)
      return [done, {
        ...st,
        joined: new Set(st.joined).add(login),
        waiters: st.waiters.filter((w) => w.login !== login)
      }]
    }),
    (done) => Effect.forEach(done, (w) => Deferred.succeed(w.deferred, undefined), { discard: true })
  )

/**
 * What the chat mappings look up, from the world as it is now.
 *
 * @since 0.1.0
 * @category lookups
 */
export const lookups = (env: Env): Effect.Effect<ChatEvents.Lookups> =>
  Effect.map(env.world.snapshot, (s): ChatEvents.Lookups => {
    const byLogin = new Map(s.users.map((u) => [u.login, u]))
    const byId = new Map(s.users.map((u) => [u.id, u]))
    const emotes = new Map(s.emotes.map((e) => [e.id, e]))
    const helix = new Set(s.sentMessages.map((m) => m.id))
    return {
      userByLogin: (login) => byLogin.get(login),
      userById: (id) => byId.get(id),
      emote: (id) => emotes.get(id),
      time: Time.formatMillis,
      sentWithHelix: (id) => helix.has(id)
    }
  })

/** Handles the lines of one read. */
const onLines = (
  env: Env,
  state: Ref.Ref<TapState>,
  nick: string,
  send: (line: string) => Effect.Effect<void>,
  lines: ReadonlyArray<string>
) =>
  Effect.gen(function*() {
    let look: ChatEvents.Lookups | undefined
    for (const raw of lines) {
      const line = Message.parse(raw)
      if (line === undefined) continue
      if (line.command === "376") {
        yield* Ref.update(
          state,
          (st) => ({
            ...st,
            send: Option.some(send),
            requested: new Set<string>(),
            joined: new Set<string>()
          })
        )
        // Forked: pacing JOINs must not hold up the lines (their echoes) behind them.
        yield* Effect.fork(sync(env, state))
      } else if (line.command === "PING") {
        yield* send(`PONG :${line.params[0] ?? "tmi.twitch.tv"}`)
      } else if (line.command === "JOIN" && (line.prefix ?? "").startsWith(`${nick}!`)) {
        yield* joinedRoom(state, (line.params[0] ?? "").replace(/^#/, ""))
      } else {
        look ??= yield* lookups(env)
        for (const emission of ChatEvents.emissions(line, look)) yield* Delivery.emit(env, emission)
      }
    }
  })

/** One connection, from connect to close. */
const connection = (env: Env, state: Ref.Ref<TapState>, port: number, nick: string) =>
  Effect.scoped(Effect.gen(function*() {
    const socket = yield* NodeSocket.makeNet({ host: "127.0.0.1", port })
    const write = yield* socket.writer
    const send = (line: string) => Effect.ignore(write(`${line}\r\n`))
    const inbound = yield* Queue.unbounded<string | Uint8Array>()
    const decoder = new TextDecoder()
    let buffer = ""
    yield* Effect.forkScoped(Effect.forever(Effect.flatMap(Queue.take(inbound), (data) => {
      buffer += typeof data === "string" ? data : decoder.decode(data, { stream: true })
      const parts = buffer.split("\r\n")
      buffer = parts.pop() ?? ""
      return onLines(env, state, nick, send, parts)
    })))
    yield* socket.runRaw((data) => {
      Queue.unsafeOffer(inbound, data)
    }, { onOpen: Effect.zipRight(send("CAP REQ :twitch.tv/tags twitch.tv/commands"), send(`NICK ${nick}`)) })
  })).pipe(
    Effect.ensuring(
      Ref.update(
        state,
        (st) => ({ ...st, send: Option.none(), requested: new Set<string>(), joined: new Set<string>() })
      )
    )
  )

/**
 * Starts the tap against the IRC server's plain TCP port, for the life of the scope, and registers
 * it with the EventSub server.
 *
 * @since 0.1.0
 * @category constructors
 */
export const attach = (env: Env, port: number): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const state = yield* Ref.make(empty)
    const nick = `justinfan${10_000 + (Math.abs(env.world.seed) % 80_000)}`
    yield* Ref.set(
      env.state.chatTap,
      Option.some({
        ensure: (broadcasterId: string) =>
          Effect.gen(function*() {
            const user = yield* env.world.userById(broadcasterId)
            if (Option.isNone(user)) return
            const login = user.value.login
            const deferred = yield* Deferred.make<void>()
            const waiting = yield* Ref.modify(state, (st) =>
              st.joined.has(login)
                ? [false, st] as const
                : [true, { ...st, waiters: [...st.waiters, { login, deferred }] }] as const)
            if (!waiting) return
            yield* sync(env, state)
            yield* Effect.timeoutOption(Deferred.await(deferred), "5 seconds")
          })
      })
    )
    yield* Effect.forkScoped(Stream.runForEach(env.state.subscriptions.changes, () => sync(env, state)))
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.zipRight(Effect.ignore(connection(env, state, port, nick)), Effect.sleep("1 second"))
      )
    )
  })
