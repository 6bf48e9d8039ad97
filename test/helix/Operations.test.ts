/**
 * Walks the Helix spec: every operation has a method on its generated service, and every one of
 * them refuses a token of the wrong kind or without the scope (or no token at all where any token
 * would do) with NotAuthorized before a single request reaches the loopback server.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as Generated from "../../src/helix/generated/index.js"
import * as HelixSpec from "../../src/spec/HelixSpec.js"
import { NotAuthorized } from "../../src/TwitchError.js"
import { layer, seen } from "./fakeHelix.js"

const allScopes = [
  ...new Set(HelixSpec.operations.flatMap((o) => o.operation.scopes.anyOf ?? []))
]

const userToken = (scopes: ReadonlyArray<string>) =>
  AccessToken.make("usertoken0123456789", { kind: "user", scopes, userId: "1", login: "someone" })
const appToken = AccessToken.make("apptoken0123456789", { kind: "app" })

/**
 * The token that must be refused, why, the token kinds the error names (`needs`) and what its
 * message must say; `None` for the public iCalendar operation.
 */
interface Refusal {
  readonly token: Option.Option<AccessToken.AccessToken>
  readonly reason: NotAuthorized["reason"]
  readonly needs?: ReadonlyArray<string>
  readonly says: string
}

const refusedWith = (operation: HelixSpec.Operation): Option.Option<Refusal> => {
  const tokens = operation.tokens
  const scopes = operation.scopes.anyOf ?? []
  if (tokens.includes("user") && scopes.length > 0) {
    return Option.some({ token: Option.some(userToken([])), reason: "MissingScope", says: "lacks the scope" })
  }
  if (tokens.includes("user") && !tokens.includes("app")) {
    return Option.some({
      token: Option.some(appToken),
      reason: "WrongTokenKind",
      needs: ["user"],
      says: "needs a user token"
    })
  }
  if (tokens.includes("app") && !tokens.includes("user")) {
    return Option.some({
      token: Option.some(userToken(allScopes)),
      reason: "WrongTokenKind",
      needs: ["app"],
      says: "needs an app token, not a user token"
    })
  }
  // Extension-JWT operations without an ExtensionAuth layer, and operations any token may call,
  // without a token.
  if (tokens.includes("extension-jwt")) {
    return Option.some({
      token: Option.none(),
      reason: "NoToken",
      needs: ["extension-jwt"],
      says: "ExtensionAuth"
    })
  }
  if (tokens.length > 0) {
    return Option.some({ token: Option.none(), reason: "NoToken", says: "No access token" })
  }
  return Option.none()
}

/** A call of an operation's service method with empty parameters, from the generated table. */
const methodOf = (operationId: string) =>
  Effect.gen(function*() {
    const entry = Generated.services.find((s) => Object.hasOwn(s.methods, operationId))
    if (entry === undefined) return Option.none()
    // The services are looked up by their tags' keys: the table mixes 30 tag types.
    const context = yield* Effect.context<never>()
    const service: unknown = context.unsafeMap.get(entry.tag.key)
    if (typeof service !== "object" || service === null) return Option.none()
    const name = Object.entries(entry.methods).find(([id]) => id === operationId)?.[1] ?? ""
    const method: unknown = Reflect.get(service, name)
    if (typeof method !== "function") return Option.none()
    return Option.some((): unknown => Reflect.apply(method, service, [{}]))
  })

// Service methods need nothing from the context (their types say so; the guards only narrow).
const isStream = (u: unknown): u is Stream.Stream<unknown, unknown> =>
  Predicate.hasProperty(u, Stream.StreamTypeId)
const isEffect = (u: unknown): u is Effect.Effect<unknown, unknown> => Effect.isEffect(u)

/** The failure of a call (an Effect or a Stream). */
const failureOf = (call: () => unknown) => {
  const result = call()
  if (isStream(result)) return Effect.flip(Stream.runDrain(result))
  if (isEffect(result)) return Effect.flip(result)
  return Effect.die(new Error("a service method returned neither an Effect nor a Stream"))
}

describe("generated Helix services", () => {
  it.scopedLive("have a method for every operation of the spec", () =>
    Effect.gen(function*() {
      expect(HelixSpec.operations.length).toBeGreaterThanOrEqual(144)
      const missing: Array<string> = []
      for (const { operation } of HelixSpec.operations) {
        if (Option.isNone(yield* methodOf(operation.operationId))) missing.push(operation.operationId)
      }
      expect(missing).toEqual([])
      expect(new Set(Generated.services.map((s) => s.group)).size).toBe(30)
    }).pipe(Effect.provide(layer(() => Effect.succeed({ body: { data: [] } })))))

  it.scopedLive("refuse a token of the wrong kind or without the scope before any request", () =>
    Effect.gen(function*() {
      const auth = yield* TwitchAuth.TwitchAuth
      const refused: Array<string> = []
      const wrong: Array<string> = []
      for (const { operation } of HelixSpec.operations) {
        const expected = refusedWith(operation)
        if (Option.isNone(expected)) continue
        const found = yield* methodOf(operation.operationId)
        if (Option.isNone(found)) continue
        yield* Option.match(expected.value.token, { onNone: () => auth.logout, onSome: (t) => auth.set(t) })
        const error = yield* failureOf(found.value)
        const { needs, reason, says } = expected.value
        const ok = error instanceof NotAuthorized && error.reason === reason &&
          JSON.stringify(error.needs) === JSON.stringify(needs) && error.message.includes(says) &&
          // An app-only or extension operation must not send the reader after a user token.
          (needs === undefined || needs.includes("user") ||
            !/TWITCH_TOKEN|needs a user token/.test(error.message))
        if (ok) refused.push(operation.operationId)
        else wrong.push(`${operation.operationId}: ${String(error)}`)
      }
      expect(wrong).toEqual([])
      // Only Get Channel iCalendar is public (no token to refuse).
      expect(refused.length).toBe(HelixSpec.operations.length - 1)
      expect((yield* seen).length).toBe(0)
    }).pipe(Effect.provide(layer(() => Effect.succeed({ body: { data: [] } })))))

  it.scopedLive("name the scopes any one of which would do", () =>
    Effect.gen(function*() {
      const auth = yield* TwitchAuth.TwitchAuth
      yield* auth.set(userToken(["moderator:read:chatters"]))
      const found = yield* methodOf("get-custom-reward")
      if (Option.isNone(found)) return expect.fail("no method for get-custom-reward")
      const error = yield* failureOf(found.value)
      expect(error).toMatchObject({
        _tag: "NotAuthorized",
        reason: "MissingScope",
        scope: "channel:read:redemptions or channel:manage:redemptions"
      })
      expect((yield* seen).length).toBe(0)
    }).pipe(Effect.provide(layer(() => Effect.succeed({ body: { data: [] } })))))
})
