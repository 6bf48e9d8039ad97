import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import { Channels } from "../../src/helix/Channels.js"
import { Games } from "../../src/helix/Games.js"
import * as Helix from "../../src/helix/Helix.js"
import * as Paging from "../../src/helix/Paging.js"
import { Streams } from "../../src/helix/Streams.js"
import { Users } from "../../src/helix/Users.js"
import * as Control from "../../src/testing/mock/Control.js"
import * as MockWorld from "../../src/testing/mock/World.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"

/** The Helix services against a fresh mock Twitch (HTTP only), with `token`. */
const onMock = (
  token: string | AccessToken.AccessToken = MockTwitch.credentials.userToken,
  options: MockTwitch.Options = {}
) =>
  Helix.layer({ retryBase: "5 millis" }).pipe(
    Layer.provideMerge(TwitchAuth.layerStatic(token)),
    Layer.provideMerge(MockTwitch.layerTwitchConfig),
    Layer.provideMerge(MockTwitch.layer({ irc: false, ...options })),
    Layer.provide(NodeHttpClient.layerUndici)
  )

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toArray)

const helixRequests = (route: string) =>
  Effect.flatMap(Control.Control, (c) => c.counter(Control.routeCounter("GET", route)))

describe("Helix services on the mock Twitch", () => {
  it.scopedLive("Games: top games page by page, by name and id, search with the live filter, viewer totals", () =>
    Effect.gen(function*() {
      const games = yield* Games
      const world = yield* MockWorld.World
      const state = yield* world.snapshot
      const top = yield* collect(games.top({ pageSize: 5 }))
      expect(top.length).toBe(state.games.length)
      expect(new Set(top.map((g) => g.id)).size).toBe(top.length)
      expect(yield* helixRequests("/helix/games/top")).toBe(Math.ceil(state.games.length / 5))

      const first = top[0]
      expect(Option.getOrThrow(yield* games.byName(first.name)).id).toBe(first.id)
      expect(Option.getOrThrow(yield* games.byId(first.id)).name).toBe(first.name)
      expect(Option.isNone(yield* games.byName("No Such Game Anywhere"))).toBe(true)
      expect(first.boxArt(52, 72)).toContain("52x72")

      // Viewer totals equal the sum over the world's live streams of that game.
      const live = state.streams.filter((s) => s.gameId === first.id)
      const totals = yield* games.viewers(first)
      expect(totals).toEqual({
        gameId: first.id,
        viewers: live.reduce((sum, s) => sum + s.viewerCount, 0),
        channels: live.length
      })

      // The live filter keeps only categories with a live stream.
      const word = first.name.split(" ")[0]
      const all = yield* collect(games.search(word))
      const liveOnly = yield* collect(games.search(word, { live: true }))
      expect(all.map((c) => c.id)).toContain(first.id)
      for (const category of liveOnly) {
        expect(state.streams.some((s) => s.gameId === category.id)).toBe(true)
      }
      for (const category of all.filter((c) => !liveOnly.some((l) => l.id === c.id))) {
        expect(state.streams.some((s) => s.gameId === category.id)).toBe(false)
      }
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("Streams: by channel (none when offline), by game over several pages, >100 channels, search", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const world = yield* MockWorld.World
      const state = yield* world.snapshot
      const liveOne = state.streams[0]
      const liveLogin = state.users.find((u) => u.id === liveOne.userId)!.login
      const stream = Option.getOrThrow(yield* streams.byLogin(liveLogin.toUpperCase()))
      expect(stream.userId).toBe(liveOne.userId)
      expect(stream.viewerCount).toBe(liveOne.viewerCount)
      const offline = state.users.find((u) => !state.streams.some((s) => s.userId === u.id))!
      expect(Option.isNone(yield* streams.byLogin(offline.login))).toBe(true)

      const all = yield* collect(streams.list({ pageSize: 3 }))
      expect(all.length).toBe(state.streams.length)
      const counts = all.map((s) => s.viewerCount)
      expect(counts).toEqual([...counts].sort((a, b) => b - a))

      const byGame = yield* collect(streams.list({ gameIds: [liveOne.gameId] }))
      expect(byGame.length).toBe(state.streams.filter((s) => s.gameId === liveOne.gameId).length)

      // 150 channel names (logins and ids mixed) go out in two requests of at most 100.
      const before = yield* helixRequests("/helix/streams")
      const logins = [
        ...state.users.map((u) => u.login),
        ...Array.from({ length: 150 }, (_, i) => `nobody${i}`)
      ]
        .slice(0, 140)
      const mixed = yield* collect(
        streams.list({ userLogins: logins, userIds: state.streams.map((s) => s.userId).slice(0, 10) })
      )
      expect(yield* helixRequests("/helix/streams")).toBe(before + 2)
      expect(new Set(mixed.map((s) => s.userId)).size).toBe(
        state.streams.filter((s) =>
          logins.includes(state.users.find((u) => u.id === s.userId)!.login) ||
          state.streams.slice(0, 10).some((t) => t.userId === s.userId)
        ).length
      )

      const found = yield* collect(streams.search(liveLogin.slice(0, 4)))
      expect(found.map((s) => s.userId)).toContain(liveOne.userId)
      for (const s of found) expect(s.type).toBe("live")
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("Streams: followed streams of the logged-in user, and NotAuthorized without the scope", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const world = yield* MockWorld.World
      const state = yield* world.snapshot
      const followed = yield* collect(streams.followed({ pageSize: 2 }))
      const expected = state.follows
        .filter((f) => f.fromId === MockWorld.defaultUserId)
        .filter((f) => state.streams.some((s) => s.userId === f.toId))
      expect(followed.length).toBe(expected.length)
      expect(followed.length).toBeGreaterThan(0)
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("Streams: followed streams with a token lacking user:read:follows fail with NotAuthorized", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const error = yield* Effect.flip(collect(streams.followed()))
      expect(error._tag).toBe("NotAuthorized")
      expect(error._tag === "NotAuthorized" && error.scope).toBe("user:read:follows")
    }).pipe(Effect.provide(onMock(MockTwitch.credentials.noFollowsUserToken))))

  it.scopedLive("Streams: followed streams with an app token fail before any request", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const error = yield* Effect.flip(collect(streams.followed()))
      expect(error._tag === "NotAuthorized" && error.reason).toBe("WrongTokenKind")
      expect(yield* helixRequests("/helix/streams/followed")).toBe(0)
    }).pipe(Effect.provide(onMock(AccessToken.make(MockTwitch.credentials.appToken, { kind: "app" })))))

  it.scopedLive("Channels: follower count with an app token fails before any request and keeps the token", () =>
    Effect.gen(function*() {
      const channels = yield* Channels
      const error = yield* Effect.flip(channels.followerCount(MockWorld.defaultUserId))
      expect(error._tag === "NotAuthorized" && error.reason).toBe("WrongTokenKind")
      expect(yield* helixRequests("/helix/channels/followers")).toBe(0)
      // The app token still serves the endpoints it is good for.
      expect(yield* TwitchAuth.authorized).toBe(true)
    }).pipe(Effect.provide(onMock(AccessToken.make(MockTwitch.credentials.appToken, { kind: "app" })))))

  it.scopedLive("Users and Channels: me, by login, batches, joined channel, channel search", () =>
    Effect.gen(function*() {
      const users = yield* Users
      const channels = yield* Channels
      const world = yield* MockWorld.World
      const state = yield* world.snapshot
      const me = yield* users.me
      expect(me.login).toBe(MockWorld.defaultUserLogin)
      expect(me.createdAt).toBeInstanceOf(Date)
      const some = yield* users.list({
        logins: state.users.slice(0, 5).map((u) => u.login),
        ids: [state.users[6].id]
      })
      expect(some.map((u) => u.id).sort()).toEqual(
        [...state.users.slice(0, 5), state.users[6]].map((u) => u.id).sort()
      )

      const channel = Option.getOrThrow(yield* channels.byLogin(state.users[1].login))
      const info = state.channels.find((c) => c.broadcasterId === state.users[1].id)!
      expect(channel.id).toBe(state.users[1].id)
      expect(channel.title).toBe(info.title)
      expect(channel.information.broadcasterLanguage).toBe(info.language)
      expect(Option.isNone(yield* channels.byLogin("nosuchchannel"))).toBe(true)

      const found = yield* Paging.collect(channels.search(state.users[1].login.slice(0, 3)), { limit: 100 })
      expect(found.map((c) => c.id)).toContain(state.users[1].id)
      const liveFound = yield* collect(channels.search(state.users[1].login.slice(0, 3), { liveOnly: true }))
      for (const c of liveFound) expect(c.isLive).toBe(true)
      expect(yield* channels.followerCount(MockWorld.defaultUserId)).toBe(
        state.follows.filter((f) => f.toId === MockWorld.defaultUserId).length
      )
    }).pipe(Effect.provide(onMock())))

  it.scopedLive("survives the mock's 500s and 429s: retries, waits for the reset, then answers", () =>
    Effect.gen(function*() {
      const users = yield* Users
      const control = yield* Control.Control
      yield* control.failWith(500, { surface: "helix", times: 2 })
      expect((yield* users.me).login).toBe(MockWorld.defaultUserLogin)
      // A bucket of 3 points per 2 s: the fourth quick call would be a 429; we wait instead.
      for (let i = 0; i < 6; i++) yield* users.me
      expect(yield* control.counter(Control.counterNames.tooManyRequests)).toBe(0)
      // A 429 the client did not see coming (injected) is waited out and retried.
      yield* control.failWith(429, { surface: "helix", times: 1 })
      expect((yield* users.me).login).toBe(MockWorld.defaultUserLogin)
    }).pipe(Effect.provide(onMock(undefined, { http: { rateLimit: { limit: 3, windowMillis: 2000 } } }))))
})
