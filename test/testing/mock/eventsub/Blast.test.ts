import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as MockTwitch from "../../../../src/testing/MockTwitch.js"
import { postJson } from "../http/client.js"
import { create, mockLayer, session, userToken, wsBody } from "./client.js"

describe("EventSub blast", () => {
  it.scopedLive("blast pushes many notifications over one WebSocket, each with its own message id (and chat id)", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const { client, sessionId } = yield* session(mock.eventSub.wsUrl)
      const room = { broadcaster_user_id: mock.defaultUser.id, user_id: mock.defaultUser.id }
      assert.strictEqual(
        (yield* create(mock, userToken, wsBody("channel.chat.message", "1", room, sessionId))).status,
        202
      )
      const count = 20_000
      const result = yield* mock.eventSub.control.blast(
        { type: "channel.chat.message", event: { message: { text: "blast" } } },
        count
      )
      assert.deepStrictEqual([result.messages, result.subscriptions], [count, 1])
      const ids = new Set<string>()
      const chatIds = new Set<unknown>()
      for (let i = 0; i < count; i++) {
        const frame = yield* client.next("notification")
        ids.add(frame.metadata.message_id)
        chatIds.add(frame.payload.event?.message_id)
        if (i === 0) assert.strictEqual((frame.payload.event?.message as { text: string }).text, "blast")
      }
      assert.strictEqual(ids.size, count)
      // Each one a different chat message too.
      assert.strictEqual(chatIds.size, count)
      const over =
        (yield* postJson(`${mock.eventSub.controlUrl}/blast`, { type: "channel.chat.message", count: 5 }))
          .json<{ messages: number }>()
      assert.strictEqual(over.messages, 5)
      for (let i = 0; i < 5; i++) {
        assert.isFalse(ids.has((yield* client.next("notification")).metadata.message_id))
      }
      assert.strictEqual((yield* mock.eventSub.control.counters).notifications, count + 5)
    }).pipe(Effect.provide(mockLayer())))
})
