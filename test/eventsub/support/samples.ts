/**
 * Sample events built from the field trees of src/spec/eventsub.json: every documented field
 * present (`full`), or only the required ones with nullable ones `null` (`sparse`). Date-times carry
 * nanoseconds, as Twitch sends them.
 */
import type { Field, TypeFacts } from "../../../scripts/generate-eventsub.js"
import facts from "../../../src/spec/eventsub.json" with { type: "json" }

export type { Field, TypeFacts }

/** Every subscription type of the facts file. */
export const types = facts.subscriptionTypes as ReadonlyArray<TypeFacts>

const timestamp = "2026-12-03T10:11:12.123456789Z"

const value = (
  field: Field,
  name: string,
  mode: "full" | "sparse",
  siblings: Readonly<Record<string, Field>>
): unknown => {
  const shaped = field.sameShapeAs === undefined
    ? field
    : siblings[field.sameShapeAs] ?? siblings[field.sameShapeAs.replace(/^chat_/, "")] ?? field
  switch (shaped.type) {
    case "string":
      return shaped.format === "date-time" ? timestamp : shaped.enum?.[0] ?? `${name}-1`
    case "integer":
      return 7
    case "number":
      return 1.5
    case "boolean":
      return true
    case "array":
      return shaped.items === undefined ? [] : [value(shaped.items, name, mode, {})]
    case "object":
      return shaped.fields === undefined ? {} : object(shaped.fields, mode)
    default:
      return null
  }
}

/** An object of a field tree. */
export const object = (
  fields: Readonly<Record<string, Field>>,
  mode: "full" | "sparse"
): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(fields)) {
    if (mode === "sparse" && field.optional === true) continue
    out[name] = mode === "sparse" && field.nullable === true ? null : value(field, name, mode, fields)
  }
  return out
}

/**
 * A sample event of a type. Where the reference and Twitch's examples disagree on a scalar's type,
 * the value has the examples' type (what Twitch was seen sending).
 */
export const sampleEvent = (t: TypeFacts, mode: "full" | "sparse" = "full"): Record<string, unknown> => {
  const event = object(t.event, mode)
  for (const conflict of t.docsConflicts ?? []) {
    if (conflict.exampleType !== "integer" || !conflict.path.startsWith("event.")) continue
    setAll(event, conflict.path.split(".").slice(1), 7)
  }
  return event
}

const setAll = (node: unknown, path: ReadonlyArray<string>, to: unknown): void => {
  const [head, ...rest] = path
  if (head === undefined || typeof node !== "object" || node === null) return
  if (head === "[]") {
    if (Array.isArray(node)) { for (const item of node) setAll(item, rest, to) }
    return
  }
  const record = node as Record<string, unknown>
  if (rest.length === 0) {
    if (head in record) record[head] = to
    return
  }
  setAll(record[head], rest, to)
}

/** A condition with every field (the first of a one-of only). */
export const sampleCondition = (t: TypeFacts): Record<string, string> => {
  const oneOf = t.conditionRequireOneOf ?? []
  const out: Record<string, string> = {}
  for (const name of Object.keys(t.condition)) {
    if (oneOf.length > 0 && oneOf.includes(name) && name !== oneOf[0]) continue
    out[name] = `${name}-1`
  }
  return out
}

/** A subscription object as Twitch sends it in a WebSocket message (channel.follow v2). */
export const subscription = {
  id: "sub-1",
  status: "enabled",
  type: "channel.follow",
  version: "2",
  cost: 0,
  condition: { broadcaster_user_id: "1", moderator_user_id: "1" },
  transport: { method: "websocket", session_id: "AQoQ" },
  created_at: "2026-12-03T10:00:00.123456789Z"
}
