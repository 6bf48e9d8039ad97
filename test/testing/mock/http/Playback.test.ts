import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Parser } from "m3u8-parser"
import { MockTwitch } from "../../../../src/testing/index.js"
import * as MockWorld from "../../../../src/testing/mock/World.js"
import { get, postJson, withMock } from "./client.js"

const webClient = { "client-id": MockWorld.webClientId }

const persisted = (variables: Record<string, unknown>) => ({
  operationName: "PlaybackAccessToken",
  extensions: {
    persistedQuery: {
      version: 1,
      sha256Hash: "ed230aa1e33e07eebb8928504583da78a5173989fadfb1ac94be06a04f3cdbe9"
    }
  },
  variables: {
    isLive: true,
    login: "",
    isVod: false,
    vodID: "",
    playerType: "embed",
    platform: "site",
    ...variables
  }
})

interface AccessToken {
  readonly value: string
  readonly signature: string
}

interface TokenAnswer {
  readonly data: {
    readonly streamPlaybackAccessToken?: AccessToken | null
    readonly videoPlaybackAccessToken?: AccessToken | null
  }
}

const loginOf = (mock: MockTwitch.MockTwitch.Service, userId: string) =>
  Effect.map(mock.world.userById(userId), (u) => Option.getOrThrow(u).login)

const liveToken = (
  mock: MockTwitch.MockTwitch.Service,
  login: string,
  headers: Record<string, string> = {}
) =>
  Effect.map(
    postJson(mock.http.gqlUrl, persisted({ login }), { ...webClient, ...headers }),
    (r) => r.json<TokenAnswer>().data.streamPlaybackAccessToken!
  )

const parse = (text: string) => {
  const parser = new Parser()
  parser.push(text)
  parser.end()
  return parser.manifest
}

const usherQuery = (token: AccessToken, live = true) =>
  new URLSearchParams({
    platform: "web",
    allow_source: "true",
    allow_audio_only: "true",
    playlist_include_framerate: "true",
    [live ? "sig" : "nauthsig"]: token.signature,
    [live ? "token" : "nauth"]: token.value
  }).toString()

describe("mock GQL and usher", () => {
  it.live("PlaybackAccessToken (persisted and template forms) returns a signed JSON value", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const streams = yield* mock.world.streams
        const restricted = streams.find((x) => x.restrictedQualities.length > 0)!
        const login = yield* loginOf(mock, restricted.userId)
        const res = yield* postJson(mock.http.gqlUrl, persisted({ login }), webClient)
        expect(res.status).toBe(200)
        const token = res.json<TokenAnswer>().data.streamPlaybackAccessToken!
        expect(token.signature).toMatch(/^[0-9a-f]{40}$/)
        const value = JSON.parse(token.value) as Record<string, unknown>
        expect(value).toMatchObject({
          channel: login,
          channel_id: Number(restricted.userId),
          chansub: { restricted_bitrates: ["1080p60", "720p60"] },
          geoblock_reason: "",
          subscriber: false,
          user_id: null
        })
        expect(value.expires).toBeGreaterThan(Date.now() / 1000)
        for (
          const key of [
            "adblock",
            "authorization",
            "device_id",
            "hide_ads",
            "partner",
            "private",
            "role",
            "version"
          ]
        ) {
          expect(value).toHaveProperty(key)
        }

        const template = yield* postJson(mock.http.gqlUrl, {
          operationName: "PlaybackAccessToken_Template",
          query:
            "query PlaybackAccessToken_Template($login: String!, $isLive: Boolean!, $vodID: ID!, $isVod: Boolean!, $playerType: String!) { streamPlaybackAccessToken(channelName: $login, params: {platform: \"web\", playerBackend: \"mediaplayer\", playerType: $playerType}) @include(if: $isLive) { value signature __typename } videoPlaybackAccessToken(id: $vodID, params: {platform: \"web\", playerBackend: \"mediaplayer\", playerType: $playerType}) @include(if: $isVod) { value signature __typename } }",
          variables: { isLive: true, login, isVod: false, vodID: "", playerType: "site" }
        }, webClient)
        expect(template.json<TokenAnswer>().data.streamPlaybackAccessToken?.signature).toMatch(
          /^[0-9a-f]{40}$/
        )
        // Batched (array) bodies answer an array.
        const batch = yield* postJson(mock.http.gqlUrl, [
          persisted({ login }),
          persisted({ login: "nobody" })
        ], webClient)
        const answers = batch.json<Array<TokenAnswer>>()
        expect(answers).toHaveLength(2)
        expect(answers[1].data.streamPlaybackAccessToken).toBeNull()
        expect(yield* mock.control.counter("playbackTokens")).toBe(3)
      })
    ))

  it.live("null token for offline or unknown channels; Client-ID and Authorization are checked", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        for (const login of [MockWorld.defaultUserLogin, "doesnotexist"]) {
          const res = yield* postJson(mock.http.gqlUrl, persisted({ login }), webClient)
          expect(res.json()).toMatchObject({ data: { streamPlaybackAccessToken: null } })
        }
        const noClient = yield* postJson(mock.http.gqlUrl, persisted({ login: "x" }))
        expect(noClient.status).toBe(400)
        expect(noClient.json()).toMatchObject({ status: 400, error: "Bad Request" })
        const badClient = yield* postJson(mock.http.gqlUrl, persisted({ login: "x" }), {
          "client-id": "nope"
        })
        expect(badClient.status).toBe(400)
        const badAuth = yield* postJson(mock.http.gqlUrl, persisted({ login: "x" }), {
          ...webClient,
          authorization: "OAuth invalid"
        })
        expect(badAuth.status).toBe(401)
        expect(badAuth.json()).toEqual({
          error: "Unauthorized",
          status: 401,
          message: "The \"Authorization\" token is invalid."
        })
        const unknownHash = yield* postJson(mock.http.gqlUrl, {
          ...persisted({ login: "x" }),
          extensions: { persistedQuery: { version: 1, sha256Hash: "00" } }
        }, webClient)
        expect(unknownHash.json()).toEqual({ errors: [{ message: "PersistedQueryNotFound" }] })
      })
    ))

  it.live("usher answers the v2 shape on /api/v2 and the v1 shape on /api; both parse as HLS", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const streams = yield* mock.world.streams
        const stream = streams.find((x) => !x.geoBlocked && x.restrictedQualities.length === 0)!
        const login = yield* loginOf(mock, stream.userId)
        const token = yield* liveToken(mock, login)

        const v2 = yield* get(`${mock.http.usherUrl}/api/v2/channel/hls/${login}.m3u8?${usherQuery(token)}`)
        expect(v2.status).toBe(200)
        expect(v2.headers.get("content-type")).toBe("application/vnd.apple.mpegurl")
        expect(v2.text).not.toContain("#EXT-X-MEDIA")
        expect(v2.text).toContain(`IVS-NAME="${stream.qualities[0].name}",IVS-VARIANT-SOURCE="source"`)
        expect(v2.text).toContain(`STABLE-VARIANT-ID="audio_only",IVS-NAME="audio_only"`)
        const m2 = parse(v2.text)
        expect(m2.playlists).toHaveLength(stream.qualities.length)

        const v1 = yield* get(`${mock.http.usherUrl}/api/channel/hls/${login}.m3u8?${usherQuery(token)}`)
        expect(v1.status).toBe(200)
        expect(v1.text).toContain("#EXT-X-TWITCH-INFO:")
        expect(v1.text).toContain(`GROUP-ID="chunked",NAME="${stream.qualities[0].name} (source)"`)
        expect(v1.text).toContain(`GROUP-ID="audio_only",NAME="Audio Only"`)
        expect(v1.text).not.toContain("IVS-NAME")
        const m1 = parse(v1.text)
        expect(m1.playlists).toHaveLength(stream.qualities.length)
        expect(m1.playlists?.[0].attributes.VIDEO).toBe("chunked")

        // The control switch overrides the path.
        yield* mock.control.setUsherShape("v1")
        const forced = yield* get(
          `${mock.http.usherUrl}/api/v2/channel/hls/${login}.m3u8?${usherQuery(token)}`
        )
        expect(forced.text).toContain("#EXT-X-MEDIA:")

        // Without allow_audio_only there is no audio rendition.
        const noAudio = yield* get(
          `${mock.http.usherUrl}/api/v2/channel/hls/${login}.m3u8?sig=${token.signature}&token=${
            encodeURIComponent(token.value)
          }`
        )
        expect(noAudio.text).not.toContain("audio_only")

        // Variant URLs resolve to media playlists with MPEG-TS segments.
        const variant = m2.playlists![0].uri
        const media = yield* get(variant)
        expect(media.status).toBe(200)
        const parsedMedia = parse(media.text)
        expect(parsedMedia.segments?.length).toBeGreaterThan(0)
        const segment = yield* get(parsedMedia.segments![0].uri)
        expect(segment.headers.get("content-type")).toBe("video/mp2t")
        expect(segment.bytes.length % 188).toBe(0)
        expect(segment.bytes[0]).toBe(0x47)
      })
    ))

  it.live("usher: enhanced broadcasting lists portrait and landscape renditions under one IVS-NAME", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const stream = (yield* mock.world.streams).find((x) =>
          x.qualities.some((q) => q.resolution === "1080x1920")
        )!
        const login = yield* loginOf(mock, stream.userId)
        const token = yield* liveToken(mock, login)
        const v2 = yield* get(`${mock.http.usherUrl}/api/v2/channel/hls/${login}.m3u8?${usherQuery(token)}`)
        const m2 = parse(v2.text)
        expect(m2.playlists).toHaveLength(stream.qualities.length)
        const attributes = m2.playlists!.map((p) => p.attributes)
        const size = (a: (typeof attributes)[number]) => `${a.RESOLUTION?.width}x${a.RESOLUTION?.height}`
        expect(attributes.filter((a) => a["IVS-NAME"] === "1080p60").map(size)).toEqual([
          "1080x1920",
          "1920x1080"
        ])
        expect(attributes.filter((a) => a["IVS-NAME"] === "480p").map(size)).toEqual(["480x852", "852x480"])
        // Every rendition is the broadcaster's (audio too); the stable ids are unique.
        expect(attributes.every((a) => a["IVS-VARIANT-SOURCE"] === "source")).toBe(true)
        expect(new Set(attributes.map((a) => a["STABLE-VARIANT-ID"])).size).toBe(attributes.length)

        const v1 = yield* get(`${mock.http.usherUrl}/api/channel/hls/${login}.m3u8?${usherQuery(token)}`)
        const m1 = parse(v1.text)
        expect(Object.keys(m1.mediaGroups?.VIDEO ?? {})).toHaveLength(stream.qualities.length)
        expect(v1.text.match(/NAME="1080p60 \(source\)"/g)).toHaveLength(2)

        // The portrait rendition's media playlist resolves to segments.
        const portrait = m2.playlists!.find((p) => p.attributes.RESOLUTION?.height === 1920)!
        const media = parse((yield* get(portrait.uri)).text)
        expect(media.segments?.length).toBeGreaterThan(0)
      })
    ))

  it.live("usher lists HEVC and AV1 renditions only when supported_codecs asks for them", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const stream = (yield* mock.world.streams).find((x) =>
          x.qualities.some((q) => q.codecs.startsWith("av01"))
        )!
        const login = yield* loginOf(mock, stream.userId)
        const token = yield* liveToken(mock, login)
        const videoCodecs = (codecs: string | undefined) =>
          Effect.map(
            get(
              `${mock.http.usherUrl}/api/v2/channel/hls/${login}.m3u8?${usherQuery(token)}${
                codecs === undefined ? "" : `&supported_codecs=${codecs}`
              }`
            ),
            (r) => parse(r.text).playlists!.map((p) => String(p.attributes.CODECS).split(",")[0]!.slice(0, 4))
          )
        const h264Only = ["avc1", "avc1", "avc1", "avc1", "avc1", "mp4a"]
        expect(yield* videoCodecs(undefined)).toEqual(h264Only)
        expect(yield* videoCodecs("h264")).toEqual(h264Only)
        expect(yield* videoCodecs("h265,h264")).toEqual(
          ["hev1", "hev1", "avc1", "avc1", "avc1", "avc1", "avc1", "mp4a"]
        )
        const all = yield* videoCodecs("av1,h265,h264")
        expect(all).toHaveLength(stream.qualities.length)
        expect(all).toEqual(["hev1", "av01", "hev1", "avc1", "av01", "avc1", "avc1", "avc1", "avc1", "mp4a"])
      })
    ))

  it.live("restricted qualities are absent unless the token belongs to a subscriber", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const stream = (yield* mock.world.streams).find((x) => x.restrictedQualities.length > 0)!
        const login = yield* loginOf(mock, stream.userId)
        const anonymous = yield* liveToken(mock, login)
        const anon = yield* get(
          `${mock.http.usherUrl}/api/v2/channel/hls/${login}.m3u8?${usherQuery(anonymous)}`
        )
        for (const name of stream.restrictedQualities) expect(anon.text).not.toContain(`IVS-NAME="${name}"`)
        expect(anon.text).toContain("IVS-NAME=\"480p\"")
        // The default user subscribes to every live channel of the default world.
        const sub = yield* liveToken(mock, login, {
          authorization: `OAuth ${MockTwitch.credentials.userToken}`
        })
        expect(JSON.parse(sub.value)).toMatchObject({
          subscriber: true,
          user_id: Number(MockWorld.defaultUserId)
        })
        const full = yield* get(`${mock.http.usherUrl}/api/v2/channel/hls/${login}.m3u8?${usherQuery(sub)}`)
        for (const name of stream.restrictedQualities) expect(full.text).toContain(`IVS-NAME="${name}"`)
      })
    ))

  it.live("usher: 404 JSON for offline channels, 403 content_geoblocked, 403 for a forged token", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const streams = yield* mock.world.streams
        const geo = streams.find((x) => x.geoBlocked)!
        const geoLogin = yield* loginOf(mock, geo.userId)
        const geoToken = yield* liveToken(mock, geoLogin)
        expect(JSON.parse(geoToken.value).geoblock_reason).not.toBe("")
        const geoRes = yield* get(
          `${mock.http.usherUrl}/api/v2/channel/hls/${geoLogin}.m3u8?${usherQuery(geoToken)}`
        )
        expect(geoRes.status).toBe(403)
        expect(geoRes.json()).toEqual([{
          url: `${mock.http.usherUrl}/api/v2/channel/hls/${geoLogin}.m3u8`,
          error: "Content Restricted In Region",
          error_code: "content_geoblocked",
          type: "error"
        }])

        // A token taken while live, used after the stream ended: 404 transcode_does_not_exist.
        const live = streams.find((x) => !x.geoBlocked)!
        const login = yield* loginOf(mock, live.userId)
        const token = yield* liveToken(mock, login)
        yield* mock.world.endStream(live.userId)
        const gone = yield* get(`${mock.http.usherUrl}/api/channel/hls/${login}.m3u8?${usherQuery(token)}`)
        expect(gone.status).toBe(404)
        expect(gone.json()).toEqual([{
          url: `${mock.http.usherUrl}/api/channel/hls/${login}.m3u8`,
          error: "twirp error not_found: transcode does not exist",
          error_code: "transcode_does_not_exist",
          type: "error"
        }])
        const offline = yield* get(
          `${mock.http.usherUrl}/api/v2/channel/hls/${MockWorld.defaultUserLogin}.m3u8`
        )
        expect(offline.status).toBe(404)

        const other = streams.find((x) => !x.geoBlocked && x.userId !== live.userId)!
        const otherLogin = yield* loginOf(mock, other.userId)
        const forged = { value: token.value.replace(login, otherLogin), signature: token.signature }
        const forgedRes = yield* get(
          `${mock.http.usherUrl}/api/v2/channel/hls/${otherLogin}.m3u8?${usherQuery(forged)}`
        )
        expect(forgedRes.status).toBe(403)
        // A genuine token for another channel is refused too.
        const otherToken = yield* liveToken(mock, otherLogin)
        const crossed = yield* get(
          `${mock.http.usherUrl}/api/v2/channel/hls/${otherLogin}.m3u8?${
            usherQuery({ ...otherToken, value: token.value })
          }`
        )
        expect(crossed.status).toBe(403)
        const noToken = yield* get(`${mock.http.usherUrl}/api/v2/channel/hls/${otherLogin}.m3u8`)
        expect(noToken.status).toBe(403)
      })
    ))

  it.live("VODs: videoPlaybackAccessToken and /vod/v2/<id>.m3u8 with nauth/nauthsig", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const s = yield* mock.world.snapshot
        const vod = s.vods.find((v) => !v.geoBlocked && v.restrictedQualities.length === 0)!
        const res = yield* postJson(
          mock.http.gqlUrl,
          persisted({ isLive: false, login: "", isVod: true, vodID: vod.id }),
          webClient
        )
        const body = res.json<TokenAnswer>()
        expect(body.data.streamPlaybackAccessToken).toBeUndefined()
        const token = body.data.videoPlaybackAccessToken!
        expect(JSON.parse(token.value)).toMatchObject({ vod_id: Number(vod.id) })
        const v2 = yield* get(`${mock.http.usherUrl}/vod/v2/${vod.id}.m3u8?${usherQuery(token, false)}`)
        expect(v2.status).toBe(200)
        expect(v2.text).toContain("IVS-NAME=\"audio\"")
        const m = parse(v2.text)
        expect(m.playlists).toHaveLength(vod.qualities.length)
        const media = parse((yield* get(m.playlists![0].uri)).text)
        expect(media.endList).toBe(true)
        expect(media.segments?.reduce((n, x) => n + x.duration, 0)).toBeCloseTo(vod.durationSeconds)
        const v1 = yield* get(`${mock.http.usherUrl}/vod/${vod.id}.m3u8?${usherQuery(token, false)}`)
        expect(v1.text).toContain("NAME=\"Source\"")
        const missing = yield* postJson(
          mock.http.gqlUrl,
          persisted({ isLive: false, isVod: true, vodID: "1" }),
          webClient
        )
        expect(missing.json<TokenAnswer>().data.videoPlaybackAccessToken).toBeNull()
      })
    ))
})
