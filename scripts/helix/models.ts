/**
 * Writes models.ts: a `Schema.Class` for every object an answer carries, reached from the answers
 * of the operations (request bodies are structs, written with the operations). Conventions, as in
 * the hand-written models: camelCase fields through `Schema.fromKey`, `Date` for date-times,
 * `Option` for optional and nullable fields, `Option` for strings Twitch sends as `""` for none
 * (`x-emptyIsNone`). Enums in answers are decoded as strings: Twitch adds values (statuses,
 * EventSub types) without notice, and one unknown value must not fail a whole page.
 */
import * as HelixSpec from "../../src/spec/HelixSpec.js"
import { camel, doc, pascal, propKey, quote, words } from "./naming.js"
import { type Root, scalarExpr, shapeOf } from "./shape.js"

/** A spec model replaced by a hand-written one. */
export interface Substitute {
  readonly module: string
  readonly name: string
}

/** The generated models and how to name them from other files. */
export interface Models {
  readonly code: string
  /** The schema expression of a root (e.g. `Models.Clip`, `LiveStream`), for other modules. */
  readonly reference: (root: Root) => string
  /** Imports other modules need for {@link reference}s to hand-written models. */
  readonly substitutes: ReadonlyMap<string, Substitute>
}

interface Context {
  readonly document: HelixSpec.Document
  readonly substitutes: Readonly<Record<string, Substitute>>
  readonly classes: Array<string>
  readonly done: Map<string, string>
  readonly pending: Set<string>
  readonly used: Map<string, Substitute>
  /** Put before generated class names (`Models.` from other modules). */
  readonly prefix: string
}

const componentOf = (node: HelixSpec.SchemaNode): string | undefined => node.$ref?.split("/").pop()

const isObject = (node: HelixSpec.SchemaNode): boolean =>
  node.properties !== undefined && (node.type === undefined || node.type === "object")

/** The schema expression of a value (not a property signature). */
const typeExpr = (ctx: Context, node: HelixSpec.SchemaNode, name: string): string => {
  const component = componentOf(node)
  if (component !== undefined) return classFor(ctx, component, HelixSpec.resolve(node, ctx.document))
  if (isObject(node)) return classFor(ctx, name, node)
  if (node.type === "object") {
    const value = typeof node.additionalProperties === "object"
      ? typeExpr(ctx, node.additionalProperties, `${name}Value`)
      : "Schema.Unknown"
    return `Schema.Record({ key: Schema.String, value: ${value} })`
  }
  if (node.type === "array") {
    return `Schema.Array(${node.items === undefined ? "Schema.Unknown" : typeExpr(ctx, node.items, name)})`
  }
  return scalarExpr(node)
}

/** One field of a class: the property signature with its conventions, and a doc line if any. */
const fieldExpr = (
  ctx: Context,
  key: string,
  node: HelixSpec.SchemaNode,
  required: boolean,
  owner: string
): { readonly code: string; readonly note?: string } => {
  const renamed = camel(key) !== key
  const optional = !required || node.deprecated === true
  const fromKey = renamed ? `.pipe(Schema.fromKey(${quote(key)}))` : ""
  const plain = (expr: string) => (renamed ? `wire(${expr}, ${quote(key)})` : expr)
  if (node["x-emptyIsNone"] === true) {
    const base = node.format === "date-time" ? "OptionalDate" : "EmptyAsNone"
    const note = "`None` when Twitch sends `\"\"`."
    return optional
      ? { code: `Schema.optionalWith(${base}, { default: Option.none })${fromKey}`, note }
      : { code: plain(base), note }
  }
  const base = typeExpr(ctx, node, `${owner}${pascal(key)}`)
  const deprecated = node.deprecated === true ? "Deprecated by Twitch." : undefined
  if (node.nullable === true) {
    return optional
      ? { code: `FastDecode.optionalNullableOption(${base})${fromKey}` }
      : { code: plain(`Schema.OptionFromNullOr(${base})`), note: "`None` when Twitch sends `null`." }
  }
  if (optional) {
    return {
      code: `FastDecode.optionalOption(${base})${fromKey}`,
      ...(deprecated === undefined ? {} : { note: deprecated })
    }
  }
  return { code: plain(base) }
}

const article = (phrase: string): string => (/^[aeiou]/i.test(phrase) ? `An ${phrase}` : `A ${phrase}`)

const describe = (name: string): string => {
  if (name.endsWith("Response")) return `The whole answer of ${words(name.replace(/Response$/, ""))}.`
  if (name.endsWith("Data")) return `One item of the ${words(name.replace(/Data$/, ""))} answer.`
  return `${article(words(name))}, as Helix sends it.`
}

/** The class name for a component or inline object, generating it (and what it uses) first. */
const classFor = (ctx: Context, name: string, node: HelixSpec.SchemaNode): string => {
  const substitute = ctx.substitutes[name]
  if (substitute !== undefined) {
    ctx.used.set(name, substitute)
    return substitute.name
  }
  const done = ctx.done.get(name)
  if (done !== undefined) return `${ctx.prefix}${done}`
  if (ctx.pending.has(name)) throw new Error(`models: ${name} refers to itself`)
  ctx.pending.add(name)
  const required = new Set(node.required ?? [])
  const fields = Object.entries(node.properties ?? {}).map(([key, prop]) => {
    const field = fieldExpr(ctx, key, prop, required.has(key), name)
    return `${field.note === undefined ? "" : `  /** ${field.note} */\n`}  ${
      propKey(camel(key))
    }: ${field.code}`
  })
  ctx.classes.push(
    doc([describe(name), "", "@since 0.1.0", "@category models"]) +
      `export class ${name} extends Schema.Class<${name}>(${quote(`effect-twitcher/helix/${name}`)})({\n${
        fields.join(",\n")
      }\n}) {}\n`
  )
  ctx.pending.delete(name)
  ctx.done.set(name, name)
  return `${ctx.prefix}${name}`
}

/** The class (or type) a root decodes to, generating its class. */
const rootExpr = (ctx: Context, root: Root): string => typeExpr(ctx, root.node, root.name)

/** The roots of every operation's answer. */
export const rootsOf = (document: HelixSpec.Document): ReadonlyArray<Root> =>
  HelixSpec.operationsOf(document).flatMap((located) => {
    const shape = shapeOf(located, document)
    switch (shape._tag) {
      case "Paged":
      case "Items":
        return [shape.item]
      case "Value":
        return [shape.value]
      default:
        return []
    }
  })

/** Generates models.ts. */
export const modelCode = (
  document: HelixSpec.Document,
  substitutes: Readonly<Record<string, Substitute>>
): Models => {
  const ctx: Context = {
    document,
    substitutes,
    classes: [],
    done: new Map(),
    pending: new Set(),
    used: new Map(),
    prefix: ""
  }
  for (const root of rootsOf(document)) rootExpr(ctx, root)
  const usedModules = new Map<string, Set<string>>()
  for (const sub of ctx.used.values()) {
    usedModules.set(sub.module, (usedModules.get(sub.module) ?? new Set()).add(sub.name))
  }
  const body = ctx.classes.join("\n")
  const wireHelpers = ["EmptyAsNone", "OptionalDate", "wire"].filter((h) =>
    new RegExp(`\\b${h}\\b`).test(body)
  )
  const imports = [
    ...(/\bOption\./.test(body) ? [`import * as Option from "effect/Option"`] : []),
    `import * as Schema from "effect/Schema"`,
    ...[...usedModules].map(([module, names]) =>
      `import { ${[...names].sort().join(", ")} } from ${quote(module)}`
    ),
    `import * as FastDecode from "../FastDecode.js"`,
    ...(wireHelpers.length === 0 ? [] : [`import { ${wireHelpers.join(", ")} } from "../internal/wire.js"`])
  ]
  const registered = [...[...ctx.used.values()].map((s) => s.name), ...ctx.done.values()]
  const code = `${imports.join("\n")}\n\n${body}\n` +
    `// Decoded by prototype (FastDecode): none of these classes has instance field initializers.\n` +
    `FastDecode.register(\n  ${[...new Set(registered)].join(",\n  ")}\n)\n`
  const outside: Context = { ...ctx, classes: [], prefix: "Models." }
  const reference = (root: Root): string => {
    const expr = rootExpr(outside, root)
    if (outside.classes.length > 0) throw new Error(`models: ${root.name} was not generated with the models`)
    return expr
  }
  return { code, reference, substitutes: ctx.used }
}
