/**
 * The EventSub HTTP surface of the mock. The subscription and conduit operations at Twitch's paths
 * (`/helix/eventsub/subscriptions`, `/helix/eventsub/conduits`) and under twitch-cli's Helix layout
 * (`/mock/eventsub/...`) are answered by the Helix router, which runs this module's {@link helixHandlers} after its own checks
 * (one subscription store: the EventSub server's). This module serves the same operations at
 * twitch-cli's event-server path (`/eventsub/subscriptions`, where Twurple's mock mode sends them)
 * behind Helix's authentication (`Client-Id` and a bearer token of that client) with a point taken
 * from the caller's Helix bucket and the `Ratelimit-*` headers on every answer; the loopback control
 * endpoint (`/eventsub/mock/...`); and `/ws`, whose WebSocket upgrades the server hands to
 * {@link upgrade}.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Http from "node:http"
import type * as Stream from "node:stream"
import * as Control from "../Control.js"
import * as Handler from "../http/helix/Handler.js"
import {
  authorizationToken,
  type Counted,
  failHelix,
  helixError,
  params,
  type RouteContext,
  takeFromBucket
} from "../http/shared.js"
import type * as MockWorld from "../World.js"
import * as ConduitOperations from "./ConduitOperations.js"
import * as External from "./External.js"
import * as Operations from "./Operations.js"
import type { Engine } from "./Server.js"

/** The caller's token, or the 401 Helix answers. */
const authenticate = (ctx: RouteContext, req: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function*() {
    const clientId = req.headers["client-id"]
    const value = authorizationToken(req.headers["authorization"], ["bearer"])
    if (clientId === undefined || clientId === "" || value === undefined) {
      return Either.left(helixError(401, "Missing Client ID or OAuth token"))
    }
    const token = yield* Effect.either(ctx.world.validateToken(value))
    if (Either.isLeft(token)) {
      return Either.left(
        helixError(401, token.left.reason === "ExpiredToken" ? "Token expired" : "Invalid OAuth token")
      )
    }
    return token.right.clientId === clientId
      ? Either.right<MockWorld.Token>(token.right)
      : Either.left(helixError(401, "Client ID and OAuth token do not match"))
  })

const bodyOf = (req: HttpServerRequest.HttpServerRequest) =>
  req.method === "POST"
    ? Effect.orElseSucceed(
      Effect.flatMap(req.text, (text) =>
        Effect.try(() => (text === "" ? undefined : JSON.parse(text) as unknown))),
      () =>
        undefined
    )
    : Effect.succeed(undefined)

/**
 * Serves one operation's handler the way Helix does: authentication, the caller's bucket (429 when
 * empty) and its `Ratelimit-*` headers on every answer.
 *
 * @since 0.1.0
 * @category routes
 */
export const serve = (ctx: RouteContext, engine: Engine, handler: Operations.Handler) =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const token = yield* authenticate(ctx, req)
    const key = Either.match(token, {
      onLeft: () => `unauthenticated:${req.headers["client-id"] ?? ""}`,
      onRight: (t) => `${t.clientId}:${t.userId ?? "app"}`
    })
    const bucket = yield* takeFromBucket(ctx, key)
    if (!bucket.allowed) {
      yield* ctx.control.increment(Control.counterNames.tooManyRequests)
      return helixError(429, "Rate limit exceeded; retry after the time in Ratelimit-Reset", bucket.headers)
    }
    const response = Either.isLeft(token)
      ? token.left
      : yield* handler(engine.env, { token: token.right, params: yield* params, body: yield* bodyOf(req) })
    return HttpServerResponse.setHeaders(response, bucket.headers)
  })

const operations = (ctx: RouteContext, engine: Engine, counted: Counted, path: `/${string}`) =>
  HttpRouter.empty.pipe(
    HttpRouter.post(
      path,
      counted("POST", "/helix/eventsub/subscriptions", serve(ctx, engine, Operations.create))
    ),
    HttpRouter.get(
      path,
      counted("GET", "/helix/eventsub/subscriptions", serve(ctx, engine, Operations.list))
    ),
    HttpRouter.del(
      path,
      counted("DELETE", "/helix/eventsub/subscriptions", serve(ctx, engine, Operations.remove))
    )
  )

/**
 * The routes: the operations at twitch-cli's event-server path, the control endpoint, and `/ws` for requests
 * that are not WebSocket upgrades (400).
 *
 * @since 0.1.0
 * @category routes
 */
export const routes = (
  ctx: RouteContext,
  counted: Counted
): HttpRouter.HttpRouter<never, HttpServerRequest.HttpServerRequest> =>
  HttpRouter.concatAll(
    operations(ctx, ctx.eventSub, counted, "/eventsub/subscriptions"),
    External.routes(ctx.eventSub),
    HttpRouter.empty.pipe(
      HttpRouter.get(
        "/ws",
        Effect.succeed(helixError(400, "Connect with a WebSocket (Upgrade: websocket) to this URL"))
      )
    )
  )

/** One EventSub operation as a Helix router handler (the router authenticated the caller). */
const asHelixHandler = (handler: Operations.Handler): Handler.Handler => (request) =>
  Option.match(request.caller.token, {
    onNone: () => failHelix(401, "Missing OAuth token"),
    onSome: (token) =>
      Effect.map(
        handler(request.ctx.eventSub.env, { token, params: request.query, body: request.body }),
        Handler.response
      )
  })

/**
 * The subscription and conduit operations as Helix router handlers, overriding the Helix module's
 * plain ones with the EventSub server's (sessions, costs, limits, webhook verification, the conduit
 * store its routing reads).
 *
 * @since 0.1.0
 * @category routes
 */
export const helixHandlers: Handler.Handlers = Object.fromEntries(
  Object.entries({ ...Operations.handlers, ...ConduitOperations.handlers }).map((
    [operationId, handler]
  ) => [operationId, asHelixHandler(handler)])
)

/**
 * Hands a WebSocket upgrade of `/ws` to the EventSub server.
 *
 * @since 0.1.0
 * @category routes
 */
export const upgrade =
  (ctx: RouteContext) => (req: Http.IncomingMessage, socket: Stream.Duplex, head: Buffer) =>
    ctx.eventSub.upgrade(req, socket, head)
