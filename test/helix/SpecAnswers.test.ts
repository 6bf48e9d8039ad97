/**
 * Every operation decodes an answer built from the spec's own response schema (overrides applied):
 * a loopback server answers each request with a sample of its operation's 2xx schema, and each
 * generated service method, called with parameters drawn from its parameter schema, succeeds. This
 * checks the generated models and the hand-written ones the generator reuses against the spec; the
 * mock Twitch will later answer from its world instead.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as ExtensionAuth from "../../src/helix/ExtensionAuth.js"
import * as Generated from "../../src/helix/generated/index.js"
import * as Operations from "../../src/helix/generated/Operations.js"
import * as HelixSpec from "../../src/spec/HelixSpec.js"
import { layer, type Reply, type SeenRequest } from "./fakeHelix.js"

/**
 * A value of a spec schema, the first enum value, `""` where it means none. Full: every property
 * present. Sparse: only required properties, and `null` where the schema allows it.
 */
const sample = (node: HelixSpec.SchemaNode, sparse: boolean, depth = 0): unknown => {
  const schema = HelixSpec.resolve(node)
  if (schema["x-emptyIsNone"] === true) return ""
  if (sparse && schema.nullable === true) return null
  if (schema.properties !== undefined) {
    const required = new Set(schema.required ?? [])
    return Object.fromEntries(
      Object.entries(schema.properties).filter(([k]) => !sparse || required.has(k)).map((
        [k, v]
      ) => [k, sample(v, sparse, depth + 1)])
    )
  }
  if (schema.type === "object") {
    return typeof schema.additionalProperties === "object"
      ? { "1": sample(schema.additionalProperties, sparse, depth + 1) }
      : {}
  }
  if (schema.type === "array") {
    return schema.items === undefined
      ? []
      : [sample(schema.items, sparse, depth + 1)]
  }
  if (schema.enum !== undefined) return schema.enum[0]
  switch (schema.type) {
    case "string":
      return schema.format === "date-time" ? "2026-05-06T07:08:09Z" : `s${depth}`
    case "integer":
      return 7
    case "number":
      return 1.5
    case "boolean":
      return true
    default:
      return null
  }
}

const routes = new Map(HelixSpec.operations.map((o) => [`${o.method} /helix${o.path}`, o.operation]))

const reply = (sparse: boolean) => (request: SeenRequest): Reply => {
  const operation = routes.get(`${request.method} ${request.path}`)
  if (operation === undefined) return { status: 404, body: { error: "Not Found", status: 404, message: "" } }
  const [status, content] = Object.entries(operation.responses).find(([s]) => s.startsWith("2")) ??
    ["200", {}]
  if (content.content?.["text/calendar"] !== undefined) {
    return { text: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" }
  }
  const schema = content.content?.["application/json"]?.schema
  if (schema === undefined) return { status: Number(status), text: "" }
  const body = sample(schema, sparse)
  // One page: no cursor, so paged streams end.
  if (Predicate.isRecord(body) && Predicate.isRecord(body["pagination"])) body["pagination"] = {}
  return { status: Number(status), body }
}

const allScopes = [...new Set(HelixSpec.operations.flatMap((o) => o.operation.scopes.anyOf ?? []))]
const userToken = AccessToken.make("usertoken0123456789", { kind: "user", scopes: allScopes, userId: "1" })
const appToken = AccessToken.make("apptoken0123456789", { kind: "app" })

const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())

/** Parameters drawn (with a fixed seed) from the operation's own parameter schema. */
const paramsOf = (operationId: string): unknown => {
  const descriptor: unknown = Reflect.get(Operations, camel(operationId))
  const params: unknown = Predicate.hasProperty(descriptor, "params") ? descriptor.params : undefined
  if (!Schema.isSchema(params)) throw new Error(`no parameters schema for ${operationId}`)
  const [value] = FastCheck.sample(Arbitrary.make(Schema.typeSchema(params)), { numRuns: 1, seed: 11 })
  return value
}

const isStream = (u: unknown): u is Stream.Stream<unknown, unknown> =>
  Predicate.hasProperty(u, Stream.StreamTypeId)
const isEffect = (u: unknown): u is Effect.Effect<unknown, unknown> => Effect.isEffect(u)

describe("every Helix operation", () => {
  it.scopedLive.each([["every field", false], ["required fields only, nulls where allowed", true]] as const)(
    "decodes a 2xx answer built from the spec's response schema: %s",
    ([, sparse]) =>
      Effect.gen(function*() {
        const auth = yield* TwitchAuth.TwitchAuth
        const context = yield* Effect.context<never>()
        const failures: Array<string> = []
        let calls = 0
        for (const entry of Generated.services) {
          const service: unknown = context.unsafeMap.get(entry.tag.key)
          for (const [operationId, name] of Object.entries(entry.methods)) {
            const operation = HelixSpec.operations.find((o) => o.operation.operationId === operationId)
              ?.operation
            yield* auth.set(operation?.tokens.includes("user") === false ? appToken : userToken)
            const method: unknown = Predicate.isObject(service) ? Reflect.get(service, name) : undefined
            if (typeof method !== "function") {
              failures.push(`${operationId}: no method`)
              continue
            }
            const result: unknown = Reflect.apply(method, service, [paramsOf(operationId)])
            const run = isStream(result) ? Stream.runDrain(result) : isEffect(result) ? result : Effect.void
            const outcome = yield* Effect.either(run)
            calls++
            if (outcome._tag === "Left") failures.push(`${operationId}: ${String(outcome.left)}`)
          }
        }
        expect(failures).toEqual([])
        expect(calls).toBe(HelixSpec.operations.length)
      }).pipe(Effect.provide(
        layer((request) => Effect.succeed(reply(sparse)(request))).pipe(
          Layer.provide(
            ExtensionAuth.layerStatic({ clientId: "extensionclientid", jwt: Redacted.make("a.b.c") })
          )
        )
      )),
    { timeout: 60_000 }
  )
})
