/**
 * Logging in with the device code grant, for CLIs and headless machines: show the code and the
 * address, poll at Twitch's interval until the user approved, done. No client secret and no local
 * server are needed. The token is kept in a 0600 file, so the next run does not ask again.
 *
 *   npx tsx examples/login-device.ts            # against the built-in mock Twitch
 *   TWITCH_CLIENT_ID=<public client id> npx tsx examples/login-device.ts
 *                                               # against Twitch (the token is stored in
 *                                               # ~/.config/effect-twitcher/token.json)
 *
 * Against the mock, the "user" approves the code by loading the mock's activation page.
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { Login, type OAuth, TokenStore, TwitchAuth } from "../src/auth/index.js"
import { MockTwitch } from "../src/testing/index.js"
import * as TwitchConfig from "../src/TwitchConfig.js"

const scopes = ["chat:read", "chat:edit"]

const program = (approve: (code: OAuth.DeviceCode) => Effect.Effect<void>) =>
  Effect.gen(function*() {
    const user = yield* TwitchAuth.currentUser
    yield* Console.log(`Logged in as ${user.login} with scopes: ${user.scopes.join(", ")}`)
  }).pipe(
    Effect.provide(
      TwitchAuth.layerDeviceCode({
        scopes,
        onCode: (code) => Effect.zipRight(Login.printCode(code), approve(code))
      })
    )
  )

const main = Effect.gen(function*() {
  const clientId = yield* Config.option(Config.string("TWITCH_CLIENT_ID"))
  if (Option.isSome(clientId)) {
    return yield* program(() => Effect.void).pipe(
      Effect.provide(
        Layer.mergeAll(
          TwitchConfig.layer({ clientId: clientId.value }),
          NodeHttpClient.layer,
          TokenStore.layerFile().pipe(Layer.provide(NodeFileSystem.layer))
        )
      )
    )
  }
  yield* Console.log("No TWITCH_CLIENT_ID: using the built-in mock Twitch (its public client).")
  const client = yield* HttpClient.HttpClient
  // The user opens the address and approves, a second later (in the background).
  const userApproves = (code: OAuth.DeviceCode) =>
    client.get(code.verificationUri).pipe(
      Effect.delay("1 second"),
      Effect.tap(() => Console.log("(the user approved the code)")),
      Effect.orDie,
      Effect.forkDaemon,
      Effect.asVoid
    )
  const mockConfig = Layer.effect(
    TwitchConfig.TwitchConfig,
    Effect.map(MockTwitch.MockTwitch, (mock) => ({
      ...MockTwitch.twitchConfig(mock),
      clientId: mock.credentials.publicClientId
    }))
  )
  return yield* program(userApproves).pipe(
    Effect.provide(
      Layer.mergeAll(mockConfig, TokenStore.layerMemory()).pipe(
        Layer.provideMerge(MockTwitch.layer({ irc: false }))
      )
    )
  )
}).pipe(Effect.provide(NodeHttpClient.layer))

NodeRuntime.runMain(main)
