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
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TwitchAuth from "../auth/TwitchAuth.js"
import { decodeError } from "../internal/http/failure.js"
import * as Span from "../internal/http/span.js"
import { TwitchConfig } from "../TwitchConfig.js"
import type { HelixError } from "../TwitchError.js"
import * as EndpointLimits from "./EndpointLimits.js"
import { ExtensionAuth } from "./ExtensionAuth.js"
import * as FastDecode from "./FastDecode.js"
import * as HelixClient from "./HelixClient.js"
import * as HelixOperation from "./HelixOperation.js"
import { extensionClient } from "./internal/extension.js"
import { prepare, type Prepared, type Runner } from "./internal/prepare.js"
import { pageOf, send, textOf } from "./internal/send.js"
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

/** An answer with a `data` list and anything else beside it, read as it came (to be joined). */
const DataList = FastDecode.fast(Schema.Struct(
  { data: Schema.Array(Schema.Unknown) },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
))

/**
 * Every page of every batch as one channel: a page is requested when the previous one has
 * been pulled, each request traced as one call of the operation. Written as a loop of
 * channel steps: `Stream.unwrap` + `paginateChunkEffect` (+ `flatMap` over batches) cost a
 * third more per call on a one-page read (measured in `bench/helix/inprocess.ts`).
 */
const pagesOf = <P, I extends HelixOperation.Wire, A, E>(
  runner: Runner,
  operation: HelixOperation.Paged<P, I, A, E>,
  prepared: Prepared
) => {
  const span = traced(operation)
  const runs = HelixOperation.batches(prepared.wire, operation.batches)
  const loop = (
    run: number,
    after: string | undefined
  ): Channel.Channel<Chunk.Chunk<A>, unknown, HelixError | E, unknown, void, unknown> =>
    Channel.flatMap(Channel.fromEffect(span(pageOf(runner, prepared, operation, runs[run], after))), (p) => {
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

/** Every item of a paged operation as a `Stream`, a page requested when the previous is pulled. */
const paged = (runner: Runner): OperationRunner.Service["paged"] => (operation) => (params) =>
  Stream.fromChannel(
    Channel.unwrap(
      Effect.map(prepare(runner, operation, params), (prepared) => pagesOf(runner, operation, prepared))
    )
  )

/** One page of a paged operation; its parameters must fit one request (one batch). */
const page =
  (runner: Runner): OperationRunner.Service["page"] =>
  <P, I extends HelixOperation.Wire, A, E>(operation: HelixOperation.Paged<P, I, A, E>) => {
    const span = traced(operation)
    return (params: P, cursor?: string): Effect.Effect<HelixClient.Page<A>, Failure | E> =>
      span(
        Effect.flatMap(
          prepare(runner, operation, params),
          (prepared): Effect.Effect<HelixClient.Page<A>, Failure | E> => {
            const size = operation.batches.find((batch) =>
              HelixOperation.batches(prepared.wire, [batch]).length > 1
            )
            return size === undefined
              ? pageOf(runner, prepared, operation, prepared.wire, cursor)
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

/** The items of a `{data}` list, one request per batch (4 at a time), joined in order. */
const items = (runner: Runner): OperationRunner.Service["items"] => (operation) => {
  const span = traced(operation)
  return (params) =>
    span(Effect.flatMap(prepare(runner, operation, params), (prepared) => {
      const runs = HelixOperation.batches(prepared.wire, operation.batches)
      return runs.length === 1
        ? Effect.map(pageOf(runner, prepared, operation, runs[0], undefined), (p) => p.data)
        : Effect.map(
          Effect.forEach(runs, (batch) => pageOf(runner, prepared, operation, batch, undefined), {
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
  runner: Runner,
  operation: HelixOperation.Value<P, I, A, E>,
  prepared: Prepared,
  runs: ReadonlyArray<HelixOperation.Wire>
): Effect.Effect<A, HelixError | E> =>
  Effect.flatMap(
    Effect.forEach(runs, (wire) => send(runner, { ...prepared, wire }, operation, DataList), {
      concurrency: 4
    }),
    (answers) =>
      Effect.mapError(
        FastDecode.decodeUnknown(operation.response)({
          ...answers[0],
          data: answers.flatMap((a) => a.data)
        }),
        (error) => decodeError(error, { method: operation.method, url: operation.path })
      )
  )

/** A whole answer decoded with the operation's response schema (joined when sent in batches). */
const value = (runner: Runner): OperationRunner.Service["value"] => (operation) => {
  const span = traced(operation)
  return (params) =>
    span(Effect.flatMap(prepare(runner, operation, params), (prepared) => {
      const runs = HelixOperation.batches(prepared.wire, operation.batches)
      return runs.length > 1
        ? joined(runner, operation, prepared, runs)
        : send(runner, prepared, operation, operation.response)
    }))
}

/** A call whose answer is not read (204 No Content). */
const noContent = (runner: Runner): OperationRunner.Service["noContent"] => (operation) => {
  const span = traced(operation)
  return (params) =>
    span(
      Effect.flatMap(
        prepare(runner, operation, params),
        (prepared) => Effect.asVoid(send(runner, prepared, operation, Schema.Unknown))
      )
    )
}

/** A call whose answer is text, as it came. */
const text = (runner: Runner): OperationRunner.Service["text"] => (operation) => {
  const span = traced(operation)
  return (params) =>
    span(
      Effect.flatMap(prepare(runner, operation, params), (prepared) => textOf(runner, prepared, operation))
    )
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
    const config = yield* TwitchConfig
    const http = yield* HttpClient.HttpClient
    const extension = yield* Effect.serviceOption(ExtensionAuth)
    const runner: Runner = {
      helix: yield* HelixClient.HelixClient,
      auth: yield* TwitchAuth.TwitchAuth,
      limits: yield* EndpointLimits.makeState(
        options.autoModTier === undefined ? {} : { autoModTier: options.autoModTier }
      ),
      extensions: Option.isNone(extension) ? undefined : {
        auth: extension.value,
        client: yield* extensionClient(
          extension.value.clientId,
          { config, http },
          options.extensionClient ?? {}
        )
      }
    }
    return OperationRunner.of({
      paged: paged(runner),
      page: page(runner),
      items: items(runner),
      value: value(runner),
      noContent: noContent(runner),
      text: text(runner)
    })
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
