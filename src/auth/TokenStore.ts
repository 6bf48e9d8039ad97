/**
 * Where a login survives between runs, so a CLI user logs in once. A store is an interface: the
 * library ships a file store (0600 permissions, written atomically) and an in-memory one, and apps
 * can plug their own (keychain, database). The login layers use the store when one is provided.
 *
 * @since 0.1.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Os from "node:os"
import * as Path from "node:path"
import * as AccessToken from "./AccessToken.js"

/**
 * The token store tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class TokenStore extends Context.Tag("effect-twitcher/TokenStore")<TokenStore, TokenStore.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace TokenStore {
  /**
   * What a store offers. Stores never fail: a store that cannot read or write logs a warning (without
   * the token) and behaves as empty, so a broken store never breaks a login.
   *
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    readonly load: Effect.Effect<Option.Option<AccessToken.AccessToken>>
    readonly save: (token: AccessToken.AccessToken) => Effect.Effect<void>
    readonly clear: Effect.Effect<void>
  }
}

/**
 * The stored form of a token (JSON, snake_case, version 1).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Stored = Schema.Struct({
  version: Schema.Literal(1),
  access_token: Schema.Redacted(Schema.String),
  refresh_token: Schema.optional(Schema.Redacted(Schema.String)),
  kind: Schema.Literal("user", "app", "unknown"),
  scopes: Schema.optional(Schema.Array(Schema.String)),
  user_id: Schema.optional(Schema.String),
  login: Schema.optional(Schema.String),
  client_id: Schema.optional(Schema.String),
  expires_at: Schema.optional(Schema.Number)
})

/**
 * Encodes a token for storage.
 *
 * @since 0.1.0
 * @category codecs
 */
export const encode = (token: AccessToken.AccessToken): typeof Stored.Encoded =>
  Schema.encodeSync(Stored)({
    version: 1,
    access_token: token.value,
    kind: token.kind,
    ...Option.match(token.refreshToken, {
      onNone: () => ({}),
      onSome: (refresh_token) => ({ refresh_token })
    }),
    ...Option.match(token.scopes, { onNone: () => ({}), onSome: (scopes) => ({ scopes }) }),
    ...Option.match(token.userId, { onNone: () => ({}), onSome: (user_id) => ({ user_id }) }),
    ...Option.match(token.login, { onNone: () => ({}), onSome: (login) => ({ login }) }),
    ...Option.match(token.clientId, { onNone: () => ({}), onSome: (client_id) => ({ client_id }) }),
    ...Option.match(token.expiresAt, { onNone: () => ({}), onSome: (d) => ({ expires_at: d.getTime() }) })
  })

/**
 * Decodes a stored token; `None` for anything that is not a valid version-1 record.
 *
 * @since 0.1.0
 * @category codecs
 */
export const decode = (input: unknown): Option.Option<AccessToken.AccessToken> =>
  Option.map(Schema.decodeUnknownOption(Stored)(input), (s) =>
    AccessToken.make(s.access_token, {
      kind: s.kind,
      ...(s.refresh_token !== undefined ? { refreshToken: s.refresh_token } : {}),
      ...(s.scopes !== undefined ? { scopes: s.scopes } : {}),
      ...(s.user_id !== undefined ? { userId: s.user_id } : {}),
      ...(s.login !== undefined ? { login: s.login } : {}),
      ...(s.client_id !== undefined ? { clientId: s.client_id } : {}),
      ...(s.expires_at !== undefined ? { expiresAt: new Date(s.expires_at) } : {})
    }))

/**
 * A store in memory (for tests, or apps that persist elsewhere).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory = (
  initial: Option.Option<AccessToken.AccessToken> = Option.none()
): Effect.Effect<TokenStore.Service> =>
  Effect.map(Ref.make(initial), (ref) => ({
    load: Ref.get(ref),
    save: (token) => Ref.set(ref, Option.some(token)),
    clear: Ref.set(ref, Option.none())
  }))

/**
 * A layer with an in-memory store.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory = (
  initial: Option.Option<AccessToken.AccessToken> = Option.none()
): Layer.Layer<TokenStore> => Layer.effect(TokenStore, makeMemory(initial))

/**
 * The default file of a CLI's stored token: `$XDG_CONFIG_HOME/effect-twitcher/token.json`, or
 * `~/.config/effect-twitcher/token.json` when `XDG_CONFIG_HOME` is unset, empty or relative (the
 * XDG spec says to ignore those: a relative one would put the token under the working directory).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPath = (): string => {
  const xdg = process.env["XDG_CONFIG_HOME"]
  const config = xdg !== undefined && Path.isAbsolute(xdg) ? xdg : Path.join(Os.homedir(), ".config")
  return Path.join(config, "effect-twitcher", "token.json")
}

const dirname = (path: string): string => {
  const index = path.lastIndexOf("/")
  return index <= 0 ? (index === 0 ? "/" : ".") : path.slice(0, index)
}

/**
 * A store in a JSON file readable by its owner only: the directory is created with 0700, the file
 * is written to a 0600 temporary file and renamed over the old one, and a file found with wider
 * permissions is narrowed back to 0600.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeFile = (path: string): Effect.Effect<TokenStore.Service, never, FileSystem.FileSystem> =>
  Effect.map(FileSystem.FileSystem, (fs) => {
    const warn = (what: string) => (error: { readonly message: string }) =>
      Effect.logWarning(`token store ${path}: ${what} failed (${error.message})`)
    const load = Effect.gen(function*() {
      if (!(yield* fs.exists(path))) return Option.none<AccessToken.AccessToken>()
      const info = yield* fs.stat(path)
      if ((info.mode & 0o077) !== 0) yield* fs.chmod(path, 0o600)
      const text = yield* fs.readFileString(path)
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        json = undefined
      }
      const token = decode(json)
      if (Option.isNone(token)) yield* Effect.logWarning(`token store ${path}: not a stored token, ignored`)
      return token
    }).pipe(Effect.catchAll((error) => Effect.as(warn("read")(error), Option.none())))
    const save = (token: AccessToken.AccessToken) =>
      Effect.gen(function*() {
        yield* fs.makeDirectory(dirname(path), { recursive: true, mode: 0o700 })
        const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
        // Whatever fails after the temporary file exists (a short write, chmod, rename) removes it.
        yield* Effect.all([
          fs.writeFileString(tmp, JSON.stringify(encode(token)), { mode: 0o600, flag: "wx" }),
          fs.chmod(tmp, 0o600),
          fs.rename(tmp, path)
        ], { discard: true }).pipe(Effect.tapError(() => Effect.ignore(fs.remove(tmp, { force: true }))))
      }).pipe(Effect.catchAll(warn("write")))
    const clear = fs.remove(path, { force: true }).pipe(Effect.catchAll(warn("clear")))
    return { load, save, clear }
  })

/**
 * A layer with a file store at `path` (default {@link defaultPath}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFile = (
  path: string = defaultPath()
): Layer.Layer<TokenStore, never, FileSystem.FileSystem> =>
  Layer.effect(TokenStore, Effect.suspend(() => makeFile(path)))
