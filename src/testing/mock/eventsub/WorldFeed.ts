/**
 * The world's events as EventSub notifications, one mapping per event tag: a stream that starts or
 * ends (`stream.online`, `stream.offline`), a follow (`channel.follow`), a channel's title,
 * category or labels (`channel.update`), moderators, VIPs and subscribers added or removed
 * (`channel.moderator.add`/`remove`, `channel.vip.add`/`remove`, `channel.subscribe`,
 * `channel.subscription.end`; a removed moderator's subscriptions are revoked with
 * `moderator_removed`), room modes (`channel.chat_settings.update`), messages sent with Send Chat
 * Message (`channel.chat.message`, with the Chat Bot badge when sent with an app token), and a
 * user's last token of a
 * client revoked (the user took back the client's authorization: `user.authorization.revoke`, and
 * the subscriptions that needed it are revoked with `authorization_revoked`). A new world event
 * plugs in with one line in {@link mappings}.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import { emoteTag } from "../irc/Message.js"
import { rolesIn } from "../irc/Roles.js"
import type * as MockWorld from "../World.js"
import type { Channel } from "../world/Models.js"
import * as ChatEvents from "./ChatEvents.js"
import * as ChatTap from "./ChatTap.js"
import * as Delivery from "./Delivery.js"
import * as Facts from "./Facts.js"
import type { JsonObject } from "./Payload.js"
import * as Rules from "./Rules.js"
import { type Env, type Subscription, subscriptions } from "./State.js"
import * as Subscriptions from "./Subscriptions.js"

/**
 * What a world event causes: notifications, and revocations of the subscriptions a predicate
 * picks.
 *
 * @since 0.1.0
 * @category models
 */
export type Reaction =
  | { readonly _tag: "Emit"; readonly emission: Delivery.Emission }
  | {
    readonly _tag: "Revoke"
    readonly status: "moderator_removed" | "user_removed" | "authorization_revoked"
    readonly pick: (sub: Subscription) => boolean
  }

/**
 * What a mapping may read: the server and the channels as they were before the event.
 *
 * @since 0.1.0
 * @category models
 */
export interface FeedContext {
  readonly env: Env
  readonly previous: ReadonlyMap<string, Channel>
}

type Event<K extends MockWorld.WorldEvent["_tag"]> = Extract<MockWorld.WorldEvent, { readonly _tag: K }>

/**
 * One mapping per world event tag that EventSub reports.
 *
 * @since 0.1.0
 * @category models
 */
export type Mappings = {
  readonly [K in MockWorld.WorldEvent["_tag"]]?: (
    ctx: FeedContext,
    event: Event<K>
  ) => Effect.Effect<ReadonlyArray<Reaction>>
}

const emit = (type: string, broadcasterId: string, event: JsonObject): Reaction => ({
  _tag: "Emit",
  emission: {
    type,
    condition: { broadcaster_user_id: broadcasterId },
    event: { broadcaster_user_id: broadcasterId, ...event }
  }
})

const added = (before: ReadonlyArray<string>, after: ReadonlyArray<string>) =>
  after.filter((x) => !before.includes(x))

/** Roles and subscribers that changed between two versions of a channel. */
const membershipReactions = (before: Channel, after: Channel): ReadonlyArray<Reaction> => {
  const id = after.broadcasterId
  const reactions: Array<Reaction> = []
  for (const user of added(before.moderators, after.moderators)) {
    reactions.push(emit("channel.moderator.add", id, { user_id: user }))
  }
  for (const user of added(after.moderators, before.moderators)) {
    reactions.push(emit("channel.moderator.remove", id, { user_id: user }))
    reactions.push({
      _tag: "Revoke",
      status: "moderator_removed",
      pick: (sub) => sub.condition.broadcaster_user_id === id && sub.condition.moderator_user_id === user
    })
  }
  for (const user of added(before.vips, after.vips)) {
    reactions.push(emit("channel.vip.add", id, { user_id: user }))
  }
  for (const user of added(after.vips, before.vips)) {
    reactions.push(emit("channel.vip.remove", id, { user_id: user }))
  }
  const subIds = (c: Channel) => c.subscribers.map((s) => s.userId)
  for (const sub of after.subscribers.filter((s) => !subIds(before).includes(s.userId))) {
    reactions.push(emit("channel.subscribe", id, { user_id: sub.userId, tier: sub.tier, is_gift: false }))
  }
  for (const sub of before.subscribers.filter((s) => !subIds(after).includes(s.userId))) {
    reactions.push(
      emit("channel.subscription.end", id, { user_id: sub.userId, tier: sub.tier, is_gift: false })
    )
  }
  return reactions
}

const channelUpdated = (ctx: FeedContext, event: Event<"ChannelUpdated">) =>
  Effect.gen(function*() {
    const after = event.channel
    const before = ctx.previous.get(after.broadcasterId)
    if (before === undefined) return []
    const reactions = [...membershipReactions(before, after)]
    const labels = (c: Channel) => c.contentClassificationLabels.join(",")
    if (
      before.title !== after.title || before.gameId !== after.gameId || before.language !== after.language ||
      labels(before) !== labels(after)
    ) {
      const game = yield* ctx.env.world.game(after.gameId)
      reactions.push(emit("channel.update", after.broadcasterId, {
        title: after.title,
        language: after.language,
        category_id: after.gameId,
        category_name: game._tag === "Some" ? game.value.name : "",
        content_classification_labels: [...after.contentClassificationLabels]
      }))
    }
    return reactions
  })

/** Whether a subscription rests on a user's authorization of its client. */
const restsOn = (sub: Subscription, clientId: string, userId: string): boolean => {
  if (sub.clientId !== clientId) return false
  if (sub.userId !== undefined) return sub.userId === userId
  const spec = Facts.find(sub.type, sub.version)
  if (spec === undefined || !Rules.needsAuthorization(spec)) return false
  const field = Rules.authorizingField(spec)
  return field !== undefined && Rules.conditionValue(spec, sub.condition, field) === userId
}

const tokenRevoked = (ctx: FeedContext, { token }: Event<"TokenRevoked">) =>
  Effect.gen(function*() {
    const userId = token.userId
    if (userId === undefined) return []
    const s = yield* ctx.env.world.snapshot
    if (Rules.hasAuthorized(s, token.clientId, userId)) return []
    const reactions: ReadonlyArray<Reaction> = [
      {
        _tag: "Emit",
        emission: {
          type: "user.authorization.revoke",
          condition: { client_id: token.clientId },
          event: { client_id: token.clientId, user_id: userId }
        }
      },
      { _tag: "Revoke", status: "authorization_revoked", pick: (sub) => restsOn(sub, token.clientId, userId) }
    ]
    return reactions
  })

/** A message sent with Send Chat Message (not dropped), as `channel.chat.message`. */
const chatMessageSent = (ctx: FeedContext, { message }: Event<"ChatMessageSent">) =>
  Effect.gen(function*() {
    if (message.dropReason !== "") return []
    const world = ctx.env.world
    const s = yield* world.snapshot
    const user = (id: string) => s.users.find((u) => u.id === id)
    const sender = user(message.senderId)
    const broadcaster = user(message.broadcasterId)
    if (sender === undefined || broadcaster === undefined) return []
    const roles = rolesIn(sender, s.channels.find((c) => c.broadcasterId === message.broadcasterId))
    const emotes = [...(yield* world.globalEmotes), ...(yield* world.channelEmotes(message.broadcasterId))]
    const parentMessage = s.sentMessages.find((m) => m.id === message.replyParentMessageId)
    const parentUser = parentMessage === undefined ? undefined : user(parentMessage.senderId)
    const emission = ChatEvents.helixMessage({
      message,
      sender,
      broadcaster,
      badges: roles.badges,
      badgeInfo: roles.badgeInfo,
      color: sender.chatColor,
      emotes: emoteTag(message.text, new Map(emotes.map((e) => [e.name, e.id] as const))),
      parent: parentMessage === undefined || parentUser === undefined
        ? undefined
        : { message: parentMessage, user: parentUser }
    }, yield* ChatTap.lookups(ctx.env))
    const reaction: Reaction = { _tag: "Emit", emission }
    return [reaction]
  })

/**
 * The mappings from world events to reactions.
 *
 * @since 0.1.0
 * @category mappings
 */
export const mappings: Mappings = {
  StreamStarted: (_, { stream }) =>
    Effect.succeed([
      emit("stream.online", stream.userId, { id: stream.id, type: "live", started_at: stream.startedAt })
    ]),
  StreamEnded: (_, { userId }) => Effect.succeed([emit("stream.offline", userId, {})]),
  FollowAdded: (_, { follow }) =>
    Effect.succeed([
      emit("channel.follow", follow.toId, { user_id: follow.fromId, followed_at: follow.followedAt })
    ]),
  ChannelUpdated: channelUpdated,
  TokenRevoked: tokenRevoked,
  ChatMessageSent: chatMessageSent,
  RoomStateChanged: (_, { channelId, roomState }) =>
    Effect.succeed([emit("channel.chat_settings.update", channelId, {
      emote_mode: roomState.emoteOnly,
      follower_mode: roomState.followersOnly >= 0,
      follower_mode_duration_minutes: roomState.followersOnly >= 0 ? roomState.followersOnly : null,
      slow_mode: roomState.slow > 0,
      slow_mode_wait_time_seconds: roomState.slow > 0 ? roomState.slow : null,
      subscriber_mode: roomState.subsOnly,
      unique_chat_mode: roomState.r9k
    })])
}

/**
 * Revokes the active subscriptions whose condition a reaction picks.
 *
 * @since 0.1.0
 * @category reactions
 */
export const revokeWhere = (
  env: Env,
  reaction: Extract<Reaction, { readonly _tag: "Revoke" }>
): Effect.Effect<void> =>
  Effect.gen(function*() {
    for (const sub of (yield* subscriptions(env)).values()) {
      if (Subscriptions.isActive(sub) && reaction.pick(sub)) {
        yield* Effect.ignore(Delivery.revoke(env, sub.id, reaction.status))
      }
    }
  })

/**
 * Runs the reactions of one world event.
 *
 * @since 0.1.0
 * @category reactions
 */
export const react = (env: Env, reactions: ReadonlyArray<Reaction>): Effect.Effect<void> =>
  Effect.forEach(
    reactions,
    (r) => (r._tag === "Emit" ? Effect.asVoid(Delivery.emit(env, r.emission)) : revokeWhere(env, r)),
    { discard: true }
  )

/** The reactions of one event (none for tags without a mapping). */
const reactionsOf = <K extends MockWorld.WorldEvent["_tag"]>(
  tag: K,
  event: Event<K>,
  ctx: FeedContext
): Effect.Effect<ReadonlyArray<Reaction>> => {
  const mapping = mappings[tag]
  return mapping === undefined ? Effect.succeed([]) : mapping(ctx, event)
}

const onEvent = (env: Env, previous: Ref.Ref<ReadonlyMap<string, Channel>>, event: MockWorld.WorldEvent) =>
  Effect.gen(function*() {
    yield* react(env, yield* reactionsOf(event._tag, event, { env, previous: yield* Ref.get(previous) }))
    if (event._tag === "ChannelUpdated") {
      yield* Ref.update(previous, (m) => new Map(m).set(event.channel.broadcasterId, event.channel))
    } else if (event._tag === "UserAdded") {
      const channel = yield* env.world.channel(event.user.id)
      if (channel._tag === "Some") {
        yield* Ref.update(previous, (m) => new Map(m).set(event.user.id, channel.value))
      }
    }
  })

/**
 * Follows the world's events for the life of the scope (subscribed before this returns); a
 * failing event is logged.
 *
 * @since 0.1.0
 * @category reactions
 */
export const follow = (env: Env): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const events = yield* PubSub.subscribe(env.world.events)
    const s = yield* env.world.snapshot
    const previous = yield* Ref.make<ReadonlyMap<string, Channel>>(
      new Map(s.channels.map((c) => [c.broadcasterId, c]))
    )
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.flatMap(Queue.take(events), (event) =>
          Effect.catchAllCause(onEvent(env, previous, event), (cause) =>
            Effect.logWarning("mock EventSub: world event failed", cause)))
      )
    )
  })
