/**
 * The transport of extension-JWT calls: the Helix transport made once with the extension's client
 * id, whose token is the JWT of the fiber running the call (each call's JWT is signed for it).
 *
 * @since 0.1.0
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as AccessToken from "../../auth/AccessToken.js"
import * as TwitchAuth from "../../auth/TwitchAuth.js"
import { TwitchConfig } from "../../TwitchConfig.js"
import { NotAuthorized } from "../../TwitchError.js"
import * as HelixClient from "../HelixClient.js"
import type * as HelixOperation from "../HelixOperation.js"

/** The JWT of the extension call running in a fiber (see {@link extensionClient}). */
const currentJwt = globalValue(
  Symbol.for("effect-twitcher/helix/OperationRunner/currentJwt"),
  () => FiberRef.unsafeMake(Option.none<AccessToken.AccessToken>())
)

/**
 * The refusal of an extension call without an extension JWT.
 *
 * @internal
 */
export const noJwt = new NotAuthorized({ reason: "NoToken", needs: ["extension-jwt"] })

/**
 * Whether an operation takes an extension JWT and nothing else.
 *
 * @internal
 */
export const isJwtOnly = (operation: { readonly tokens: ReadonlyArray<HelixOperation.TokenKind> }) =>
  operation.tokens.length === 1 && operation.tokens[0] === "extension-jwt"

/**
 * Runs one request of an extension call with its JWT as the fiber's token.
 *
 * @internal
 */
export const withJwt = (jwt: Redacted.Redacted<string>) => {
  const token = Option.some(AccessToken.make(jwt, { kind: "app" }))
  return <A, E>(request: Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.locally(request, currentJwt, token)
}

/**
 * The one transport of extension-JWT calls: the same pipeline with the extension's client id,
 * made once. Each call's JWT (signed for that call) is the token of the fiber running it; the
 * calls draw from the extension client's own bucket, as app calls of that client id would.
 *
 * @internal
 */
export const extensionClient = (
  clientId: string,
  context: { readonly config: TwitchConfig.Service; readonly http: HttpClient.HttpClient },
  options: HelixClient.HelixClient.Options
): Effect.Effect<HelixClient.HelixClient.Service> => {
  const auth: TwitchAuth.TwitchAuth.Service = {
    ...TwitchAuth.fromRef(Ref.unsafeMake(Option.none())),
    current: Effect.flatMap(
      FiberRef.get(currentJwt),
      Option.match({ onNone: () => Effect.fail(noJwt), onSome: Effect.succeed })
    ),
    onUnauthorized: () =>
      Effect.fail(new NotAuthorized({ reason: "InvalidToken", status: 401, needs: ["extension-jwt"] }))
  }
  return HelixClient.make(options).pipe(
    Effect.provideService(TwitchAuth.TwitchAuth, auth),
    Effect.provideService(TwitchConfig, { ...context.config, clientId }),
    Effect.provideService(HttpClient.HttpClient, context.http)
  )
}
