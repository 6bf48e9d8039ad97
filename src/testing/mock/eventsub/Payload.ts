/**
 * Builds an event payload from a subscription type's field tree (the facts file) and the world:
 * what the caller knows (the subscription's condition, the world's values for what happened,
 * overrides) is kept as given; every other field gets a value of its declared type (enum members,
 * RFC3339 nanosecond timestamps for date-time fields, one item per array), nullable fields are
 * `null`, and each `<x>_id` / `<x>_login` / `<x>_name` triple names one real user of the world.
 * Where a string enum picks one of several nullable sibling objects (`notice_type` in
 * `channel.chat.notification`, `action` in `channel.moderate`), only the picked one is filled.
 *
 * @since 0.1.0
 */
import type * as MockWorld from "../World.js"
import type { Generator } from "../world/Random.js"
import { HEX } from "../world/Random.js"
import type { Field, SubscriptionType } from "./Facts.js"

/**
 * A JSON value.
 *
 * @since 0.1.0
 * @category models
 */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/**
 * A JSON object.
 *
 * @since 0.1.0
 * @category models
 */
export type JsonObject = { readonly [key: string]: Json }

/**
 * What a payload is built from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Input {
  readonly spec: SubscriptionType
  /** The subscription's condition: its fields are copied into the event where it has them. */
  readonly condition: Readonly<Record<string, string>>
  /** Known values (deep, partial): what happened in the world, then the caller's overrides. */
  readonly values: ReadonlyArray<JsonObject>
  readonly users: ReadonlyArray<MockWorld.User>
  /** RFC3339 nanosecond timestamp for date-time fields nobody gave. */
  readonly now: string
  /** Draws generated ids and picks users (seed it per message for reproducible payloads). */
  readonly random: Generator
}

/**
 * Whether a value is a JSON object (not an array, not null).
 *
 * @since 0.1.0
 * @category utils
 */
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * Merges `b` into `a` deeply (objects merge, anything else in `b` replaces).
 *
 * @since 0.1.0
 * @category utils
 */
export const deepMerge = (a: JsonObject, b: JsonObject): JsonObject => {
  const out: Record<string, Json> = { ...a }
  for (const [key, value] of Object.entries(b)) {
    const previous = out[key]
    out[key] = isObject(previous) && isObject(value) ? deepMerge(previous, value) : value
  }
  return out
}

/** Condition fields whose event field has another name. */
const conditionAliases: Readonly<Record<string, string>> = { broadcaster_id: "broadcaster_user_id" }

/** The condition as event values: same-named fields, aliases, `reward_id` into the reward. */
const conditionValues = (spec: SubscriptionType, condition: Readonly<Record<string, string>>): JsonObject => {
  const out: Record<string, Json> = {}
  const data = spec.event.data?.fields
  const nested: Record<string, Json> = {}
  for (const [key, value] of Object.entries(condition)) {
    if (value === "") continue
    const name = conditionAliases[key] ?? key
    if (spec.event[name] !== undefined) out[name] = value
    else if (data?.[name] !== undefined) nested[name] = value
    else if (key === "reward_id" && spec.event.reward?.fields?.id !== undefined) out.reward = { id: value }
    else if (key === "reward_id" && spec.event.id !== undefined) out.id = value
  }
  if (Object.keys(nested).length > 0) out.data = nested
  return out
}

const uuid = (random: Generator): string => {
  const h = random.string(32, HEX)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`
}

const integerFor = (name: string): number => {
  if (/months|streak|level|count|tier/.test(name)) return 1
  if (/seconds/.test(name)) return 60
  if (/decimal_places/.test(name)) return 2
  if (/bits|amount|value|total|votes|goal|cost|progress|viewers/.test(name)) return 100
  return 1
}

const stringFor = (name: string, field: Field, input: Input): string => {
  if (field.enum !== undefined && field.enum.length > 0) return field.enum[0]
  if (field.format === "date-time" || name.endsWith("_at")) return input.now
  if (name === "id" || name.endsWith("_id")) return uuid(input.random)
  if (name === "color") return "#9146FF"
  if (name.endsWith("_url") || name === "url" || name.endsWith("logo") || name.endsWith("website")) {
    return "https://static-cdn.jtvnw.net/mock-eventsub/image.png"
  }
  // Documented as strings where Twitch's examples (and every other type) have numbers: digits fit both.
  if (name === "tier") return "1000"
  if (name === "bits") return "100"
  if (name === "email") return "mock@example.com"
  if (name === "currency") return "USD"
  if (name === "language" || name.endsWith("_language")) return "en"
  return `mock ${name.replaceAll("_", " ")}`
}

/** The `<x>_id`, `<x>_login`, `<x>_name` triples among an object's fields, by prefix `<x>_`. */
const userTriples = (fields: Readonly<Record<string, Field>>): ReadonlyArray<string> => {
  const prefixes: Array<string> = []
  for (const name of Object.keys(fields)) {
    if (!name.endsWith("user_id")) continue
    const prefix = name.slice(0, -2)
    if (fields[`${prefix}login`] !== undefined && fields[`${prefix}name`] !== undefined) prefixes.push(prefix)
  }
  return prefixes
}

/** The enum field choosing among nullable sibling objects, and the sibling names it chooses among. */
const discriminator = (
  fields: Readonly<Record<string, Field>>
): { readonly key: string; readonly choices: ReadonlySet<string> } | undefined => {
  for (const [key, field] of Object.entries(fields)) {
    if (field.type !== "string" || field.enum === undefined) continue
    const choices = field.enum.filter((v) => v !== key && fields[v]?.type === "object" && fields[v]?.nullable)
    if (choices.length > 1) return { key, choices: new Set(choices) }
  }
  return undefined
}

const buildObject = (
  fields: Readonly<Record<string, Field>>,
  explicit: JsonObject | undefined,
  input: Input
): JsonObject => {
  const out: Record<string, Json> = {}
  const given = explicit ?? {}
  const choice = discriminator(fields)
  const chosen = choice === undefined
    ? undefined
    : typeof given[choice.key] === "string"
    ? String(given[choice.key])
    : fields[choice.key].enum?.find((v) => choice.choices.has(v))
  for (const [name, field] of Object.entries(fields)) {
    if (name in given) {
      out[name] = buildGiven(field, given[name], input)
    } else if (choice !== undefined && name === choice.key && chosen !== undefined) {
      out[name] = chosen
    } else if (choice !== undefined && choice.choices.has(name)) {
      out[name] = name === chosen ? buildField(name, { ...field, nullable: false }, undefined, input) : null
    } else {
      out[name] = buildField(name, field, undefined, input)
    }
  }
  for (const prefix of userTriples(fields)) {
    const idKey = `${prefix}id`
    const givenId = given[idKey]
    const user = typeof givenId === "string"
      ? input.users.find((u) => u.id === givenId)
      : out[idKey] === null || input.users.length === 0
      ? undefined
      : input.random.pick(input.users)
    if (user === undefined) continue
    if (!(idKey in given)) out[idKey] = user.id
    if (!(`${prefix}login` in given)) out[`${prefix}login`] = user.login
    if (!(`${prefix}name` in given)) out[`${prefix}name`] = user.displayName
  }
  for (const [name, value] of Object.entries(given)) if (!(name in fields)) out[name] = value
  return out
}

/** A field the caller gave: objects and arrays of objects are completed, anything else kept. */
const buildGiven = (field: Field, value: Json, input: Input): Json => {
  if (field.type === "object" && field.fields !== undefined && isObject(value)) {
    return buildObject(field.fields, value, input)
  }
  if (field.type === "array" && field.items?.type === "object" && Array.isArray(value)) {
    const items = field.items.fields ?? {}
    return value.map((item: Json) => (isObject(item) ? buildObject(items, item, input) : item))
  }
  return value
}

const buildField = (name: string, field: Field, explicit: JsonObject | undefined, input: Input): Json => {
  if (field.nullable === true) return null
  switch (field.type) {
    case "string":
      return stringFor(name, field, input)
    case "integer":
      return integerFor(name)
    case "number":
      return 1.5
    case "boolean":
      return false
    case "object":
      return buildObject(field.fields ?? {}, explicit, input)
    case "array":
      return field.items === undefined
        ? []
        : [buildField(name, { ...field.items, nullable: false }, undefined, input)]
  }
}

/**
 * The event object of one notification: the condition, then each of `values` in order (later ones
 * win), completed from the field tree.
 *
 * @since 0.1.0
 * @category constructors
 */
export const build = (input: Input): JsonObject => {
  const explicit = input.values.reduce(deepMerge, conditionValues(input.spec, input.condition))
  return buildObject(input.spec.event, explicit, input)
}
