/**
 * Which Twitch a command talks to and with which token: real Twitch when `TWITCH_CLIENT_ID` is set
 * (URLs overridable by the env vars `TwitchConfig.fromEnv` reads), otherwise (and with `--mock`)
 * an in-process mock Twitch started for the command, or the one already in the context (tests).
 */
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Login from "../../auth/Login.js"
import * as TokenStore from "../../auth/TokenStore.js"
import * as TwitchAuth from "../../auth/TwitchAuth.js"
import * as MockTwitch from "../../testing/MockTwitch.js"
import * as TwitchConfig from "../../TwitchConfig.js"
import { CliError, errorText } from "../CliError.js"

/** The options every command takes. */
export interface Common {
  readonly json: boolean
  readonly mock: boolean
  readonly tokenFile: Option.Option<string>
}

/** What a command talks to. */
export interface Target {
  readonly kind: "twitch" | "mock"
  /** The running mock, in mock mode. */
  readonly mock: Option.Option<MockTwitch.MockTwitch.Service>
  /** The mock was started for this command and stops when it exits (its URLs die with it). */
  readonly ephemeral: boolean
  /** Where the token is stored. */
  readonly tokenFile: string
  /** The path came from `--token-file` or `TWITCHER_TOKEN_FILE` (in mock mode, only then is it used). */
  readonly tokenFileExplicit: boolean
}

/** The target of the running command. */
export class TargetTag extends Context.Tag("effect-twitcher/cli/Target")<TargetTag, Target>() {}

/** The token file: `--token-file`, `TWITCHER_TOKEN_FILE`, else under an absolute `XDG_CONFIG_HOME` or `~/.config`. */
export const tokenFile = (flag: Option.Option<string>): Effect.Effect<{
  readonly path: string
  readonly explicit: boolean
}> =>
  Effect.gen(function*() {
    if (Option.isSome(flag)) return { path: flag.value, explicit: true }
    const env = yield* Config.option(Config.nonEmptyString("TWITCHER_TOKEN_FILE"))
    if (Option.isSome(env)) return { path: env.value, explicit: true }
    const xdg = yield* Config.option(Config.nonEmptyString("XDG_CONFIG_HOME"))
    const home = yield* Config.option(Config.nonEmptyString("HOME"))
    // As TokenStore.defaultPath, read through Config: a relative XDG_CONFIG_HOME is ignored (XDG spec).
    const base = Option.getOrElse(
      Option.filter(xdg, (dir) => Path.isAbsolute(dir)),
      () => Path.join(Option.getOrElse(home, () => Os.homedir()), ".config")
    )
    return { path: Path.join(base, "effect-twitcher", "token.json"), explicit: false }
  }).pipe(Effect.orDie)

/** Whether real Twitch is configured (`TWITCH_CLIENT_ID` or pytwitcherapi's `PYTWITCHER_CLIENT_ID`). */
const realClientId = Config.option(
  Config.nonEmptyString("TWITCH_CLIENT_ID").pipe(
    Config.orElse(() => Config.nonEmptyString("PYTWITCHER_CLIENT_ID"))
  )
)

/** What the command needs from the target. */
export interface TargetOptions {
  /** Start the mock's IRC server (chat commands). */
  readonly irc?: boolean
  /** Use the mock's public client id (device code flow). */
  readonly publicClient?: boolean
}

/**
 * The target, its `TwitchConfig` and an `HttpClient`. The mock is started in the layer's scope (so
 * it stops with the command), unless one is already in the context.
 */
export const layer = (
  common: Common,
  options: TargetOptions = {}
): Layer.Layer<
  TargetTag | TwitchConfig.TwitchConfig | HttpClient.HttpClient,
  ConfigError.ConfigError | CliError
> =>
  Layer.unwrapEffect<
    TargetTag | TwitchConfig.TwitchConfig | HttpClient.HttpClient,
    ConfigError.ConfigError | CliError,
    never,
    never,
    never
  >(Effect.gen(function*() {
    const file = yield* tokenFile(common.tokenFile)
    const clientId = yield* Effect.orDie(realClientId)
    if (!common.mock && Option.isSome(clientId)) {
      return Layer.mergeAll(
        TwitchConfig.layerFromEnv,
        NodeHttpClient.layerUndici,
        Layer.succeed(TargetTag, {
          kind: "twitch",
          mock: Option.none(),
          ephemeral: false,
          tokenFile: file.path,
          tokenFileExplicit: file.explicit
        })
      )
    }
    const existing = yield* Effect.serviceOption(MockTwitch.MockTwitch)
    const mockLayer: Layer.Layer<MockTwitch.MockTwitch, CliError> = Option.match(existing, {
      onSome: (mock) => Layer.succeed(MockTwitch.MockTwitch, mock),
      onNone: () =>
        Layer.mapError(
          MockTwitch.layer({ irc: options.irc === true ? { chatterRate: 5 } : false }),
          (error) =>
            new CliError({ reason: "Io", detail: `Could not start the mock Twitch: ${errorText(error)}` })
        )
    })
    const services = Layer.effectContext(Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const config = MockTwitch.twitchConfig(mock)
      return Context.make(TargetTag, {
        kind: "mock",
        mock: Option.some(mock),
        ephemeral: Option.isNone(existing),
        tokenFile: file.path,
        tokenFileExplicit: file.explicit
      }).pipe(
        Context.add(
          TwitchConfig.TwitchConfig,
          options.publicClient === true ? { ...config, clientId: mock.credentials.publicClientId } : config
        )
      )
    }))
    return Layer.merge(services, NodeHttpClient.layerUndici).pipe(Layer.provide(mockLayer))
  }))

const renewWith = (secret: Option.Option<Redacted.Redacted<string>>): TwitchAuth.Renew => (stale) =>
  Login.refresh(stale, Option.getOrUndefined(secret))

/**
 * The token: `TWITCH_TOKEN` (validated, refreshed with `TWITCH_REFRESH_TOKEN` when given); else the
 * token store (on Twitch, or in mock mode when the file was named); else the mock's ready user
 * token (all scopes); else an app token when `TWITCH_CLIENT_SECRET` is set; else none (calls fail
 * with `NotAuthorized`, which says to log in).
 */
export const authLayer: Layer.Layer<
  TwitchAuth.TwitchAuth,
  ConfigError.ConfigError | CliError,
  TargetTag | TwitchConfig.TwitchConfig | HttpClient.HttpClient
> = Layer.unwrapEffect<
  TwitchAuth.TwitchAuth,
  ConfigError.ConfigError | CliError,
  TwitchConfig.TwitchConfig | HttpClient.HttpClient,
  ConfigError.ConfigError,
  TargetTag
>(Effect.gen(function*() {
  const target = yield* TargetTag
  const token = yield* Config.option(Config.redacted("TWITCH_TOKEN"))
  if (Option.isSome(token)) return TwitchAuth.layerEnvValidated()
  const secret = yield* Config.option(Config.redacted("TWITCH_CLIENT_SECRET"))
  if (target.kind === "twitch" || target.tokenFileExplicit) {
    const store = yield* storeFor(target)
    const stored = yield* store.load
    if (Option.isSome(stored)) {
      return Layer.scoped(
        TwitchAuth.TwitchAuth,
        TwitchAuth.make({
          initial: stored,
          store,
          renew: Option.isSome(stored.value.refreshToken) ? renewWith(secret) : undefined
        })
      )
    }
  }
  if (Option.isSome(target.mock)) return TwitchAuth.layerValidated(target.mock.value.credentials.userToken)
  if (Option.isSome(secret)) {
    return Layer.mapError(
      TwitchAuth.layerAppToken({ clientSecret: secret.value }),
      (error) => new CliError({ reason: "Io", detail: `Could not get an app token: ${error.message}` })
    )
  }
  return TwitchAuth.layerNone
}))

/** The file token store of the target. */
export const storeFor = (target: Target): Effect.Effect<TokenStore.TokenStore.Service> =>
  TokenStore.makeFile(target.tokenFile).pipe(Effect.provide(NodeFileSystem.layer))

/**
 * A note on stderr for a command that prints a URL of the mock it started: the URL stops working
 * when the command exits.
 */
export const noteEphemeralUrl: Effect.Effect<void, never, TargetTag> = Effect.flatMap(
  TargetTag,
  (target) =>
    target.ephemeral ?
      Console.error(
        "twitcher: note: this URL is served by a mock Twitch that stops when this command exits; " +
          "to keep one running, start `twitcher mock` in another shell and use the environment it prints."
      ) :
      Effect.void
)

/** The file system the commands use (emote pictures). */
export const fileSystemLayer: Layer.Layer<FileSystem.FileSystem> = NodeFileSystem.layer
