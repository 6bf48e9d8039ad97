/**
 * The spec loader: the copied spec stays as copied, every override says why and lands where it
 * says, and an override whose place is gone fails loudly instead of being skipped.
 */
import { describe, expect, it } from "@effect/vitest"
import * as HelixSpec from "../../src/spec/HelixSpec.js"

const schema = (document: HelixSpec.Document, name: string) =>
  HelixSpec.resolve({ $ref: `#/components/schemas/${name}` }, document)

describe("HelixSpec", () => {
  it("applies every override to a copy, each with a reason", () => {
    expect(HelixSpec.overrides.length).toBeGreaterThan(0)
    for (const entry of HelixSpec.overrides) expect(entry.why.length, entry.path).toBeGreaterThan(10)
    expect(schema(HelixSpec.spec, "CustomReward").properties?.["image"]?.nullable).toBe(true)
    expect(schema(HelixSpec.original, "CustomReward").properties?.["image"]?.nullable).toBeUndefined()
    const hype = schema(HelixSpec.spec, "GetHypeTrainStatusResponse")
    expect(Object.keys(hype.properties ?? {})).toEqual(["data"])
    expect(Object.keys(hype.properties?.["data"]?.items?.properties ?? {})).toEqual([
      "current",
      "all_time_high",
      "shared_all_time_high"
    ])
    const contributions = hype.properties?.["data"]?.items?.properties?.["current"]?.properties
      ?.["top_contributions"]
    const required = contributions?.items?.required ?? []
    expect(new Set(required).size).toBe(required.length)
  })

  it("lists all 144 operations with their methods and paths", () => {
    expect(HelixSpec.operations.length).toBe(144)
    const ban = HelixSpec.operations.find((o) => o.operation.operationId === "ban-user")
    expect(ban && [ban.method, ban.path]).toEqual(["POST", "/moderation/bans"])
  })

  it("fails naming an override whose place does not exist", () => {
    expect(() =>
      HelixSpec.applyOverrides(HelixSpec.original, [
        { op: "replace", path: "/components/schemas/NoSuchModel/required", value: [], why: "test" }
      ])
    ).toThrow(/NoSuchModel/)
  })
})
