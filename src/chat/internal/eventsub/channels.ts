/**
 * Channels over EventSub: no JOIN, so no join limit and no 100-channel cap for a bot the
 * broadcaster authorized with `channel:bot`. Joining a channel is subscribing to its chat events
 * (`channel.chat.message`, `.notification`, `.clear`, `.clear_user_messages`, `.message_delete`,
 * `channel.chat_settings.update`) with the account as the chatting user; it completes when Twitch
 * created every one of them, and then publishes the channel's chat settings (Get Chat Settings) as
 * the ROOMSTATE IRC sends on JOIN. It fails with `JoinFailed` when the login is no Twitch user or
 * Twitch refuses a subscription (its answer says why), `JoinTimeout` after the join timeout. The
 * EventSub client keeps the subscriptions across reconnects. Parting closes them (Twitch deletes
 * them). A subscription Twitch revokes later (the account was banned, the authorization taken
 * back) leaves the channel: `JoinFailed` on `events`.
 *
 * @internal
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as SubscriptionRef from "effect/SubscriptionRef"
import type * as Definition from "../../../eventsub/Definition.js"
import type * as EventSub from "../../../eventsub/EventSub.js"
import * as Types from "../../../eventsub/generated/Types.js"
import type { InvalidParams } from "../../../helix/OperationError.js"
import { ChatError, type HelixError, type NotAuthorized } from "../../../TwitchError.js"
import * as State from "../engine/state.js"
import { normalizeChannel } from "../engine/text.js"
import type * as Api from "./api.js"
import * as Lines from "./lines.js"

type Failure = ChatError | NotAuthorized

/**
 * The chat types a channel is read with (the settings first: see `subscribeAll`).
 */
export const chatTypes = [
  Types.channelChatSettingsUpdateV1,
  Types.channelChatMessageV1,
  Types.channelChatNotificationV1,
  Types.channelChatClearV1,
  Types.channelChatClearUserMessagesV1,
  Types.channelChatMessageDeleteV1
] as const

/** What the channels need from the engine. */
export interface Context {
  readonly state: State.State
  readonly api: Api.Api
  readonly eventSub: EventSub.Service<Definition.WebSocketCapable>
  /** The account's user id (the chatting user of every subscription). */
  readonly userId: string
  /** Publishes a message built here (the ROOMSTATE after a join). */
  readonly publish: (line: string) => void
}

/** The channels of one client. */
export interface Channels {
  readonly join: (channel: string) => Effect.Effect<void, Failure>
  readonly part: (channel: string) => Effect.Effect<void, ChatError>
  /**
   * The session was lost: Twitch disabled every subscription, so no channel is joined until the
   * EventSub client created its subscriptions anew.
   */
  readonly sessionLost: Effect.Effect<void>
  /**
   * Twitch created a subscription (first, or anew on a new session): once every chat type of a
   * wanted channel is there again after a lost session, the channel is joined again (`Joined`).
   */
  readonly subscribed: (type: string, condition: Readonly<Record<string, string>>) => Effect.Effect<void>
  /**
   * The broadcaster id of a channel: known from a join, else asked of Twitch (`None`: no such
   * user).
   */
  readonly roomId: (channel: string) => Effect.Effect<Option.Option<string>, HelixError | InvalidParams>
}

const joinFailed = (channel: string, detail: string) =>
  new ChatError({ reason: "JoinFailed", channel, detail })

/** A Twitch login (what EventSub can read), or undefined. */
const loginOf = (raw: string): string | undefined => {
  const channel = normalizeChannel(raw)
  return channel !== undefined && /^[a-z0-9_]{1,25}$/.test(channel) ? channel : undefined
}

const describe = (error: EventSub.SubscribeError): string =>
  error._tag === "EventSubError" ? error.message : `Twitch refused the subscription: ${error.message}`

/**
 * Every chat subscription of a channel, in `scope` (each stream is read, and dropped, there), and
 * the channel's settings published as IRC's ROOMSTATE on JOIN: the settings subscription first,
 * then the settings read (so no change is missed), published before the messages can come.
 */
const subscribeAll = (
  ctx: Context,
  channel: string,
  broadcasterId: string,
  scope: Scope.Scope,
  onLost: (detail: string) => Effect.Effect<void>
) => {
  const subscribe = (definition: (typeof chatTypes)[number]) =>
    Effect.gen(function*() {
      const condition = { broadcasterUserId: broadcasterId, userId: ctx.userId }
      // The engine reads the client's stream of everything (one order across types): the
      // subscription is kept without a stream of its own (no second buffer per message).
      const ended = yield* ctx.eventSub.keepScoped(definition, condition)
      yield* Effect.forkIn(Effect.catchAll(ended, (e) => onLost(describe(e))), scope)
    }).pipe(Scope.extend(scope))
  const [settings, ...rest] = chatTypes
  return Effect.gen(function*() {
    yield* subscribe(settings)
    const known = Option.flatten(yield* Effect.option(ctx.api.chatSettings(broadcasterId)))
    if (Option.isSome(known)) ctx.publish(Lines.roomState(channel, broadcasterId, known.value))
    yield* Effect.forEach(rest, subscribe, { concurrency: "unbounded", discard: true })
  })
}

/** The channels of one engine. */
export const make = (ctx: Context): Channels => {
  const { state } = ctx
  const scopes = new Map<string, Scope.CloseableScope>()
  const joining = new Map<string, Deferred.Deferred<void, Failure>>()
  /** The chat types Twitch created for each channel on the current session. */
  const created = new Map<string, Set<string>>()
  const types = new Set<string>(chatTypes.map((d) => d.type))

  const sessionLost = Effect.suspend(() => {
    created.clear()
    return State.update(state, (s) => ({ ...s, joined: new Set<string>() }))
  })

  const subscribed: Channels["subscribed"] = (type, condition) =>
    Effect.gen(function*() {
      if (!types.has(type) || condition.user_id !== ctx.userId) return
      const id = condition.broadcaster_user_id
      const channel = [...state.rooms.roomIds].find(([, room]) => room === id)?.[0]
      if (channel === undefined) return
      const done = created.get(channel) ?? new Set<string>()
      created.set(channel, done.add(type))
      if (done.size < types.size || joining.has(channel)) return
      const rejoined = yield* SubscriptionRef.modify(state.status, (s) =>
        s.wanted.has(channel) && !s.joined.has(channel)
          ? [true, { ...s, joined: State.withChannel(s.joined, channel, true) }] as const
          : [false, s] as const)
      if (rejoined) {
        State.emit(state, { _tag: "Joined", channel })
      }
    })

  const roomId: Channels["roomId"] = (channel) =>
    Effect.suspend(() => {
      const known = state.rooms.roomIds.get(channel)
      if (known !== undefined) return Effect.succeed(Option.some(known))
      return Effect.map(ctx.api.userByLogin(channel), (user) =>
        Option.map(user, (u) => {
          state.rooms.roomIds.set(channel, u.id)
          return u.id
        }))
    })

  const leave = (channel: string) =>
    Effect.gen(function*() {
      const scope = scopes.get(channel)
      scopes.delete(channel)
      created.delete(channel)
      yield* State.update(state, (s) => ({
        ...s,
        wanted: State.withChannel(s.wanted, channel, false),
        joined: State.withChannel(s.joined, channel, false)
      }))
      if (scope !== undefined) yield* Scope.close(scope, Exit.void)
    })

  /** A subscription of a joined channel ended (revoked): the channel is left. */
  const lost = (channel: string, scope: Scope.CloseableScope) => (detail: string) =>
    Effect.suspend(() => {
      if (scopes.get(channel) !== scope) return Effect.void
      State.emit(state, { _tag: "JoinFailed", channel, error: joinFailed(channel, detail) })
      // Forked: leaving closes the scope the caller runs in.
      return Effect.asVoid(Effect.forkIn(leave(channel), state.fibers))
    })

  const joinNow = (channel: string): Effect.Effect<void, Failure> =>
    Effect.gen(function*() {
      const status = yield* SubscriptionRef.get(state.status)
      if (status.failure !== undefined) return yield* status.failure
      if (status.joined.has(channel)) return
      const found = yield* roomId(channel).pipe(
        Effect.mapError((e) => joinFailed(channel, `looking up the channel failed: ${e.message}`))
      )
      if (Option.isNone(found)) return yield* joinFailed(channel, "no Twitch user has this login")
      const id = found.value
      if (id === ctx.userId) state.rooms.elevated.set(channel, true)
      yield* State.update(state, (s) => ({ ...s, wanted: State.withChannel(s.wanted, channel, true) }))
      const scope = yield* Scope.fork(state.fibers, ExecutionStrategy.sequential)
      scopes.set(channel, scope)
      const timeout = state.settings.timeouts.join
      const created = yield* subscribeAll(ctx, channel, id, scope, lost(channel, scope)).pipe(
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new ChatError({
              reason: "JoinTimeout",
              channel,
              detail: `Twitch did not create the chat subscriptions within ${Duration.format(timeout)}`
            })
        }),
        Effect.mapError((e) => e._tag === "ChatError" ? e : joinFailed(channel, describe(e))),
        Effect.either
      )
      if (Either.isLeft(created)) {
        yield* leave(channel)
        return yield* created.left
      }
      yield* State.update(state, (s) => ({ ...s, joined: State.withChannel(s.joined, channel, true) }))
      State.emit(state, { _tag: "Joined", channel })
    })

  const join = (raw: string): Effect.Effect<void, Failure> =>
    Effect.suspend(() => {
      const channel = loginOf(raw)
      if (channel === undefined) return Effect.fail(joinFailed(raw, "not a Twitch login"))
      const inFlight = joining.get(channel)
      if (inFlight !== undefined) return Deferred.await(inFlight)
      const done = Deferred.unsafeMake<void, Failure>(FiberId.none)
      joining.set(channel, done)
      const run = joinNow(channel).pipe(
        Effect.tapError((error) =>
          Effect.sync(() => {
            if (error._tag === "ChatError") State.emit(state, { _tag: "JoinFailed", channel, error })
          })
        ),
        Effect.onExit((exit) =>
          Effect.sync(() => {
            joining.delete(channel)
            Deferred.unsafeDone(done, exit)
          })
        )
      )
      return Effect.zipRight(Effect.forkIn(run, state.fibers), Deferred.await(done))
    }).pipe(
      Effect.withSpan("chat.join", { attributes: { "chat.channel": raw, "chat.transport": "eventsub" } })
    )

  const part = (raw: string): Effect.Effect<void, ChatError> =>
    Effect.gen(function*() {
      const channel = loginOf(raw)
      if (channel === undefined) return yield* joinFailed(raw, "not a Twitch login")
      const inFlight = joining.get(channel)
      if (inFlight !== undefined) yield* Effect.ignore(Deferred.await(inFlight))
      const wasJoined = (yield* SubscriptionRef.get(state.status)).joined.has(channel)
      yield* leave(channel)
      if (wasJoined) State.emit(state, { _tag: "Parted", channel })
    })

  return { join, part, roomId, sessionLost, subscribed }
}
