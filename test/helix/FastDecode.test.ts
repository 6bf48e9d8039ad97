/**
 * The fast decoders agree with Schema, which stays the source of truth: for every generated model
 * and every hand-written one the operations use, values Schema encodes decode to the same result
 * both ways, and arbitrary wire-shaped input (valid or not) is accepted or refused alike.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as EventSubEvents from "../../src/eventsub/generated/events.js"
import { ChannelInformation, ChannelSearchResult } from "../../src/helix/Channel.js"
import * as FastDecode from "../../src/helix/FastDecode.js"
import { Category, Game } from "../../src/helix/Game.js"
import * as Models from "../../src/helix/generated/models.js"
import { LiveStream } from "../../src/helix/LiveStream.js"
import { User } from "../../src/helix/User.js"

const isModel = (u: unknown): u is Schema.Schema.AnyNoContext =>
  Schema.isSchema(u) && Predicate.hasProperty(u, "fields")

const models: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> = [
  ...Object.entries(Models).flatMap(([name, value]) => (isModel(value) ? [[name, value] as const] : [])),
  ...[LiveStream, User, Game, Category, ChannelInformation, ChannelSearchResult].map((m) =>
    [m.identifier, m] as const
  )
]

/** The fast decoder gives Schema's value where Schema decodes `input`, and refuses where it fails. */
const agrees = (
  fast: (input: unknown) => Option.Option<unknown>,
  slow: (input: unknown) => Either.Either<unknown, unknown>,
  input: unknown,
  label: string
) => {
  const expected = slow(input)
  const decoded = fast(input)
  if (Either.isLeft(expected)) expect(Option.isNone(decoded), label).toBe(true)
  else expect(Option.getOrThrow(decoded), label).toStrictEqual(expected.right)
}

/** Arbitrary wire-shaped input (valid or not) is accepted or refused by both, to the same values. */
const agreesOnWireInput = (name: string, model: Schema.Schema.AnyNoContext, numRuns: number) => {
  const fast = FastDecode.compile(model)
  const slow = Schema.decodeUnknownEither(model)
  FastCheck.assert(
    FastCheck.property(Arbitrary.make(Schema.encodedSchema(model)), (wire) => agrees(fast, slow, wire, name)),
    { numRuns }
  )
}

/** Values a field is tried with, alone in its object. */
const fieldValues: ReadonlyArray<unknown> = [null, undefined, "", "s", 0, 1.5, false, true, [], {}]

/** Each key of `model`'s wire form, missing or holding each value, decodes both ways alike. */
const agreesOnFields = (
  model: Schema.Schema.AnyNoContext,
  keys: ReadonlyArray<string>,
  values: ReadonlyArray<unknown>
) => {
  const fast = FastDecode.compile(model)
  const slow = Schema.decodeUnknownEither(model)
  for (const key of keys) {
    agrees(fast, slow, {}, `${key} missing`)
    for (const value of values) {
      agrees(fast, slow, { [key]: value }, `${key}: ${JSON.stringify(value) ?? "undefined"}`)
    }
  }
}

describe("FastDecode", () => {
  it("covers every generated model", () => {
    expect(models.length).toBeGreaterThan(150)
  })

  it("decodes what Schema encodes to the same values, as the same classes", () => {
    for (const [name, model] of models) {
      const fast = FastDecode.compile(model)
      const slow = Schema.decodeUnknownEither(model)
      const encode = Schema.encodeSync(model)
      FastCheck.assert(
        FastCheck.property(Arbitrary.make(model), (value) => {
          // Through JSON as Twitch's answers come; a number JSON cannot carry (Infinity, NaN)
          // becomes null, which both must then refuse.
          agrees(fast, slow, JSON.parse(JSON.stringify(encode(value))), name)
        }),
        { numRuns: 15 }
      )
    }
  })

  it("accepts and refuses arbitrary wire input exactly as Schema does", () => {
    for (const [name, model] of models) agreesOnWireInput(name, model, 10)
  })

  it("decodes Effect's schemas it writes out by hand (Int, Date, OptionFromNonEmptyTrimmedString) as Schema does", () => {
    const inputs: ReadonlyArray<unknown> = [
      "",
      " ",
      " a ",
      "a",
      "\t\n",
      "2026-11-27T08:00:00Z",
      "2026-13-45",
      "not a date",
      0,
      1,
      -3,
      1.5,
      2 ** 60,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      null,
      undefined,
      true,
      {},
      []
    ]
    const schemas: ReadonlyArray<Schema.Schema.AnyNoContext> = [
      Schema.Int,
      Schema.Date,
      Schema.DateFromString,
      Schema.OptionFromNonEmptyTrimmedString
    ]
    for (const schema of schemas) {
      const fast = FastDecode.compile(schema)
      const slow = Schema.decodeUnknownEither(schema)
      for (const input of inputs) {
        agrees(fast, slow, input, `${String(schema)} ${String(input)}`)
      }
    }
  })

  it("decodes optional-to-Option fields, ours and optionalWith's own, as Schema does", () => {
    class Inner extends Schema.Class<Inner>("test/FastDecode/Inner")({ n: Schema.Int }) {}
    const Model = Schema.Struct({
      nullable: FastDecode.optionalNullableOption(Schema.String),
      plain: FastDecode.optionalOption(Schema.Number),
      renamed: FastDecode.optionalNullableOption(Inner).pipe(Schema.fromKey("re_named")),
      renamedPlain: FastDecode.optionalOption(Inner).pipe(Schema.fromKey("re_named_plain")),
      withNullable: Schema.optionalWith(Schema.String, { as: "Option", nullable: true }),
      exactNullable: Schema.optionalWith(Schema.String, { as: "Option", nullable: true, exact: true }),
      withPlain: Schema.optionalWith(Schema.Number, { as: "Option" }),
      exact: Schema.optionalWith(Schema.Number, { as: "Option", exact: true }),
      defaulted: Schema.optionalWith(Schema.String, { default: () => "d", nullable: true })
    })
    const keys = [
      "nullable",
      "plain",
      "re_named",
      "re_named_plain",
      "withNullable",
      "exactNullable",
      "withPlain",
      "exact",
      "defaulted"
    ]
    agreesOnFields(Model, keys, [...fieldValues, { n: 1 }, { n: 1.5 }])
  })

  it("decodes a transformation of the user's that looks like optionalWith's on a few values as Schema does", () => {
    // Each agrees with `optionalWith(..., { as: "Option" })` on "", "x", 0, 1, false, true, [],
    // {}, null, undefined and a missing key (what FastDecode once tried a field with to tell).
    const Model = Schema.Struct({
      skips42: Schema.optionalToRequired(
        Schema.UndefinedOr(Schema.Number),
        Schema.OptionFromSelf(Schema.Number),
        {
          decode: (o) => Option.filter(o, (n): n is number => n !== undefined && n !== 42),
          encode: identity
        }
      ),
      capped: Schema.optionalToRequired(
        Schema.UndefinedOr(Schema.Number),
        Schema.OptionFromSelf(Schema.Number),
        {
          decode: (o) =>
            Option.flatMap(o, (n) => n === undefined ? Option.none() : Option.some(Math.min(n, 1000))),
          encode: identity
        }
      ),
      hidden: Schema.optionalToRequired(
        Schema.NullishOr(Schema.String),
        Schema.OptionFromSelf(Schema.String),
        {
          decode: (o) =>
            Option.filter(o, (s): s is string => s !== null && s !== undefined && s !== "secret"),
          encode: identity
        }
      ).pipe(Schema.fromKey("hidden_key"))
    })
    const slow = Schema.decodeUnknownEither(Model)
    // They do differ from optionalWith's elsewhere.
    expect(slow({ skips42: 42, capped: 5000, hidden_key: "secret" })).toStrictEqual(
      Either.right({ skips42: Option.none(), capped: Option.some(1000), hidden: Option.none() })
    )
    agreesOnFields(Model, ["skips42", "capped", "hidden_key"], [...fieldValues, 42, 5000, -5000, "secret"])
    const values = FastCheck.oneof(
      FastCheck.integer({ min: 0, max: 2000 }),
      FastCheck.constantFrom("secret", "s")
    )
    const fast = FastDecode.compile(Model)
    FastCheck.assert(
      FastCheck.property(values, values, values, (a, b, c) => {
        const input = { skips42: a, capped: b, hidden_key: c }
        agrees(fast, slow, input, JSON.stringify(input))
      }),
      { numRuns: 300 }
    )
  })

  it("decodes the generated EventSub events as Schema does", () => {
    const events: ReadonlyArray<Schema.Schema.AnyNoContext> = Object.values(EventSubEvents).filter(isModel)
    expect(events.length).toBeGreaterThan(100)
    for (const model of events) agreesOnWireInput(String(model), model, 3)
  })

  it("fails with Schema's own error through the wrapped schema", () => {
    const decode = Schema.decodeUnknownEither(FastDecode.fast(LiveStream))
    const bad = decode({ id: 1 })
    expect(Either.isLeft(bad)).toBe(true)
    const expected = Schema.decodeUnknownEither(LiveStream)({ id: 1 })
    if (Either.isLeft(bad) && Either.isLeft(expected)) {
      expect(bad.left.message).toContain(expected.left.message)
    }
  })
})
