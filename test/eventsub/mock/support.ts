/**
 * Our EventSub clients wired to the project's mock Twitch on loopback: the mock (no IRC), a user
 * token of the default user holding every scope the facts name, Helix pointed at the mock, and the
 * WebSocket client or the webhook receiver (mounted on a loopback HTTP server) over it.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { createServer } from "node:http"
import * as AccessToken from "../../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import type { ConnectionEvent } from "../../../src/eventsub/EventSub.js"
import * as EventSubWebhook from "../../../src/eventsub/EventSubWebhook.js"
import * as EventSubWebSocket from "../../../src/eventsub/EventSubWebSocket.js"
import * as Helix from "../../../src/helix/Helix.js"
import * as World from "../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import * as TwitchConfig from "../../../src/TwitchConfig.js"
import { types } from "../support/samples.js"

/** The running mock. */
export type Mock = MockTwitch.MockTwitch.Service

/** The WebSocket client. */
export type Client = EventSubWebSocket.EventSubWebSocket["Type"]

/** The default user's id: the broadcaster and moderator of the tests' conditions. */
export const me = World.defaultUserId

/** Starts a mock Twitch (no IRC) for the life of the scope. */
export const startMock = (options: MockTwitch.Options = {}): Effect.Effect<Mock, Error, Scope.Scope> =>
  Effect.map(Layer.build(MockTwitch.layer({ irc: false, ...options })), Context.get(MockTwitch.MockTwitch))

/** Every scope any subscription type needs. */
export const allScopes: ReadonlyArray<string> = [
  ...new Set(types.flatMap((t) => (t.auth.requiredScopes ?? []).flat()))
]

/** A user token of `userId` holding every EventSub scope, issued by the mock's world. */
export const userToken = (mock: Mock, userId: string = me) =>
  Effect.map(
    Effect.orDie(mock.world.issueToken({ clientId: mock.credentials.clientId, userId, scopes: allScopes })),
    (token) => AccessToken.make(token.value, { kind: "user", userId })
  )

/** The mock's app token. */
export const appToken = AccessToken.make(MockTwitch.credentials.appToken, { kind: "app" })

/** Config, token and Helix on the mock. */
export const helixOn = (mock: Mock, token: AccessToken.AccessToken) =>
  Helix.layer({ retryBase: "10 millis" }).pipe(
    Layer.provideMerge(TwitchAuth.layerStatic(token)),
    Layer.provideMerge(Layer.succeed(TwitchConfig.TwitchConfig, MockTwitch.twitchConfig(mock))),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** The WebSocket client on the mock with `token` (default: the default user, every scope). */
export const clientOn = (
  mock: Mock,
  options: EventSubWebSocket.Options = {},
  token?: AccessToken.AccessToken
): Effect.Effect<Client, never, Scope.Scope> =>
  Effect.gen(function*() {
    const helix = helixOn(mock, token ?? (yield* userToken(mock)))
    const context = yield* Layer.build(EventSubWebSocket.layer(options).pipe(Layer.provideMerge(helix)))
    return Context.get(context, EventSubWebSocket.EventSubWebSocket)
  })

/** A mock and a WebSocket client on it. */
export const onMock = (
  options: { readonly mock?: MockTwitch.Options; readonly client?: EventSubWebSocket.Options } = {}
) =>
  Effect.gen(function*() {
    const mock = yield* startMock(options.mock)
    const client = yield* clientOn(mock, options.client)
    return { mock, client, control: mock.eventSub.control }
  })

/** The secret of the tests' webhook receivers. */
export const secret = "webhook-secret-0123"

/** A loopback HTTP server serving `app` at every path; its base URL. */
export const serve = (app: EventSubWebhook.Service["httpApp"]) =>
  Effect.gen(function*() {
    const http = yield* Layer.build(
      NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })
    )
    const server = Context.get(http, HttpServer.HttpServer)
    yield* Effect.forkScoped(Effect.provide(HttpServer.serveEffect(app), http))
    return server.address._tag === "TcpAddress" ? `http://127.0.0.1:${server.address.port}` : ""
  })

/**
 * Our webhook receiver on the mock: mounted on a loopback server at `/eventsub` (or behind
 * `front`, a function of the receiver's own URL that returns the callback the mock posts to), its
 * subscriptions created with the app token.
 */
export const webhookOn = (
  mock: Mock,
  options: {
    readonly front?: (receiver: string) => Effect.Effect<string, never, Scope.Scope>
    readonly core?: Omit<EventSubWebhook.Options, "callback" | "secret">
  } = {}
) =>
  Effect.gen(function*() {
    const helix = yield* Layer.build(helixOn(mock, appToken))
    const app = yield* Deferred.make<EventSubWebhook.Service["httpApp"]>()
    const base = yield* serve(Effect.flatten(Deferred.await(app)))
    const own = `${base}/eventsub`
    const callback = options.front === undefined ? own : yield* options.front(own)
    const webhook = yield* EventSubWebhook.make({ ...options.core, callback, secret: Redacted.make(secret) })
      .pipe(Effect.provide(helix))
    yield* Deferred.succeed(app, webhook.httpApp)
    return webhook
  })

/** Collects a client's connection events from now on. */
export const recordEvents = (client: { readonly events: Stream.Stream<ConnectionEvent> }) =>
  Effect.gen(function*() {
    const seen: Array<ConnectionEvent> = []
    yield* Effect.forkScoped(Stream.runForEach(client.events, (e) => Effect.sync(() => seen.push(e))))
    yield* Effect.yieldNow()
    return seen
  })

/** Takes `n` items of a stream into an array. */
export const take = <A, E>(stream: Stream.Stream<A, E>, n: number) =>
  Effect.map(Stream.runCollect(Stream.take(stream, n)), (chunk) => [...chunk])

/** Waits real time (I/O under the TestClock). */
export const realSleep = (ms: number) =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, ms)))

/** Polls `check` in real time until it gives a value, for at most `ms`. */
export const eventually = <A>(check: Effect.Effect<A | undefined>, ms = 5_000): Effect.Effect<A> =>
  Effect.gen(function*() {
    for (let waited = 0; waited <= ms; waited += 10) {
      const value = yield* check
      if (value !== undefined) return value
      yield* realSleep(10)
    }
    return yield* Effect.dieMessage("condition not met in time")
  })
