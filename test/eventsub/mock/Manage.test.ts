/**
 * On the mock: managing subscriptions (list with statuses, count, delete those of dead sessions),
 * and what the clients show of themselves (spans, metrics; no token or secret anywhere).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as EventSub from "../../../src/eventsub/EventSub.js"
import * as Types from "../../../src/eventsub/generated/Types.js"
import * as Subscriptions from "../../../src/eventsub/Subscriptions.js"
import * as Spans from "../../support/spans.js"
import {
  clientOn,
  eventually,
  helixOn,
  me,
  secret,
  startMock,
  take,
  userToken,
  webhookOn
} from "./support.js"

const fast = { backoff: Schedule.spaced("50 millis") }

describe("EventSub on the mock: management and observability", () => {
  it.scopedLive("lists with statuses, counts them, deletes the ones of dead sessions only", () =>
    Effect.gen(function*() {
      const mock = yield* startMock()
      const token = yield* userToken(mock)
      const client = yield* clientOn(mock, fast, token)
      yield* client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
      yield* client.subscribeScoped(Types.channelFollowV2, { broadcasterUserId: me, moderatorUserId: me })
      const control = mock.eventSub.control
      const [first] = yield* control.sessions
      yield* control.drop({ code: 4005 })
      yield* eventually(
        Effect.map(
          control.subscriptions,
          (subs) =>
            subs.filter((s) => s.status === "enabled" && s.target !== first!.id).length === 2
              ? true
              : undefined
        )
      )
      const follow = (yield* control.subscriptions).find((s) =>
        s.status === "enabled" && s.type === "channel.follow"
      )
      yield* control.revoke(follow!.id, "authorization_revoked")
      const context = yield* Layer.build(Subscriptions.layer.pipe(Layer.provide(helixOn(mock, token))))
      const manage = Context.get(context, Subscriptions.EventSubSubscriptions)
      expect(yield* manage.countByStatus).toEqual({
        enabled: 1,
        websocket_network_timeout: 2,
        authorization_revoked: 1
      })
      const deleted = yield* manage.deleteDisconnected
      expect(deleted.map((s) => s.status)).toEqual(["websocket_network_timeout", "websocket_network_timeout"])
      const listed = Chunk.toArray(yield* Stream.runCollect(manage.list()))
      expect(listed.map((s) => [s.type, s.status])).toEqual([
        ["stream.online", "enabled"],
        ["channel.follow", "authorization_revoked"]
      ])
      yield* manage.delete(follow!.id)
      const enabled = Chunk.toArray(yield* Stream.runCollect(manage.list({ status: "enabled" })))
      expect(enabled.map((s) => s.type)).toEqual(["stream.online"])
      expect((yield* control.subscriptions).length).toBe(1)
    }))

  it.scopedLive("spans for connect, welcome, subscribe, reconnect and webhook; counters move; no token or secret anywhere", () => {
    const recorder = Spans.make()
    return Effect.gen(function*() {
      const mock = yield* startMock()
      const token = yield* userToken(mock)
      const client = yield* clientOn(mock, fast, token)
      const before = (yield* Metric.value(EventSub.metrics.notifications)).count
      const duplicates = (yield* Metric.value(EventSub.metrics.duplicates)).count
      const events = yield* client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: me })
      const [session] = yield* mock.eventSub.control.sessions
      const fired = yield* mock.eventSub.control.fire({ type: "stream.online" })
      yield* mock.eventSub.control.resend(fired.messageIds[0]!)
      yield* take(events, 1)
      yield* mock.eventSub.control.sendReconnect()
      yield* eventually(
        Effect.sync(() =>
          Spans.named(recorder.spans, "EventSub reconnect")[0]?.status._tag === "Ended" ? true : undefined
        )
      )
      const webhook = yield* webhookOn(mock)
      yield* webhook.subscribeScoped(Types.streamOfflineV1, { broadcasterUserId: me })
      yield* eventually(
        Effect.sync(() => (Spans.named(recorder.spans, "EventSub webhook").length > 0 ? true : undefined))
      )

      const names = new Set(recorder.spans.map((s) => s.name))
      for (
        const name of ["EventSub connect", "EventSub welcome", "EventSub subscribe", "EventSub reconnect"]
      ) {
        expect(names.has(name), name).toBe(true)
      }
      const subscribe = Spans.named(recorder.spans, "EventSub subscribe")[0]!
      expect(subscribe.attributes.get("twitch.eventsub.type")).toBe("stream.online")
      expect(Spans.named(recorder.spans, "EventSub connect")[0]?.attributes.get("twitch.eventsub.session_id"))
        .toBe(
          session!.id
        )
      const text = Spans.texts(recorder.spans).join("\n")
      expect(text).not.toContain(secret)
      expect(text).not.toContain(Redacted.value(token.value))
      expect((yield* Metric.value(EventSub.metrics.notifications)).count - before).toBe(1)
      expect((yield* Metric.value(EventSub.metrics.duplicates)).count - duplicates).toBe(1)
    }).pipe(Spans.recording(recorder))
  })
})
