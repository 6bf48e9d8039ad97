/**
 * Child process of the EventSub benchmark: one client (ours or Twurple's EventSubWsListener)
 * connects to the mock Twitch, subscribes to channel.chat.message, says it is ready, and on "go"
 * consumes every event as a user's code would: the text, the chatter's name, the fragments, the
 * badges and the color. On the sentinel it reports the count, wall and CPU time since "go" and its
 * peak memory growth.
 *
 * Usage (spawned by `benchmark.ts`): worker.js <kind> <server info as JSON>
 */
import { makeMeter } from "../lib/meter.js"
import { type Kind, SENTINEL, type ServerInfo } from "./shared.js"

const worker = async (kind: Kind, server: ServerInfo): Promise<void> => {
  const meter = makeMeter(kind, SENTINEL)
  const onEvent = meter.onMessage
  process.on("message", (message) => {
    if (message !== "go") return
    meter.baseline()
    meter.go()
  })
  const ready = () => process.send?.({ ready: true })

  if (kind === "ours") {
    const NodeHttpClient = await import("@effect/platform-node/NodeHttpClient")
    const Effect = await import("effect/Effect")
    const Layer = await import("effect/Layer")
    const Stream = await import("effect/Stream")
    const AccessToken = await import("../../src/auth/AccessToken.js")
    const TwitchAuth = await import("../../src/auth/TwitchAuth.js")
    const EventSubWebSocket = await import("../../src/eventsub/EventSubWebSocket.js")
    const Types = await import("../../src/eventsub/generated/Types.js")
    const Helix = await import("../../src/helix/Helix.js")
    const TwitchConfig = await import("../../src/TwitchConfig.js")
    const layer = EventSubWebSocket.layer().pipe(
      Layer.provideMerge(Helix.layer()),
      Layer.provideMerge(
        TwitchAuth.layerStatic(AccessToken.make(server.token, { kind: "user", userId: server.user }))
      ),
      Layer.provideMerge(Layer.succeed(
        TwitchConfig.TwitchConfig,
        TwitchConfig.make({
          clientId: server.clientId,
          helixUrl: server.helixUrl,
          eventSubWebSocketUrl: server.wsUrl
        })
      )),
      Layer.provide(NodeHttpClient.layerUndici)
    )
    const program = Effect.gen(function*() {
      const client = yield* EventSubWebSocket.EventSubWebSocket
      const events = yield* client.subscribeScoped(Types.channelChatMessageV1, {
        broadcasterUserId: server.broadcaster,
        userId: server.user
      })
      ready()
      yield* Stream.runForEach(
        events,
        (e) =>
          Effect.sync(() =>
            onEvent(
              e.message.text,
              e.chatterUserName.length + e.message.fragments.length + e.badges.length + e.color.length
            )
          )
      )
    })
    void Effect.runPromise(Effect.scoped(Effect.provide(program, layer)))
    return
  }

  if (kind === "raw") {
    // The mock's ceiling: a bare socket that counts frames and parses nothing.
    const { WebSocket } = await import("ws")
    const socket = new WebSocket(server.wsUrl)
    let subscribed = false
    socket.on("message", (data: Buffer) => {
      if (!subscribed) {
        subscribed = true
        const sessionId =
          (JSON.parse(data.toString()) as { payload: { session: { id: string } } }).payload.session.id
        void fetch(`${server.helixUrl}/eventsub/subscriptions`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "client-id": server.clientId,
            authorization: `Bearer ${server.token}`
          },
          body: JSON.stringify({
            type: "channel.chat.message",
            version: "1",
            condition: { broadcaster_user_id: server.broadcaster, user_id: server.user },
            transport: { method: "websocket", session_id: sessionId }
          })
        }).then(ready)
        return
      }
      onEvent(data.includes(SENTINEL) ? SENTINEL : "", data.length)
    })
    meter.setStop(async () => socket.terminate())
    return
  }

  process.env["TWURPLE_MOCK_API_PORT"] = String(server.port)
  const { ApiClient } = await import("@twurple/api")
  const { EventSubWsListener } = await import("@twurple/eventsub-ws")
  const token = {
    accessToken: server.token,
    refreshToken: null,
    scope: ["user:read:chat"],
    expiresIn: null,
    obtainmentTimestamp: Date.now(),
    userId: server.user
  }
  const authProvider = {
    clientId: server.clientId,
    getCurrentScopesForUser: () => ["user:read:chat"],
    getAccessTokenForUser: async () => token,
    getAnyAccessToken: async () => token
  }
  const apiClient = new ApiClient({ authProvider })
  const listener = new EventSubWsListener({ apiClient })
  listener.onSubscriptionCreateSuccess(() => ready())
  listener.onChannelChatMessage(server.broadcaster, server.user, (e) => {
    onEvent(
      e.messageText,
      e.chatterDisplayName.length + e.messageParts.length + Object.keys(e.badges).length +
        (e.color ?? "").length
    )
  })
  meter.setStop(async () => listener.stop())
  listener.start()
}

const [kind, info] = process.argv.slice(2)
void worker(kind as Kind, JSON.parse(info ?? "{}") as ServerInfo)
