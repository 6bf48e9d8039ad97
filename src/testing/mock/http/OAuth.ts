/**
 * The mock's id.twitch.tv: `/oauth2/authorize` (implicit and code grants, denial on demand),
 * `/oauth2/token` (client credentials, authorization code, refresh, device code), `/oauth2/device`,
 * `/oauth2/validate`, `/oauth2/revoke`, and a tiny `/activate` page for device codes. Mounted at
 * both `/oauth2` and twitch-cli's `/auth`; form bodies and query parameters are both accepted.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Control from "../Control.js"
import * as MockWorld from "../World.js"
import {
  authorizationToken,
  type Counted,
  json,
  oauthError,
  type Params,
  params,
  Reply,
  replying,
  type RouteContext
} from "./shared.js"

const GRANT_DEVICE = "urn:ietf:params:oauth:grant-type:device_code"

const fail = (status: number, message: string): Effect.Effect<never, Reply> =>
  Effect.fail(new Reply(oauthError(status, message)))

const splitScopes = (raw: string | undefined): ReadonlyArray<string> =>
  (raw ?? "").split(/[\s+]+/).filter((s) => s.length > 0)

const unknownScope = (scopes: ReadonlyArray<string>): string | undefined =>
  scopes.find((s) => !MockWorld.allScopes.includes(s))

/** The client named by `client_id`, checking `client_secret` when `secretRequired`. */
const requireClient = (ctx: RouteContext, p: Params, secretRequired: boolean) =>
  Effect.gen(function*() {
    const clientId = p.get("client_id")
    if (clientId === undefined || clientId === "") return yield* fail(400, "missing client id")
    const client = yield* ctx.world.client(clientId)
    if (Option.isNone(client)) return yield* fail(400, "invalid client")
    const secret = p.get("client_secret")
    if (client.value.type === "confidential") {
      if (secretRequired && secret === undefined) return yield* fail(400, "missing client secret")
      if (secret !== undefined && secret !== client.value.secret) {
        return yield* fail(403, "invalid client secret")
      }
    }
    return client.value
  })

/** Maps world failures onto Twitch's OAuth answers. */
const worldFailure = (error: MockWorld.WorldError): Reply => {
  switch (error.reason) {
    case "AuthorizationPending":
      return new Reply(oauthError(400, "authorization_pending"))
    case "SlowDown":
      return new Reply(oauthError(400, "slow_down"))
    case "InvalidDeviceCode":
      return new Reply(oauthError(400, "invalid device code"))
    case "AccessDenied":
      return new Reply(oauthError(400, "access_denied"))
    case "InvalidRefreshToken":
      return new Reply(json({ error: "Bad Request", status: 400, message: "Invalid refresh token" }, 400))
    case "InvalidCode":
      return new Reply(oauthError(400, "Invalid authorization code"))
    case "InvalidClient":
      return new Reply(oauthError(400, "invalid client"))
    case "InvalidToken":
    case "ExpiredToken":
      return new Reply(oauthError(400, "Invalid token"))
    default:
      return new Reply(oauthError(400, error.message))
  }
}

const expiresIn = (token: MockWorld.Token, now: number) =>
  Math.max(0, Math.floor((token.expiresAt - now) / 1000))

/** The JSON of a user-token grant. */
const userTokenBody = (token: MockWorld.Token, now: number) => ({
  access_token: token.value,
  expires_in: expiresIn(token, now),
  refresh_token: token.refreshToken ?? "",
  scope: token.scopes,
  token_type: "bearer"
})

const issued = (ctx: RouteContext) => ctx.control.increment(Control.counterNames.tokensIssued)

/** The user `/authorize` signs in: control switch, `mock_user` knob, or the default user. */
const signingUser = (ctx: RouteContext, p: Params) =>
  Effect.gen(function*() {
    const chosen = yield* ctx.control.authorizingUser
    if (Option.isSome(chosen)) return yield* ctx.world.userById(chosen.value)
    const knob = p.get("mock_user")
    if (knob !== undefined) {
      const byLogin = yield* ctx.world.userByLogin(knob)
      return Option.isSome(byLogin) ? byLogin : yield* ctx.world.userById(knob)
    }
    return yield* ctx.world.userById(MockWorld.defaultUserId)
  })

const authorize = (ctx: RouteContext) =>
  replying(Effect.gen(function*() {
    const p = yield* params
    const req = yield* HttpServerRequest.HttpServerRequest
    // twitch-cli's direct user-token grant: POST /auth/authorize?grant_type=user_token&user_id=...
    if (req.method === "POST" && p.get("grant_type") === "user_token") return yield* cliUserToken(ctx, p)

    const client = yield* requireClient(ctx, p, false)
    const redirectUri = p.get("redirect_uri")
    if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
      return yield* fail(400, "Parameter redirect_uri does not match registered URI")
    }
    const state = p.get("state")
    const redirect = (query: Record<string, string>) => {
      const url = new URL(redirectUri)
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
      if (state !== undefined) url.searchParams.set("state", state)
      return HttpServerResponse.redirect(url.toString(), { status: 302 })
    }
    const responseType = p.get("response_type") ?? ""
    const kinds = responseType.split(" ").filter((s) => s.length > 0)
    const implicit = kinds.includes("token")
    if (!implicit && !(kinds.length === 1 && kinds[0] === "code")) {
      return redirect({ error: "unsupported_response_type", error_description: "Unsupported response type" })
    }
    const scopes = splitScopes(p.get("scope"))
    const bad = unknownScope(scopes)
    if (bad !== undefined) {
      return redirect({ error: "invalid_scope", error_description: `Invalid scope requested: '${bad}'` })
    }
    const denied = (yield* ctx.control.takeDenyAuthorize) || p.get("mock_deny") === "1" ||
      p.get("mock_deny") === "true"
    if (denied) return redirect({ error: "access_denied", error_description: "The user denied you access" })
    const user = yield* signingUser(ctx, p)
    if (Option.isNone(user)) return yield* fail(400, "no such user to sign in")

    if (implicit) {
      const token = yield* ctx.world.issueToken({
        clientId: client.clientId,
        userId: user.value.id,
        scopes,
        refreshable: false
      }).pipe(Effect.mapError(worldFailure))
      yield* issued(ctx)
      const fragment = new URLSearchParams({ access_token: token.value, scope: scopes.join(" ") })
      if (state !== undefined) fragment.set("state", state)
      fragment.set("token_type", "bearer")
      return HttpServerResponse.redirect(`${redirectUri}#${fragment.toString()}`, { status: 302 })
    }
    const code = yield* ctx.world.createAuthCode({
      clientId: client.clientId,
      userId: user.value.id,
      scopes,
      redirectUri
    }).pipe(Effect.mapError(worldFailure))
    return redirect({ code: code.code, scope: scopes.join(" ") })
  }))

/** twitch-cli's `POST /auth/authorize?grant_type=user_token`: a user token without a browser. */
const cliUserToken = (ctx: RouteContext, p: Params) =>
  Effect.gen(function*() {
    const client = yield* requireClient(ctx, p, true)
    const userId = p.get("user_id")
    if (userId === undefined) return yield* fail(400, "missing user_id")
    const scopes = splitScopes(p.get("scope"))
    const bad = unknownScope(scopes)
    if (bad !== undefined) return yield* fail(400, `invalid scope requested: '${bad}'`)
    const token = yield* ctx.world.issueToken({ clientId: client.clientId, userId, scopes }).pipe(
      Effect.mapError(worldFailure)
    )
    yield* issued(ctx)
    return json(userTokenBody(token, yield* Clock.currentTimeMillis))
  })

const token = (ctx: RouteContext) =>
  replying(Effect.gen(function*() {
    const p = yield* params
    const grant = p.get("grant_type")
    const now = yield* Clock.currentTimeMillis
    switch (grant) {
      case "client_credentials": {
        const client = yield* requireClient(ctx, p, true)
        if (client.type === "public") return yield* fail(400, "invalid client")
        const scopes = splitScopes(p.get("scope"))
        const t = yield* ctx.world.issueToken({ clientId: client.clientId, scopes }).pipe(
          Effect.mapError(worldFailure)
        )
        yield* issued(ctx)
        return json({ access_token: t.value, expires_in: expiresIn(t, now), token_type: "bearer" })
      }
      case "authorization_code": {
        const client = yield* requireClient(ctx, p, true)
        if (client.type === "public") return yield* fail(400, "invalid client")
        const code = p.get("code")
        if (code === undefined) return yield* fail(400, "missing code")
        const t = yield* ctx.world.exchangeAuthCode({
          clientId: client.clientId,
          code,
          redirectUri: p.get("redirect_uri") ?? ""
        }).pipe(Effect.mapError(worldFailure))
        yield* issued(ctx)
        return json(userTokenBody(t, now))
      }
      case "refresh_token": {
        const client = yield* requireClient(ctx, p, true)
        const refresh = p.get("refresh_token")
        if (refresh === undefined) return yield* fail(400, "missing refresh token")
        const t = yield* ctx.world.refreshToken(client.clientId, refresh).pipe(Effect.mapError(worldFailure))
        yield* issued(ctx)
        return json(userTokenBody(t, now))
      }
      case GRANT_DEVICE: {
        const client = yield* requireClient(ctx, p, false)
        const deviceCode = p.get("device_code")
        if (deviceCode === undefined) return yield* fail(400, "missing device code")
        const t = yield* ctx.world.pollDeviceCode(client.clientId, deviceCode).pipe(
          Effect.mapError(worldFailure)
        )
        yield* issued(ctx)
        return json(userTokenBody(t, now))
      }
      case undefined:
        return yield* fail(400, "missing grant type")
      default:
        return yield* fail(400, "unsupported grant type")
    }
  }))

const device = (ctx: RouteContext) =>
  replying(Effect.gen(function*() {
    const p = yield* params
    const client = yield* requireClient(ctx, p, false)
    const scopes = splitScopes(p.get("scopes") ?? p.get("scope"))
    const bad = unknownScope(scopes)
    if (bad !== undefined) return yield* fail(400, `invalid scope requested: '${bad}'`)
    const code = yield* ctx.world.createDeviceCode(client.clientId, scopes).pipe(
      Effect.mapError(worldFailure)
    )
    const now = yield* Clock.currentTimeMillis
    return json({
      device_code: code.deviceCode,
      expires_in: Math.floor((code.expiresAt - now) / 1000),
      interval: code.interval,
      user_code: code.userCode,
      verification_uri: `${ctx.baseUrl}/activate?device-code=${code.userCode}`
    })
  }))

const validate = (ctx: RouteContext) =>
  replying(Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const value = authorizationToken(req.headers["authorization"])
    if (value === undefined) return yield* fail(401, "missing authorization token")
    const t = yield* ctx.world.validateToken(value).pipe(
      Effect.mapError(() => new Reply(oauthError(401, "invalid access token")))
    )
    const now = yield* Clock.currentTimeMillis
    if (t.userId === undefined) {
      return json({ client_id: t.clientId, scopes: t.scopes, expires_in: expiresIn(t, now) })
    }
    const user = yield* ctx.world.userById(t.userId)
    return json({
      client_id: t.clientId,
      login: Option.match(user, { onNone: () => "", onSome: (u) => u.login }),
      scopes: t.scopes,
      user_id: t.userId,
      expires_in: expiresIn(t, now)
    })
  }))

const revoke = (ctx: RouteContext) =>
  replying(Effect.gen(function*() {
    const p = yield* params
    const clientId = p.get("client_id")
    if (clientId === undefined || clientId === "") return yield* fail(400, "missing client id")
    if (Option.isNone(yield* ctx.world.client(clientId))) return yield* fail(404, "client does not exist")
    const value = p.get("token")
    if (value === undefined) return yield* fail(400, "missing token")
    yield* ctx.world.revokeToken(clientId, value).pipe(
      Effect.mapError(() => new Reply(oauthError(400, "Invalid token")))
    )
    return HttpServerResponse.empty({ status: 200 })
  }))

const page = (body: string) =>
  HttpServerResponse.text(
    `<!doctype html><html><head><meta charset="utf-8"><title>Mock Twitch</title></head><body>${body}</body></html>`,
    { contentType: "text/html; charset=utf-8" }
  )

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** `GET /activate?device-code=<user code>`: approves (or, with `mock_deny=1`, denies) the code. */
const activate = (ctx: RouteContext) =>
  Effect.gen(function*() {
    const p = yield* params
    const userCode = p.get("device-code") ?? p.get("user_code")
    if (userCode === undefined || userCode === "") {
      return page(
        `<form method="get"><label>Code <input name="device-code"></label><button>Activate</button></form>`
      )
    }
    const user = yield* signingUser(ctx, p)
    const deny = p.get("mock_deny") === "1" || p.get("mock_deny") === "true"
    const result = yield* Effect.either(
      deny
        ? ctx.world.denyDeviceCode(userCode)
        : ctx.world.approveDeviceCode(userCode, Option.getOrUndefined(Option.map(user, (u) => u.id)))
    )
    return result._tag === "Right"
      ? page(`<p>Device ${deny ? "denied" : "activated"}: ${escapeHtml(userCode)}</p>`)
      : page(`<p>${escapeHtml(result.left.message)}</p>`).pipe(HttpServerResponse.setStatus(400))
  })

/**
 * The OAuth routes, relative to their mount point (`/oauth2` or `/auth`).
 *
 * @since 0.1.0
 * @category routers
 */
export const routes = (
  ctx: RouteContext,
  counted: Counted
): HttpRouter.HttpRouter<never, HttpServerRequest.HttpServerRequest> =>
  HttpRouter.empty.pipe(
    HttpRouter.get("/authorize", counted("GET", "/oauth2/authorize", authorize(ctx))),
    HttpRouter.post("/authorize", counted("POST", "/oauth2/authorize", authorize(ctx))),
    HttpRouter.post("/token", counted("POST", "/oauth2/token", token(ctx))),
    HttpRouter.post("/device", counted("POST", "/oauth2/device", device(ctx))),
    HttpRouter.get("/validate", counted("GET", "/oauth2/validate", validate(ctx))),
    HttpRouter.post("/revoke", counted("POST", "/oauth2/revoke", revoke(ctx)))
  )

/**
 * The `/activate` page route (at the server root).
 *
 * @since 0.1.0
 * @category routers
 */
export const activateHandler = activate
