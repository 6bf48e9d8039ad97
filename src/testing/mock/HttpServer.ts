/**
 * The mock Twitch's HTTP server: one port on 127.0.0.1 serving every HTTP surface by path —
 * Helix (`/helix/*`, twitch-cli's `/mock/*`), OAuth (`/oauth2/*`, twitch-cli's `/auth/*`), GQL
 * (`/gql`), usher (`/api/v2/channel/hls/<login>.m3u8`, `/api/channel/hls/<login>.m3u8`,
 * `/vod/v2/<id>.m3u8`), the emote CDN (`/emoticons/v2/<id>/<format>/<theme>/<scale>`) and EventSub
 * (the WebSocket at `/ws`, the subscription calls, its control endpoint). Built on
 * `@effect/platform`'s `HttpRouter` served by `NodeHttpServer`; faults from {@link Control} apply
 * before routing. Each surface is a route module (`http/RouteModule.ts`); the list is
 * `http/Modules.ts`.
 *
 * @since 0.1.0
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type * as Stream from "node:stream"
import * as Control from "./Control.js"
import type * as EventSubModel from "./eventsub/Model.js"
import * as EventSub from "./eventsub/Server.js"
import type * as EndpointLimits from "./http/helix/EndpointLimits.js"
import * as Modules from "./http/Modules.js"
import * as RouteModule from "./http/RouteModule.js"
import { type Bucket, helixError, type RateLimitOptions, type RouteContext } from "./http/shared.js"
import * as MockWorld from "./World.js"

/**
 * Options of the HTTP server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Port on 127.0.0.1; 0 (the default) lets the OS choose. */
  readonly port?: number
  /** Helix token bucket: `limit` points (default 800) refilled over `windowMillis` (default 60 000). */
  readonly rateLimit?: Partial<RateLimitOptions>
  /** HMAC key for playback access tokens (default derived from the world's seed). */
  readonly signingKey?: string
  /** EventSub server options (keepalive default, pings, reconnect grace, webhook retries). */
  readonly eventSub?: EventSubModel.Options
  /**
   * More surfaces, after the default ones (`http/Modules.ts`): their routes are served and their
   * Helix handlers override the default ones (e.g. an EventSub module).
   */
  readonly modules?: ReadonlyArray<RouteModule.RouteModule>
  /**
   * Check every Helix answer against the spec's response schema; a mismatch answers 500 naming it
   * (for tests of the mock; default false).
   */
  readonly checkAnswers?: boolean
}

/**
 * The base URLs of a running server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Urls {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string
  /** `<base>/helix` (TwitchConfig `helixUrl`). */
  readonly helixUrl: string
  /** `<base>/mock`, twitch-cli's Helix layout. */
  readonly mockHelixUrl: string
  /** `<base>` (TwitchConfig `idUrl`: OAuth lives under `/oauth2`). */
  readonly idUrl: string
  /** `<base>/auth`, twitch-cli's OAuth layout. */
  readonly authUrl: string
  /** `<base>/gql`. */
  readonly gqlUrl: string
  /** `<base>` (usher paths start with `/api` and `/vod`). */
  readonly usherUrl: string
  /** `<base>/emoticons/v2`. */
  readonly emoteCdnUrl: string
}

/**
 * A running server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Running extends Urls {
  readonly port: number
  /** The EventSub server on this port: WebSocket URL, subscription and control URLs, control handle. */
  readonly eventSub: EventSubModel.EventSubServer
}

/**
 * The base URLs for a port.
 *
 * @since 0.1.0
 * @category constructors
 */
export const urls = (port: number): Urls => {
  const baseUrl = `http://127.0.0.1:${port}`
  return {
    baseUrl,
    helixUrl: `${baseUrl}/helix`,
    mockHelixUrl: `${baseUrl}/mock`,
    idUrl: baseUrl,
    authUrl: `${baseUrl}/auth`,
    gqlUrl: `${baseUrl}/gql`,
    usherUrl: baseUrl,
    emoteCdnUrl: `${baseUrl}/emoticons/v2`
  }
}

const preflightHeaders = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
  "access-control-allow-headers":
    "Authorization, Client-Id, Client-ID, Content-Type, Device-Id, Client-Integrity",
  "access-control-max-age": "86400"
}

const pathOf = (req: HttpServerRequest.HttpServerRequest): string =>
  new URL(req.originalUrl, "http://127.0.0.1").pathname

/**
 * Routes WebSocket upgrades to the module owning the path when it takes upgrades, and every other
 * upgrade to the listeners already registered (the router's).
 */
const dispatchUpgrades = (
  server: Http.Server,
  ctx: RouteContext,
  modules: ReadonlyArray<RouteModule.RouteModule>,
  moduleOf: (path: string) => { readonly module: RouteModule.RouteModule | undefined }
) =>
  Effect.sync(() => {
    const router = server.listeners("upgrade")
    const handlers = new Map(
      modules.flatMap((m) => (m.upgrade === undefined ? [] : [[m, m.upgrade(ctx)] as const]))
    )
    server.removeAllListeners("upgrade")
    server.on("upgrade", (req: Http.IncomingMessage, socket: Stream.Duplex, head: Buffer) => {
      const module = moduleOf(new URL(req.url ?? "/", "http://127.0.0.1").pathname).module
      const handler = module === undefined ? undefined : handlers.get(module)
      if (handler !== undefined) return handler(req, socket, head)
      for (const listener of router) Reflect.apply(listener, server, [req, socket, head])
    })
  })

/**
 * Starts the server in the current scope (closed, with its open connections, when the scope
 * closes).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options = {}
): Effect.Effect<Running, HttpServerError.ServeError, Scope.Scope | MockWorld.World | Control.Control> =>
  Effect.gen(function*() {
    const world = yield* MockWorld.World
    const control = yield* Control.Control
    const modules = [...Modules.all, ...(options.modules ?? [])]
    const moduleOf = (path: string) => RouteModule.find(modules, path, Modules.fallbackSurface)
    let nodeServer: Http.Server | undefined
    const server = yield* NodeHttpServer.make(() => {
      nodeServer = Http.createServer()
      return nodeServer
    }, { host: "127.0.0.1", port: options.port ?? 0 })
    // Runs before the server's own close (finalizers run in reverse): keep-alive sockets would
    // otherwise hold the close open.
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer?.closeAllConnections()))
    const address = server.address
    const port = address._tag === "TcpAddress" ? address.port : 0
    const u = urls(port)

    const ctx: RouteContext = {
      world,
      control,
      baseUrl: u.baseUrl,
      rateLimit: {
        limit: options.rateLimit?.limit ?? 800,
        windowMillis: options.rateLimit?.windowMillis ?? 60_000
      },
      buckets: yield* Ref.make<ReadonlyMap<string, Bucket>>(new Map()),
      signingKey: options.signingKey ?? `mock-twitch-signing-key-${world.seed}`,
      eventSub: yield* EventSub.make(world, u.baseUrl, options.eventSub),
      helixHandlers: RouteModule.helixHandlers(modules),
      checkAnswers: options.checkAnswers ?? false,
      endpointLimits: yield* Ref.make<EndpointLimits.Windows>(new Map())
    }

    const counted = <E, R>(
      method: string,
      pattern: string,
      handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
    ) => Effect.zipRight(control.increment(Control.routeCounter(method, pattern)), handler)

    const router = HttpRouter.concatAll(...modules.map((module) => module.routes(ctx, counted)))

    const handle = Effect.gen(function*() {
      const req = yield* HttpServerRequest.HttpServerRequest
      yield* control.increment(Control.counterNames.requests)
      // Browsers (a test page, a web client) preflight Helix calls; answer like twitch-cli does.
      if (req.method === "OPTIONS") {
        return HttpServerResponse.empty({ status: 200, headers: preflightHeaders })
      }
      const fault = yield* control.takeFault(moduleOf(pathOf(req)).surface)
      if (Option.isSome(fault)) {
        yield* control.increment(Control.counterNames.faults)
        const f = fault.value
        switch (f._tag) {
          case "Drop": {
            yield* control.increment(Control.counterNames.dropped)
            NodeHttpServerRequest.toIncomingMessage(req).socket.destroy()
            return HttpServerResponse.empty({ status: 500 })
          }
          case "Status": {
            if (f.status === 429) {
              yield* control.increment(Control.counterNames.tooManyRequests)
              const reset = String(Math.ceil((yield* Clock.currentTimeMillis) / 1000) + 1)
              return helixError(429, "Rate limit exceeded (injected by the mock)", {
                "ratelimit-limit": String(ctx.rateLimit.limit),
                "ratelimit-remaining": "0",
                "ratelimit-reset": reset
              })
            }
            return helixError(f.status, "Injected failure (mock Twitch)")
          }
          case "Delay": {
            yield* Effect.sleep(f.millis)
            break
          }
        }
      }
      return yield* router
    }).pipe(
      Effect.catchTag("RouteNotFound", (e) => {
        const notFound = moduleOf(pathOf(e.request)).module?.notFound
        return notFound === undefined ? Effect.succeed(helixError(404, "Not Found")) : notFound(ctx)
      })
    )
    const app = Effect.map(handle, HttpServerResponse.setHeader("access-control-allow-origin", "*"))

    yield* server.serve(app)
    if (nodeServer !== undefined) yield* dispatchUpgrades(nodeServer, ctx, modules, moduleOf)
    return { ...u, port, eventSub: ctx.eventSub.server }
  })
