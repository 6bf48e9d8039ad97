import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { MockTwitch } from "../../../../src/testing/index.js"
import * as MockWorld from "../../../../src/testing/mock/World.js"
import { get, helixHeaders, type Page, withMock } from "./client.js"

const creds = MockTwitch.credentials
const user = helixHeaders(creds.userToken)
const app = helixHeaders(creds.appToken)

interface StreamJson {
  readonly id: string
  readonly user_id: string
  readonly user_login: string
  readonly viewer_count: number
  readonly game_id: string
  readonly type: string
  readonly language: string
}

describe("mock Helix", () => {
  it.live("GET /streams answers Twitch's fields and types, most viewers first", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const res = yield* get(`${mock.http.helixUrl}/streams`, user)
        expect(res.status).toBe(200)
        expect(res.headers.get("content-type")).toContain("application/json")
        const body = res.json<Page<Record<string, unknown>>>()
        expect(body.data).toHaveLength(20)
        const first = body.data[0]
        expect(Object.keys(first).sort()).toEqual(
          [
            "game_id",
            "game_name",
            "id",
            "is_mature",
            "language",
            "started_at",
            "tag_ids",
            "tags",
            "thumbnail_url",
            "title",
            "type",
            "user_id",
            "user_login",
            "user_name",
            "viewer_count"
          ]
        )
        expect(first).toMatchObject({ type: "live", is_mature: false, tag_ids: [] })
        expect(typeof first.viewer_count).toBe("number")
        expect(first.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
        expect(first.thumbnail_url).toContain("{width}x{height}")
        const counts = body.data.map((s) => s.viewer_count as number)
        expect(counts).toEqual([...counts].sort((a, b) => b - a))
        // 20 of 20 live streams: no further page.
        expect(body.pagination).toEqual({})
      })
    ))

  it.live("pages with opaque cursors: first=5 gives 4 pages forward, before goes back", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const seen: Array<string> = []
        const cursors: Array<string> = []
        let after: string | undefined = undefined
        for (let i = 0; i < 10; i++) {
          const url: string = `${mock.http.helixUrl}/streams?first=5${
            after === undefined ? "" : `&after=${after}`
          }`
          const body: Page<StreamJson> = (yield* get(url, user)).json<Page<StreamJson>>()
          seen.push(...body.data.map((s) => s.id))
          after = body.pagination.cursor
          if (after === undefined) break
          cursors.push(after)
        }
        expect(seen).toHaveLength(20)
        expect(new Set(seen).size).toBe(20)
        expect(cursors).toHaveLength(3)
        // The cursor of page 3 used as `before` gives page 2.
        const back = (yield* get(`${mock.http.helixUrl}/streams?first=5&before=${cursors[2]}`, user)).json<
          Page<StreamJson>
        >()
        expect(back.data.map((s) => s.id)).toEqual(seen.slice(5, 10))
        // Top games page too; followed streams default to 100 per page.
        const games = (yield* get(`${mock.http.helixUrl}/games/top?first=5`, app)).json<Page>()
        expect(games.data).toHaveLength(5)
        expect(games.pagination.cursor).toBeTypeOf("string")
      })
    ))

  it.live("rejects bad `first`, bad cursors and too many repeated parameters with 400 bodies", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        for (const first of ["0", "101", "abc", "-1"]) {
          const res = yield* get(`${mock.http.helixUrl}/streams?first=${first}`, user)
          expect(res.status).toBe(400)
          expect(res.json()).toMatchObject({ error: "Bad Request", status: 400 })
        }
        expect((yield* get(`${mock.http.helixUrl}/streams?first=100`, user)).status).toBe(200)
        expect((yield* get(`${mock.http.helixUrl}/streams?after=garbage`, user)).status).toBe(400)
        const many = Array.from({ length: 101 }, (_, i) => `user_login=u${i}`).join("&")
        const res = yield* get(`${mock.http.helixUrl}/streams?${many}`, user)
        expect(res.status).toBe(400)
        const hundred = Array.from({ length: 100 }, (_, i) => `user_login=u${i}`).join("&")
        expect((yield* get(`${mock.http.helixUrl}/streams?${hundred}`, user)).status).toBe(200)
        expect((yield* get(`${mock.http.helixUrl}/streams?type=vodcast`, user)).status).toBe(400)
      })
    ))

  it.live("filters streams by repeated user_login/user_id, game_id and language", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const all = (yield* get(`${mock.http.helixUrl}/streams`, user)).json<Page<StreamJson>>().data
        const [a, b, c] = all
        const byLogin = (yield* get(
          `${mock.http.helixUrl}/streams?user_login=${a.user_login.toUpperCase()}&user_login=${b.user_login}&user_id=${c.user_id}`,
          user
        )).json<Page<StreamJson>>()
        expect(byLogin.data.map((s) => s.id).sort()).toEqual([a.id, b.id, c.id].sort())
        const byGame = (yield* get(`${mock.http.helixUrl}/streams?game_id=${a.game_id}`, user)).json<
          Page<StreamJson>
        >()
        expect(byGame.data.length).toBeGreaterThan(0)
        expect(byGame.data.every((s) => s.game_id === a.game_id)).toBe(true)
        const byLang = (yield* get(`${mock.http.helixUrl}/streams?language=${a.language}`, user)).json<
          Page<StreamJson>
        >()
        expect(byLang.data.every((s) => s.language === a.language)).toBe(true)
        // An offline user is simply absent.
        const offline =
          (yield* get(`${mock.http.helixUrl}/streams?user_login=${MockWorld.defaultUserLogin}`, user))
            .json<Page>()
        expect(offline.data).toEqual([])
      })
    ))

  it.live("401 bodies: missing client id or token, invalid token, mismatched client, expired token", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const url = `${mock.http.helixUrl}/streams`
        const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
          [{}, "Missing Client ID or OAuth token"],
          [{ "client-id": creds.clientId }, "Missing Client ID or OAuth token"],
          [{ authorization: `Bearer ${creds.userToken}` }, "Missing Client ID or OAuth token"],
          [helixHeaders("notatoken"), "Invalid OAuth token"],
          [helixHeaders(creds.userToken, MockWorld.publicClientId), "Client ID and OAuth token do not match"],
          [helixHeaders(creds.expiredUserToken), "Token expired"]
        ]
        for (const [headers, message] of cases) {
          const res = yield* get(url, headers)
          expect(res.status).toBe(401)
          expect(res.json()).toEqual({ error: "Unauthorized", status: 401, message })
        }
      })
    ))

  it.live("GET /users: token's user without params (email with the scope), 400 for app tokens", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const me = (yield* get(`${mock.http.helixUrl}/users`, user)).json<Page>()
        expect(me.data).toHaveLength(1)
        expect(me.data[0]).toMatchObject({
          id: MockWorld.defaultUserId,
          login: MockWorld.defaultUserLogin,
          broadcaster_type: "affiliate",
          type: "",
          view_count: 0
        })
        expect(me.data[0].email).toBe("twitcher@mock.twitch.invalid")
        const appRes = yield* get(`${mock.http.helixUrl}/users`, app)
        expect(appRes.status).toBe(400)
        expect(appRes.json()).toMatchObject({ error: "Bad Request", status: 400 })
        const other = (yield* get(
          `${mock.http.helixUrl}/users?login=${MockWorld.secondUserLogin}&id=${MockWorld.defaultUserId}&login=nobody`,
          app
        )).json<Page>()
        expect(other.data.map((u) => u.login).sort()).toEqual([
          MockWorld.defaultUserLogin,
          MockWorld.secondUserLogin
        ])
        expect(other.data.every((u) => u.email === undefined)).toBe(true)
        // Suspended users are absent.
        const s = yield* mock.world.snapshot
        const suspended = s.channels.find((c) => c.suspended)!.broadcasterId
        expect((yield* get(`${mock.http.helixUrl}/users?id=${suspended}`, app)).json<Page>().data).toEqual([])
      })
    ))

  it.live("GET /streams/followed needs user:read:follows and the token's own user_id; defaults to 100", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const url = `${mock.http.helixUrl}/streams/followed?user_id=${MockWorld.defaultUserId}`
        const ok = (yield* get(url, user)).json<Page<StreamJson>>()
        const s = yield* mock.world.snapshot
        const followed = new Set(
          s.follows.filter((f) => f.fromId === MockWorld.defaultUserId).map((f) => f.toId)
        )
        const expected = s.streams.filter((x) => followed.has(x.userId)).length
        expect(expected).toBeGreaterThan(5)
        expect(ok.data).toHaveLength(expected)
        expect(ok.data.every((x) => followed.has(x.user_id))).toBe(true)
        const paged = (yield* get(`${url}&first=5`, user)).json<Page<StreamJson>>()
        expect(paged.data).toHaveLength(5)
        expect(paged.pagination.cursor).toBeTypeOf("string")

        const noScope = yield* get(url, helixHeaders(creds.noFollowsUserToken))
        expect(noScope.status).toBe(401)
        expect(noScope.json()).toEqual({
          error: "Unauthorized",
          status: 401,
          message: "Missing scope: user:read:follows"
        })
        const wrongUser = yield* get(
          `${mock.http.helixUrl}/streams/followed?user_id=${MockWorld.secondUserId}`,
          user
        )
        expect(wrongUser.status).toBe(401)
        expect((yield* get(url, app)).status).toBe(401)
        expect((yield* get(`${mock.http.helixUrl}/streams/followed`, user)).status).toBe(400)
      })
    ))

  it.live("games, top games, search categories and search channels", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const h = mock.http.helixUrl
        const games = (yield* get(`${h}/games?name=Chess&id=509658&igdb_id=1905`, app)).json<Page>()
        expect(games.data.map((g) => g.name).sort()).toEqual(["Chess", "Fortnite", "Just Chatting"])
        expect(games.data.find((g) => g.name === "Just Chatting")).toEqual({
          id: "509658",
          name: "Just Chatting",
          box_art_url: "https://static-cdn.jtvnw.net/ttv-boxart/509658-{width}x{height}.jpg",
          igdb_id: ""
        })
        expect((yield* get(`${h}/games`, app)).status).toBe(400)
        expect((yield* get(`${h}/games?name=chess`, app)).json<Page>().data).toEqual([])

        const top = (yield* get(`${h}/games/top?first=100`, app)).json<Page>()
        expect(top.data).toHaveLength(12)
        const streams = yield* mock.world.streams
        const viewers = (id: unknown) =>
          streams.filter((x) => x.gameId === id).reduce((n, x) => n + x.viewerCount, 0)
        const ranks = top.data.map((g) => viewers(g.id))
        expect(ranks).toEqual([...ranks].sort((a, b) => b - a))

        const cats = (yield* get(`${h}/search/categories?query=of%20LEG`, app)).json<Page>()
        expect(cats.data).toEqual([{
          box_art_url: "https://static-cdn.jtvnw.net/ttv-boxart/21779-{width}x{height}.jpg",
          name: "League of Legends",
          id: "21779"
        }])
        expect((yield* get(`${h}/search/categories`, app)).status).toBe(400)

        const prefix = MockWorld.defaultUserLogin.slice(0, 5).toUpperCase()
        const chans = (yield* get(`${h}/search/channels?query=${prefix}`, app)).json<Page>()
        expect(chans.data.map((c) => c.broadcaster_login)).toEqual(
          expect.arrayContaining([MockWorld.defaultUserLogin, MockWorld.secondUserLogin])
        )
        expect(chans.data[0]).toHaveProperty("is_live")
        expect(chans.data[0]).toHaveProperty("started_at")
        // live_only: the broadcaster or the category; offline channels drop out.
        const live = (yield* get(`${h}/search/channels?query=${prefix}&live_only=true`, app)).json<Page>()
        expect(live.data).toEqual([])
        const chess = (yield* get(`${h}/search/channels?query=ches&live_only=true`, app)).json<Page>()
        expect(chess.data.length).toBeGreaterThan(0)
        expect(chess.data.every((c) => c.is_live === true && c.game_name === "Chess")).toBe(true)
        // Anywhere in the name, as Twitch matches; exact and prefix matches first.
        const inside = MockWorld.defaultUserLogin.slice(1)
        const anywhere = (yield* get(`${h}/search/channels?query=${inside}`, app)).json<Page>()
        expect(anywhere.data.map((c) => c.broadcaster_login)).toContain(MockWorld.defaultUserLogin)
        const exact = (yield* get(`${h}/search/channels?query=${MockWorld.secondUserLogin}`, app)).json<
          Page
        >()
        expect(exact.data[0].broadcaster_login).toBe(MockWorld.secondUserLogin)
        expect((yield* get(`${h}/search/channels?query=zzqqxxnothing`, app)).json<Page>().data).toEqual([])
      })
    ))

  it.live("channels, followers total, emotes with template, 410 for removed endpoints", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const h = mock.http.helixUrl
        const ch = (yield* get(`${h}/channels?broadcaster_id=${MockWorld.defaultUserId}`, app)).json<Page>()
        expect(Object.keys(ch.data[0]).sort()).toEqual([
          "broadcaster_id",
          "broadcaster_language",
          "broadcaster_login",
          "broadcaster_name",
          "content_classification_labels",
          "delay",
          "game_id",
          "game_name",
          "is_branded_content",
          "tags",
          "title"
        ])
        expect((yield* get(`${h}/channels`, app)).status).toBe(400)

        const followers =
          (yield* get(`${h}/channels/followers?broadcaster_id=${MockWorld.defaultUserId}`, user)).json<
            Page
          >()
        const s = yield* mock.world.snapshot
        const total = s.follows.filter((f) => f.toId === MockWorld.defaultUserId).length
        expect(followers.total).toBe(total)
        expect(followers.data.length).toBe(Math.min(20, total))
        expect(Object.keys(followers.data[0]).sort()).toEqual([
          "followed_at",
          "user_id",
          "user_login",
          "user_name"
        ])
        // Without moderator:read:followers only the total.
        const limited = (yield* get(
          `${h}/channels/followers?broadcaster_id=${MockWorld.defaultUserId}`,
          helixHeaders(creds.noFollowsUserToken)
        )).json<Page>()
        expect(limited).toEqual({ data: [], pagination: {}, total })

        const global = (yield* get(`${h}/chat/emotes/global`, app)).json<Page>()
        expect(global.template).toBe(`${mock.http.emoteCdnUrl}/{{id}}/{{format}}/{{theme_mode}}/{{scale}}`)
        expect(global.data.find((e) => e.name === "Kappa")).toEqual({
          id: "25",
          name: "Kappa",
          images: {
            url_1x: `${mock.http.emoteCdnUrl}/25/static/light/1.0`,
            url_2x: `${mock.http.emoteCdnUrl}/25/static/light/2.0`,
            url_4x: `${mock.http.emoteCdnUrl}/25/static/light/3.0`
          },
          format: ["static"],
          scale: ["1.0", "2.0", "3.0"],
          theme_mode: ["light", "dark"]
        })
        const live = (yield* mock.world.streams)[0]
        const chEmotes = (yield* get(`${h}/chat/emotes?broadcaster_id=${live.userId}`, app)).json<Page>()
        expect(chEmotes.data.length).toBeGreaterThan(0)
        expect(chEmotes.data.find((e) => e.emote_type === "subscriptions")).toMatchObject({ tier: "1000" })
        expect(chEmotes.data.find((e) => e.emote_type === "follower")).toMatchObject({ tier: "" })
        const setId = chEmotes.data[0].emote_set_id as string
        const set = (yield* get(`${h}/chat/emotes/set?emote_set_id=${setId}&emote_set_id=0`, app)).json<
          Page
        >()
        expect(set.data.some((e) => e.owner_id === live.userId)).toBe(true)
        expect(set.data.some((e) => e.owner_id === "0")).toBe(true)
        expect(set.template).toBeTypeOf("string")

        for (const path of ["/users/follows", "/tags/streams"]) {
          const gone = yield* get(`${h}${path}`, app)
          expect(gone.status).toBe(410)
          expect(gone.json()).toEqual({ error: "Gone", status: 410, message: "The API is deprecated." })
        }
      })
    ))

  it.live("twitch-cli layout: /mock/users answers like /helix/users", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const a = yield* get(`${mock.http.mockHelixUrl}/users`, user)
        const b = yield* get(`${mock.http.helixUrl}/users`, user)
        expect(a.status).toBe(200)
        expect(a.json()).toEqual(b.json())
        expect(yield* mock.control.counter("route:GET /helix/users")).toBe(2)
      })
    ))

  it.live("token bucket: Ratelimit-* headers count down, 429 past the limit, per (client, user) buckets", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const url = `${mock.http.helixUrl}/games/top`
        const before = Math.floor(Date.now() / 1000)
        const remaining: Array<string | null> = []
        for (let i = 0; i < 5; i++) {
          const res = yield* get(url, user)
          expect(res.status).toBe(200)
          expect(res.headers.get("ratelimit-limit")).toBe("5")
          remaining.push(res.headers.get("ratelimit-remaining"))
        }
        expect(remaining).toEqual(["4", "3", "2", "1", "0"])
        const limited = yield* get(url, user)
        expect(limited.status).toBe(429)
        expect(limited.json()).toMatchObject({ error: "Too Many Requests", status: 429 })
        expect(limited.headers.get("ratelimit-remaining")).toBe("0")
        const reset = Number(limited.headers.get("ratelimit-reset"))
        expect(reset).toBeGreaterThanOrEqual(before)
        expect(reset).toBeLessThanOrEqual(before + 62)
        // The app token and another user have their own buckets.
        expect((yield* get(url, app)).status).toBe(200)
        expect((yield* get(url, helixHeaders(creds.secondUserToken))).status).toBe(200)
        expect(yield* mock.control.counter("429")).toBe(1)
      }), { http: { rateLimit: { limit: 5 } } }))

  it.live("unknown /helix paths: 404 with Twitch's body, still counted by the bucket (headers, then 429)", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const first = yield* get(`${mock.http.helixUrl}/no/such/endpoint?x=1`, user)
        expect(first.status).toBe(404)
        expect(first.json()).toEqual({ error: "Not Found", status: 404, message: "" })
        expect(first.headers.get("ratelimit-limit")).toBe("3")
        expect(first.headers.get("ratelimit-remaining")).toBe("2")
        expect(Number(first.headers.get("ratelimit-reset"))).toBeGreaterThan(0)
        // The twitch-cli layout counts the same, and removed endpoints (410) too: one bucket per user.
        const other = yield* get(`${mock.http.mockHelixUrl}/nothing`, user)
        expect(other.status).toBe(404)
        expect(other.headers.get("ratelimit-remaining")).toBe("1")
        const gone = yield* get(`${mock.http.helixUrl}/users/follows`, user)
        expect(gone.status).toBe(410)
        expect(gone.headers.get("ratelimit-remaining")).toBe("0")
        const limited = yield* get(`${mock.http.helixUrl}/no/such/endpoint`, user)
        expect(limited.status).toBe(429)
        expect(limited.headers.get("ratelimit-remaining")).toBe("0")
        // Without a token the request is still counted (in a bucket of its own), and still a 404.
        const anonymous = yield* get(`${mock.http.helixUrl}/no/such/endpoint`)
        expect(anonymous.status).toBe(404)
        expect(anonymous.headers.get("ratelimit-remaining")).toBe("2")
        // Outside /helix an unknown path has no Ratelimit headers.
        const outside = yield* get(`${mock.http.baseUrl}/nothing/here`, user)
        expect(outside.status).toBe(404)
        expect(outside.headers.get("ratelimit-limit")).toBeNull()
        expect(yield* mock.control.counter("429")).toBe(1)
      }), { http: { rateLimit: { limit: 3 } } }))

  // On the TestClock: a loaded machine can stretch four requests past a real 300 ms window.
  it.effect("token bucket refills over its window", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const url = `${mock.http.helixUrl}/games/top`
        for (let i = 0; i < 3; i++) expect((yield* get(url, user)).status).toBe(200)
        expect((yield* get(url, user)).status).toBe(429)
        yield* TestClock.adjust("400 millis")
        const res = yield* get(url, user)
        expect(res.status).toBe(200)
      }), { http: { rateLimit: { limit: 3, windowMillis: 300 } } }))
})

describe("mock Helix user emotes", () => {
  it.live("GET /chat/emotes/user: globals plus subscribed and followed channels' emotes, scope-checked", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const url = `${mock.http.helixUrl}/chat/emotes/user?user_id=${MockWorld.defaultUserId}`
        const body = (yield* get(url, user)).json<Page>()
        expect(body.template).toContain("{{id}}")
        const owners = new Set(body.data.map((e) => e.owner_id))
        expect(owners.has("0")).toBe(true)
        const live = (yield* mock.world.streams)[0]
        // The default user subscribes to every live channel of the default world.
        expect(body.data.some((e) => e.owner_id === live.userId && e.emote_type === "subscriptions")).toBe(
          true
        )
        expect(body.data.every((e) => e.emote_type !== "bitstier")).toBe(true)
        const noScope = yield* get(url, helixHeaders(creds.noFollowsUserToken))
        expect(noScope.json()).toEqual({
          error: "Unauthorized",
          status: 401,
          message: "Missing scope: user:read:emotes"
        })
      })
    ))
})
