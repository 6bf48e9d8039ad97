/**
 * The pool's joins: a channel is placed on a connection (opened when every one is full), counted
 * against Twitch's channel cap, and joined by that connection's client through the account's JOIN
 * limit. A channel whose join failed, that was parted, or whose rejoin Twitch refused is taken off
 * its connection.
 *
 * @internal
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import { ChatError, type NotAuthorized } from "../../../TwitchError.js"
import * as Text from "../../internal/engine/text.js"
import * as ChannelCap from "../ChannelCap.js"
import type * as Member from "./member.js"
import type * as Placement from "./placement.js"

type Failure = ChatError | NotAuthorized

/** What the joins work with. */
export interface Parts {
  /** The account's login (the first connection's `justinfan` when anonymous). */
  readonly login: string
  readonly cap: number | undefined
  readonly overCap: ChannelCap.OverCap
  readonly joinConcurrency: number
  readonly placement: Placement.Placement
  /** Counts a channel placed on (+1) or taken off (-1) a connection. */
  readonly perConnection: (slot: Placement.Slot, delta: number) => void
  /** Counts joins in flight. */
  readonly pending: (delta: number) => void
  /** Opens a connection placed for a channel, in the background. */
  readonly open: (slot: Placement.Slot) => Effect.Effect<void>
  /** Why the pool cannot join any more (failed or closed). */
  readonly ended: () => Failure | undefined
}

/** The pool's joins. */
export interface Joins {
  readonly join: (channel: string) => Effect.Effect<void, Failure>
  readonly joinAll: (channels: Iterable<string>) => Effect.Effect<void, Failure>
  readonly part: (channel: string) => Effect.Effect<void, ChatError>
  /**
   * Follows the connections' events: a channel whose rejoin Twitch refused is not wanted by its
   * connection any more, so it is taken off it.
   */
  readonly watch: (
    events: PubSub.PubSub<Member.PoolEvent>,
    fibers: Scope.Scope
  ) => Effect.Effect<void, never, Scope.Scope>
}

const invalid = (channel: string) =>
  new ChatError({ reason: "JoinFailed", channel, detail: "not a channel name" })

/** The joins of one pool. */
export const make = (parts: Parts): Joins => {
  const { placement } = parts
  const joining = new Map<string, number>()
  let warned = false

  /** Channels counted against the cap: all placed but the account's own. */
  const counted = () => placement.size() - (placement.find(parts.login) === undefined ? 0 : 1)

  const takeOff = (channel: string, slot: Placement.Slot) => {
    if (placement.find(channel) !== slot) return
    placement.remove(channel)
    parts.perConnection(slot, -1)
    if (parts.cap !== undefined && counted() < parts.cap) warned = false
  }

  /** The cap's verdict on a new channel: a refusal, a warning (once per crossing) or nothing. */
  const checkCap = (channel: string): Effect.Effect<void, ChatError> => {
    const cap = parts.cap
    if (cap === undefined || channel === parts.login) return Effect.void
    const n = counted() + 1
    if (n <= cap) return Effect.void
    if (parts.overCap === "fail") return Effect.fail(ChannelCap.error(channel, parts.login, n, cap, true))
    if (warned) return Effect.void
    warned = true
    return Effect.logWarning(`chat pool: ${ChannelCap.explain(parts.login, n, cap)}`)
  }

  const joinPlaced = (channel: string, slot: Placement.Slot): Effect.Effect<void, Failure> =>
    Effect.flatMap(Deferred.await(slot.ready), (client) => client.join(channel)).pipe(
      Effect.tapError(() => Effect.sync(() => takeOff(channel, slot))),
      Effect.mapError((e) =>
        ChannelCap.isCapError(e) && parts.cap !== undefined
          ? ChannelCap.error(channel, parts.login, counted() + 1, parts.cap, false)
          : e
      ),
      Effect.withSpan("chat.pool.join", {
        attributes: { "chat.channel": channel, "chat.pool.connection": slot.connection }
      })
    )

  const join = (raw: string): Effect.Effect<void, Failure> =>
    Effect.suspend(() => {
      const ended = parts.ended()
      if (ended !== undefined) return Effect.fail(ended)
      const channel = Text.normalizeChannel(raw)
      if (channel === undefined) return Effect.fail(invalid(raw))
      const known = placement.find(channel) !== undefined
      return Effect.zipRight(
        known ? Effect.void : checkCap(channel),
        Effect.suspend(() => {
          const { opened, slot } = placement.place(channel)
          if (!known) parts.perConnection(slot, 1)
          joining.set(channel, (joining.get(channel) ?? 0) + 1)
          parts.pending(1)
          return Effect.zipRight(opened ? parts.open(slot) : Effect.void, joinPlaced(channel, slot)).pipe(
            Effect.ensuring(Effect.sync(() => {
              parts.pending(-1)
              const left = (joining.get(channel) ?? 1) - 1
              if (left > 0) joining.set(channel, left)
              else joining.delete(channel)
            }))
          )
        })
      )
    })

  // Every channel is tried; the first failure is reported once all are done.
  const joinAll = (channels: Iterable<string>): Effect.Effect<void, Failure> =>
    Effect.flatMap(
      Effect.forEach(channels, (c) => Effect.either(join(c)), { concurrency: parts.joinConcurrency }),
      (results) => {
        const failed = results.find(Either.isLeft)
        return failed === undefined ? Effect.void : Effect.fail(failed.left)
      }
    )

  const part = (raw: string): Effect.Effect<void, ChatError> =>
    Effect.suspend(() => {
      const channel = Text.normalizeChannel(raw)
      if (channel === undefined) return Effect.fail(invalid(raw))
      const slot = placement.find(channel)
      if (slot === undefined) return Effect.void
      return Effect.flatMap(Effect.option(Deferred.await(slot.ready)), (client) =>
        client._tag === "None" ? Effect.void : client.value.part(channel)).pipe(
          Effect.ensuring(Effect.sync(() =>
            takeOff(channel, slot)
          ))
        )
    })

  const watch = (events: PubSub.PubSub<Member.PoolEvent>, fibers: Scope.Scope) =>
    Effect.gen(function*() {
      const subscription = yield* PubSub.subscribe(events)
      yield* Effect.forkIn(
        Effect.forever(Effect.map(Queue.take(subscription), ({ connection, event }) => {
          if (event._tag !== "JoinFailed" || event.error.reason !== "JoinFailed") return
          const slot = placement.find(event.channel)
          if (slot?.connection === connection && !joining.has(event.channel)) takeOff(event.channel, slot)
        })),
        fibers
      )
    })

  return { join, joinAll, part, watch }
}
