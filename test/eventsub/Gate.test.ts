import { describe, expect, it } from "@effect/vitest"
import * as fc from "effect/FastCheck"
import * as Gate from "../../src/eventsub/internal/gate.js"

describe("the dedupe gate", () => {
  const at = "2026-12-03T10:00:00.123456789Z"
  const now = Date.parse(at)

  it("delivers a message once, refuses copies and messages older than the replay window", () => {
    const gate = Gate.make({ window: 100, maxAgeMillis: 600_000 })
    expect(gate.admit("a", at, now)).toBe("deliver")
    expect(gate.admit("a", at, now + 1000)).toBe("duplicate")
    expect(gate.admit("b", at, now + 600_001)).toBe("stale")
    expect(gate.admit("c", "not a time", now)).toBe("deliver")
  })

  it("keeps at most `window` ids, forgetting the oldest first", () => {
    const gate = Gate.make({ window: 100, maxAgeMillis: 600_000 })
    for (let i = 0; i < 1000; i++) expect(gate.admit(`m${i}`, at, now)).toBe("deliver")
    expect(gate.size()).toBeLessThanOrEqual(100)
    expect(gate.size()).toBeGreaterThanOrEqual(90)
    expect(gate.admit("m999", at, now)).toBe("duplicate")
    expect(gate.admit("m0", at, now)).toBe("deliver")
  })

  it("reads timestamps as Date.parse does (Twitch's nanosecond form by hand, anything else by Date.parse)", () => {
    const pad = (n: number, width: number) => String(n).padStart(width, "0")
    const twitchForm = fc.tuple(
      fc.integer({ min: 1970, max: 2100 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 28 }),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
      fc.stringMatching(/^[0-9]{0,9}$/)
    ).map(([y, mo, d, h, mi, s, fraction]) =>
      `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${
        fraction === "" ? "" : `.${fraction}`
      }Z`
    )
    fc.assert(fc.property(twitchForm, (t) => Gate.timestampMillis(t) === Date.parse(t)))
    for (
      const odd of [
        "not a time",
        "2026-13-03T10:00:00Z",
        "2026-12-03T10:00:00.Z",
        "2026-12-03 10:00:00Z",
        "0099-01-01T00:00:00Z",
        "2026-12-03T10:00:00+02:00",
        ""
      ]
    ) {
      expect(Gate.timestampMillis(odd)).toEqual(Date.parse(odd))
    }
  })
})
