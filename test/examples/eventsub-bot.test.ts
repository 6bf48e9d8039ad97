import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"

/** The EventSub bot as a newcomer runs it: no credentials, so on the built-in mock, which fires events. */
describe("examples/eventsub-bot.ts", () => {
  it("thanks the mock's follower and subscriber, counts the redemptions, and stops", () => {
    const env: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !key.startsWith("TWITCH_") && !key.startsWith("PYTWITCHER_")) {
        env[key] = value
      }
    }
    const run = spawnSync("npx", ["tsx", "examples/eventsub-bot.ts"], {
      env,
      encoding: "utf8",
      timeout: 80_000
    })
    expect(run.status, run.stderr).toBe(0)
    const lines = run.stdout.split("\n")
    expect(lines).toContain("said: Thank you for the follow, NewFollower!")
    expect(lines).toContain("said: Thank you for subscribing, NewSub (tier 2)!")
    expect(lines).toContain("Viewer redeemed \"Hydrate\" (2 so far)")
    expect(lines).toContain("Viewer redeemed \"Stretch\" (1 so far)")
    expect(lines.filter((l) => l === "[eventsub] Subscribed")).toHaveLength(3)
  }, 90_000)
})
