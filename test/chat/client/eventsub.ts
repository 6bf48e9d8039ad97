/**
 * Shared setup of the EventSub chat tests: the whole mock Twitch (HTTP with Helix and the EventSub
 * WebSocket, the IRC server whose room traffic the mock's EventSub tells), the library's config
 * pointed at it, and clients over EventSub for the mock's bot account (`twitcherbot`) reading the
 * default user's channel (`twitcher`).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import * as ChatClient from "../../../src/chat/ChatClient.js"
import * as ChatRateLimits from "../../../src/chat/ChatRateLimits.js"
import type { TwitchMessage } from "../../../src/chat/TwitchMessage.js"
import type * as IrcServer from "../../../src/testing/mock/IrcServer.js"
import * as World from "../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import type { TwitchConfig } from "../../../src/TwitchConfig.js"
import type { ChatError, NotAuthorized } from "../../../src/TwitchError.js"

/** The channel the tests read: the default user's. */
export const channel = World.defaultUserLogin

/** The account the clients chat as. */
export const bot = { id: World.secondUserId, login: World.secondUserLogin }

/** The mock with IRC (chatter off) and the config pointed at it, per test. */
export const layer = Layer.mergeAll(
  MockTwitch.layerWithTwitchConfig({ irc: { chatterRate: 0 } }),
  NodeHttpClient.layerUndici
)

/**
 * Runs `f` against a fresh mock (and the config pointed at it); what `f` opened (its clients)
 * closes before the mock does.
 */
export const withMock = <A, E, R>(
  f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R | Scope.Scope>
) => Effect.flatMap(MockTwitch.MockTwitch, (mock) => Effect.scoped(f(mock))).pipe(Effect.provide(layer))

/**
 * Test defaults: short timeouts, Twitch's limits shrunk twentyfold (a plain user's second message
 * in a channel waits 50 ms, not 1 s) and a reconnect after 20 ms, not after a jittered second.
 */
export const fast: ChatClient.EventSubOptions = {
  sendTimeout: "5 seconds",
  joinTimeout: "5 seconds",
  limits: ChatRateLimits.scaled(ChatRateLimits.twitchLimits, 1 / 20),
  webSocket: { backoff: Schedule.spaced("20 millis") }
}

/** A user token of the bot with these scopes (issued in the mock's world). */
export const botToken = (mock: MockTwitch.MockTwitch.Service, scopes: ReadonlyArray<string>) =>
  Effect.map(
    Effect.orDie(mock.world.issueToken({ clientId: mock.credentials.clientId, userId: bot.id, scopes })),
    (t) => AccessToken.make(t.value, { kind: "user", userId: bot.id, login: bot.login, scopes })
  )

/** The scopes a reading and sending bot has. */
export const chatScopes = ["user:read:chat", "user:write:chat"]

/** A chat client over EventSub with `token`. */
export const client = (
  token: AccessToken.AccessToken,
  options: ChatClient.EventSubOptions = {}
): Effect.Effect<
  ChatClient.ChatClient.Service,
  ChatError | NotAuthorized,
  Scope.Scope | TwitchConfig | HttpClient.HttpClient
> =>
  ChatClient.makeEventSub({ ...fast, ...options }).pipe(
    Effect.provide(TwitchAuth.layerStatic(token))
  )

/** The IRC server of the mock (its control posts into rooms). */
export const irc = (mock: MockTwitch.MockTwitch.Service): IrcServer.IrcServer => Option.getOrThrow(mock.irc)

/** The next `count` messages of `stream` that pass `keep`, within 10 s. */
export const take = <E>(
  stream: Stream.Stream<TwitchMessage, E>,
  count: number,
  keep: (m: TwitchMessage) => boolean = () => true
) =>
  stream.pipe(
    Stream.filter(keep),
    Stream.take(count),
    Stream.runCollect,
    Effect.map(Chunk.toReadonlyArray),
    Effect.timeoutFail({
      duration: "10 seconds",
      onTimeout: () => new Error(`fewer than ${count} messages within 10 s`)
    })
  )

export { waitEvent } from "./fixture.js"
