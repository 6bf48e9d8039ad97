import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as Types from "../../src/eventsub/generated/Types.js"
import { eventOf, eventually, take, withClient } from "./support/client.js"

const chat = { broadcasterUserId: "100", userId: "1" }
const fast = { backoff: Schedule.spaced("50 millis") }

describe("EventSubWebSocket", () => {
  it.scopedLive("connects only when a subscription is wanted, then delivers typed events", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        yield* Effect.sleep("100 millis")
        expect(server.connections).toBe(0)
        const events = yield* client.subscribeScoped(Types.channelChatMessageV1, chat)
        const [sub] = server.enabled()
        expect(sub?.condition).toEqual({ broadcaster_user_id: "100", user_id: "1" })
        expect(sub?.sessionId).toBe(server.current?.id)
        const create = server.seen.find((r) => r.method === "POST")
        expect(create?.body).toMatchObject({
          type: "channel.chat.message",
          version: "1",
          transport: { method: "websocket", session_id: sub?.sessionId }
        })
        server.notify(sub!, eventOf("channel.chat.message", "1", { message_id: "m1" }))
        server.notify(sub!, eventOf("channel.chat.message", "1", { message_id: "m2" }))
        const got = yield* take(events, 2)
        expect(got.map((e) => e.messageId)).toEqual(["m1", "m2"])
        expect(got[0]?.chatterUserLogin).toBe("chatter_user_login-1")
        expect(Option.isSome(got[0]!.reply)).toBe(true)
        expect((yield* client.session).pipe(Option.map((s) => s.id))).toEqual(Option.some(sub!.sessionId))
      })))

  it.scopedLive("drops copies of a message id and messages older than 10 minutes, and counts them", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        const events = yield* client.subscribeScoped(Types.channelFollowV2, {
          broadcasterUserId: "1",
          moderatorUserId: "1"
        })
        const sub = server.enabled()[0]!
        server.notify(sub, eventOf("channel.follow", "2", { user_id: "a" }), { id: "same" })
        server.notify(sub, eventOf("channel.follow", "2", { user_id: "a-copy" }), { id: "same" })
        const old = new Date(Date.now() - 11 * 60_000).toISOString()
        server.notify(sub, eventOf("channel.follow", "2", { user_id: "stale" }), { timestamp: old })
        server.notify(sub, eventOf("channel.follow", "2", { user_id: "b" }))
        const got = yield* take(events, 2)
        expect(got.map((e) => e.userId)).toEqual(["a", "b"])
        const stats = yield* client.stats
        expect(stats).toMatchObject({ notifications: 2, duplicates: 1, stale: 1 })
      })))

  it.scopedLive("after a dropped socket: reconnects, recreates on the new session, delivers what follows once", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        const events = yield* client.subscribeScoped(Types.channelFollowV2, {
          broadcasterUserId: "1",
          moderatorUserId: "1"
        })
        const first = server.enabled()[0]!
        server.notify(first, eventOf("channel.follow", "2", { user_id: "before" }), { id: "x1" })
        const before = yield* take(events, 1)
        server.drop(first.sessionId)
        const second = yield* eventually(() => server.enabled().find((s) => s.sessionId !== first.sessionId))
        expect(server.subs.get(first.id)?.status).toBe("websocket_disconnected")
        // a copy of the old message resent on the new session is dropped
        server.notify(second, eventOf("channel.follow", "2", { user_id: "before" }), { id: "x1" })
        server.notify(second, eventOf("channel.follow", "2", { user_id: "after" }), { id: "x2" })
        const after = yield* take(events, 1)
        expect([...before, ...after].map((e) => e.userId)).toEqual(["before", "after"])
        expect(server.connections).toBe(2)
        expect((yield* client.stats).reconnects).toBeGreaterThanOrEqual(1)
      })))

  it.scopedLive("a revocation ends the stream with Revoked, shows on notifications, and is not recreated", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        const all = yield* Effect.fork(Stream.runCollect(Stream.take(client.notifications(), 2)))
        yield* Effect.sleep("20 millis")
        const events = yield* client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: "1" })
        const sub = server.enabled()[0]!
        server.notify(sub, eventOf("stream.online"))
        server.revoke(sub, "authorization_revoked")
        const result = yield* Effect.either(Stream.runCollect(events))
        expect(Either.isLeft(result) && result.left._tag === "EventSubError" && result.left.reason).toBe(
          "Revoked"
        )
        const delivered = [...(yield* Fiber.join(all))]
        expect(delivered.map((d) => d._tag)).toEqual(["Notification", "Revocation"])
        expect(delivered[1]?._tag === "Revocation" && delivered[1].status).toBe("authorization_revoked")
        server.drop(sub.sessionId)
        yield* Effect.sleep("300 millis")
        expect(server.seen.filter((r) => r.method === "POST").length).toBe(1)
      })))
})
