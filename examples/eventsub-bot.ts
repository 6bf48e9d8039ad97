/**
 * An EventSub bot: thanks new followers and subscribers in chat and counts channel point
 * redemptions, over EventSub's WebSocket (subscriptions kept across reconnects, events once).
 *
 *   npx tsx examples/eventsub-bot.ts        # against the built-in mock Twitch (its world fires events)
 *   TWITCH_CLIENT_ID=<id> TWITCH_TOKEN=<token> npx tsx examples/eventsub-bot.ts
 *
 * The token is the broadcaster's (or a moderator's: follows need moderator:read:followers,
 * subscriptions channel:read:subscriptions, redemptions channel:read:redemptions, and sending
 * user:write:chat). The thanks go out through Helix's Send Chat Message.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { TwitchConfig } from "effect-twitcher"
import { TwitchAuth } from "effect-twitcher/auth"
import { EventSubWebSocket, Types } from "effect-twitcher/eventsub"
import { Chat, Helix } from "effect-twitcher/helix"
import { Environment } from "effect-twitcher/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"

const program = Effect.gen(function*() {
  const config = yield* TwitchConfig.TwitchConfig
  if (
    config.eventSubWebSocketUrl === TwitchConfig.productionUrls.eventSubWebSocketUrl &&
    (yield* Environment.target) === "mock"
  ) {
    return yield* Console.error(
      "This mock Twitch does not serve EventSub: set TWITCH_CLIENT_ID and TWITCH_TOKEN."
    )
  }
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

program.pipe(
  Effect.provide(
    EventSubWebSocket.layer().pipe(
      Layer.provideMerge(Helix.layer()),
      Layer.provideMerge(Environment.layer()),
      Layer.provide(NodeHttpClient.layerUndici)
    )
  ),
  NodeRuntime.runMain
)
