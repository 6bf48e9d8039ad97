/**
 * An app access token by client credentials: enough for games, search, streams, users and
 * channels, not for anything a user must allow. The auth layer validates it hourly and gets a new
 * one when Twitch rejects it.
 *
 *   npx tsx examples/app-token.ts               # against the built-in mock Twitch
 *   TWITCH_CLIENT_ID=<id> TWITCH_CLIENT_SECRET=<secret> npx tsx examples/app-token.ts
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { TwitchAuth } from "../src/auth/index.js"
import { MockTwitch } from "../src/testing/index.js"
import * as TwitchConfig from "../src/TwitchConfig.js"

const program = Effect.gen(function*() {
  const auth = yield* TwitchAuth.TwitchAuth
  const token = yield* auth.current
  yield* Console.log(`Got an ${token.kind} token for client ${Option.getOrElse(token.clientId, () => "?")}`)
  yield* Console.log(
    `It expires ${Option.match(token.expiresAt, { onNone: () => "never", onSome: (d) => d.toISOString() })}`
  )
  // The token itself stays Redacted: printing it shows "<redacted>".
  yield* Console.log(`Token: ${String(token.value)}`)
  const user = yield* Effect.either(TwitchAuth.currentUser)
  yield* Console.log(`Acts for a user? ${user._tag === "Right" ? "yes" : `no (${user.left.message})`}`)
  yield* TwitchAuth.logout
  yield* Console.log("Revoked.")
})

const main = Effect.gen(function*() {
  const clientId = yield* Config.option(Config.string("TWITCH_CLIENT_ID"))
  if (Option.isSome(clientId)) {
    return yield* program.pipe(
      Effect.provide(TwitchAuth.layerAppTokenConfig()),
      Effect.provide(Layer.merge(TwitchConfig.layer({ clientId: clientId.value }), NodeHttpClient.layer))
    )
  }
  yield* Console.log("No TWITCH_CLIENT_ID: using the built-in mock Twitch.")
  return yield* program.pipe(
    Effect.provide(
      TwitchAuth.layerAppToken({ clientSecret: Redacted.make(MockTwitch.credentials.clientSecret) })
    ),
    Effect.provide(
      Layer.merge(MockTwitch.layerTwitchConfig, NodeHttpClient.layer).pipe(
        Layer.provideMerge(MockTwitch.layer({ irc: false }))
      )
    )
  )
})

NodeRuntime.runMain(main)
