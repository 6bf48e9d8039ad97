/**
 * Our webhook receiver (`EventSubWebhook.httpApp` on a loopback server) fed by the mock Twitch's
 * webhook delivery: the challenge, real signatures (and a tampered body refused), stale messages,
 * retries after a failed or slow answer (delivered once), and the revocation Twitch sends after too
 * many failures. A small proxy in front of the receiver records what the mock sends and can fail or
 * tamper with a request.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import * as EventSubWebhook from "../../../src/eventsub/EventSubWebhook.js"
import * as Types from "../../../src/eventsub/generated/Types.js"
import type { WebhookPolicy } from "../../../src/testing/mock/eventsub/Model.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import { create } from "../../testing/mock/eventsub/client.js"
import {
  appToken,
  eventually,
  helixOn,
  me,
  type Mock,
  realSleep,
  startMock,
  take,
  webhookOn
} from "./support.js"

/** What the proxy saw of one request, and what it answered. */
interface Seen {
  readonly type: string
  readonly messageId: string
  readonly retry: string
  status: number
}

type Action = "forward" | "fail" | "tamper"

/** A loopback proxy to `target`: each request is forwarded, failed (500) or tampered with. */
const proxy = (decide: (seen: Seen) => Action) => {
  const log: Array<Seen> = []
  const front = (target: string) =>
    Effect.acquireRelease(
      Effect.async<Http.Server>((resume) => {
        const server = Http.createServer((req, res) => {
          const chunks: Array<Buffer> = []
          req.on("data", (c: Buffer) => chunks.push(c))
          req.on("end", () => {
            const header = (name: string) => String(req.headers[name] ?? "")
            const seen: Seen = {
              type: header("twitch-eventsub-message-type"),
              messageId: header("twitch-eventsub-message-id"),
              retry: header("twitch-eventsub-message-retry"),
              status: 0
            }
            log.push(seen)
            const action = decide(seen)
            if (action === "fail") {
              seen.status = 500
              return res.writeHead(500).end()
            }
            const body = Buffer.concat(chunks).toString("utf8")
            const headers: Record<string, string> = {}
            for (const [k, v] of Object.entries(req.headers)) {
              if (typeof v === "string" && k !== "host" && k !== "content-length") headers[k] = v
            }
            void fetch(target, {
              method: "POST",
              headers,
              body: action === "tamper" ? body.replace("\"event\":{", "\"event\":{\"forged\":true,") : body
            }).then(async (answer) => {
              seen.status = answer.status
              res.writeHead(answer.status, {
                "content-type": answer.headers.get("content-type") ?? "text/plain"
              })
              res.end(await answer.text())
            }, () => res.writeHead(502).end())
          })
        })
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    ).pipe(Effect.map((server) => {
      const address = server.address()
      return `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/callback`
    }))
  return { log, front }
}

const mockWith = (webhook: Partial<WebhookPolicy> = {}) =>
  startMock({
    http: {
      eventSub: { webhook: { timeout: "400 millis", retries: 2, retryDelay: "50 millis", ...webhook } }
    }
  })

const enabled = (mock: Mock, type: string) =>
  eventually(Effect.map(
    mock.eventSub.control.subscriptions,
    (subs) => subs.find((s) => s.type === type && s.status === "enabled")
  ))

/** The log once `n` requests were answered: `type retry status` each. */
const answered = (log: ReadonlyArray<Seen>, n: number) =>
  Effect.map(
    eventually(Effect.sync(() => (log.length >= n && log.every((s) => s.status !== 0) ? true : undefined))),
    () => log.map((s) => `${s.type} ${s.retry} ${s.status}`)
  )

describe("EventSubWebhook on the mock's webhook delivery", () => {
  it.scopedLive("the challenge is answered; signed notifications are delivered once", () =>
    Effect.gen(function*() {
      const mock = yield* mockWith()
      const { front, log } = proxy(() => "forward")
      const webhook = yield* webhookOn(mock, { front })
      const events = yield* webhook.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
      const sub = yield* enabled(mock, "stream.online")
      expect(sub).toMatchObject({ method: "webhook", target: expect.stringMatching(/\/callback$/) })
      yield* mock.eventSub.control.fire({ type: "stream.online", event: { id: "a" } })
      yield* mock.eventSub.control.fire({ type: "stream.online", event: { id: "b" } })
      expect((yield* take(events, 2)).map((e) => e.id)).toEqual(["a", "b"])
      expect(yield* answered(log, 3)).toEqual([
        "webhook_callback_verification 0 200",
        "notification 0 204",
        "notification 0 204"
      ])
      expect(yield* webhook.stats).toMatchObject({ notifications: 2, duplicates: 0 })
    }))

  it.scopedLive("a tampered body fails the signature (403, not delivered); the retry, intact, is delivered once", () =>
    Effect.gen(function*() {
      const mock = yield* mockWith()
      const { front, log } = proxy((
        seen
      ) => (seen.type === "notification" && seen.retry === "0" ? "tamper" : "forward"))
      const webhook = yield* webhookOn(mock, { front })
      const events = yield* webhook.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
      yield* enabled(mock, "stream.online")
      yield* mock.eventSub.control.fire({ type: "stream.online", event: { id: "intact" } })
      const [event] = yield* take(events, 1)
      expect(event?.id).toBe("intact")
      expect(yield* answered(log, 3)).toEqual([
        "webhook_callback_verification 0 200",
        "notification 0 403",
        "notification 1 204"
      ])
      expect(new Set(log.slice(1).map((s) => s.messageId)).size).toBe(1)
      expect(yield* webhook.stats).toMatchObject({ notifications: 1 })
      expect((yield* mock.eventSub.control.counters).webhookFailures).toBe(1)
    }))

  it.scopedLive("a subscription made with another secret: the challenge is refused, Twitch marks it failed", () =>
    Effect.gen(function*() {
      const mock = yield* mockWith()
      const { front, log } = proxy(() => "forward")
      const webhook = yield* webhookOn(mock, { front })
      yield* webhook.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
      const callback = (yield* enabled(mock, "stream.online")).target
      const answer = yield* create(mock, MockTwitch.credentials.appToken, {
        type: "stream.offline",
        version: "1",
        condition: { broadcaster_user_id: me },
        transport: { method: "webhook", callback, secret: "not-the-receivers-secret" }
      })
      expect(answer.status).toBe(202)
      const failed = yield* eventually(Effect.map(
        mock.eventSub.control.subscriptions,
        (subs) =>
          subs.find((s) =>
            s.type === "stream.offline" && s.status !== "webhook_callback_verification_pending"
          )
      ))
      expect(failed.status).toBe("webhook_callback_verification_failed")
      expect((yield* answered(log, 2)).at(-1)).toBe("webhook_callback_verification 0 403")
    }))

  it.scopedLive("a message older than 10 minutes is acknowledged and dropped (counted)", () =>
    Effect.gen(function*() {
      const mock = yield* mockWith()
      const webhook = yield* webhookOn(mock)
      const events = yield* webhook.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
      yield* enabled(mock, "stream.online")
      yield* mock.eventSub.control.fireStale({ type: "stream.online", event: { id: "old" } })
      yield* mock.eventSub.control.fire({ type: "stream.online", event: { id: "fresh" } })
      expect((yield* take(events, 1)).map((e) => e.id)).toEqual(["fresh"])
      expect(yield* webhook.stats).toMatchObject({ notifications: 1, stale: 1 })
      expect((yield* mock.eventSub.control.counters).webhookFailures).toBe(0)
    }))

  it.scopedLive("a failed answer and a slow one (backpressure past Twitch's timeout) are retried; each event is delivered once", () =>
    Effect.gen(function*() {
      const mock = yield* mockWith()
      let failNext = true
      const { front, log } = proxy((seen) => {
        if (seen.type !== "notification" || !failNext) return "forward"
        failNext = false
        return "fail"
      })
      const webhook = yield* webhookOn(mock, { front })
      const events = yield* webhook.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me }, {
        bufferSize: 1
      })
      yield* enabled(mock, "stream.online")
      yield* mock.eventSub.control.fire({ type: "stream.online", event: { id: "1" } })
      yield* eventually(Effect.sync(() => (log.some((s) => s.status === 204) ? true : undefined)))
      // the buffer is full: the next answer waits past the mock's 400 ms, which retries
      yield* mock.eventSub.control.fire({ type: "stream.online", event: { id: "2" } })
      yield* eventually(
        Effect.sync(() => (log.filter((s) => s.retry === "1").length === 2 ? true : undefined))
      )
      yield* realSleep(100)
      const reader = yield* Effect.fork(take(events, 2))
      expect((yield* Fiber.join(reader)).map((e) => e.id)).toEqual(["1", "2"])
      yield* realSleep(200)
      const stats = yield* webhook.stats
      expect(stats.notifications).toBe(2)
      expect(stats.duplicates).toBeGreaterThanOrEqual(1)
      // the first: failed, retried; the second: held past the timeout, retried (then both answered;
      // a loaded machine may hold it past a second timeout, so it may be retried more than once)
      const retries = log.filter((s) => s.type === "notification").map((s) => Number(s.retry))
      expect(retries.slice(0, 3)).toEqual([0, 1, 0])
      expect(retries.slice(3).length).toBeGreaterThanOrEqual(1)
      expect(retries.slice(3)).toEqual(retries.slice(3).map((_, i) => i + 1))
      expect((yield* enabled(mock, "stream.online")).status).toBe("enabled")
    }))

  it.scopedLive("after too many failed deliveries Twitch revokes the subscription; its stream ends with Revoked", () =>
    Effect.gen(function*() {
      const mock = yield* mockWith({ retries: 1, failuresBeforeRevocation: 1 })
      const { front, log } = proxy((seen) => (seen.type === "notification" ? "fail" : "forward"))
      const webhook = yield* webhookOn(mock, { front })
      const events = yield* webhook.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
      yield* enabled(mock, "stream.online")
      yield* mock.eventSub.control.fire({ type: "stream.online" })
      const result = yield* Effect.either(Stream.runCollect(events))
      expect(
        Either.isLeft(result) && result.left._tag === "EventSubError" &&
          [result.left.reason, result.left.status]
      )
        .toEqual(["Revoked", "notification_failures_exceeded"])
      expect(yield* answered(log, 4)).toEqual([
        "webhook_callback_verification 0 200",
        "notification 0 500",
        "notification 1 500",
        "revocation 0 204"
      ])
      expect(yield* webhook.stats).toMatchObject({ notifications: 0, revocations: 1 })
    }))

  it.scoped("refuses a secret Twitch would not take", () =>
    Effect.gen(function*() {
      const mock = yield* startMock()
      const helix = yield* Layer.build(helixOn(mock, appToken))
      const made = yield* Effect.either(
        EventSubWebhook.make({ callback: "http://127.0.0.1:1/cb", secret: Redacted.make("short") }).pipe(
          Effect.provide(helix)
        )
      )
      expect(Either.isLeft(made) && made.left.reason).toBe("Unsupported")
    }))
})
