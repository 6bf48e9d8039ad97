/**
 * Generates src/eventsub/generated/ from the EventSub facts (src/spec/eventsub.json): run by
 * `npm run generate` (and checked by its `--check`) through scripts/generate-helix.ts.
 *
 *   events.ts  one Schema class per event of every subscription type and version (camelCase fields
 *              through `fromKey`, `Date` for date-times, `Option` for nullable and optional fields,
 *              fields seen only in Twitch's examples as `Option`s), and one condition struct each
 *   Types.ts   one `Definition` per type and version (`channelFollowV2`...) and the list of all
 *
 * Where the reference contradicts itself (`docsConflicts`), scripts/generate-eventsub-decisions.ts
 * says what is generated; a conflict without a decision stops the generator.
 */
import facts from "../src/spec/eventsub.json" with { type: "json" }
import { conditionDecisions, type FieldDecision, fieldDecisions } from "./generate-eventsub-decisions.js"
import { camel, doc, pascal, propKey, quote } from "./helix/naming.js"
import { scalarExpr } from "./helix/shape.js"

/** A field of the facts' event trees. */
export interface Field {
  readonly type: string
  readonly nullable?: boolean
  readonly optional?: boolean
  readonly enum?: ReadonlyArray<string>
  readonly format?: string
  readonly fields?: Readonly<Record<string, Field>>
  readonly items?: Field
  readonly sameShapeAs?: string
}

/** A subscription type of the facts. */
export interface TypeFacts {
  readonly type: string
  readonly version: string
  readonly name: string
  readonly condition: Readonly<Record<string, string>>
  readonly conditionRequired: ReadonlyArray<string>
  readonly conditionRequireOneOf?: ReadonlyArray<string>
  readonly auth: {
    readonly requiredScopes?: ReadonlyArray<ReadonlyArray<string>>
    /** `app`: only an app token may create it. */
    readonly token?: string
  }
  readonly event: Readonly<Record<string, Field>>
  readonly exampleOnlyFields?: Readonly<Record<string, Field>>
  readonly docsConflicts?: ReadonlyArray<{ readonly path: string; readonly exampleType?: string }>
  readonly webhookOnly?: boolean
  readonly beta?: boolean
  readonly batched?: boolean
  readonly requestExtraFields?: Readonly<Record<string, { readonly mustBe?: unknown }>>
}

/** The subscription types of the facts file. */
export const types: ReadonlyArray<TypeFacts> = facts.subscriptionTypes as ReadonlyArray<TypeFacts>

/** `channel.chat.message` + `1` -> `ChannelChatMessageV1`; `beta` -> `...Beta`. */
export const baseName = (t: { readonly type: string; readonly version: string }): string =>
  t.type.split(".").map(pascal).join("") + (/^\d+$/.test(t.version) ? `V${t.version}` : pascal(t.version))

/** `channelChatMessageV1`: the name of a type's definition. */
export const definitionName = (t: { readonly type: string; readonly version: string }): string => {
  const base = baseName(t)
  return base.charAt(0).toLowerCase() + base.slice(1)
}

const singular = (name: string): string =>
  name.endsWith("ies") ? `${name.slice(0, -3)}y` : /[^su]s$/.test(name) ? name.slice(0, -1) : `${name}Item`

interface Ctx {
  readonly key: string
  readonly classes: Array<string>
  readonly names: Set<string>
  readonly decisionsUsed: Set<string>
  readonly conflicts: ReadonlySet<string>
  /** The class made for a field record already (a `sameShapeAs` field reuses its sibling's). */
  readonly made: Map<object, string>
}

const decisionAt = (ctx: Ctx, path: string): FieldDecision | undefined => {
  if (!ctx.conflicts.has(path)) return undefined
  const id = `${ctx.key} ${path}`
  const decision = fieldDecisions[id]
  if (decision === undefined) throw new Error(`eventsub: no decision for the docs conflict at ${id}`)
  ctx.decisionsUsed.add(id)
  return decision
}

/** The schema expression of a value at `path` (a class for an object with fields). */
const valueExpr = (
  ctx: Ctx,
  field: Field,
  name: string,
  path: string,
  siblings: Readonly<Record<string, Field>>
): string => {
  const decision = decisionAt(ctx, path)
  if (decision === "IntOrString") return "IntOrString"
  if (decision === "BooleanOrString") return "BooleanOrString"
  if (decision === "StringOrNumber") return "StringOrNumber"
  const shaped = field.sameShapeAs === undefined ? field : sameShape(field, siblings, path)
  if (shaped.type === "object") {
    if (shaped.fields === undefined) return "Schema.Record({ key: Schema.String, value: Schema.Unknown })"
    const cls = classFor(ctx, shaped.fields, name, path, undefined)
    if (decision === "MessageOrText") {
      return `orText(${cls}, (text) => new ${cls}({ text, fragments: [] }), (message) => message.text)`
    }
    if (decision === "OneOrMany") return `oneOrMany(${cls})`
    return cls
  }
  if (shaped.type === "array") {
    const items = shaped.items === undefined
      ? "Schema.Unknown"
      : valueExpr(ctx, shaped.items, singular(name), `${path}.[]`, {})
    return `Schema.Array(${items})`
  }
  return scalarExpr(shaped)
}

/** A field whose shape is a sibling's (`shared_chat_sub` is shaped like `sub`). */
const sameShape = (field: Field, siblings: Readonly<Record<string, Field>>, path: string): Field => {
  const name = field.sameShapeAs ?? ""
  // The facts name `chat_sub_gift` for the sibling `sub_gift` (a typo in Twitch's table).
  const sibling = siblings[name] ?? siblings[name.replace(/^chat_/, "")]
  if (sibling === undefined) throw new Error(`eventsub: ${path} is shaped like ${name}, which is not there`)
  return { ...sibling, nullable: field.nullable ?? false, optional: field.optional ?? false }
}

const noteOf = (field: Field): string | undefined => {
  const parts: Array<string> = []
  if (field.enum !== undefined) parts.push(`Known values: ${field.enum.map((v) => `\`${v}\``).join(", ")}.`)
  if (field.nullable === true || field.optional === true) parts.push("`None` when null or left out.")
  return parts.length === 0 ? undefined : parts.join(" ")
}

/** A class for an object's fields; the extra fields (seen only in examples) are `Option`s. */
const classFor = (
  ctx: Ctx,
  fields: Readonly<Record<string, Field>>,
  name: string,
  path: string,
  describe: string | undefined
): string => {
  const made = ctx.made.get(fields)
  if (made !== undefined) return made
  let unique = name
  for (let i = 2; ctx.names.has(unique); i++) unique = `${name}${i}`
  ctx.names.add(unique)
  ctx.made.set(fields, unique)
  const lines = Object.entries(fields).map(([key, field]) => {
    const expr = valueExpr(ctx, field, `${name}${pascal(key)}`, `${path}.${key}`, fields)
    const renamed = camel(key) !== key
    const fromKey = renamed ? `.pipe(Schema.fromKey(${quote(key)}))` : ""
    const code = field.nullable === true || field.optional === true
      ? `FastDecode.optionalNullableOption(${expr})${fromKey}`
      : renamed
      ? `wire(${expr}, ${quote(key)})`
      : expr
    const note = noteOf(field)
    return `${note === undefined ? "" : `  /** ${note} */\n`}  ${propKey(camel(key))}: ${code}`
  })
  const text = describe ?? `The \`${path.replace(/^event\.?/, "") || "event"}\` object of ${ctx.key}.`
  ctx.classes.push(
    doc([text, "", "@since 0.1.0", "@category models"]) +
      `export class ${unique} extends Schema.Class<${unique}>(${
        quote(`effect-twitcher/eventsub/${unique}`)
      })({\n${lines.join(",\n")}\n}) {}\n`
  )
  return unique
}

/** Example-only fields merged into the documented tree, each optional. */
const withExampleOnly = (t: TypeFacts): Readonly<Record<string, Field>> => {
  const tree = structuredClone(t.event) as Record<string, Field>
  for (const [path, field] of Object.entries(t.exampleOnlyFields ?? {})) {
    const parts = path.split(".")
    const last = parts.pop() ?? path
    let node: Record<string, Field> = tree
    for (const part of parts) {
      // `[]` names the items of the array stepped into just before
      if (part === "[]") continue
      const next = node[part]
      const target = next?.type === "array" ? next.items : next
      if (target?.fields === undefined) {
        throw new Error(`eventsub: ${t.type}@${t.version} example-only ${path} has no parent object`)
      }
      node = target.fields as Record<string, Field>
    }
    if (node[last] === undefined) node[last] = { ...field, optional: true }
  }
  return tree
}

const conditionCode = (ctx: Ctx, t: TypeFacts, name: string): string => {
  const rename = conditionDecisions[ctx.key]?.rename ?? {}
  const required = new Set(t.conditionRequired)
  const field = (wire: string, optional: boolean) => {
    const sent = rename[wire] ?? wire
    const key = propKey(camel(sent))
    const renamed = camel(sent) !== sent
    if (optional) {
      return `  ${key}: Schema.optional(Schema.String)${
        renamed ? `.pipe(Schema.fromKey(${quote(sent)}))` : ""
      }`
    }
    return `  ${key}: ${renamed ? `wire(Schema.String, ${quote(sent)})` : "Schema.String"}`
  }
  const struct = (fields: ReadonlyArray<string>) => `Schema.Struct({\n${fields.join(",\n")}\n})`
  const names = Object.keys(t.condition)
  const oneOf = t.conditionRequireOneOf ?? []
  const expr = oneOf.length > 0
    ? `Schema.Union(\n${
      oneOf.map((must) =>
        struct(
          names.filter((n) => n === must || !oneOf.includes(n)).map((n) =>
            field(n, n !== must && !required.has(n))
          )
        )
      ).join(",\n")
    }\n)`
    : struct(names.map((n) => field(n, !required.has(n))))
  const lines = oneOf.length > 0 ?
    [`The condition of ${ctx.key}: one of ${oneOf.join(", ")} is required.`] :
    [
      `The condition of ${ctx.key}.`
    ]
  return doc([...lines, "", "@since 0.1.0", "@category conditions"]) +
    `export const ${name}Condition = ${expr}\n`
}

/** Generates events.ts and Types.ts (unformatted, without headers). */
export const eventSubCode = (): { readonly events: string; readonly types: string } => {
  const classes: Array<string> = []
  const conditions: Array<string> = []
  const names = new Set<string>()
  const decisionsUsed = new Set<string>()
  const definitions: Array<string> = []
  for (const t of types) {
    const key = `${t.type}@${t.version}`
    const ctx: Ctx = {
      key,
      classes,
      names,
      decisionsUsed,
      conflicts: new Set((t.docsConflicts ?? []).map((c) => c.path)),
      made: new Map()
    }
    for (const path of ctx.conflicts) if (path.startsWith("event.")) decisionAt(ctx, path)
    const name = baseName(t)
    classFor(
      ctx,
      withExampleOnly(t),
      name,
      "event",
      `The event of \`${t.type}\` version ${t.version} (${t.name}).`
    )
    conditions.push(conditionCode(ctx, t, name))
    definitions.push(
      doc([`\`${t.type}\` version ${t.version}: ${t.name}.`, "", "@since 0.1.0", "@category definitions"]) +
        `export const ${definitionName(t)} = Definition.make({\n` +
        `  type: ${quote(t.type)},\n  version: ${quote(t.version)},\n  title: ${quote(t.name)},\n` +
        `  condition: Events.${name}Condition,\n  event: Events.${name},\n` +
        `  scopes: ${JSON.stringify(t.auth.requiredScopes ?? [])},\n` +
        // An app-token-only type cannot be on a WebSocket either (that transport takes user tokens).
        `  webhookOnly: ${t.webhookOnly === true || t.auth.token === "app"},\n  beta: ${
          t.beta === true
        },\n  batched: ${t.batched === true},\n` +
        `  requestExtra: ${
          JSON.stringify(
            Object.fromEntries(Object.entries(t.requestExtraFields ?? {}).map(([k, v]) => [k, v.mustBe]))
          )
        }\n})\n`
    )
  }
  const unused = Object.keys(fieldDecisions).filter((id) => !decisionsUsed.has(id))
  if (unused.length > 0) {
    throw new Error(`eventsub: decisions for conflicts no longer in the facts: ${unused.join(", ")}`)
  }
  const body = `${conditions.join("\n")}\n${classes.join("\n")}`
  const helpers = ["IntOrString", "BooleanOrString", "StringOrNumber", "orText", "oneOrMany"].filter((h) =>
    new RegExp(`\\b${h}\\b`).test(body)
  )
  const events = `import * as Schema from "effect/Schema"\n` +
    `import * as FastDecode from "../../helix/FastDecode.js"\n` +
    `import { wire } from "../../helix/internal/wire.js"\n` +
    `import { ${helpers.join(", ")} } from "../internal/wire.js"\n\n${body}\n` +
    `// Decoded by prototype (FastDecode): none of these classes has instance field initializers.\n` +
    `FastDecode.register(\n  ${[...names].join(",\n  ")}\n)\n`
  const all = types.map(definitionName)
  const typesCode =
    `import * as Definition from "../Definition.js"\nimport * as Events from "./events.js"\n\n` +
    `${definitions.join("\n")}\n` +
    doc([
      "Every subscription type and version Twitch documents.",
      "",
      "@since 0.1.0",
      "@category definitions"
    ]) +
    `export const all = [\n  ${all.join(",\n  ")}\n] as const\n\n` +
    doc(["Any of the generated definitions.", "", "@since 0.1.0", "@category models"]) +
    `export type AnyDefinition = (typeof all)[number]\n`
  return { events, types: typesCode }
}
