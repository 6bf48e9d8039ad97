import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as PlaybackAccessToken from "../../src/playlist/PlaybackAccessToken.js"

// Shape of a live token `value` as observed (streamlink's fixtures and issue #5590).
const liveValue = JSON.stringify({
  adblock: false,
  authorization: { forbidden: false, reason: "" },
  blackout_enabled: false,
  channel: "somechannel",
  channel_id: 123456789,
  chansub: { restricted_bitrates: ["1080p60"], view_until: 1924905600 },
  ci_gb: false,
  geoblock_reason: "",
  device_id: null,
  expires: 1790001200,
  extended_history_allowed: false,
  game: "",
  hide_ads: false,
  https_required: true,
  mature: false,
  partner: false,
  platform: "web",
  player_type: "embed",
  private: { allowed_to_view: true },
  privileged: false,
  role: "",
  server_ads: true,
  show_ads: true,
  subscriber: false,
  turbo: false,
  user_id: null,
  user_ip: "203.0.113.7",
  version: 2
})

const vodValue = JSON.stringify({
  authorization: { forbidden: false, reason: "" },
  chansub: { restricted_bitrates: [] },
  device_id: null,
  expires: 1790001200,
  https_required: true,
  privileged: false,
  user_id: null,
  version: 2,
  vod_id: 2200000001
})

describe("PlaybackAccessToken", () => {
  it.effect("decodes what a live token says", () =>
    Effect.gen(function*() {
      const token = yield* PlaybackAccessToken.make({
        kind: "live",
        target: "somechannel",
        value: liveValue,
        signature: "ab12"
      })
      expect(token.restrictedQualities).toEqual(["1080p60"])
      expect(token.expiresAt).toEqual(Option.some(new Date(1790001200 * 1000)))
      expect(token.details.channel).toEqual(Option.some("somechannel"))
      expect(token.details.channelId).toEqual(Option.some("123456789"))
      expect(token.details.userId).toEqual(Option.none())
      expect(token.details.playerType).toEqual(Option.some("embed"))
      expect(token.details.forbidden).toEqual(Option.none())
      expect(token.value).toBe(liveValue)
    }))

  it.effect("decodes a VOD token (different fields)", () =>
    Effect.gen(function*() {
      const token = yield* PlaybackAccessToken.make({
        kind: "vod",
        target: "2200000001",
        value: vodValue,
        signature: "cd"
      })
      expect(token.details.vodId).toEqual(Option.some("2200000001"))
      expect(token.restrictedQualities).toEqual([])
      expect(token.details.channel).toEqual(Option.none())
    }))

  it.effect("reports a forbidden token and its reason", () =>
    Effect.gen(function*() {
      const details = yield* PlaybackAccessToken.decodeDetails(
        JSON.stringify({
          authorization: { forbidden: true, reason: "anonymizer_blocked" },
          geoblock_reason: "anonymizer_blocked"
        })
      )
      expect(details.forbidden).toEqual(Option.some("anonymizer_blocked"))
      expect(details.geoblockReason).toEqual(Option.some("anonymizer_blocked"))
      expect(details.restrictedBitrates).toEqual([])
    }))

  it.effect("fails with DecodeError when the value is not JSON or has wrong types", () =>
    Effect.gen(function*() {
      const notJson = yield* Effect.flip(PlaybackAccessToken.decodeDetails("not json"))
      expect(notJson._tag).toBe("DecodeError")
      const wrong = yield* Effect.flip(PlaybackAccessToken.decodeDetails(JSON.stringify({ expires: "soon" })))
      expect(wrong.detail).toContain("expires")
    }))
})
