/**
 * `login` (device code or implicit grant, token saved to the token store) and `logout` (revoke,
 * then remove from the store). Against the mock, the "user" approves at once: the device code is
 * approved in the mock, or the browser's part of the implicit grant is played over HTTP.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as AccessToken from "../../auth/AccessToken.js"
import * as Login from "../../auth/Login.js"
import * as OAuth from "../../auth/OAuth.js"
import type * as MockTwitch from "../../testing/MockTwitch.js"
import * as TwitchConfig from "../../TwitchConfig.js"
import { CliError } from "../CliError.js"
import { Tty } from "../Tty.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"
import * as Target from "./target.js"

/** The scopes `twitcher` commands use: followed streams, reading and sending chat. */
export const defaultScopes: ReadonlyArray<string> = ["user:read:follows", "chat:read", "chat:edit"]

/** Shows `label` and the seconds spent on the status line while `effect` runs. */
const withTicker = <A, E, R>(label: string, effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Tty, (tty) => {
    const started = Date.now()
    const tick = Effect.suspend(() => tty.status(`${label} ${Math.floor((Date.now() - started) / 1000)}s`))
    return Effect.scoped(
      Effect.gen(function*() {
        yield* Effect.forkScoped(Effect.repeat(tick, Schedule.spaced("1 second")))
        return yield* effect
      })
    ).pipe(Effect.ensuring(tty.status("")))
  })

/** What a browser does with the authorize URL of the mock (it approves as the default user). */
const playBrowser = (mock: MockTwitch.MockTwitch.Service, clientId: string, authorizeUrl: string) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const redirectUri = new URL(authorizeUrl).searchParams.get("redirect_uri") ?? ""
    yield* Effect.ignore(mock.world.addRedirectUri(clientId, redirectUri))
    const authorize = yield* client.execute(HttpClientRequest.get(authorizeUrl))
    const target = new URL(authorize.headers["location"] ?? "")
    const host = `${target.hostname}:${target.port}`
    yield* client.execute(
      HttpClientRequest.post(`http://127.0.0.1:${target.port}/token`).pipe(
        HttpClientRequest.setHeaders({ Host: host, Origin: `http://${host}` }),
        HttpClientRequest.bodyText(target.hash.slice(1), "application/x-www-form-urlencoded")
      )
    )
  }).pipe(
    Effect.catchAll((e) => Effect.logWarning(`the mock's browser failed: ${e.message}`)),
    Effect.forkDaemon,
    Effect.asVoid
  )

const login = Command.make(
  "login",
  {
    ...O.common,
    flow: O.choice("flow", ["device", "implicit"]).pipe(
      Options.withDescription(
        "device: enter a code at twitch.tv/activate (no secret, no redirect URL); implicit: a browser login answered on 127.0.0.1"
      ),
      Options.withDefault("device" as const)
    ),
    scope: Options.text("scope").pipe(
      Options.repeated,
      Options.withDescription(`A scope to ask for (repeatable; default ${defaultScopes.join(", ")})`)
    ),
    port: O.integer("port", { min: 0, max: 65535, what: "a port" }).pipe(
      Options.withDescription("Port of the login server on 127.0.0.1 (implicit flow; 0 picks one)"),
      Options.withDefault(42420)
    )
  },
  (o) =>
    Effect.gen(function*() {
      const target = yield* Target.TargetTag
      const config = yield* TwitchConfig.TwitchConfig
      const mock = Option.getOrUndefined(target.mock)
      const http = yield* HttpClient.HttpClient
      const scopes = o.scope.length > 0 ? o.scope : defaultScopes
      const token = o.flow === "device" ?
        yield* Login.deviceCode({
          scopes,
          onCode: (code) =>
            Effect.gen(function*() {
              yield* Console.error(
                `To log in, open ${code.verificationUri} and enter the code ${code.userCode}`
              )
              if (mock !== undefined) {
                yield* Console.error("(mock Twitch: the code is approved as the default user)")
                yield* Effect.orDie(mock.approveDeviceCode(code.userCode))
              }
            })
        }).pipe((flow) => withTicker("Waiting for the code to be approved...", flow)) :
        yield* Login.implicitGrant({
          scopes,
          port: o.port,
          onUrl: (url) =>
            Effect.gen(function*() {
              yield* Console.error(`Open this address in a browser to log in:\n  ${url}`)
              if (mock !== undefined) {
                yield* Console.error("(mock Twitch: its browser approves as the default user)")
                yield* Effect.provideService(
                  playBrowser(mock, config.clientId, url),
                  HttpClient.HttpClient,
                  http
                )
              }
            })
        }).pipe((flow) => withTicker("Waiting for the browser...", flow))
      const saved = target.kind === "twitch" || target.tokenFileExplicit
      if (saved) {
        const store = yield* Target.storeFor(target)
        yield* store.save(token)
      }
      const user = Option.getOrElse(token.login, () => "?")
      const granted = Option.getOrElse(token.scopes, () => scopes)
      if (o.json) {
        return yield* Render.json({
          login: Option.getOrNull(token.login),
          user_id: Option.getOrNull(token.userId),
          scopes: granted,
          expires_at: Option.getOrNull(Option.map(token.expiresAt, (d) => d.toISOString())),
          token_file: saved ? target.tokenFile : null
        })
      }
      yield* Console.log(`Logged in as ${user} with scopes: ${granted.join(", ") || "none"}`)
      yield* saved ?
        Console.log(`Token saved to ${target.tokenFile}`) :
        Console.error("(mock Twitch: the token was not saved; pass --token-file to keep it)")
    }).pipe(Effect.provide(Target.layer(o, { publicClient: o.flow === "device" })))
).pipe(Command.withDescription("Log in to Twitch and save the token (device code by default)"))

const logout = Command.make("logout", O.common, (o) =>
  Effect.gen(function*() {
    const target = yield* Target.TargetTag
    if (target.kind === "mock" && !target.tokenFileExplicit) {
      return yield* Console.error("Mock Twitch without --token-file: there is no stored token to log out.")
    }
    const store = yield* Target.storeFor(target)
    const stored = yield* store.load
    if (Option.isNone(stored)) {
      if (o.json) return yield* Render.json({ revoked: false, token_file: target.tokenFile })
      return yield* Console.log(`Not logged in (no token in ${target.tokenFile}).`)
    }
    const token: AccessToken.AccessToken = stored.value
    // Revoke with the client the token was issued to.
    const config = yield* TwitchConfig.TwitchConfig
    const clientId = Option.getOrElse(token.clientId, () => config.clientId)
    const revoked = yield* OAuth.revoke(token.value).pipe(
      Effect.provideService(TwitchConfig.TwitchConfig, { ...config, clientId }),
      Effect.either
    )
    yield* store.clear
    if (revoked._tag === "Left") {
      return yield* new CliError({
        reason: "Io",
        detail:
          `The token was removed from ${target.tokenFile} but could not be revoked: ${revoked.left.message}`
      })
    }
    const who = Option.getOrElse(token.login, () => "the user")
    if (o.json) {
      return yield* Render.json({
        revoked: true,
        login: Option.getOrNull(token.login),
        token_file: target.tokenFile
      })
    }
    yield* Console.log(`Logged out ${who}: token revoked and removed from ${target.tokenFile}.`)
  }).pipe(Effect.provide(Target.layer(o)))).pipe(
    Command.withDescription("Revoke the stored token and remove it from the token store")
  )

/** The auth commands. */
export const commands = [login, logout] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = commands.map(Help.leaf)
