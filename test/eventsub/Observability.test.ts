import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import { createServer } from "node:http"
import * as EventSub from "../../src/eventsub/EventSub.js"
import * as EventSubWebhook from "../../src/eventsub/EventSubWebhook.js"
import * as Types from "../../src/eventsub/generated/Types.js"
import * as Spans from "../support/spans.js"
import { eventOf, eventually, helixLayer, take, withClient } from "./support/client.js"

describe("EventSub observability", () => {
  it.scopedLive("spans for connect, welcome, subscribe and reconnect; counters move; no token or secret anywhere", () => {
    const recorder = Spans.make()
    return withClient({}, (client, server) =>
      Effect.gen(function*() {
        const before = (yield* Metric.value(EventSub.metrics.notifications)).count
        const events = yield* client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: "1" })
        const sub = server.enabled()[0]!
        server.notify(sub, eventOf("stream.online"), { id: "dup" })
        server.notify(sub, eventOf("stream.online"), { id: "dup" })
        yield* take(events, 1)
        server.reconnect(sub.sessionId)
        yield* eventually(() => (Spans.named(recorder.spans, "EventSub reconnect")[0]?.status._tag === "Ended"
          ? true
          : undefined)
        )
        // a webhook receiver with its secret, through a challenge
        const http = yield* Layer.build(
          NodeHttpServer.layer(() => createServer(), { port: 0, host: "127.0.0.1" })
        )
        const address = yield* Effect.map(Effect.provide(HttpServer.HttpServer, http), (s) => s.address)
        const port = address._tag === "TcpAddress" ? address.port : 0
        const webhook = yield* EventSubWebhook.make({
          callback: `http://127.0.0.1:${port}/cb`,
          secret: Redacted.make("the-webhook-secret-42")
        }).pipe(Effect.provide(yield* Layer.build(helixLayer(server))))
        yield* HttpServer.serveEffect(webhook.httpApp).pipe(Effect.provide(http))
        yield* webhook.subscribeScoped(Types.streamOfflineV1, { broadcasterUserId: "1" })
        const hooked = [...server.subs.values()].find((s) => s.callback !== undefined)!
        yield* Effect.promise(() => server.challenge(hooked))

        const names = new Set(recorder.spans.map((s) => s.name))
        for (
          const name of [
            "EventSub connect",
            "EventSub welcome",
            "EventSub subscribe",
            "EventSub reconnect",
            "EventSub webhook"
          ]
        ) {
          expect(names.has(name)).toBe(true)
        }
        const subscribe = Spans.named(recorder.spans, "EventSub subscribe")[0]!
        expect(subscribe.attributes.get("twitch.eventsub.type")).toBe("stream.online")
        expect(
          Spans.named(recorder.spans, "EventSub connect")[0]?.attributes.get("twitch.eventsub.session_id")
        ).toBe(sub.sessionId)
        const text = Spans.texts(recorder.spans).join("\n")
        expect(text).not.toContain("the-webhook-secret-42")
        expect(text).not.toContain("scripted-user-token")
        expect((yield* Metric.value(EventSub.metrics.notifications)).count - before).toBe(1)
        expect((yield* Metric.value(EventSub.metrics.duplicates)).count).toBeGreaterThanOrEqual(1)
      })).pipe(Spans.recording(recorder))
  })
})
