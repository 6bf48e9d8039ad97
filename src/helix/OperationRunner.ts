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
import * as Channel from "effect/Channel"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as AccessToken from "../auth/AccessToken.js"
import * as TwitchAuth from "../auth/TwitchAuth.js"
import { decodeError } from "../internal/http/failure.js"
import * as Span from "../internal/http/span.js"
import { TwitchConfig } from "../TwitchConfig.js"
import { type HelixError, NotAuthorized } from "../TwitchError.js"
import * as EndpointLimits from "./EndpointLimits.js"
import { ExtensionAuth } from "./ExtensionAuth.js"
import * as FastDecode from "./FastDecode.js"
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
 * The one-page method of a paged operation whose parameters are required: a page of items, the
 * cursor of the next and Twitch's `total`; `cursor` asks for the page after the one it came with.
 *
 * @since 0.1.0
 * @category models
 */
export type PageMethod<Op> = Op extends HelixOperation.Paged<infer P, infer _I, infer A, infer E>
  ? (params: P, cursor?: string) => Effect.Effect<HelixClient.Page<A>, Failure | E>
  : never

/**
 * The one-page method of a paged operation whose parameters may all be left out.
 *
 * @since 0.1.0
 * @category models
 */
export type OptionalPageMethod<Op> = Op extends HelixOperation.Paged<infer P, infer _I, infer A, infer E>
  ? (params?: P, cursor?: string) => Effect.Effect<HelixClient.Page<A>, Failure | E>
  : never

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

/** An answer with a `data` list and anything else beside it, read as it came (to be joined). */
const DataList = FastDecode.fast(Schema.Struct(
  { data: Schema.Array(Schema.Unknown) },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
))

/** The JWT of the extension call running in a fiber (see {@link extensionClient}). */
const currentJwt = globalValue(
  Symbol.for("effect-twitcher/helix/OperationRunner/currentJwt"),
  () => FiberRef.unsafeMake(Option.none<AccessToken.AccessToken>())
)

const noJwt = new NotAuthorized({ reason: "NoToken", needs: ["extension-jwt"] })

/**
 * The one transport of extension-JWT calls: the same pipeline with the extension's client id,
 * made once. Each call's JWT (signed for that call) is the token of the fiber running it; the
 * calls draw from the extension client's own bucket, as app calls of that client id would.
 */
const extensionClient = (
  clientId: string,
  context: { readonly config: TwitchConfig.Service; readonly http: HttpClient.HttpClient },
  options: HelixClient.HelixClient.Options
) => {
  const auth: TwitchAuth.TwitchAuth.Service = {
    ...TwitchAuth.fromRef(Ref.unsafeMake(Option.none())),
    current: Effect.flatMap(
      FiberRef.get(currentJwt),
      Option.match({ onNone: () => Effect.fail(noJwt), onSome: Effect.succeed })
    ),
    onUnauthorized: () =>
      Effect.fail(new NotAuthorized({ reason: "InvalidToken", status: 401, needs: ["extension-jwt"] }))
  }
  return HelixClient.make(options).pipe(
    Effect.provideService(TwitchAuth.TwitchAuth, auth),
    Effect.provideService(TwitchConfig, { ...context.config, clientId }),
    Effect.provideService(HttpClient.HttpClient, context.http)
  )
}

const isJwtOnly = (operation: { readonly tokens: ReadonlyArray<HelixOperation.TokenKind> }) =>
  operation.tokens.length === 1 && operation.tokens[0] === "extension-jwt"

/** What a call runs on: the transport, its parameters in wire form, and what every request carries. */
interface Prepared {
  readonly client: HelixClient.HelixClient.Service
  readonly wire: Wire
  /** Runs one request of the call (the fiber's extension JWT, for extension calls). */
  readonly run: <A, E>(request: Effect.Effect<A, E>) => Effect.Effect<A, E>
}

const asIs = <A, E>(request: Effect.Effect<A, E>) => request

/** The parameter encoder of each operation's parameters schema, made once. */
const encoders = new WeakMap<
  Schema.Schema.Any,
  (params: unknown) => Either.Either<unknown, ParseResult.ParseError>
>()

const encoderOf = <P, I>(
  schema: Schema.Schema<P, I>
): (params: P) => Either.Either<I, ParseResult.ParseError> => {
  const found = encoders.get(schema)
  // Stored for this very schema: it encodes to its `I`.
  if (found !== undefined) return found as (params: P) => Either.Either<I, ParseResult.ParseError>
  const made = Schema.encodeEither(schema)
  encoders.set(schema, made as (params: unknown) => Either.Either<unknown, ParseResult.ParseError>)
  return made
}

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
    const extensions = Option.isNone(extension) ? undefined : {
      auth: extension.value,
      client: yield* extensionClient(
        extension.value.clientId,
        { config, http },
        options.extensionClient ?? {}
      )
    }

    const tokenUserId = (token: AccessToken.AccessToken) =>
      Option.isSome(token.userId) ?
        Effect.succeed(token.userId.value) :
        helix.request("/users", UserIds, { span: false }).pipe(
          Effect.flatMap((users) =>
            users.data[0] === undefined
              ? Effect.fail(new NotAuthorized({ reason: "WrongTokenKind", needs: ["user"] }))
              : Effect.succeed(users.data[0].id)
          )
        )

    const encode = <P, I extends HelixOperation.Wire, E>(
      operation: HelixOperation.Common<P, I, E>,
      params: P
    ): Either.Either<Wire, InvalidParams> =>
      Either.mapLeft(encoderOf(operation.params)(params), (error) =>
        new InvalidParams({
          operation: operation.id,
          detail: ParseResult.ArrayFormatter.formatErrorSync(error).map((i) =>
            `${i.path.join(".")}: ${i.message}`
          )
            .join("; ")
        }))

    /** An extension call: its JWT signed for these parameters, run on the extension transport. */
    const prepareExtension = <P, I extends HelixOperation.Wire, E>(
      operation: HelixOperation.Common<P, I, E>,
      params: P
    ): Effect.Effect<Prepared, Failure> => {
      if (extensions === undefined) return Effect.fail(noJwt)
      return Effect.flatMap(encode(operation, params), (wire) =>
        Effect.map(extensions.auth.jwt({ operation: operation.id, params: wire }), (jwt): Prepared => {
          const token = Option.some(AccessToken.make(jwt, { kind: "app" }))
          return {
            client: extensions.client,
            wire,
            run: (request) =>
              Effect.locally(request, currentJwt, token)
          }
        }))
    }

    /** Everything before the first request: authorization, parameters, token user, transport. */
    const prepare = <P, I extends HelixOperation.Wire, E>(
      operation: HelixOperation.Common<P, I, E>,
      params: P
    ): Effect.Effect<Prepared, Failure> => {
      if (isJwtOnly(operation)) {
        return prepareExtension(operation, params)
      }
      if (operation.tokens.length === 0 && operation.tokenUser.length === 0) {
        return Effect.map(encode(operation, params), (wire): Prepared => ({ client: helix, wire, run: asIs }))
      }
      return Effect.flatMap(auth.current, (token): Effect.Effect<Prepared, Failure> => {
        const refused = HelixOperation.authorize(operation, token)
        if (Option.isSome(refused)) {
          return Effect.fail(refused.value)
        }
        const encoded = encode(operation, params)
        if (Either.isLeft(encoded)) {
          return Effect.fail(encoded.left)
        }
        const missing = operation.tokenUser.filter((name) =>
          encoded.right[name] === undefined
        )
        if (missing.length === 0) {
          return Effect.succeed<Prepared>({ client: helix, wire: encoded.right, run: asIs })
        }
        return Effect.map(tokenUserId(token), (userId): Prepared => ({
          client: helix,
          wire: { ...encoded.right, ...Object.fromEntries(missing.map((name) => [name, userId])) },
          run: asIs
        }))
      })
    }

    /** The endpoint's own limit (if it has one), then the request. */
    const limited = <P, I extends HelixOperation.Wire, A, E, E2>(
      operation: HelixOperation.Common<P, I, E>,
      wire: Wire,
      request: Effect.Effect<A, E2>
    ): Effect.Effect<A, E | E2> =>
      Option.isNone(operation.limit)
        ? request
        : Effect.zipRight(
          operation.limit.value.take(limits, { operation: operation.id, params: wire }),
          request
        )

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

    /** One request: the endpoint's limit first, then the transport. */
    const send = <P, I extends HelixOperation.Wire, A, E>(
      { client, run, wire }: Prepared,
      operation: HelixOperation.Common<P, I, E>,
      schema: Schema.Schema<A, unknown>
    ): Effect.Effect<A, HelixError | E> =>
      limited(
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

    /** One page (or the one answer of a `{data}` list): the transport decodes items on its own. */
    const pageOf = <P, I extends HelixOperation.Wire, A, E>(
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
      return limited(operation, wire, run(client.page(operation.path, operation.item, options)))
    }

    /**
     * Every page of every batch as one channel: a page is requested when the previous one has
     * been pulled, each request traced as one call of the operation. Written as a loop of
     * channel steps: `Stream.unwrap` + `paginateChunkEffect` (+ `flatMap` over batches) cost a
     * third more per call on a one-page read (measured in `bench/helix/inprocess.ts`).
     */
    const pagesOf = <P, I extends HelixOperation.Wire, A, E>(
      operation: HelixOperation.Paged<P, I, A, E>,
      prepared: Prepared
    ) => {
      const span = traced(operation)
      const runs = HelixOperation.batches(prepared.wire, operation.batches)
      const loop = (
        run: number,
        after: string | undefined
      ): Channel.Channel<Chunk.Chunk<A>, unknown, HelixError | E, unknown, void, unknown> =>
        Channel.flatMap(Channel.fromEffect(span(pageOf(prepared, operation, runs[run], after))), (p) => {
          const next = Option.isSome(p.cursor)
            ? loop(run, p.cursor.value)
            : run + 1 < runs.length
            ? loop(run + 1, undefined)
            : undefined
          if (p.data.length === 0) return next ?? Channel.void
          const written = Channel.write(Chunk.unsafeFromArray(p.data))
          return next === undefined ? written : Channel.zipRight(written, next)
        })
      return loop(0, undefined)
    }

    const paged: OperationRunner.Service["paged"] = (operation) => (params) =>
      Stream.fromChannel(
        Channel.unwrap(Effect.map(prepare(operation, params), (prepared) => pagesOf(operation, prepared)))
      )

    const page = <P, I extends HelixOperation.Wire, A, E>(operation: HelixOperation.Paged<P, I, A, E>) => {
      const span = traced(operation)
      return (params: P, cursor?: string): Effect.Effect<HelixClient.Page<A>, Failure | E> =>
        span(
          Effect.flatMap(
            prepare(operation, params),
            (prepared): Effect.Effect<HelixClient.Page<A>, Failure | E> => {
              const size = operation.batches.find((batch) =>
                HelixOperation.batches(prepared.wire, [batch]).length > 1
              )
              return size === undefined
                ? pageOf(prepared, operation, prepared.wire, cursor)
                : Effect.fail(
                  new InvalidParams({
                    operation: operation.id,
                    detail: `one page takes at most ${size.size} of ${
                      size.params.join(" and ")
                    }: ask for every page as a Stream (which sends one request per batch)`
                  })
                )
            }
          )
        )
    }

    const items: OperationRunner.Service["items"] = (operation) => {
      const span = traced(operation)
      return (params) =>
        span(Effect.flatMap(prepare(operation, params), (prepared) => {
          const runs = HelixOperation.batches(prepared.wire, operation.batches)
          return runs.length === 1
            ? Effect.map(pageOf(prepared, operation, runs[0], undefined), (p) => p.data)
            : Effect.map(
              Effect.forEach(runs, (batch) => pageOf(prepared, operation, batch, undefined), {
                concurrency: 4
              }),
              (pages) => pages.flatMap((p) => p.data)
            )
        }))
    }

    /**
     * A document answer sent in batches (Get Emote Sets past 25 ids): one request per batch, the
     * answers' `data` lists joined in order (the rest, e.g. `template`, from the first answer),
     * then decoded as one answer.
     */
    const joined = <P, I extends HelixOperation.Wire, A, E>(
      operation: HelixOperation.Value<P, I, A, E>,
      prepared: Prepared,
      runs: ReadonlyArray<Wire>
    ): Effect.Effect<A, HelixError | E> =>
      Effect.flatMap(
        Effect.forEach(runs, (wire) => send({ ...prepared, wire }, operation, DataList), { concurrency: 4 }),
        (answers) =>
          Effect.mapError(
            FastDecode.decodeUnknown(operation.response)({
              ...answers[0],
              data: answers.flatMap((a) => a.data)
            }),
            (error) => decodeError(error, { method: operation.method, url: operation.path })
          )
      )

    const value: OperationRunner.Service["value"] = (operation) => {
      const span = traced(operation)
      return (params) =>
        span(Effect.flatMap(prepare(operation, params), (prepared) => {
          const runs = HelixOperation.batches(prepared.wire, operation.batches)
          return runs.length > 1
            ? joined(operation, prepared, runs)
            : send(prepared, operation, operation.response)
        }))
    }

    const noContent: OperationRunner.Service["noContent"] = (operation) => {
      const span = traced(operation)
      return (params) =>
        span(
          Effect.flatMap(
            prepare(operation, params),
            (prepared) => Effect.asVoid(send(prepared, operation, Schema.Unknown))
          )
        )
    }

    const text: OperationRunner.Service["text"] = (operation) => {
      const span = traced(operation)
      return (params) =>
        span(Effect.flatMap(prepare(operation, params), ({ client, run, wire }) =>
          limited(
            operation,
            wire,
            run(
              client.text(operation.path, {
                method: operation.method,
                query: queryOf(wire, operation.query),
                span: false
              })
            )
          )))
    }

    return OperationRunner.of({ paged, page, items, value, noContent, text })
  })

/**
 * A span per operation call (its requests are spans of the transport inside it); no parameters and
 * no stack trace, ended without the call's answer (see `internal/http/span.ts`).
 */
const traced = (operation: { readonly id: string; readonly method: string; readonly path: string }) =>
  Span.withSpan(`Helix ${operation.id}`, {
    kind: "client",
    attributes: { "twitch.helix.operation": operation.id, "twitch.helix.path": operation.path }
  })

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
