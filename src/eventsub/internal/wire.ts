/**
 * Schema building blocks for EventSub events where Twitch's reference and its own examples
 * disagree (`docsConflicts` in src/spec/eventsub.json): each accepts both forms and decodes to the
 * documented one. Why each is used where it is: docs/eventsub-decisions.md.
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** An integer Twitch documents as a number but shows as a string (`"60"`). */
export const IntOrString = Schema.Union(Schema.Int, Schema.compose(Schema.NumberFromString, Schema.Int))

/** A boolean Twitch documents as a boolean but shows as a string (`"false"`). */
export const BooleanOrString = Schema.Union(Schema.Boolean, Schema.BooleanFromString)

/** A string Twitch documents as a string but shows as a number (a user id as `123`). */
export const StringOrNumber = Schema.Union(
  Schema.String,
  Schema.transform(Schema.Number, Schema.String, {
    strict: true,
    decode: (n) => String(n),
    encode: (s) => Number(s)
  })
)

/** An object Twitch documents as an object but shows as plain text: the text becomes one. */
export const orText = <A, I>(
  schema: Schema.Schema<A, I>,
  fromText: (text: string) => A,
  toText: (value: A) => string
) =>
  Schema.Union(
    schema,
    Schema.transform(Schema.String, Schema.typeSchema(schema), {
      strict: true,
      decode: fromText,
      encode: toText
    })
  )

/** A list Twitch documents as a list but shows as one object: always a list here. */
export const oneOrMany = <A, I>(schema: Schema.Schema<A, I>) =>
  Schema.Union(
    Schema.Array(schema),
    Schema.transformOrFail(schema, Schema.Array(Schema.typeSchema(schema)), {
      strict: true,
      decode: (one) => ParseResult.succeed([one]),
      encode: (many, _, ast) =>
        many.length === 1 && many[0] !== undefined
          ? ParseResult.succeed(many[0])
          : ParseResult.fail(new ParseResult.Type(ast, many, "not exactly one item"))
    })
  )
