/**
 * The EventSub WebSocket client wired to a scripted Twitch: its Helix answers the subscription
 * endpoints, its WebSocket serves sessions; a static user token.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import type { ConnectionEvent } from "../../../src/eventsub/EventSub.js"
import * as EventSubWebSocket from "../../../src/eventsub/EventSubWebSocket.js"
import * as Helix from "../../../src/helix/Helix.js"
import * as TwitchConfig from "../../../src/TwitchConfig.js"
import { sampleEvent, types } from "./samples.js"
import { ScriptedTwitch } from "./scriptedTwitch.js"

/** The scripted server for the life of the scope. */
export const scripted = Effect.acquireRelease(
  Effect.promise(() => ScriptedTwitch.start()),
  (server) => Effect.promise(() => server.close())
)

/** Config, token and Helix pointing at the server. */
export const helixLayer = (server: ScriptedTwitch) =>
  Helix.layer({ retryBase: "10 millis" }).pipe(
    Layer.provideMerge(
      TwitchAuth.layerStatic(AccessToken.make("scripted-user-token", { kind: "user", userId: "1" }))
    ),
    Layer.provideMerge(Layer.succeed(
      TwitchConfig.TwitchConfig,
      TwitchConfig.make({
        clientId: "scriptedclient",
        helixUrl: server.helixUrl,
        eventSubWebSocketUrl: server.wsUrl
      })
    )),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** The client over the server. */
export const clientLayer = (server: ScriptedTwitch, options: EventSubWebSocket.Options = {}) =>
  EventSubWebSocket.layer(options).pipe(Layer.provideMerge(helixLayer(server)))

/** A sample event of a type (every field), as Twitch sends it. */
export const eventOf = (type: string, version = "1", overrides: Record<string, unknown> = {}) => {
  const t = types.find((x) => x.type === type && x.version === version)
  if (t === undefined) throw new Error(`no type ${type}@${version}`)
  return { ...sampleEvent(t), ...overrides }
}

/** Polls `check` (real time) until it holds, for at most `ms`. */
export const eventually = <A>(check: () => A | undefined, ms = 5_000): Effect.Effect<A> =>
  Effect.suspend(() => {
    const value = check()
    return value === undefined ? Effect.fail("not yet" as const) : Effect.succeed(value)
  }).pipe(
    Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.intersect(Schedule.recurs(Math.ceil(ms / 10))))),
    Effect.orElse(() => Effect.dieMessage("condition not met in time"))
  )

/** Takes `n` items of a stream into an array. */
export const take = <A, E>(stream: Stream.Stream<A, E>, n: number) =>
  Effect.map(Stream.runCollect(Stream.take(stream, n)), (chunk) => [...chunk])

/** Runs `body` with a client over a fresh scripted Twitch (both live for the test's scope). */
export const withClient = <A, E>(
  options: EventSubWebSocket.Options,
  body: (
    client: EventSubWebSocket.EventSubWebSocket["Type"],
    server: ScriptedTwitch
  ) => Effect.Effect<A, E, Scope.Scope>
) =>
  Effect.gen(function*() {
    const server = yield* scripted
    const context = yield* Layer.build(clientLayer(server, options))
    const client = yield* Effect.provide(EventSubWebSocket.EventSubWebSocket, context)
    return yield* body(client, server)
  })

/** Waits real time (for I/O under the TestClock). */
export const realSleep = (ms: number) =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, ms)))

/** Collects the client's connection events from now on. */
export const recordEvents = (client: EventSubWebSocket.EventSubWebSocket["Type"]) =>
  Effect.gen(function*() {
    const seen: Array<ConnectionEvent> = []
    yield* Effect.forkScoped(Stream.runForEach(client.events, (e) => Effect.sync(() => seen.push(e))))
    yield* Effect.yieldNow()
    return seen
  })
