/**
 * A route module: one HTTP surface of the mock (Helix, OAuth, GQL/usher, the emote CDN, ...) as
 * its routes, the path prefixes it owns with the fault surface of each, and its answer to unknown
 * paths. The server joins a list of them (`Modules.ts`); a new surface is a file with its routes
 * and one entry in that list.
 *
 * @since 0.1.0
 */
import type * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Effect from "effect/Effect"
import type * as Http from "node:http"
import type * as Stream from "node:stream"
import type * as Control from "../Control.js"
import type { Handlers } from "./helix/Handler.js"
import type { Counted, RouteContext } from "./shared.js"

/**
 * The fault surface a request belongs to (`Control.takeFault`).
 *
 * @since 0.1.0
 * @category models
 */
export type Surface = Exclude<Control.Surface, "any">

/**
 * Takes over a WebSocket upgrade request (the raw Node request, socket and first bytes).
 *
 * @since 0.1.0
 * @category models
 */
export type UpgradeHandler = (req: Http.IncomingMessage, socket: Stream.Duplex, head: Buffer) => void

/**
 * One HTTP surface of the mock.
 *
 * @since 0.1.0
 * @category models
 */
export interface RouteModule {
  readonly name: string
  /** Path prefixes the module owns, each with its fault surface (first match wins). */
  readonly prefixes: ReadonlyArray<readonly [prefix: string, surface: Surface]>
  /** The module's routes, at the server's root. */
  readonly routes: (
    ctx: RouteContext,
    counted: Counted
  ) => HttpRouter.HttpRouter<never, HttpServerRequest.HttpServerRequest>
  /** Takes the WebSocket upgrades of paths under the module's prefixes (default: the router answers). */
  readonly upgrade?: (ctx: RouteContext) => UpgradeHandler
  /** The answer to an unknown path under the module's prefixes (default: a Helix-shaped 404). */
  readonly notFound?: (
    ctx: RouteContext
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>
  /**
   * Helix handlers by `operationId` this module answers (e.g. an EventSub module taking over the
   * subscription and conduit operations); a later module's entry overrides an earlier one's.
   */
  readonly helixHandlers?: Handlers
}

/**
 * The Helix handlers of a list of modules, later modules overriding earlier ones.
 *
 * @since 0.1.0
 * @category utils
 */
export const helixHandlers = (modules: ReadonlyArray<RouteModule>): Handlers =>
  Object.assign({}, ...modules.map((module) => module.helixHandlers ?? {}))

/**
 * The module owning a path and the path's fault surface; `fallback` (with no module) when no
 * prefix matches.
 *
 * @since 0.1.0
 * @category utils
 */
export const find = (
  modules: ReadonlyArray<RouteModule>,
  path: string,
  fallback: Surface
): { readonly module: RouteModule | undefined; readonly surface: Surface } => {
  for (const module of modules) {
    for (const [prefix, surface] of module.prefixes) if (path.startsWith(prefix)) return { module, surface }
  }
  return { module: undefined, surface: fallback }
}
