/**
 * The auth service: holds the current token in a `Ref`. Everything that calls Twitch reads the
 * token from it, so a refresh or a new login takes effect everywhere at once.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { TwitchConfig } from "../TwitchConfig.js"
import type { HttpError } from "../TwitchError.js"
import { NotAuthorized, TransportError } from "../TwitchError.js"
import * as AccessToken from "./AccessToken.js"
import * as Http from "./internal/http.js"
import * as Login from "./Login.js"
import * as OAuth from "./OAuth.js"
import * as TokenStore from "./TokenStore.js"

/**
 * The auth service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class TwitchAuth extends Context.Tag("effect-twitcher/TwitchAuth")<TwitchAuth, TwitchAuth.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace TwitchAuth {
  /**
   * What the auth service offers.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** The current token; `None` when logged out or after the token failed validation. */
    readonly ref: Ref.Ref<Option.Option<AccessToken.AccessToken>>
    /** The current token, or `NotAuthorized` ("NoToken"). */
    readonly current: Effect.Effect<AccessToken.AccessToken, NotAuthorized>
    /**
     * Called when Twitch answered 401 to a request made with `stale`. Refreshes where possible
     * (concurrent callers share one refresh) and returns the token to retry with, or fails.
     */
    readonly onUnauthorized: (
      stale: AccessToken.AccessToken
    ) => Effect.Effect<AccessToken.AccessToken, NotAuthorized>
    /** Replaces the token (a new login); saved to the token store when there is one. */
    readonly set: (token: AccessToken.AccessToken) => Effect.Effect<void>
    /**
     * Validates the current token now (`/oauth2/validate`): fills user, scopes and expiry, refreshes
     * or drops a token Twitch rejects. Network failures keep the token and are logged. Without an
     * `HttpClient` (e.g. {@link layerStatic}) this returns the token unchanged.
     */
    readonly validate: Effect.Effect<Option.Option<AccessToken.AccessToken>>
    /** Revokes the token at Twitch where possible, then forgets it (and clears the store). */
    readonly logout: Effect.Effect<void, HttpError | TransportError>
  }
}

/**
 * The current token, requiring `scope` when given: fails with `NotAuthorized` naming the scope
 * before any request is made when the token is known to lack it.
 *
 * @since 0.1.0
 * @category accessors
 */
export const tokenWithScope = (
  auth: TwitchAuth.Service,
  scope?: string
): Effect.Effect<AccessToken.AccessToken, NotAuthorized> =>
  Effect.flatMap(auth.current, (token) => {
    if (scope === undefined) return Effect.succeed(token)
    if (token.kind === "app") return Effect.fail(new NotAuthorized({ reason: "WrongTokenKind", scope }))
    if (AccessToken.lacksScope(token, scope)) {
      return Effect.fail(new NotAuthorized({ reason: "MissingScope", scope }))
    }
    return Effect.succeed(token)
  })

/**
 * Builds the service over a token `Ref`, without refresh: a 401 drops the token.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRef = (ref: Ref.Ref<Option.Option<AccessToken.AccessToken>>): TwitchAuth.Service => ({
  ref,
  set: (token) => Ref.set(ref, Option.some(token)),
  validate: Ref.get(ref),
  logout: Ref.set(ref, Option.none()),
  current: Effect.flatMap(
    Ref.get(ref),
    Option.match({
      onNone: () => Effect.fail(new NotAuthorized({ reason: "NoToken" })),
      onSome: Effect.succeed
    })
  ),
  onUnauthorized: (stale) =>
    Effect.zipRight(
      Ref.update(ref, (current) =>
        Option.isSome(current) && current.value.value === stale.value ? Option.none() : current),
      Effect.fail(new NotAuthorized({ reason: "InvalidToken", status: 401 }))
    )
})

/**
 * A layer with a fixed token (no validation, no refresh).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStatic = (
  token: string | Redacted.Redacted<string> | AccessToken.AccessToken
): Layer.Layer<TwitchAuth> =>
  Layer.effect(
    TwitchAuth,
    Effect.map(
      Ref.make(
        Option.some(typeof token === "string" || Redacted.isRedacted(token) ? AccessToken.make(token) : token)
      ),
      fromRef
    )
  )

/**
 * A layer with no token: every call that needs one fails with `NotAuthorized`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNone: Layer.Layer<TwitchAuth> = Layer.effect(
  TwitchAuth,
  Effect.map(Ref.make(Option.none<AccessToken.AccessToken>()), fromRef)
)

/**
 * A layer reading the token from `TWITCH_TOKEN` (a `Redacted` config value); none when unset.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerEnv: Layer.Layer<TwitchAuth, ConfigError.ConfigError> = Layer.effect(
  TwitchAuth,
  Effect.gen(function*() {
    const token = yield* Config.option(Config.redacted("TWITCH_TOKEN"))
    return fromRef(yield* Ref.make(Option.map(token, (t) => AccessToken.make(t))))
  })
)

/**
 * How a managed service gets a new token for one Twitch rejected: the refresh grant for user
 * tokens, new client credentials for app tokens.
 *
 * @since 0.1.0
 * @category models
 */
export type Renew = (
  stale: AccessToken.AccessToken
) => Effect.Effect<AccessToken.AccessToken, Login.LoginError, HttpClient.HttpClient | TwitchConfig>

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MakeOptions {
  readonly initial: Option.Option<AccessToken.AccessToken>
  /** How to renew a rejected token; without it a rejected token is dropped. */
  readonly renew?: Renew | undefined
  /** Where the token is saved after a login or refresh, and cleared when dropped. */
  readonly store?: TokenStore.TokenStore.Service | undefined
  /** Validate when the service starts; default true. */
  readonly validateAtStart?: boolean | undefined
  /** Interval of the background validation; default one hour (Twitch's requirement). */
  readonly validationInterval?: Duration.DurationInput | undefined
  /**
   * How long one id.twitch.tv call (validation, refresh, revocation) may take, answer included;
   * default 30 s. Past it the call fails with a `TransportError` whose step is `Timeout` (a
   * refresh holds the token lock, so a hung one must not block every caller).
   */
  readonly requestTimeout?: Duration.DurationInput | undefined
}

/**
 * The default interval of the background validation: one hour, as Twitch requires.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultValidationInterval: Duration.Duration = Duration.hours(1)

const sameToken = (a: AccessToken.AccessToken, b: AccessToken.AccessToken) =>
  Redacted.value(a.value) === Redacted.value(b.value)

/**
 * Takes a successful validation into the held token (scopes, login, expiry) and saves it, unless
 * the token changed meanwhile; warns when the token belongs to another client id.
 */
const applyValidation = (
  ref: SynchronizedRef.SynchronizedRef<Option.Option<AccessToken.AccessToken>>,
  token: AccessToken.AccessToken,
  validation: OAuth.Validation,
  clientId: string,
  save: (token: AccessToken.AccessToken) => Effect.Effect<void>
): Effect.Effect<Option.Option<AccessToken.AccessToken>> =>
  Effect.zipRight(
    validation.clientId === clientId ? Effect.void : Effect.logWarning(
      `the token belongs to client id ${validation.clientId}, not ${clientId}: Twitch will refuse it`
    ),
    SynchronizedRef.modifyEffect(
      ref,
      (now) =>
        Option.isSome(now) && sameToken(now.value, token) ?
          Effect.flatMap(
            OAuth.applyValidation(now.value, validation),
            (updated) => Effect.as(save(updated), [Option.some(updated), Option.some(updated)] as const)
          ) :
          Effect.succeed([now, now] as const)
    )
  )

/**
 * A managed auth service: validates at start and then hourly in a background fiber for the life of
 * the scope, refreshes a rejected token where it can (concurrent callers that hit a 401 share one
 * refresh: it runs under the `SynchronizedRef` lock and later callers see the new token), drops it
 * where it cannot, saves to and clears the token store, and revokes on logout.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: MakeOptions
): Effect.Effect<TwitchAuth.Service, never, HttpClient.HttpClient | TwitchConfig | Scope.Scope> =>
  Effect.gen(function*() {
    const context = yield* Effect.context<HttpClient.HttpClient | TwitchConfig>()
    const config = Context.get(context, TwitchConfig)
    const ref = yield* SynchronizedRef.make(options.initial)
    const store = options.store
    const save = (token: AccessToken.AccessToken) => store ? store.save(token) : Effect.void
    const clear = store ? store.clear : Effect.void
    // Each call to id.twitch.tv is bounded by the pipeline's time limit (a `TransportError` with
    // the Timeout step and the call's URL). A renewal is bounded as a whole too: it runs under the
    // lock and may be the app's own effect, which a hang must not turn into a stuck lock.
    const requestTimeout = Duration.decode(options.requestTimeout ?? Http.defaultCallTimeout)
    const provide = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient | TwitchConfig>) =>
      Effect.provide(Http.withCallTimeout(requestTimeout)(effect), context)
    const renewLimit = Duration.sum(requestTimeout, Duration.seconds(5))
    const bounded = <A, E>(effect: Effect.Effect<A, E>) =>
      Effect.timeoutFail(effect, {
        duration: renewLimit,
        onTimeout: () =>
          new TransportError({
            step: "Timeout",
            detail: `the token refresh did not end within ${Duration.format(renewLimit)}`
          })
      })

    type State = Option.Option<AccessToken.AccessToken>

    const outcome = (value: string) => Effect.annotateCurrentSpan("twitch.auth.outcome", value)

    const drop = (why: string): Effect.Effect<readonly [State, State]> =>
      Effect.as(
        Effect.zipRight(
          Effect.zipRight(
            outcome("dropped"),
            Effect.logWarning(`${why}; the token was dropped: log in again`)
          ),
          clear
        ),
        [Option.none(), Option.none()] as const
      )

    // Runs with the lock held while the ref still holds `stale`.
    const renewLocked = (
      stale: AccessToken.AccessToken,
      why: string
    ): Effect.Effect<readonly [State, State], NotAuthorized> =>
      (options.renew === undefined ?
        drop(`${why} and it cannot be refreshed`) :
        bounded(provide(options.renew(stale))).pipe(
          Effect.matchEffect({
            onSuccess: (fresh) =>
              Effect.as(
                Effect.zipRight(
                  Effect.zipRight(outcome("renewed"), Effect.logInfo("the access token was refreshed")),
                  save(fresh)
                ),
                [Option.some(fresh), Option.some(fresh)] as const
              ),
            onFailure: (error) =>
              error._tag === "TransportError" || (error._tag === "HttpError" && error.status >= 500) ?
                // A network or server failure says nothing about the token: keep it, a later call retries.
                Effect.zipRight(
                  Effect.zipRight(
                    outcome("kept"),
                    Effect.logWarning(`refreshing the token failed: ${error.message}`)
                  ),
                  Effect.fail(
                    new NotAuthorized({
                      reason: "InvalidToken",
                      status: 401,
                      twitchMessage: "the token was rejected and refreshing it failed; try again"
                    })
                  )
                ) :
                drop(`${why} and refreshing it failed (${error.message})`)
          })
        )).pipe(Effect.withSpan("TwitchAuth.renew", { attributes: { "twitch.auth.reason": why } }))

    const onUnauthorized = (stale: AccessToken.AccessToken) =>
      SynchronizedRef.modifyEffect(ref, (current): Effect.Effect<readonly [State, State], NotAuthorized> => {
        if (Option.isNone(current)) return Effect.succeed([current, current])
        if (!sameToken(current.value, stale)) return Effect.succeed([current, current])
        return renewLocked(current.value, "Twitch rejected the token (401)")
      }).pipe(
        Effect.flatMap(Option.match({
          onNone: () => Effect.fail(new NotAuthorized({ reason: "InvalidToken", status: 401 })),
          onSome: Effect.succeed
        }))
      )

    const validate: Effect.Effect<State> = Effect.gen(function*() {
      const current = yield* SynchronizedRef.get(ref)
      if (Option.isNone(current)) return current
      const token = current.value
      const result = yield* Effect.either(provide(OAuth.validate(token.value)))
      if (result._tag === "Right") {
        yield* outcome("valid")
        return yield* applyValidation(ref, token, result.right, config.clientId, save)
      }
      const error = result.left
      if (error._tag === "NotAuthorized") {
        yield* outcome("invalid")
        return yield* SynchronizedRef.modifyEffect(
          ref,
          (now) =>
            Option.isSome(now) && sameToken(now.value, token) ?
              renewLocked(now.value, "the token failed validation") :
              Effect.succeed([now, now] as const)
        ).pipe(Effect.orElse(() => SynchronizedRef.get(ref)))
      }
      yield* outcome("kept")
      yield* Effect.logWarning(`could not validate the token, keeping it: ${error.message}`)
      return current
    }).pipe(Effect.withSpan("TwitchAuth.validate"))

    const logout = Effect.gen(function*() {
      const current = yield* SynchronizedRef.getAndSet(ref, Option.none())
      yield* clear
      if (Option.isSome(current)) yield* provide(OAuth.revoke(current.value.value))
    })

    const service: TwitchAuth.Service = {
      ref,
      current: Effect.flatMap(
        SynchronizedRef.get(ref),
        Option.match({
          onNone: () => Effect.fail(new NotAuthorized({ reason: "NoToken" })),
          onSome: Effect.succeed
        })
      ),
      onUnauthorized,
      set: (token) => Effect.zipRight(SynchronizedRef.set(ref, Option.some(token)), save(token)),
      validate,
      logout
    }

    if (options.validateAtStart !== false) yield* validate
    const interval = options.validationInterval ?? defaultValidationInterval
    yield* Effect.sleep(interval).pipe(Effect.zipRight(validate), Effect.forever, Effect.forkScoped)
    return service
  })

/**
 * Whether a token is logged in now.
 *
 * @since 0.1.0
 * @category accessors
 */
export const authorized: Effect.Effect<boolean, never, TwitchAuth> = Effect.flatMap(
  TwitchAuth,
  (auth) => Effect.map(Ref.get(auth.ref), Option.isSome)
)

/**
 * The user a token acts for, as Twitch's validation reported it.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenUser {
  readonly userId: string
  readonly login: string
  readonly scopes: ReadonlyArray<string>
}

/**
 * The user of the current token; `NotAuthorized` when logged out ("NoToken") or when the token is
 * an app token or was never validated ("WrongTokenKind").
 *
 * @since 0.1.0
 * @category accessors
 */
export const currentUser: Effect.Effect<TokenUser, NotAuthorized, TwitchAuth> = Effect.flatMap(
  TwitchAuth,
  (auth) =>
    Effect.flatMap(auth.current, (token) =>
      Option.isSome(token.userId) && Option.isSome(token.login) ?
        Effect.succeed({
          userId: token.userId.value,
          login: token.login.value,
          scopes: Option.getOrElse(token.scopes, () => [])
        }) :
        Effect.fail(new NotAuthorized({ reason: "WrongTokenKind" })))
)

/**
 * The current token, failing with `NotAuthorized` naming `scope` when the token lacks it.
 *
 * @since 0.1.0
 * @category accessors
 */
export const requireScope = (
  scope: string
): Effect.Effect<AccessToken.AccessToken, NotAuthorized, TwitchAuth> =>
  Effect.flatMap(TwitchAuth, (auth) => tokenWithScope(auth, scope))

/**
 * Revokes the current token and forgets it (and clears the token store).
 *
 * @since 0.1.0
 * @category accessors
 */
export const logout: Effect.Effect<void, HttpError | TransportError, TwitchAuth> = Effect.flatMap(
  TwitchAuth,
  (auth) => auth.logout
)

/**
 * Options shared by the managed layers.
 *
 * @since 0.1.0
 * @category models
 */
export interface ManagedOptions {
  /** Interval of the background validation; default one hour. */
  readonly validationInterval?: Duration.DurationInput | undefined
  /** How long one id.twitch.tv call may take (default 30 s); see {@link MakeOptions.requestTimeout}. */
  readonly requestTimeout?: Duration.DurationInput | undefined
}

const renewUser = (clientSecret: Redacted.Redacted<string> | undefined): Renew => (stale) =>
  Login.refresh(stale, clientSecret)

const managed = (
  initial: Option.Option<AccessToken.AccessToken>,
  options: ManagedOptions & {
    readonly renew?: Renew | undefined
    readonly store?: TokenStore.TokenStore.Service | undefined
    readonly validateAtStart?: boolean
  }
) =>
  make({
    initial,
    renew: options.renew,
    store: options.store,
    validateAtStart: options.validateAtStart ?? true,
    validationInterval: options.validationInterval,
    requestTimeout: options.requestTimeout
  })

/**
 * A static token, validated at start and hourly (so user, scopes and expiry are known and scope
 * checks happen before requests). With a refresh token in the `AccessToken` it is refreshed on
 * 401 (pass `clientSecret` for confidential clients).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerValidated = (
  token: string | Redacted.Redacted<string> | AccessToken.AccessToken,
  options: ManagedOptions & { readonly clientSecret?: Redacted.Redacted<string> | undefined } = {}
): Layer.Layer<TwitchAuth, never, HttpClient.HttpClient | TwitchConfig> =>
  Layer.scoped(
    TwitchAuth,
    Effect.suspend(() => {
      const value = typeof token === "string" || Redacted.isRedacted(token) ? AccessToken.make(token) : token
      return managed(Option.some(value), {
        ...options,
        renew: Option.isSome(value.refreshToken) ? renewUser(options.clientSecret) : undefined
      })
    })
  )

/**
 * Like {@link layerValidated}, reading `TWITCH_TOKEN`, and optionally `TWITCH_REFRESH_TOKEN` and
 * `TWITCH_CLIENT_SECRET` (all `Redacted`). No token: calls fail with `NotAuthorized`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerEnvValidated = (
  options: ManagedOptions = {}
): Layer.Layer<TwitchAuth, ConfigError.ConfigError, HttpClient.HttpClient | TwitchConfig> =>
  Layer.scoped(
    TwitchAuth,
    Effect.gen(function*() {
      const token = yield* Config.option(Config.redacted("TWITCH_TOKEN"))
      const refreshToken = yield* Config.option(Config.redacted("TWITCH_REFRESH_TOKEN"))
      const clientSecret = yield* Config.option(Config.redacted("TWITCH_CLIENT_SECRET"))
      const initial = Option.map(token, (t) =>
        AccessToken.make(t, Option.isSome(refreshToken) ? { refreshToken: refreshToken.value } : {}))
      return yield* managed(initial, {
        ...options,
        renew: Option.isSome(refreshToken) ? renewUser(Option.getOrUndefined(clientSecret)) : undefined
      })
    })
  )

/**
 * An app token by client credentials. A token Twitch rejects is replaced by a new one (app tokens
 * cannot be refreshed, but new ones are cheap).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerAppToken = (
  options: ManagedOptions & { readonly clientSecret: Redacted.Redacted<string> }
): Layer.Layer<TwitchAuth, Login.LoginError, HttpClient.HttpClient | TwitchConfig> =>
  Layer.scoped(
    TwitchAuth,
    Effect.gen(function*() {
      const token = yield* Login.appToken(options.clientSecret)
      return yield* managed(Option.some(token), {
        ...options,
        renew: () => Login.appToken(options.clientSecret),
        validateAtStart: false
      })
    })
  )

/**
 * {@link layerAppToken} with the secret from config, by default `TWITCH_CLIENT_SECRET`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerAppTokenConfig = (
  clientSecret: Config.Config<Redacted.Redacted<string>> = Config.redacted("TWITCH_CLIENT_SECRET")
): Layer.Layer<
  TwitchAuth,
  Login.LoginError | ConfigError.ConfigError,
  HttpClient.HttpClient | TwitchConfig
> => Layer.unwrapEffect(Effect.map(clientSecret, (secret) => layerAppToken({ clientSecret: secret })))

/**
 * Loads a usable token from the store, when the app provided a `TokenStore`: it must be a user
 * token of our client with every requested scope, and pass validation (or a refresh).
 */
const fromStore = (
  scopes: ReadonlyArray<string>,
  renew: Renew | undefined
): Effect.Effect<
  {
    readonly store: TokenStore.TokenStore.Service | undefined
    readonly token: Option.Option<AccessToken.AccessToken>
  },
  never,
  HttpClient.HttpClient | TwitchConfig
> =>
  Effect.gen(function*() {
    const maybeStore = yield* Effect.serviceOption(TokenStore.TokenStore)
    if (Option.isNone(maybeStore)) return { store: undefined, token: Option.none() }
    const store = maybeStore.value
    const config = yield* TwitchConfig
    const stored = yield* store.load
    const none = { store, token: Option.none<AccessToken.AccessToken>() }
    if (Option.isNone(stored)) return none
    const token = stored.value
    const usable = token.kind !== "app" &&
      Option.getOrElse(Option.map(token.clientId, (id) => id === config.clientId), () => true) &&
      Option.getOrElse(Option.map(token.scopes, (has) => scopes.every((s) => has.includes(s))), () => true)
    if (!usable) {
      yield* Effect.logInfo("the stored token does not fit this login (client or scopes); logging in again")
      return none
    }
    const refreshed = renew !== undefined && Option.isSome(token.refreshToken) ?
      renew(token).pipe(Effect.tap(store.save)) :
      Effect.fail(new NotAuthorized({ reason: "InvalidToken" }))
    const checked = yield* Login.validated(token).pipe(
      Effect.catchIf((e) => e._tag === "NotAuthorized", () => refreshed),
      Effect.option
    )
    if (Option.isNone(checked)) {
      yield* Effect.logInfo("the stored token is no longer valid; logging in again")
      yield* store.clear
    }
    return { store, token: checked }
  })

const layerLogin = (
  scopes: ReadonlyArray<string>,
  login: Effect.Effect<AccessToken.AccessToken, Login.LoginError, HttpClient.HttpClient | TwitchConfig>,
  options: ManagedOptions & { readonly renew?: Renew | undefined }
): Layer.Layer<TwitchAuth, Login.LoginError, HttpClient.HttpClient | TwitchConfig> =>
  Layer.scoped(
    TwitchAuth,
    Effect.gen(function*() {
      const { store, token: stored } = yield* fromStore(scopes, options.renew)
      const token = Option.isSome(stored) ? stored.value : yield* login
      if (store !== undefined && Option.isNone(stored)) yield* store.save(token)
      return yield* managed(Option.some(token), { ...options, store, validateAtStart: false })
    })
  )

/**
 * A user token by the implicit grant (pytwitcherapi's flow) through the loopback login server on
 * 127.0.0.1:42420. With a `TokenStore` in the context, a stored token is reused and a new one
 * saved. There is no refresh: a rejected token is dropped.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerImplicitGrant = (
  options: Login.BrowserOptions & ManagedOptions
): Layer.Layer<TwitchAuth, Login.LoginError, HttpClient.HttpClient | TwitchConfig> =>
  layerLogin(options.scopes, Login.implicitGrant(options), options)

/**
 * A user token by the authorization code grant (needs the client secret), refreshed on 401 and
 * when validation fails. Uses a `TokenStore` from the context when there is one.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerAuthorizationCode = (
  options: Login.BrowserOptions & ManagedOptions & { readonly clientSecret: Redacted.Redacted<string> }
): Layer.Layer<TwitchAuth, Login.LoginError, HttpClient.HttpClient | TwitchConfig> =>
  layerLogin(options.scopes, Login.authorizationCode(options), {
    ...options,
    renew: renewUser(options.clientSecret)
  })

/**
 * A user token by the device code grant (CLIs, headless machines; no secret), refreshed as a
 * public client. Uses a `TokenStore` from the context when there is one.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerDeviceCode = (
  options: Login.DeviceCodeOptions & ManagedOptions & {
    readonly clientSecret?: Redacted.Redacted<string> | undefined
  }
): Layer.Layer<TwitchAuth, Login.LoginError, HttpClient.HttpClient | TwitchConfig> =>
  layerLogin(options.scopes, Login.deviceCode(options), {
    ...options,
    renew: renewUser(options.clientSecret)
  })
