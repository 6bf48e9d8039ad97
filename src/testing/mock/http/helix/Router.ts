/**
 * Helix routed from the spec (`src/spec/HelixSpec.ts`, the file the generator reads): one route per
 * operation (method and path), each request taking a point from the caller's token bucket
 * (`Ratelimit-*` headers, 429 past it), then checked as Twitch checks it (`Validate.ts`:
 * authentication, token kind, scopes, parameters, body, `x-matchesTokenUser`) and held to its
 * per-endpoint limit (`EndpointLimits.ts`: 429 past it) before the handler of its `operationId`
 * runs (`RouteContext.helixHandlers`: the default table with every route module's overrides).
 * Operations Twitch removed answer 410; an operation without a handler answers 501.
 * With `checkAnswers`, every success is checked against the spec's response schema and a mismatch
 * becomes a 500 naming it (except the known differences of `SpecGaps.ts`, where the mock follows
 * Twitch).
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as HelixSpec from "../../../../spec/HelixSpec.js"
import * as Control from "../../Control.js"
import {
  type Counted,
  failHelix,
  helixError,
  json,
  params,
  type Reply,
  replying,
  type RouteContext,
  takeFromBucket
} from "../shared.js"
import * as Auth from "./Auth.js"
import * as EndpointLimits from "./EndpointLimits.js"
import type { Answer } from "./Handler.js"
import * as SpecCheck from "./SpecCheck.js"
import * as SpecGaps from "./SpecGaps.js"
import * as Validate from "./Validate.js"

/**
 * Operations of the spec that Twitch removed: `410 {"error":"Gone","status":410,"message":"The API
 * is deprecated."}` whatever the request, as production (and twitch-cli) answers them.
 *
 * @since 0.1.0
 * @category constants
 */
export const gone: ReadonlySet<string> = new Set(["get-all-stream-tags", "get-stream-tags"])

/**
 * Paths outside the spec that Twitch answers with 410 (removed before the spec was written).
 *
 * @since 0.1.0
 * @category constants
 */
export const gonePaths: ReadonlyArray<`/${string}`> = ["/users/follows"]

const goneAnswer = () => json({ error: "Gone", status: 410, message: "The API is deprecated." }, 410)

const rateLimited = (headers: Record<string, string>) =>
  helixError(429, "Rate limit exceeded; retry after the time in Ratelimit-Reset", headers)

/**
 * Identifies the caller of a request and takes a point from its bucket; 429 (counted) when empty.
 */
const metered = (
  ctx: RouteContext,
  operation: HelixSpec.Operation | undefined,
  answer: (
    identified: Auth.Identified
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>
) =>
  Effect.gen(function*() {
    const identified = yield* Auth.identify(ctx, operation)
    const bucket = yield* takeFromBucket(ctx, identified.bucketKey)
    if (!bucket.allowed) {
      yield* ctx.control.increment(Control.counterNames.tooManyRequests)
      return rateLimited(bucket.headers)
    }
    return HttpServerResponse.setHeaders(yield* answer(identified), bucket.headers)
  })

const toResponse = (answer: Answer): HttpServerResponse.HttpServerResponse => {
  switch (answer._tag) {
    case "Json":
      return json(answer.body, answer.status)
    case "Text":
      return HttpServerResponse.text(answer.text, { status: answer.status, contentType: answer.contentType })
    case "Empty":
      return HttpServerResponse.empty({ status: answer.status })
    case "Response":
      return answer.response
  }
}

/** An answer's status and JSON body (a built response's body read back when it is JSON). */
const statusAndBody = (answer: Answer): readonly [number, unknown] => {
  switch (answer._tag) {
    case "Json":
      return [answer.status, answer.body]
    case "Response": {
      const body = answer.response.body
      if (body._tag !== "Uint8Array" || !body.contentType.includes("json")) {
        return [answer.response.status, undefined]
      }
      try {
        return [answer.response.status, JSON.parse(new TextDecoder().decode(body.body))]
      } catch {
        return [answer.response.status, undefined]
      }
    }
    default:
      return [answer.status, undefined]
  }
}

/** A mismatch between an answer and the spec, as a 500 naming it. */
const checked = (operation: HelixSpec.Operation, answer: Answer): Effect.Effect<Answer, Reply> => {
  const [status, body] = statusAndBody(answer)
  const issues = SpecCheck.checkAnswer(operation, status, body).filter((issue) =>
    !SpecGaps.isKnown(operation.operationId, issue)
  )
  return issues.length === 0 ? Effect.succeed(answer) : failHelix(
    500,
    `mock answer of ${operation.operationId} breaks the spec: ${
      issues.slice(0, 5).map(SpecCheck.format).join("; ")
    }`
  )
}

/** Validates a request of an operation and runs its handler. */
const run = (ctx: RouteContext, located: HelixSpec.Located, identified: Auth.Identified) =>
  Effect.gen(function*() {
    const operation = located.operation
    const caller = yield* identified.caller
    yield* Validate.authorize(operation, caller)
    const query = yield* params
    yield* Validate.checkQuery(operation, query)
    const body = yield* Validate.readBody(operation)
    yield* Validate.checkTokenUser(operation, caller, query, body)
    const handler = Object.hasOwn(ctx.helixHandlers, operation.operationId)
      ? ctx.helixHandlers[operation.operationId]
      : undefined
    if (handler === undefined) {
      return yield* failHelix(501, `The mock Twitch has no handler for ${operation.operationId}`)
    }
    const state = yield* ctx.world.snapshot
    const now = yield* Clock.currentTimeMillis
    const request = { ctx, operation: located, caller, query, body, state, now }
    const answer = yield* EndpointLimits.limited(request, handler(request))
    return toResponse(ctx.checkAnswers ? yield* checked(operation, answer) : answer)
  })

/** A spec path as a route path (the spec's paths all start with `/`). */
const routePath = (path: string): `/${string}` => `/${path.replace(/^\//, "")}`

/** The route of one operation. */
const serve = (ctx: RouteContext, located: HelixSpec.Located) =>
  metered(
    ctx,
    located.operation,
    (identified) =>
      gone.has(located.operation.operationId)
        ? Effect.succeed(goneAnswer())
        : replying(run(ctx, located, identified))
  )

/**
 * The answer to a path under `/helix` that no route matches: 404 with Twitch's error body
 * (`{"error":"Not Found","status":404,"message":""}`, the body Helix sends for a 404, e.g.
 * twitchdev/issues#643) and the `Ratelimit-*` headers, taking a point from the caller's bucket
 * like any other Helix request (429 once it is empty).
 *
 * @since 0.1.0
 * @category routers
 */
export const notFound = (
  ctx: RouteContext
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  metered(ctx, undefined, () => Effect.succeed(helixError(404, "")))

/**
 * The Helix routes, relative to their mount point (`/helix` or `/mock`): every operation of the
 * spec, and the removed paths outside it. Each is counted as `route:<METHOD> /helix<path>`.
 *
 * @since 0.1.0
 * @category routers
 */
export const routes = (
  ctx: RouteContext,
  counted: Counted
): HttpRouter.HttpRouter<never, HttpServerRequest.HttpServerRequest> =>
  HttpRouter.fromIterable([
    ...HelixSpec.operations.map((located) =>
      HttpRouter.makeRoute(
        located.method,
        routePath(located.path),
        counted(located.method, `/helix${located.path}`, serve(ctx, located))
      )
    ),
    ...gonePaths.map((path) =>
      HttpRouter.makeRoute(
        "GET",
        path,
        counted("GET", `/helix${path}`, metered(ctx, undefined, () => Effect.succeed(goneAnswer())))
      )
    )
  ])
