/**
 * The transport's answer decoding: a whole JSON body with a schema, and a `{data, pagination,
 * total}` page whose envelope is checked by hand and whose items keep the wire object they came
 * from (see `HelixClient.raw`).
 *
 * @since 0.1.0
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { type Answer, decodeError, parseJson } from "../../internal/http/failure.js"
import type { HelixError } from "../../TwitchError.js"
import { DecodeError } from "../../TwitchError.js"
import * as FastDecode from "../FastDecode.js"
import type { Page } from "../HelixClient.js"

/**
 * Where a model keeps the wire object it was decoded from: a symbol property (skipped by
 * `Object.keys`, JSON and structural equality). A `WeakMap` did the same at 35 times the cost per
 * item, most of it in the garbage collector's ephemeron work (measured: 100 `set`s 180 us against
 * 4 us), which made it the largest avoidable per-call cost of a page.
 *
 * @internal
 */
export const rawKey: unique symbol = Symbol.for("effect-twitcher/HelixClient/raw")

const keepRaw = (model: unknown, wire: unknown): void => {
  if (
    model !== wire && typeof model === "object" && model !== null && typeof wire === "object" &&
    wire !== null &&
    Object.isExtensible(model)
  ) {
    Reflect.set(model, rawKey, wire)
  }
}

/** The `Schema.Array` of an item schema, made once per item schema (a new one per call would be compiled anew). */
const arrays = new WeakMap<Schema.Schema.Any, Schema.Schema.Any>()

const arrayOf = <A, I, R>(
  item: Schema.Schema<A, I, R>
): Schema.Schema<ReadonlyArray<A>, ReadonlyArray<I>, R> => {
  const found = arrays.get(item)
  if (found !== undefined) return found as Schema.Schema<ReadonlyArray<A>, ReadonlyArray<I>, R>
  const made = Schema.Array(item)
  arrays.set(item, made)
  return made
}

/** What a `{data, pagination, total}` envelope holds, checked by hand (a Schema decode of it cost more than its `JSON.parse`). */
interface Envelope {
  readonly data: ReadonlyArray<unknown>
  readonly cursor: string | undefined
  readonly total: number | undefined
}

const readEnvelope = (
  json: unknown,
  document: boolean
): Either.Either<Envelope, { readonly path: string; readonly detail: string }> => {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return Either.left({ path: "<root>", detail: "Expected an object with a data array" })
  }
  const { pagination, total } = json as Record<string, unknown>
  const found = (json as Record<string, unknown>)["data"]
  // A page whose data is one document is a page of that one item.
  const data = document ? [found] : found
  if (!Array.isArray(data)) return Either.left({ path: "data", detail: "Expected an array" })
  let cursor: unknown = undefined
  if (pagination !== undefined) {
    if (typeof pagination !== "object" || pagination === null) {
      return Either.left({ path: "pagination", detail: "Expected an object" })
    }
    cursor = (pagination as Record<string, unknown>)["cursor"]
    if (cursor !== undefined && typeof cursor !== "string") {
      return Either.left({ path: "pagination.cursor", detail: "Expected a string" })
    }
  }
  if (total !== undefined && typeof total !== "number") {
    return Either.left({ path: "total", detail: "Expected a number" })
  }
  return Either.right({ data, cursor: cursor as string | undefined, total: total as number | undefined })
}

const isUnknown = (schema: Schema.Schema.Any): boolean =>
  schema.ast._tag === "UnknownKeyword" || schema.ast._tag === "AnyKeyword"

/**
 * A whole JSON answer decoded with `schema`.
 *
 * @internal
 */
export const decodeBody = <A, I, R>(answer: Answer, schema: Schema.Schema<A, I, R>) => {
  const decode = FastDecode.decodeUnknown(schema)
  return Effect.flatMap(
    parseJson(answer),
    (json) => Effect.mapError(decode(json), (e) => decodeError(e, answer.info()))
  )
}

/**
 * A page answer: the envelope checked, each item decoded with `item` (a `document` page's `data` as
 * its only item; `Schema.Unknown` items left as they came), the cursor of a non-empty page kept.
 *
 * @internal
 */
export const decodePage = <A, I, R>(
  answer: Answer,
  item: Schema.Schema<A, I, R>,
  document: boolean
): Effect.Effect<Page<A>, HelixError, R> =>
  Effect.flatMap(parseJson(answer), (json) => {
    const envelope = readEnvelope(json, document)
    if (Either.isLeft(envelope)) {
      return Effect.fail(new DecodeError({ ...envelope.left, request: answer.info() }))
    }
    const { cursor, data: wire, total } = envelope.right
    const toPage = (data: ReadonlyArray<A>): Page<A> => {
      for (let i = 0; i < data.length; i++) keepRaw(data[i], wire[i])
      return {
        data,
        cursor: cursor === undefined || cursor === "" || data.length === 0
          ? Option.none()
          : Option.some(cursor),
        total: Option.fromNullable(total)
      }
    }
    // Items of `Schema.Unknown` are the wire objects: nothing to decode.
    if (isUnknown(item)) return Effect.succeed(toPage(wire as ReadonlyArray<A>))
    const decoded = document
      ? Effect.map(FastDecode.decodeUnknown(item)(wire[0]), (one): ReadonlyArray<A> => [one])
      : FastDecode.decodeUnknown(arrayOf(item))(wire)
    return decoded.pipe(
      Effect.mapError((e) => decodeError(e, answer.info(), { prefix: ["data"] })),
      Effect.map(toPage)
    )
  })
