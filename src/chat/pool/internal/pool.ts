/**
 * The pool: connections opened on demand (see `placement.ts`), each a `ChatClient` of the same
 * account drawing from one limiter (`member.ts`), joins placed and counted against Twitch's
 * channel cap, sends routed to the connection holding their channel, and the connections' state
 * and counters summed up as one client's.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import type * as Metric from "effect/Metric"
import * as MetricLabel from "effect/MetricLabel"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { TwitchConfig } from "../../../TwitchConfig.js"
import { ChatError, type NotAuthorized } from "../../../TwitchError.js"
import * as ChatClient from "../../ChatClient.js"
import * as ChatRateLimits from "../../ChatRateLimits.js"
import * as Hub from "../../internal/engine/hub.js"
import * as Text from "../../internal/engine/text.js"
import { SendOutcome } from "../../SendOutcome.js"
import { parseTwitchLine, type TwitchMessage } from "../../TwitchMessage.js"
import * as ChannelCap from "../ChannelCap.js"
import type * as ChatPool from "../ChatPool.js"
import * as Joins from "./joins.js"
import * as Member from "./member.js"
import * as Placement from "./placement.js"

type Failure = ChatError | NotAuthorized
type Client = ChatClient.ChatClient.Service

/** The pool's options resolved. */
export interface Settings {
  readonly capacity: number
  /** The channel cap; undefined: Twitch's for an account, none when anonymous. */
  readonly cap: number | "none" | undefined
  readonly overCap: ChannelCap.OverCap
  /** Joins `joinAll` keeps in flight (the JOIN limit's count per window). */
  readonly joinConcurrency: number
  readonly bufferSize: number
  readonly overflow: ChatClient.Overflow
  readonly metrics: {
    readonly connections: Metric.Metric.Gauge<number>
    readonly channels: Metric.Metric.Gauge<number>
    readonly channelsPerConnection: Metric.Metric.Gauge<number>
    readonly joinsPending: Metric.Metric.Gauge<number>
  }
}

const closedError = new ChatError({ reason: "Closed", detail: "the chat pool was closed" })

/** `Connected` when every connection is; otherwise the least settled state among them. */
const aggregate = (states: ReadonlyArray<ChatClient.ConnectionState>): ChatClient.ConnectionState => {
  for (const s of ["Failed", "Closed", "Reconnecting", "Connecting"] as const) {
    if (states.includes(s)) return s
  }
  return "Connected"
}

const sumStats = (all: ReadonlyArray<ChatClient.Stats>, dropped: number): ChatClient.Stats => {
  const total: { -readonly [K in keyof ChatClient.Stats]: number } = {
    received: 0,
    sent: 0,
    refused: 0,
    unconfirmed: 0,
    dropped,
    duplicates: 0,
    reconnects: 0,
    invalidLines: 0
  }
  for (const s of all) {
    for (const key of Object.keys(total) as Array<keyof ChatClient.Stats>) total[key] += s[key]
  }
  return total
}

/**
 * Builds the pool: its hub and events, its first connection (made with `options`, the context's
 * services and one limiter for every connection), then the service.
 */
export const make = (
  settings: Settings,
  options: ChatClient.Options
): Effect.Effect<ChatPool.ChatPool.Service, Failure, TwitchConfig | Scope.Scope> =>
  Effect.gen(function*() {
    const scope = yield* Effect.scope
    const context = yield* Effect.context<TwitchConfig>()
    const base = Option.getOrElse(
      yield* Effect.serviceOption(ChatRateLimits.ChatLimiters),
      () => ChatRateLimits.processLimiters
    )
    // Every connection draws from the limiter of the first one's login: the same for an account;
    // one for all the `justinfan` logins of an anonymous pool.
    let account: string | undefined
    const limiters: ChatRateLimits.ChatLimiters.Service = {
      acquire: (login, limits) => base.acquire(account ??= login, limits)
    }
    let dropped = 0
    const hub = yield* Hub.make(settings, {
      received: () => undefined,
      dropped: (n) => {
        dropped += n
        ChatClient.metrics.dropped.unsafeUpdate(n, [])
      }
    })
    const events = yield* PubSub.sliding<Member.PoolEvent>(1024)
    const ended = { failure: undefined as Failure | undefined, closed: false }
    const clients = new Map<Placement.Slot, Client>()
    const placement = Placement.make(settings.capacity)
    const m = settings.metrics
    const perConnection = (slot: Placement.Slot, delta: number) => {
      m.channels.unsafeModify(delta, [])
      m.channelsPerConnection.unsafeModify(delta, [MetricLabel.make("connection", String(slot.connection))])
    }
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        ended.closed = true
        hub.end(Exit.void)
        for (const slot of placement.slots()) for (const _ of slot.channels) perConnection(slot, -1)
      })
    )
    // Closed before the line above runs: every connection says goodbye, all at once.
    const members = yield* Scope.fork(scope, ExecutionStrategy.parallel)
    const fibers = yield* Scope.fork(scope, ExecutionStrategy.sequential)

    const fail = (error: Failure) =>
      Effect.sync(() => {
        if (ended.failure !== undefined || ended.closed) return
        ended.failure = error
        hub.end(Exit.fail(error))
      })

    // The first connection fails `make` after `initialAttempts` like a lone client; a later one
    // keeps trying (with the reconnect backoff), as a connection that dropped does: the joins
    // placed on it wait for it.
    const clientFor = (later: { readonly login: string | undefined } | undefined) =>
      ChatClient.make({
        ...options,
        channels: undefined,
        login: later?.login ?? options.login,
        initialAttempts: later === undefined ? options.initialAttempts : Number.POSITIVE_INFINITY
      }).pipe(
        Effect.provideService(ChatRateLimits.ChatLimiters, limiters),
        Effect.provide(Context.omit(Scope.Scope)(context))
      )

    const openSlot = (slot: Placement.Slot, later: { readonly login: string | undefined } | undefined) =>
      Member.open(slot.connection, {
        client: clientFor(later),
        parent: members,
        hub,
        events,
        onFatal: fail,
        onClose: Effect.sync(() => m.connections.unsafeModify(-1, []))
      }).pipe(
        Effect.tap((client) =>
          Effect.sync(() => {
            clients.set(slot, client)
            m.connections.unsafeModify(1, [])
          })
        ),
        Effect.tapError(() =>
          Effect.sync(() => {
            for (const _ of placement.discard(slot)) perConnection(slot, -1)
          })
        ),
        Effect.exit,
        Effect.flatMap((exit) => Deferred.done(slot.ready, exit)),
        // Interrupted while opening (the pool closes): joins waiting for it fail, not hang.
        Effect.ensuring(Deferred.fail(slot.ready, closedError))
      )

    const firstSlot = placement.open()
    yield* openSlot(firstSlot, undefined)
    const first = yield* Deferred.await(firstSlot.ready)
    const login = first.anonymous ? undefined : first.login
    const cap = settings.cap === "none"
      ? undefined
      : settings.cap ?? (first.anonymous ? undefined : ChannelCap.twitchCap)

    const joins = Joins.make({
      login: first.login,
      cap,
      overCap: settings.overCap,
      joinConcurrency: settings.joinConcurrency,
      placement,
      perConnection,
      pending: (delta) => m.joinsPending.unsafeModify(delta, []),
      open: (slot) => Effect.asVoid(Effect.forkIn(openSlot(slot, { login }), fibers)),
      ended: () => ended.closed ? closedError : ended.failure
    })
    yield* joins.watch(events, fibers)
    return service({ settings, first, hub, events, ended, clients, placement, joins, dropped: () => dropped })
  }).pipe(Effect.withSpan("chat.pool.start"))

/** What the service is built from. */
interface Parts {
  readonly settings: Settings
  readonly first: Client
  readonly hub: Hub.Hub
  readonly events: PubSub.PubSub<Member.PoolEvent>
  readonly ended: { readonly failure: Failure | undefined; readonly closed: boolean }
  readonly clients: ReadonlyMap<Placement.Slot, Client>
  readonly placement: Placement.Placement
  readonly joins: Joins.Joins
  /** Messages the pool's own streams dropped. */
  readonly dropped: () => number
}

/** `sendRaw`: a PRIVMSG over its channel's connection, JOIN/PART through the pool, the rest over the first. */
const sendRaw = (
  line: string,
  route: (channel: string) => Effect.Effect<Client, Failure>,
  joins: Joins.Joins,
  first: Client
): Effect.Effect<SendOutcome, Failure> => {
  const parsed = parseTwitchLine(line)
  if (Either.isLeft(parsed) || Text.forbiddenIndex(line) >= 0) return first.sendRaw(line)
  const irc = parsed.right.irc
  const command = irc.command.toUpperCase()
  if (command === "PRIVMSG" && irc.params.length === 2) {
    return Effect.flatMap(route(irc.params[0]), (c) => c.sendRaw(line))
  }
  if (command !== "JOIN" && command !== "PART") return first.sendRaw(line)
  const channels = (irc.params[0] ?? "").split(",").filter((c) => c.length > 0)
  return Effect.forEach(channels, command === "JOIN" ? joins.join : joins.part, {
    concurrency: "unbounded",
    discard: true
  }).pipe(Effect.as(SendOutcome.Written({ line, waited: Duration.zero })))
}

const service = (parts: Parts): ChatPool.ChatPool.Service => {
  const { clients, first, hub, joins, placement, settings } = parts
  const all = Effect.sync(() => [...clients.values()])
  const route = (raw: string): Effect.Effect<Client, Failure> => {
    const channel = Text.normalizeChannel(raw)
    const slot = channel === undefined ? undefined : placement.find(channel)
    return slot === undefined ? Effect.succeed(first) : Deferred.await(slot.ready)
  }
  const inChannel = (channel: string) => (m: TwitchMessage) => ChatClient.isInChannel(m, channel)
  return {
    login: first.login,
    anonymous: first.anonymous,
    channelsPerConnection: settings.capacity,
    messages: hub.subscribe({}),
    channel: (channel) => hub.subscribe({ filter: inChannel(channel) }),
    stream: (o) =>
      hub.subscribe({
        filter: o.channel === undefined ? undefined : inChannel(o.channel),
        bufferSize: o.bufferSize,
        overflow: o.overflow
      }),
    events: Stream.map(Stream.fromPubSub(parts.events), (e) => e.event),
    connectionEvents: Stream.fromPubSub(parts.events),
    state: Effect.suspend(() => {
      if (parts.ended.closed) return Effect.succeed("Closed" as const)
      if (parts.ended.failure !== undefined) return Effect.succeed("Failed" as const)
      const states = placement.slots().map((slot) =>
        clients.get(slot)?.state ?? Effect.succeed("Connecting" as const)
      )
      return Effect.map(Effect.all(states), aggregate)
    }),
    join: joins.join,
    joinAll: joins.joinAll,
    part: joins.part,
    joined: Effect.flatMap(
      all,
      (cs) => Effect.map(Effect.forEach(cs, (c) => c.joined), (lists) => lists.flat().sort())
    ),
    say: (channel, text, options) => Effect.flatMap(route(channel), (c) => c.say(channel, text, options)),
    reply: (channel, parentId, text, options) =>
      Effect.flatMap(route(channel), (c) => c.reply(channel, parentId, text, options)),
    me: (channel, text, options) => Effect.flatMap(route(channel), (c) => c.me(channel, text, options)),
    sendRaw: (line) => sendRaw(line, route, joins, first),
    isElevated: (channel) =>
      Effect.flatMap(
        Effect.either(route(channel)),
        (c) => Either.isRight(c) ? c.right.isElevated(channel) : Effect.succeed(false)
      ),
    stats: Effect.flatMap(
      all,
      (cs) => Effect.map(Effect.forEach(cs, (c) => c.stats), (s) => sumStats(s, parts.dropped()))
    ),
    capabilities: first.capabilities,
    connectionId: first.connectionId,
    connections: Effect.suspend(() =>
      Effect.forEach(placement.slots(), (slot) => {
        const client = clients.get(slot)
        const channels = [...slot.channels].sort()
        if (client === undefined) {
          return Effect.succeed({
            connection: slot.connection,
            channels,
            state: "Connecting" as const,
            connectionId: Option.none(),
            stats: Option.none()
          })
        }
        return Effect.map(
          Effect.all([client.state, client.connectionId, client.stats]),
          ([state, connectionId, stats]) => ({
            connection: slot.connection,
            channels,
            state,
            connectionId,
            stats: Option.some(stats)
          })
        )
      })
    )
  }
}
