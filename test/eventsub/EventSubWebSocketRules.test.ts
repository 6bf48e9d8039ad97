import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as CloseCode from "../../src/eventsub/CloseCode.js"
import * as Types from "../../src/eventsub/generated/Types.js"
import type { EventSubError } from "../../src/TwitchError.js"
import { eventOf, eventually, realSleep, recordEvents, take, withClient } from "./support/client.js"

const follow = { broadcasterUserId: "1", moderatorUserId: "1" }
const fast = { backoff: Schedule.spaced("50 millis") }

const limitOf = (result: Either.Either<unknown, unknown>) =>
  Either.isLeft(result) && (result.left as EventSubError)._tag === "EventSubError"
    ? [(result.left as EventSubError).reason, (result.left as EventSubError).limit]
    : result

describe("EventSubWebSocket: Twitch's rules", () => {
  it.scopedLive("session_reconnect mid-burst: nothing lost, nothing twice, the old socket closed after the new welcome", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        const events = yield* client.subscribeScoped(Types.channelFollowV2, follow)
        const sub = server.enabled()[0]!
        const old = server.sessions.get(sub.sessionId)!.socket!
        const ids = Array.from({ length: 300 }, (_, i) => `m${i}`)
        for (const id of ids.slice(0, 100)) {
          server.notify(sub, eventOf("channel.follow", "2", { user_id: id }), { id })
        }
        server.reconnect(sub.sessionId)
        // the old connection keeps delivering until the new welcome
        for (const id of ids.slice(100, 150)) {
          server.notify(sub, eventOf("channel.follow", "2", { user_id: id }), { id, socket: old })
        }
        yield* eventually(() => (server.sessions.get(sub.sessionId)!.socket !== old ? true : undefined))
        for (const id of ids.slice(150, 200)) {
          server.notify(sub, eventOf("channel.follow", "2", { user_id: id }), { id, socket: old })
        }
        // copies of messages the old socket carried, resent on the new one
        for (const id of ids.slice(120, 200)) {
          server.notify(sub, eventOf("channel.follow", "2", { user_id: id }), { id })
        }
        for (const id of ids.slice(200)) {
          server.notify(sub, eventOf("channel.follow", "2", { user_id: id }), { id })
        }
        const got = (yield* take(events, 300)).map((e) => e.userId)
        expect(new Set(got).size).toBe(300)
        expect([...got].sort()).toEqual([...ids].sort())
        yield* eventually(() => (old.readyState === old.CLOSED ? true : undefined))
        expect(server.sessions.get(sub.sessionId)!.closedBy).toEqual([1000])
        expect(
          server.seen.filter((r) => r.method === "POST").length
        ).toBe(1)
        const stats = yield* client.stats
        expect(stats.notifications).toBe(300)
        // 120..149 always arrive twice; 150..199 (sent on the old socket after the new welcome)
        // arrive twice only when read before the client closed the old socket.
        expect(stats.duplicates).toBeGreaterThanOrEqual(30)
        expect(stats.duplicates).toBeLessThanOrEqual(80)
        expect(Option.map(yield* client.session, (s) => s.id)).toEqual(Option.some(sub.sessionId))
      })))

  it.scoped("silence past the keepalive timeout is a dead connection (TestClock); keepalives keep it", () =>
    withClient({ ...fast, keepaliveTimeoutSeconds: 10 }, (client, server) =>
      Effect.gen(function*() {
        const seen = yield* recordEvents(client)
        yield* client.subscribeScoped(Types.channelFollowV2, follow)
        const session = server.current!.id
        yield* TestClock.adjust("11 seconds")
        server.keepalive(session)
        yield* realSleep(100)
        yield* TestClock.adjust("11 seconds")
        expect(seen.some((e) => e._tag === "Disconnected")).toBe(false)
        yield* TestClock.adjust("2 seconds")
        yield* realSleep(50)
        const disconnected = seen.find((e) => e._tag === "Disconnected")
        expect(disconnected?._tag === "Disconnected" && disconnected.reason).toBe("Silent")
        // it connects again after the backoff and recreates the subscription there
        yield* TestClock.adjust("100 millis")
        const recreated = yield* Effect.promise(async () => {
          for (let i = 0; i < 200 && server.enabled().every((s) => s.sessionId === session); i++) {
            await new Promise((r) => setTimeout(r, 10))
          }
          return server.enabled().find((s) => s.sessionId !== session)
        })
        expect(recreated).toBeDefined()
        expect(server.connections).toBe(2)
      })))

  it.scopedLive("creates every wanted subscription right after the welcome (Twitch's 10 s rule), also after a drop", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        const wanted = Array.from({ length: 40 }, (_, i) => ({ broadcasterUserId: `${i}` }))
        yield* Effect.forEach(wanted, (c) => client.subscribeScoped(Types.streamOnlineV1, c), {
          concurrency: "unbounded"
        })
        const first = server.current!.id
        expect(server.enabled().length).toBe(40)
        server.closeWith(first, 4003)
        const second = yield* eventually(() => {
          const enabled = server.enabled()
          return enabled.length === 40 && enabled.every((s) => s.sessionId !== first)
            ? enabled[0]!.sessionId
            : undefined
        })
        const welcomed = server.welcomedAt.get(second)!
        const last = Math.max(...server.createdAt)
        expect(last - welcomed).toBeLessThan(10_000)
        expect(last - welcomed).toBeLessThan(3_000)
      })))

  it.scopedLive("close codes 4000-4007 become typed reasons on events", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        const seen = yield* recordEvents(client)
        yield* client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: "1" })
        for (const code of [4001, 4005, 4007]) {
          const id = server.current!.id
          server.closeWith(id, code)
          yield* eventually(
            () => (server.current !== undefined && server.current.id !== id ? true : undefined)
          )
        }
        const reasons = seen.flatMap((
          e
        ) => (e._tag === "Disconnected" ? [[e.reason, Option.getOrNull(e.code)]] : []))
        expect(reasons).toEqual([["SentInboundTraffic", 4001], ["NetworkTimeout", 4005], [
          "InvalidReconnect",
          4007
        ]])
        expect([4000, 4002, 4003, 4004, 4006].map(CloseCode.reasonOf)).toEqual([
          "InternalServerError",
          "FailedPingPong",
          "ConnectionUnused",
          "ReconnectGraceTimeExpired",
          "NetworkError"
        ])
      })))

  it.scopedLive(
    "the 301st subscription on a connection is refused before any request",
    () =>
      withClient({ ...fast, createConcurrency: 20 }, (client, server) =>
        Effect.gen(function*() {
          yield* Effect.forEach(
            Array.from({ length: 300 }, (_, i) => ({ broadcasterUserId: `${i}` })),
            (c) => client.subscribeScoped(Types.streamOnlineV1, c),
            { concurrency: 50 }
          )
          const posts = server.seen.filter((r) => r.method === "POST").length
          const result = yield* Effect.either(
            client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: "x" })
          )
          expect(limitOf(result)).toEqual(["LimitReached", "Subscriptions"])
          expect(server.seen.filter((r) => r.method === "POST").length).toBe(posts)
        })),
    60_000
  )

  it.scopedLive("transports limit: frees the dead session's slots first; a real limit is a typed error", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        server.lagDisable = true
        const events = yield* client.subscribeScoped(Types.channelFollowV2, follow)
        const first = server.enabled()[0]!
        // two other connections of this user hold enabled subscriptions
        for (const session of ["other-a", "other-b"]) {
          server.subs.set(`${session}-sub`, {
            ...first,
            id: `${session}-sub`,
            sessionId: session,
            condition: { x: session }
          })
        }
        server.drop(first.sessionId)
        // the dead session's subscription still counts at Twitch: the first create is refused
        const recreated = yield* eventually(() =>
          server.enabled().find((s) => s.sessionId !== first.sessionId && !s.sessionId.startsWith("other"))
        )
        expect(server.subs.has(first.id)).toBe(false)
        expect(server.subs.has("other-a-sub")).toBe(true)
        server.notify(recreated, eventOf("channel.follow", "2", { user_id: "after" }))
        expect((yield* take(events, 1))[0]?.userId).toBe("after")
        // a third connection elsewhere: now the limit is real
        server.subs.set("other-c-sub", {
          ...first,
          id: "other-c-sub",
          sessionId: "other-c",
          condition: { x: "c" }
        })
        server.lagDisable = false
        server.drop(recreated.sessionId)
        const failed = yield* Effect.either(Stream.runCollect(events))
        expect(limitOf(failed)).toEqual(["LimitReached", "Connections"])
      })))

  it.scopedLive("cost and same-subscription refusals are typed", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        server.forced.push({ status: 429, message: "maximum total cost exceeded" })
        const cost = yield* Effect.either(client.subscribeScoped(Types.channelFollowV2, follow))
        expect(limitOf(cost)).toEqual(["LimitReached", "Cost"])
        server.forced.push({ status: 429, message: "too many subscriptions with same type and condition" })
        const same = yield* Effect.either(
          client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: "1" })
        )
        expect(limitOf(same)).toEqual(["LimitReached", "SameSubscription"])
        const webhookOnly = yield* Effect.either(
          client.subscribeScoped(Types.userAuthorizationRevokeV1 as never, { clientId: "x" } as never)
        )
        expect(limitOf(webhookOnly)).toEqual(["Unsupported", undefined])
      })))

  it.scopedLive("a slow consumer: backpressure keeps every event in order; dropOldest keeps the newest and counts", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        const slow = yield* client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: "1" }, {
          bufferSize: 5
        })
        const lossy = yield* client.subscribeScoped(Types.streamOfflineV1, { broadcasterUserId: "1" }, {
          bufferSize: 5,
          overflow: "dropOldest"
        })
        const online = server.enabled().find((s) => s.type === "stream.online")!
        const offline = server.enabled().find((s) => s.type === "stream.offline")!
        for (let i = 0; i < 50; i++) {
          server.notify(offline, eventOf("stream.offline", "1", { broadcaster_user_id: `${i}` }))
        }
        yield* eventually(() => ((Effect.runSync(client.stats)).notifications === 50 ? true : undefined))
        for (let i = 0; i < 50; i++) {
          server.notify(online, eventOf("stream.online", "1", { id: `${i}` }))
        }
        yield* realSleep(200)
        const kept = Chunk.toArray(yield* Stream.runCollect(Stream.take(lossy, 5))).map((e) =>
          e.broadcasterUserId
        )
        expect(kept).toEqual(["45", "46", "47", "48", "49"])
        expect((yield* client.stats).dropped).toBe(45)
        const all = (yield* take(slow, 50)).map((e) => e.id)
        expect(all).toEqual(Array.from({ length: 50 }, (_, i) => `${i}`))
      })))
})
