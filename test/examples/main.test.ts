import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"

/** `npm start` as a newcomer runs it: no credentials, so against the built-in mock Twitch. */
describe("npm start (the main job)", () => {
  it("runs the whole tour against the mock and exits 0", () => {
    const env: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && !key.startsWith("TWITCH_") && !key.startsWith("PYTWITCHER_")) {
        env[key] = value
      }
    }
    env["NO_COLOR"] = "1"
    const run = spawnSync("npx", ["tsx", "examples/main.ts"], { env, encoding: "utf8", timeout: 60_000 })
    expect(run.status, run.stderr).toBe(0)
    const out = run.stdout
    for (
      const heading of [
        "against the built-in mock Twitch",
        "== Top games",
        "== Live streams of ",
        "== Channel ",
        "== Playlist qualities of ",
        "== Followed streams",
        "== Chat #",
        " over IRC",
        " over EventSub",
        "joined #",
        "messages shown)",
        "✓ sent as message",
        "== Done"
      ]
    ) {
      expect(out).toContain(heading)
    }
    expect(out).toContain("every section ran")
    // Chat over both ways to Twitch: each sent one message.
    expect(out.split("✓ sent as message").length - 1).toBe(2)
    // A few dozen chat messages over each, each a line with a time and a name.
    const chatLines = (from: string, to: string) =>
      out.slice(out.indexOf(from), out.indexOf(to, out.indexOf(from))).split("\n").filter((l) =>
        /^ {2}\d\d:\d\d:\d\d /.test(l)
      )
    expect(chatLines(" over IRC", " over EventSub").length).toBeGreaterThanOrEqual(20)
    expect(chatLines(" over EventSub", "== Done").length).toBeGreaterThanOrEqual(20)
    // Piped output carries no color codes.
    expect(out).not.toContain("\u001b[")
  }, 90_000)
})
