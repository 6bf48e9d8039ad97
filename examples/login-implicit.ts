/**
 * Logging in with the implicit grant, the way pytwitcherapi did: start the login server on
 * 127.0.0.1:42420, open the URL, wait for the token, done.
 *
 *   npx tsx examples/login-implicit.ts          # against the built-in mock Twitch (no account needed)
 *   TWITCH_CLIENT_ID=<id> npx tsx examples/login-implicit.ts
 *                                               # against Twitch: register http://localhost:42420 as a
 *                                               # redirect URL of your app, then open the printed URL
 *
 * Against the mock, a small HTTP client plays the browser: it follows Twitch's redirect and posts
 * the token the way the login page's script does.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Login, TwitchAuth } from "../src/auth/index.js"
import { MockTwitch } from "../src/testing/index.js"
import * as TwitchConfig from "../src/TwitchConfig.js"

const scopes = ["user:read:follows", "chat:read"]

/** What a browser does with the authorize URL (used against the mock only). */
const playBrowser = (authorizeUrl: string) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const authorize = yield* client.execute(HttpClientRequest.get(authorizeUrl))
    const target = new URL(authorize.headers["location"] ?? "")
    const host = `${target.hostname}:${target.port}`
    yield* client.execute(
      HttpClientRequest.get(`http://127.0.0.1:${target.port}/`).pipe(
        HttpClientRequest.setHeader("Host", host)
      )
    )
    yield* client.execute(
      HttpClientRequest.post(`http://127.0.0.1:${target.port}/token`).pipe(
        HttpClientRequest.setHeaders({ Host: host, Origin: `http://${host}` }),
        HttpClientRequest.bodyText(target.hash.slice(1), "application/x-www-form-urlencoded")
      )
    )
  })

const program = (againstMock: boolean) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const onUrl = (url: string) =>
      Effect.zipRight(
        Login.printUrl(url),
        againstMock
          ? Effect.orDie(Effect.provideService(playBrowser(url), HttpClient.HttpClient, client))
          : Effect.void
      )
    yield* Effect.gen(function*() {
      const user = yield* TwitchAuth.currentUser
      yield* Console.log(`Logged in as ${user.login} (${user.userId}) with scopes: ${user.scopes.join(", ")}`)
      yield* TwitchAuth.logout
      yield* Console.log("Logged out (token revoked).")
    }).pipe(Effect.provide(TwitchAuth.layerImplicitGrant({ scopes, forceVerify: true, onUrl })))
  })

const main = Effect.gen(function*() {
  const clientId = yield* Config.option(Config.string("TWITCH_CLIENT_ID"))
  if (Option.isSome(clientId)) {
    return yield* program(false).pipe(
      Effect.provide(Layer.merge(TwitchConfig.layer({ clientId: clientId.value }), NodeHttpClient.layer))
    )
  }
  yield* Console.log("No TWITCH_CLIENT_ID: using the built-in mock Twitch.")
  return yield* program(true).pipe(
    Effect.provide(
      Layer.merge(MockTwitch.layerTwitchConfig, NodeHttpClient.layer).pipe(
        Layer.provideMerge(MockTwitch.layer({ irc: false }))
      )
    )
  )
})

NodeRuntime.runMain(main)
