/**
 * What every way to Twitch builds the same way: the one state (status, rooms, counters, events,
 * the account's limiter, hub and dedupe) and the `ChatClient` service over the parts an engine
 * gives: its joins, its send queue, its raw lines, what its token may send, and what it reports
 * about its connection.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SubscriptionRef from "effect/SubscriptionRef"
import { ChatError, type NotAuthorized } from "../../../TwitchError.js"
import type * as ChatClient from "../../ChatClient.js"
import * as ChatRateLimits from "../../ChatRateLimits.js"
import { SendOutcome } from "../../SendOutcome.js"
import type * as TM from "../../TwitchMessage.js"
import { parseTwitchLine } from "../../TwitchMessage.js"
import { channelIs } from "../twitch.js"
import * as Dedupe from "./dedupe.js"
import * as Hub from "./hub.js"
import type * as SendQueue from "./sendQueue.js"
import * as State from "./state.js"
import * as Text from "./text.js"

type Failure = ChatError | NotAuthorized

/** How a send was asked for: `say`, `reply` or `me`, with its options. */
interface SendRequest {
  readonly replyTo?: string | undefined
  readonly action?: boolean | undefined
  readonly options?: ChatClient.SendOptions | undefined
}

/** Builds the state: status, rooms, counters, events, the account's limiter, hub and dedupe. */
export const makeState = (settings: State.Settings, identity: State.Identity) =>
  Effect.gen(function*() {
    const clientScope = yield* Effect.scope
    // Connections and background fibers live in child scopes created before the client's own
    // finalizer, so that the goodbye runs while they are still alive.
    const connections = yield* Scope.fork(clientScope, ExecutionStrategy.sequential)
    const fibers = yield* Scope.fork(clientScope, ExecutionStrategy.sequential)
    const limiters = Option.getOrElse(
      yield* Effect.serviceOption(ChatRateLimits.ChatLimiters),
      () => ChatRateLimits.processLimiters
    )
    const counters: State.Counters = {
      received: 0,
      sent: 0,
      refused: 0,
      unconfirmed: 0,
      dropped: 0,
      duplicates: 0,
      reconnects: 0,
      invalidLines: 0
    }
    const hub = yield* Hub.make(settings, {
      received: (n) => {
        counters.received += n
        settings.hooks.received(n)
      },
      dropped: (n) => {
        counters.dropped += n
        settings.hooks.dropped(n)
      }
    })
    const state: State.State = {
      settings,
      identity,
      status: yield* SubscriptionRef.make(State.initial),
      rooms: {
        elevated: new Map(),
        roomIds: new Map(),
        slowModes: new Map(),
        lastSent: new Map(),
        userId: ""
      },
      counters,
      events: yield* PubSub.sliding<ChatClient.ConnectionEvent>(1024),
      limiter: yield* limiters.acquire(identity.login, settings.limits),
      hub,
      dedupe: Dedupe.make(settings.dedupeSize),
      clock: yield* Effect.clock,
      connections,
      fibers
    }
    return state
  })

/** The attributes of a send's outcome on its span (never the text or a token). */
export const traced = (channel: string, effect: Effect.Effect<SendOutcome, Failure>) =>
  effect.pipe(
    Effect.tap((o) =>
      Effect.annotateCurrentSpan({
        "chat.outcome": o._tag,
        ...(o._tag === "Refused" || o._tag === "Unconfirmed" ? { "chat.reason": o.reason } : {}),
        ...(o._tag === "Sent" || o._tag === "Refused" || o._tag === "Unconfirmed"
          ? { "chat.parts": o.parts }
          : {})
      })
    ),
    Effect.withSpan("chat.send", { attributes: { "chat.channel": channel } })
  )

/** What an engine gives the service. */
export interface Parts {
  readonly join: (channel: string) => Effect.Effect<void, Failure>
  readonly part: (channel: string) => Effect.Effect<void, ChatError>
  readonly sender: SendQueue.Sender
  /** Writes a raw line other than PRIVMSG, JOIN and PART (`sendRaw`). */
  readonly writeRaw: (line: string) => Effect.Effect<SendOutcome, Failure>
  /** Whether the client may send now (the token's scopes). */
  readonly canSend: Effect.Effect<void, NotAuthorized>
  /** Why a send cannot go this way (an action, `forSourceOnly`), if it cannot. */
  readonly unsupported: (request: {
    readonly channel: string
    readonly action: boolean
    readonly forSourceOnly: boolean | undefined
  }) => ChatError | undefined
  readonly capabilities: Effect.Effect<ReadonlyArray<string>>
  readonly connectionId: Effect.Effect<Option.Option<number>>
}

/** `say`, `reply` and `me`. */
const sendText = (state: State.State, parts: Parts) =>
(
  rawChannel: string,
  text: string,
  request: SendRequest
): Effect.Effect<SendOutcome, Failure> =>
  traced(
    rawChannel,
    Effect.gen(function*() {
      const channel = Text.normalizeChannel(rawChannel)
      if (channel === undefined) {
        return yield* new ChatError({
          reason: "InvalidText",
          channel: rawChannel,
          detail: "not a channel name"
        })
      }
      const o = request.options
      const refused = parts.unsupported({
        channel,
        action: request.action === true,
        forSourceOnly: o?.forSourceOnly
      })
      if (refused !== undefined) return yield* refused
      const d = state.settings.defaults
      const lines = yield* Text.compose(channel, text, {
        action: request.action === true,
        replyTo: request.replyTo,
        tooLong: o?.tooLong ?? d.tooLong,
        commands: o?.commands ?? d.commands,
        maxLength: d.maxLength
      })
      yield* parts.canSend
      return yield* parts.sender.enqueue(
        channel,
        lines,
        request.replyTo,
        o?.duplicates ?? d.duplicates,
        o?.forSourceOnly === undefined ? {} : { forSourceOnly: o.forSourceOnly }
      )
    })
  )

/** `sendRaw`: PRIVMSG through the sender, JOIN/PART through the joins, the rest to `writeRaw`. */
const sendRaw = (parts: Parts) => (line: string): Effect.Effect<SendOutcome, Failure> =>
  Effect.gen(function*() {
    const bad = Text.forbiddenIndex(line)
    if (bad >= 0) {
      return yield* new ChatError({ reason: "InvalidText", detail: `CR, LF or NUL at index ${bad}` })
    }
    const parsed = parseTwitchLine(line)
    if (Either.isLeft(parsed)) {
      return yield* new ChatError({ reason: "InvalidText", detail: parsed.left.message })
    }
    const irc = parsed.right.irc
    const command = irc.command.toUpperCase()
    if (command === "PRIVMSG" && irc.params.length === 2 && /^[#&]/.test(irc.params[0])) {
      const channel = Text.normalizeChannel(irc.params[0])
      if (channel === undefined) {
        return yield* new ChatError({ reason: "InvalidText", detail: "bad channel" })
      }
      const text = irc.params[1]
      const action = text.startsWith("\x01ACTION ")
      const refused = parts.unsupported({ channel, action, forSourceOnly: undefined })
      if (refused !== undefined) return yield* refused
      yield* parts.canSend
      const replyTo = irc.tags.get("reply-parent-msg-id")
      return yield* traced(channel, parts.sender.enqueue(channel, [{ line, text }], replyTo, "refuse"))
    }
    if (command === "JOIN" || command === "PART") {
      const channels = (irc.params[0] ?? "").split(",").filter((c) => c.length > 0)
      yield* Effect.forEach(channels, (c) => command === "JOIN" ? parts.join(c) : parts.part(c), {
        concurrency: "unbounded",
        discard: true
      })
      return SendOutcome.Written({ line, waited: Duration.zero })
    }
    return yield* parts.writeRaw(line)
  })

const inChannel = (channel: string) => {
  const key = Text.normalizeChannel(channel) ?? channel
  return (m: TM.TwitchMessage) => {
    if (channelIs(m, key) === true) return true
    const c = Text.channelOf(m)
    return c !== undefined && Text.sameChannel(c, key)
  }
}

/** The service over the state and an engine's parts. */
export const service = (state: State.State, parts: Parts): ChatClient.ChatClient.Service => {
  const status = SubscriptionRef.get(state.status)
  const send = sendText(state, parts)
  const joinAll = (channels: Iterable<string>) =>
    Effect.forEach(channels, parts.join, { concurrency: "unbounded", discard: true })
  return {
    login: state.identity.login,
    anonymous: state.identity.anonymous,
    messages: state.hub.subscribe({}),
    channel: (channel) => state.hub.subscribe({ filter: inChannel(channel) }),
    stream: (o) =>
      state.hub.subscribe({
        filter: o.channel === undefined ? undefined : inChannel(o.channel),
        bufferSize: o.bufferSize,
        overflow: o.overflow
      }),
    events: Stream.fromPubSub(state.events),
    state: Effect.map(status, (s) => s.phase),
    join: parts.join,
    joinAll,
    part: parts.part,
    joined: Effect.map(status, (s) => [...s.joined].sort()),
    say: (channel, text, options) => send(channel, text, { options }),
    reply: (channel, parentId, text, options) => send(channel, text, { replyTo: parentId, options }),
    me: (channel, text, options) => send(channel, text, { action: true, options }),
    sendRaw: sendRaw(parts),
    isElevated: (channel) =>
      Effect.sync(() => state.rooms.elevated.get(Text.normalizeChannel(channel) ?? channel) === true),
    stats: Effect.sync(() => ({ ...state.counters })),
    capabilities: parts.capabilities,
    connectionId: parts.connectionId
  }
}
