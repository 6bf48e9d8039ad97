/**
 * The fast decoders agree with Schema, which stays the source of truth: for every generated model
 * and every hand-written one the operations use, values Schema encodes decode to the same result
 * both ways, and arbitrary wire-shaped input (valid or not) is accepted or refused alike.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
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

/** Arbitrary wire-shaped input (valid or not) is accepted or refused by both, to the same values. */
const agreesOnWireInput = (name: string, model: Schema.Schema.AnyNoContext, numRuns: number) => {
  const fast = FastDecode.compile(model)
  const slow = Schema.decodeUnknownEither(model)
  FastCheck.assert(
    FastCheck.property(Arbitrary.make(Schema.encodedSchema(model)), (wire) => {
      const expected = slow(wire)
      const decoded = fast(wire)
      if (Either.isLeft(expected)) expect(Option.isNone(decoded), name).toBe(true)
      else expect(Option.getOrThrow(decoded), name).toStrictEqual(expected.right)
    }),
    { numRuns }
  )
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
          const wire = JSON.parse(JSON.stringify(encode(value)))
          const expected = slow(wire)
          const decoded = fast(wire)
          if (Either.isLeft(expected)) expect(Option.isNone(decoded), name).toBe(true)
          else expect(Option.getOrThrow(decoded), name).toStrictEqual(expected.right)
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
        const expected = slow(input)
        const decoded = fast(input)
        if (Either.isLeft(expected)) {
          expect(Option.isNone(decoded), `${String(schema)} ${String(input)}`).toBe(true)
        } else {expect(Option.getOrThrow(decoded), `${String(schema)} ${String(input)}`).toStrictEqual(
            expected.right
          )}
      }
    }
  })

  it("decodes optionalWith(..., { as: \"Option\" }) fields, built directly, as Schema does", () => {
    class Inner extends Schema.Class<Inner>("test/FastDecode/Inner")({ n: Schema.Int }) {}
    const Model = Schema.Struct({
      nullable: Schema.optionalWith(Schema.String, { as: "Option", nullable: true }),
      exactNullable: Schema.optionalWith(Schema.String, { as: "Option", nullable: true, exact: true }),
      plain: Schema.optionalWith(Schema.Number, { as: "Option" }),
      exact: Schema.optionalWith(Schema.Number, { as: "Option", exact: true }),
      renamed: Schema.optionalWith(Inner, { as: "Option", nullable: true }).pipe(Schema.fromKey("re_named")),
      defaulted: Schema.optionalWith(Schema.String, { default: () => "d", nullable: true })
    })
    const fast = FastDecode.compile(Model)
    const slow = Schema.decodeUnknownEither(Model)
    const values: ReadonlyArray<unknown> = [
      null,
      undefined,
      "",
      "s",
      0,
      1.5,
      false,
      { n: 1 },
      { n: 1.5 },
      [],
      {}
    ]
    const keys = ["nullable", "exactNullable", "plain", "exact", "re_named", "defaulted"]
    for (const key of keys) {
      for (const value of [...values, "missing"]) {
        const input = value === "missing" ? {} : { [key]: value }
        const expected = slow(input)
        const decoded = fast(input)
        const label = `${key}: ${JSON.stringify(value) ?? "undefined"}`
        if (Either.isLeft(expected)) expect(Option.isNone(decoded), label).toBe(true)
        else expect(Option.getOrThrow(decoded), label).toStrictEqual(expected.right)
      }
    }
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
