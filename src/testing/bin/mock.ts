/**
 * `npm run mock`: the mock Twitch for people. Starts every surface on fixed ports on 127.0.0.1
 * (HTTP 8080 like twitch-cli's mock, with EventSub's WebSocket at `/ws`; IRC 6667 plain / 6697 TLS /
 * 8081 WebSocket), prints the
 * URLs, a ready client id and tokens and the environment that points effect-twitcher (or Twurple)
 * at it, and runs until Ctrl+C (SIGINT) or SIGTERM, which close every server and exit with code 0.
 *
 * ```sh
 * npm run mock                                    # default world, seed 42
 * npm run mock -- --seed 7 --http-port 9000
 * npm run mock -- --dump-world > world.json       # edit it, then:
 * npm run mock -- --world world.json
 * ```
 *
 * Every numeric flag also reads an environment variable: `MOCK_TWITCH_HTTP_PORT`, `MOCK_TWITCH_IRC_PORT`,
 * `MOCK_TWITCH_IRC_TLS_PORT`, `MOCK_TWITCH_IRC_WS_PORT`, `MOCK_TWITCH_SEED`, `MOCK_TWITCH_RATE_LIMIT`
 * (the world file is a flag only).
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as MockWorld from "../mock/World.js"
import * as MockTwitch from "../MockTwitch.js"

const port = (name: string, env: string, fallback: number) =>
  Options.integer(name).pipe(
    Options.withFallbackConfig(Config.integer(env)),
    Options.withDefault(fallback)
  )

const options = {
  httpPort: port("http-port", "MOCK_TWITCH_HTTP_PORT", 8080).pipe(
    Options.withDescription("HTTP port: Helix, OAuth, GQL, usher, emote CDN")
  ),
  ircPort: port("irc-port", "MOCK_TWITCH_IRC_PORT", 6667).pipe(Options.withDescription("IRC over plain TCP")),
  ircTlsPort: port("irc-tls-port", "MOCK_TWITCH_IRC_TLS_PORT", 6697).pipe(
    Options.withDescription("IRC over TLS (self-signed localhost certificate)")
  ),
  ircWsPort: port("irc-ws-port", "MOCK_TWITCH_IRC_WS_PORT", 8081).pipe(
    Options.withDescription("IRC over WebSocket")
  ),
  seed: Options.integer("seed").pipe(
    Options.withFallbackConfig(Config.integer("MOCK_TWITCH_SEED")),
    Options.withDefault(MockWorld.defaultSeed),
    Options.withDescription("Seed of the default world")
  ),
  rateLimit: Options.integer("rate-limit").pipe(
    Options.withFallbackConfig(Config.integer("MOCK_TWITCH_RATE_LIMIT")),
    Options.withDefault(800),
    Options.withDescription("Helix points per minute per (client, user)")
  ),
  world: Options.fileSchema("world", MockWorld.WorldFile, "json").pipe(
    Options.optional,
    Options.withDescription("A world JSON file (see --dump-world) instead of the default world")
  ),
  dumpWorld: Options.boolean("dump-world").pipe(
    Options.withDescription("Print the default world for the seed as JSON and exit")
  )
}

const banner = (mock: MockTwitch.MockTwitch.Service, seed: number, fromFile: boolean) => {
  const h = mock.http
  const c = mock.credentials
  const irc = Option.getOrUndefined(mock.irc)
  const lines = [
    `Mock Twitch on 127.0.0.1 (${fromFile ? "world from file" : `default world, seed ${seed}`})`,
    "",
    `  Helix       ${h.helixUrl}   (twitch-cli layout: ${h.mockHelixUrl})`,
    `  OAuth       ${h.idUrl}/oauth2   (twitch-cli layout: ${h.authUrl})`,
    `  GQL         ${h.gqlUrl}`,
    `  Usher       ${h.usherUrl}/api/v2/channel/hls/<login>.m3u8`,
    `  Emote CDN   ${h.emoteCdnUrl}/<id>/<format>/<theme>/<scale>`,
    ...(irc === undefined ? [] : [
      `  IRC         irc://127.0.0.1:${irc.tcpPort}   TLS 127.0.0.1:${irc.tlsPort}   ${irc.wsUrl}`
    ]),
    `  EventSub    ${mock.eventSub.wsUrl}   subscriptions ${h.helixUrl}/eventsub/subscriptions`,
    `              (twitch-cli layout: ${mock.eventSub.subscriptionsUrl})`,
    `  Fire events curl -d '{"type":"channel.follow"}' ${mock.eventSub.controlUrl}/fire`,
    `              (also /reconnect, /drop, /keepalives, /revoke, /resend; GET /sessions, /subscriptions)`,
    "",
    `  Client id        ${c.clientId}`,
    `  Client secret    ${c.clientSecret}`,
    `  Public client    ${c.publicClientId}`,
    `  User token       ${c.userToken}   (${mock.defaultUser.login}, live, all scopes)`,
    `  Refresh token    ${c.refreshToken}`,
    `  App token        ${c.appToken}`,
    `  Limited token    ${c.noFollowsUserToken}   (no user:read:follows)`,
    `  Second user      ${c.secondUserToken}   (${MockWorld.secondUserLogin}, chat scopes)`,
    `  Extension id     ${c.extensionClientId}   (owned by ${mock.defaultUser.login})`,
    `  Extension secret ${c.extensionSecret}   (base64; sign HS256 JWTs with it)`,
    `  Extension app    ${c.extensionAppToken}   (app token of the extension's client)`,
    `  Device codes     approve at ${h.baseUrl}/activate`,
    "",
    "Point effect-twitcher at it:",
    `  export TWITCH_CLIENT_ID=${c.clientId} TWITCH_HELIX_URL=${h.helixUrl} TWITCH_ID_URL=${h.idUrl} \\`,
    `    TWITCH_GQL_URL=${h.gqlUrl} TWITCH_USHER_URL=${h.usherUrl} TWITCH_EMOTE_CDN_URL=${h.emoteCdnUrl} \\`,
    `    TWITCH_EVENTSUB_WS_URL=${mock.eventSub.wsUrl}` +
    (irc === undefined ?
      "" :
      ` \\\n    TWITCH_IRC_HOST=127.0.0.1 TWITCH_IRC_PORT=${irc.tcpPort} TWITCH_IRC_TLS=false TWITCH_IRC_WS_URL=${irc.wsUrl}`),
    "Twurple (twitch-cli compatible layout):",
    `  export TWURPLE_MOCK_API_PORT=${h.port}`,
    `  new EventSubWsListener({ apiClient, url: "${mock.eventSub.wsUrl}" })`,
    "",
    "Press Ctrl+C to stop."
  ]
  return lines.join("\n")
}

const command = Command.make("mock", options, (o) =>
  Effect.gen(function*() {
    if (o.dumpWorld) {
      const { rng: _rng, ...data } = MockWorld.defaultWorldData(yield* Clock.currentTimeMillis, {
        seed: o.seed,
        liveTokenUser: true
      })
      return yield* Console.log(JSON.stringify(data, null, 2))
    }
    const world = Option.map(o.world, MockWorld.fromFile)
    const layer = MockTwitch.layer({
      seed: o.seed,
      // People get a token user with something to act on: live, so commercials and markers work.
      liveTokenUser: true,
      ...(Option.isSome(world) ? { world: world.value } : {}),
      http: { port: o.httpPort, rateLimit: { limit: o.rateLimit } },
      // People and other projects' clients get Twitch's behaviour, room modes included.
      irc: { tcpPort: o.ircPort, tlsPort: o.ircTlsPort, wsPort: o.ircWsPort, enforceRoomModes: true }
    })
    yield* Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      yield* Console.log(banner(mock, o.seed, Option.isSome(world)))
      return yield* Effect.never
    }).pipe(
      Effect.provide(layer),
      Effect.onInterrupt(() => Console.log("\nMock Twitch stopped."))
    )
  }))

const cli = Command.run(command, { name: "effect-twitcher mock", version: "0.1.0" })

// Ctrl+C in a terminal signals the whole foreground group (npm, tsx and this process), and npm and
// tsx forward theirs: one keypress can deliver SIGINT here two or three times. `runMain` stops the
// program on the first signal and then drops its listeners, so a repeat would kill the process
// mid-shutdown (exit 130). These listeners stay for the process lifetime: a repeat within a short
// grace is ignored, a later one (the user pressing Ctrl+C again on a hung shutdown) forces an exit.
let firstSignalAt: number | undefined
const onSignal = (signal: NodeJS.Signals) => {
  const t = Date.now()
  if (firstSignalAt === undefined) {
    firstSignalAt = t
  } else if (t - firstSignalAt > 2_000) {
    process.stderr.write(`\nMock Twitch: ${signal} again, exiting without a clean shutdown.\n`)
    process.exit(signal === "SIGINT" ? 130 : 143)
  }
}
process.on("SIGINT", onSignal)
process.on("SIGTERM", onSignal)

cli(process.argv).pipe(
  Effect.provide(Layer.mergeAll(NodeContext.layer)),
  NodeRuntime.runMain
)
