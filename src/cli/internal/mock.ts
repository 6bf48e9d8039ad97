/**
 * `mock`: the mock Twitch for people, like `npm run mock`: every surface on 127.0.0.1, the URLs,
 * ready credentials and the environment that points `twitcher` (or any client) at it; runs until
 * Ctrl+C.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as MockWorld from "../../testing/mock/World.js"
import * as MockTwitch from "../../testing/MockTwitch.js"
import * as CliErrorModule from "../CliError.js"
import { CliError } from "../CliError.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"

const port = (name: string, env: string, fallback: number, description: string) =>
  O.integer(name, { min: 0, max: 65535, what: "a port", env }).pipe(
    Options.withDefault(fallback),
    Options.withDescription(`${description} (0 picks a free port; env ${env})`)
  )

const env = (mock: MockTwitch.MockTwitch.Service): Record<string, string> => {
  const h = mock.http
  const irc = Option.getOrUndefined(mock.irc)
  return {
    TWITCH_CLIENT_ID: mock.credentials.clientId,
    TWITCH_HELIX_URL: h.helixUrl,
    TWITCH_ID_URL: h.idUrl,
    TWITCH_GQL_URL: h.gqlUrl,
    TWITCH_GQL_CLIENT_ID: MockWorld.webClientId,
    TWITCH_USHER_URL: h.usherUrl,
    TWITCH_EMOTE_CDN_URL: h.emoteCdnUrl,
    TWITCH_EVENTSUB_WS_URL: mock.eventSub.wsUrl,
    ...(irc === undefined ? {} : {
      TWITCH_IRC_HOST: irc.host,
      TWITCH_IRC_PORT: String(irc.tcpPort),
      TWITCH_IRC_TLS: "false",
      TWITCH_IRC_WS_URL: irc.wsUrl
    })
  }
}

const banner = (mock: MockTwitch.MockTwitch.Service, seed: number): string => {
  const h = mock.http
  const c = mock.credentials
  const irc = Option.getOrUndefined(mock.irc)
  const vars = Object.entries(env(mock)).map(([k, v]) => `${k}=${v}`)
  return [
    `Mock Twitch on 127.0.0.1 (seed ${seed})`,
    "",
    `  Helix       ${h.helixUrl}`,
    `  OAuth       ${h.idUrl}/oauth2`,
    `  GQL         ${h.gqlUrl}`,
    `  Usher       ${h.usherUrl}/api/v2/channel/hls/<login>.m3u8`,
    `  Emote CDN   ${h.emoteCdnUrl}/<id>/<format>/<theme>/<scale>`,
    `  EventSub    ${mock.eventSub.wsUrl}`,
    ...(irc === undefined ? [] : [
      `  IRC         irc://${irc.host}:${irc.tcpPort}   TLS ${irc.host}:${irc.tlsPort}   ${irc.wsUrl}`
    ]),
    "",
    `  Client id        ${c.clientId}   (secret ${c.clientSecret})`,
    `  Public client    ${c.publicClientId}`,
    `  User token       ${c.userToken}   (${mock.defaultUser.login}, all scopes)`,
    `  Limited token    ${c.noFollowsUserToken}   (no user:read:follows)`,
    `  App token        ${c.appToken}`,
    "",
    "Point twitcher (or effect-twitcher) at it from another shell:",
    `  export ${vars.join(" ")} TWITCH_TOKEN=${c.userToken}`,
    "",
    "Press Ctrl+C to stop."
  ].join("\n")
}

/** Why the mock could not start, never an empty reason; a port in use says how to pick others. */
const startFailed = (error: unknown): CliError => {
  const why = CliErrorModule.errorText(error)
  const hint = why.includes("EADDRINUSE") ?
    " (another program uses the port: choose others with --http-port, --irc-port, --irc-tls-port and --irc-ws-port; 0 picks a free one)" :
    ""
  return new CliError({ reason: "Io", detail: `Could not start the mock Twitch: ${why}${hint}` })
}

const mock = Command.make(
  "mock",
  {
    json: O.json,
    httpPort: port(
      "http-port",
      "MOCK_TWITCH_HTTP_PORT",
      8080,
      "HTTP port: Helix, OAuth, GQL, usher, emote CDN"
    ),
    ircPort: port("irc-port", "MOCK_TWITCH_IRC_PORT", 6667, "IRC over plain TCP"),
    ircTlsPort: port("irc-tls-port", "MOCK_TWITCH_IRC_TLS_PORT", 6697, "IRC over TLS (self-signed)"),
    ircWsPort: port("irc-ws-port", "MOCK_TWITCH_IRC_WS_PORT", 8081, "IRC over WebSocket"),
    seed: O.integer("seed").pipe(
      Options.withDefault(MockWorld.defaultSeed),
      Options.withDescription("Seed of the generated world")
    ),
    chatterRate: O.integer("chatter-rate", { min: 0, max: 1000 }).pipe(
      Options.withDefault(1),
      Options.withDescription("Generated chat lines per second per joined live channel (0: none)")
    )
  },
  (o) =>
    Effect.gen(function*() {
      const running = yield* MockTwitch.MockTwitch
      if (o.json) {
        yield* Render.json({ ...running.http, env: env(running), credentials: running.credentials })
      } else {
        yield* Console.log(banner(running, o.seed))
      }
      return yield* Effect.never
    }).pipe(
      Effect.provide(
        MockTwitch.layer({
          seed: o.seed,
          http: { port: o.httpPort },
          irc: { tcpPort: o.ircPort, tlsPort: o.ircTlsPort, wsPort: o.ircWsPort, chatterRate: o.chatterRate }
        })
      ),
      Effect.catchIf((e): e is Error => !(e instanceof CliError), startFailed)
    )
).pipe(Command.withDescription("Run the mock Twitch on 127.0.0.1 until Ctrl+C (like npm run mock)"))

/** The mock command. */
export const commands = [mock] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = commands.map(Help.leaf)
