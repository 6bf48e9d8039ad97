/**
 * What a Helix operation's handler is: a function of one {@link HelixRequest} (the caller, the
 * validated query and body, the world as it was when the request arrived) to an {@link Answer}, or a
 * `Reply` with Twitch's error body. The router (`Router.ts`) has done authentication, the token
 * kind, scopes, the spec's parameter and body checks and `x-matchesTokenUser` before a handler runs.
 * Handlers are looked up by the spec's `operationId` in a {@link Handlers} table; a route module may
 * bring its own table, which overrides entries of the default one.
 *
 * @since 0.1.0
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import type * as HelixSpec from "../../../../spec/HelixSpec.js"
import type { User } from "../../world/Models.js"
import type { Token } from "../../world/OAuthModels.js"
import type { WorldState } from "../../world/State.js"
import type { WorldError } from "../../world/WorldError.js"
import type { Reply } from "../shared.js"
import { failHelix, type Params, type RouteContext } from "../shared.js"

/**
 * The verified claims of an extension JWT (HS256, signed with one of the extension's secrets).
 *
 * @since 0.1.0
 * @category models
 */
export interface ExtensionCaller {
  /** The extension's id: the `Client-Id` the JWT came with. */
  readonly extensionId: string
  readonly role: string
  /** `user_id` (the extension owner, for `external` JWTs). */
  readonly userId: Option.Option<string>
  /** `channel_id`: a broadcaster id, or `all`. */
  readonly channelId: Option.Option<string>
  /** `pubsub_perms.send`. */
  readonly pubsubSend: ReadonlyArray<string>
}

/**
 * Who is calling: an OAuth token (and, for user tokens, its user), an extension JWT, or nobody
 * (the public iCalendar).
 *
 * @since 0.1.0
 * @category models
 */
export interface Caller {
  readonly clientId: string
  readonly token: Option.Option<Token>
  readonly user: Option.Option<User>
  readonly extension: Option.Option<ExtensionCaller>
}

/**
 * One validated request.
 *
 * @since 0.1.0
 * @category models
 */
export interface HelixRequest {
  readonly ctx: RouteContext
  readonly operation: HelixSpec.Located
  readonly caller: Caller
  /** The query string (repeated keys kept). */
  readonly query: Params
  /** The JSON body (`{}` when the operation takes none). */
  readonly body: Readonly<Record<string, unknown>>
  /** The world when the request arrived. */
  readonly state: WorldState
  /** Epoch milliseconds from the `Clock`. */
  readonly now: number
}

/**
 * A handler's answer: JSON, text (the iCalendar), nothing (`204`) or a response a module built.
 *
 * @since 0.1.0
 * @category models
 */
export type Answer =
  | { readonly _tag: "Json"; readonly status: number; readonly body: unknown }
  | { readonly _tag: "Text"; readonly status: number; readonly text: string; readonly contentType: string }
  | { readonly _tag: "Empty"; readonly status: number }
  | { readonly _tag: "Response"; readonly response: HttpServerResponse.HttpServerResponse }

/**
 * The handler of one operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Handler = (request: HelixRequest) => Effect.Effect<Answer, Reply>

/**
 * Handlers by the spec's `operationId`.
 *
 * @since 0.1.0
 * @category models
 */
export type Handlers = Readonly<Record<string, Handler>>

/**
 * An answer a module built as a whole response (its status, headers and body kept as they are).
 *
 * @since 0.1.0
 * @category answers
 */
export const response = (response: HttpServerResponse.HttpServerResponse): Answer => ({
  _tag: "Response",
  response
})

/**
 * A JSON answer (200 unless told).
 *
 * @since 0.1.0
 * @category answers
 */
export const json = (body: unknown, status = 200): Answer => ({ _tag: "Json", status, body })

/**
 * `{"data": [...]}`.
 *
 * @since 0.1.0
 * @category answers
 */
export const data = (items: ReadonlyArray<unknown>, status = 200): Answer => json({ data: items }, status)

/**
 * One page: `{"data": [...], "pagination": {"cursor"?}, ...extra}`.
 *
 * @since 0.1.0
 * @category answers
 */
export const page = (
  items: ReadonlyArray<unknown>,
  cursor: string | undefined,
  extra: Readonly<Record<string, unknown>> = {}
): Answer => json({ data: items, pagination: cursor === undefined ? {} : { cursor }, ...extra })

/**
 * `204 No Content`.
 *
 * @since 0.1.0
 * @category answers
 */
export const noContent: Answer = { _tag: "Empty", status: 204 }

/**
 * A text answer.
 *
 * @since 0.1.0
 * @category answers
 */
export const text = (body: string, contentType: string): Answer => ({
  _tag: "Text",
  status: 200,
  text: body,
  contentType
})

/**
 * Runs a world operation; its failure becomes Twitch's error: `NotFound` 404, `Conflict` 409,
 * `Forbidden` 403, `RateLimited` 429, anything else 400, with the world's message.
 *
 * @since 0.1.0
 * @category combinators
 */
export const fromWorld = <A>(effect: Effect.Effect<A, WorldError>): Effect.Effect<A, Reply> =>
  Effect.catchAll(effect, (error) => failHelix(worldStatus[error.reason] ?? 400, error.message))

const worldStatus: Partial<Record<WorldError["reason"], number>> = {
  NotFound: 404,
  Conflict: 409,
  Forbidden: 403,
  RateLimited: 429
}

/**
 * The caller's user (the router already refused other token kinds where the spec asks for a user).
 *
 * @since 0.1.0
 * @category accessors
 */
export const tokenUser = (request: HelixRequest): Effect.Effect<User, Reply> =>
  Option.match(request.caller.user, {
    onNone: () => failHelix(401, "Missing User OAUTH Token"),
    onSome: Effect.succeed
  })

/**
 * Whether the caller's token holds a scope.
 *
 * @since 0.1.0
 * @category accessors
 */
export const hasScope = (request: HelixRequest, scope: string): boolean =>
  Option.exists(request.caller.token, (t) => t.scopes.includes(scope))

/**
 * A query parameter the spec requires (the router checked it is there).
 *
 * @since 0.1.0
 * @category accessors
 */
export const required = (request: HelixRequest, name: string): string => request.query.get(name) ?? ""

/**
 * A string field of the body, if it is one.
 *
 * @since 0.1.0
 * @category accessors
 */
export const bodyString = (request: HelixRequest, name: string): string | undefined => {
  const value = request.body[name]
  return typeof value === "string" ? value : undefined
}

/**
 * A number field of the body, if it is one.
 *
 * @since 0.1.0
 * @category accessors
 */
export const bodyNumber = (request: HelixRequest, name: string): number | undefined => {
  const value = request.body[name]
  return typeof value === "number" ? value : undefined
}

/**
 * A boolean field of the body, if it is one.
 *
 * @since 0.1.0
 * @category accessors
 */
export const bodyBoolean = (request: HelixRequest, name: string): boolean | undefined => {
  const value = request.body[name]
  return typeof value === "boolean" ? value : undefined
}

/**
 * An object field of the body (`{}` when absent or not an object).
 *
 * @since 0.1.0
 * @category accessors
 */
export const bodyRecord = (request: HelixRequest, name: string): Readonly<Record<string, unknown>> => {
  const value = request.body[name]
  return Predicate.isRecord(value) ? value : {}
}

/**
 * An integer query parameter (the router checked its type), or `fallback`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const queryInt = (request: HelixRequest, name: string, fallback: number): number => {
  const raw = request.query.get(name)
  return raw === undefined || raw === "" ? fallback : Number(raw)
}

/**
 * A boolean query parameter (the router checked it is `true` or `false`), or `undefined`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const queryBool = (request: HelixRequest, name: string): boolean | undefined => {
  const raw = request.query.get(name)
  return raw === undefined || raw === "" ? undefined : raw === "true"
}

/**
 * The acting moderator, who must be the broadcaster or one of their moderators (else Twitch's
 * 403): the token's user, or with an app token the user in `moderator_id`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const moderatorOf = (request: HelixRequest, broadcasterId: string): Effect.Effect<User, Reply> => {
  const named = request.query.get("moderator_id")
  const actor = Option.orElse(
    request.caller.user,
    () => Option.fromNullable(request.state.users.find((u) => named !== undefined && u.id === named))
  )
  if (Option.isNone(actor)) return failHelix(401, "Missing User OAUTH Token")
  const channel = request.state.channels.find((c) => c.broadcasterId === broadcasterId)
  if (channel === undefined) return failHelix(400, "The ID in broadcaster_id was not found.")
  return actor.value.id === broadcasterId || channel.moderators.includes(actor.value.id)
    ? Effect.succeed(actor.value)
    : failHelix(403, "The user in moderator_id is not one of the broadcaster's moderators.")
}
