/**
 * pytwitcherapi's "read chat" example with effect-twitcher: join a channel and print every chat
 * message with the sender's color, subscriber/turbo flags, user type and emotes.
 *
 *   npx tsx examples/chat-read.ts [channel]     # against the built-in mock Twitch (its chatter talks)
 *   TWITCH_CLIENT_ID=<id> TWITCH_TOKEN=<token> npx tsx examples/chat-read.ts <channel>
 *
 * Without a channel it joins the most watched live stream. The pytwitcherapi version read:
 *
 *   client = pytwitcherapi.IRCClient(session, channel)
 *   while True:
 *       m = client.messages.get()
 *       print(m.source.nickname, m.text, m.color, m.subscriber, m.turbo, m.emotes, m.user_type)
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { ChatClient } from "effect-twitcher/chat"
import { Helix, Paging, Streams } from "effect-twitcher/helix"
import { Environment } from "effect-twitcher/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

const program = Effect.gen(function*() {
  const streams = yield* Streams.Streams
  const given = process.argv[2]
  const channel = given ??
    (yield* Paging.collect(streams.list({ pageSize: 1 }), { limit: 1 }))[0]?.userLogin ?? "twitcher"
  // One line, like pytwitcherapi's IRCClient(session, channel): a scoped client joined to it.
  const chat = yield* ChatClient.make({ channels: [channel] })
  yield* Console.log(`joined #${channel} as ${chat.login}; Ctrl-C to stop`)
  // ChatClient.forEachMessage: Stream.runForEach without its heap growth on a busy channel
  yield* chat.channel(channel).pipe(
    ChatClient.forEachMessage((m) => {
      if (m._tag !== "Privmsg") return Effect.void
      const color = Option.getOrElse(m.color, () => "(none)")
      const emotes = m.emotes.map((e) => `${e.name}#${e.id}`).join(",")
      return Console.log(
        `${m.displayName.padEnd(18)} ${m.text}\n` +
          `    color=${color} subscriber=${m.subscriber} turbo=${m.turbo} ` +
          `user-type=${m.userType || "(none)"} emotes=[${emotes}]`
      )
    })
  )
})

program.pipe(
  Effect.scoped,
  Effect.provide(
    Helix.layer().pipe(
      Layer.provideMerge(Environment.layer({ mock: { irc: { chatterRate: 2 } } })),
      Layer.provide(NodeHttpClient.layerUndici)
    )
  ),
  NodeRuntime.runMain
)
