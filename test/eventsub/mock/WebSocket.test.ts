/**
 * The WebSocket client against the mock Twitch's EventSub server on loopback: the welcome, silence
 * past the keepalive timeout (on the TestClock), `session_reconnect` in the middle of a burst, a
 * dropped socket, duplicates and stale messages, revocations, and slow consumers.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as Types from "../../../src/eventsub/generated/Types.js"
import { eventually, me, onMock, realSleep, recordEvents, take } from "./support.js"

const fast = { backoff: Schedule.spaced("50 millis") }
const follow = { broadcasterUserId: me, moderatorUserId: me }
const online = { broadcasterUserId: me }

describe("EventSubWebSocket on the mock", () => {
  it.scopedLive("connects when a subscription is wanted, takes the welcome's session, delivers typed events", () =>
    Effect.gen(function*() {
      const { client, control } = yield* onMock({ client: { ...fast, keepaliveTimeoutSeconds: 30 } })
      const seen = yield* recordEvents(client)
      yield* realSleep(50)
      expect((yield* control.counters).connections).toBe(0)
      const events = yield* client.subscribeScoped(Types.channelFollowV2, follow)
      const [session] = yield* control.sessions
      expect(session).toMatchObject({ keepaliveTimeoutSeconds: 30, subscriptions: 1, userId: me })
      expect(Option.map(yield* client.session, (s) => s.id)).toEqual(Option.some(session!.id))
      const [sub] = yield* control.subscriptions
      expect(sub).toMatchObject({
        type: "channel.follow",
        version: "2",
        status: "enabled",
        method: "websocket",
        target: session!.id,
        condition: { broadcaster_user_id: me, moderator_user_id: me }
      })
      yield* eventually(Effect.sync(() => (seen.length === 3 ? true : undefined)))
      expect(seen.map((e) => e._tag)).toEqual(["Connecting", "Welcomed", "Subscribed"])
      yield* control.fire({ type: "channel.follow", event: { user_name: "First" } })
      yield* control.fire({ type: "channel.follow", event: { user_name: "Second" } })
      const got = yield* take(events, 2)
      expect(got.map((e) => e.userName)).toEqual(["First", "Second"])
      expect(got[0]!.broadcasterUserId).toBe(me)
      expect(got[0]!.followedAt).toBeInstanceOf(Date)
    }))

  it.scoped("silence past the keepalive timeout is a dead connection (TestClock); keepalives keep it", () =>
    Effect.gen(function*() {
      const { client, control } = yield* onMock({ client: { ...fast, keepaliveTimeoutSeconds: 10 } })
      const seen = yield* recordEvents(client)
      yield* client.subscribeScoped(Types.streamOnlineV1, online)
      const [first] = yield* control.sessions
      // keepalives arrive every 10 s: 30 s pass without a disconnect
      for (let i = 0; i < 3; i++) {
        yield* TestClock.adjust("10 seconds")
        yield* realSleep(30)
      }
      expect((yield* control.counters).keepalives).toBeGreaterThanOrEqual(3)
      expect(seen.some((e) => e._tag === "Disconnected")).toBe(false)
      yield* control.setKeepalives(false)
      yield* TestClock.adjust("11 seconds")
      yield* realSleep(30)
      expect(seen.some((e) => e._tag === "Disconnected")).toBe(false)
      yield* TestClock.adjust("2 seconds")
      const disconnected = yield* eventually(Effect.sync(() => seen.find((e) => e._tag === "Disconnected")))
      expect(disconnected._tag === "Disconnected" && disconnected.reason).toBe("Silent")
      // after the backoff: a new session, the subscription created there, the old one disabled
      yield* TestClock.adjust("100 millis")
      const recreated = yield* eventually(
        Effect.map(
          control.subscriptions,
          (subs) => subs.find((s) => s.status === "enabled" && s.target !== first!.id)
        )
      )
      expect(recreated.type).toBe("stream.online")
      const old = (yield* control.subscriptions).find((s) => s.target === first!.id)
      expect(old?.status).toBe("websocket_disconnected")
    }))

  it.scopedLive(
    "session_reconnect in the middle of a burst: nothing lost, nothing twice, subscriptions carried over",
    () =>
      Effect.gen(function*() {
        const { client, control } = yield* onMock({ client: fast })
        const seen = yield* recordEvents(client)
        const events = yield* client.subscribeScoped(Types.channelFollowV2, follow)
        const [first] = yield* control.sessions
        // Fire one by one; at the 200th send session_reconnect; go on until the new connection is
        // welcomed and 200 more have gone out (some on the old socket, some on the new one).
        const got: Array<string> = []
        yield* Effect.forkScoped(Stream.runForEach(events, (e) => Effect.sync(() => got.push(e.userName))))
        let total = 0
        let welcomedAt: number | undefined
        while (welcomedAt === undefined || total < welcomedAt + 200) {
          if (total === 200) yield* control.sendReconnect()
          yield* control.fire({ type: "channel.follow", event: { user_id: me, user_name: `u${total}` } })
          total++
          if (welcomedAt === undefined && (yield* control.counters).welcomes === 2) welcomedAt = total
          if (total % 20 === 0) yield* realSleep(1)
        }
        yield* eventually(Effect.sync(() => (got.length >= total ? true : undefined)))
        yield* realSleep(50)
        expect(welcomedAt).toBeGreaterThan(200)
        // across the two sockets the order may differ; every event is there once
        expect([...got].sort()).toEqual(Array.from({ length: total }, (_, i) => `u${i}`).sort())
        // the old connection is closed by the client once the new one is welcomed
        const [second] = yield* eventually(
          Effect.map(control.sessions, (all) => (all.length === 1 ? all : undefined))
        )
        expect(second!.id).not.toBe(first!.id)
        expect((yield* control.counters).closes).toEqual({})
        expect(second!.subscriptions).toBe(1)
        expect(Option.map(yield* client.session, (s) => s.id)).toEqual(Option.some(second!.id))
        // one subscription, carried over: never created again
        expect((yield* control.subscriptions).map((s) => [s.status, s.target])).toEqual([[
          "enabled",
          second!.id
        ]])
        expect(seen.filter((e) => e._tag === "Subscribed").length).toBe(1)
        expect(seen.map((e) => e._tag)).toContain("ReconnectRequested")
        const stats = yield* client.stats
        expect(stats).toMatchObject({ notifications: total, reconnects: 1, unreadable: 0 })
        expect(got.length).toBe(total)
        expect((yield* control.counters).undelivered).toBe(0)
      }),
    30_000
  )

  it.scopedLive(
    "session_reconnect while a slow consumer holds the old socket: what it still carries is read before it closes",
    () =>
      Effect.gen(function*() {
        const { client, control } = yield* onMock({ client: fast })
        const events = yield* client.subscribeScoped(Types.channelFollowV2, follow, { bufferSize: 5 })
        const fire = (from: number, to: number) =>
          Effect.forEach(
            Array.from({ length: to - from }, (_, i) => from + i),
            (i) => control.fire({ type: "channel.follow", event: { user_name: `u${i}` } }),
            { discard: true }
          )
        // Nobody reads: the old socket is paused with these behind the reconnect message.
        yield* fire(0, 50)
        yield* control.sendReconnect()
        yield* fire(50, 100)
        const got: Array<string> = []
        yield* Effect.forkScoped(Stream.runForEach(events, (e) =>
          Effect.zipRight(
            Effect.sync(() => got.push(e.userName)),
            realSleep(2)
          )))
        yield* eventually(Effect.map(control.counters, (c) => (c.welcomes === 2 ? true : undefined)))
        yield* fire(100, 150)
        yield* eventually(Effect.sync(() => (got.length >= 150 ? true : undefined)), 10_000)
        yield* realSleep(50)
        expect([...got].sort()).toEqual(Array.from({ length: 150 }, (_, i) => `u${i}`).sort())
        expect(yield* client.stats).toMatchObject({ notifications: 150, reconnects: 1 })
        expect((yield* control.counters).undelivered).toBe(0)
      }),
    20_000
  )

  it.scopedLive("a dropped socket: reconnects, recreates the subscriptions, events after the new welcome arrive once", () =>
    Effect.gen(function*() {
      const { client, control } = yield* onMock({ client: fast })
      const seen = yield* recordEvents(client)
      const follows = yield* client.subscribeScoped(Types.channelFollowV2, follow)
      const onlines = yield* client.subscribeScoped(Types.streamOnlineV1, online)
      yield* control.fire({ type: "channel.follow", event: { user_name: "before" } })
      expect((yield* take(follows, 1)).map((e) => e.userName)).toEqual(["before"])
      for (const code of [4006, "abrupt"] as const) {
        const [session] = yield* control.sessions
        yield* control.drop({ code })
        const recreated = yield* eventually(Effect.map(control.subscriptions, (subs) => {
          const enabled = subs.filter((s) => s.status === "enabled")
          return enabled.length === 2 && enabled.every((s) => s.target !== session!.id) ? enabled : undefined
        }))
        expect(recreated.map((s) => s.type).sort()).toEqual(["channel.follow", "stream.online"])
        yield* control.fire({ type: "channel.follow", event: { user_name: `after ${code}` } })
        yield* control.fire({ type: "stream.online", event: { id: `live ${code}` } })
        expect((yield* take(follows, 1)).map((e) => e.userName)).toEqual([`after ${code}`])
        expect((yield* take(onlines, 1)).map((e) => e.id)).toEqual([`live ${code}`])
      }
      const disconnects = seen.flatMap((e) => (e._tag === "Disconnected" ? [e.reason] : []))
      expect(disconnects).toEqual(["NetworkError", "SocketError"])
      const dead = (yield* control.subscriptions).filter((s) => s.status !== "enabled").map((s) => s.status)
      expect(dead.sort()).toEqual([
        "websocket_disconnected",
        "websocket_disconnected",
        "websocket_network_error",
        "websocket_network_error"
      ])
      expect(yield* client.stats).toMatchObject({ notifications: 5, duplicates: 0, reconnects: 2 })
    }))

  it.scopedLive("copies of a message (same id) and messages older than 10 minutes are dropped and counted", () =>
    Effect.gen(function*() {
      const { client, control } = yield* onMock({ client: fast })
      const events = yield* client.subscribeScoped(Types.streamOnlineV1, online)
      const first = yield* control.fire({ type: "stream.online", event: { id: "a" } })
      yield* control.resend(first.messageIds[0]!)
      yield* control.resend(first.messageIds[0]!)
      yield* control.fireStale({ type: "stream.online", event: { id: "stale" } })
      yield* control.fire({ type: "stream.online", event: { id: "b" } })
      expect((yield* take(events, 2)).map((e) => e.id)).toEqual(["a", "b"])
      expect(yield* client.stats).toMatchObject({ notifications: 2, duplicates: 2, stale: 1 })
    }))

  it.scopedLive("a revocation ends the subscription's streams with Revoked, shows on notifications, is not recreated", () =>
    Effect.gen(function*() {
      const { client, control } = yield* onMock({ client: fast })
      const all = yield* Effect.fork(Stream.runCollect(Stream.take(client.notifications(), 2)))
      yield* realSleep(20)
      const events = yield* client.subscribeScoped(Types.streamOnlineV1, online)
      const kept = yield* client.subscribeScoped(Types.channelFollowV2, follow)
      const [sub] = (yield* control.subscriptions).filter((s) => s.type === "stream.online")
      yield* control.fire({ type: "stream.online" })
      yield* control.revoke(sub!.id, "authorization_revoked")
      const result = yield* Effect.either(Stream.runCollect(events))
      expect(
        Either.isLeft(result) && result.left._tag === "EventSubError" &&
          [result.left.reason, result.left.status]
      )
        .toEqual(["Revoked", "authorization_revoked"])
      const delivered = [...(yield* Fiber.join(all))]
      expect(delivered.map((d) => d._tag)).toEqual(["Notification", "Revocation"])
      expect(delivered[1]?._tag === "Revocation" && delivered[1].subscriptionId).toBe(sub!.id)
      // after a drop only the other subscription is created again
      const [session] = yield* control.sessions
      yield* control.drop({ code: 4000 })
      yield* eventually(
        Effect.map(
          control.subscriptions,
          (subs) =>
            subs.find((s) =>
              s.status === "enabled" && s.type === "channel.follow" && s.target !== session!.id
            )
        )
      )
      yield* realSleep(200)
      const enabled = (yield* control.subscriptions).filter((s) => s.status === "enabled")
      expect(enabled.map((s) => s.type)).toEqual(["channel.follow"])
      yield* control.fire({ type: "channel.follow", event: { user_name: "still here" } })
      expect((yield* take(kept, 1))[0]?.userName).toBe("still here")
      expect((yield* client.stats).revocations).toBe(1)
    }))

  it.scopedLive("keepScoped: messages reach notifications only, a revocation fails it, closing deletes it", () =>
    Effect.gen(function*() {
      const { client, control } = yield* onMock({ client: fast })
      const all = yield* Effect.fork(Stream.runCollect(Stream.take(client.notifications(), 3)))
      yield* realSleep(20)
      const onlineEnded = yield* client.keepScoped(Types.streamOnlineV1, online)
      const scope = yield* Scope.make()
      const followEnded = yield* Scope.extend(client.keepScoped(Types.channelFollowV2, follow), scope)
      const subs = yield* control.subscriptions
      expect(subs.map((s) => s.type).sort()).toEqual(["channel.follow", "stream.online"])
      yield* control.fire({ type: "stream.online", event: { id: "a" } })
      yield* control.fire({ type: "channel.follow", event: { user_name: "f" } })
      const sub = subs.find((s) => s.type === "stream.online")
      yield* control.revoke(sub!.id, "authorization_revoked")
      const result = yield* Effect.either(onlineEnded)
      expect(Either.isLeft(result) && result.left._tag === "EventSubError" && result.left.reason)
        .toEqual("Revoked")
      const delivered = [...(yield* Fiber.join(all))]
      expect(delivered.map((d) => (d._tag === "Notification" ? d.type : d._tag)))
        .toEqual(["stream.online", "channel.follow", "Revocation"])
      yield* Scope.close(scope, Exit.void)
      yield* Effect.either(followEnded).pipe(Effect.map((r) => expect(Either.isRight(r)).toBe(true)))
      yield* eventually(
        Effect.map(
          control.subscriptions,
          (all) => all.every((s) => s.type !== "channel.follow" || s.status !== "enabled") || undefined
        )
      )
      expect((yield* client.stats).notifications).toBe(2)
    }))

  it.scopedLive("a slow consumer: backpressure keeps every event in order; dropOldest keeps the newest and counts", () =>
    Effect.gen(function*() {
      const { client, control } = yield* onMock({ client: fast })
      const slow = yield* client.subscribeScoped(Types.streamOnlineV1, online, { bufferSize: 5 })
      const lossy = yield* client.subscribeScoped(Types.streamOfflineV1, online, {
        bufferSize: 5,
        overflow: "dropOldest"
      })
      for (let i = 0; i < 50; i++) {
        yield* control.fire({ type: "stream.offline", event: { broadcaster_user_name: `${i}` } })
      }
      yield* eventually(Effect.map(client.stats, (s) => (s.notifications === 50 ? true : undefined)))
      for (let i = 0; i < 50; i++) yield* control.fire({ type: "stream.online", event: { id: `${i}` } })
      yield* realSleep(200)
      const kept = (yield* take(lossy, 5)).map((e) => e.broadcasterUserName)
      expect(kept).toEqual(["45", "46", "47", "48", "49"])
      expect((yield* client.stats).dropped).toBe(45)
      const all = (yield* take(slow, 50)).map((e) => e.id)
      expect(all).toEqual(Array.from({ length: 50 }, (_, i) => `${i}`))
      expect((yield* control.counters).undelivered).toBe(0)
    }))
})
