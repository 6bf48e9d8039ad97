/**
 * Users (settings): Update User (the description), Get Authorization By User (an app's grants),
 * block lists, and the extensions a user installed and activated.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import type { ActiveExtension } from "../../../world/ExtensionModels.js"
import type { WorldState } from "../../../world/State.js"
import { failHelix, paginate } from "../../shared.js"
import {
  bodyRecord,
  data,
  fromWorld,
  type Handlers,
  hasScope,
  json,
  noContent,
  page,
  required,
  tokenUser
} from "../Handler.js"
import { index, userJson } from "../Wire.js"

const slots = { panel: ["1", "2", "3"], overlay: ["1"], component: ["1", "2"] } as const

/** A user's active extensions by slot, as Get User Active Extensions answers them. */
const activeJson = (s: WorldState, userId: string) => {
  const byId = new Map(s.extensions.map((e) => [e.id, e]))
  const slot = (type: keyof typeof slots) =>
    Object.fromEntries(slots[type].map((n) => {
      const active = s.activeExtensions.find((a) => a.userId === userId && a.type === type && a.slot === n)
      const extension = active === undefined ? undefined : byId.get(active.extensionId)
      if (active === undefined || extension === undefined) return [n, { active: false }]
      return [n, {
        active: true,
        id: extension.id,
        version: extension.version,
        name: extension.name,
        ...(type === "component" ? { x: active.x ?? 0, y: active.y ?? 0 } : {})
      }]
    }))
  return { panel: slot("panel"), overlay: slot("overlay"), component: slot("component") }
}

/** The active extensions an Update User Extensions body asks for. */
const activeOf = (raw: Readonly<Record<string, unknown>>): ReadonlyArray<Omit<ActiveExtension, "userId">> =>
  (["panel", "overlay", "component"] as const).flatMap((type) => {
    const entries = raw[type]
    if (!Predicate.isRecord(entries)) return []
    return Object.entries(entries).flatMap(([slot, value]) => {
      if (!Predicate.isRecord(value) || value["active"] !== true || typeof value["id"] !== "string") return []
      const x = typeof value["x"] === "number" ? { x: value["x"] } : {}
      const y = typeof value["y"] === "number" ? { y: value["y"] } : {}
      return [{ type, slot, extensionId: value["id"], ...x, ...y }]
    })
  })

/**
 * The user settings handlers.
 *
 * @since 0.1.0
 * @category handlers
 */
export const handlers: Handlers = {
  "update-user": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      const description = request.query.get("description") ?? user.description
      if ([...description].length > 300) {
        return yield* failHelix(400, "The description may have at most 300 characters.")
      }
      const updated = yield* fromWorld(request.ctx.world.updateDescription(user.id, description))
      return data([userJson(updated, hasScope(request, "user:read:email"))])
    }),

  "get-authorization-by-user": (request) =>
    Effect.gen(function*() {
      const ids = request.query.getAll("user_id")
      if (ids.length > 10) {
        return yield* failHelix(400, "The parameter \"user_id\" may be specified at most 10 times")
      }
      const ix = index(request.state)
      return data(ids.flatMap((id) => {
        const user = ix.users.get(id)
        if (user === undefined) {
          return []
        }
        const scopes = new Set(
          request.state.tokens
            .filter((t) =>
              t.userId === id && t.clientId === request.caller.clientId && !t.revoked &&
              t.expiresAt > request.now
            )
            .flatMap((t) => t.scopes)
        )
        return [{
          user_id: id,
          user_name: user.displayName,
          user_login: user.login,
          scopes: [...scopes].sort()
        }]
      }))
    }),

  "get-user-block-list": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      if (required(request, "broadcaster_id") !== user.id) {
        return yield* failHelix(
          401,
          "The ID in broadcaster_id must match the user ID found in the request's OAuth token."
        )
      }
      const ix = index(request.state)
      const blocks = request.state.userBlocks.filter((b) => b.userId === user.id).map((b) => ({
        user_id: b.targetId,
        user_login: ix.users.get(b.targetId)?.login ?? "",
        display_name: ix.users.get(b.targetId)?.displayName ?? ""
      }))
      const { cursor, data: items } = yield* paginate(request.query, blocks, {
        defaultFirst: 20,
        allowBefore: false
      })
      return page(items, cursor)
    }),

  "block-user": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      yield* fromWorld(request.ctx.world.block({
        userId: user.id,
        targetId: required(request, "target_user_id"),
        sourceContext: request.query.get("source_context") ?? "",
        reason: request.query.get("reason") ?? ""
      }))
      return noContent
    }),

  "unblock-user": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      yield* request.ctx.world.unblock(user.id, required(request, "target_user_id"))
      return noContent
    }),

  "get-user-extensions": (request) =>
    Effect.succeed(data(request.state.extensions.map((e) => ({
      id: e.id,
      version: e.version,
      name: e.name,
      can_activate: true,
      type: e.types
    })))),

  "get-user-active-extensions": (request) => {
    const userId = request.query.get("user_id") ??
      Option.getOrUndefined(Option.map(request.caller.user, (u) => u.id))
    if (userId === undefined) {
      return failHelix(400, "The user_id query parameter is required with an app access token.")
    }
    return Effect.succeed(json({ data: activeJson(request.state, userId) }))
  },

  "update-user-extensions": (request) =>
    Effect.gen(function*() {
      const user = yield* tokenUser(request)
      yield* fromWorld(request.ctx.world.setActiveExtensions(user.id, activeOf(bodyRecord(request, "data"))))
      return json({ data: activeJson(yield* request.ctx.world.snapshot, user.id) })
    })
}
