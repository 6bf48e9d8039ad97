/**
 * Checks a JSON value against a schema of the Helix spec (`src/spec/HelixSpec.ts`, the file the
 * generator reads): types, `nullable`, `enum`, `required`, `maxItems`, `minimum`/`maximum`,
 * RFC3339 `date-time`s and our `x-emptyIsNone` (`""` for none). The mock validates request bodies
 * with it (unknown fields allowed, as Twitch ignores them) and, when asked, its own answers (unknown
 * fields refused, so an answer carries exactly the spec's fields).
 *
 * @since 0.1.0
 */
import * as HelixSpec from "../../../../spec/HelixSpec.js"

/**
 * One mismatch: where (`data.0.user_id`, `""` for the root) and what is wrong.
 *
 * @since 0.1.0
 * @category models
 */
export interface Issue {
  readonly path: string
  readonly message: string
}

/**
 * How strict a check is.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Refuse properties the schema does not name (answers); requests allow them. */
  readonly closed: boolean
}

const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/

/**
 * Whether a string is an RFC3339 date-time (`2026-05-06T07:08:09Z`, fractions and offsets allowed).
 *
 * @since 0.1.0
 * @category checks
 */
export const isDateTime = (value: string): boolean => rfc3339.test(value) && !Number.isNaN(Date.parse(value))

const typeOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const join = (path: string, key: string | number) => (path === "" ? String(key) : `${path}.${key}`)

/** The issues of a scalar (string, integer, number, boolean) against its schema. */
const scalar = (schema: HelixSpec.SchemaNode, value: unknown, path: string): Array<Issue> => {
  const issue = (message: string) => [{ path, message }]
  switch (schema.type) {
    case "string": {
      if (typeof value !== "string") return issue(`must be a string, not ${typeOf(value)}`)
      if (schema.format === "date-time" && !isDateTime(value)) {
        return value === "" && schema["x-emptyIsNone"] === true ? [] : issue("must be an RFC3339 date-time")
      }
      break
    }
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) {
        return issue(`must be an integer, not ${typeOf(value)}`)
      }
      break
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        return issue(`must be a number, not ${typeOf(value)}`)
      }
      break
    case "boolean":
      if (typeof value !== "boolean") return issue(`must be a boolean, not ${typeOf(value)}`)
      break
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => e === value)) {
    return issue(`must be one of ${schema.enum.join(", ")}`)
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) {
      return issue(`must be at least ${schema.minimum}`)
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      return issue(`must be at most ${schema.maximum}`)
    }
  }
  return []
}

/**
 * Every issue of `value` against `node` (empty when it conforms).
 *
 * @since 0.1.0
 * @category checks
 */
export const check = (
  node: HelixSpec.SchemaNode,
  value: unknown,
  options: Options,
  path = ""
): ReadonlyArray<Issue> => {
  const schema = HelixSpec.resolve(node)
  if (value === null) return schema.nullable === true ? [] : [{ path, message: "must not be null" }]
  if (schema.properties !== undefined || schema.type === "object") {
    if (!isRecord(value)) return [{ path, message: `must be an object, not ${typeOf(value)}` }]
    const issues: Array<Issue> = []
    const properties = schema.properties ?? {}
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(value, key)) issues.push({ path: join(path, key), message: "is required" })
    }
    for (const [key, item] of Object.entries(value)) {
      const property = Object.hasOwn(properties, key) ? properties[key] : undefined
      if (property !== undefined) issues.push(...check(property, item, options, join(path, key)))
      else if (typeof schema.additionalProperties === "object") {
        issues.push(...check(schema.additionalProperties, item, options, join(path, key)))
      } else if (options.closed && schema.properties !== undefined && schema.additionalProperties !== true) {
        issues.push({ path: join(path, key), message: "is not in the spec" })
      }
    }
    return issues
  }
  if (schema.type === "array") {
    if (!Array.isArray(value)) return [{ path, message: `must be an array, not ${typeOf(value)}` }]
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      return [{ path, message: `must have at most ${schema.maxItems} items` }]
    }
    const items = schema.items
    return items === undefined ? [] : value.flatMap((item, i) => check(items, item, options, join(path, i)))
  }
  return scalar(schema, value, path)
}

/**
 * An issue as one line: `data.0.user_id is required`.
 *
 * @since 0.1.0
 * @category utils
 */
export const format = (issue: Issue): string =>
  issue.path === "" ? issue.message : `${issue.path} ${issue.message}`

/**
 * The JSON schema of an operation's answer with a status, if the spec gives one.
 *
 * @since 0.1.0
 * @category accessors
 */
export const responseSchema = (
  operation: HelixSpec.Operation,
  status: number
): HelixSpec.SchemaNode | undefined =>
  operation.responses[String(status)]?.content?.["application/json"]?.schema

/**
 * The issues of an answer of an operation: its status must be one the spec lists as a success,
 * and a JSON body must conform (closed: no field the spec does not name).
 *
 * @since 0.1.0
 * @category checks
 */
export const checkAnswer = (
  operation: HelixSpec.Operation,
  status: number,
  body: unknown
): ReadonlyArray<Issue> => {
  const listed = operation.responses[String(status)]
  if (listed === undefined || status < 200 || status >= 300) {
    return [{ path: "", message: `status ${status} is not a success the spec lists` }]
  }
  const schema = responseSchema(operation, status)
  if (schema === undefined) {
    return body === undefined ? [] : [{ path: "", message: `status ${status} has no body in the spec` }]
  }
  return check(schema, body, { closed: true })
}
