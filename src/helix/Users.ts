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
import { HelixClient } from "./HelixClient.js"
import { batches } from "./internal/wire.js"
import { User } from "./User.js"

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
 * Builds the service over the Helix transport.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Users.Service, never, HelixClient> = Effect.gen(function*() {
  const helix = yield* HelixClient
  const list: Users.Service["list"] = ({ ids = [], logins = [] }) => {
    const keys = [
      ...ids.map((id) => ["id", id] as const),
      ...logins.map((l) => ["login", l.toLowerCase()] as const)
    ]
    if (keys.length === 0) return Effect.succeed([])
    return Effect.map(
      Effect.forEach(
        batches(keys),
        (batch) =>
          helix.page("/users", User, {
            query: {
              id: batch.filter(([k]) => k === "id").map(([, v]) => v),
              login: batch.filter(([k]) => k === "login").map(([, v]) => v)
            }
          }),
        { concurrency: 4 }
      ),
      (pages) => pages.flatMap((p) => p.data)
    )
  }
  const me = Effect.flatMap(
    helix.page("/users", User, { userToken: true }),
    (p) =>
      Effect.mapError(
        Array.head(p.data),
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
export const layer: Layer.Layer<Users, never, HelixClient> = Layer.effect(Users, make)
