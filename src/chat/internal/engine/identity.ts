/**
 * Who the client logs in as: anonymous (`justinfan` and random digits, read-only) without a token,
 * or the token's user. Twitch only takes a token for the login it belongs to, so that login must
 * be known: from the `login` option, the token, the auth layer's validation, or (with an
 * `HttpClient` in context) a validation of our own at `id.twitch.tv`. When none of these can tell
 * it, the error says why (`TwitchAuth.layerStatic` with a bare token and no `HttpClient`, the id
 * server unreachable, an app token...).
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import type { AccessToken } from "../../../auth/AccessToken.js"
import * as OAuth from "../../../auth/OAuth.js"
import * as TwitchAuth from "../../../auth/TwitchAuth.js"
import type { TwitchConfig } from "../../../TwitchConfig.js"
import { ChatError, type NotAuthorized } from "../../../TwitchError.js"
import type * as State from "./state.js"

const unknown = (why: string) =>
  new ChatError({
    reason: "LoginFailed",
    detail: `the token's login is unknown and Twitch needs it to log in: ${why}. Pass \`login\`, or a ` +
      "token that knows it (AccessToken.make(token, { login }), or a validated one from a login flow)"
  })

/** The login of `token`: known, from the auth layer's validation, or from one of our own. */
const learnLogin = (
  auth: TwitchAuth.TwitchAuth.Service,
  token: AccessToken
): Effect.Effect<string, ChatError | NotAuthorized, TwitchConfig> =>
  Effect.gen(function*() {
    if (Option.isSome(token.login)) return token.login.value
    const validated = yield* auth.validate
    if (Option.isSome(validated) && Option.isSome(validated.value.login)) return validated.value.login.value
    const http = yield* Effect.serviceOption(HttpClient.HttpClient)
    if (Option.isNone(http)) {
      return yield* unknown(
        "the auth layer did not validate the token (TwitchAuth.layerStatic does not) and there is no " +
          "HttpClient in context to validate it at id.twitch.tv"
      )
    }
    const validation = yield* OAuth.validate(token.value).pipe(
      Effect.provideService(HttpClient.HttpClient, http.value),
      Effect.mapError((error): ChatError | NotAuthorized =>
        error._tag === "NotAuthorized" ? error : unknown(`validating it failed: ${error.message}`)
      )
    )
    if (Option.isNone(validation.login)) return yield* unknown("it is an app token (it has no user)")
    return validation.login.value
  })

/**
 * The identity of a client: anonymous when asked or without an auth layer; otherwise the token's
 * user (the token must have `chat:read` when its scopes are known).
 */
export const resolve = (options: {
  readonly anonymous: boolean
  readonly login: string | undefined
  readonly auth: TwitchAuth.TwitchAuth.Service | undefined
}): Effect.Effect<State.Identity, ChatError | NotAuthorized, TwitchConfig> =>
  Effect.gen(function*() {
    if (options.anonymous || options.auth === undefined) {
      const digits = yield* Random.nextIntBetween(10000, 99999)
      return { login: `justinfan${digits}`, anonymous: true, auth: undefined, token: undefined }
    }
    const token = yield* TwitchAuth.tokenWithScope(options.auth, "chat:read")
    const login = options.login ?? (yield* learnLogin(options.auth, token))
    return { login: login.toLowerCase(), anonymous: false, auth: options.auth, token }
  })
