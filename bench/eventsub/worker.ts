/**
 * Child process of the EventSub benchmark: one client (ours or Twurple's EventSubWsListener)
 * connects to the benchmark server, subscribes to channel.chat.message, says it is ready, and on
 * "go" consumes every event as a user's code would: the text, the chatter's name, the fragments,
 * the badges and the color. On the sentinel it reports the count, wall and CPU time since "go" and
 * its peak memory growth.
 *
 * Usage (spawned by `benchmark.ts`): worker.js <kind> <port>
 */
import { BROADCASTER, type Kind, SENTINEL, USER, type WorkerResult } from "./shared.js"

const worker = async (kind: Kind, port: number): Promise<void> => {
  let count = 0
  let touched = 0
  let goAt = 0
  let goCpu = 0
  let finished = false
  let baseRss = 0
  let baseHeap = 0
  let peakRss = 0
  let peakHeap = 0
  const sample = () => {
    const m = process.memoryUsage()
    if (m.rss > peakRss) peakRss = m.rss
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed
  }
  const cpuMs = () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  const timer = setInterval(sample, 5)
  let stop: () => Promise<void> = async () => {}

  const onEvent = (text: string, read: number) => {
    touched += text.length + read
    count++
    if (text === SENTINEL && !finished) {
      finished = true
      const millis = performance.now() - goAt
      const cpuMillis = cpuMs() - goCpu
      sample()
      clearInterval(timer)
      const result: WorkerResult = {
        kind,
        count,
        millis,
        cpuMillis,
        peakRssMb: (peakRss - baseRss) / 2 ** 20,
        peakHeapMb: (peakHeap - baseHeap) / 2 ** 20,
        touched
      }
      process.send?.(result, () => {
        void stop().finally(() => process.exit(0))
      })
    }
  }
  process.on("message", (message) => {
    if (message !== "go") return
    ;(globalThis as { gc?: () => void }).gc?.()
    const m = process.memoryUsage()
    baseRss = peakRss = m.rss
    baseHeap = peakHeap = m.heapUsed
    goCpu = cpuMs()
    goAt = performance.now()
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
    const base = `127.0.0.1:${port}`
    const layer = EventSubWebSocket.layer().pipe(
      Layer.provideMerge(Helix.layer()),
      Layer.provideMerge(
        TwitchAuth.layerStatic(AccessToken.make("bench-token", { kind: "user", userId: USER }))
      ),
      Layer.provideMerge(Layer.succeed(
        TwitchConfig.TwitchConfig,
        TwitchConfig.make({
          clientId: "benchclient",
          helixUrl: `http://${base}/helix`,
          eventSubWebSocketUrl: `ws://${base}/ws`
        })
      )),
      Layer.provide(NodeHttpClient.layerUndici)
    )
    const program = Effect.gen(function*() {
      const client = yield* EventSubWebSocket.EventSubWebSocket
      const events = yield* client.subscribeScoped(Types.channelChatMessageV1, {
        broadcasterUserId: BROADCASTER,
        userId: USER
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

  process.env["TWURPLE_MOCK_API_PORT"] = String(port)
  const { ApiClient } = await import("@twurple/api")
  const { EventSubWsListener } = await import("@twurple/eventsub-ws")
  const token = {
    accessToken: "bench-token",
    refreshToken: null,
    scope: ["user:read:chat"],
    expiresIn: null,
    obtainmentTimestamp: Date.now(),
    userId: USER
  }
  const authProvider = {
    clientId: "benchclient",
    getCurrentScopesForUser: () => ["user:read:chat"],
    getAccessTokenForUser: async () => token,
    getAnyAccessToken: async () => token
  }
  const apiClient = new ApiClient({ authProvider })
  const listener = new EventSubWsListener({ apiClient })
  listener.onSubscriptionCreateSuccess(() => ready())
  listener.onChannelChatMessage(BROADCASTER, USER, (e) => {
    onEvent(
      e.messageText,
      e.chatterDisplayName.length + e.messageParts.length + Object.keys(e.badges).length +
        (e.color ?? "").length
    )
  })
  stop = async () => listener.stop()
  listener.start()
}

const [kind, port] = process.argv.slice(2)
void worker(kind as Kind, Number(port))
