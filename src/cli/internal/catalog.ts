/**
 * The catalog behind `twitcher api`: every generated Helix operation by its spec `operationId`,
 * with its Twitch group, the service method that wraps it (`Moderation.banUser`) and the spec's
 * description of its query parameters and body fields (types, enums, required), so command-line
 * text can be turned into the operation's wire parameters and what is wrong can be named.
 */
import * as AutoCorrect from "@effect/cli/AutoCorrect"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as Generated from "../../helix/generated/index.js"
import * as Operations from "../../helix/generated/Operations.js"
import type * as HelixOperation from "../../helix/HelixOperation.js"
import * as HelixSpec from "../../spec/HelixSpec.js"

/**
 * Any generated operation, its parameter and answer types forgotten: the CLI builds parameters at
 * run time and decodes them with the operation's own `params` schema (which checks them), and
 * prints answers through the operation's own schemas, so nothing relies on the static types.
 */
export type AnyOperation = HelixOperation.Operation<unknown, HelixOperation.Wire, unknown, unknown>

const tags: ReadonlySet<string> = new Set(["Paged", "Items", "Value", "NoContent", "Text"])

const isOperation = (u: unknown): u is AnyOperation =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && tags.has(u._tag) &&
  Predicate.hasProperty(u, "id") && typeof u.id === "string" &&
  Predicate.hasProperty(u, "params") && Schema.isSchema(u.params)

/** A query parameter or body field as the spec describes it. */
export interface Field {
  readonly name: string
  readonly required: boolean
  /** The spec schema (resolved). */
  readonly schema: HelixSpec.SchemaNode
}

/** One operation of the catalog. */
export interface Entry {
  readonly id: string
  readonly operation: AnyOperation
  /** Twitch's group (`Moderation`, `Channel Points`). */
  readonly group: string
  /** The generated service and method (`Moderation.banUser`). */
  readonly method: string
  readonly query: ReadonlyArray<Field>
  readonly body: ReadonlyArray<Field>
}

const fieldsOf = (located: HelixSpec.Located | undefined, operation: AnyOperation) => {
  const parameters = located?.operation.parameters ?? []
  const query = operation.query.map((name): Field => {
    const p = parameters.find((q) => q.name === name && q.in === "query")
    return {
      name,
      required: p?.required === true,
      schema: p === undefined ? {} : HelixSpec.resolve(p.schema)
    }
  })
  const bodyNode = located?.operation.requestBody?.content?.["application/json"]?.schema
  const body = bodyNode === undefined ? {} : HelixSpec.resolve(bodyNode)
  const required = new Set(body.required ?? [])
  const fields = operation.body.map((name): Field => {
    const node = body.properties?.[name]
    return { name, required: required.has(name), schema: node === undefined ? {} : HelixSpec.resolve(node) }
  })
  return { query, body: fields }
}

const serviceName = (key: string) => key.split("/").pop() ?? key

const build = (): ReadonlyArray<Entry> => {
  const exported: ReadonlyArray<unknown> = Object.values(Operations)
  const operations = new Map(exported.filter(isOperation).map((o) => [o.id, o]))
  const located = new Map(HelixSpec.operations.map((l) => [l.operation.operationId, l]))
  return Generated.services.flatMap((service) =>
    Object.entries(service.methods).flatMap(([id, method]): Array<Entry> => {
      const operation = operations.get(id)
      if (operation === undefined) return []
      return [{
        id,
        operation,
        group: service.group,
        method: `${serviceName(service.tag.key)}.${method}`,
        ...fieldsOf(located.get(id), operation)
      }]
    })
  )
}

/** Every operation, in the order of `Generated.services` (by group). */
export const entries: ReadonlyArray<Entry> = build()

const byId = new Map(entries.map((e) => [e.id, e]))

/** The operation with this id. */
export const find = (id: string): Entry | undefined => byId.get(id)

const config = CliConfig.make({ isCaseSensitive: false })

// Words too common in operation ids to say which one was meant.
const common = new Set([
  "get",
  "set",
  "create",
  "update",
  "delete",
  "add",
  "remove",
  "send",
  "channel",
  "user"
])

/** The operation ids nearest to a word that is none: by edit distance, then by words they share. */
export const nearest = (word: string, max = 3): ReadonlyArray<string> => {
  const lower = word.toLowerCase()
  const parts = lower.split(/[-_\s]+/).filter((p) => p.length > 2 && !common.has(p))
  return entries
    .map((e) => {
      const distance = AutoCorrect.levensteinDistance(lower, e.id, config)
      const shared = parts.filter((p) => e.id.includes(p)).length
      return { id: e.id, distance, shared }
    })
    .filter((c) => c.distance <= Math.max(2, Math.floor(lower.length / 4)) || c.shared > 0)
    .sort((a, b) => a.distance - b.distance || b.shared - a.shared || a.id.localeCompare(b.id))
    .slice(0, max)
    .map((c) => c.id)
}

/** What an operation answers, in a word (for `api list`). */
export const answerOf = (operation: AnyOperation): string => {
  switch (operation._tag) {
    case "Paged":
      return "pages"
    case "Items":
      return "items"
    case "Value":
      return "value"
    case "NoContent":
      return "nothing"
    case "Text":
      return "text"
  }
}
