/**
 * The operation runner against a scripted loopback Helix: id lists split into batches and merged,
 * lazy paging, 204 as void, the iCalendar text without a token, token-user ids filled in, bad
 * parameters refused before sending, answers unwrapped and decoded with the spec's fixes, and the
 * extension JWT.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as Crypto from "node:crypto"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as ExtensionAuth from "../../src/helix/ExtensionAuth.js"
import { Chat } from "../../src/helix/generated/Chat.js"
import { Clips } from "../../src/helix/generated/Clips.js"
import { Extensions } from "../../src/helix/generated/Extensions.js"
import { HypeTrain } from "../../src/helix/generated/HypeTrain.js"
import { Moderation } from "../../src/helix/generated/Moderation.js"
import * as Operations from "../../src/helix/generated/Operations.js"
import { Schedule } from "../../src/helix/generated/Schedule.js"
import { StreamsApi } from "../../src/helix/generated/StreamsApi.js"
import { UsersApi } from "../../src/helix/generated/UsersApi.js"
import { layer, type Reply, seen, type SeenRequest, wireStream, wireUser } from "./fakeHelix.js"

const user = AccessToken.make("usertoken0123456789", {
  kind: "user",
  userId: "1",
  login: "me",
  scopes: ["moderator:manage:banned_users", "channel:read:hype_train", "moderator:manage:announcements"]
})

const answer = (handler: (request: SeenRequest) => Reply, token: AccessToken.AccessToken | null = user) =>
  layer((request) => Effect.succeed(handler(request)), { token })

const clip = (n: number) => ({
  id: `c${n}`,
  url: "https://clips.twitch.tv/x",
  embed_url: "https://clips.twitch.tv/embed?clip=x",
  broadcaster_id: "9",
  broadcaster_name: "Nine",
  creator_id: "2",
  creator_name: "Two",
  video_id: "",
  game_id: "33",
  language: "en",
  title: `clip ${n}`,
  view_count: n,
  created_at: "2026-01-02T03:04:05Z",
  thumbnail_url: "https://x/t.jpg",
  duration: 12.5,
  vod_offset: null,
  is_featured: false
})

describe("OperationRunner", () => {
  it.scopedLive("splits ids and logins counted together, and merges the answers in order", () =>
    Effect.gen(function*() {
      const users = yield* UsersApi
      const ids = Array.from({ length: 150 }, (_, i) => `${i}`)
      const found = yield* users.list({ id: ids, login: ["a", "b"] })
      expect(found.map((u) => u.id)).toEqual([...ids, "1a", "1b"])
      const requests = yield* seen
      expect(requests.map((r) => r.params.getAll("id").length + r.params.getAll("login").length)).toEqual([
        100,
        52
      ])
    }).pipe(Effect.provide(answer((request) => ({
      body: {
        data: [
          ...request.params.getAll("id").map((id) => wireUser(`u${id}`, id)),
          ...request.params.getAll("login").map((l) => wireUser(l, `1${l}`))
        ]
      }
    })))))

  it.scopedLive("pages lazily with the largest page size, one batch after the other", () =>
    Effect.gen(function*() {
      const streams = yield* StreamsApi
      const ids = Array.from({ length: 120 }, (_, i) => `${i}`)
      const first = yield* Stream.runCollect(Stream.take(streams.list({ userId: ids, gameId: ["33"] }), 3))
      expect(Chunk.toArray(first).map((s) => s.id)).toEqual(["s0", "s1", "s2"])
      expect((yield* seen).length).toBe(1)
      const all = yield* Stream.runCollect(streams.list({ userId: ids, gameId: ["33"] }))
      const requests = (yield* seen).slice(1)
      // Two batches of channels, the first over two pages.
      expect(requests.map((r) => [r.params.getAll("user_id").length, r.params.get("after")])).toEqual([
        [100, null],
        [100, "p2"],
        [20, null]
      ])
      expect(requests.every((r) => r.params.get("first") === "100" && r.params.get("game_id") === "33")).toBe(
        true
      )
      expect(all.length).toBe(9)
    }).pipe(Effect.provide(answer((request) => {
      const page = request.params.get("after") === "p2" ? 2 : 1
      const more = page === 1 && request.params.getAll("user_id").length === 100
      return {
        body: {
          data: [wireStream(page * 3 - 3), wireStream(page * 3 - 2), wireStream(page * 3 - 1)],
          pagination: more ? { cursor: "p2" } : {}
        }
      }
    }))))

  it.scopedLive("fills the token user's id, sends DELETE and answers void on 204", () =>
    Effect.gen(function*() {
      const moderation = yield* Moderation
      const result = yield* moderation.unbanUser({ broadcasterId: "9", userId: "5" })
      expect(result).toBeUndefined()
      const [request] = yield* seen
      expect(request.method).toBe("DELETE")
      expect(request.path).toBe("/helix/moderation/bans")
      expect(Object.fromEntries(request.params)).toEqual({
        broadcaster_id: "9",
        moderator_id: "1",
        user_id: "5"
      })
    }).pipe(Effect.provide(answer(() => ({ status: 204, text: "" })))))

  it.scopedLive("fetches the iCalendar schedule as text, without a token", () =>
    Effect.gen(function*() {
      const schedule = yield* Schedule
      const text = yield* schedule.iCalendar({ broadcasterId: "9" })
      expect(text).toBe("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
      const [request] = yield* seen
      expect(request.headers["authorization"]).toBeUndefined()
      expect(request.params.get("broadcaster_id")).toBe("9")
    }).pipe(
      Effect.provide(answer(() => ({ text: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" }), null))
    ))

  it.scopedLive("sends the iCalendar call through the pipeline: retried on 503, Twitch's error kept", () =>
    Effect.gen(function*() {
      const schedule = yield* Schedule
      const text = yield* schedule.iCalendar({ broadcasterId: "9" })
      expect(text).toBe("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
      const error = yield* Effect.flip(schedule.iCalendar({ broadcasterId: "404" }))
      expect(error).toMatchObject({ _tag: "HttpError", status: 404, twitchMessage: "no such channel" })
      expect(error._tag === "HttpError" && error.request.url).toContain(
        "/helix/schedule/icalendar?broadcaster_id=404"
      )
      const requests = yield* seen
      expect(requests.map((r) => r.params.get("broadcaster_id"))).toEqual(["9", "9", "404"])
      expect(requests.every((r) => r.headers["authorization"] === undefined)).toBe(true)
    }).pipe(Effect.provide(layer((request, index) =>
      Effect.succeed(
        request.params.get("broadcaster_id") === "404"
          ? { status: 404, body: { error: "Not Found", status: 404, message: "no such channel" } }
          : index === 0
          ? { status: 503, text: "busy" }
          : { text: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" }
      ), { token: null, helix: { retryBase: "5 millis" } }))))

  it.scopedLive("refuses parameters that do not encode, before sending", () =>
    Effect.gen(function*() {
      const clips = yield* Clips
      const error = yield* Effect.flip(Stream.runDrain(clips.list({ broadcasterId: "9", first: 1.5 })))
      expect(error._tag).toBe("InvalidParams")
      expect(error.message).toContain("first")
      expect((yield* seen).length).toBe(0)
      const some = yield* Stream.runCollect(clips.list({ broadcasterId: "9" }))
      expect(Chunk.toArray(some).map((c) => [c.id, Option.isNone(c.vodOffset)])).toEqual([["c1", true]])
    }).pipe(Effect.provide(answer(() => ({ body: { data: [clip(1)], pagination: {} } })))))

  it.scopedLive("unwraps one-object answers and reads them as Twitch sends them (spec fixes applied)", () =>
    Effect.gen(function*() {
      const schedule = yield* Schedule
      const [got] = yield* Stream.runCollect(schedule.get({ broadcasterId: "9" }))
      expect(Option.isNone(got.vacation)).toBe(true)
      expect(got.segments[0].category).toEqual(Option.none())
      expect(got.segments[0].startTime).toBeInstanceOf(Date)
      const hype = yield* HypeTrain
      const [train] = yield* hype.status({ broadcasterId: "9" })
      expect(Option.map(train.allTimeHigh, (h) => h.level)).toEqual(Option.some(7))
    }).pipe(Effect.provide(answer((request) =>
      request.path.endsWith("/schedule")
        ? {
          body: {
            data: {
              segments: [{
                id: "s",
                start_time: "2026-01-01T10:00:00Z",
                end_time: "2026-01-01T12:00:00Z",
                title: "t",
                canceled_until: null,
                category: null,
                is_recurring: true
              }],
              broadcaster_id: "9",
              broadcaster_name: "Nine",
              broadcaster_login: "nine",
              vacation: null
            }
          }
        }
        : {
          body: {
            data: [{
              current: {
                id: "h",
                broadcaster_user_id: "9",
                broadcaster_user_login: "nine",
                broadcaster_user_name: "Nine",
                level: 2,
                total: 700,
                progress: 200,
                goal: 1000,
                top_contributions: []
              },
              all_time_high: { level: 7, total: 9000, achieved_at: "2025-05-05T05:05:05Z" }
            }]
          }
        }
    ))))

  it("encodes camelCase parameters to Twitch's wire names, nested bodies included", () => {
    const wire = Schema.encodeSync(Operations.BanUserParams)({
      broadcasterId: "9",
      data: { userId: "5", duration: 600, reason: "spam" }
    })
    expect(wire).toEqual({ broadcaster_id: "9", data: { user_id: "5", duration: 600, reason: "spam" } })
    expect(Operations.banUser.query).toEqual(["broadcaster_id", "moderator_id"])
    expect(Operations.banUser.body).toEqual(["data"])
  })

  /** Lets real I/O progress while test time stands still. */
  const settle = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 50)))

  it.scoped("waits for an endpoint's own limit before the request (announcements, on TestClock)", () =>
    Effect.gen(function*() {
      const chat = yield* Chat
      const announce = chat.sendAnnouncement({ broadcasterId: "9", message: "hello" })
      yield* announce
      const second = yield* Effect.fork(announce)
      yield* settle
      yield* TestClock.adjust("1999 millis")
      yield* settle
      expect((yield* seen).length).toBe(1)
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(second)
      const requests = yield* seen
      expect(requests.map((r) => [r.method, r.path, r.params.get("moderator_id")])).toEqual([
        ["POST", "/helix/chat/announcements", "1"],
        ["POST", "/helix/chat/announcements", "1"]
      ])
    }).pipe(Effect.provide(answer(() => ({ status: 204, text: "" })))))

  const secret = Buffer.from("extension secret bytes").toString("base64")
  it.scopedLive("signs an extension JWT per call and sends it with the extension's client id", () =>
    Effect.gen(function*() {
      const extensions = yield* Extensions
      yield* extensions.get({ extensionId: "ext1" })
      const [request] = yield* seen
      expect(request.headers["client-id"]).toBe("extensionclientid")
      const jwt = (request.headers["authorization"] ?? "").replace(/^Bearer /, "")
      const [head, claims, signature] = jwt.split(".")
      const expected = Crypto.createHmac("sha256", Buffer.from(secret, "base64")).update(`${head}.${claims}`)
        .digest("base64url")
      expect(signature).toBe(expected)
      expect(JSON.parse(Buffer.from(claims, "base64url").toString())).toMatchObject({
        role: "external",
        user_id: "owner1"
      })
    }).pipe(Effect.provide(
      answer(() => ({ body: { data: [] } })).pipe(
        Layer.provide(
          ExtensionAuth.layerSigned({
            clientId: "extensionclientid",
            secret: Redacted.make(secret),
            ownerId: "owner1"
          })
        )
      )
    )))
})

describe("extension calls", () => {
  const secret = Buffer.from("extension secret bytes").toString("base64")
  const claimsOf = (request: SeenRequest) => {
    const jwt = (request.headers["authorization"] ?? "").replace(/^Bearer /, "")
    return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>
  }
  const signed = ExtensionAuth.layerSigned({
    clientId: "extensionclientid",
    secret: Redacted.make(secret),
    ownerId: "o"
  })

  it.scopedLive("concurrent calls each carry the JWT signed for their own channel", () =>
    Effect.gen(function*() {
      const extensions = yield* Extensions
      const channels = ["9", "10", "11", "12"]
      yield* Effect.forEach(
        channels,
        (broadcasterId) =>
          extensions.sendChatMessage({ broadcasterId, text: "hi", extensionId: "e", extensionVersion: "1" }),
        { concurrency: "unbounded" }
      )
      const requests = yield* seen
      expect(requests.map((r) => [r.params.get("broadcaster_id"), claimsOf(r)["channel_id"]]).sort()).toEqual(
        channels.map((c) => [c, c]).sort()
      )
    }).pipe(Effect.provide(answer(() => ({ status: 204, text: "" })).pipe(Layer.provide(signed)))))

  it.effect("share one transport: a second call waits for the bucket the first one emptied", () =>
    Effect.gen(function*() {
      const extensions = yield* Extensions
      yield* extensions.get({ extensionId: "e" })
      const second = yield* Effect.fork(extensions.get({ extensionId: "e" }))
      for (let i = 0; i < 5; i++) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
      }
      // A transport made per call would have a fresh bucket and send at once.
      expect((yield* seen).length).toBe(1)
      for (let i = 0; i < 100 && Option.isNone(yield* Fiber.poll(second)); i++) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
        yield* TestClock.adjust("1 second")
      }
      yield* Fiber.join(second)
      expect((yield* seen).length).toBe(2)
    }).pipe(Effect.provide(
      answer(() => ({
        body: { data: [] },
        headers: {
          "Ratelimit-Limit": "60",
          "Ratelimit-Remaining": "0",
          "Ratelimit-Reset": "60"
        }
      })).pipe(Layer.provide(signed))
    )))
})

describe("ExtensionAuth.claimsFor", () => {
  it("names the channel, and for PubSub the targets or all channels", () => {
    const at = 1_700_000_000_000
    expect(
      ExtensionAuth.claimsFor(
        { operation: "send-extension-chat-message", params: { broadcaster_id: "9" } },
        "o",
        at
      )
    )
      .toEqual({ exp: 1_700_000_000, user_id: "o", role: "external", channel_id: "9" })
    expect(
      ExtensionAuth.claimsFor(
        {
          operation: "send-extension-pubsub-message",
          params: { broadcaster_id: "9", target: ["whisper-5"] }
        },
        "o",
        at
      )
    ).toMatchObject({ channel_id: "9", pubsub_perms: { send: ["whisper-5"] } })
    expect(
      ExtensionAuth.claimsFor(
        {
          operation: "send-extension-pubsub-message",
          params: { is_global_broadcast: true, target: ["global"] }
        },
        "o",
        at
      )
    ).toMatchObject({ channel_id: "all", pubsub_perms: { send: ["global"] } })
  })
})
