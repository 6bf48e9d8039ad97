import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Channels } from "../../src/helix/Channels.js"
import { Games } from "../../src/helix/Games.js"
import { Streams } from "../../src/helix/Streams.js"
import { Users } from "../../src/helix/Users.js"
import * as HelixMemory from "../../src/testing/HelixMemory.js"

const user = (id: string, login: string) => ({
  id,
  login,
  displayName: login,
  type: "",
  broadcasterType: "",
  description: "",
  profileImageUrl: "p.png",
  offlineImageUrl: Option.none(),
  viewCount: Option.none(),
  email: Option.none(),
  createdAt: new Date("2020-01-01T00:00:00Z")
})

const stream = (userId: string, login: string, gameId: string, viewerCount: number) => ({
  id: `s${userId}`,
  userId,
  userLogin: login,
  userName: login,
  gameId: Option.some(gameId),
  gameName: Option.some(`game ${gameId}`),
  type: "live",
  title: "hi",
  tags: [],
  viewerCount,
  startedAt: new Date(),
  language: "en",
  thumbnailUrl: "t-{width}x{height}.jpg",
  isMature: false
})

const TestHelix = HelixMemory.layer({
  games: [
    { id: "1", name: "Chess", boxArtUrl: "c-{width}x{height}.jpg", igdbId: Option.none() },
    { id: "2", name: "Chess Puzzles", boxArtUrl: "p.jpg", igdbId: Option.some("77") }
  ],
  users: [user("10", "alice"), user("11", "bob")],
  channels: [{
    broadcasterId: "10",
    broadcasterLogin: "alice",
    broadcasterName: "alice",
    broadcasterLanguage: "en",
    gameId: Option.some("1"),
    gameName: Option.some("Chess"),
    title: "blitz",
    delay: 0,
    tags: [],
    contentClassificationLabels: [],
    isBrandedContent: false
  }],
  streams: [stream("10", "alice", "1", 5), stream("11", "bob", "1", 50)],
  follows: { "11": ["10"] },
  me: "11"
})

describe("HelixMemory", () => {
  it.effect("answers every Helix service from plain data", () =>
    Effect.gen(function*() {
      const games = yield* Games
      const streams = yield* Streams
      const users = yield* Users
      const channels = yield* Channels
      expect(Option.getOrThrow(yield* games.byName("Chess")).boxArt(10, 20)).toBe("c-10x20.jpg")
      expect(Chunk.toArray(yield* Stream.runCollect(games.search("chess", { live: true }))).map((c) => c.id))
        .toEqual(["1"])
      expect(yield* games.viewers("1")).toEqual({ gameId: "1", viewers: 55, channels: 2 })
      const live = yield* Stream.runCollect(streams.list({ gameIds: ["1"] }))
      expect(Chunk.toArray(live).map((s) => s.userLogin)).toEqual(["bob", "alice"])
      expect(Option.isNone(yield* streams.byLogin("carol"))).toBe(true)
      expect((yield* users.me).login).toBe("bob")
      const followed = yield* Stream.runCollect(streams.followed())
      expect(Chunk.toArray(followed).map((s) => s.userLogin)).toEqual(["alice"])
      const channel = Option.getOrThrow(yield* channels.byLogin("Alice"))
      expect(channel.title).toBe("blitz")
      expect(Option.isNone(yield* channels.byLogin("bob"))).toBe(true)
    }).pipe(Effect.provide(TestHelix)))
})
