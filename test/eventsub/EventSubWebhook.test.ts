import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { createServer } from "node:http"
import * as EventSubWebhook from "../../src/eventsub/EventSubWebhook.js"
import * as Types from "../../src/eventsub/generated/Types.js"
import { eventOf, helixLayer, scripted, take } from "./support/client.js"

const secret = "webhook-secret-0123"

/** A receiver mounted at /eventsub on a loopback server, subscriptions created on the scripted Twitch. */
const receiver = Effect.gen(function*() {
  const server = yield* scripted
  const http = yield* Layer.build(NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" }))
  const address = yield* Effect.provide(HttpServer.HttpServer, http).pipe(Effect.map((s) => s.address))
  const port = address._tag === "TcpAddress" ? address.port : 0
  const helix = yield* Layer.build(helixLayer(server))
  const webhook = yield* EventSubWebhook.make({
    callback: `http://127.0.0.1:${port}/eventsub`,
    secret: Redacted.make(secret)
  }).pipe(Effect.provide(helix))
  yield* HttpServer.serveEffect(webhook.httpApp).pipe(Effect.provide(http))
  return { server, webhook }
})

const post = <A>(promise: () => Promise<A>) => Effect.promise(promise)

describe("EventSubWebhook", () => {
  it.scopedLive("creates with callback and secret, answers the challenge, delivers signed notifications once", () =>
    Effect.gen(function*() {
      const { server, webhook } = yield* receiver
      const events = yield* webhook.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: "7" })
      const sub = [...server.subs.values()][0]!
      const create = server.seen.find((r) => r.method === "POST")?.body as Record<string, unknown>
      expect(create["transport"]).toEqual({ method: "webhook", callback: sub.callback, secret })
      expect(sub.status).toBe("webhook_callback_verification_pending")
      const { answer, challenge } = yield* post(() => server.challenge(sub))
      expect(answer.statuses).toEqual([200])
      expect(answer.body).toBe(challenge)
      expect(answer.contentType).toMatch(/^text\/plain/)
      expect(sub.status).toBe("enabled")
      // Twitch retries a message: the copy is acknowledged and dropped
      const first = yield* post(() =>
        server.post(sub, "notification", { event: eventOf("stream.online", "1", { id: "a" }) }, { id: "n1" })
      )
      const again = yield* post(() =>
        server.post(sub, "notification", { event: eventOf("stream.online", "1", { id: "a" }) }, { id: "n1" })
      )
      yield* post(() =>
        server.post(sub, "notification", { event: eventOf("stream.online", "1", { id: "b" }) })
      )
      expect([first.statuses, again.statuses]).toEqual([[204], [204]])
      expect((yield* take(events, 2)).map((e) => e.id)).toEqual(["a", "b"])
      expect(yield* webhook.stats).toMatchObject({ notifications: 2, duplicates: 1 })
    }))

  it.scopedLive("refuses a wrong signature (403, not delivered) and drops a stale message (acknowledged, counted)", () =>
    Effect.gen(function*() {
      const { server, webhook } = yield* receiver
      const events = yield* webhook.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: "7" })
      const sub = [...server.subs.values()][0]!
      const forged = yield* post(() =>
        server.post(sub, "notification", { event: eventOf("stream.online", "1", { id: "forged" }) }, {
          secret: "not-the-secret!"
        })
      )
      expect(forged.statuses).toEqual([403])
      const old = new Date(Date.now() - 11 * 60_000).toISOString()
      const stale = yield* post(() =>
        server.post(sub, "notification", { event: eventOf("stream.online", "1", { id: "old" }) }, {
          timestamp: old
        })
      )
      expect(stale.statuses).toEqual([204])
      yield* post(() =>
        server.post(sub, "notification", { event: eventOf("stream.online", "1", { id: "fresh" }) })
      )
      expect((yield* take(events, 1)).map((e) => e.id)).toEqual(["fresh"])
      expect(yield* webhook.stats).toMatchObject({ notifications: 1, stale: 1 })
    }))

  it.scopedLive("a slow consumer under backpressure: Twitch's request waits until the stream has room, nothing is lost", () =>
    Effect.gen(function*() {
      const { server, webhook } = yield* receiver
      const events = yield* webhook.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: "7" }, {
        bufferSize: 1
      })
      const sub = [...server.subs.values()][0]!
      yield* post(() =>
        server.post(sub, "notification", { event: eventOf("stream.online", "1", { id: "1" }) })
      )
      const waiting = post(() =>
        server.post(sub, "notification", { event: eventOf("stream.online", "1", { id: "2" }) }, {
          id: "held"
        })
      )
      const fiber = yield* Effect.fork(waiting)
      yield* Effect.sleep("100 millis")
      expect(fiber.unsafePoll()).toBeNull()
      expect((yield* take(events, 2)).map((e) => e.id)).toEqual(["1", "2"])
      expect((yield* fiber.await)._tag).toBe("Success")
    }))

  it.scopedLive("a revocation ends the subscription's streams with Revoked", () =>
    Effect.gen(function*() {
      const { server, webhook } = yield* receiver
      const events = yield* webhook.subscribeScoped(Types.channelFollowV2, {
        broadcasterUserId: "1",
        moderatorUserId: "1"
      })
      const sub = [...server.subs.values()][0]!
      sub.status = "notification_failures_exceeded"
      const answer = yield* post(() => server.post(sub, "revocation", {}))
      expect(answer.statuses).toEqual([204])
      const result = yield* Effect.either(Stream.runCollect(events))
      expect(
        Either.isLeft(result) && result.left._tag === "EventSubError" &&
          [result.left.reason, result.left.status]
      )
        .toEqual(["Revoked", "notification_failures_exceeded"])
    }))

  it.scoped("refuses a secret Twitch would not take", () =>
    Effect.gen(function*() {
      const server = yield* scripted
      const helix = yield* Layer.build(helixLayer(server))
      const made = yield* Effect.either(
        EventSubWebhook.make({ callback: "https://example.invalid/cb", secret: Redacted.make("short") }).pipe(
          Effect.provide(helix)
        )
      )
      expect(Either.isLeft(made) && made.left.reason).toBe("Unsupported")
    }))
})
