/**
 * The Users service: users by login or id (batched by 100) and the logged-in user.
 *
 * @since 0.1.0
 */
import * as Array from "effect/Array"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import { DecodeError, type HelixError } from "../TwitchError.js"
import * as Operations from "./generated/Operations.js"
import { builtParams, OperationRunner } from "./OperationRunner.js"
import type { User } from "./User.js"

/**
 * The Users service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class Users extends Context.Tag("effect-twitcher/Users")<Users, Users.Service>() {}

/**
 * @since 0.1.0
 */
export declare namespace Users {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    /** One user by login (pytwitcherapi's `get_user(name)`); `None` if there is none. */
    readonly byLogin: (login: string) => Effect.Effect<Option.Option<User>, HelixError>
    /** One user by id. */
    readonly byId: (id: string) => Effect.Effect<Option.Option<User>, HelixError>
    /** Many users by logins and/or ids, in batches of 100 per request. */
    readonly list: (query: {
      readonly logins?: ReadonlyArray<string>
      readonly ids?: ReadonlyArray<string>
    }) => Effect.Effect<ReadonlyArray<User>, HelixError>
    /** The token's own user (pytwitcherapi's `query_login_user()`); needs a user token. */
    readonly me: Effect.Effect<User, HelixError>
  }
}

/**
 * Builds the service over the generated Get Users operation (ids and logins split by 100 together).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Users.Service, never, OperationRunner> = Effect.gen(function*() {
  const run = yield* OperationRunner
  const getUsers = run.items(Operations.getUsers)
  // Get Users without ids answers the token's own user; only a user token has one.
  const getMe = run.items({ ...Operations.getUsers, tokens: ["user"] })
  const list: Users.Service["list"] = ({ ids = [], logins = [] }) =>
    ids.length + logins.length === 0
      ? Effect.succeed([])
      : builtParams(getUsers({ id: ids, login: logins.map((l) => l.toLowerCase()) }))
  const me = Effect.flatMap(
    builtParams(getMe({})),
    (users) =>
      Effect.mapError(
        Array.head(users),
        () => new DecodeError({ path: "data", detail: "Get Users returned no user for the token" })
      )
  )
  return Users.of({
    byLogin: (login) => Effect.map(list({ logins: [login] }), Array.head),
    byId: (id) => Effect.map(list({ ids: [id] }), Array.head),
    list,
    me
  })
})

/**
 * The live layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Users, never, OperationRunner> = Layer.effect(Users, make)
