import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { conditionFor, findType } from "../../../src/cli/internal/events.js"
import * as Types from "../../../src/eventsub/generated/Types.js"
import { eventOf, eventually, scripted } from "../../eventsub/support/client.js"
import { cli, jsonLines } from "../support.js"

describe("twitcher events", () => {
  it("finds the newest version of a type, or the one named", () => {
    expect(findType("channel.follow")).toBe(Types.channelFollowV2)
    expect(findType("automod.message.hold")).toBe(Types.automodMessageHoldV2)
    expect(findType("automod.message.hold@1")).toBe(Types.automodMessageHoldV1)
    expect(findType("channel.nope")).toBeUndefined()
  })

  it("fills broadcaster fields with the broadcaster, moderator and user fields with the token's user", () => {
    const ids = { broadcaster: "100", user: "1" }
    expect(conditionFor(Types.channelFollowV2, ids, {})).toEqual({
      broadcaster_user_id: "100",
      moderator_user_id: "1"
    })
    expect(conditionFor(Types.channelChatMessageV1, ids, {})).toEqual({
      broadcaster_user_id: "100",
      user_id: "1"
    })
    expect(conditionFor(Types.channelChannelPointsCustomRewardRedemptionAddV1, ids, { reward_id: "r" }))
      .toEqual({ broadcaster_user_id: "100", reward_id: "r" })
  })

  it.scopedLive("prints live events as JSON lines (against a scripted Twitch set through the environment)", () =>
    Effect.gen(function*() {
      const server = yield* scripted
      const env = {
        TWITCH_CLIENT_ID: "scriptedclient",
        TWITCH_TOKEN: "scripted-user-token",
        TWITCH_ID_URL: server.idUrl,
        TWITCH_HELIX_URL: server.helixUrl,
        TWITCH_EVENTSUB_WS_URL: server.wsUrl,
        TWITCHER_TOKEN_FILE: "/nonexistent/token.json"
      }
      const run = yield* Effect.fork(cli(["events", "stream.online", "--json", "--limit", "2"], { env }))
      const sub = yield* eventually(() => server.enabled()[0])
      expect(sub.condition).toEqual({ broadcaster_user_id: "1" })
      server.notify(sub, eventOf("stream.online", "1", { id: "live-1" }))
      server.notify(sub, eventOf("stream.online", "1", { id: "live-2" }))
      const result = yield* Fiber.join(run)
      expect(result.code).toBe(0)
      const lines = jsonLines(result)
      expect(lines.map((l) => [l["type"], (l["event"] as Record<string, unknown>)["id"]])).toEqual([
        ["stream.online", "live-1"],
        ["stream.online", "live-2"]
      ])
      expect((lines[0]!["event"] as Record<string, unknown>)["started_at"]).toBe("2026-12-03T10:11:12.123Z")
    }))

  it.effect("refuses unknown and webhook-only types", () =>
    Effect.gen(function*() {
      const unknown = yield* cli(["events", "channel.nope", "--mock"])
      expect(unknown.code).toBe(2)
      expect(unknown.err).toContain("Unknown EventSub type channel.nope")
      const hook = yield* cli(["events", "user.authorization.grant", "--mock"])
      expect(hook.err).toContain("webhooks only")
    }))
})
