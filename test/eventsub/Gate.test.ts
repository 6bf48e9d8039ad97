import { describe, expect, it } from "@effect/vitest"
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
})
