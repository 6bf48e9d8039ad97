/**
 * Extension JWTs as Twitch checks them on the extension endpoints: `Authorization: Bearer <jwt>`
 * with the extension's id as `Client-Id`; the JWT is HS256, signed with one of the extension's
 * secrets (base64, as the developer console shows them) that is active now; `exp` is in the
 * future. Anything else is a 401.
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Crypto from "node:crypto"
import type { ExtensionSecret } from "../../world/ExtensionModels.js"
import { authorizationToken, failHelix, type Reply, type RouteContext } from "../shared.js"
import type { Caller, ExtensionCaller } from "./Handler.js"

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const decodePart = (part: string): unknown => {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8"))
  } catch {
    return undefined
  }
}

const signedWith = (head: string, signature: string, secret: ExtensionSecret): boolean => {
  const expected = Crypto.createHmac("sha256", Buffer.from(secret.content, "base64")).update(head).digest()
  const given = Buffer.from(signature, "base64url")
  return given.length === expected.length && Crypto.timingSafeEqual(given, expected)
}

const stringClaim = (claims: Readonly<Record<string, unknown>>, key: string): Option.Option<string> => {
  const value = claims[key]
  return typeof value === "string" ? Option.some(value) : Option.none()
}

/**
 * The claims of a JWT signed with one of `secrets` and not expired at `now` (epoch ms), or why not.
 *
 * @since 0.1.0
 * @category verification
 */
export const verify = (
  jwt: string,
  extensionId: string,
  secrets: ReadonlyArray<ExtensionSecret>,
  now: number
): { readonly _tag: "Valid"; readonly caller: ExtensionCaller } | {
  readonly _tag: "Invalid"
  readonly why: string
} => {
  const parts = jwt.split(".")
  if (parts.length !== 3) return { _tag: "Invalid", why: "Invalid JWT token" }
  const [header, payload, signature] = parts
  const head = decodePart(header)
  if (!isRecord(head) || head["alg"] !== "HS256") return { _tag: "Invalid", why: "Invalid JWT token" }
  const active = secrets.filter((s) =>
    s.extensionId === extensionId && Date.parse(s.activeAt) <= now && now < Date.parse(s.expiresAt)
  )
  if (!active.some((secret) => signedWith(`${header}.${payload}`, signature, secret))) {
    return { _tag: "Invalid", why: "Invalid JWT token" }
  }
  const claims = decodePart(payload)
  if (!isRecord(claims)) return { _tag: "Invalid", why: "Invalid JWT token" }
  const exp = claims["exp"]
  if (typeof exp !== "number" || exp * 1000 <= now) return { _tag: "Invalid", why: "JWT token expired" }
  const perms = claims["pubsub_perms"]
  const send = isRecord(perms) && Array.isArray(perms["send"]) ? perms["send"] : []
  return {
    _tag: "Valid",
    caller: {
      extensionId,
      role: Option.getOrElse(stringClaim(claims, "role"), () => ""),
      userId: stringClaim(claims, "user_id"),
      channelId: stringClaim(claims, "channel_id"),
      pubsubSend: send.filter((x): x is string => typeof x === "string")
    }
  }
}

/**
 * The caller of an extension-JWT request, or Twitch's 401.
 *
 * @since 0.1.0
 * @category authentication
 */
export const authenticate = (
  ctx: RouteContext
): Effect.Effect<Caller, Reply, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const req = yield* HttpServerRequest.HttpServerRequest
    const clientId = req.headers["client-id"]
    const jwt = authorizationToken(req.headers["authorization"], ["bearer"])
    if (clientId === undefined || clientId === "" || jwt === undefined) {
      return yield* failHelix(401, "Missing Client ID or JWT")
    }
    const secrets = (yield* ctx.world.snapshot).extensionSecrets
    const result = verify(jwt, clientId, secrets, yield* Clock.currentTimeMillis)
    if (result._tag === "Invalid") return yield* failHelix(401, result.why)
    return { clientId, token: Option.none(), user: Option.none(), extension: Option.some(result.caller) }
  })
