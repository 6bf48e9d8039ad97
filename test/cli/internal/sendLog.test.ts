import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as SendLog from "../../../src/cli/internal/sendLog.js"

const sends = (login: string, channel: string, times: ReadonlyArray<number>) =>
  times.reduce<SendLog.Log>((log, t) => SendLog.withSend(log, login, channel, t), {})

describe("chat send log", () => {
  it("waits out the 1 s per channel gap of a plain user, not in other channels nor when elevated", () => {
    const log = sends("me", "a", [10_000])
    expect(SendLog.delayFor(log, "me", "a", 10_300, SendLog.userLimits)).toBe(700)
    expect(SendLog.delayFor(log, "me", "a", 11_000, SendLog.userLimits)).toBe(0)
    expect(SendLog.delayFor(log, "me", "b", 10_300, SendLog.userLimits)).toBe(0)
    expect(SendLog.delayFor(log, "me", "a", 10_300, SendLog.elevatedLimits)).toBe(0)
    expect(SendLog.delayFor(log, "someone else", "a", 10_300, SendLog.userLimits)).toBe(0)
  })

  it("waits until the oldest of 20 sends in the last 30 s leaves the window", () => {
    const times = Array.from({ length: 20 }, (_, i) => 1_000 + i * 100) // 1.0 s .. 2.9 s
    const log = times.reduce<SendLog.Log>((l, t, i) => SendLog.withSend(l, "me", `c${i}`, t), {})
    expect(SendLog.delayFor(log, "me", "new", 3_000, SendLog.userLimits)).toBe(28_000)
    expect(SendLog.delayFor(log, "me", "new", 31_000, SendLog.userLimits)).toBe(0)
    // 19 in the window: a send is allowed now.
    const nineteen = times.slice(1).reduce<SendLog.Log>(
      (l, t, i) => SendLog.withSend(l, "me", `c${i}`, t),
      {}
    )
    expect(SendLog.delayFor(nineteen, "me", "new", 3_000, SendLog.userLimits)).toBe(0)
  })

  it("drops entries older than the window", () => {
    const log = SendLog.withSend(sends("me", "a", [1_000, 2_000]), "me", "b", 40_000)
    expect(log["me"]).toEqual({ recent: [40_000], channels: { b: 40_000 } })
  })

  it.effect("records through the file: another run sees the send; a broken file is an empty log", () =>
    Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "twitcher-sendlog-"))
      const path = SendLog.pathFor(Path.join(dir, "sub", "token.json"))
      try {
        expect(yield* SendLog.load(path)).toEqual({})
        yield* SendLog.record(path, "me", "a", 5_000)
        yield* SendLog.record(path, "me", "b", 5_500)
        const log = yield* SendLog.load(path)
        expect(log["me"]).toEqual({ recent: [5_000, 5_500], channels: { a: 5_000, b: 5_500 } })
        expect(Fs.statSync(path).mode & 0o077).toBe(0)
        Fs.writeFileSync(path, "{not json")
        expect(yield* SendLog.load(path)).toEqual({})
      } finally {
        Fs.rmSync(dir, { recursive: true, force: true })
      }
    }).pipe(Effect.provide(NodeFileSystem.layer)))
})
