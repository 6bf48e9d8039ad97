/**
 * The world's OAuth state machine: applications, tokens (issue, validate, revoke, refresh),
 * device-code grants and authorization codes, with Twitch's failure reasons.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import {
  defaultAppTokenLifetime,
  defaultUserId,
  defaultUserTokenLifetime,
  deviceCodeTiming
} from "./Credentials.js"
import { WorldEvent } from "./Events.js"
import type { AuthCode, DeviceCode, OAuthClient, Token } from "./OAuthModels.js"
import { ALNUM, UPPER } from "./Random.js"
import type { WorldState } from "./State.js"
import { findClient, findUser, newString, type Store, type Transition } from "./Store.js"
import { fail, WorldError } from "./WorldError.js"

/**
 * Input of {@link Service.issueToken}.
 *
 * @since 0.1.0
 * @category models
 */
export interface IssueToken {
  readonly clientId: string
  /** Absent for an app token. */
  readonly userId?: string
  readonly scopes?: ReadonlyArray<string>
  /** Seconds; defaults to {@link defaultUserTokenLifetime} or {@link defaultAppTokenLifetime}. */
  readonly lifetimeSeconds?: number
  /** Whether to pair a refresh token (default: true for user tokens, never for app tokens). */
  readonly refreshable?: boolean
}

/**
 * The OAuth part of the world service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly client: (clientId: string) => Effect.Effect<Option.Option<OAuthClient>>
  readonly addClient: (client: OAuthClient) => Effect.Effect<OAuthClient, WorldError>
  readonly addRedirectUri: (clientId: string, uri: string) => Effect.Effect<void, WorldError>

  /** Issues a token (user token when `userId` is set, app token otherwise). */
  readonly issueToken: (input: IssueToken) => Effect.Effect<Token, WorldError>
  /** The token, if it exists, is not revoked and has not expired (`InvalidToken`/`ExpiredToken`). */
  readonly validateToken: (value: string) => Effect.Effect<Token, WorldError>
  /** Revokes a token of the given client (`InvalidToken` if unknown or another client's). */
  readonly revokeToken: (clientId: string, value: string) => Effect.Effect<Token, WorldError>
  /** Exchanges a one-time refresh token for a new token pair; the old access token is revoked. */
  readonly refreshToken: (clientId: string, refreshToken: string) => Effect.Effect<Token, WorldError>
  readonly createDeviceCode: (clientId: string, scopes: ReadonlyArray<string>) => Effect.Effect<
    DeviceCode,
    WorldError
  >
  /** Approves a pending user code for a user (default: the default user). */
  readonly approveDeviceCode: (userCode: string, userId?: string) => Effect.Effect<DeviceCode, WorldError>
  readonly denyDeviceCode: (userCode: string) => Effect.Effect<DeviceCode, WorldError>
  /** The latest device code created (handy in tests that did not see the HTTP answer). */
  readonly latestDeviceCode: Effect.Effect<Option.Option<DeviceCode>>
  /**
   * One poll of the token endpoint: fails `AuthorizationPending`, `SlowDown` (polled faster than
   * the interval), `AccessDenied`, `InvalidDeviceCode` (unknown, expired or used); succeeds once.
   */
  readonly pollDeviceCode: (clientId: string, deviceCode: string) => Effect.Effect<Token, WorldError>
  readonly createAuthCode: (input: {
    readonly clientId: string
    readonly userId: string
    readonly scopes: ReadonlyArray<string>
    readonly redirectUri: string
  }) => Effect.Effect<AuthCode, WorldError>
  /** Exchanges an authorization code once (`InvalidCode` otherwise). */
  readonly exchangeAuthCode: (input: {
    readonly clientId: string
    readonly code: string
    readonly redirectUri: string
  }) => Effect.Effect<Token, WorldError>
}

const mintToken = (input: IssueToken): Transition<Token> => (s, now) => {
  if (findClient(s, input.clientId) === undefined) return fail("InvalidClient", "invalid client")
  if (input.userId !== undefined && findUser(s, input.userId) === undefined) {
    return fail("NotFound", `no user with id ${input.userId}`)
  }
  const isUser = input.userId !== undefined
  const [value, s1] = newString(s, 30, ALNUM)
  const refreshable = isUser && (input.refreshable ?? true)
  const [refresh, s2] = refreshable ? newString(s1, 50, ALNUM) : [undefined, s1]
  const lifetime = input.lifetimeSeconds ?? (isUser ? defaultUserTokenLifetime : defaultAppTokenLifetime)
  const token: Token = {
    value,
    clientId: input.clientId,
    ...(input.userId !== undefined ? { userId: input.userId } : {}),
    scopes: [...(input.scopes ?? [])],
    issuedAt: now,
    expiresAt: now + lifetime * 1000,
    ...(refresh !== undefined ? { refreshToken: refresh } : {}),
    revoked: false
  }
  return [token, { ...s2, tokens: [...s2.tokens, token] }]
}

const addRedirectUri = (clientId: string, uri: string): Transition<void> => (s) => {
  const client = findClient(s, clientId)
  if (client === undefined) return fail("InvalidClient", "client does not exist")
  if (client.redirectUris.includes(uri)) return [undefined, s]
  const next: OAuthClient = { ...client, redirectUris: [...client.redirectUris, uri] }
  return [undefined, { ...s, clients: s.clients.map((c) => c.clientId === clientId ? next : c) }]
}

const revokeToken = (clientId: string, value: string): Transition<Token> => (s) => {
  if (findClient(s, clientId) === undefined) return fail("InvalidClient", "client does not exist")
  const token = s.tokens.find((t) => t.value === value && t.clientId === clientId && !t.revoked)
  if (token === undefined) return fail("InvalidToken", "Invalid token")
  const revoked: Token = { ...token, revoked: true }
  return [revoked, { ...s, tokens: s.tokens.map((t) => t.value === value ? revoked : t) }]
}

const refreshToken = (clientId: string, refreshToken: string): Transition<Token> => (s, now) => {
  const old = s.tokens.find((t) => t.refreshToken === refreshToken)
  if (old === undefined || old.clientId !== clientId || old.userId === undefined) {
    return fail("InvalidRefreshToken", "Invalid refresh token")
  }
  // One-time use: the old pair dies, a new pair is issued with the same scopes.
  const spent: WorldState = {
    ...s,
    tokens: s.tokens.map((t) => {
      if (t.value !== old.value) return t
      const { refreshToken: _spent, ...rest } = t
      return { ...rest, revoked: true }
    })
  }
  return mintToken({ clientId, userId: old.userId, scopes: old.scopes, refreshable: true })(spent, now)
}

const createDeviceCode =
  (clientId: string, scopes: ReadonlyArray<string>): Transition<DeviceCode> => (s, now) => {
    if (findClient(s, clientId) === undefined) return fail("InvalidClient", "invalid client")
    const [deviceCode, s1] = newString(s, 40, ALNUM)
    const [userCode, s2] = newString(s1, 8, UPPER)
    const code: DeviceCode = {
      deviceCode,
      userCode,
      clientId,
      scopes: [...scopes],
      state: "pending",
      issuedAt: now,
      expiresAt: now + deviceCodeTiming.expiresIn * 1000,
      interval: deviceCodeTiming.interval
    }
    return [code, { ...s2, deviceCodes: [...s2.deviceCodes, code] }]
  }

const updateDeviceCode = (s: WorldState, code: DeviceCode): WorldState => ({
  ...s,
  deviceCodes: s.deviceCodes.map((d) => d.deviceCode === code.deviceCode ? code : d)
})

const decideDeviceCode = (
  userCode: string,
  state: "approved" | "denied",
  userId?: string
): Transition<DeviceCode> =>
(s, now) => {
  const code = s.deviceCodes.find((d) => d.userCode === userCode.toUpperCase())
  if (code === undefined || code.expiresAt <= now) {
    return fail("NotFound", `no pending user code ${userCode}`)
  }
  if (code.state !== "pending") return fail("Conflict", `user code ${userCode} is already ${code.state}`)
  if (userId !== undefined && findUser(s, userId) === undefined) {
    return fail("NotFound", `no user ${userId}`)
  }
  const next: DeviceCode = {
    ...code,
    state,
    ...(state === "approved" ? { userId: userId ?? defaultUserId } : {})
  }
  return [next, updateDeviceCode(s, next)]
}

/**
 * One poll of the token endpoint. Unlike a {@link Transition}, a failed poll may still change the
 * state (the poll time is kept for `SlowDown`, a denied code is consumed).
 */
const pollDeviceCode =
  (clientId: string, deviceCode: string, now: number) =>
  (s: WorldState): readonly [Effect.Effect<Token, WorldError>, WorldState] => {
    const code = s.deviceCodes.find((d) => d.deviceCode === deviceCode && d.clientId === clientId)
    if (code === undefined || code.state === "consumed" || code.expiresAt <= now) {
      return [Effect.fail(fail("InvalidDeviceCode", "invalid device code")), s]
    }
    const tooSoon = code.lastPollAt !== undefined && now - code.lastPollAt < code.interval * 1000
    const polled = updateDeviceCode(s, { ...code, lastPollAt: now })
    if (code.state === "denied") {
      return [
        Effect.fail(fail("AccessDenied", "access_denied")),
        updateDeviceCode(s, { ...code, state: "consumed" })
      ]
    }
    if (tooSoon) return [Effect.fail(fail("SlowDown", "slow_down")), polled]
    if (code.state === "pending") {
      return [Effect.fail(fail("AuthorizationPending", "authorization_pending")), polled]
    }
    const minted = mintToken({
      clientId,
      scopes: code.scopes,
      userId: code.userId ?? defaultUserId
    })(polled, now)
    if (minted instanceof WorldError) {
      return [Effect.fail(minted), s]
    }
    return [
      Effect.succeed(minted[0]),
      updateDeviceCode(minted[1], { ...code, state: "consumed", lastPollAt: now })
    ]
  }

const createAuthCode =
  (input: Parameters<Service["createAuthCode"]>[0]): Transition<AuthCode> => (s, now) => {
    if (findClient(s, input.clientId) === undefined) return fail("InvalidClient", "invalid client")
    if (findUser(s, input.userId) === undefined) return fail("NotFound", `no user ${input.userId}`)
    const [code, s1] = newString(s, 30, ALNUM)
    const authCode: AuthCode = {
      code,
      clientId: input.clientId,
      userId: input.userId,
      scopes: [...input.scopes],
      redirectUri: input.redirectUri,
      expiresAt: now + 600_000,
      used: false
    }
    return [authCode, { ...s1, authCodes: [...s1.authCodes, authCode] }]
  }

const exchangeAuthCode =
  (input: Parameters<Service["exchangeAuthCode"]>[0]): Transition<Token> => (s, now) => {
    const code = s.authCodes.find((c) => c.code === input.code)
    if (
      code === undefined || code.used || code.expiresAt <= now || code.clientId !== input.clientId ||
      code.redirectUri !== input.redirectUri
    ) {
      return fail("InvalidCode", "Invalid authorization code")
    }
    const used: WorldState = {
      ...s,
      authCodes: s.authCodes.map((c) => c.code === code.code ? { ...c, used: true } : c)
    }
    return mintToken({ clientId: code.clientId, userId: code.userId, scopes: code.scopes })(used, now)
  }

/**
 * The OAuth operations over a store.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = ({ get, publish, read, ref, transition }: Store): Service => ({
  client: (clientId) => read((s) => Option.fromNullable(findClient(s, clientId))),
  addClient: (client) =>
    transition((s) =>
      client.clientId.length < 30
        ? fail("InvalidInput", "client ids are at least 30 characters")
        : findClient(s, client.clientId) !== undefined
        ? fail("Conflict", `client ${client.clientId} exists`)
        : [client, { ...s, clients: [...s.clients, client] }]
    ),
  addRedirectUri: (clientId, uri) => transition(addRedirectUri(clientId, uri)),

  issueToken: (input) => transition(mintToken(input)),
  validateToken: (value) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.flatMap(get, (s) => {
        const token = s.tokens.find((t) => t.value === value)
        if (token === undefined || token.revoked) {
          return Effect.fail(fail("InvalidToken", "invalid access token"))
        }
        if (token.expiresAt <= now) return Effect.fail(fail("ExpiredToken", "Token expired"))
        return Effect.succeed(token)
      })),
  revokeToken: (clientId, value) =>
    transition(revokeToken(clientId, value)).pipe(
      Effect.tap((token) => publish(WorldEvent.TokenRevoked({ token })))
    ),
  refreshToken: (clientId, token) => transition(refreshToken(clientId, token)),

  createDeviceCode: (clientId, scopes) => transition(createDeviceCode(clientId, scopes)),
  approveDeviceCode: (userCode, userId) => transition(decideDeviceCode(userCode, "approved", userId)),
  denyDeviceCode: (userCode) => transition(decideDeviceCode(userCode, "denied")),
  latestDeviceCode: read((s) => Option.fromNullable(s.deviceCodes[s.deviceCodes.length - 1])),
  pollDeviceCode: (clientId, deviceCode) =>
    Effect.flatMap(
      Clock.currentTimeMillis,
      (now) => Effect.flatten(Ref.modify(ref, pollDeviceCode(clientId, deviceCode, now)))
    ),

  createAuthCode: (input) => transition(createAuthCode(input)),
  exchangeAuthCode: (input) => transition(exchangeAuthCode(input))
})
