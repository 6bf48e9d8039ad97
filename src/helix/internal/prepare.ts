/**
 * What an operation call does before its first request, over the runner's one state
 * ({@link Runner}): the token kind and scopes checked (`NotAuthorized` naming what is missing),
 * the parameters encoded to wire names (`InvalidParams`), the token user's id filled where Twitch
 * wants it, and the transport chosen (the extension's, with the call's JWT, for extension calls).
 *
 * @since 0.1.0
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AccessToken from "../../auth/AccessToken.js"
import type * as TwitchAuth from "../../auth/TwitchAuth.js"
import { NotAuthorized } from "../../TwitchError.js"
import type * as EndpointLimits from "../EndpointLimits.js"
import type * as ExtensionAuth from "../ExtensionAuth.js"
import type * as HelixClient from "../HelixClient.js"
import * as HelixOperation from "../HelixOperation.js"
import { InvalidParams } from "../OperationError.js"
import type { Failure } from "../OperationRunner.js"
import { isJwtOnly, noJwt, withJwt } from "./extension.js"

/**
 * What the runner's parts share, made once by `OperationRunner.make`.
 *
 * @internal
 */
export interface Runner {
  readonly helix: HelixClient.HelixClient.Service
  readonly auth: TwitchAuth.TwitchAuth.Service
  /** The per-endpoint limits' state. */
  readonly limits: EndpointLimits.State
  /** The extension's JWT signer and transport, when an `ExtensionAuth` is provided. */
  readonly extensions: {
    readonly auth: ExtensionAuth.ExtensionAuth.Service
    readonly client: HelixClient.HelixClient.Service
  } | undefined
}

/**
 * What a call runs on: the transport, its parameters in wire form, and what every request carries.
 *
 * @internal
 */
export interface Prepared {
  readonly client: HelixClient.HelixClient.Service
  readonly wire: HelixOperation.Wire
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

/** The parameters in wire form, or `InvalidParams` listing every offending path. */
const encode = <P, I extends HelixOperation.Wire, E>(
  operation: HelixOperation.Common<P, I, E>,
  params: P
): Either.Either<HelixOperation.Wire, InvalidParams> =>
  Either.mapLeft(encoderOf(operation.params)(params), (error) =>
    new InvalidParams({
      operation: operation.id,
      detail: ParseResult.ArrayFormatter.formatErrorSync(error).map((i) =>
        `${i.path.join(".")}: ${i.message}`
      )
        .join("; ")
    }))

const UserIds = Schema.Struct({ data: Schema.Array(Schema.Struct({ id: Schema.String })) })

/** The id of the token's user: known from validation, or asked of Get Users. */
const tokenUserId = (runner: Runner, token: AccessToken.AccessToken) =>
  Option.isSome(token.userId) ?
    Effect.succeed(token.userId.value) :
    runner.helix.request("/users", UserIds, { span: false }).pipe(
      Effect.flatMap((users) =>
        users.data[0] === undefined
          ? Effect.fail(new NotAuthorized({ reason: "WrongTokenKind", needs: ["user"] }))
          : Effect.succeed(users.data[0].id)
      )
    )

/** An extension call: its JWT signed for these parameters, run on the extension transport. */
const prepareExtension = <P, I extends HelixOperation.Wire, E>(
  runner: Runner,
  operation: HelixOperation.Common<P, I, E>,
  params: P
): Effect.Effect<Prepared, Failure> => {
  const extensions = runner.extensions
  if (extensions === undefined) return Effect.fail(noJwt)
  return Effect.flatMap(encode(operation, params), (wire) =>
    Effect.map(
      extensions.auth.jwt({ operation: operation.id, params: wire }),
      (jwt): Prepared => ({ client: extensions.client, wire, run: withJwt(jwt) })
    ))
}

/** A call with a token: authorized, encoded, and the token user's id filled where it is left out. */
const prepareWithToken = <P, I extends HelixOperation.Wire, E>(
  runner: Runner,
  operation: HelixOperation.Common<P, I, E>,
  params: P
): Effect.Effect<Prepared, Failure> =>
  Effect.flatMap(runner.auth.current, (token): Effect.Effect<Prepared, Failure> => {
    const refused = HelixOperation.authorize(operation, token)
    if (Option.isSome(refused)) {
      return Effect.fail(refused.value)
    }
    const encoded = encode(operation, params)
    if (Either.isLeft(encoded)) {
      return Effect.fail(encoded.left)
    }
    const missing = operation.tokenUser.filter((name) => encoded.right[name] === undefined)
    if (missing.length === 0) {
      return Effect.succeed<Prepared>({ client: runner.helix, wire: encoded.right, run: asIs })
    }
    return Effect.map(tokenUserId(runner, token), (userId): Prepared => ({
      client: runner.helix,
      wire: { ...encoded.right, ...Object.fromEntries(missing.map((name) => [name, userId])) },
      run: asIs
    }))
  })

/**
 * Everything before the first request: authorization, parameters, token user, transport.
 *
 * @internal
 */
export const prepare = <P, I extends HelixOperation.Wire, E>(
  runner: Runner,
  operation: HelixOperation.Common<P, I, E>,
  params: P
): Effect.Effect<Prepared, Failure> => {
  if (isJwtOnly(operation)) {
    return prepareExtension(runner, operation, params)
  }
  if (operation.tokens.length === 0 && operation.tokenUser.length === 0) {
    return Effect.map(
      encode(operation, params),
      (wire): Prepared => ({ client: runner.helix, wire, run: asIs })
    )
  }
  return prepareWithToken(runner, operation, params)
}
