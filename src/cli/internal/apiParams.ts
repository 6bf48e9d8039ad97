/**
 * `twitcher api <operation-id> --query name=value --body JSON`: the command-line text turned into
 * an operation's parameters. Query values are converted by the spec's type of each parameter
 * (integers, booleans, enums, repeated names for arrays); the body is a JSON object of body fields;
 * both are then decoded by the operation's own parameter schema. Whatever is wrong is named, with
 * where it belongs (`--query first`, `--body data.user_id`): a usage error, never a stack trace.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import type * as HelixSpec from "../../spec/HelixSpec.js"
import { CliError } from "../CliError.js"
import type * as Catalog from "./catalog.js"

const bad = (detail: string) => new CliError({ reason: "BadInput", detail })

const names = (fields: ReadonlyArray<Catalog.Field>) =>
  fields.length === 0 ? "none" : fields.map((f) => f.name).join(", ")

/** One value of a query parameter, converted to the spec's scalar type. */
const scalar = (name: string, node: HelixSpec.SchemaNode, raw: string): Either.Either<unknown, CliError> => {
  const enums = node.enum
  if (enums !== undefined && !enums.some((e) => String(e) === raw)) {
    return Either.left(bad(`--query ${name}: "${raw}" is not one of ${enums.join(", ")}.`))
  }
  switch (node.type) {
    case "integer": {
      const n = Number(raw)
      return /^[+-]?\d+$/.test(raw.trim()) && Number.isSafeInteger(n)
        ? Either.right(n)
        : Either.left(bad(`--query ${name}: "${raw}" is not a whole number.`))
    }
    case "number": {
      const n = Number(raw)
      return raw.trim() !== "" && Number.isFinite(n)
        ? Either.right(n)
        : Either.left(bad(`--query ${name}: "${raw}" is not a number.`))
    }
    case "boolean":
      return raw === "true" || raw === "false"
        ? Either.right(raw === "true")
        : Either.left(bad(`--query ${name}: "${raw}" is not true or false.`))
    default:
      return Either.right(raw)
  }
}

/** `--query name=value` pairs, by name, checked against the operation's query parameters. */
const queryOf = (
  entry: Catalog.Entry,
  pairs: ReadonlyArray<string>
): Either.Either<Record<string, unknown>, CliError> => {
  const values = new Map<string, Array<string>>()
  for (const pair of pairs) {
    const at = pair.indexOf("=")
    if (at <= 0) return Either.left(bad(`--query "${pair}": expected name=value.`))
    const name = pair.slice(0, at)
    if (!entry.query.some((f) => f.name === name)) {
      return Either.left(bad(
        entry.body.some((f) => f.name === name)
          ? `"${name}" is a body field of ${entry.id}: pass it in --body '{"${name}": ...}'.`
          : `"${name}" is no query parameter of ${entry.id} (it takes: ${names(entry.query)}).`
      ))
    }
    values.set(name, [...(values.get(name) ?? []), pair.slice(at + 1)])
  }
  const query: Record<string, unknown> = {}
  for (const [name, raws] of values) {
    const node = entry.query.find((f) => f.name === name)?.schema ?? {}
    if (node.type === "array") {
      const items = raws.map((raw) => scalar(name, node.items ?? {}, raw))
      const failed = items.find(Either.isLeft)
      if (failed !== undefined) return Either.left(failed.left)
      query[name] = items.flatMap((i) => (Either.isRight(i) ? [i.right] : []))
    } else {
      if (raws.length > 1) {
        return Either.left(bad(`--query ${name}: takes one value, got ${raws.length}.`))
      }
      const value = scalar(name, node, raws[0])
      if (Either.isLeft(value)) return Either.left(value.left)
      query[name] = value.right
    }
  }
  return Either.right(query)
}

/** `--body`: a JSON object of the operation's body fields. */
const bodyOf = (
  entry: Catalog.Entry,
  text: string | undefined
): Either.Either<Record<string, unknown>, CliError> => {
  if (text === undefined) return Either.right({})
  if (entry.body.length === 0) return Either.left(bad(`${entry.id} takes no body (only --query parameters).`))
  const parsed = Either.try(() => JSON.parse(text) as unknown)
  if (Either.isLeft(parsed)) {
    return Either.left(
      bad(`--body is not valid JSON (${String(parsed.left).replace(/^SyntaxError: /, "")}).`)
    )
  }
  const body = parsed.right
  if (!Predicate.isRecord(body)) {
    return Either.left(
      bad(`--body must be a JSON object of ${entry.id}'s body fields: ${names(entry.body)}.`)
    )
  }
  for (const key of Object.keys(body)) {
    if (entry.body.some((f) => f.name === key)) continue
    return Either.left(bad(
      entry.query.some((f) => f.name === key)
        ? `"${key}" is a query parameter of ${entry.id}: pass it as --query ${key}=...`
        : `--body: "${key}" is no body field of ${entry.id} (it takes: ${names(entry.body)}).`
    ))
  }
  return Either.right({ ...body })
}

/** Where a wrong value was given, for the message. */
const where = (entry: Catalog.Entry, path: ReadonlyArray<PropertyKey>) => {
  const [head] = path
  return entry.query.some((f) => f.name === head)
    ? `--query ${String(head)}`
    : `--body ${path.map(String).join(".")}`
}

/**
 * Schema's issues, one per place: "Expected undefined" alternatives of optional fields dropped,
 * the literals of an enum joined (`Expected "a" | "b", actual "c"`).
 */
export const issues = (
  entry: Catalog.Entry,
  error: ParseResult.ParseError
): string => {
  const byPlace = new Map<string, Array<string>>()
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const place = where(entry, issue.path)
    byPlace.set(place, [...(byPlace.get(place) ?? []), issue.message])
  }
  return [...byPlace].map(([place, messages]) => {
    const kept = messages.filter((m) => !m.startsWith("Expected undefined,"))
    const shown = kept.length > 0 ? kept : messages
    const literals = shown.map((m) => /^Expected (".*"|\d+|true|false), (actual .*)$/.exec(m))
    if (shown.length > 1 && literals.every((l) => l !== null)) {
      const actual = literals[0]?.[2] ?? ""
      return `${place}: Expected ${literals.map((l) => l?.[1]).join(" | ")}, ${actual}`
    }
    return `${place}: ${[...new Set(shown)].join("; ")}`
  }).join("; ")
}

/**
 * The operation's parameters from `--query` pairs and a `--body` text: converted, checked and
 * decoded by the operation's parameter schema (so the runner gets what a typed caller would pass).
 */
export const parse = (
  entry: Catalog.Entry,
  pairs: ReadonlyArray<string>,
  bodyText: string | undefined
): Effect.Effect<unknown, CliError> =>
  Effect.gen(function*() {
    const query = yield* queryOf(entry, pairs)
    const body = yield* bodyOf(entry, bodyText)
    const decoded = Schema.decodeUnknownEither(entry.operation.params)(
      { ...query, ...body },
      { errors: "all", onExcessProperty: "error" }
    )
    if (Either.isLeft(decoded)) {
      return yield* bad(`Bad parameters for ${entry.id}: ${issues(entry, decoded.left)}.`)
    }
    return decoded.right
  })
