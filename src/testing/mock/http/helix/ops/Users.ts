/**
 * Users: Get Users (the token's user without parameters; `email` only for the token's own user
 * with `user:read:email`; suspended users absent).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { User } from "../../../world/Models.js"
import { failHelix } from "../../shared.js"
import { data, type Handlers, hasScope, type HelixRequest } from "../Handler.js"
import { userJson, visibleUser } from "../Wire.js"

const canSeeEmail = (request: HelixRequest, u: User) =>
  Option.exists(request.caller.user, (me) => me.id === u.id) && hasScope(request, "user:read:email")

/**
 * The Users handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "get-users": (request) => {
    const { query, state: s } = request
    const ids = query.getAll("id")
    const logins = query.getAll("login").map((l) => l.toLowerCase())
    if (ids.length + logins.length === 0) {
      return Option.match(request.caller.user, {
        onNone: () =>
          failHelix(400, "The id or login query parameter is required when using an app access token"),
        onSome: (user) => Effect.succeed(data([userJson(user, canSeeEmail(request, user))]))
      })
    }
    const found = s.users.filter((u) =>
      (ids.includes(u.id) || logins.includes(u.login)) && visibleUser(s, u.id)
    )
    return Effect.succeed(data(found.map((u) => userJson(u, canSeeEmail(request, u)))))
  }
}
