import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Definition from "../../src/eventsub/Definition.js"
import * as Types from "../../src/eventsub/generated/Types.js"
import * as FastDecode from "../../src/helix/FastDecode.js"
import { sampleEvent, types } from "./support/samples.js"

const find = (type: string, version: string): Definition.Any | undefined =>
  Types.all.find((d) => d.type === type && d.version === version)

describe("generated EventSub types", () => {
  it("has a definition for every type and version of the facts file, and no other", () => {
    const missing = types.filter((t) => find(t.type, t.version) === undefined).map((t) =>
      `${t.type}@${t.version}`
    )
    expect(missing).toEqual([])
    expect(Types.all.length).toBe(types.length)
    expect(new Set(Types.all.map((d) => Definition.key(d.type, d.version))).size).toBe(types.length)
  })

  for (const t of types) {
    describe(`${t.type}@${t.version}`, () => {
      const definition = find(t.type, t.version)
      it("decodes a payload with every field, and one with only the required ones", () => {
        expect(definition).toBeDefined()
        if (definition === undefined) return
        for (const mode of ["full", "sparse"] as const) {
          const payload = sampleEvent(t, mode)
          const decoded: Either.Either<unknown, ParseResult.ParseError> = Definition.decodeEvent(
            definition,
            payload
          )
          if (Either.isLeft(decoded)) expect.fail(`${mode}: ${decoded.left.message}`)
          // the fast decoder agrees with Schema's own
          const fast = FastDecode.compile(definition.event)(payload)
          const slow = Schema.decodeUnknownSync(definition.event)(payload)
          expect(Option.isSome(fast)).toBe(true)
          expect(Option.getOrThrow(fast)).toEqual(slow)
          expect(Object.getPrototypeOf(Option.getOrThrow(fast))).toBe(Object.getPrototypeOf(slow))
        }
      })

      it("refuses a payload with a required field missing", () => {
        if (definition === undefined) return expect.fail("no definition")
        const required = Object.entries(t.event).find(([, f]) => f.nullable !== true && f.optional !== true)
        if (required === undefined) return
        const { [required[0]]: _dropped, ...rest } = sampleEvent(t, "full")
        expect(Either.isLeft(Definition.decodeEvent(definition, rest))).toBe(true)
      })

      it("encodes its condition to Twitch's names and reads it back", () => {
        if (definition === undefined) return expect.fail("no definition")
        const wire = Object.fromEntries(
          Object.keys(t.condition).slice(0, 1).map((name) => [name, "12345"])
        )
        const read = Definition.decodeCondition(definition, wire)
        // a condition whose first field is not required alone (raid: one of two) may not read;
        // every other one must round-trip to the same wire names and values
        if (Option.isNone(read)) {
          expect(t.conditionRequired.length > 1 || t.type === "channel.ad_break.begin").toBe(true)
          return
        }
        expect(Either.getOrThrow(Definition.encodeCondition(definition, read.value))).toEqual(wire)
      })
    })
  }

  it("sends channel.ad_break.begin's condition as broadcaster_user_id (Twitch's examples, Twurple)", () => {
    const wire = Definition.encodeCondition(Types.channelAdBreakBeginV1, { broadcasterUserId: "1" })
    expect(Either.getOrThrow(wire)).toEqual({ broadcaster_user_id: "1" })
  })

  it("takes either raid direction, not neither", () => {
    expect(Either.getOrThrow(Definition.encodeCondition(Types.channelRaidV1, { toBroadcasterUserId: "9" })))
      .toEqual({ to_broadcaster_user_id: "9" })
    expect(Option.isNone(Definition.decodeCondition(Types.channelRaidV1, {}))).toBe(true)
  })

  it("accepts the forms Twitch's examples show where its reference says otherwise", () => {
    const ad = Definition.decodeEvent(Types.channelAdBreakBeginV1, {
      ...sampleEvent(types.find((t) => t.type === "channel.ad_break.begin")!),
      duration_seconds: "60",
      is_automatic: "false"
    })
    expect(Either.map(ad, (e) => [e.durationSeconds, e.isAutomatic])).toEqual(Either.right([60, false]))
    const hold = Definition.decodeEvent(Types.automodMessageHoldV1, {
      ...sampleEvent(types.find((t) => t.type === "automod.message.hold" && t.version === "1")!),
      message: "hello"
    })
    expect(Either.map(hold, (e) => [e.message.text, e.message.fragments])).toEqual(
      Either.right(["hello", []])
    )
    const drop = types.find((t) => t.type === "drop.entitlement.grant")!
    const one = Definition.decodeEvent(Types.dropEntitlementGrantV1, sampleEvent(drop))
    expect(Either.map(one, (e) => e.data.length)).toEqual(Either.right(1))
  })
})
