import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Crypto from "node:crypto"
import * as World from "../../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import {
  appToken,
  callback as callbackServer,
  type Captured as Received,
  create,
  mockLayer,
  type Respond as Answer
} from "./client.js"

type Captured = Received<{
  readonly challenge?: string
  readonly subscription: {
    readonly id: string
    readonly status: string
    readonly transport: Record<string, string>
  }
  readonly event?: Record<string, unknown>
}>

type Respond = Answer<Captured["json"]>

const callback = (respond: Respond) => callbackServer(respond)

const answerChallenge: Respond = (r) => ({ status: 200, body: r.json.challenge ?? "" })

const secret = "s3cr3t-for-the-mock"

const expectedSignature = (r: Captured) =>
  "sha256=" +
  Crypto.createHmac("sha256", secret)
    .update(
      `${r.headers["twitch-eventsub-message-id"]}${r.headers["twitch-eventsub-message-timestamp"]}${r.body}`
    )
    .digest("hex")

const webhookBody = (
  url: string,
  type = "stream.online",
  condition: Record<string, string> = { broadcaster_user_id: World.defaultUserId }
) => ({
  type,
  version: "1",
  condition,
  transport: { method: "webhook", callback: url, secret }
})

const withMock = <A, E, R>(
  f: (mock: MockTwitch.MockTwitch.Service) => Effect.Effect<A, E, R>,
  webhook: MockTwitch.Options["http"] = {
    eventSub: { webhook: { retryDelay: "20 millis", timeout: "2 seconds" } }
  }
) => Effect.flatMap(MockTwitch.MockTwitch, f).pipe(Effect.provide(mockLayer({ http: webhook ?? {} })))

const statusOf = (
  mock: MockTwitch.MockTwitch.Service,
  id: string,
  until: (status: string | undefined) => boolean
) =>
  Effect.map(mock.eventSub.control.subscriptions, (subs) => subs.find((s) => s.id === id)?.status).pipe(
    Effect.filterOrFail(until),
    Effect.retry(Schedule.spaced("10 millis")),
    Effect.timeout("5 seconds")
  )

describe("EventSub webhooks", () => {
  it.scopedLive("the challenge is signed; the subscription is enabled only after the callback answers it", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const cb = yield* callback(answerChallenge)
        const answer = yield* create(mock, appToken, webhookBody(cb.url))
        assert.strictEqual(answer.status, 202)
        const created = answer.json<
          {
            data: ReadonlyArray<{ id: string; status: string; transport: Record<string, string> }>
            max_total_cost: number
          }
        >()
        assert.strictEqual(created.data[0].status, "webhook_callback_verification_pending")
        assert.deepStrictEqual(created.data[0].transport, { method: "webhook", callback: cb.url })
        assert.strictEqual(created.max_total_cost, 10_000)
        const challenge = yield* cb.next
        assert.strictEqual(challenge.headers["twitch-eventsub-message-type"], "webhook_callback_verification")
        assert.strictEqual(challenge.headers["twitch-eventsub-message-retry"], "0")
        assert.strictEqual(challenge.headers["twitch-eventsub-subscription-type"], "stream.online")
        assert.strictEqual(challenge.headers["twitch-eventsub-subscription-version"], "1")
        assert.match(String(challenge.headers["twitch-eventsub-message-timestamp"]), /\.\d{9}Z$/)
        assert.strictEqual(
          challenge.headers["twitch-eventsub-message-signature"],
          expectedSignature(challenge)
        )
        assert.strictEqual(challenge.json.subscription.status, "webhook_callback_verification_pending")
        assert.isUndefined(challenge.json.subscription.transport.secret)
        const id = created.data[0].id
        assert.strictEqual(yield* statusOf(mock, id, (s) => s === "enabled"), "enabled")
        const fired = yield* mock.eventSub.control.fire({ type: "stream.online" })
        const notification = yield* cb.next
        assert.strictEqual(notification.headers["twitch-eventsub-message-type"], "notification")
        assert.strictEqual(notification.headers["twitch-eventsub-message-id"], fired.messageIds[0])
        assert.strictEqual(
          notification.headers["twitch-eventsub-message-signature"],
          expectedSignature(notification)
        )
        assert.strictEqual(notification.json.subscription.status, "enabled")
        assert.strictEqual(notification.json.event?.broadcaster_user_login, World.defaultUserLogin)
      })
    ))

  it.scopedLive("a wrong challenge answer leaves webhook_callback_verification_failed and no notifications", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const cb = yield* callback(() => ({ status: 200, body: "not the challenge" }))
        const id =
          (yield* create(mock, appToken, webhookBody(cb.url))).json<{ data: ReadonlyArray<{ id: string }> }>()
            .data[0].id
        yield* cb.next
        assert.strictEqual(
          yield* statusOf(mock, id, (s) => s !== "webhook_callback_verification_pending"),
          "webhook_callback_verification_failed"
        )
        assert.deepStrictEqual((yield* mock.eventSub.control.fire({ type: "stream.online" })).messageIds, [])
      })
    ))

  it.scopedLive("a failed notification is retried with the same message id and a counting retry header", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const cb = yield* callback((
          r,
          i
        ) => (i === 0 ? answerChallenge(r, i) : { status: i < 3 ? 500 : 204, body: "" }))
        const id =
          (yield* create(mock, appToken, webhookBody(cb.url))).json<{ data: ReadonlyArray<{ id: string }> }>()
            .data[0].id
        yield* cb.next
        yield* statusOf(mock, id, (s) => s === "enabled")
        const fired = yield* mock.eventSub.control.fire({ type: "stream.online" })
        const attempts = yield* Effect.forEach([0, 1, 2], () => cb.next)
        assert.deepStrictEqual(attempts.map((a) => a.headers["twitch-eventsub-message-retry"]), [
          "0",
          "1",
          "2"
        ])
        assert.deepStrictEqual(
          attempts.map((a) => a.headers["twitch-eventsub-message-id"]),
          [fired.messageIds[0], fired.messageIds[0], fired.messageIds[0]]
        )
        assert.deepStrictEqual(new Set(attempts.map((a) => a.body)).size, 1)
        for (const a of attempts) {
          assert.strictEqual(a.headers["twitch-eventsub-message-signature"], expectedSignature(a))
        }
        const counters = yield* mock.eventSub.control.counters
        assert.strictEqual(counters.webhookFailures, 2)
        assert.strictEqual(
          yield* statusOf(mock, id, () => true),
          "enabled"
        )
      })
    ))

  it.scopedLive("too many messages given up on in a row: notification_failures_exceeded and one revocation", () =>
    withMock(
      (mock) =>
        Effect.gen(function*() {
          const cb = yield* callback((r, i) => (i === 0
            ? answerChallenge(r, i)
            : r.json.event === undefined
            ? { status: 200, body: "" }
            : { status: 503, body: "" })
          )
          const id = (yield* create(mock, appToken, webhookBody(cb.url))).json<
            { data: ReadonlyArray<{ id: string }> }
          >().data[0].id
          yield* cb.next
          yield* statusOf(mock, id, (s) => s === "enabled")
          for (const _ of [1, 2]) {
            yield* mock.eventSub.control.fire({ type: "stream.online" })
            yield* Effect.forEach([0, 1], () => cb.next)
          }
          const revocation = yield* cb.next
          assert.strictEqual(revocation.headers["twitch-eventsub-message-type"], "revocation")
          assert.strictEqual(revocation.json.subscription.status, "notification_failures_exceeded")
          assert.strictEqual(
            revocation.headers["twitch-eventsub-message-signature"],
            expectedSignature(revocation)
          )
          assert.strictEqual(yield* statusOf(mock, id, () => true), "notification_failures_exceeded")
          assert.deepStrictEqual(
            (yield* mock.eventSub.control.fire({ type: "stream.online" })).messageIds,
            []
          )
        }),
      {
        eventSub: {
          webhook: { retryDelay: "10 millis", retries: 1, failuresBeforeRevocation: 2, timeout: "2 seconds" }
        }
      }
    ))

  it.scopedLive("webhooks need an app token, a loopback callback, a 10-100 character secret and the user's grant", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const cb = yield* callback(answerChallenge)
        const bad = (body: unknown, token = appToken) =>
          Effect.map(create(mock, token, body), (a) => a.status)
        const base = webhookBody(cb.url)
        assert.strictEqual(yield* bad({ ...base, transport: { ...base.transport, secret: "short" } }), 400)
        assert.strictEqual(
          yield* bad({ ...base, transport: { ...base.transport, callback: "https://example.com/cb" } }),
          400
        )
        assert.strictEqual(yield* bad({ ...base, transport: { method: "webhook", secret } }), 400)
        assert.strictEqual(yield* bad(base, MockTwitch.credentials.userToken), 401)
        // channel.follow needs the moderator's grant of moderator:read:followers to this client.
        const follow = webhookBody(cb.url, "channel.follow", {
          broadcaster_user_id: "100000003",
          moderator_user_id: "100000003"
        })
        assert.strictEqual(yield* bad({ ...follow, version: "2" }), 403)
        const granted = webhookBody(cb.url, "channel.follow", {
          broadcaster_user_id: World.defaultUserId,
          moderator_user_id: World.defaultUserId
        })
        assert.strictEqual(yield* bad({ ...granted, version: "2" }), 202)
      })
    ))
})
