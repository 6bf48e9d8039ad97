/**
 * Batching and paging of generated operations against the mock Twitch: Get Emote Sets past its 25
 * ids (batches joined), Get Channel Stream Schedule through its cursor (one page document per
 * pull), and a one-page method refusing more ids than one request takes.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import { Chat } from "../../src/helix/generated/Chat.js"
import { Schedule } from "../../src/helix/generated/Schedule.js"
import { StreamsApi } from "../../src/helix/generated/StreamsApi.js"
import * as Helix from "../../src/helix/Helix.js"
import * as Control from "../../src/testing/mock/Control.js"
import * as MockWorld from "../../src/testing/mock/World.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"

const onMock = Helix.layer().pipe(
  Layer.provideMerge(TwitchAuth.layerStatic(MockTwitch.credentials.userToken)),
  Layer.provideMerge(MockTwitch.layerTwitchConfig),
  Layer.provideMerge(MockTwitch.layer({ irc: false })),
  Layer.provide(NodeHttpClient.layerUndici)
)

const requests = (route: string) =>
  Effect.flatMap(Control.Control, (c) => c.counter(Control.routeCounter("GET", route)))

describe("generated operations on the mock Twitch", () => {
  it.scopedLive("Get Emote Sets past 25 ids: two requests, their data joined in order, the template kept", () =>
    Effect.gen(function*() {
      const state = yield* Effect.flatMap(MockWorld.World, (w) => w.snapshot)
      const setIds = [...new Set(state.emotes.map((e) => e.setId))].slice(0, 30)
      expect(setIds.length).toBe(30)
      const before = yield* requests("/helix/chat/emotes/set")
      const answer = yield* Effect.flatMap(Chat, (chat) => chat.emoteSets({ emoteSetId: setIds }))
      expect((yield* requests("/helix/chat/emotes/set")) - before).toBe(2)
      // The mock lists a request's emotes in world order: the first batch's, then the second's.
      const inBatch = (ids: ReadonlyArray<string>) =>
        state.emotes.filter((e) => ids.includes(e.setId)).map((e) => e.id)
      expect(answer.data.map((e) => e.id)).toEqual([
        ...inBatch(setIds.slice(0, 25)),
        ...inBatch(setIds.slice(25))
      ])
      expect(answer.template).toContain("{{id}}")
    }).pipe(Effect.provide(onMock)))

  it.scopedLive("Get Channel Stream Schedule pages through its cursor: one schedule document per page", () =>
    Effect.gen(function*() {
      const schedule = yield* Schedule
      const broadcasterId = MockWorld.defaultUserId
      const whole = yield* schedule.getPage({ broadcasterId })
      const segments = whole.data.flatMap((page) => page.segments.map((s) => s.id))
      expect(segments.length).toBe(2)
      expect(Option.isNone(whole.cursor)).toBe(true)

      const before = yield* requests("/helix/schedule")
      const pages = Chunk.toArray(yield* Stream.runCollect(schedule.get({ broadcasterId, first: 1 })))
      expect((yield* requests("/helix/schedule")) - before).toBe(2)
      expect(pages.map((page) => page.segments.map((s) => s.id))).toEqual(segments.map((id) => [id]))
      expect(pages.every((page) => page.broadcasterId === broadcasterId)).toBe(true)

      const first = yield* schedule.getPage({ broadcasterId, first: 1 })
      const second = yield* schedule.getPage({ broadcasterId, first: 1 }, Option.getOrThrow(first.cursor))
      expect(second.data.map((page) => page.segments[0]?.id)).toEqual([segments[1]])
      expect(Option.isNone(second.cursor)).toBe(true)
    }).pipe(Effect.provide(onMock)))

  it.scopedLive("a one-page method refuses more ids than one request takes, before sending", () =>
    Effect.gen(function*() {
      const streams = yield* StreamsApi
      const before = yield* requests("/helix/streams")
      const ids = Array.from({ length: 101 }, (_, i) => `${i}`)
      const error = yield* Effect.flip(streams.listPage({ userId: ids }))
      expect(error._tag).toBe("InvalidParams")
      expect(error.message).toContain("at most 100")
      expect(yield* requests("/helix/streams")).toBe(before)
      // The Stream method sends the same ids in two requests.
      yield* Stream.runDrain(streams.list({ userId: ids }))
      expect((yield* requests("/helix/streams")) - before).toBe(2)
    }).pipe(Effect.provide(onMock)))
})
