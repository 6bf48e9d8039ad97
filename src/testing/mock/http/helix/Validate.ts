/**
 * A request checked against its operation in the spec, as Twitch checks it: the token kind and the
 * scopes (`scopes.anyOf`: one of them suffices), the query parameters (required, type, `enum`,
 * `minimum`/`maximum`, `maxItems`, our `x-maxItemsTogether`), the JSON body (required fields and
 * types) and the fields marked `x-matchesTokenUser` (must be the token user's id). Each refusal is
 * Twitch's error body.
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as HelixSpec from "../../../../spec/HelixSpec.js"
import { checkRepeats, failHelix, type Params, type Reply } from "../shared.js"
import type { Caller } from "./Handler.js"
import * as SpecCheck from "./SpecCheck.js"
import * as SpecGaps from "./SpecGaps.js"

/**
 * Operations where a user token without the scope is still answered (with less): Get Channel
 * Followers gives only `total` then, as Twitch documents.
 *
 * @since 0.1.0
 * @category constants
 */
export const scopeOptional: ReadonlySet<string> = new Set(["get-channel-followers"])

/**
 * Refuses a token of a kind the operation does not take, and a user token without any of its scopes.
 *
 * @since 0.1.0
 * @category checks
 */
export const authorize = (operation: HelixSpec.Operation, caller: Caller): Effect.Effect<void, Reply> => {
  const tokens = operation.tokens
  if (tokens.length === 0 || Option.isSome(caller.extension)) return Effect.void
  const isUser = Option.isSome(caller.user)
  if (isUser && !tokens.includes("user")) {
    return failHelix(401, "This endpoint requires an app access token")
  }
  if (!isUser && !tokens.includes("app")) return failHelix(401, "Missing User OAUTH Token")
  const anyOf = operation.scopes.anyOf ?? []
  if (!isUser || anyOf.length === 0 || scopeOptional.has(operation.operationId)) return Effect.void
  const granted: ReadonlyArray<string> = Option.match(caller.token, {
    onNone: () => [],
    onSome: (t) => t.scopes
  })
  return anyOf.some((scope) => granted.includes(scope))
    ? Effect.void
    : failHelix(401, `Missing scope: ${anyOf.join(" or ")}`)
}

const integerPattern = /^-?\d+$/

/** Why one query value does not fit its parameter's schema, if it does not. */
const badValue = (schema: HelixSpec.SchemaNode, value: string): Option.Option<string> => {
  const numeric = schema.type === "integer" || schema.type === "number" ||
    schema.minimum !== undefined || schema.maximum !== undefined
  if (numeric) {
    const n = Number(value)
    const shape = schema.type === "number"
      ? Number.isFinite(n) && value.trim() !== ""
      : integerPattern.test(value)
    const low = schema.minimum === undefined || n >= schema.minimum
    const high = schema.maximum === undefined || n <= schema.maximum
    if (shape && low && high) return Option.none()
    const kind = schema.type === "number" ? "a number" : "an integer"
    if (schema.minimum !== undefined && schema.maximum !== undefined) {
      return Option.some(`must be ${kind} between ${schema.minimum} and ${schema.maximum}`)
    }
    if (schema.minimum !== undefined) return Option.some(`must be ${kind} of at least ${schema.minimum}`)
    if (schema.maximum !== undefined) return Option.some(`must be ${kind} of at most ${schema.maximum}`)
    return Option.some(`must be ${kind}`)
  }
  if (schema.type === "boolean" && value !== "true" && value !== "false") {
    return Option.some("must be true or false")
  }
  if (schema.format === "date-time" && !SpecCheck.isDateTime(value)) {
    return Option.some("must be an RFC3339 date-time")
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => String(e) === value)) {
    return Option.some(`must be one of ${schema.enum.join(", ")}`)
  }
  return Option.none()
}

/**
 * Checks the query parameters: required ones present (not empty), each value of the right type and
 * range, arrays within `maxItems` (alone or together with their group).
 *
 * @since 0.1.0
 * @category checks
 */
export const checkQuery = (operation: HelixSpec.Operation, query: Params): Effect.Effect<void, Reply> =>
  Effect.gen(function*() {
    for (const parameter of operation.parameters ?? []) {
      if (parameter.in !== "query") continue
      const values = query.getAll(parameter.name)
      if (values.length === 0 || values.every((v) => v === "")) {
        if (parameter.required === true) {
          return yield* failHelix(400, `Missing required parameter "${parameter.name}"`)
        }
        continue
      }
      const schema = HelixSpec.resolve(parameter.schema)
      const item = schema.type === "array" && schema.items !== undefined
        ? HelixSpec.resolve(schema.items)
        : schema
      for (const value of schema.type === "array" ? values : values.slice(0, 1)) {
        const bad = badValue(item, value)
        if (Option.isSome(bad)) {
          return yield* failHelix(400, `Invalid value for query parameter "${parameter.name}": ${bad.value}`)
        }
      }
      if (schema.type === "array" && schema.maxItems !== undefined) {
        yield* checkRepeats(query, [parameter.name], schema.maxItems)
      }
    }
    for (const group of operation["x-maxItemsTogether"] ?? []) {
      yield* checkRepeats(query, group.params, group.maxItems, true)
    }
  })

/** The JSON schema of an operation's request body, if it takes one. */
const bodySchema = (operation: HelixSpec.Operation): HelixSpec.SchemaNode | undefined =>
  operation.requestBody?.content?.["application/json"]?.schema

/**
 * Reads and checks the JSON body of an operation that takes one (`{}` for the others): it must be a
 * JSON object with the spec's required fields, each of the right type. Unknown fields are ignored,
 * as Twitch ignores them.
 *
 * @since 0.1.0
 * @category checks
 */
export const readBody = (
  operation: HelixSpec.Operation
): Effect.Effect<Readonly<Record<string, unknown>>, Reply, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const schema = bodySchema(operation)
    if (schema === undefined) return {}
    const req = yield* HttpServerRequest.HttpServerRequest
    const text = yield* Effect.orElseSucceed(req.text, () => "")
    let body: unknown = {}
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text)
      } catch {
        return yield* failHelix(400, "The request body is not valid JSON")
      }
    }
    if (!Predicate.isRecord(body)) return yield* failHelix(400, "The request body must be a JSON object")
    const [issue] = SpecCheck.check(schema, body, { closed: false })
    if (issue !== undefined) {
      return yield* failHelix(
        400,
        issue.message === "is required"
          ? `Missing required field "${issue.path}"`
          : `Invalid value for field "${issue.path}": ${issue.message}`
      )
    }
    return body
  })

/** The names of the query parameters and top-level body fields that must be the token user's id. */
const tokenUserFields = (
  operation: HelixSpec.Operation
): ReadonlyArray<readonly [string, "query" | "body"]> => {
  const query = (operation.parameters ?? []).filter((p) =>
    p["x-matchesTokenUser"] === true && !SpecGaps.skipsTokenUser(operation.operationId, p.name)
  ).map((p) => [p.name, "query"] as const)
  const schema = bodySchema(operation)
  const properties = schema === undefined ? {} : HelixSpec.resolve(schema).properties ?? {}
  const body = Object.entries(properties).filter(([, node]) =>
    Predicate.hasProperty(node, "x-matchesTokenUser") && node["x-matchesTokenUser"] === true
  ).map(([name]) => [name, "body"] as const)
  return [...query, ...body]
}

/**
 * Refuses (401, Twitch's message) a user token whose user is not the one a field marked
 * `x-matchesTokenUser` names. App tokens and absent fields pass.
 *
 * @since 0.1.0
 * @category checks
 */
export const checkTokenUser = (
  operation: HelixSpec.Operation,
  caller: Caller,
  query: Params,
  body: Readonly<Record<string, unknown>>
): Effect.Effect<void, Reply> => {
  if (Option.isNone(caller.user)) return Effect.void
  const userId = caller.user.value.id
  for (const [name, where] of tokenUserFields(operation)) {
    const value = where === "query" ? query.get(name) : body[name]
    if (value !== undefined && value !== userId) {
      return failHelix(401, `The ID in ${name} must match the user ID found in the request's OAuth token.`)
    }
  }
  return Effect.void
}
