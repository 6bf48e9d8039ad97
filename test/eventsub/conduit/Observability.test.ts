import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Queue from "effect/Queue"
import * as Conduit from "../../../src/eventsub/conduit/Conduit.js"
import { metrics } from "../../../src/eventsub/conduit/ConduitMetrics.js"
import * as ShardOwnership from "../../../src/eventsub/conduit/ShardOwnership.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import * as Spans from "../../support/spans.js"
import { mockLayer, type Received, start, withHelix } from "./support.js"

describe("conduit observability", () => {
  it.scopedLive("spans for create and each assignment; metrics move; no token in any span", () => {
    const recorder = Spans.make()
    return Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const assignedBefore = (yield* Metric.value(metrics.assignments)).count
      const conduit = yield* withHelix(mock, Conduit.create(2))
      const inbox = yield* Queue.unbounded<Received>()
      const p = yield* start(mock, {
        index: 0,
        conduitId: conduit.id,
        ownership: ShardOwnership.slice(0, 1),
        inbox
      })
      yield* p.shards.ready
      const create = Spans.named(recorder.spans, "Conduit create")[0]
      expect(create?.attributes.get("twitch.conduit.shard_count")).toBe(2)
      const assigns = Spans.named(recorder.spans, "Conduit assign")
      expect(assigns.map((s) => s.attributes.get("twitch.conduit.shard_id")).sort()).toEqual(["0", "1"])
      expect(assigns.every((s) => s.attributes.get("twitch.conduit.assigned") === true)).toBe(true)
      expect(assigns.every((s) => s.attributes.get("twitch.conduit.id") === conduit.id)).toBe(true)
      expect((yield* Metric.value(metrics.assignments)).count - assignedBefore).toBe(2)
      expect((yield* Metric.value(metrics.shardsConnected)).value).toBe(2)
      const text = Spans.texts(recorder.spans).join("\n")
      expect(text).not.toContain(mock.credentials.appToken)
    }).pipe(Effect.provide(mockLayer), Spans.recording(recorder))
  })
})
