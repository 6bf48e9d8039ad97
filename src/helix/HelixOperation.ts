/**
 * What one Helix operation is, as data: method, path, token kinds, scopes, how its parameters are
 * encoded and split, and how its answer is read. The generated `Operations` module holds one per
 * spec operation; {@link OperationRunner} runs them. Also the pure checks done before a request:
 * token kind and scopes ({@link authorize}) and id lists split into batches ({@link batches}).
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { AccessToken } from "../auth/AccessToken.js"
import * as TwitchError from "../TwitchError.js"
import type * as EndpointLimits from "./EndpointLimits.js"
import * as FastDecode from "./FastDecode.js"

/**
 * The decoder of a `{data: A}` answer, giving `A`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dataOf = <A, I>(schema: Schema.Schema<A, I>): Schema.Schema<A, unknown> =>
  FastDecode.fast(
    Schema.transform(Schema.Struct({ data: schema }), Schema.typeSchema(schema), {
      strict: true,
      decode: (body) => body.data,
      encode: (data) => ({ data })
    })
  )

/**
 * The decoder of a whole answer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const valueOf = <A, I>(schema: Schema.Schema<A, I>): Schema.Schema<A, unknown> =>
  FastDecode.fast(schema)

/**
 * Parameters in wire form: query and body fields by their wire names.
 *
 * @since 0.1.0
 * @category models
 */
export type Wire = Readonly<Record<string, unknown>>

/**
 * The token kinds Helix operations accept.
 *
 * @since 0.1.0
 * @category models
 */
export type TokenKind = TwitchError.TokenKind

/**
 * Array parameters whose items count together against one `maxItems` (e.g. Get Users' ids and
 * logins); each group is split on its own, several groups multiply.
 *
 * @since 0.1.0
 * @category models
 */
export interface Batch {
  readonly params: ReadonlyArray<string>
  readonly size: number
}

/**
 * The parts every operation has. `P` is the caller's camelCase parameters, `I` their wire form.
 *
 * @since 0.1.0
 * @category models
 */
export interface Common<P, I extends Wire, E> {
  /** The spec's `operationId`, e.g. `ban-user`. */
  readonly id: string
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly path: string
  /** Accepted token kinds; empty when the reference names none (then nothing is checked). */
  readonly tokens: ReadonlyArray<TokenKind>
  /** Any one of these scopes suffices (user tokens). */
  readonly scopes: ReadonlyArray<string>
  /** Caller's parameters to wire names (query and body fields in one struct). */
  readonly params: Schema.Schema<P, I>
  /** Wire names sent in the query string. */
  readonly query: ReadonlyArray<string>
  /** Wire names sent as the JSON body (none: no body). */
  readonly body: ReadonlyArray<string>
  /** Wire names that must be the token user's id: filled in from the token when left out. */
  readonly tokenUser: ReadonlyArray<string>
  readonly batches: ReadonlyArray<Batch>
  /** A limit of Twitch's beyond the points bucket, waited for (or refused with `E`) before sending. */
  readonly limit: Option.Option<EndpointLimits.Limit<E>>
}

/**
 * An operation whose answer pages (`pagination.cursor`): every item as a `Stream`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Paged<P, I extends Wire, A, E = never> extends Common<P, I, E> {
  readonly _tag: "Paged"
  /** The items' decoder (fast, see `FastDecode`). */
  readonly item: Schema.Schema<A, unknown>
  /** The largest page Twitch serves (sent as `first` unless the caller sets it). */
  readonly pageSize: Option.Option<number>
  /**
   * Whether each page's `data` is one document rather than a list (Get Channel Stream Schedule:
   * the broadcaster, the vacation and one page of segments): then the stream has one item per
   * page.
   */
  readonly document: boolean
}

/**
 * An operation answering `{data: [...]}`: the items (of every batch).
 *
 * @since 0.1.0
 * @category models
 */
export interface Items<P, I extends Wire, A, E = never> extends Common<P, I, E> {
  readonly _tag: "Items"
  /** The items' decoder (fast, see `FastDecode`). */
  readonly item: Schema.Schema<A, unknown>
}

/**
 * An operation answering one JSON document: `data` when that is all it has, else the whole answer.
 * With `batches`, the answer is `{data: [...], ...}` (Get Emote Sets): one request per batch, their
 * `data` lists joined in order, the rest taken from the first answer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Value<P, I extends Wire, A, E = never> extends Common<P, I, E> {
  readonly _tag: "Value"
  readonly response: Schema.Schema<A, unknown>
}

/**
 * An operation answering `204 No Content`.
 *
 * @since 0.1.0
 * @category models
 */
export interface NoContent<P, I extends Wire, E = never> extends Common<P, I, E> {
  readonly _tag: "NoContent"
}

/**
 * An operation answering text (the iCalendar schedule).
 *
 * @since 0.1.0
 * @category models
 */
export interface Text<P, I extends Wire, E = never> extends Common<P, I, E> {
  readonly _tag: "Text"
}

/**
 * Any operation.
 *
 * @since 0.1.0
 * @category models
 */
export type Operation<P, I extends Wire, A, E = never> =
  | Paged<P, I, A, E>
  | Items<P, I, A, E>
  | Value<P, I, A, E>
  | NoContent<P, I, E>
  | Text<P, I, E>

/**
 * Checks a token against what an operation accepts: the kind (`app`/`user`; `unknown` passes) and,
 * for user tokens with known scopes, that one of `scopes` is granted. Fails with `NotAuthorized`
 * naming what is missing.
 *
 * @since 0.1.0
 * @category checks
 */
export const authorize = (
  operation: { readonly tokens: ReadonlyArray<TokenKind>; readonly scopes: ReadonlyArray<string> },
  token: AccessToken
): Option.Option<TwitchError.NotAuthorized> => {
  const anyOf = operation.scopes.length === 0 ? undefined : operation.scopes.join(" or ")
  const accepts = operation.tokens
  if (accepts.length > 0 && token.kind !== "unknown" && !accepts.includes(token.kind)) {
    return Option.some(
      new TwitchError.NotAuthorized({
        reason: "WrongTokenKind",
        needs: accepts,
        ...(anyOf === undefined ? {} : { scope: anyOf })
      })
    )
  }
  if (anyOf === undefined || token.kind === "app" || Option.isNone(token.scopes)) return Option.none()
  const granted = token.scopes.value
  return operation.scopes.some((scope) => granted.includes(scope))
    ? Option.none()
    : Option.some(new TwitchError.NotAuthorized({ reason: "MissingScope", scope: anyOf }))
}

/**
 * Splits wire parameters into requests that respect every batch's size: each group's items are cut
 * into runs of at most `size` (in order, the group's parameters counted together), and the runs of
 * different groups are combined (Helix filters on different parameters are ANDed, so every
 * combination must be asked).
 *
 * @since 0.1.0
 * @category batching
 */
export const batches = (
  wire: Readonly<Record<string, unknown>>,
  groups: ReadonlyArray<Batch>
): ReadonlyArray<Readonly<Record<string, unknown>>> => {
  let out: Array<Readonly<Record<string, unknown>>> = [wire]
  for (const group of groups) {
    const items = group.params.flatMap((param) => {
      const value = wire[param]
      return Array.isArray(value) ? value.map((item: unknown) => [param, item] as const) : []
    })
    if (items.length <= group.size) continue
    const runs: Array<Record<string, Array<unknown>>> = []
    for (let i = 0; i < items.length; i += group.size) {
      const run: Record<string, Array<unknown>> = {}
      for (const [param, item] of items.slice(i, i + group.size)) (run[param] ??= []).push(item)
      runs.push(run)
    }
    out = out.flatMap((request) =>
      runs.map((run) => {
        const next: Record<string, unknown> = { ...request }
        for (const param of group.params) {
          if (run[param] === undefined) delete next[param]
          else next[param] = run[param]
        }
        return next
      })
    )
  }
  return out
}

/**
 * What the generated code states for an operation; the constructors below fill in the rest.
 *
 * @since 0.1.0
 * @category constructors
 */
export type Definition<P, I extends Wire, E> = Omit<Common<P, I, E>, "limit"> & {
  readonly limit?: EndpointLimits.Limit<E>
}

const common = <P, I extends Wire, E>({ limit, ...rest }: Definition<P, I, E>): Common<P, I, E> => ({
  ...rest,
  limit: Option.fromNullable(limit)
})

/**
 * A paged operation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const paged = <P, I extends Wire, A, IA, E = never>(
  definition: Definition<P, I, E> & {
    readonly item: Schema.Schema<A, IA>
    readonly pageSize?: number
    readonly document?: boolean
  }
): Paged<P, I, A, E> => ({
  ...common(definition),
  _tag: "Paged",
  item: FastDecode.fast(definition.item),
  pageSize: Option.fromNullable(definition.pageSize),
  document: definition.document ?? false
})

/**
 * A `{data: [...]}` operation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const items = <P, I extends Wire, A, IA, E = never>(
  definition: Definition<P, I, E> & { readonly item: Schema.Schema<A, IA> }
): Items<P, I, A, E> => ({ ...common(definition), _tag: "Items", item: FastDecode.fast(definition.item) })

/**
 * A one-document operation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const value = <P, I extends Wire, A, E = never>(
  definition: Definition<P, I, E> & { readonly response: Schema.Schema<A, unknown> }
): Value<P, I, A, E> => ({ ...common(definition), _tag: "Value", response: definition.response })

/**
 * A `204 No Content` operation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const noContent = <P, I extends Wire, E = never>(
  definition: Definition<P, I, E>
): NoContent<P, I, E> => ({
  ...common(definition),
  _tag: "NoContent"
})

/**
 * A text operation.
 *
 * @since 0.1.0
 * @category constructors
 */
export const text = <P, I extends Wire, E = never>(definition: Definition<P, I, E>): Text<P, I, E> => ({
  ...common(definition),
  _tag: "Text"
})
