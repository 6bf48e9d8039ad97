/**
 * The requests of an operation call, once prepared (see `prepare.ts`): the query and JSON body
 * built from the wire parameters, the endpoint's own limit waited on, then the transport (a whole
 * answer, a page, or text).
 *
 * @since 0.1.0
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Schema from "effect/Schema"
import type { HelixError } from "../../TwitchError.js"
import type * as HelixClient from "../HelixClient.js"
import type * as HelixOperation from "../HelixOperation.js"
import type { Prepared, Runner } from "./prepare.js"

type Wire = HelixOperation.Wire

/**
 * The query parameters of the named wire parameters (lists of objects as JSON).
 *
 * @internal
 */
export const queryOf = (wire: Wire, names: ReadonlyArray<string>): HelixClient.Query => {
  const query: Record<string, string | number | boolean | ReadonlyArray<string | number>> = {}
  for (const name of names) {
    const value = wire[name]
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      query[name] = value
    } else if (Array.isArray(value)) {
      query[name] = value.map((
        v: unknown
      ) => (typeof v === "number" ? v : typeof v === "string" ? v : JSON.stringify(v)))
    }
  }
  return query
}

/** The JSON body of the named wire parameters (none when the operation has no body). */
const bodyOf = (wire: Wire, names: ReadonlyArray<string>): Wire | undefined => {
  if (names.length === 0) return undefined
  const body: Record<string, unknown> = {}
  for (const name of names) if (wire[name] !== undefined) body[name] = wire[name]
  return body
}

/** The transport's options of one request: method, query and body, no span of its own. */
const requestOptions = (
  operation: {
    readonly method: HelixOperation.Common<unknown, Wire, unknown>["method"]
    readonly body: ReadonlyArray<string>
  },
  wire: Wire,
  query: HelixClient.Query
): HelixClient.RequestOptions => {
  const body = bodyOf(wire, operation.body)
  return { method: operation.method, query, span: false, ...(body === undefined ? {} : { body }) }
}

/**
 * The endpoint's own limit (if it has one), then the request.
 *
 * @internal
 */
export const limited = <P, I extends HelixOperation.Wire, A, E, E2>(
  runner: Runner,
  operation: HelixOperation.Common<P, I, E>,
  wire: Wire,
  request: Effect.Effect<A, E2>
): Effect.Effect<A, E | E2> =>
  Option.isNone(operation.limit)
    ? request
    : Effect.zipRight(
      operation.limit.value.take(runner.limits, { operation: operation.id, params: wire }),
      request
    )

/**
 * One request whose whole answer is decoded with `schema`: the endpoint's limit first, then the
 * transport.
 *
 * @internal
 */
export const send = <P, I extends HelixOperation.Wire, A, E>(
  runner: Runner,
  { client, run, wire }: Prepared,
  operation: HelixOperation.Common<P, I, E>,
  schema: Schema.Schema<A, unknown>
): Effect.Effect<A, HelixError | E> =>
  limited(
    runner,
    operation,
    wire,
    Effect.suspend(() =>
      run(
        client.request(
          operation.path,
          schema,
          requestOptions(operation, wire, queryOf(wire, operation.query))
        )
      )
    )
  )

/**
 * One page (or the one answer of a `{data}` list) of the wire parameters `wire` (one batch of the
 * call's), after the cursor `after`: the transport decodes items on its own.
 *
 * @internal
 */
export const pageOf = <P, I extends HelixOperation.Wire, A, E>(
  runner: Runner,
  { client, run }: Prepared,
  operation: HelixOperation.Paged<P, I, A, E> | HelixOperation.Items<P, I, A, E>,
  wire: Wire,
  after: string | undefined
): Effect.Effect<HelixClient.Page<A>, HelixError | E> => {
  const query: Record<string, HelixClient.Query[string]> = queryOf(wire, operation.query)
  if (operation._tag === "Paged" && wire["first"] === undefined && Option.isSome(operation.pageSize)) {
    query["first"] = operation.pageSize.value
  }
  if (after !== undefined) query["after"] = after
  const options: HelixClient.PageOptions = {
    ...requestOptions(operation, wire, query),
    ...(operation._tag === "Paged" && operation.document ? { document: true } : {})
  }
  return limited(runner, operation, wire, run(client.page(operation.path, operation.item, options)))
}

/**
 * The one request of a text answer (public: no token, no body).
 *
 * @internal
 */
export const textOf = <P, I extends HelixOperation.Wire, E>(
  runner: Runner,
  { client, run, wire }: Prepared,
  operation: HelixOperation.Text<P, I, E>
): Effect.Effect<string, HelixError | E> =>
  limited(
    runner,
    operation,
    wire,
    run(
      client.text(operation.path, {
        method: operation.method,
        query: queryOf(wire, operation.query),
        span: false
      })
    )
  )
