/**
 * Helpers shared by the mock's HTTP routes: request parameters (query and form body, repeated
 * keys kept), Twitch-shaped error bodies, opaque cursors and the Helix token bucket.
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as Control from "../Control.js"
import type * as EventSub from "../eventsub/Server.js"
import type * as MockWorld from "../World.js"
import type * as EndpointLimits from "./helix/EndpointLimits.js"
import type { Handlers } from "./helix/Handler.js"

/**
 * Wraps a route's handler so that the mock counts its requests (per method and pattern).
 *
 * @since 0.1.0
 * @category models
 */
export type Counted = <E, R>(
  method: string,
  pattern: string,
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>

/**
 * What every route needs: the world, the control plane, its own base URL and the limits.
 *
 * @since 0.1.0
 * @category models
 */
export interface RouteContext {
  readonly world: MockWorld.World.Service
  readonly control: Control.Control.Service
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  readonly baseUrl: string
  readonly rateLimit: RateLimitOptions
  readonly buckets: Ref.Ref<ReadonlyMap<string, Bucket>>
  /** HMAC key of playback access tokens. */
  readonly signingKey: string
  /** The EventSub server (WebSocket sessions, subscriptions, webhooks). */
  readonly eventSub: EventSub.Engine
  /** The Helix handlers by `operationId`: the default ones with every module's overrides applied. */
  readonly helixHandlers: Handlers
  /** Whether Helix answers are checked against the spec's response schemas (a 500 naming the mismatch). */
  readonly checkAnswers: boolean
  /** The calls inside the per-endpoint limits' windows (`helix/EndpointLimits.ts`). */
  readonly endpointLimits: Ref.Ref<EndpointLimits.Windows>
}

/**
 * Helix token bucket settings: `limit` points, refilled linearly over `windowMillis`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimitOptions {
  readonly limit: number
  readonly windowMillis: number
}

/**
 * One bucket's state.
 *
 * @since 0.1.0
 * @category models
 */
export interface Bucket {
  readonly tokens: number
  readonly updatedAt: number
}

/**
 * Request parameters: the query string, plus the form body of a POST. Repeated keys are kept.
 *
 * @since 0.1.0
 * @category models
 */
export interface Params {
  readonly get: (key: string) => string | undefined
  readonly getAll: (key: string) => ReadonlyArray<string>
  readonly has: (key: string) => boolean
  readonly url: URL
}

/**
 * Reads the {@link Params} of the current request.
 *
 * @since 0.1.0
 * @category constructors
 */
export const params: Effect.Effect<Params, never, HttpServerRequest.HttpServerRequest> = Effect.gen(
  function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(req.originalUrl, "http://127.0.0.1")
    const entries: Array<readonly [string, string]> = [...url.searchParams.entries()]
    const contentType = req.headers["content-type"] ?? ""
    if (req.method !== "GET" && contentType.includes("application/x-www-form-urlencoded")) {
      const body = yield* Effect.orElseSucceed(req.urlParamsBody, () => [])
      entries.push(...body)
    }
    return {
      url,
      get: (key) => entries.find(([k]) => k === key)?.[1],
      getAll: (key) => entries.filter(([k]) => k === key).map(([, v]) => v),
      has: (key) => entries.some(([k]) => k === key)
    }
  }
)

const reasons: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  410: "Gone",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/**
 * The HTTP reason phrase of a status.
 *
 * @since 0.1.0
 * @category utils
 */
export const reasonPhrase = (status: number): string => reasons[status] ?? "Error"

/**
 * A JSON response.
 *
 * @since 0.1.0
 * @category constructors
 */
export const json = (
  body: unknown,
  status = 200,
  headers: Record<string, string> = {}
): HttpServerResponse.HttpServerResponse => HttpServerResponse.unsafeJson(body, { status, headers })

/**
 * Helix's error body `{"error","status","message"}`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const helixError = (
  status: number,
  message: string,
  headers: Record<string, string> = {}
): HttpServerResponse.HttpServerResponse =>
  json({ error: reasonPhrase(status), status, message }, status, headers)

/**
 * id.twitch.tv's error body `{"status","message"}`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const oauthError = (status: number, message: string): HttpServerResponse.HttpServerResponse =>
  json({ status, message }, status)

/**
 * A failure that short-circuits a handler with a ready response.
 *
 * @since 0.1.0
 * @category models
 */
export class Reply {
  readonly _tag = "Reply"
  constructor(readonly response: HttpServerResponse.HttpServerResponse) {}
}

/**
 * Fails the handler with a Helix error response.
 *
 * @since 0.1.0
 * @category constructors
 */
export const failHelix = (status: number, message: string): Effect.Effect<never, Reply> =>
  Effect.fail(new Reply(helixError(status, message)))

/**
 * Runs a handler that may short-circuit with a {@link Reply}.
 *
 * @since 0.1.0
 * @category combinators
 */
export const replying = <R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, Reply, R>
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R> =>
  Effect.catchAll(handler, (reply) => Effect.succeed(reply.response))

// ---------------------------------------------------------------------------------------------
// Cursors
// ---------------------------------------------------------------------------------------------

/**
 * Encodes a page boundary (start and end offsets) as an opaque base64url cursor.
 *
 * @since 0.1.0
 * @category cursors
 */
export const encodeCursor = (start: number, end: number): string =>
  Buffer.from(JSON.stringify({ b: start, a: end }), "utf8").toString("base64url")

/**
 * Decodes a cursor from {@link encodeCursor}.
 *
 * @since 0.1.0
 * @category cursors
 */
export const decodeCursor = (
  cursor: string
): Option.Option<{ readonly start: number; readonly end: number }> => {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
    if (typeof value === "object" && value !== null && "a" in value && "b" in value) {
      const { a, b } = value
      if (
        typeof a === "number" && typeof b === "number" && Number.isInteger(a) && Number.isInteger(b) && b >= 0
      ) {
        return Option.some({ start: b, end: a })
      }
    }
    return Option.none()
  } catch {
    return Option.none()
  }
}

/**
 * Reads and checks `first` (1..max, default `defaultFirst`).
 *
 * @since 0.1.0
 * @category pagination
 */
export const readFirst = (p: Params, defaultFirst: number, max = 100): Effect.Effect<number, Reply> => {
  const raw = p.get("first")
  if (raw === undefined) return Effect.succeed(defaultFirst)
  const n = Number(raw)
  if (!/^\d+$/.test(raw) || n < 1 || n > max) {
    return failHelix(
      400,
      `Invalid value for query parameter "first": must be an integer between 1 and ${max}`
    )
  }
  return Effect.succeed(n)
}

/**
 * One page of `items`, honouring `first`, `after` and (when `allowBefore`) `before`; the cursor is
 * present only when there is another page in the direction the client is going.
 *
 * @since 0.1.0
 * @category pagination
 */
export const paginate = <A>(
  p: Params,
  items: ReadonlyArray<A>,
  options: { readonly defaultFirst: number; readonly allowBefore: boolean; readonly max?: number }
): Effect.Effect<{ readonly data: ReadonlyArray<A>; readonly cursor: string | undefined }, Reply> =>
  Effect.gen(function*() {
    const first = yield* readFirst(p, options.defaultFirst, options.max)
    const after = p.get("after")
    const before = options.allowBefore ? p.get("before") : undefined
    if (after !== undefined && before !== undefined) {
      return yield* failHelix(400, "The after and before query parameters are mutually exclusive")
    }
    const decode = (raw: string) =>
      Option.match(decodeCursor(raw), {
        onNone: () => failHelix(400, "Invalid cursor"),
        onSome: Effect.succeed
      })
    if (before !== undefined && before !== "") {
      const { start } = yield* decode(before)
      const end = Math.min(start, items.length)
      const from = Math.max(0, end - first)
      const data = items.slice(from, end)
      return { data, cursor: from > 0 && data.length > 0 ? encodeCursor(from, end) : undefined }
    }
    const from = after !== undefined && after !== "" ? (yield* decode(after)).end : 0
    const data = items.slice(from, from + first)
    const end = from + data.length
    return { data, cursor: end < items.length && data.length > 0 ? encodeCursor(from, end) : undefined }
  })

/**
 * Checks that no repeated parameter appears more than `max` times (Helix's "100 of each").
 *
 * @since 0.1.0
 * @category pagination
 */
export const checkRepeats = (
  p: Params,
  keys: ReadonlyArray<string>,
  max = 100,
  combined = false
): Effect.Effect<void, Reply> => {
  const counts = keys.map((k) => p.getAll(k).length)
  if (combined) {
    const total = counts.reduce((a, b) => a + b, 0)
    return total > max
      ? failHelix(400, `The combined number of ${keys.join(", ")} parameters may not exceed ${max}`)
      : Effect.void
  }
  const index = counts.findIndex((c) => c > max)
  return index >= 0
    ? failHelix(400, `The parameter "${keys[index]}" may be specified at most ${max} times`)
    : Effect.void
}

// ---------------------------------------------------------------------------------------------
// Token bucket
// ---------------------------------------------------------------------------------------------

/**
 * Takes `cost` points from the bucket `key`; returns whether it was allowed and the
 * `Ratelimit-*` headers to send.
 *
 * @since 0.1.0
 * @category rate limits
 */
export const takeFromBucket = (
  ctx: RouteContext,
  key: string,
  cost = 1
): Effect.Effect<{ readonly allowed: boolean; readonly headers: Record<string, string> }> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Ref.modify(ctx.buckets, (buckets) => {
      const { limit, windowMillis } = ctx.rateLimit
      const ratePerMs = limit / windowMillis
      const previous = buckets.get(key) ?? { tokens: limit, updatedAt: now }
      const refilled = Math.min(limit, previous.tokens + Math.max(0, now - previous.updatedAt) * ratePerMs)
      const allowed = refilled >= cost
      const tokens = allowed ? refilled - cost : refilled
      const next = new Map(buckets)
      next.set(key, { tokens, updatedAt: now })
      const fullInMs = (limit - tokens) / ratePerMs
      const headers = {
        "ratelimit-limit": String(limit),
        "ratelimit-remaining": String(Math.floor(tokens)),
        "ratelimit-reset": String(Math.ceil((now + fullInMs) / 1000))
      }
      return [{ allowed, headers }, next] as const
    }))

/**
 * Reads the bearer/OAuth token of an `Authorization` header.
 *
 * @since 0.1.0
 * @category utils
 */
export const authorizationToken = (
  header: string | undefined,
  schemes: ReadonlyArray<string> = ["bearer", "oauth"]
): string | undefined => {
  if (header === undefined) return undefined
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header)
  if (match === null || !schemes.includes(match[1].toLowerCase())) return undefined
  return match[2]
}
