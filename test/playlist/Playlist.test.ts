import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Playlist from "../../src/playlist/Playlist.js"
import * as MockWorld from "../../src/testing/mock/World.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import { TWITCH_WEB_CLIENT_ID } from "../../src/TwitchConfig.js"
import * as FakeTwitch from "./fakeTwitch.js"
import { enhancedOptions, fixture, multiCodecOptions, withoutWireIds } from "./fixtures.js"

const withPlaylist = (options: Playlist.Playlist.Options = {}) =>
  Playlist.layer(options).pipe(Layer.provideMerge(FakeTwitch.layer))

const onMock = (options: Playlist.Playlist.Options = {}) =>
  Playlist.layer(options).pipe(
    Layer.provideMerge(MockTwitch.layerTwitchConfig),
    Layer.provideMerge(MockTwitch.layer({ irc: false })),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/** A live stream of the mock world matching `f`, with its login. */
const liveWhere = (f: (s: MockWorld.LiveStream) => boolean) =>
  Effect.gen(function*() {
    const mock = yield* MockTwitch.MockTwitch
    const stream = (yield* mock.world.streams).find(f)!
    const user = Option.getOrThrow(yield* mock.world.userById(stream.userId))
    return { stream, login: user.login, mock }
  })

const plain = (s: MockWorld.LiveStream) => !s.geoBlocked && s.restrictedQualities.length === 0
const fullLadderNames = MockWorld.qualityLadders.full.map((q) => q.name)

describe("Playlist against MockTwitch", () => {
  it.scopedLive("gets a live channel's access token", () =>
    Effect.gen(function*() {
      const { login } = yield* liveWhere(plain)
      const playlist = yield* Playlist.Playlist
      const token = yield* playlist.accessToken(login.toUpperCase())
      expect(token.kind).toBe("live")
      expect(token.target).toBe(login)
      expect(token.signature).not.toBe("")
      expect(token.details.channel).toEqual(Option.some(login))
      expect(token.restrictedQualities).toEqual([])
      const expires = Option.getOrThrow(token.expiresAt).getTime()
      expect(expires).toBeGreaterThan(Date.now())
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("parses the live master playlist in both usher shapes to the same variants", () =>
    Effect.gen(function*() {
      const { login, mock, stream } = yield* liveWhere((s) => plain(s) && s.qualities.length > 2)
      const playlist = yield* Playlist.Playlist
      yield* mock.control.setUsherShape("v1")
      const v1 = yield* playlist.masterPlaylist(login)
      yield* mock.control.setUsherShape("v2")
      const v2 = yield* playlist.masterPlaylist(login)
      expect(v1.shape).toBe("media")
      expect(v2.shape).toBe("ivs")
      expect(v1.variants.map((v) => v.name)).toEqual(stream.qualities.map((q) => q.name))
      expect(withoutWireIds(v2.variants)).toEqual(withoutWireIds(v1.variants))
      const source = v1.variants[0]!
      expect(source.isSource).toBe(true)
      expect(source.quality).toBe("source")
      expect(Option.getOrThrow(source.resolution)).toMatchObject({ width: 1920, height: 1080 })
      expect(source.frameRate).toEqual(Option.some(60))
      expect(source.bandwidth).toBe(8_042_999)
      expect(source.codecs).toEqual(["avc1.64002A", "mp4a.40.2"])
      expect(source.url.startsWith(mock.http.baseUrl)).toBe(true)
      expect(v1.variants.at(-1)!.isAudioOnly).toBe(true)
      expect(v1.info["USER-COUNTRY"]).toBe("US")
      expect(v2.info["NODE"]).toBe("video-edge-mock.loopback")
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("gets a VOD's token and master playlist in both shapes", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const vod = (yield* mock.world.snapshot).vods.find((v) =>
        !v.geoBlocked && v.restrictedQualities.length === 0
      )!
      const playlist = yield* Playlist.Playlist
      const token = yield* playlist.vodAccessToken(vod.id)
      expect(token.kind).toBe("vod")
      expect(token.details.vodId).toEqual(Option.some(vod.id))
      yield* mock.control.setUsherShape("v1")
      const v1 = yield* playlist.vodPlaylist(vod.id)
      yield* mock.control.setUsherShape("v2")
      const v2 = yield* playlist.vodPlaylist(vod.id)
      // The v1 VOD source is NAME="Source"; the v2 VOD audio is IVS-NAME="audio".
      expect(v1.variants.map((v) => v.name)).toEqual(fullLadderNames)
      expect(withoutWireIds(v2.variants)).toEqual(withoutWireIds(v1.variants))
      expect((yield* playlist.vodVariant(vod.id, "audio")).name).toBe("audio_only")
      expect((yield* playlist.vodVariant(vod.id, "source")).name).toBe("1080p60")
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("fails with ChannelOffline for an offline or unknown channel, a missing VOD, a stream that just ended", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const playlist = yield* Playlist.Playlist
      const offline = yield* Effect.flip(playlist.masterPlaylist(mock.defaultUser.login))
      expect(offline).toMatchObject({ _tag: "ChannelOffline", channel: mock.defaultUser.login, vod: false })
      const unknown = yield* Effect.flip(playlist.qualityOptions("nosuchchannel0000"))
      expect(unknown).toMatchObject({ _tag: "ChannelOffline", channel: "nosuchchannel0000" })
      const vod = yield* Effect.flip(playlist.vodPlaylist("1"))
      expect(vod).toMatchObject({ _tag: "ChannelOffline", channel: "1", vod: true })
      // GQL said live, then the stream ended: usher answers 404.
      const { login, stream } = yield* liveWhere(plain)
      const token = yield* playlist.accessToken(login)
      yield* mock.world.endStream(stream.userId)
      const ended = yield* Effect.flip(playlist.fetchMaster(token))
      expect(ended).toMatchObject({ _tag: "ChannelOffline", channel: login })
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("fails with GeoBlocked for a geo-blocked channel and VOD", () =>
    Effect.gen(function*() {
      const { login, mock } = yield* liveWhere((s) => s.geoBlocked)
      const playlist = yield* Playlist.Playlist
      const token = yield* playlist.accessToken(login)
      expect(token.details.geoblockReason).toEqual(Option.some("content_geoblocked"))
      const error = yield* Effect.flip(playlist.variant(login, "best"))
      expect(error).toMatchObject({
        _tag: "GeoBlocked",
        channel: login,
        reason: "Content Restricted In Region"
      })
      const vod = (yield* mock.world.snapshot).vods.find((v) => v.geoBlocked)!
      expect(yield* Effect.flip(playlist.vodPlaylist(vod.id))).toMatchObject({
        _tag: "GeoBlocked",
        channel: vod.id,
        vod: true
      })
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("reports subscriber-only qualities as QualityRestricted and falls back for best", () =>
    Effect.gen(function*() {
      const { login, stream } = yield* liveWhere((s) => s.restrictedQualities.length > 0)
      const playlist = yield* Playlist.Playlist
      const master = yield* playlist.masterPlaylist(login)
      expect(master.restrictedQualities).toEqual(stream.restrictedQualities)
      for (const name of stream.restrictedQualities) {
        expect(master.variants.map((v) => v.name)).not.toContain(name)
        const error = yield* Effect.flip(playlist.variant(login, name))
        expect(error).toMatchObject({
          _tag: "QualityRestricted",
          channel: login,
          quality: name,
          reason: "SubscriberOnly"
        })
        expect(error.message).toContain("subscriber-only")
      }
      const best = yield* playlist.variant(login, "best")
      expect(stream.restrictedQualities).not.toContain(best.name)
      expect(yield* playlist.qualityOptions(login)).toEqual(
        fullLadderNames.filter((q) => !stream.restrictedQualities.includes(q))
      )
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("gives a subscriber (caller-supplied auth token) the restricted qualities", () =>
    Effect.gen(function*() {
      const { login, stream } = yield* liveWhere((s) => s.restrictedQualities.length > 0)
      const playlist = yield* Playlist.Playlist
      for (const name of stream.restrictedQualities) {
        expect((yield* playlist.variant(login, name)).name).toBe(name)
      }
    }).pipe(Effect.provide(onMock({ authToken: Redacted.make(MockTwitch.credentials.userToken) }))))

  it.scopedLive("lists quality options and picks the best variant at or below a quality", () =>
    Effect.gen(function*() {
      const { login } = yield* liveWhere((s) => plain(s) && s.qualities.length > 2)
      const playlist = yield* Playlist.Playlist
      expect(yield* playlist.qualityOptions(login)).toEqual(fullLadderNames)
      expect(fullLadderNames.at(-1)).toBe("audio_only")
      expect((yield* playlist.variant(login, "source")).name).toBe("1080p60")
      expect((yield* playlist.variant(login, "720p60")).name).toBe("720p60")
      expect((yield* playlist.variant(login, "720p")).name).toBe("480p")
      expect((yield* playlist.variant(login, "1080p30")).name).toBe("720p60")
      expect((yield* playlist.variant(login, "worst")).name).toBe(fullLadderNames.at(-2))
      expect((yield* playlist.variant(login, "audio")).isAudioOnly).toBe(true)
      const none = yield* Effect.flip(playlist.variant(login, "100p"))
      expect(none).toMatchObject({ _tag: "QualityRestricted", reason: "Unavailable" })
      const sourceOnly = yield* liveWhere((s) => plain(s) && s.qualities.length === 2)
      expect(yield* playlist.qualityOptions(sourceOnly.login)).toEqual(["1080p60", "audio_only"])
      // Nothing at or below 480p on a stream without transcodes: the source is not silently picked.
      expect(yield* Effect.flip(playlist.variant(sourceOnly.login, "480p"))).toMatchObject({
        _tag: "QualityRestricted",
        reason: "Unavailable",
        available: ["1080p60", "audio_only"]
      })
      expect((yield* playlist.variant(sourceOnly.login, "best")).name).toBe("1080p60")
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("maps a usher 5xx to HttpError and a dropped GQL connection to TransportError", () =>
    Effect.gen(function*() {
      const { login, mock } = yield* liveWhere(plain)
      const playlist = yield* Playlist.Playlist
      yield* mock.control.failWith(503, { surface: "usher" })
      expect(yield* Effect.flip(playlist.masterPlaylist(login))).toMatchObject({
        _tag: "HttpError",
        status: 503
      })
      yield* mock.control.drop({ surface: "gql" })
      expect(yield* Effect.flip(playlist.accessToken(login))).toMatchObject({ _tag: "TransportError" })
      // and the next call works again
      expect((yield* playlist.masterPlaylist(login)).variants.length).toBeGreaterThan(0)
    }).pipe(Effect.provide(onMock())))
})

const portraitLadder = (s: MockWorld.LiveStream) => s.qualities.some((q) => q.resolution === "1080x1920")
const av1Ladder = (s: MockWorld.LiveStream) => s.qualities.some((q) => q.codecs.startsWith("av01"))
const sizeOf = (
  v: { readonly resolution: Option.Option<{ readonly width: number; readonly height: number }> }
) => Option.getOrNull(Option.map(v.resolution, (r) => `${r.width}x${r.height}`))

describe("Playlist against MockTwitch: enhanced broadcasting and several codecs", () => {
  it.scopedLive("names portrait renditions apart, prefers landscape, in both usher shapes", () =>
    Effect.gen(function*() {
      const { login, mock } = yield* liveWhere(portraitLadder)
      const playlist = yield* Playlist.Playlist
      for (const shape of ["v1", "v2"] as const) {
        yield* mock.control.setUsherShape(shape)
        expect(yield* playlist.qualityOptions(login)).toEqual(enhancedOptions)
        expect(sizeOf(yield* playlist.variant(login, "1080p60"))).toBe("1920x1080")
        expect(sizeOf(yield* playlist.variant(login, "source"))).toBe("1920x1080")
        expect(sizeOf(yield* playlist.variant(login, "best"))).toBe("1920x1080")
        expect(sizeOf(yield* playlist.variant(login, "1080p60-portrait"))).toBe("1080x1920")
        expect((yield* playlist.variant(login, "720p60-portrait")).name).toBe("480p-portrait")
        for (const name of enhancedOptions) expect((yield* playlist.variant(login, name)).name).toBe(name)
      }
      yield* mock.control.setUsherShape("v1")
      const v1 = yield* playlist.masterPlaylist(login)
      yield* mock.control.setUsherShape("v2")
      const v2 = yield* playlist.masterPlaylist(login)
      expect(withoutWireIds(v2.variants)).toEqual(withoutWireIds(v1.variants))
      // In v2 the portrait rendition can be asked for by its STABLE-VARIANT-ID too.
      const vertical = Option.getOrThrow(
        v2.variants.find((v) => v.name === "1080p60-portrait")!.stableVariantId
      )
      expect((yield* playlist.variant(login, vertical)).name).toBe("1080p60-portrait")
      // Its media playlist resolves.
      const media = yield* playlist.variant(login, "360p-portrait")
      expect(media.url).toContain("/360p30_vertical/")
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("serves HEVC and AV1 only when asked; options list every codec once, audio_only last", () =>
    Effect.gen(function*() {
      const { login } = yield* liveWhere(av1Ladder)
      const playlist = yield* Playlist.Playlist
      // Default supported_codecs=h264: neither the HEVC source nor the AV1/HEVC transcodes.
      const withCodecs = (...codecs: ReadonlyArray<string>) =>
        multiCodecOptions.filter((name) => name !== "1440p60" || codecs.includes("h265"))
          .filter((name) => codecs.some((c) => name.endsWith(`-${c}`)) || !/-(av1|h265)$/.test(name))
      expect(yield* playlist.qualityOptions(login)).toEqual(withCodecs())
      expect(withCodecs()).toEqual(["1080p60", "720p60", "480p", "360p", "160p", "audio_only"])
      expect(yield* Effect.flip(playlist.variant(login, "source"))).toMatchObject({
        _tag: "QualityRestricted",
        reason: "Unavailable"
      })
      const all = { supportedCodecs: ["av1", "h265", "h264"] } as const
      expect(yield* playlist.qualityOptions(login, all)).toEqual(multiCodecOptions)
      const source = yield* playlist.variant(login, "source", all)
      expect([source.name, Option.getOrNull(source.videoCodec)]).toEqual(["1440p60", "h265"])
      // The order of supported_codecs is the preference unless one is given.
      expect((yield* playlist.variant(login, "1080p", all)).name).toBe("720p60-av1")
      expect((yield* playlist.variant(login, "1080p", { ...all, preferredCodecs: ["h264"] })).name).toBe(
        "720p60"
      )
      expect((yield* playlist.variant(login, "1080p60", all)).name).toBe("1080p60")
      const hevc = yield* playlist.qualityOptions(login, { supportedCodecs: ["h265", "h264"] })
      expect(hevc).toEqual(withCodecs("h265"))
      expect(hevc).toHaveLength(8)
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("a layer-wide codec preference applies to every call", () =>
    Effect.gen(function*() {
      const { login } = yield* liveWhere(av1Ladder)
      const playlist = yield* Playlist.Playlist
      expect((yield* playlist.variant(login, "best")).name).toBe("1440p60")
      expect((yield* playlist.variant(login, "1200p")).name).toBe("1080p60-h265")
      expect((yield* playlist.variant(login, "1200p", { preferredCodecs: ["av1"] })).name).toBe("1080p60-av1")
    }).pipe(Effect.provide(onMock({ supportedCodecs: ["h264", "h265", "av1"], preferredCodecs: ["h265"] }))))
})

describe("Playlist wire details (scripted loopback server)", () => {
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

  it.scopedLive("passes configured codecs, per layer and per call", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      yield* playlist.masterPlaylist("livev2")
      yield* playlist.masterPlaylist("livev2", { supportedCodecs: ["h264"] })
      const usher = (yield* FakeTwitch.seen).filter((r) => r.method === "GET")
      expect(usher.map((r) => r.params.get("supported_codecs"))).toEqual(["av1,h265,h264", "h264"])
    }).pipe(Effect.provide(withPlaylist({ supportedCodecs: ["av1", "h265", "h264"] }))))

  it.scopedLive("fails with DecodeError when usher answers something that is not a master playlist", () =>
    Effect.gen(function*() {
      const playlist = yield* Playlist.Playlist
      const error = yield* Effect.flip(playlist.masterPlaylist("garbage"))
      expect(error._tag).toBe("DecodeError")
      if (error._tag !== "DecodeError") return
      // The usher URL in the report has no token or signature.
      expect(error.request?.url).toMatch(/\/api\/v2\/channel\/hls\/garbage\.m3u8$/)
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
        "1080p60",
        "720p60",
        "480p",
        "360p",
        "160p",
        "audio_only"
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
