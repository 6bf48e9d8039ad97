/**
 * What the mock Twitch cannot stage, on the scripted loopback Twitch: subscriptions of a lost
 * session that Twitch still counts for a while ("websocket transports limit exceeded" until the
 * client frees those slots), and refusals forced with Twitch's own wording. Everything else runs
 * against the mock (test/eventsub/mock).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as Types from "../../src/eventsub/generated/Types.js"
import type { EventSubError } from "../../src/TwitchError.js"
import { eventOf, eventually, take, withClient } from "./support/client.js"

const follow = { broadcasterUserId: "1", moderatorUserId: "1" }
const fast = { backoff: Schedule.spaced("50 millis") }

const limitOf = (result: Either.Either<unknown, unknown>) =>
  Either.isLeft(result) && (result.left as EventSubError)._tag === "EventSubError"
    ? [(result.left as EventSubError).reason, (result.left as EventSubError).limit]
    : result

describe("EventSubWebSocket: what only a scripted Twitch shows", () => {
  it.scopedLive("transports limit: frees the dead session's slots first; a real limit is a typed error", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        server.lagDisable = true
        const events = yield* client.subscribeScoped(Types.channelFollowV2, follow)
        const first = server.enabled()[0]!
        // two other connections of this user hold enabled subscriptions
        for (const session of ["other-a", "other-b"]) {
          server.subs.set(`${session}-sub`, {
            ...first,
            id: `${session}-sub`,
            sessionId: session,
            condition: { x: session }
          })
        }
        server.drop(first.sessionId)
        // the dead session's subscription still counts at Twitch: the first create is refused
        const recreated = yield* eventually(() =>
          server.enabled().find((s) => s.sessionId !== first.sessionId && !s.sessionId.startsWith("other"))
        )
        expect(server.subs.has(first.id)).toBe(false)
        expect(server.subs.has("other-a-sub")).toBe(true)
        server.notify(recreated, eventOf("channel.follow", "2", { user_id: "after" }))
        expect((yield* take(events, 1))[0]?.userId).toBe("after")
        // a third connection elsewhere: now the limit is real
        server.subs.set("other-c-sub", {
          ...first,
          id: "other-c-sub",
          sessionId: "other-c",
          condition: { x: "c" }
        })
        server.lagDisable = false
        server.drop(recreated.sessionId)
        const failed = yield* Effect.either(Stream.runCollect(events))
        expect(limitOf(failed)).toEqual(["LimitReached", "Connections"])
      })))

  it.scopedLive("refusals Twitch words its own way are typed (cost, same subscription, per connection)", () =>
    withClient(fast, (client, server) =>
      Effect.gen(function*() {
        server.forced.push({ status: 429, message: "maximum total cost exceeded" })
        const cost = yield* Effect.either(client.subscribeScoped(Types.channelFollowV2, follow))
        expect(limitOf(cost)).toEqual(["LimitReached", "Cost"])
        server.forced.push({ status: 429, message: "too many subscriptions with same type and condition" })
        const same = yield* Effect.either(
          client.subscribeScoped(Types.streamOnlineV1, { broadcasterUserId: "1" })
        )
        expect(limitOf(same)).toEqual(["LimitReached", "SameSubscription"])
        server.forced.push({
          status: 429,
          message: "number of subscriptions per websocket transport limit exceeded"
        })
        const perConnection = yield* Effect.either(
          client.subscribeScoped(Types.streamOfflineV1, { broadcasterUserId: "1" })
        )
        expect(limitOf(perConnection)).toEqual(["LimitReached", "Subscriptions"])
      })))
})
