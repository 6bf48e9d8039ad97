/**
 * pytwitcherapi's "send chat" example with effect-twitcher: every line typed at the prompt is sent
 * to the channel, and Twitch's answer (sent with its id, or refused and why) is printed; other
 * people's messages are printed as they arrive.
 *
 *   npx tsx examples/chat-send.ts [channel]     # against the built-in mock Twitch
 *   TWITCH_CLIENT_ID=<id> TWITCH_TOKEN=<token> npx tsx examples/chat-send.ts <channel>
 *
 * The token needs chat:read and chat:edit. The pytwitcherapi version read:
 *
 *   client = pytwitcherapi.IRCClient(session, channel)
 *   while True:
 *       client.send_msg(input("> "))
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { ChatClient } from "effect-twitcher/chat"
import { Environment } from "effect-twitcher/testing"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Readline from "node:readline"

const lines = Stream.async<string>((emit) => {
  const rl = Readline.createInterface({ input: process.stdin, output: process.stdout, prompt: "> " })
  rl.prompt()
  rl.on("line", (line) => {
    void emit.single(line)
    rl.prompt()
  })
  rl.on("close", () => void emit.end())
  return Effect.sync(() => rl.close())
})

const program = Effect.gen(function*() {
  const chat = yield* ChatClient.make()
  const channel = process.argv[2] ?? chat.login
  yield* chat.join(channel)
  yield* Console.log(`joined #${channel} as ${chat.login}; type messages, Ctrl-D to quit`)
  // Others' messages, printed while we type (any fiber may send while another consumes).
  yield* chat.channel(channel).pipe(
    Stream.runForEach((m) =>
      m._tag === "Privmsg" && m.login !== chat.login
        ? Console.log(`\n${m.displayName}: ${m.text}`)
        : Effect.void
    ),
    Effect.forkScoped
  )
  yield* lines.pipe(
    Stream.filter((line) => line.trim().length > 0),
    Stream.runForEach((line) =>
      chat.say(channel, line).pipe(
        Effect.flatMap((outcome) => {
          switch (outcome._tag) {
            case "Sent":
              return Console.log(`sent (id ${outcome.id})`)
            case "Refused":
              return Console.log(`refused: ${outcome.reason} (${outcome.notice})`)
            case "Unconfirmed":
              return Console.log(`no answer from Twitch (${outcome.reason})`)
            case "Written":
              return Effect.void
          }
        }),
        Effect.catchAll((error) => Console.log(`not sent: ${error.message}`))
      )
    )
  )
})

program.pipe(
  Effect.scoped,
  Effect.provide(Environment.layer({ mock: { irc: { chatterRate: 0.5 } } })),
  Effect.provide(NodeHttpClient.layerUndici),
  NodeRuntime.runMain
)
