/**
 * Twitch's rules as the mock enforces them, met by the WebSocket client: subscriptions created
 * right after each welcome (a connection left unused is closed, 4003, on the TestClock), the
 * connection limit, the 300 per connection, `max_total_cost`, one Twitch subscription for streams
 * of the same type and condition, and the close codes the mock can send.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as CloseCode from "../../../src/eventsub/CloseCode.js"
import * as Types from "../../../src/eventsub/generated/Types.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import type { EventSubError } from "../../../src/TwitchError.js"
import { create, session, wsBody } from "../../testing/mock/eventsub/client.js"
import {
  type Client,
  clientOn,
  eventually,
  me,
  onMock,
  realSleep,
  recordEvents,
  startMock
} from "./support.js"

const fast = { backoff: Schedule.spaced("50 millis") }

const refusal = (result: Either.Either<unknown, unknown>) =>
  Either.isLeft(result) && (result.left as EventSubError)._tag === "EventSubError"
    ? [(result.left as EventSubError).reason, (result.left as EventSubError).limit]
    : result

/** The world's users other than the default user, by id. */
const otherUsers = (mock: MockTwitch.MockTwitch.Service) =>
  Effect.map(mock.world.snapshot, (s) => s.users.map((u) => u.id).filter((id) => id !== me))

/** The chat types whose condition is a broadcaster and the reading user (cost 0 for that user). */
const chatTypes = [
  Types.channelChatMessageV1,
  Types.channelChatNotificationV1,
  Types.channelChatClearV1,
  Types.channelChatClearUserMessagesV1,
  Types.channelChatMessageDeleteV1,
  Types.channelChatUserMessageHoldV1,
  Types.channelChatUserMessageUpdateV1,
  Types.channelChatSettingsUpdateV1
] as const

/** `n` distinct chat subscriptions in rooms of the world. */
const chatSubscriptions = (
  client: Client,
  broadcasters: ReadonlyArray<string>,
  n: number,
  concurrency = 10
) =>
  Effect.forEach(
    Array.from({ length: n }, (_, i) => i),
    (i) =>
      client.subscribeScoped(chatTypes[Math.floor(i / broadcasters.length)]!, {
        broadcasterUserId: broadcasters[i % broadcasters.length]!,
        userId: me
      }),
    { concurrency }
  )

describe("EventSubWebSocket on the mock: Twitch's rules", () => {
  it.scopedLive("every wanted subscription is created right after the welcome (the 10 s rule), also after a drop", () =>
    Effect.gen(function*() {
      const { client, control, mock } = yield* onMock({ client: fast })
      const rooms = yield* otherUsers(mock)
      yield* chatSubscriptions(client, rooms, 40)
      const [first] = yield* control.sessions
      yield* control.drop({ code: 4005 })
      const recreated = yield* eventually(Effect.map(control.subscriptions, (subs) => {
        const enabled = subs.filter((s) => s.status === "enabled")
        return enabled.length === 40 && enabled.every((s) => s.target !== first!.id) ? enabled : undefined
      }))
      const [second] = yield* control.sessions
      const connected = Date.parse(second!.connectedAt)
      const last = Math.max(...recreated.map((s) => Date.parse(s.createdAt)))
      expect(last - connected).toBeLessThan(10_000)
      expect(last - connected).toBeLessThan(3_000)
      expect((yield* control.counters).closes).toEqual({ 4005: 1 })
    }))

  it.scoped("a connection whose only subscription is refused is closed unused (4003, TestClock); no reconnect follows", () =>
    Effect.gen(function*() {
      const { client, control, mock } = yield* onMock({ client: fast })
      const seen = yield* recordEvents(client)
      const [someone] = yield* otherUsers(mock)
      // the default user does not moderate that channel: Twitch answers 403
      const refused = yield* Effect.either(
        client.subscribeScoped(Types.channelFollowV2, { broadcasterUserId: someone!, moderatorUserId: me })
      )
      expect(Either.isLeft(refused) && refused.left._tag).toBe("HttpError")
      expect((yield* control.counters).connections).toBe(1)
      yield* TestClock.adjust("10 seconds")
      const ended = yield* eventually(Effect.sync(() => seen.find((e) => e._tag === "Disconnected")))
      expect(ended._tag === "Disconnected" && [ended.reason, Option.getOrNull(ended.code)]).toEqual([
        "ConnectionUnused",
        4003
      ])
      yield* TestClock.adjust("5 seconds")
      yield* realSleep(50)
      expect((yield* control.counters).connections).toBe(1)
      expect(seen.filter((e) => e._tag === "Connecting").length).toBe(1)
    }))

  it.scopedLive("the connection limit: three of the user's other connections hold subscriptions; a typed error, then room again", () =>
    Effect.gen(function*() {
      const mock = yield* startMock()
      const rooms = yield* otherUsers(mock)
      const others = yield* Effect.forEach([0, 1, 2], (i) =>
        Effect.gen(function*() {
          const scope = yield* Scope.make()
          const { sessionId } = yield* Scope.extend(session(mock.eventSub.wsUrl), scope)
          const body = wsBody(
            "channel.chat.message",
            "1",
            { broadcaster_user_id: rooms[i]!, user_id: me },
            sessionId
          )
          expect((yield* create(mock, MockTwitch.credentials.userToken, body)).status).toBe(202)
          return scope
        }))
      const client = yield* clientOn(mock, fast)
      const refused = yield* Effect.either(
        client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
      )
      expect(refusal(refused)).toEqual(["LimitReached", "Connections"])
      // one of them goes: its subscription is disabled and the slot is free
      yield* Scope.close(others[0]!, Exit.void)
      yield* eventually(
        Effect.map(mock.eventSub.control.sessions, (s) => (s.length === 3 ? true : undefined))
      )
      const events = yield* client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
      yield* mock.eventSub.control.fire({ type: "stream.online", event: { id: "now" } })
      expect((yield* Stream.runCollect(Stream.take(events, 1))).pipe((c) => [...c].map((e) => e.id))).toEqual(
        [
          "now"
        ]
      )
    }))

  it.scopedLive(
    "300 subscriptions on one connection; the 301st is refused before any request",
    () =>
      Effect.gen(function*() {
        const { client, control, mock } = yield* onMock({ client: { ...fast, createConcurrency: 20 } })
        const rooms = (yield* otherUsers(mock)).slice(0, 38)
        yield* chatSubscriptions(client, rooms, 300, 50)
        expect((yield* control.sessions)[0]?.subscriptions).toBe(300)
        const created = (yield* control.subscriptions).length
        const refused = yield* Effect.either(
          client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
        )
        expect(refusal(refused)).toEqual(["LimitReached", "Subscriptions"])
        expect((yield* control.subscriptions).length).toBe(created)
        // a webhook-only type is refused the same way, before any request
        const webhookOnly = yield* Effect.either(
          client.subscribeScoped(Types.userAuthorizationRevokeV1 as never, { clientId: "x" } as never)
        )
        expect(refusal(webhookOnly)).toEqual(["Unsupported", undefined])
      }),
    60_000
  )

  it.scopedLive("max_total_cost: channels that did not authorize the client cost 1, the eleventh is a typed error", () =>
    Effect.gen(function*() {
      const { client, control, mock } = yield* onMock({ client: fast })
      const s = yield* mock.world.snapshot
      const strangers = s.users.map((u) => u.id).filter((id) =>
        !s.tokens.some((t) => t.userId === id && t.clientId === mock.credentials.clientId)
      )
      yield* Effect.forEach(
        strangers.slice(0, 10),
        (id) => client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: id })
      )
      expect((yield* control.subscriptions).map((sub) => sub.cost)).toEqual(Array(10).fill(1))
      const refused = yield* Effect.either(
        client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: strangers[10]! })
      )
      expect(refusal(refused)).toEqual(["LimitReached", "Cost"])
      // the user's own channel costs nothing
      yield* client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
    }))

  it.scopedLive("streams of the same type and condition share one subscription, deleted when the last ends", () =>
    Effect.gen(function*() {
      const { client, control } = yield* onMock({ client: fast })
      const first = yield* Scope.make()
      const second = yield* Scope.make()
      const a = yield* Scope.extend(
        client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me }),
        first
      )
      const b = yield* Scope.extend(
        client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me }),
        second
      )
      expect((yield* control.subscriptions).length).toBe(1)
      yield* control.fire({ type: "stream.online", event: { id: "both" } })
      const [ea, eb] = yield* Effect.all([Stream.runHead(a), Stream.runHead(b)])
      expect([Option.getOrThrow(ea).id, Option.getOrThrow(eb).id]).toEqual(["both", "both"])
      yield* Scope.close(first, Exit.void)
      yield* realSleep(50)
      expect((yield* control.subscriptions).length).toBe(1)
      yield* Scope.close(second, Exit.void)
      yield* eventually(Effect.map(control.subscriptions, (subs) => (subs.length === 0 ? true : undefined)))
    }))

  it.scopedLive("close codes the mock sends become typed reasons on events", () =>
    Effect.gen(function*() {
      const { client, control } = yield* onMock({ client: fast })
      const seen = yield* recordEvents(client)
      yield* client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
      for (const code of [4000, 4005, 4006] as const) {
        const [current] = yield* control.sessions
        yield* control.drop({ code })
        yield* eventually(Effect.map(control.sessions, (all) =>
          all.length === 1 && all[0]!.id !== current!.id && all[0]!.subscriptions === 1 ? true : undefined))
      }
      const reasons = seen.flatMap((
        e
      ) => (e._tag === "Disconnected" ? [[e.reason, Option.getOrNull(e.code)]] : []))
      expect(reasons).toEqual([["InternalServerError", 4000], ["NetworkTimeout", 4005], [
        "NetworkError",
        4006
      ]])
      expect([4001, 4002, 4003, 4004, 4007].map(CloseCode.reasonOf)).toEqual([
        "SentInboundTraffic",
        "FailedPingPong",
        "ConnectionUnused",
        "ReconnectGraceTimeExpired",
        "InvalidReconnect"
      ])
    }))
})
