import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as Subscriptions from "../../src/eventsub/Subscriptions.js"
import { helixLayer, scripted } from "./support/client.js"
import type { Sub } from "./support/scriptedTwitch.js"

const sub = (id: string, status: string, sessionId: string): Sub => ({
  id,
  status,
  type: "stream.online",
  version: "1",
  condition: { broadcaster_user_id: id },
  sessionId,
  cost: 0,
  createdAt: "2026-12-03T10:00:00Z"
})

describe("EventSubSubscriptions", () => {
  it.scopedLive("lists with statuses, counts them, and deletes the ones of dead sessions only", () =>
    Effect.gen(function*() {
      const server = yield* scripted
      for (
        const s of [
          sub("a", "enabled", "live"),
          sub("b", "websocket_disconnected", "dead"),
          sub("c", "websocket_network_timeout", "dead"),
          sub("d", "authorization_revoked", "live")
        ]
      ) server.subs.set(s.id, s)
      const context = yield* Layer.build(Subscriptions.layer.pipe(Layer.provide(helixLayer(server))))
      const manage = yield* Effect.provide(Subscriptions.EventSubSubscriptions, context)
      const listed = Chunk.toArray(yield* Stream.runCollect(manage.list()))
      expect(listed.map((s) => [s.id, s.status])).toEqual([
        ["a", "enabled"],
        ["b", "websocket_disconnected"],
        ["c", "websocket_network_timeout"],
        ["d", "authorization_revoked"]
      ])
      expect(yield* manage.countByStatus).toEqual({
        enabled: 1,
        websocket_disconnected: 1,
        websocket_network_timeout: 1,
        authorization_revoked: 1
      })
      const deleted = yield* manage.deleteDisconnected
      expect(deleted.map((s) => s.id)).toEqual(["b", "c"])
      expect([...server.subs.keys()]).toEqual(["a", "d"])
      yield* manage.delete("d")
      expect([...server.subs.keys()]).toEqual(["a"])
      const enabled = Chunk.toArray(yield* Stream.runCollect(manage.list({ status: "enabled" })))
      expect(enabled.map((s) => s.id)).toEqual(["a"])
    }))
})
