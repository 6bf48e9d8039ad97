import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Playlist from "../../src/playlist/Playlist.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import { TWITCH_WEB_CLIENT_ID } from "../../src/TwitchConfig.js"
import { isTwitchError } from "../../src/TwitchError.js"
import * as FakeTwitch from "./fakeTwitch.js"
import { fixture } from "./fixtures.js"

const withPlaylist = (options: Playlist.Playlist.Options = {}) =>
  Playlist.layer(options).pipe(Layer.provideMerge(FakeTwitch.layer))

describe("Playlist against a loopback Twitch", () => {
  it.scopedLive("gets a live token with the persisted query, web client id and player headers", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      const token = yield* playlist.accessToken("LiveV2")
      expect(token.kind).toBe("live")
      expect(token.target).toBe("livev2")
      expect(token.signature).toBe("5iglivev2")
      expect(token.expiresAt).toEqual(Option.some(new Date(1790001200 * 1000)))
      expect(token.details.channel).toEqual(Option.some("livev2"))
      const [gql] = yield* FakeTwitch.seen
      expect(gql!.headers["client-id"]).toBe(TWITCH_WEB_CLIENT_ID)
      expect(gql!.headers["origin"]).toBe("https://player.twitch.tv")
      expect(gql!.headers["user-agent"]).toContain("effect-twitcher")
      expect(gql!.headers["authorization"]).toBeUndefined()
      expect(JSON.parse(gql!.body)).toEqual({
        operationName: "PlaybackAccessToken",
        extensions: { persistedQuery: { version: 1, sha256Hash: Playlist.PERSISTED_QUERY_HASH } },
        variables: {
          isLive: true,
          login: "livev2",
          isVod: false,
          vodID: "",
          playerType: "embed",
          platform: "site"
        }
      })
    }).pipe(Effect.provide(withPlaylist())))

  it.scopedLive("sends the caller's client id, auth and integrity headers, or the template query", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      yield* playlist.accessToken("integrity", { headers: { "X-Extra": "1" } })
      const [gql] = yield* FakeTwitch.seen
      expect(gql!.headers["client-id"]).toBe("otherclient")
      expect(gql!.headers["authorization"]).toBe("OAuth webcookie")
      expect(gql!.headers["client-integrity"]).toBe("v4.public.xyz")
      expect(gql!.headers["device-id"]).toBe("dev1")
      expect(gql!.headers["x-extra"]).toBe("1")
      const body = JSON.parse(gql!.body)
      expect(body.operationName).toBe("PlaybackAccessToken_Template")
      expect(body.query).toBe(Playlist.TEMPLATE_QUERY)
      expect(body.variables.playerType).toBe("site")
    }).pipe(Effect.provide(withPlaylist({
      clientId: "otherclient",
      authToken: Redacted.make("webcookie"),
      clientIntegrity: Redacted.make("v4.public.xyz"),
      deviceId: "dev1",
      query: "template"
    }))))

  it.scopedLive("reports a failed integrity check as an HttpError with Twitch's message", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      const error = yield* Effect.flip(playlist.accessToken("integrity"))
      expect(error._tag).toBe("HttpError")
      if (error._tag !== "HttpError") return
      expect(error.status).toBe(401)
      expect(error.twitchMessage).toBe("failed integrity check")
      expect(error.request.url).toMatch(/\/gql$/)
    }).pipe(Effect.provide(withPlaylist())))

  it.scopedLive("fetches and parses a live master playlist in both shapes to the same variants", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      const v1 = yield* playlist.masterPlaylist("livev1")
      const v2 = yield* playlist.masterPlaylist("livev2")
      expect(v1.shape).toBe("media")
      expect(v2.shape).toBe("ivs")
      const names = ["1080p60", "720p60", "480p", "360p", "160p", "audio_only"]
      expect(v1.variants.map((v) => v.name)).toEqual(names)
      expect(v2.variants.map((v) => v.name)).toEqual(names)
      expect(v2.variants.map((v) => v.isSource)).toEqual(v1.variants.map((v) => v.isSource))
      const requests = yield* FakeTwitch.seen
      const usher = requests.filter((r) => r.path.startsWith("/api/v2/channel/hls/"))
      expect(usher.map((r) => r.path)).toEqual([
        "/api/v2/channel/hls/livev1.m3u8",
        "/api/v2/channel/hls/livev2.m3u8"
      ])
      const params = usher[0]!.params
      expect(params.get("platform")).toBe("web")
      expect(Number(params.get("p"))).toBeGreaterThanOrEqual(0)
      expect(Number(params.get("p"))).toBeLessThanOrEqual(999998)
      expect(params.get("allow_source")).toBe("true")
      expect(params.get("allow_audio_only")).toBe("true")
      expect(params.get("playlist_include_framerate")).toBe("true")
      expect(params.get("supported_codecs")).toBe("h264")
      expect(params.get("fast_bread")).toBe("true")
      expect(params.get("sig")).toBe("5iglivev1")
      expect(JSON.parse(params.get("token")!).channel).toBe("livev1")
      expect(Option.getOrThrow(v1.url)).toContain("/api/v2/channel/hls/livev1.m3u8?")
    }).pipe(Effect.provide(withPlaylist())))

  it.scopedLive("passes configured codecs, per layer and per call", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      yield* playlist.masterPlaylist("livev2")
      yield* playlist.masterPlaylist("livev2", { supportedCodecs: ["h264"] })
      const usher = (yield* FakeTwitch.seen).filter((r) => r.method === "GET")
      expect(usher.map((r) => r.params.get("supported_codecs"))).toEqual(["av1,h265,h264", "h264"])
    }).pipe(Effect.provide(withPlaylist({ supportedCodecs: ["av1", "h265", "h264"] }))))

  it.scopedLive("fetches a VOD token and master playlist (nauth/nauthsig), both shapes", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      const token = yield* playlist.vodAccessToken("2200000001")
      expect(token.kind).toBe("vod")
      expect(token.details.vodId).toEqual(Option.some("2200000001"))
      const v1 = yield* playlist.vodPlaylist("2200000001")
      const v2 = yield* playlist.vodPlaylist("2200000002")
      expect(v1.variants.map((v) => v.quality)).toEqual(["source", "720p60", "480p", "160p", "audio"])
      expect(v2.variants).toEqual(v1.variants)
      const requests = yield* FakeTwitch.seen
      const gql = JSON.parse(requests[0]!.body)
      expect(gql.variables).toMatchObject({ isLive: false, login: "", isVod: true, vodID: "2200000001" })
      expect(requests[0]!.headers["origin"]).toBeUndefined()
      const usher = requests.find((r) => r.path === "/vod/v2/2200000001.m3u8")!
      expect(usher.params.get("nauthsig")).toBe("v0d")
      expect(JSON.parse(usher.params.get("nauth")!).vod_id).toBe(2200000001)
      expect(usher.params.has("sig")).toBe(false)
      const choice = yield* playlist.vodVariant("2200000002", "audio")
      expect(choice.name).toBe("audio_only")
    }).pipe(Effect.provide(withPlaylist())))

  it.scopedLive("fails with ChannelOffline for a null token, a usher 404, and a missing VOD", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      const offline = yield* Effect.flip(playlist.masterPlaylist("nobodyhome"))
      expect(offline).toMatchObject({ _tag: "ChannelOffline", channel: "nobodyhome", vod: false })
      expect(isTwitchError(offline)).toBe(true)
      // Only the token was asked for.
      expect((yield* FakeTwitch.seen).length).toBe(1)
      const lagging = yield* Effect.flip(playlist.qualityOptions("lagging"))
      expect(lagging).toMatchObject({ _tag: "ChannelOffline", channel: "lagging" })
      const vod = yield* Effect.flip(playlist.vodPlaylist("404"))
      expect(vod).toMatchObject({ _tag: "ChannelOffline", channel: "404", vod: true })
      expect(vod.message).toContain("VOD 404")
    }).pipe(Effect.provide(withPlaylist())))

  it.scopedLive("fails with GeoBlocked on usher's content_geoblocked 403", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      const error = yield* Effect.flip(playlist.variant("geoblocked", "best"))
      expect(error).toMatchObject({
        _tag: "GeoBlocked",
        channel: "geoblocked",
        reason: "Content Restricted In Region"
      })
    }).pipe(Effect.provide(withPlaylist())))

  it.scopedLive("fails with DecodeError when usher answers something that is not a master playlist", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      const error = yield* Effect.flip(playlist.masterPlaylist("garbage"))
      expect(error._tag).toBe("DecodeError")
      if (error._tag !== "DecodeError") return
      // The usher URL in the report has no token or signature.
      expect(error.request?.url).toMatch(/\/api\/v2\/channel\/hls\/garbage\.m3u8$/)
    }).pipe(Effect.provide(withPlaylist())))

  it.scopedLive("lists quality options source first, audio last", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      expect(yield* playlist.qualityOptions("livev1")).toEqual([
        "source",
        "720p60",
        "480p",
        "360p",
        "160p",
        "audio"
      ])
      expect(yield* playlist.qualityOptions("subonly")).toEqual(["720p60", "480p", "360p", "160p", "audio"])
    }).pipe(Effect.provide(withPlaylist())))

  it.scopedLive("selects a variant at or below the request, and reports restricted or unavailable ones", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      const best = yield* playlist.variant("livev2", "best")
      expect(best.name).toBe("1080p60")
      expect(best.url).toBe("https://use14.playlist.live-video.net/v1/playlist/CqkFsource.m3u8")
      expect((yield* playlist.variant("livev1", "720p")).name).toBe("480p")
      expect((yield* playlist.variant("livev1", "source")).name).toBe("1080p60")
      expect((yield* playlist.variant("subonly", "best")).name).toBe("720p60")

      const master = yield* playlist.masterPlaylist("subonly")
      expect(master.restrictedQualities).toEqual(["1080p60"])
      const restricted = yield* Effect.flip(playlist.variant("subonly", "1080p60"))
      expect(restricted).toMatchObject({
        _tag: "QualityRestricted",
        channel: "subonly",
        quality: "1080p60",
        reason: "SubscriberOnly",
        available: ["720p60", "480p", "360p", "160p", "audio"]
      })
      const tooLow = yield* Effect.flip(playlist.variant("livev1", "144p"))
      expect(tooLow).toMatchObject({ _tag: "QualityRestricted", reason: "Unavailable" })
      expect(tooLow.message).toContain("not offered")
    }).pipe(Effect.provide(withPlaylist())))

  it.live("fails with TransportError when nothing listens", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      const error = yield* Effect.flip(playlist.masterPlaylist("livev1"))
      expect(error._tag).toBe("TransportError")
    }).pipe(
      Effect.provide(
        Playlist.layer({ timeout: "5 seconds" }).pipe(
          Layer.provide(NodeHttpClient.layerUndici),
          Layer.provide(
            TwitchConfig.layer({
              clientId: "x",
              gqlUrl: "http://127.0.0.1:9/gql",
              usherUrl: "http://127.0.0.1:9"
            })
          )
        )
      )
    ))
})

describe("Playlist.layerTest", () => {
  it.effect("serves given playlists with the real parsing and selection", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      expect(yield* playlist.qualityOptions("alice")).toEqual([
        "source",
        "720p60",
        "480p",
        "360p",
        "160p",
        "audio"
      ])
      expect((yield* playlist.vodVariant("7", "480p")).name).toBe("480p")
      expect(yield* Effect.flip(playlist.masterPlaylist("bob"))).toMatchObject({ _tag: "ChannelOffline" })
      expect(yield* Effect.flip(playlist.masterPlaylist("carol"))).toMatchObject({ _tag: "GeoBlocked" })
      expect(yield* Effect.flip(playlist.variant("dave", "1080p60"))).toMatchObject({
        _tag: "QualityRestricted",
        reason: "SubscriberOnly"
      })
      expect(yield* Effect.flip(playlist.masterPlaylist("constructor"))).toMatchObject({
        _tag: "ChannelOffline"
      })
    }).pipe(Effect.provide(Playlist.layerTest({
      live: {
        alice: fixture("live-usher-v1.m3u8"),
        carol: fixture("live-usher-v1.m3u8"),
        dave: fixture("live-usher-v2-media.m3u8").replace(/.*1080p60.*\n.*\n/g, "")
      },
      vods: { "7": fixture("vod-usher-v2.m3u8") },
      restricted: { dave: ["1080p60"] },
      geoBlocked: ["carol"]
    }))))
})
