/**
 * Child process of the chat-client benchmark: one client (ours, tmi.js or Twurple) connects to the
 * mock IRC server, joins the channel anonymously, says it is ready, and on "go" consumes every
 * chat message as a user's code would: text, display name, color, badges, emotes and the time it
 * was sent, each through the library's own API. On the end sentinel it reports how many messages
 * it handed over, the wall and CPU time since "go", and its peak memory growth.
 *
 * The EventSub cases (ours over EventSub, Twurple's `EventSubWsListener`) read the mock's EventSub
 * on its HTTP port with the account in `BENCH_EVENTSUB`; every other case is anonymous IRC.
 *
 * Usage (spawned by `benchmark.ts`): worker.js <kind> <host> <port> <channel>
 */
import type { ChatMessage } from "@twurple/chat"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as net from "node:net"
import type { ChatUserstate } from "tmi.js"
import type { TwitchMessage } from "../../src/chat/TwitchMessage.js"

import { makeMeter } from "../lib/meter.js"
import { type EventSubAccount, type Kind, SENTINEL } from "./shared.js"

const len = (s: string | null | undefined): number => s == null ? 0 : s.length

const worker = async (kind: Kind, host: string, port: number, channel: string): Promise<void> => {
  const meter = makeMeter(kind, SENTINEL)
  /** Every client calls this once per chat message, with what it read from it. */
  const onMessage = meter.onMessage
  /** Our client's messages, read as a user's code would: text, emotes, name, color, badges, time. */
  const handleOurs = (chunk: Iterable<TwitchMessage>) => {
    for (const m of chunk) {
      if (m._tag !== "Privmsg") continue
      let read = 0
      for (const e of m.emotes) read += len(e.id) + e.utf16Start
      const color = m.color
      const sentAt = m.sentAt
      read += len(m.displayName) + (color._tag === "Some" ? color.value.length : 0) + m.badges.size +
        (sentAt._tag === "Some" ? sentAt.value.getTime() & 1 : 0)
      onMessage(m.text, read)
    }
  }
  const ready = () => {
    meter.baseline()
    process.once("message", () => meter.go())
    process.send?.({ ready: true })
  }

  if (
    kind === "ours-tcp" || kind === "ours-ws" || kind === "ours-tcp-each" ||
    kind === "ours-ws-each"
  ) {
    const ChatClient = await import("../../src/chat/ChatClient.js")
    const TwitchConfig = await import("../../src/TwitchConfig.js")
    const handle = handleOurs
    const program = Effect.gen(function*() {
      // the defaults users get: a 4096-message buffer per stream, back-pressure when full
      const chat = yield* ChatClient.make({
        transport: kind.startsWith("ours-ws") ? "websocket" : "tcp",
        host,
        port,
        webSocketUrl: `ws://${host}:${port}`,
        anonymous: true
      })
      yield* chat.join(channel)
      const messages = chat.channel(channel)
      // the same handler and reads through our ChatClient.forEachChunk or Effect's usual
      // consumer, Stream.runForEachChunk
      const consumer = yield* (kind.endsWith("-each")
        ? ChatClient.forEachChunk(messages, (chunk) => Effect.sync(() => handle(chunk)))
        : messages.pipe(Stream.runForEachChunk((chunk) => Effect.sync(() => handle(chunk))))).pipe(
          Effect.fork
        )
      // the stream subscribes as soon as its fiber runs; messages before that are kept for it
      yield* Effect.sleep("20 millis")
      yield* Effect.sync(ready)
      yield* consumer.await
    })
    await Effect.runPromise(
      Effect.scoped(program).pipe(
        Effect.provide(TwitchConfig.layer({ clientId: "bench", ircHost: host, ircPort: port, ircTls: false }))
      )
    )
  } else if (kind === "ours-eventsub") {
    const account = eventSubAccount()
    const NodeHttpClient = await import("@effect/platform-node/NodeHttpClient")
    const Layer = await import("effect/Layer")
    const AccessToken = await import("../../src/auth/AccessToken.js")
    const TwitchAuth = await import("../../src/auth/TwitchAuth.js")
    const ChatClient = await import("../../src/chat/ChatClient.js")
    const TwitchConfig = await import("../../src/TwitchConfig.js")
    const program = Effect.gen(function*() {
      // the defaults users get: a 4096-message buffer per stream, back-pressure when full
      const chat = yield* ChatClient.makeEventSub({ channels: [channel] })
      const consumer = yield* chat.channel(channel).pipe(
        Stream.runForEachChunk((chunk) => Effect.sync(() => handleOurs(chunk))),
        Effect.fork
      )
      yield* Effect.sleep("20 millis")
      yield* Effect.sync(ready)
      yield* consumer.await
    })
    const base = `${host}:${port}`
    await Effect.runPromise(
      Effect.scoped(program).pipe(
        Effect.provide(Layer.mergeAll(
          TwitchConfig.layer({
            clientId: account.clientId,
            helixUrl: `http://${base}/helix`,
            eventSubWebSocketUrl: `ws://${base}/ws`
          }),
          TwitchAuth.layerStatic(
            AccessToken.make(account.token, {
              kind: "user",
              userId: account.userId,
              scopes: ["user:read:chat"]
            })
          ),
          NodeHttpClient.layerUndici
        ))
      )
    )
  } else if (kind === "twurple-eventsub") {
    const account = eventSubAccount()
    process.env["TWURPLE_MOCK_API_PORT"] = String(port)
    const { ApiClient } = await import("@twurple/api")
    const { EventSubWsListener } = await import("@twurple/eventsub-ws")
    const token = {
      accessToken: account.token,
      refreshToken: null,
      scope: ["user:read:chat"],
      expiresIn: null,
      obtainmentTimestamp: Date.now(),
      userId: account.userId
    }
    const authProvider = {
      clientId: account.clientId,
      getCurrentScopesForUser: () => ["user:read:chat"],
      getAccessTokenForUser: async () => token,
      getAnyAccessToken: async () => token
    }
    const listener = new EventSubWsListener({ apiClient: new ApiClient({ authProvider }) })
    listener.onSubscriptionCreateSuccess(() => ready())
    // What a user reads: the text, the chatter's name, the emotes (from the parts), badges, color.
    listener.onChannelChatMessage(account.broadcasterId, account.userId, (e) => {
      let read = 0
      for (const part of e.messageParts) {
        if (part.type === "emote") read += len(part.emote.id) + part.text.length
      }
      read += len(e.chatterDisplayName) + len(e.color) + Object.keys(e.badges).length
      onMessage(e.messageText, read)
    })
    meter.setStop(async () => listener.stop())
    listener.start()
  } else if (kind === "tmi.js-ws") {
    const tmi = (await import("tmi.js")).default
    const client = new tmi.Client({
      connection: { server: host, port, secure: false, reconnect: false },
      channels: [channel],
      logger: { info: () => {}, warn: () => {}, error: () => {} }
    })
    // tmi.js emits a PRIVMSG with bits as "cheer" only (not "message"): both are chat messages
    const handle = (tags: ChatUserstate, message: string) => {
      let read = 0
      const emotes = tags.emotes
      if (emotes) { for (const id in emotes) read += len(id) + emotes[id].length }
      const badges = tags.badges
      read += len(tags["display-name"]) + len(tags.color) + (badges ? Object.keys(badges).length : 0) +
        (new Date(Number(tags["tmi-sent-ts"])).getTime() & 1)
      onMessage(message, read)
    }
    client.on("message", (_channel, tags, message) => handle(tags, message))
    client.on("cheer", (_channel, tags, message) => handle(tags, message))
    client.on("join", (_channel, _username, self) => {
      if (self) ready()
    })
    meter.setStop(async () => {
      await client.disconnect().catch(() => undefined)
    })
    await client.connect()
  } else {
    const { ChatClient } = await import("@twurple/chat")
    const ws = kind === "twurple-ws"
    const client = new ChatClient({
      channels: [channel],
      hostName: host,
      ssl: false,
      webSocket: ws,
      logger: { minLevel: "critical" },
      // Twurple has no port option: over WebSocket, `ws` is given the socket to our port (the
      // URL still says port 80); over TCP the mock listens on 127.0.0.1:6667, Twurple's default
      ...(ws ? { connectionOptions: { wsOptions: { createConnection: () => net.connect(port, host) } } } : {})
    })
    // Twurple emits a `/me` PRIVMSG as onAction only (not onMessage): both are chat messages
    const handle = (text: string, msg: ChatMessage) => {
      let read = 0
      for (const [id, ranges] of msg.emoteOffsets) read += len(id) + ranges.length
      const user = msg.userInfo
      read += len(user.displayName) + len(user.color) + user.badges.size + (msg.date.getTime() & 1)
      onMessage(text, read)
    }
    client.onMessage((_channel, _user, text, msg) => handle(text, msg))
    client.onAction((_channel, _user, text, msg) => handle(text, msg))
    client.onJoin((_channel, user) => {
      if (user === client.irc.currentNick) ready()
    })
    meter.setStop(async () => {
      client.quit()
    })
    client.connect()
  }
}

/** The account the EventSub cases read as (from the benchmark process). */
const eventSubAccount = (): EventSubAccount =>
  JSON.parse(process.env["BENCH_EVENTSUB"] ?? "{}") as EventSubAccount

const [kind, host, port, channel] = process.argv.slice(2)
worker(kind as Kind, host, Number(port), channel).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
