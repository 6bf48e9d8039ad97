/**
 * The mock's per-endpoint Helix limits on the TestClock: past a limit, 429 with Helix's error body,
 * counted on the control (`429` and `limit:<operationId>`); the window frees up when the clock
 * says so; a request refused for another reason gives its place back. Send Chat Message drops the
 * message (`msg_ratelimit`) instead.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import type { MockTwitch } from "../../../../src/testing/index.js"
import * as Control from "../../../../src/testing/mock/Control.js"
import * as EndpointLimits from "../../../../src/testing/mock/http/helix/EndpointLimits.js"
import * as MockWorld from "../../../../src/testing/mock/World.js"
import { helixCall, withMock } from "./client.js"

type Mock = MockTwitch.MockTwitch.Service

const me = MockWorld.defaultUserId

/** A Helix call with a token (JSON body when given); returns the status and the JSON body. */
const call = (mock: Mock, method: string, path: string, body?: unknown, token = mock.credentials.userToken) =>
  Effect.map(
    helixCall(mock, method, path, body, token),
    (answer) => ({ status: answer.status, body: answer.text === "" ? undefined : answer.json() })
  )

const statuses = (mock: Mock, n: number, method: string, path: (i: number) => string, body?: unknown) =>
  Effect.forEach(
    Array.from({ length: n }, (_, i) => i),
    (i) => Effect.map(call(mock, method, path(i), body), (a) => a.status)
  )

/** New users with no role anywhere, and a token with every scope for each. */
const users = (mock: Mock, prefix: string, n: number) =>
  Effect.forEach(Array.from({ length: n }, (_, i) => i), (i) =>
    Effect.gen(function*() {
      const user = yield* Effect.orDie(mock.world.addUser({ login: `${prefix}${i}` }))
      const token = yield* Effect.orDie(mock.world.issueToken({
        clientId: mock.credentials.clientId,
        userId: user.id,
        scopes: [...MockWorld.allScopes],
        lifetimeSeconds: 3600
      }))
      return { id: user.id, token: token.value }
    }))

const counters = (mock: Mock, operationId: string) =>
  Effect.all([
    mock.control.counter(Control.counterNames.tooManyRequests),
    mock.control.counter(EndpointLimits.counter(operationId))
  ])

const tooMany = (message: string) => ({ error: "Too Many Requests", status: 429, message })

describe("mock Helix per-endpoint limits", () => {
  it.effect("announcements: 1 per 2 s per channel, with Twitch's 429 body, counted", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const path = `/chat/announcements?broadcaster_id=${me}&moderator_id=${me}`
        expect((yield* call(mock, "POST", path, { message: "first" })).status).toBe(204)
        const second = yield* call(mock, "POST", path, { message: "second" })
        expect(second).toEqual({
          status: 429,
          body: tooMany(EndpointLimits.byOperation["send-chat-announcement"].message)
        })
        expect(yield* counters(mock, "send-chat-announcement")).toEqual([1, 1])
        // Another channel is not held up (the second user moderates live channels).
        const s = yield* mock.world.snapshot
        const other = s.channels.find((c) =>
          c.broadcasterId !== me && c.moderators.includes(MockWorld.secondUserId)
        )
        expect(other).toBeDefined()
        const secondToken = yield* Effect.orDie(mock.world.issueToken({
          clientId: mock.credentials.clientId,
          userId: MockWorld.secondUserId,
          scopes: [...MockWorld.allScopes],
          lifetimeSeconds: 3600
        }))
        const elsewhere =
          `/chat/announcements?broadcaster_id=${other?.broadcasterId}&moderator_id=${MockWorld.secondUserId}`
        expect((yield* call(mock, "POST", elsewhere, { message: "hi" }, secondToken.value)).status).toBe(204)
        yield* TestClock.adjust("1999 millis")
        expect((yield* call(mock, "POST", path, { message: "third" })).status).toBe(429)
        yield* TestClock.adjust("1 millis")
        expect((yield* call(mock, "POST", path, { message: "fourth" })).status).toBe(204)
        expect(yield* counters(mock, "send-chat-announcement")).toEqual([2, 2])
      })
    ))

  it.effect("shoutouts: 1 per 2 min, the same target once per 60 min; a refused one gives its place back", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const s = yield* mock.world.snapshot
        const [a, b] = [s.users[5].id, s.users[6].id]
        const to = (id: string) =>
          `/chat/shoutouts?from_broadcaster_id=${me}&to_broadcaster_id=${id}&moderator_id=${me}`
        // To oneself: 400, and the 2-minute window stays free.
        expect((yield* call(mock, "POST", to(me))).status).toBe(400)
        expect((yield* call(mock, "POST", to(a))).status).toBe(204)
        expect((yield* call(mock, "POST", to(b))).status).toBe(429)
        yield* TestClock.adjust("2 minutes")
        expect((yield* call(mock, "POST", to(b))).status).toBe(204)
        yield* TestClock.adjust("2 minutes")
        expect((yield* call(mock, "POST", to(a))).status).toBe(429)
        yield* TestClock.adjust("56 minutes")
        expect((yield* call(mock, "POST", to(a))).status).toBe(204)
        expect(yield* counters(mock, "send-a-shoutout")).toEqual([2, 2])
      }), { liveTokenUser: true }))

  it.effect("raids: 10 per 10 min; moderators and VIPs: 10 per 10 s per operation", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const s = yield* mock.world.snapshot
        const target = s.channels.find((c) => c.broadcasterId !== me && !c.suspended)?.broadcasterId
        const raid = `/raids?from_broadcaster_id=${me}&to_broadcaster_id=${target}`
        const raids: Array<number> = []
        for (let i = 0; i < 11; i++) {
          raids.push((yield* call(mock, "POST", raid)).status)
          yield* call(mock, "DELETE", `/raids?broadcaster_id=${me}`)
        }
        expect(raids).toEqual([...Array(10).fill(200), 429])
        yield* TestClock.adjust("10 minutes")
        expect((yield* call(mock, "POST", raid)).status).toBe(200)

        const viewers = yield* users(mock, "promoted", 11)
        const mod = (i: number) => `/moderation/moderators?broadcaster_id=${me}&user_id=${viewers[i].id}`
        expect(yield* statuses(mock, 11, "POST", mod)).toEqual([...Array(10).fill(204), 429])
        // Removing has its own window; adding frees up after 10 s.
        expect(yield* statuses(mock, 10, "DELETE", mod)).toEqual(Array(10).fill(204))
        const vip = (i: number) => `/channels/vips?broadcaster_id=${me}&user_id=${viewers[i].id}`
        expect(yield* statuses(mock, 11, "POST", vip)).toEqual([...Array(10).fill(204), 429])
        yield* TestClock.adjust("10 seconds")
        expect((yield* call(mock, "POST", mod(10))).status).toBe(204)
        expect(yield* counters(mock, "add-channel-moderator")).toEqual([3, 1])
        expect(yield* mock.control.counter(EndpointLimits.counter("add-channel-vip"))).toBe(1)
      }), { liveTokenUser: true }))

  it.effect(
    "whispers: 3 per second, 100 per minute, 40 different recipients a day",
    () =>
      withMock((mock) =>
        Effect.gen(function*() {
          const recipients = yield* users(mock, "whispered", 41)
          const to = (i: number) => `/whispers?from_user_id=${me}&to_user_id=${recipients[i].id}`
          expect(yield* statuses(mock, 4, "POST", () => to(0), { message: "hi" })).toEqual([
            204,
            204,
            204,
            429
          ])
          // An unknown recipient is 404 and does not use up a whisper.
          yield* TestClock.adjust("1 second")
          expect(
            (yield* call(mock, "POST", `/whispers?from_user_id=${me}&to_user_id=999999999`, { message: "?" }))
              .status
          )
            .toBe(404)
          // 40 different recipients in a day (3 a second); the 41st is refused, a known one is not.
          for (let i = 1; i < 40; i++) {
            if (i % 3 === 0) yield* TestClock.adjust("1 second")
            expect((yield* call(mock, "POST", to(i), { message: "hi" })).status).toBe(204)
          }
          yield* TestClock.adjust("1 second")
          expect((yield* call(mock, "POST", to(40), { message: "hi" })).status).toBe(429)
          expect((yield* call(mock, "POST", to(7), { message: "again" })).status).toBe(204)
          yield* TestClock.adjust("1 day")
          expect((yield* call(mock, "POST", to(40), { message: "hi" })).status).toBe(204)
          // 100 in a minute (3 a second): the 101st waits for the minute.
          yield* TestClock.adjust("1 minute")
          for (let i = 0; i < 100; i++) {
            if (i % 3 === 0) yield* TestClock.adjust("1 second")
            expect((yield* call(mock, "POST", to(i % 39), { message: `n${i}` })).status).toBe(204)
          }
          yield* TestClock.adjust("1 second")
          expect((yield* call(mock, "POST", to(0), { message: "one more" })).status).toBe(429)
          expect(yield* counters(mock, "send-whisper")).toEqual([3, 3])
        })
      ),
    { timeout: 60_000 }
  )

  it.effect("AutoMod checks: 10 per minute for an affiliate; clip downloads: 100 per minute", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const s = yield* mock.world.snapshot
        expect(s.users.find((u) => u.id === me)?.broadcasterType).toBe("affiliate")
        const check = `/moderation/enforcements/status?broadcaster_id=${me}`
        const body = { data: [{ msg_id: "1", msg_text: "hello" }] }
        expect(yield* statuses(mock, 11, "POST", () => check, body)).toEqual([...Array(10).fill(200), 429])
        yield* TestClock.adjust("1 minute")
        expect((yield* call(mock, "POST", check, body)).status).toBe(200)

        const downloads = `/clips/downloads?broadcaster_id=${me}&editor_id=${me}&clip_id=x`
        expect(yield* statuses(mock, 101, "GET", () => downloads)).toEqual([...Array(100).fill(200), 429])
        expect(yield* counters(mock, "get-clips-download")).toEqual([2, 1])
      })
    ))

  it.effect(
    "Send Chat Message: 20 per 30 s and 1 per second per channel for a plain user, 100 for the broadcaster; past them dropped",
    () =>
      withMock((mock) =>
        Effect.gen(function*() {
          const [viewer] = yield* users(mock, "chatty", 1)
          const send = (sender: { readonly id: string; readonly token: string }, message: string) =>
            Effect.map(
              call(
                mock,
                "POST",
                "/chat/messages",
                { broadcaster_id: me, sender_id: sender.id, message },
                sender.token
              ),
              (a) => (a.body as { data: ReadonlyArray<Record<string, unknown>> }).data[0]
            )
          expect((yield* send(viewer, "m0"))["is_sent"]).toBe(true)
          expect(yield* send(viewer, "m1")).toMatchObject({
            is_sent: false,
            drop_reason: { code: "msg_ratelimit" }
          })
          // A duplicate is dropped as such and does not use up a send.
          yield* TestClock.adjust("1 second")
          expect(yield* send(viewer, "m0")).toMatchObject({
            is_sent: false,
            drop_reason: { code: "msg_duplicate" }
          })
          for (let i = 1; i < 20; i++) {
            expect((yield* send(viewer, `m${i}`))["is_sent"]).toBe(true)
            yield* TestClock.adjust("1 second")
          }
          expect(yield* send(viewer, "m20")).toMatchObject({
            is_sent: false,
            drop_reason: { code: "msg_ratelimit" }
          })
          yield* TestClock.adjust("10 seconds")
          expect((yield* send(viewer, "m21"))["is_sent"]).toBe(true)
          // The broadcaster: no gap per channel, 100 per 30 s.
          const owner = { id: me, token: mock.credentials.userToken }
          for (let i = 0; i < 100; i++) expect((yield* send(owner, `b${i}`))["is_sent"]).toBe(true)
          expect((yield* send(owner, "b100"))["is_sent"]).toBe(false)
          // Dropped, not 429: counted apart.
          expect(yield* counters(mock, "send-chat-message")).toEqual([0, 3])
        })
      ),
    { timeout: 60_000 }
  )
})
