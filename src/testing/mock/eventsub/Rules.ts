/**
 * Twitch's rules for Create EventSub Subscription, as pure checks of a request against the facts
 * and the world: the body's shape, the type and version, the transport and the token kind it needs
 * (user token for WebSocket, app token for webhook and conduit), the condition's fields, and who
 * must have authorized what (scopes of the token's user or of the condition's user, a moderator
 * who moderates the broadcaster, the client in the condition), then the subscription's cost.
 * Limits and duplicates need the server's state and live in `Subscriptions.ts`.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import type * as MockWorld from "../World.js"
import * as Facts from "./Facts.js"
import { isObject } from "./Payload.js"

/**
 * A refused request: the HTTP status and Twitch's message.
 *
 * @since 0.1.0
 * @category models
 */
export interface Refusal {
  readonly status: 400 | 401 | 403 | 404 | 409 | 429
  readonly message: string
}

/**
 * The requested transport.
 *
 * @since 0.1.0
 * @category models
 */
export type RequestedTransport =
  | { readonly method: "websocket"; readonly sessionId: string }
  | { readonly method: "webhook"; readonly callback: string; readonly secret: string }
  | { readonly method: "conduit"; readonly conduitId: string }

/**
 * A well-formed create request.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateRequest {
  readonly spec: Facts.SubscriptionType
  readonly condition: Readonly<Record<string, string>>
  readonly transport: RequestedTransport
}

const refuse = (status: Refusal["status"], message: string): Either.Either<never, Refusal> =>
  Either.left({ status, message })

const isLoopback = (host: string): boolean =>
  host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)

/**
 * A webhook transport's `callback` and `secret` as the mock takes them: a loopback http(s) URL (the
 * mock reaches only this machine) and a secret of 10 to 100 ASCII characters.
 *
 * @since 0.1.0
 * @category rules
 */
export const webhookTransport = (
  t: Readonly<Record<string, unknown>>
): Either.Either<Extract<RequestedTransport, { readonly method: "webhook" }>, Refusal> => {
  const { callback, secret } = t
  if (typeof callback !== "string" || callback === "") return refuse(400, "transport.callback is required")
  let url: URL
  try {
    url = new URL(callback)
  } catch {
    return refuse(400, "transport.callback is not a valid URL")
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return refuse(400, "transport.callback must be an https URL")
  }
  // Twitch needs https on port 443; the mock reaches only this machine, so it takes any loopback URL.
  if (!isLoopback(url.hostname)) {
    return refuse(400, "transport.callback must be a loopback URL (127.0.0.1, localhost) on the mock")
  }
  const { secretMaxLength: max, secretMinLength: min } = Facts.webhookRules
  if (
    typeof secret !== "string" || secret.length < min || secret.length > max || !/^[\x20-\x7e]*$/.test(secret)
  ) {
    return refuse(400, `transport.secret must be ${min} to ${max} ASCII characters`)
  }
  return Either.right({ method: "webhook", callback, secret })
}

const transportOf = (value: unknown, token: MockWorld.Token): Either.Either<RequestedTransport, Refusal> => {
  if (!isObject(value)) return refuse(400, "The transport field is required")
  const method = value.method
  if (method !== "websocket" && method !== "webhook" && method !== "conduit") {
    return refuse(400, "transport.method must be webhook, websocket or conduit")
  }
  const userToken = token.userId !== undefined
  if (method === "websocket" && !userToken) {
    return refuse(
      401,
      "invalid transport and auth combination: the websocket transport needs a user access token"
    )
  }
  if (method !== "websocket" && userToken) {
    return refuse(
      401,
      `invalid transport and auth combination: the ${method} transport needs an app access token`
    )
  }
  if (method === "webhook") return webhookTransport(value)
  if (method === "websocket") {
    const sessionId = value.session_id
    return typeof sessionId === "string" && sessionId !== ""
      ? Either.right({ method, sessionId })
      : refuse(400, "transport.session_id is required for the websocket transport")
  }
  const conduitId = value.conduit_id
  return typeof conduitId === "string" && conduitId !== ""
    ? Either.right({ method, conduitId })
    : refuse(400, "transport.conduit_id is required for the conduit transport")
}

const isUserField = (name: string): boolean => name.endsWith("user_id") || name === "broadcaster_id"

const conditionOf = (
  spec: Facts.SubscriptionType,
  value: unknown,
  s: MockWorld.WorldState
): Either.Either<Readonly<Record<string, string>>, Refusal> => {
  if (!isObject(value)) return refuse(400, "The condition field is required")
  const condition: Record<string, string> = {}
  const aliases = Facts.conditionAliases(spec)
  for (const [key, v] of Object.entries(value)) {
    if (spec.condition[key] === undefined && aliases[key] === undefined) {
      return refuse(400, `condition.${key} is not a condition field of ${spec.type} version ${spec.version}`)
    }
    if (typeof v !== "string") return refuse(400, `condition.${key} must be a string`)
    condition[key] = v
  }
  // A field given under the examples' name stands for the reference's (and is kept as given).
  for (const key of spec.conditionRequired) {
    if ((conditionValue(spec, condition, key) ?? "") === "") {
      return refuse(400, `condition.${key} is required`)
    }
  }
  const oneOf = spec.conditionRequireOneOf
  if (oneOf !== undefined && oneOf.filter((k) => (condition[k] ?? "") !== "").length !== 1) {
    return refuse(400, `the condition needs exactly one of ${oneOf.join(", ")}`)
  }
  for (const [key, v] of Object.entries(condition)) {
    if (v !== "" && isUserField(key) && !s.users.some((u) => u.id === v)) {
      return refuse(400, `condition.${key}: the user ${v} does not exist`)
    }
  }
  return Either.right(condition)
}

/**
 * Reads a create request's body (parsed JSON) for a caller's token: shape, type and version,
 * transport and token kind, condition and extra fields.
 *
 * @since 0.1.0
 * @category rules
 */
export const parseCreate = (
  body: unknown,
  token: MockWorld.Token,
  s: MockWorld.WorldState
): Either.Either<CreateRequest, Refusal> =>
  Either.gen(function*() {
    if (!isObject(body)) return yield* refuse(400, "The request body must be a JSON object")
    const { type, version } = body
    if (typeof type !== "string" || type === "") return yield* refuse(400, "The type field is required")
    if (typeof version !== "string" || version === "") {
      return yield* refuse(400, "The version field is required")
    }
    const spec = Facts.find(type, version)
    if (spec === undefined) {
      return yield* refuse(400, "The combination of values in the type and version fields is not valid")
    }
    const transport = yield* transportOf(body.transport, token)
    if (transport.method === "websocket" && (spec.webhookOnly === true || spec.auth.token === "app")) {
      return yield* refuse(400, `${type} does not support the websocket transport`)
    }
    const condition = yield* conditionOf(spec, body.condition, s)
    for (const [key, field] of Object.entries(spec.requestExtraFields ?? {})) {
      if (field.required === true && body[key] !== true && body[key] !== "true") {
        return yield* refuse(400, `${key} must be true for ${type}`)
      }
    }
    return { spec, condition, transport }
  })

/**
 * The scopes a user has granted a client: those of its tokens that were not revoked.
 *
 * @since 0.1.0
 * @category rules
 */
export const grantedScopes = (
  s: MockWorld.WorldState,
  clientId: string,
  userId: string
): ReadonlySet<string> =>
  new Set(
    s.tokens.filter((t) => t.clientId === clientId && t.userId === userId && !t.revoked).flatMap((t) =>
      t.scopes
    )
  )

/**
 * Whether a user has authorized a client (has a token of it that was not revoked).
 *
 * @since 0.1.0
 * @category rules
 */
export const hasAuthorized = (s: MockWorld.WorldState, clientId: string, userId: string): boolean =>
  s.tokens.some((t) => t.clientId === clientId && t.userId === userId && !t.revoked)

/**
 * The condition field naming the user whose authorization a type needs (or, for types that need
 * none, the user the cost depends on).
 *
 * @since 0.1.0
 * @category rules
 */
export const authorizingField = (spec: Facts.SubscriptionType): string | undefined => {
  const a = spec.auth
  const explicit = a.userTokenMustMatchCondition ?? a.websocketTokenUserMustMatch ?? a.webhookScopeGrantedBy
  if (explicit !== undefined) return explicit
  if (a.scopesFrom === "chatting_user") return "user_id"
  const candidates = ["moderator_user_id", "broadcaster_user_id", "broadcaster_id", "user_id"]
  return candidates.find((f) => spec.condition[f] !== undefined)
}

/**
 * A condition's value of a field, also when it was given under the name Twitch's examples use.
 *
 * @since 0.1.0
 * @category rules
 */
export const conditionValue = (
  spec: Facts.SubscriptionType,
  condition: Readonly<Record<string, string>>,
  field: string
): string | undefined => {
  if (condition[field] !== undefined) return condition[field]
  const alias = Object.entries(Facts.conditionAliases(spec)).find(([, to]) => to === field)?.[0]
  return alias === undefined ? undefined : condition[alias]
}

/**
 * Whether a type needs the authorization of a user (scopes).
 *
 * @since 0.1.0
 * @category rules
 */
export const needsAuthorization = (spec: Facts.SubscriptionType): boolean =>
  spec.auth.requiredScopes !== undefined && spec.auth.authorizationRequired !== false

const missingGroup = (
  groups: ReadonlyArray<ReadonlyArray<string>>,
  has: ReadonlySet<string>
): ReadonlyArray<string> | undefined => groups.find((group) => !group.some((scope) => has.has(scope)))

const moderates = (s: MockWorld.WorldState, moderatorId: string, broadcasterId: string): boolean =>
  moderatorId === broadcasterId ||
  (s.channels.find((c) => c.broadcasterId === broadcasterId)?.moderators.includes(moderatorId) ?? false)

/** The app-token path of the chat types: the chatting user's and the broadcaster's grants. */
const chatBotGrants = (
  spec: Facts.SubscriptionType,
  condition: Readonly<Record<string, string>>,
  clientId: string,
  s: MockWorld.WorldState
): Either.Either<void, Refusal> => {
  const app = spec.auth.appToken
  const chatter = condition.user_id ?? ""
  const broadcaster = condition.broadcaster_user_id ?? ""
  const chatterHas = grantedScopes(s, clientId, chatter)
  const missing = (app?.chattingUserScopes ?? []).filter((scope) => !chatterHas.has(scope))
  if (missing.length > 0) {
    return refuse(
      403,
      `subscription missing proper authorization: user ${chatter} has not granted ${missing.join(", ")}`
    )
  }
  const needed = app?.broadcasterScopes ?? []
  if (needed.length === 0 || moderates(s, chatter, broadcaster)) return Either.void
  const broadcasterHas = grantedScopes(s, clientId, broadcaster)
  return needed.every((scope) => broadcasterHas.has(scope))
    ? Either.void
    : refuse(
      403,
      `subscription missing proper authorization: the broadcaster has not granted ${
        needed.join(", ")
      } and the chatting user is not a moderator`
    )
}

/**
 * Checks who authorized what and returns the subscription's cost: 0 when it needs a user's
 * authorization or the condition's user authorized the client, 1 otherwise.
 *
 * @since 0.1.0
 * @category rules
 */
export const authorize = (
  request: CreateRequest,
  token: MockWorld.Token,
  s: MockWorld.WorldState
): Either.Either<number, Refusal> =>
  Either.gen(function*() {
    const { condition, spec } = request
    const auth = spec.auth
    const clientField = auth.tokenClientIdMustMatchCondition
    if (clientField !== undefined && condition[clientField] !== token.clientId) {
      return yield* refuse(403, `condition.${clientField} must be the client id of the access token`)
    }
    const moderator = condition.moderator_user_id
    const broadcaster = condition.broadcaster_user_id
    if (moderator !== undefined && broadcaster !== undefined && !moderates(s, moderator, broadcaster)) {
      return yield* refuse(403, `user ${moderator} is not a moderator of broadcaster ${broadcaster}`)
    }
    const field = authorizingField(spec)
    const user = field === undefined ? undefined : conditionValue(spec, condition, field)
    if (!needsAuthorization(spec)) {
      return user !== undefined && user !== "" && hasAuthorized(s, token.clientId, user) ? 0 : 1
    }
    const groups = auth.requiredScopes ?? []
    if (token.userId !== undefined) {
      if (user !== token.userId) {
        return yield* refuse(403, `condition.${field ?? "user"} must be the user of the access token`)
      }
      const missing = missingGroup(groups, new Set(token.scopes))
      if (missing !== undefined) return yield* refuse(403, `Missing scope: ${missing.join(" or ")}`)
      return 0
    }
    if (auth.appToken?.chattingUserScopes !== undefined) {
      yield* chatBotGrants(spec, condition, token.clientId, s)
      return 0
    }
    const missing = user === undefined
      ? groups[0]
      : missingGroup(groups, grantedScopes(s, token.clientId, user))
    if (missing !== undefined) {
      return yield* refuse(
        403,
        `subscription missing proper authorization: user ${user ?? ""} has not granted ${
          missing.join(" or ")
        }`
      )
    }
    return 0
  })
