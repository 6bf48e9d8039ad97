/**
 * Runs Helix operation descriptors on the Helix transport: checks the token kind and scopes before
 * anything is sent (`NotAuthorized` naming what is missing), encodes the camelCase parameters to
 * wire names, fills the token user's id where Twitch wants it, waits on per-endpoint limits, splits
 * id lists into batches and merges the answers, pages lazily, and decodes with the fast decoders.
 * Extension-JWT operations use the JWT of {@link ExtensionAuth.ExtensionAuth}; the iCalendar answer
 * (public, text) is fetched without a token.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import type * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as AccessToken from "../auth/AccessToken.js"
import * as TwitchAuth from "../auth/TwitchAuth.js"
import { TwitchConfig } from "../TwitchConfig.js"
import { type HelixError, HttpError, NotAuthorized, TransportError } from "../TwitchError.js"
import * as EndpointLimits from "./EndpointLimits.js"
import { ExtensionAuth } from "./ExtensionAuth.js"
import * as HelixClient from "./HelixClient.js"
import * as HelixOperation from "./HelixOperation.js"
import { InvalidParams } from "./OperationError.js"

/**
 * Every error an operation can fail with (a limited one may add its own).
 *
 * @since 0.1.0
 * @category models
 */
export type Failure = HelixError | InvalidParams

/**
 * A service method for an operation whose parameters are required.
 *
 * @since 0.1.0
 * @category models
 */
export type Method<Op> = Op extends HelixOperation.Paged<infer P, infer _I, infer A, infer E>
  ? (params: P) => Stream.Stream<A, Failure | E>
  : Op extends HelixOperation.Items<infer P, infer _I, infer A, infer E>
    ? (params: P) => Effect.Effect<ReadonlyArray<A>, Failure | E>
  : Op extends HelixOperation.Value<infer P, infer _I, infer A, infer E> ?
    (params: P) => Effect.Effect<A, Failure | E>
  : Op extends HelixOperation.NoContent<infer P, infer _I, infer E> ?
    (params: P) => Effect.Effect<void, Failure | E>
  : Op extends HelixOperation.Text<infer P, infer _I, infer E> ?
    (params: P) => Effect.Effect<string, Failure | E>
  : never

/**
 * A service method for an operation whose parameters may all be left out.
 *
 * @since 0.1.0
 * @category models
 */
export type OptionalMethod<Op> = Method<Op> extends (params: infer P) => infer R ? (params?: P) => R : never

/**
 * The runner service tag.
 *
 * @since 0.1.0
 * @category tags
 */
export class OperationRunner extends Context.Tag("effect-twitcher/helix/OperationRunner")<
  OperationRunner,
  OperationRunner.Service
>() {}

/**
 * @since 0.1.0
 */
export declare namespace OperationRunner {
  /**
   * @since 0.1.0
   * @category models
   */
  export interface Service {
    readonly paged: <P, I extends HelixOperation.Wire, A, E>(
      operation: HelixOperation.Paged<P, I, A, E>
    ) => (params: P) => Stream.Stream<A, Failure | E>
    /** One page of a paged operation (with the cursor of the next and Twitch's `total`). */
    readonly page: <P, I extends HelixOperation.Wire, A, E>(
      operation: HelixOperation.Paged<P, I, A, E>
    ) => (params: P, cursor?: string) => Effect.Effect<HelixClient.Page<A>, Failure | E>
    readonly items: <P, I extends HelixOperation.Wire, A, E>(
      operation: HelixOperation.Items<P, I, A, E>
    ) => (params: P) => Effect.Effect<ReadonlyArray<A>, Failure | E>
    readonly value: <P, I extends HelixOperation.Wire, A, E>(
      operation: HelixOperation.Value<P, I, A, E>
    ) => (params: P) => Effect.Effect<A, Failure | E>
    readonly noContent: <P, I extends HelixOperation.Wire, E>(
      operation: HelixOperation.NoContent<P, I, E>
    ) => (params: P) => Effect.Effect<void, Failure | E>
    readonly text: <P, I extends HelixOperation.Wire, E>(
      operation: HelixOperation.Text<P, I, E>
    ) => (params: P) => Effect.Effect<string, Failure | E>
  }

  /**
   * @since 0.1.0
   * @category models
   */
  export interface Options {
    /** AutoMod check limits depend on the broadcaster (default "normal": 5 a minute, 50 an hour). */
    readonly autoModTier?: EndpointLimits.AutoModTier
    /** Options of the transport made for extension-JWT calls. */
    readonly extensionClient?: HelixClient.HelixClient.Options
  }
}

type Wire = HelixOperation.Wire

const queryOf = (wire: Wire, names: ReadonlyArray<string>): HelixClient.Query => {
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

const bodyOf = (wire: Wire, names: ReadonlyArray<string>): Wire | undefined => {
  if (names.length === 0) return undefined
  const body: Record<string, unknown> = {}
  for (const name of names) if (wire[name] !== undefined) body[name] = wire[name]
  return body
}

const UserIds = Schema.Struct({ data: Schema.Array(Schema.Struct({ id: Schema.String })) })

/** A transport for extension-JWT calls: the same pipeline, the JWT as bearer, the extension's id. */
const extensionTransport = (
  jwt: Redacted.Redacted<string>,
  clientId: string,
  context: { readonly config: TwitchConfig.Service; readonly http: HttpClient.HttpClient },
  options: HelixClient.HelixClient.Options
) =>
  Effect.flatMap(Ref.make(Option.some(AccessToken.make(jwt))), (ref) =>
    HelixClient.make(options).pipe(
      Effect.provideService(TwitchAuth.TwitchAuth, TwitchAuth.fromRef(ref)),
      Effect.provideService(TwitchConfig, { ...context.config, clientId }),
      Effect.provideService(HttpClient.HttpClient, context.http)
    ))

/**
 * Builds the runner over the transport, the auth service, the config and an `HttpClient`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: OperationRunner.Options = {}
): Effect.Effect<
  OperationRunner.Service,
  never,
  HelixClient.HelixClient | TwitchAuth.TwitchAuth | TwitchConfig | HttpClient.HttpClient
> =>
  Effect.gen(function*() {
    const helix = yield* HelixClient.HelixClient
    const auth = yield* TwitchAuth.TwitchAuth
    const config = yield* TwitchConfig
    const http = yield* HttpClient.HttpClient
    const extension = yield* Effect.serviceOption(ExtensionAuth)
    const limits = yield* EndpointLimits.makeState(
      options.autoModTier === undefined ? {} : { autoModTier: options.autoModTier }
    )

    const tokenUserId = (token: AccessToken.AccessToken) =>
      Option.isSome(token.userId) ?
        Effect.succeed(token.userId.value) :
        helix.request("/users", UserIds).pipe(
          Effect.flatMap((users) =>
            users.data[0] === undefined
              ? Effect.fail(new NotAuthorized({ reason: "WrongTokenKind" }))
              : Effect.succeed(users.data[0].id)
          )
        )

    const encode = <P, I extends HelixOperation.Wire, E>(
      operation: HelixOperation.Common<P, I, E>,
      params: P
    ) =>
      Effect.mapError(
        Schema.encode(operation.params)(params),
        (error) =>
          new InvalidParams({
            operation: operation.id,
            detail: ParseResult.ArrayFormatter.formatErrorSync(error).map((i) =>
              `${i.path.join(".")}: ${i.message}`
            )
              .join("; ")
          })
      )

    /** Everything before the first request: authorization, parameters, token user, transport. */
    const prepare = <P, I extends HelixOperation.Wire, E>(
      operation: HelixOperation.Common<P, I, E>,
      params: P
    ) =>
      Effect.gen(function*() {
        const jwtOnly = operation.tokens.length === 1 && operation.tokens[0] === "extension-jwt"
        if (jwtOnly) {
          if (Option.isNone(extension)) return yield* Effect.fail(new NotAuthorized({ reason: "NoToken" }))
          const wire: Wire = yield* encode(operation, params)
          const jwt = yield* extension.value.jwt({ operation: operation.id, params: wire })
          const client = yield* extensionTransport(
            jwt,
            extension.value.clientId,
            { config, http },
            options.extensionClient ?? {}
          )
          return { client, wire }
        }
        if (operation.tokens.length === 0 && operation.tokenUser.length === 0) {
          return { client: helix, wire: yield* encode(operation, params) }
        }
        const token = yield* auth.current
        const refused = HelixOperation.authorize(operation, token)
        if (Option.isSome(refused)) return yield* Effect.fail(refused.value)
        const encoded: Wire = yield* encode(operation, params)
        const missing = operation.tokenUser.filter((name) => encoded[name] === undefined)
        if (missing.length === 0) return { client: helix, wire: encoded }
        const userId = yield* tokenUserId(token)
        const wire: Wire = { ...encoded, ...Object.fromEntries(missing.map((name) => [name, userId])) }
        return { client: helix, wire }
      })

    const takeLimit = <P, I extends HelixOperation.Wire, E>(
      operation: HelixOperation.Common<P, I, E>,
      wire: Wire
    ) =>
      Option.match(operation.limit, {
        onNone: () => Effect.void,
        onSome: (limit) => limit.take(limits, { operation: operation.id, params: wire })
      })

    /** One request: the endpoint's limit first, then the transport. */
    const send = <P, I extends HelixOperation.Wire, A, E>(
      client: HelixClient.HelixClient.Service,
      operation: HelixOperation.Common<P, I, E>,
      wire: Wire,
      schema: Schema.Schema<A, unknown>
    ): Effect.Effect<A, HelixError | E> =>
      Effect.zipRight(
        takeLimit(operation, wire),
        Effect.suspend(() => {
          const body = bodyOf(wire, operation.body)
          return client.request(operation.path, schema, {
            method: operation.method,
            query: queryOf(wire, operation.query),
            ...(body === undefined ? {} : { body })
          })
        })
      )

    /** One page (or the one answer of a `{data}` list): the transport decodes items on its own. */
    const pageOf = <P, I extends HelixOperation.Wire, A, E>(
      client: HelixClient.HelixClient.Service,
      operation: HelixOperation.Paged<P, I, A, E> | HelixOperation.Items<P, I, A, E>,
      wire: Wire,
      after: string | undefined
    ): Effect.Effect<HelixClient.Page<A>, HelixError | E> => {
      const size = operation._tag === "Paged" && wire["first"] === undefined
        ? operation.pageSize
        : Option.none()
      const query = {
        ...queryOf(wire, operation.query),
        ...(Option.isSome(size) ? { first: size.value } : {}),
        ...(after === undefined ? {} : { after })
      }
      const body = bodyOf(wire, operation.body)
      return Effect.zipRight(
        takeLimit(operation, wire),
        client.page(operation.path, operation.item, {
          method: operation.method,
          query,
          ...(body === undefined ? {} : { body })
        })
      )
    }

    const paged: OperationRunner.Service["paged"] = (operation) => (params) =>
      Stream.unwrap(
        Effect.map(prepare(operation, params), ({ client, wire }) =>
          Stream.flatMap(
            Stream.fromIterable(HelixOperation.batches(wire, operation.batches)),
            (batch) =>
              Stream.paginateChunkEffect(undefined as string | undefined, (after) =>
                Effect.map(
                  pageOf(client, operation, batch, after),
                  (p) => [Chunk.fromIterable(p.data), p.cursor] as const
                ))
          ))
      )

    const page: OperationRunner.Service["page"] = (operation) => (params, cursor) =>
      Effect.flatMap(
        prepare(operation, params),
        ({ client, wire }) => pageOf(client, operation, wire, cursor)
      )

    const items: OperationRunner.Service["items"] = (operation) => (params) =>
      Effect.flatMap(prepare(operation, params), ({ client, wire }) =>
        Effect.map(
          Effect.forEach(
            HelixOperation.batches(wire, operation.batches),
            (batch) => pageOf(client, operation, batch, undefined),
            { concurrency: 4 }
          ),
          (pages) => pages.flatMap((p) => p.data)
        ))

    const value: OperationRunner.Service["value"] = (operation) => (params) =>
      Effect.flatMap(
        prepare(operation, params),
        ({ client, wire }) => send(client, operation, wire, operation.response)
      )

    const noContent: OperationRunner.Service["noContent"] = (operation) => (params) =>
      Effect.flatMap(
        prepare(operation, params),
        ({ client, wire }) => Effect.asVoid(send(client, operation, wire, Schema.Unknown))
      )

    const text: OperationRunner.Service["text"] = (operation) => (params) =>
      Effect.flatMap(prepare(operation, params), ({ wire }) => fetchText(http, config, operation, wire))

    return OperationRunner.of({ paged, page, items, value, noContent, text })
  })

/** A public text answer (the iCalendar schedule): no token, Twitch's error body kept on failure. */
const fetchText = <P, I extends HelixOperation.Wire, E>(
  http: HttpClient.HttpClient,
  config: TwitchConfig.Service,
  operation: HelixOperation.Common<P, I, E>,
  wire: Wire
): Effect.Effect<string, HelixError> => {
  const url = new URL(`${config.helixUrl}${operation.path}`)
  for (const [key, value] of Object.entries(queryOf(wire, operation.query))) {
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v))
  }
  const request = { method: operation.method, url: url.toString() }
  return http.execute(
    HttpClientRequest.make(operation.method)(url).pipe(
      HttpClientRequest.setHeaders({ "Client-Id": config.clientId, "User-Agent": config.userAgent })
    )
  ).pipe(
    Effect.flatMap((response) => Effect.map(response.text, (body) => ({ status: response.status, body }))),
    Effect.mapError((e) => new TransportError({ detail: e.message, request })),
    Effect.timeoutFail({
      duration: Duration.seconds(30),
      onTimeout: () => new TransportError({ detail: "Helix did not answer within 30s", request })
    }),
    Effect.flatMap(({ body, status }) => {
      if (status >= 200 && status < 300) return Effect.succeed(body)
      const parsed = Schema.decodeUnknownOption(
        Schema.parseJson(
          Schema.Struct({ error: Schema.optional(Schema.String), message: Schema.optional(Schema.String) })
        )
      )(body)
      const error = Option.flatMap(parsed, (p) => Option.fromNullable(p.error))
      const message = Option.flatMap(parsed, (p) => Option.fromNullable(p.message))
      return Effect.fail(
        new HttpError({
          status,
          request,
          ...(Option.isSome(error) ? { error: error.value } : {}),
          ...(Option.isSome(message) ? { twitchMessage: message.value } : {})
        })
      )
    })
  )
}

/**
 * The runner layer (one per app: it holds the per-endpoint limits' state).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: OperationRunner.Options = {}
): Layer.Layer<
  OperationRunner,
  never,
  HelixClient.HelixClient | TwitchAuth.TwitchAuth | TwitchConfig | HttpClient.HttpClient
> => Layer.effect(OperationRunner, make(options))

/**
 * For services that build every parameter themselves (the ergonomic `Games`, `Streams`...):
 * `InvalidParams` cannot happen there, so it becomes a defect and their error type stays
 * `HelixError`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const builtParams = <A, E, R>(
  effect: Effect.Effect<A, E | InvalidParams, R>
): Effect.Effect<A, E, R> =>
  Effect.catchIf(effect, (e): e is InvalidParams => e instanceof InvalidParams, Effect.die)

/**
 * {@link builtParams} for streams.
 *
 * @since 0.1.0
 * @category combinators
 */
export const builtParamsStream = <A, E, R>(
  stream: Stream.Stream<A, E | InvalidParams, R>
): Stream.Stream<A, E, R> =>
  Stream.catchAll(stream, (e) => (e instanceof InvalidParams ? Stream.die(e) : Stream.fail(e)))

/**
 * A page size Helix accepts: an integer from 1 to `max` (default 100).
 *
 * @since 0.1.0
 * @category combinators
 */
export const pageSize = (size: number | undefined, max = 100): number =>
  Math.min(max, Math.max(1, Math.round(Number.isFinite(size) ? (size ?? max) : max)))
