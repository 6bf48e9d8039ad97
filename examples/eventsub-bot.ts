/**
 * An EventSub bot: thanks new followers and subscribers in chat and counts channel point
 * redemptions, over EventSub's WebSocket (subscriptions kept across reconnects, events once).
 *
 *   npx tsx examples/eventsub-bot.ts        # against the built-in mock Twitch: it fires a follow,
 *                                           # a subscription and redemptions, then the bot stops
 *   TWITCH_CLIENT_ID=<id> TWITCH_TOKEN=<token> npx tsx examples/eventsub-bot.ts
 *
 * The token is the broadcaster's (or a moderator's: follows need moderator:read:followers,
 * subscriptions channel:read:subscriptions, redemptions channel:read:redemptions, and sending
 * user:write:chat). The thanks go out through Helix's Send Chat Message.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { TwitchAuth } from "effect-twitcher/auth"
import { EventSubWebSocket, Types } from "effect-twitcher/eventsub"
import { Chat, Helix } from "effect-twitcher/helix"
import { Environment, MockTwitch } from "effect-twitcher/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"

const bot = Effect.gen(function*() {
  const me = yield* TwitchAuth.currentUser
  const eventSub = yield* EventSubWebSocket.EventSubWebSocket
  const chat = yield* Chat.Chat
  const channel = { broadcasterUserId: me.userId }
  const say = (message: string) =>
    chat.sendMessage({ broadcasterId: me.userId, senderId: me.userId, message }).pipe(
      Effect.tap(() => Console.log(`said: ${message}`)),
      Effect.catchAll((error) => Console.error(`could not say "${message}": ${error.message}`))
    )
  const redemptions = yield* Ref.make(new Map<string, number>())

  const follows = eventSub.subscribe(Types.channelFollowV2, { ...channel, moderatorUserId: me.userId }).pipe(
    Stream.runForEach((follow) => say(`Thank you for the follow, ${follow.userName}!`))
  )
  const subs = eventSub.subscribe(Types.channelSubscribeV1, channel).pipe(
    Stream.runForEach((sub) =>
      sub.isGift
        ? Effect.void
        : say(`Thank you for subscribing, ${sub.userName} (tier ${Number(sub.tier) / 1000})!`)
    )
  )
  const points = eventSub.subscribe(Types.channelChannelPointsCustomRewardRedemptionAddV1, channel).pipe(
    Stream.runForEach((redemption) =>
      Effect.flatMap(
        Ref.updateAndGet(redemptions, (counts) =>
          new Map(counts).set(redemption.reward.title, (counts.get(redemption.reward.title) ?? 0) + 1)),
        (counts) =>
          Console.log(
            `${redemption.userName} redeemed "${redemption.reward.title}" (${
              counts.get(redemption.reward.title)
            } so far)`
          )
      )
    )
  )
  const changes = eventSub.events.pipe(Stream.runForEach((event) => Console.log(`[eventsub] ${event._tag}`)))
  yield* Console.log(`listening to ${me.login}'s follows, subscriptions and redemptions; Ctrl-C to stop`)
  yield* Effect.all([follows, subs, points, changes], { concurrency: "unbounded", discard: true })
})

/** On the mock: once the bot's three subscriptions exist, the mock fires what a stream would bring. */
const demo = Effect.gen(function*() {
  const { control } = (yield* MockTwitch.MockTwitch).eventSub
  yield* control.awaitSubscriptions(3)
  yield* control.fire({ type: "channel.follow", event: { user_name: "NewFollower" } })
  yield* control.fire({
    type: "channel.subscribe",
    event: { user_name: "NewSub", tier: "2000", is_gift: false }
  })
  for (const title of ["Hydrate", "Stretch", "Hydrate"]) {
    yield* control.fire({
      type: "channel.channel_points_custom_reward_redemption.add",
      event: { user_name: "Viewer", reward: { title } }
    })
  }
  yield* Effect.sleep("1 second")
  yield* Console.log("the mock's events were handled; stopping")
})

const withEventSub = <A, E, R>(base: Layer.Layer<A, E, R>) =>
  EventSubWebSocket.layer().pipe(Layer.provideMerge(Helix.layer()), Layer.provideMerge(base))

const main = Effect.gen(function*() {
  if ((yield* Environment.target) === "twitch") {
    return yield* bot.pipe(Effect.provide(withEventSub(Environment.layer())))
  }
  yield* Console.log("against the built-in mock Twitch (set TWITCH_CLIENT_ID and TWITCH_TOKEN for Twitch)")
  const onMock = withEventSub(
    TwitchAuth.layerValidated(MockTwitch.credentials.userToken).pipe(
      Layer.provideMerge(MockTwitch.layerWithTwitchConfig({ irc: false }))
    )
  )
  yield* Effect.raceFirst(bot, demo).pipe(Effect.provide(onMock))
})

main.pipe(Effect.provide(NodeHttpClient.layerUndici), NodeRuntime.runMain)
