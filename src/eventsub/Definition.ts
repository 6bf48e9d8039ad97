/**
 * What one EventSub subscription type is, as data: its name and version, the schema of its
 * condition (camelCase fields, sent with Twitch's names) and of its event, the scopes it needs and
 * where it can be delivered. The generated `Types` module holds one for each of Twitch's types;
 * `subscribe` takes one with a condition of its type and streams events of its type.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as FastDecode from "../helix/FastDecode.js"

/**
 * A condition as Twitch takes it: every value a string.
 *
 * @since 0.1.0
 * @category models
 */
export type WireCondition = Readonly<Record<string, string>>

/**
 * One subscription type and version.
 *
 * @since 0.1.0
 * @category models
 */
export interface Definition<
  T extends string,
  V extends string,
  C extends Schema.Schema.AnyNoContext,
  E extends Schema.Schema.AnyNoContext,
  W extends boolean
> {
  /** Twitch's type name, e.g. `channel.follow`. */
  readonly type: T
  /** Twitch's version, e.g. `2` (or `beta`). */
  readonly version: V
  /** Twitch's title of the type, e.g. `Channel Follow`. */
  readonly title: string
  /** The condition: camelCase fields, encoded to Twitch's names. */
  readonly condition: C
  /** One event of this type, decoded from the notification's `event`. */
  readonly event: E
  /** The scopes the authorizing user needs: every group, any one scope within a group. */
  readonly scopes: ReadonlyArray<ReadonlyArray<string>>
  /** Only webhooks (and conduits) deliver it; a WebSocket subscription is refused. */
  readonly webhookOnly: W
  /** Twitch marks it beta. */
  readonly beta: boolean
  /** The notification carries a batch of events under `events` instead of one `event`. */
  readonly batched: boolean
  /** Fields the create request needs beyond type, version, condition and transport. */
  readonly requestExtra: Readonly<Record<string, unknown>>
}

/**
 * Any definition.
 *
 * @since 0.1.0
 * @category models
 */
export interface Any {
  readonly type: string
  readonly version: string
  readonly title: string
  readonly condition: Schema.Schema.AnyNoContext
  readonly event: Schema.Schema.AnyNoContext
  readonly scopes: ReadonlyArray<ReadonlyArray<string>>
  readonly webhookOnly: boolean
  readonly beta: boolean
  readonly batched: boolean
  readonly requestExtra: Readonly<Record<string, unknown>>
}

/**
 * The condition a definition takes (camelCase fields).
 *
 * @since 0.1.0
 * @category models
 */
export type Condition<D extends Any> = Schema.Schema.Type<D["condition"]>

/**
 * The event a definition delivers.
 *
 * @since 0.1.0
 * @category models
 */
export type Event<D extends Any> = Schema.Schema.Type<D["event"]>

/**
 * A definition that a WebSocket can receive.
 *
 * @since 0.1.0
 * @category models
 */
export type WebSocketCapable = Any & { readonly webhookOnly: false }

/**
 * Whether a WebSocket can receive this type (it is not webhook-only).
 *
 * @since 0.1.0
 * @category guards
 */
export const isWebSocketCapable = (definition: Any): definition is WebSocketCapable => !definition.webhookOnly

/**
 * Builds a definition, keeping its type and version as literal types.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <
  const T extends string,
  const V extends string,
  C extends Schema.Schema.AnyNoContext,
  E extends Schema.Schema.AnyNoContext,
  const W extends boolean
>(definition: Definition<T, V, C, E, W>): Definition<T, V, C, E, W> => definition

/**
 * The key of a type and version, `channel.follow@2`: how subscriptions and notifications meet.
 *
 * @since 0.1.0
 * @category models
 */
export const key = (type: string, version: string): string => `${type}@${version}`

type Decoder = (input: unknown) => Either.Either<unknown, ParseResult.ParseError>

const eventDecoders = new WeakMap<Any, Decoder>()

const decoderOf = (definition: Any): Decoder => {
  const known = eventDecoders.get(definition)
  if (known !== undefined) return known
  const fast = FastDecode.compile(definition.event)
  const slow = Schema.decodeUnknownEither(definition.event)
  const decode: Decoder = (u) => {
    const out = fast(u)
    return Option.isSome(out) ? Either.right(out.value) : slow(u)
  }
  eventDecoders.set(definition, decode)
  return decode
}

/**
 * Decodes an event of a definition: the fast decoder first, `Schema` for the value or the error
 * when it does not fit.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeEvent = <D extends Any>(
  definition: D,
  input: unknown
): Either.Either<Event<D>, ParseResult.ParseError> =>
  // The decoder was compiled from `definition.event`, so what it gives is that schema's type.
  decoderOf(definition)(input) as Either.Either<Event<D>, ParseResult.ParseError>

/**
 * The condition in Twitch's form (snake_case names, strings; absent fields left out).
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeCondition = <D extends Any>(
  definition: D,
  condition: Condition<D>
): Either.Either<WireCondition, ParseResult.ParseError> =>
  Either.map(Schema.encodeUnknownEither(definition.condition)(condition), (wire) => {
    const out: Record<string, string> = {}
    if (typeof wire === "object" && wire !== null) {
      for (const [name, value] of Object.entries(wire)) if (typeof value === "string") out[name] = value
    }
    return out
  })

/**
 * Reads a condition Twitch sent back (a subscription's `condition`) into its camelCase form.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeCondition = <D extends Any>(
  definition: D,
  wire: unknown
): Option.Option<Condition<D>> => Schema.decodeUnknownOption(definition.condition)(wire)
