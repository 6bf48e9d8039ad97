// Real third-party Twitch clients against the mock: if they log in, join, read and send, the mock
// speaks Twitch well enough for other projects too.
import { assert, describe, it } from "@effect/vitest"
import * as Dank from "@mastondzn/dank-twitch-irc"
import * as Effect from "effect/Effect"
import tmi from "tmi.js"
import * as World from "../../src/testing/mock/World.js"
import { setup } from "./irc/fixture.js"

// dank-twitch-irc's .d.ts files use extensionless relative imports that NodeNext cannot resolve, so
// its exports look empty to tsc: describe the small part used here.
interface DankPrivmsg {
  readonly messageText: string
  readonly displayName: string
  readonly emotes: ReadonlyArray<unknown>
}
interface DankClient {
  on(event: "PRIVMSG", listener: (msg: DankPrivmsg) => void): void
  connect(): Promise<void>
  join(channel: string): Promise<void>
  say(channel: string, text: string): Promise<void>
  close(): void
}
const DankChatClient = (Dank as unknown as {
  readonly ChatClient: new(config: {
    readonly username: string
    readonly password: string
    readonly connection: { type: "tcp"; secure: boolean; host: string; port: number }
    readonly installDefaultMixins: boolean
  }) => DankClient
}).ChatClient

describe("IrcServer with real clients", () => {
  it.scopedLive("dank-twitch-irc over TCP: login, join, receive with tags, say (confirmed by USERSTATE)", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup({ limits: { channelIntervalMs: 0 } })
      const ch = live[0]
      const client = yield* Effect.acquireRelease(
        Effect.sync(() =>
          new DankChatClient({
            username: World.defaultUserLogin,
            password: `oauth:${World.defaultUserToken}`,
            connection: { type: "tcp", secure: false, host: "127.0.0.1", port: server.tcpPort },
            installDefaultMixins: false
          })
        ),
        (c) => Effect.sync(() => c.close())
      )
      const received: Array<{ text: string; emotes: number; display: string }> = []
      client.on(
        "PRIVMSG",
        (msg) => received.push({ text: msg.messageText, emotes: msg.emotes.length, display: msg.displayName })
      )
      yield* Effect.tryPromise(() => client.connect())
      yield* Effect.tryPromise(() => client.join(ch))
      yield* server.control.postMessage({
        channel: ch,
        login: World.secondUserLogin,
        text: "🔥 Kappa from the mock"
      })
      yield* Effect.tryPromise(() => client.say(ch, "hello from dank"))
      const got = yield* server.control.awaitPrivmsgs(ch, 1)
      assert.strictEqual(got[0].text, "hello from dank")
      for (let i = 0; i < 100 && received.length === 0; i++) yield* Effect.sleep("10 millis")
      assert.deepStrictEqual(received, [{
        text: "🔥 Kappa from the mock",
        emotes: 1,
        display: "TwitcherBot"
      }])
    }))

  it.scopedLive("tmi.js over WebSocket: login, join, receive, say", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup({ limits: { channelIntervalMs: 0 } })
      const ch = live[1]
      const client = yield* Effect.acquireRelease(
        Effect.sync(() =>
          new tmi.Client({
            connection: { server: "127.0.0.1", port: server.wsPort, secure: false, reconnect: false },
            identity: { username: World.secondUserLogin, password: `oauth:${World.secondUserToken}` },
            logger: { info: () => {}, warn: () => {}, error: () => {} }
          })
        ),
        (c) => Effect.promise(() => c.disconnect().catch(() => undefined))
      )
      const received: Array<{ text: string; mod: boolean | undefined }> = []
      client.on("message", (_channel, tags, text, self) => {
        if (!self) received.push({ text, mod: tags.mod })
      })
      yield* Effect.tryPromise(() => client.connect())
      yield* Effect.tryPromise(() => client.join(ch))
      yield* server.control.postMessage({ channel: ch, login: World.defaultUserLogin, text: "hi tmi" })
      yield* Effect.tryPromise(() => client.say(ch, "hello from tmi"))
      const got = yield* server.control.awaitPrivmsgs(ch, 1)
      assert.strictEqual(got[0].text, "hello from tmi")
      assert.strictEqual(got[0].transport, "ws")
      for (let i = 0; i < 100 && received.length === 0; i++) yield* Effect.sleep("10 millis")
      assert.deepStrictEqual(received, [{ text: "hi tmi", mod: false }])
    }))
})
