/**
 * Writes Operations.ts: for every operation a parameters struct (query and body fields in one,
 * camelCase, encoded to wire names) and a descriptor (`HelixOperation.*`) that `OperationRunner`
 * runs. Also groups the operations into services with their method names.
 */
import * as HelixSpec from "../../src/spec/HelixSpec.js"
import type { Models, Substitute } from "./models.js"
import { camel, doc, pascal, propKey, quote, title } from "./naming.js"
import { scalarExpr, type Shape, shapeOf } from "./shape.js"

/** One method of a generated service. */
export interface Method {
  readonly operationId: string
  readonly name: string
  /** The descriptor's name in Operations.ts. */
  readonly descriptor: string
  readonly shape: Shape["_tag"]
  /** Whether every parameter may be left out. */
  readonly optionalParams: boolean
  readonly summary: ReadonlyArray<string>
}

/** One generated service. */
export interface Service {
  readonly group: string
  readonly name: string
  readonly methods: ReadonlyArray<Method>
}

interface Names {
  readonly services: Readonly<Record<string, string>>
  readonly methods: Readonly<Record<string, string>>
}

/** The schema expression of a request value (structs, not classes: callers write plain objects). */
const inputExpr = (document: HelixSpec.Document, node: HelixSpec.SchemaNode): string => {
  const resolved = HelixSpec.resolve(node, document)
  const base = ((): string => {
    if (resolved.properties !== undefined) {
      const required = new Set(resolved.required ?? [])
      const fields = Object.entries(resolved.properties).map(([key, prop]) =>
        inputField(key, inputExpr(document, prop), required.has(key))
      )
      return `Schema.Struct({\n${fields.join(",\n")}\n})`
    }
    if (resolved.type === "object") {
      const value = typeof resolved.additionalProperties === "object"
        ? inputExpr(document, resolved.additionalProperties)
        : "Schema.Unknown"
      return `Schema.Record({ key: Schema.String, value: ${value} })`
    }
    if (resolved.type === "array") {
      return `Schema.Array(${
        resolved.items === undefined ? "Schema.Unknown" : inputExpr(document, resolved.items)
      })`
    }
    if (resolved.enum !== undefined) {
      return `Schema.Literal(${resolved.enum.map((v) => JSON.stringify(v)).join(", ")})`
    }
    return scalarExpr(resolved)
  })()
  return resolved.nullable === true ? `Schema.NullOr(${base})` : base
}

const inputField = (key: string, expr: string, required: boolean): string => {
  const name = propKey(camel(key))
  const renamed = camel(key) !== key ? `.pipe(Schema.fromKey(${quote(key)}))` : ""
  if (!required) return `  ${name}: Schema.optional(${expr})${renamed}`
  return renamed === "" ? `  ${name}: ${expr}` : `  ${name}: Schema.propertySignature(${expr})${renamed}`
}

const tokensText = (operation: HelixSpec.Operation): string => {
  const kinds = operation.tokens.map((
    k
  ) => (k === "extension-jwt" ? "an extension JWT" : k === "app" ? "an app token" : "a user token"))
  const scopes = operation.scopes.anyOf ?? []
  const who = kinds.length === 0 ? "no token" : kinds.join(" or ")
  return scopes.length === 0 ? who : `${who}; scope ${scopes.join(" or ")}`
}

const answers: Record<Shape["_tag"], string> = {
  Paged: "Every item as a Stream; pages are fetched on pull.",
  Items: "The items (of every batch of ids).",
  Value: "The decoded answer (its `data` when that is all it has).",
  NoContent: "Nothing (204).",
  Text: "The text."
}

/** What an operation answers, in its doc. */
const answerText = (shape: Shape, batched: boolean): string =>
  shape._tag === "Paged" && shape.document
    ? "Every page's `data` as a Stream (one item per page); pages are fetched on pull."
    : shape._tag === "Value" && batched
    ? "The decoded answer; ids past one request's limit are asked in batches, their `data` joined."
    : answers[shape._tag]

/** The doc lines of an operation: what it is, where, which token; what it answers. */
const summaryOf = (located: HelixSpec.Located, shape: Shape, batched: boolean): ReadonlyArray<string> => [
  `${title(located.operation.operationId)}: \`${located.method} ${located.path}\`, ${
    tokensText(located.operation)
  }.`,
  answerText(shape, batched)
]

/** The parameters struct and descriptor of one operation. */
const operationBlock = (
  located: HelixSpec.Located,
  document: HelixSpec.Document,
  models: Models,
  limited: ReadonlySet<string>
): {
  readonly code: string
  readonly optionalParams: boolean
  readonly shape: Shape
  readonly summary: ReadonlyArray<string>
} => {
  const { method, operation, path } = located
  const id = operation.operationId
  const shape = shapeOf(located, document)
  const paged = shape._tag === "Paged"
  const parameters = (operation.parameters ?? []).filter((p) =>
    !(paged && (p.name === "after" || p.name === "before"))
  )
  // Required fields that must be the token user's id are filled in from the token when left out.
  const tokenUser = parameters.filter((p) => p["x-matchesTokenUser"] === true && p.required === true)
    .map((p) => p.name)
  const bodyNode = operation.requestBody?.content?.["application/json"]?.schema
  const body = bodyNode === undefined ? undefined : HelixSpec.resolve(bodyNode, document)
  const bodyRequired = new Set(body?.required ?? [])
  const entries = [
    ...parameters.map((p) => ({
      key: p.name,
      node: p.schema,
      required: p.required === true && p["x-matchesTokenUser"] !== true
    })),
    ...Object.entries(body?.properties ?? {}).map(([key, node]) => ({
      key,
      node,
      required: bodyRequired.has(key)
    }))
  ]
  const fields = entries.map((e) => inputField(e.key, inputExpr(document, e.node), e.required))
  const optionalParams = entries.every((e) => !e.required)
  const together = operation["x-maxItemsTogether"] ?? []
  const grouped = new Set(together.flatMap((g) => g.params))
  // Lists merge; so do answers with a `data` list beside other fields (Get Emote Sets' `template`):
  // the runner joins their lists and keeps the rest of the first answer.
  const mergeable = shape._tag === "Paged" || shape._tag === "Items" ||
    (shape._tag === "Value" && shape.dataList)
  const batches = !mergeable ? [] : [
    ...together.map((g) => ({ params: g.params, size: g.maxItems })),
    ...parameters.flatMap((p) =>
      p.schema.maxItems !== undefined && !grouped.has(p.name)
        ? [{ params: [p.name], size: p.schema.maxItems }]
        : []
    )
  ]
  const name = camel(id)
  const Params = `${pascal(id)}Params`
  const first = parameters.find((p) => p.name === "first")
  const common = [
    `  id: ${quote(id)}`,
    `  method: ${quote(method)}`,
    `  path: ${quote(path)}`,
    `  tokens: [${operation.tokens.map(quote).join(", ")}]`,
    `  scopes: [${(operation.scopes.anyOf ?? []).map(quote).join(", ")}]`,
    `  params: ${Params}`,
    `  query: [${parameters.map((p) => quote(p.name)).join(", ")}]`,
    `  body: [${Object.keys(body?.properties ?? {}).map(quote).join(", ")}]`,
    `  tokenUser: [${tokenUser.map(quote).join(", ")}]`,
    `  batches: [${
      batches.map((b) => `{ params: [${b.params.map(quote).join(", ")}], size: ${b.size} }`).join(", ")
    }]`,
    ...(limited.has(id) ? [`  limit: EndpointLimits.byOperation[${quote(id)}]`] : [])
  ]
  const [constructor, extra] = ((): [string, ReadonlyArray<string>] => {
    switch (shape._tag) {
      case "Paged": {
        const size = first?.schema.maximum
        return ["paged", [
          `  item: ${models.reference(shape.item)}`,
          ...(size === undefined ? [] : [`  pageSize: ${size}`]),
          ...(shape.document ? ["  document: true"] : [])
        ]]
      }
      case "Items":
        return ["items", [`  item: ${models.reference(shape.item)}`]]
      case "Value":
        return ["value", [
          `  response: HelixOperation.${shape.unwrapData ? "dataOf" : "valueOf"}(${
            models.reference(shape.value)
          })`
        ]]
      case "NoContent":
        return ["noContent", []]
      case "Text":
        return ["text", []]
    }
  })()
  const summary = summaryOf(located, shape, batches.length > 0)
  const code = doc([
    `The parameters of ${title(id)} (camelCase; query and body fields together).`,
    "",
    "@since 0.1.0",
    "@category params"
  ]) +
    `export const ${Params} = Schema.Struct({\n${fields.join(",\n")}\n})\n\n` +
    doc([`The parameters of ${title(id)}.`, "", "@since 0.1.0", "@category params"]) +
    `export type ${Params} = typeof ${Params}.Type\n\n` +
    doc([...summary, "", "@since 0.1.0", "@category operations"]) +
    `export const ${name} = HelixOperation.${constructor}({\n${[...common, ...extra].join(",\n")}\n})\n`
  return { code, optionalParams, shape, summary }
}

/** Generates Operations.ts and the service table. */
export const operationCode = (
  document: HelixSpec.Document,
  models: Models,
  names: Names,
  limited: ReadonlySet<string>
): { readonly code: string; readonly services: ReadonlyArray<Service> } => {
  const services = new Map<string, { group: string; name: string; methods: Array<Method> }>()
  const blocks: Array<string> = []
  for (const located of HelixSpec.operationsOf(document)) {
    const { operation } = located
    const id = operation.operationId
    const serviceName = names.services[operation.tag]
    const methodName = names.methods[id]
    if (serviceName === undefined) {
      throw new Error(`${id}: no service name for group "${operation.tag}" in helix-names.json`)
    }
    if (methodName === undefined) throw new Error(`${id}: no method name in helix-names.json`)
    const block = operationBlock(located, document, models, limited)
    blocks.push(block.code)
    const service = services.get(serviceName) ?? { group: operation.tag, name: serviceName, methods: [] }
    if (service.methods.some((m) => m.name === methodName)) {
      throw new Error(`${serviceName}.${methodName} is used twice`)
    }
    service.methods.push({
      operationId: id,
      name: methodName,
      descriptor: camel(id),
      shape: block.shape._tag,
      optionalParams: block.optionalParams,
      summary: block.summary
    })
    services.set(serviceName, service)
  }
  const subs = new Map<string, Set<string>>()
  for (const sub of models.substitutes.values()) {
    subs.set(sub.module, (subs.get(sub.module) ?? new Set()).add(sub.name))
  }
  const imports = [
    `import * as Schema from "effect/Schema"`,
    ...[...subs].map(([module, set]) => `import { ${[...set].sort().join(", ")} } from ${quote(module)}`),
    `import * as EndpointLimits from "../EndpointLimits.js"`,
    `import * as HelixOperation from "../HelixOperation.js"`,
    `import * as Models from "./models.js"`
  ]
  return { code: `${imports.join("\n")}\n\n${blocks.join("\n")}`, services: [...services.values()] }
}

export type { Substitute }
