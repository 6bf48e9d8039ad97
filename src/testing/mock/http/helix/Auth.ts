/**
 * Who calls a Helix operation: the `Client-Id` and bearer token checked against the world's tokens
 * (Twitch's 401 bodies), an extension JWT verified against the extension's secrets (see
 * `ExtensionJwt.ts`), or nobody for the public iCalendar; and the token bucket key of the caller.
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as HelixSpec from "../../../../spec/HelixSpec.js"
import { authorizationToken, failHelix, helixError, Reply, type RouteContext } from "../shared.js"
import * as ExtensionJwt from "./ExtensionJwt.js"
import type { Caller } from "./Handler.js"

/**
 * The caller of a request, or the 401 answer; and the key of the bucket the request takes from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Identified {
  readonly caller: Either.Either<Caller, Reply>
  readonly bucketKey: string
}

const anonymous = (clientId: string): Caller => ({
  clientId,
  token: Option.none(),
  user: Option.none(),
  extension: Option.none()
})

/**
 * The caller of an OAuth-token request: 401 with Twitch's message for a missing client id or
 * token, an unknown, expired or revoked token, or a token of another client.
 *
 * @since 0.1.0
 * @category authentication
 */
export const bearer = (
  ctx: RouteContext
): Effect.Effect<Caller, Reply, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const clientId = req.headers["client-id"]
    const value = authorizationToken(req.headers["authorization"], ["bearer"])
    if (clientId === undefined || clientId === "" || value === undefined) {
      return yield* failHelix(401, "Missing Client ID or OAuth token")
    }
    const token = yield* ctx.world.validateToken(value).pipe(
      Effect.mapError((e) =>
        new Reply(helixError(401, e.reason === "ExpiredToken" ? "Token expired" : "Invalid OAuth token"))
      )
    )
    if (token.clientId !== clientId) return yield* failHelix(401, "Client ID and OAuth token do not match")
    const user = token.userId === undefined ? Option.none() : yield* ctx.world.userById(token.userId)
    return { clientId, token: Option.some(token), user, extension: Option.none() }
  })

const keyOf = (caller: Either.Either<Caller, Reply>, clientId: string): string =>
  Either.match(caller, {
    onLeft: () => `unauthenticated:${clientId}`,
    onRight: (c) =>
      Option.match(c.token, {
        onNone: () =>
          Option.isSome(c.extension) ? `${c.clientId}:extension` : `unauthenticated:${c.clientId}`,
        onSome: (t) => `${t.clientId}:${t.userId ?? "app"}`
      })
  })

/**
 * Identifies the caller of an operation by the token kinds it takes: an extension JWT for the
 * extension-JWT-only operations, nobody for operations that name no token kind (the public
 * iCalendar), an OAuth token otherwise.
 *
 * @since 0.1.0
 * @category authentication
 */
export const identify = (
  ctx: RouteContext,
  operation: HelixSpec.Operation | undefined
): Effect.Effect<Identified, never, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const clientId = req.headers["client-id"] ?? ""
    const tokens = operation?.tokens ?? ["app", "user"]
    const caller = yield* Effect.either(
      tokens.length === 0
        ? Effect.succeed(anonymous(clientId))
        : tokens.every((t) => t === "extension-jwt")
        ? ExtensionJwt.authenticate(ctx)
        : bearer(ctx)
    )
    return { caller, bucketKey: keyOf(caller, clientId) }
  })
