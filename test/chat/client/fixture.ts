/**
 * Shared setup of the chat client tests: a mock world and IRC server on 127.0.0.1 (chatter off),
 * the channels the tests use, and a client pointed at the server.
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import * as ChatClient from "../../../src/chat/ChatClient.js"
import * as IrcServer from "../../../src/testing/mock/IrcServer.js"
import * as World from "../../../src/testing/mock/World.js"
import * as TwitchConfig from "../../../src/TwitchConfig.js"
import type { ChatError, NotAuthorized } from "../../../src/TwitchError.js"
import * as Memory from "./memory.js"

export const userToken = AccessToken.make(World.defaultUserToken, {
  kind: "user",
  login: World.defaultUserLogin,
  scopes: World.allScopes
})

export const setup = (options: IrcServer.Options = {}) =>
  Effect.gen(function*() {
    const world = yield* World.make()
    const server = yield* IrcServer.make(world, { chatterRate: 0, ...options })
    const s = yield* world.snapshot
    const loginOf = (id: string) => s.users.find((u) => u.id === id)?.login ?? ""
    const liveIds = new Set(s.streams.map((st) => st.userId))
    const suspended = s.channels.filter((c) => c.suspended).map((c) => loginOf(c.broadcasterId))
    /** Channels where the default user has no role, not suspended, not the two default users. */
    const plain = s.channels
      .filter((c) =>
        !c.suspended && c.roomState.slow === 0 && !c.moderators.includes(World.defaultUserId) &&
        !c.vips.includes(World.defaultUserId)
      )
      .map((c) => loginOf(c.broadcasterId))
      .filter((l) => l !== World.defaultUserLogin && l !== World.secondUserLogin)
    const live = s.streams.map((st) => loginOf(st.userId)).filter((l) => plain.includes(l))
    const offline = plain.filter((l) => !live.includes(l) && !liveIds.has(l))
    const config = TwitchConfig.layer({
      clientId: World.defaultClientId,
      ircHost: "127.0.0.1",
      ircPort: server.tcpPort,
      ircTls: false,
      ircWebSocketUrl: server.wsUrl
    })
    // In-memory connections to the same server, for tests on TestClock (see virtual.ts).
    const memory = Memory.transport(server.accept)
    return { world, server, control: server.control, plain, live, offline, suspended, config, memory }
  })

/** Test defaults: short timeouts and backoff. */
export const fast: ChatClient.Options = {
  sendTimeout: "2 seconds",
  joinTimeout: "2 seconds",
  loginTimeout: "2 seconds",
  reconnect: { base: "10 millis", max: "100 millis" }
}

/**
 * For tests on TestClock that do not test timeouts: long ones, so the timer of every answered send
 * lies beyond the test's end (TestClock fires even cancelled timers, and each costs a step).
 */
export const patient: ChatClient.Options = {
  sendTimeout: "1 minute",
  joinTimeout: "1 minute",
  loginTimeout: "1 minute"
}

export const client = (
  config: Layer.Layer<TwitchConfig.TwitchConfig>,
  options: ChatClient.Options = {},
  token: AccessToken.AccessToken | null = userToken
): Effect.Effect<ChatClient.ChatClient.Service, ChatError | NotAuthorized, Scope.Scope> =>
  ChatClient.make({ ...fast, ...options }).pipe(
    Effect.provide(token === null ? config : Layer.merge(config, TwitchAuth.layerStatic(token)))
  )

/** The client's next connection event matching `predicate`, within 5 s (of the test's clock). */
export const waitEvent = (
  chat: ChatClient.ChatClient.Service,
  predicate: (e: ChatClient.ConnectionEvent) => boolean
) =>
  chat.events.pipe(
    Stream.filter(predicate),
    Stream.take(1),
    Stream.runCollect,
    Effect.map((c) => Chunk.unsafeHead(c)),
    Effect.timeout("5 seconds")
  )
