import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import eventSubFile from "../../../src/spec/eventsub.json" with { type: "json" }
import * as HelixSpec from "../../../src/spec/HelixSpec.js"
import * as MockWorld from "../../../src/testing/mock/World.js"

describe("MockWorld", () => {
  it("builds the same world for the same seed and a different one for another seed", () => {
    const a = MockWorld.defaultWorldData(1_700_000_000_000)
    const b = MockWorld.defaultWorldData(1_700_000_000_000)
    const c = MockWorld.defaultWorldData(1_700_000_000_000, { seed: 7 })
    expect(a).toEqual(b)
    expect(c.users.map((u) => u.login)).not.toEqual(a.users.map((u) => u.login))
  })

  it("has the documented default layout", () => {
    const w = MockWorld.defaultWorldData(1_700_000_000_000)
    expect(w.users).toHaveLength(40)
    expect(w.games).toHaveLength(12)
    expect(w.streams).toHaveLength(20)
    expect(new Set(w.users.map((u) => u.login)).size).toBe(40)
    expect(w.users[0]).toMatchObject({ id: MockWorld.defaultUserId, login: MockWorld.defaultUserLogin })
    expect(w.streams.some((s) => s.userId === MockWorld.defaultUserId)).toBe(false)
    expect(w.streams.filter((s) => s.geoBlocked)).toHaveLength(1)
    expect(w.streams.filter((s) => s.restrictedQualities.length > 0)).toHaveLength(1)
    expect(w.channels.filter((c) => c.suspended)).toHaveLength(1)
    expect(new Set(w.streams.map((s) => s.gameId)).size).toBeGreaterThan(5)
    expect(new Set(w.streams.map((s) => s.viewerCount)).size).toBe(20)
    const followed = w.follows.filter((f) => f.fromId === MockWorld.defaultUserId).map((f) => f.toId)
    const liveFollowed = w.streams.filter((s) => followed.includes(s.userId))
    expect(liveFollowed.length).toBeGreaterThan(5)
    expect(followed.length).toBeGreaterThan(liveFollowed.length)
    for (const e of w.emotes) expect(e.id).toMatch(/^(\d+|emotesv2_[0-9a-f]{32})$/)
    for (const c of w.clients) expect(c.clientId.length).toBeGreaterThanOrEqual(30)
    // Every stream's user and game exist.
    for (const s of w.streams) {
      expect(w.users.some((u) => u.id === s.userId)).toBe(true)
      expect(w.games.some((g) => g.id === s.gameId)).toBe(true)
    }
  })

  it.effect("ready tokens validate; the expired one does not", () =>
    Effect.gen(function*() {
      const world = yield* MockWorld.make()
      const token = yield* world.validateToken(MockWorld.defaultUserToken)
      expect(token.userId).toBe(MockWorld.defaultUserId)
      expect(token.scopes).toContain("user:read:follows")
      const limited = yield* world.validateToken(MockWorld.noFollowsUserToken)
      expect(limited.scopes).not.toContain("user:read:follows")
      const app = yield* world.validateToken(MockWorld.appToken)
      expect(app.userId).toBeUndefined()
      const expired = yield* Effect.flip(world.validateToken(MockWorld.expiredUserToken))
      expect(expired.reason).toBe("ExpiredToken")
      const unknown = yield* Effect.flip(world.validateToken("nope"))
      expect(unknown.reason).toBe("InvalidToken")
    }))

  it.effect("issued tokens expire on the TestClock", () =>
    Effect.gen(function*() {
      const world = yield* MockWorld.make()
      const token = yield* world.issueToken({
        clientId: MockWorld.defaultClientId,
        userId: MockWorld.defaultUserId,
        scopes: ["chat:read"],
        lifetimeSeconds: 60
      })
      expect(token.value).toMatch(/^[a-z0-9]{30}$/)
      yield* world.validateToken(token.value)
      yield* TestClock.adjust("59 seconds")
      yield* world.validateToken(token.value)
      yield* TestClock.adjust("1 second")
      const error = yield* Effect.flip(world.validateToken(token.value))
      expect(error.reason).toBe("ExpiredToken")
    }))

  it.effect("refresh tokens are one-time and revoke the old access token", () =>
    Effect.gen(function*() {
      const world = yield* MockWorld.make()
      const next = yield* world.refreshToken(MockWorld.defaultClientId, MockWorld.defaultRefreshToken)
      expect(next.scopes).toEqual(MockWorld.allScopes)
      expect(next.refreshToken).toBeDefined()
      yield* world.validateToken(next.value)
      expect((yield* Effect.flip(world.validateToken(MockWorld.defaultUserToken))).reason).toBe(
        "InvalidToken"
      )
      const again = yield* Effect.flip(
        world.refreshToken(MockWorld.defaultClientId, MockWorld.defaultRefreshToken)
      )
      expect(again.reason).toBe("InvalidRefreshToken")
    }))

  it.effect("device codes: pending, slow_down, approved once, then invalid", () =>
    Effect.gen(function*() {
      const world = yield* MockWorld.make()
      const code = yield* world.createDeviceCode(MockWorld.publicClientId, ["chat:read"])
      expect(code.userCode).toMatch(/^[A-Z]{8}$/)
      const poll = world.pollDeviceCode(MockWorld.publicClientId, code.deviceCode)
      expect((yield* Effect.flip(poll)).reason).toBe("AuthorizationPending")
      expect((yield* Effect.flip(poll)).reason).toBe("SlowDown")
      yield* TestClock.adjust("5 seconds")
      expect((yield* Effect.flip(poll)).reason).toBe("AuthorizationPending")
      yield* world.approveDeviceCode(code.userCode)
      yield* TestClock.adjust("5 seconds")
      const token = yield* poll
      expect(token.userId).toBe(MockWorld.defaultUserId)
      expect(token.scopes).toEqual(["chat:read"])
      yield* TestClock.adjust("5 seconds")
      expect((yield* Effect.flip(poll)).reason).toBe("InvalidDeviceCode")
    }))

  it.effect("device codes expire and can be denied", () =>
    Effect.gen(function*() {
      const world = yield* MockWorld.make()
      const code = yield* world.createDeviceCode(MockWorld.publicClientId, [])
      yield* TestClock.adjust("1801 seconds")
      const expired = yield* Effect.flip(world.pollDeviceCode(MockWorld.publicClientId, code.deviceCode))
      expect(expired.reason).toBe("InvalidDeviceCode")
      const other = yield* world.createDeviceCode(MockWorld.publicClientId, [])
      yield* world.denyDeviceCode(other.userCode)
      const denied = yield* Effect.flip(world.pollDeviceCode(MockWorld.publicClientId, other.deviceCode))
      expect(denied.reason).toBe("AccessDenied")
    }))

  it.effect("authorization codes are bound to client and redirect URI and usable once", () =>
    Effect.gen(function*() {
      const world = yield* MockWorld.make()
      const code = yield* world.createAuthCode({
        clientId: MockWorld.defaultClientId,
        userId: MockWorld.defaultUserId,
        scopes: ["user:read:follows"],
        redirectUri: "http://localhost:3000"
      })
      const wrong = yield* Effect.flip(world.exchangeAuthCode({
        clientId: MockWorld.defaultClientId,
        code: code.code,
        redirectUri: "http://localhost:42420"
      }))
      expect(wrong.reason).toBe("InvalidCode")
      const token = yield* world.exchangeAuthCode({
        clientId: MockWorld.defaultClientId,
        code: code.code,
        redirectUri: "http://localhost:3000"
      })
      expect(token.scopes).toEqual(["user:read:follows"])
      const reused = yield* Effect.flip(world.exchangeAuthCode({
        clientId: MockWorld.defaultClientId,
        code: code.code,
        redirectUri: "http://localhost:3000"
      }))
      expect(reused.reason).toBe("InvalidCode")
    }))

  it.scoped("adds users, streams and chatters and publishes events", () =>
    Effect.gen(function*() {
      const world = yield* MockWorld.make()
      const events = yield* PubSub.subscribe(world.events)
      const user = yield* world.addUser({ login: "NewStreamer", displayName: "NewStreamer" })
      expect(user.login).toBe("newstreamer")
      expect(Option.isSome(yield* world.userByLogin("NEWSTREAMER"))).toBe(true)
      expect(Option.isSome(yield* world.channel(user.id))).toBe(true)
      const conflict = yield* Effect.flip(world.addUser({ login: "newstreamer" }))
      expect(conflict.reason).toBe("Conflict")
      const stream = yield* world.startStream({ userId: user.id, gameId: "509658", viewerCount: 999_999 })
      const streams = yield* world.streams
      expect(streams[0].id).toBe(stream.id)
      yield* world.addChatter(user.id, MockWorld.secondUserId)
      expect((yield* world.chatters(user.id)).map((u) => u.login)).toEqual([MockWorld.secondUserLogin])
      const state = yield* world.setRoomState(user.id, { slow: 10 })
      expect(state.slow).toBe(10)
      yield* world.endStream(user.id)
      expect(Option.isNone(yield* world.stream(user.id))).toBe(true)
      const tags = Array.from(yield* Queue.takeAll(events), (e) => e._tag)
      expect([...tags]).toEqual([
        "UserAdded",
        "StreamStarted",
        "ChatterJoined",
        "RoomStateChanged",
        "StreamEnded"
      ])
    }))
})

describe("MockWorld files", () => {
  it.effect("a dumped world decodes as a world file and rebuilds the same world", () =>
    Effect.gen(function*() {
      const { rng: _rng, ...data } = MockWorld.defaultWorldData(1_700_000_000_000, { seed: 9 })
      const file = Schema.decodeUnknownSync(Schema.parseJson(MockWorld.WorldFile))(JSON.stringify(data))
      expect(MockWorld.fromFile(file)).toEqual(data)
      const world = yield* MockWorld.make({ data: MockWorld.fromFile(file) })
      expect((yield* world.streams).length).toBe(20)
    }))

  it.effect("a partial file keeps the default clients and leaves the rest empty; bad files fail to decode", () =>
    Effect.gen(function*() {
      const file = Schema.decodeUnknownSync(MockWorld.WorldFile)({ games: [] })
      const data = MockWorld.fromFile(file)
      expect(data.clients.map((c) => c.clientId)).toContain(MockWorld.defaultClientId)
      expect(data.users).toEqual([])
      const world = yield* MockWorld.make({ data })
      const app = yield* world.issueToken({ clientId: MockWorld.defaultClientId })
      expect(app.userId).toBeUndefined()
      expect(() => Schema.decodeUnknownSync(MockWorld.WorldFile)({ users: [{ login: "x" }] })).toThrow()
    }))

  it("the every-scope token holds every scope the Helix spec and EventSub name", () => {
    const spec = HelixSpec.operations.flatMap((o) => o.operation.scopes.anyOf ?? [])
    const eventSub = eventSubFile.subscriptionTypes.flatMap((t) => t.scopes)
    const missing = [...new Set([...spec, ...eventSub])].filter((scope) =>
      !MockWorld.allScopes.includes(scope)
    )
    expect(missing).toEqual([])
    const w = MockWorld.defaultWorldData(1_700_000_000_000)
    expect(w.tokens.find((t) => t.value === MockWorld.defaultUserToken)?.scopes).toEqual(MockWorld.allScopes)
  })

  it("draws the Helix areas after the other parts: the default user gets what the operations act on", () => {
    const a = MockWorld.defaultWorldData(1_700_000_000_000)
    const live = MockWorld.defaultWorldData(1_700_000_000_000, { liveTokenUser: true })
    // Going live only appends the default user's stream; the generator's state is the same.
    expect(live.streams.slice(0, -1)).toEqual(a.streams)
    expect(live.streams.at(-1)?.userId).toBe(MockWorld.defaultUserId)
    expect({ ...live, streams: a.streams }).toEqual(a)
    const me = MockWorld.defaultUserId
    const mine = <T extends { readonly broadcasterId: string }>(items: ReadonlyArray<T>) =>
      items.filter((x) => x.broadcasterId === me)
    expect(mine(a.unbanRequests).filter((r) => r.status === "pending")).toHaveLength(1)
    expect(mine(a.heldMessages).filter((m) => m.status === "pending")).toHaveLength(1)
    expect(mine(a.customRewards).length).toBeGreaterThan(0)
    expect(mine(a.redemptions).filter((r) => r.status === "UNFULFILLED").length).toBeGreaterThan(0)
    expect(mine(a.charityCampaigns)).toHaveLength(1)
    expect(mine(a.goals).length).toBeGreaterThan(0)
    expect(mine(a.hypeTrains)).toHaveLength(1)
    expect(mine(a.guestStarSessions).filter((x) => x.endedAt === "")).toHaveLength(1)
    expect(a.channels[0].subscribers.length).toBeGreaterThan(0)
    expect(a.vods.filter((v) => v.userId === me)).toHaveLength(2)
    expect(mine(a.clips).length).toBeGreaterThan(0)
    expect(a.extensions.map((e) => [e.id, e.ownerId])).toEqual([[MockWorld.extensionClientId, me]])
    // Every id the areas drew is distinct.
    const ids = [...a.customRewards, ...a.redemptions, ...a.polls, ...a.predictions, ...a.goals].map((x) =>
      x.id
    )
    expect(new Set(ids).size).toBe(ids.length)
  })
})
