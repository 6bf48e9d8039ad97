import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { conditionFor, findType } from "../../../src/cli/internal/events.js"
import * as Types from "../../../src/eventsub/generated/Types.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import { eventually, me, type Mock, startMock } from "../../eventsub/mock/support.js"
import { cli, jsonLines } from "../support.js"

/** Waits until the command's subscription exists on the mock, fires two events, returns the run. */
const fireTwo = <A>(mock: Mock, run: Fiber.Fiber<A>) =>
  Effect.gen(function*() {
    const sub = yield* eventually(
      Effect.map(mock.eventSub.control.subscriptions, (subs) => subs.find((s) => s.status === "enabled")),
      10_000
    )
    expect(sub.condition).toEqual({ broadcaster_user_id: me })
    yield* mock.eventSub.control.fire({ type: "stream.online", event: { id: "live-1" } })
    yield* mock.eventSub.control.fire({ type: "stream.online", event: { id: "live-2" } })
    return yield* Fiber.join(run)
  })

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

  it.scopedLive("prints live events of the built-in mock as JSON lines, and says how to fire them", () =>
    Effect.gen(function*() {
      const mock = yield* startMock()
      const run = yield* Effect.fork(
        cli(["events", "stream.online", "--json", "--limit", "2"]).pipe(
          Effect.provideService(MockTwitch.MockTwitch, mock)
        )
      )
      const result = yield* fireTwo(mock, run)
      expect(result.code).toBe(0)
      const lines = jsonLines(result)
      expect(lines.map((l) => [l["type"], (l["event"] as Record<string, unknown>)["id"]])).toEqual([
        ["stream.online", "live-1"],
        ["stream.online", "live-2"]
      ])
      expect(String((lines[0]!["event"] as Record<string, unknown>)["started_at"])).toMatch(
        /^\d{4}-\d\d-\d\dT/
      )
      expect(result.err).toContain(`curl -d '{"type":"stream.online"}' ${mock.eventSub.controlUrl}/fire`)
    }))

  it.scopedLive("prints events as text from a Twitch set through the environment (here the mock's URLs)", () =>
    Effect.gen(function*() {
      const mock = yield* startMock()
      const env = {
        TWITCH_CLIENT_ID: mock.credentials.clientId,
        TWITCH_TOKEN: mock.credentials.userToken,
        TWITCH_ID_URL: mock.http.idUrl,
        TWITCH_HELIX_URL: mock.http.helixUrl,
        TWITCH_EVENTSUB_WS_URL: mock.eventSub.wsUrl,
        TWITCHER_TOKEN_FILE: "/nonexistent/token.json"
      }
      const run = yield* Effect.fork(cli(["events", "stream.online", "--limit", "2"], { env }))
      const result = yield* fireTwo(mock, run)
      expect(result.code).toBe(0)
      expect(result.lines).toHaveLength(2)
      for (const line of result.lines) expect(line).toMatch(/^\d\d:\d\d:\d\d stream\.online .*type=live/)
      expect(result.err).not.toContain("curl")
    }))

  it.effect("refuses unknown and webhook-only types", () =>
    Effect.gen(function*() {
      const unknown = yield* cli(["events", "channel.nope", "--mock"])
      expect(unknown.code).toBe(2)
      expect(unknown.err).toContain("Unknown EventSub type channel.nope")
      const hook = yield* cli(["events", "user.authorization.grant", "--mock"])
      expect(hook.err).toContain("webhooks only")
      const app = yield* cli(["events", "conduit.shard.disabled", "--mock"])
      expect(app.err).toContain("webhooks only")
    }))
})
