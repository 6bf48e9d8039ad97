/**
 * The whole mock Twitch as one scoped service: the seeded world, the HTTP server (Helix, OAuth,
 * GQL/usher, emote CDN, EventSub) and the IRC server, all on 127.0.0.1 with OS-chosen ports, plus the
 * control handles tests use (approve a device code, inject a fault, read counters, add world data,
 * post chat). {@link layerTwitchConfig} points the library's `TwitchConfig` at it.
 *
 * ```ts
 * const TestLive = MockTwitch.layerTwitchConfig.pipe(Layer.provideMerge(MockTwitch.layer()))
 * it.layer(TestLive)((it) => it.scopedLive("...", () => ...))
 * ```
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as TwitchConfig from "../TwitchConfig.js"
import * as Control from "./mock/Control.js"
import type * as EventSub from "./mock/eventsub/Model.js"
import * as HttpServer from "./mock/HttpServer.js"
import * as IrcServer from "./mock/IrcServer.js"
import * as MockWorld from "./mock/World.js"

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Seed of the default world (default {@link MockWorld.defaultSeed}). */
  readonly seed?: number
  /** Size of the default world. */
  readonly users?: number
  readonly liveStreams?: number
  /** Whether the default user is live too (commercials, markers, clips of their channel). */
  readonly liveTokenUser?: boolean
  /** Explicit world data instead of the default world (e.g. decoded from a JSON file). */
  readonly world?: MockWorld.WorldData
  /** HTTP server options: fixed port, Helix token bucket (e.g. `{ limit: 5 }`), signing key. */
  readonly http?: HttpServer.Options
  /** IRC server options, or `false` to run without IRC. */
  readonly irc?: IrcServer.Options | false
}

/**
 * The ready-made credentials of the default world.
 *
 * @since 0.1.0
 * @category models
 */
export interface Credentials {
  readonly clientId: string
  readonly clientSecret: string
  /** A public client (device flow, no secret). */
  readonly publicClientId: string
  /** Default user, all scopes. */
  readonly userToken: string
  /** Refresh token of {@link Credentials.userToken} (one-time). */
  readonly refreshToken: string
  /** App token of the default client. */
  readonly appToken: string
  /** Default user without `user:read:follows`. */
  readonly noFollowsUserToken: string
  /** Second user, chat scopes. */
  readonly secondUserToken: string
  /** Default user, already expired. */
  readonly expiredUserToken: string
  /** The ready extension's id (its client id), owned by the default user. */
  readonly extensionClientId: string
  /** The ready extension's OAuth client secret. */
  readonly extensionClientSecret: string
  /** The ready extension's JWT secret (base64): sign extension JWTs with it. */
  readonly extensionSecret: string
  /** An app token of the extension's client (its transactions and Bits products). */
  readonly extensionAppToken: string
}

/**
 * The ready-made credentials (valid in the default world, whatever the seed).
 *
 * @since 0.1.0
 * @category constants
 */
export const credentials: Credentials = {
  clientId: MockWorld.defaultClientId,
  clientSecret: MockWorld.defaultClientSecret,
  publicClientId: MockWorld.publicClientId,
  userToken: MockWorld.defaultUserToken,
  refreshToken: MockWorld.defaultRefreshToken,
  appToken: MockWorld.appToken,
  noFollowsUserToken: MockWorld.noFollowsUserToken,
  secondUserToken: MockWorld.secondUserToken,
  expiredUserToken: MockWorld.expiredUserToken,
  extensionClientId: MockWorld.extensionClientId,
  extensionClientSecret: MockWorld.extensionClientSecret,
  extensionSecret: MockWorld.extensionSecret,
  extensionAppToken: MockWorld.extensionAppToken
}

/**
 * The running mock.
 *
 * @since 0.1.0
 * @category tags
 */
export class MockTwitch
  extends Context.Tag("effect-twitcher/testing/MockTwitch")<MockTwitch, MockTwitch.Service>()
{}

/**
 * @since 0.1.0
 */
export declare namespace MockTwitch {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** Base URLs and port of the HTTP server. */
    readonly http: HttpServer.Running
    /** The IRC server (ports, WebSocket URL, its own control handle), unless disabled. */
    readonly irc: Option.Option<IrcServer.IrcServer>
    /**
     * The EventSub server on the HTTP port (WebSocket `wsUrl`, subscription calls, its control
     * handle); with IRC on, chat in subscribed rooms becomes `channel.chat.*` notifications.
     */
    readonly eventSub: EventSub.EventSubServer
    readonly credentials: Credentials
    readonly defaultUser: { readonly id: string; readonly login: string }
    readonly world: MockWorld.World.Service
    /** HTTP faults, counters and OAuth/usher switches. */
    readonly control: Control.Control.Service
    /** Approves a device code by user code, or the latest one created when none is given. */
    readonly approveDeviceCode: (
      userCode?: string,
      userId?: string
    ) => Effect.Effect<void, MockWorld.WorldError>
    /** Denies a device code by user code, or the latest one created when none is given. */
    readonly denyDeviceCode: (userCode?: string) => Effect.Effect<void, MockWorld.WorldError>
  }
}

const latestUserCode = (world: MockWorld.World.Service, userCode: string | undefined) =>
  userCode !== undefined ?
    Effect.succeed(userCode) :
    Effect.flatMap(world.latestDeviceCode, (code) =>
      Option.match(code, {
        onNone: () =>
          Effect.fail(new MockWorld.WorldError({ reason: "NotFound", message: "no device code yet" })),
        onSome: (c) => Effect.succeed(c.userCode)
      }))

/**
 * Starts the mock in the current scope, with an existing world and control.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<
  MockTwitch.Service,
  Error,
  Scope.Scope | MockWorld.World | Control.Control
> =>
  Effect.gen(function*() {
    const world = yield* MockWorld.World
    const control = yield* Control.Control
    const http = yield* HttpServer.make(options.http ?? {})
    const irc = options.irc === false
      ? Option.none<IrcServer.IrcServer>()
      : Option.some(yield* IrcServer.make(world, options.irc ?? {}))
    if (Option.isSome(irc)) yield* http.eventSub.followChat(irc.value.tcpPort)
    return {
      http,
      irc,
      eventSub: http.eventSub,
      credentials,
      defaultUser: { id: MockWorld.defaultUserId, login: MockWorld.defaultUserLogin },
      world,
      control,
      approveDeviceCode: (userCode, userId) =>
        Effect.asVoid(
          Effect.flatMap(latestUserCode(world, userCode), (code) => world.approveDeviceCode(code, userId))
        ),
      denyDeviceCode: (userCode) =>
        Effect.asVoid(Effect.flatMap(latestUserCode(world, userCode), (code) => world.denyDeviceCode(code)))
    }
  })

/**
 * The mock as a scoped layer: a fresh world, control and servers per layer build; everything closes
 * with the layer. Also provides the world and control services themselves.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<MockTwitch | MockWorld.World | Control.Control, Error> => {
  const worldOptions: MockWorld.Options = {
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.users !== undefined ? { users: options.users } : {}),
    ...(options.liveStreams !== undefined ? { liveStreams: options.liveStreams } : {}),
    ...(options.liveTokenUser !== undefined ? { liveTokenUser: options.liveTokenUser } : {}),
    ...(options.world !== undefined ? { data: options.world } : {})
  }
  return Layer.scoped(MockTwitch, make(options)).pipe(
    Layer.provideMerge(Layer.merge(MockWorld.layer(worldOptions), Control.layer))
  )
}

/**
 * The library's config pointed at a running mock: Helix, id, GQL, usher, emote CDN and EventSub
 * WebSocket URLs on the HTTP server, the default client id, and IRC over plain TCP (and WebSocket)
 * on the IRC server.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTwitchConfig: Layer.Layer<TwitchConfig.TwitchConfig, never, MockTwitch> = Layer.effect(
  TwitchConfig.TwitchConfig,
  Effect.map(MockTwitch, (mock) => twitchConfig(mock))
)

/**
 * The `TwitchConfig` for a running mock.
 *
 * @since 0.1.0
 * @category constructors
 */
export const twitchConfig = (mock: MockTwitch.Service): TwitchConfig.TwitchConfig.Service =>
  TwitchConfig.make({
    clientId: mock.credentials.clientId,
    helixUrl: mock.http.helixUrl,
    idUrl: mock.http.idUrl,
    gqlUrl: mock.http.gqlUrl,
    gqlClientId: MockWorld.webClientId,
    usherUrl: mock.http.usherUrl,
    emoteCdnUrl: mock.http.emoteCdnUrl,
    eventSubWebSocketUrl: mock.eventSub.wsUrl,
    ...Option.match(mock.irc, {
      onNone: () => ({}),
      onSome: (irc) => ({
        ircHost: irc.host,
        ircPort: irc.tcpPort,
        ircTls: false,
        ircWebSocketUrl: irc.wsUrl
      })
    })
  })

/**
 * {@link layer} plus {@link layerTwitchConfig} in one: the mock and a `TwitchConfig` pointing at it,
 * ready to provide to the library's layers in a test.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithTwitchConfig = (
  options: Options = {}
): Layer.Layer<MockTwitch | MockWorld.World | Control.Control | TwitchConfig.TwitchConfig, Error> =>
  layerTwitchConfig.pipe(Layer.provideMerge(layer(options)))
