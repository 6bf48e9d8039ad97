/**
 * EventSub over Twitch's WebSocket, as a scoped service: typed subscriptions as `Stream`s, kept
 * across reconnects, delivered exactly once.
 *
 * ```ts
 * const program = Effect.gen(function*() {
 *   const eventSub = yield* EventSubWebSocket.EventSubWebSocket
 *   yield* eventSub.subscribe(Types.channelFollowV2, { broadcasterUserId: "1", moderatorUserId: "1" }).pipe(
 *     Stream.runForEach((follow) => Console.log(`${follow.userName} followed`))
 *   )
 * })
 * ```
 *
 * What it does for you (see `EventSub` for delivery and buffers):
 * - **Connects** to `TwitchConfig.eventSubWebSocketUrl` with `keepalive_timeout_seconds` (10 to
 *   600, default 10) once a subscription is wanted, takes the session from `session_welcome` and
 *   creates the wanted subscriptions at once (Twitch closes a connection left without one for 10 s,
 *   code 4003) with the user token of `TwitchAuth`, through the Helix `EventSubApi`.
 * - **Silence** past the keepalive timeout (plus `silenceGrace`) is a dead connection.
 * - **`session_reconnect`**: the reconnect URL is opened while the old connection keeps delivering;
 *   once its welcome arrives the old one is closed. Subscriptions carry over; copies seen on both
 *   are delivered once.
 * - **Any other end** (close codes 4000-4007 as `CloseCode` reasons on `events`, a socket error,
 *   silence): Twitch has disabled every subscription and does not replay. The client waits on the
 *   `backoff` schedule (jittered exponential, 1 s to 60 s; reset after a connection that lived
 *   30 s), connects again and creates them all anew on the new session.
 * - **Limits**: at most 300 subscriptions on the connection (the 301st fails `LimitReached`
 *   `Subscriptions` before any request); the same type and condition once (streams share it);
 *   "websocket transports limit exceeded" (3 connections with enabled subscriptions per user
 *   token) first deletes the subscriptions of this user's dead sessions, then tries once more;
 *   what Twitch still refuses (`Connections`, `Cost`, `SameSubscription`) fails that stream with
 *   `EventSubError` `LimitReached`.
 * - **Revocations** end the subscription's streams with `EventSubError` `Revoked` and appear on
 *   `notifications`; a revoked subscription is not recreated.
 *
 * The socket comes from the `Socket.WebSocketConstructor` in context (as `@effect/platform`
 * provides it), or Node's (`ws`) when there is none.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as EventSubApi from "../helix/generated/EventSubApi.js"
import { TwitchConfig } from "../TwitchConfig.js"
import type * as Definition from "./Definition.js"
import type * as EventSub from "./EventSub.js"
import * as Core from "./internal/core.js"
import * as Creator from "./internal/creator.js"
import * as Registry from "./internal/registry.js"
import * as Supervisor from "./internal/websocket.js"
import type { Session } from "./Notification.js"

/**
 * The WebSocket client's service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class EventSubWebSocket extends Context.Tag("effect-twitcher/eventsub/EventSubWebSocket")<
  EventSubWebSocket,
  EventSub.Service<Definition.WebSocketCapable>
>() {}

/**
 * Options of the client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Core.CoreOptions {
  /** The URL (default: `TwitchConfig.eventSubWebSocketUrl`). */
  readonly url?: string | undefined
  /** Asked of Twitch: 10 to 600 (Twitch clamps others), default 10. */
  readonly keepaliveTimeoutSeconds?: number | undefined
  /** Silence allowed past the keepalive timeout before the connection counts as dead (default 2 s). */
  readonly silenceGrace?: Duration.DurationInput | undefined
  /** How long to wait for `session_welcome` on a new connection (default 10 s). */
  readonly welcomeTimeout?: Duration.DurationInput | undefined
  /** Waits between connection attempts (default: jittered exponential from 1 s, capped at 60 s). */
  readonly backoff?: Schedule.Schedule<unknown> | undefined
  /** Create requests in flight at once after a welcome (default 10). */
  readonly createConcurrency?: number | undefined
}

/**
 * The default backoff between connection attempts: exponential from 1 s, at most 60 s, jittered.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBackoff: Schedule.Schedule<unknown> = Schedule.exponential("1 second", 2).pipe(
  Schedule.union(Schedule.spaced("60 seconds")),
  Schedule.jittered
)

/**
 * Builds the client; it connects once a subscription is wanted and lives until the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<
  EventSub.Service<Definition.WebSocketCapable>,
  never,
  EventSubApi.EventSubApi | TwitchConfig | Scope.Scope
> =>
  Effect.gen(function*() {
    const api = yield* EventSubApi.EventSubApi
    const config = yield* TwitchConfig
    const core = yield* Core.make(options)
    const wanted = yield* Effect.makeLatch(false)
    let session = Option.none<Session>()
    const deadSessions = new Set<string>()
    const creator = yield* Creator.make({
      api,
      transport: () => Option.map(session, (s) => ({ method: "websocket", sessionId: s.id }) as const),
      webSocket: true,
      freeSlots: freeSlots(api, deadSessions),
      needTransport: wanted.open,
      concurrency: options.createConcurrency ?? 10
    })
    const registry = Registry.make({ ...core, creator })
    const keepalive = Core.keepaliveSeconds(options.keepaliveTimeoutSeconds)
    const base = options.url ?? config.eventSubWebSocketUrl
    yield* Effect.forkScoped(Supervisor.run({
      ...core,
      url: `${base}${base.includes("?") ? "&" : "?"}keepalive_timeout_seconds=${keepalive}`,
      connection: {
        hub: core.hub,
        silenceGrace: Duration.decode(options.silenceGrace ?? "2 seconds"),
        keepaliveTimeout: Duration.seconds(keepalive)
      },
      onMessage: registry.handle,
      onWelcome: () => creator.createAll(registry.missing(), registry.report),
      onHandover: () => Effect.void,
      onLost: () => {
        registry.forgetIds()
        return registry.size() > 0
      },
      wanted,
      welcomeTimeout: Duration.decode(options.welcomeTimeout ?? "10 seconds"),
      reconnectGrace: Duration.seconds(30),
      backoff: options.backoff ?? defaultBackoff,
      stableAfter: Duration.seconds(30),
      onSession: (next) => {
        if (Option.isSome(session) && Option.isNone(next)) deadSessions.add(session.value.id)
        session = next
      }
    }))
    return Core.service<Definition.WebSocketCapable>(core, registry, () => session)
  })

/** Deletes the subscriptions of this user's dead WebSocket sessions (they hold connection slots). */
const freeSlots = (api: EventSubApi.EventSubApi.Service, deadSessions: ReadonlySet<string>) =>
  api.subscriptions().pipe(
    Stream.filter((sub) =>
      sub.transport.method === "websocket" &&
      (sub.status !== "enabled" || deadSessions.has(Option.getOrElse(sub.transport.sessionId, () => "")))
    ),
    Stream.mapEffect((sub) => api.unsubscribe({ id: sub.id }), { concurrency: 4 }),
    Stream.runDrain,
    Effect.catchAll((error) => Effect.logWarning("EventSub: freeing connection slots failed", error)),
    Effect.withSpan("EventSub free slots")
  )

/**
 * The client as a layer (scoped: it disconnects when the layer is released).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<EventSubWebSocket, never, EventSubApi.EventSubApi | TwitchConfig> =>
  Layer.scoped(EventSubWebSocket, make(options))
