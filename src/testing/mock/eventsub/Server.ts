/**
 * The mock's EventSub server: builds the state and {@link Env}, follows the world's events, and
 * accepts WebSocket upgrades handed over by the HTTP server (`/ws` on the mock's HTTP port, Twitch's
 * path and twitch-cli's). The parts: `Connection.ts` (a connection's life), `Sessions.ts`,
 * `Reconnect.ts`, `Operations.ts` and `Rules.ts`/`Subscriptions.ts` (the Helix operations and their
 * rules), `ConduitStore.ts`, `ConduitOperations.ts`, `ConduitRouting.ts`, `ConduitWebhook.ts` and
 * `ConduitWatch.ts` (conduits, their shards and routing), `Delivery.ts` (emissions to transports), `Webhook.ts`, `Payload.ts` (payloads from the
 * facts' field trees), `WorldFeed.ts` and `ChatTap.ts` (notifications from the world and chat),
 * `Control.ts` and `External.ts` (control handle and endpoint), `Routes.ts` (the HTTP surface).
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import type * as Http from "node:http"
import type * as Stream from "node:stream"
import { WebSocketServer } from "ws"
import type * as MockWorld from "../World.js"
import * as ChatTap from "./ChatTap.js"
import * as ConduitWatch from "./ConduitWatch.js"
import * as Connection from "./Connection.js"
import * as Control from "./Control.js"
import * as Facts from "./Facts.js"
import * as Ids from "./Ids.js"
import type { EventSubServer, Options } from "./Model.js"
import * as State from "./State.js"
import * as WorldFeed from "./WorldFeed.js"

/**
 * A running EventSub server as the HTTP server holds it: its parts' environment, its public face,
 * and the upgrade handler for `/ws`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Engine {
  readonly env: State.Env
  readonly server: EventSubServer
  readonly upgrade: (req: Http.IncomingMessage, socket: Stream.Duplex, head: Buffer) => void
}

const millis = (input: Duration.DurationInput | undefined, fallback: number): number =>
  input === undefined ? fallback : Duration.toMillis(Duration.decode(input))

/**
 * The options with Twitch's defaults.
 *
 * @since 0.1.0
 * @category constructors
 */
export const settings = (options: Options): State.Settings => ({
  keepaliveSeconds: options.keepaliveSeconds ?? Facts.websocketLimits.defaultKeepaliveTimeoutSeconds,
  pingIntervalMs: millis(options.pingInterval, 30_000),
  reconnectGraceMs: millis(options.reconnectGrace, Facts.websocketLimits.reconnectGraceSeconds * 1000),
  websocketRetentionMs: millis(options.disabledRetention, 60_000),
  webhookRetentionMs: millis(options.disabledRetention, 10 * 24 * 3600_000),
  webhook: {
    timeoutMs: millis(options.webhook?.timeout, 10_000),
    retries: options.webhook?.retries ?? 3,
    retryDelayMs: millis(options.webhook?.retryDelay, 1_000),
    failuresBeforeRevocation: options.webhook?.failuresBeforeRevocation ?? 5
  }
})

/**
 * Starts the server for the life of the scope; `baseUrl` is the HTTP server's
 * (`http://127.0.0.1:<port>`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  world: MockWorld.World.Service,
  baseUrl: string,
  options: Options = {}
): Effect.Effect<Engine, never, Scope.Scope> =>
  Effect.gen(function*() {
    // Connection fibers: created first, so they are interrupted last when the scope closes.
    const run = yield* FiberSet.makeRuntime<never>()
    const wss = new WebSocketServer({ noServer: true })
    yield* Effect.addFinalizer(() =>
      Effect.async<void>((resume) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resume(Effect.void))
      })
    )
    const env: State.Env = {
      world,
      settings: settings(options),
      ids: yield* Ids.make(world.seed),
      http: yield* Effect.provide(HttpClient.HttpClient, FetchHttpClient.layer),
      run: (effect) => {
        run(effect)
      },
      scope: yield* Effect.scope,
      state: yield* State.make
    }
    yield* WorldFeed.follow(env)
    yield* ConduitWatch.follow(env)
    return {
      env,
      server: {
        wsUrl: `${baseUrl.replace(/^http/, "ws")}/ws`,
        subscriptionsUrl: `${baseUrl}/eventsub/subscriptions`,
        controlUrl: `${baseUrl}/eventsub/mock`,
        control: Control.make(env),
        followChat: (port) => ChatTap.attach(env, port)
      },
      upgrade: (req, socket, head) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1")
        const target = {
          query: url.searchParams,
          url: `ws://${req.headers.host ?? "127.0.0.1"}${url.pathname}`,
          socket
        }
        wss.handleUpgrade(req, socket, head, (ws) => env.run(Connection.handle(env, ws, target)))
      }
    }
  })
