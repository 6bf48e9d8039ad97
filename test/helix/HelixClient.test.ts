import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as AccessToken from "../../src/auth/AccessToken.js"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as Helix from "../../src/helix/Helix.js"
import * as HelixClientModule from "../../src/helix/HelixClient.js"
import { HelixClient, raw } from "../../src/helix/HelixClient.js"
import * as Paging from "../../src/helix/Paging.js"
import { Streams } from "../../src/helix/Streams.js"
import { Users } from "../../src/helix/Users.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import { isTwitchError } from "../../src/TwitchError.js"
import { CLIENT_ID, layer, seen, TOKEN, tooManyRequests, wireStream, wireUser } from "./fakeHelix.js"

/** Lets real I/O progress while test time stands still. */
const realPause = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 5)))

/** Moves the TestClock in steps until the fiber is done (real I/O runs between steps). */
const driveUntilDone = <A, E>(fiber: Fiber.RuntimeFiber<A, E>, step = "1 second" as const, maxSteps = 200) =>
  Effect.gen(function*() {
    for (let i = 0; i < maxSteps; i++) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) break
      yield* realPause
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.join(fiber)
  })

const totalStreams = 250
const pagedStreams = layer((request) => {
  const after = Number(request.params.get("after") ?? "0")
  const first = Number(request.params.get("first") ?? "20")
  const data = Array.from(
    { length: Math.max(0, Math.min(first, totalStreams - after)) },
    (_, i) => wireStream(after + i)
  )
  const next = after + data.length
  return Effect.succeed({
    body: { data, pagination: next < totalStreams ? { cursor: String(next) } : {} },
    headers: { "Ratelimit-Limit": "800", "Ratelimit-Remaining": "790", "Ratelimit-Reset": "1" }
  })
})

describe("HelixClient", () => {
  it.live("pages lazily across several pages with cursors and sends Client-Id and the bearer token", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const all = yield* Stream.runCollect(streams.list({ pageSize: 100 }))
      expect(all.length).toBe(totalStreams)
      expect(Array.from(all).map((s) => s.id)).toEqual(
        Array.from({ length: totalStreams }, (_, i) => `s${i}`)
      )
      const requests = yield* seen
      expect(requests.length).toBe(3)
      expect(requests.map((r) => r.params.get("after"))).toEqual([null, "100", "200"])
      expect(requests[0].headers["client-id"]).toBe(CLIENT_ID)
      expect(requests[0].headers["authorization"]).toBe(`Bearer ${TOKEN}`)
      expect(requests[0].path).toBe("/helix/streams")

      // Only the pages needed are fetched: 5 items after an offset of 3 fit in the first page.
      const some = yield* Paging.collect(
        streams.list({ pageSize: Paging.pageSizeFor({ limit: 5, offset: 3 }) }),
        {
          limit: 5,
          offset: 3
        }
      )
      expect(some.map((s) => s.id)).toEqual(["s3", "s4", "s5", "s6", "s7"])
      expect((yield* seen).length).toBe(4)
      // Models are camelCase with real types; the wire object stays reachable.
      expect(some[0].viewerCount).toBe(9997)
      expect(some[0].startedAt).toBeInstanceOf(Date)
      expect(Option.getOrThrow(some[0].gameName)).toBe("Just Chatting")
      expect(Option.getOrThrow(raw(some[0]))["tag_ids"]).toEqual([])
    }).pipe(Effect.provide(pagedStreams)))

  it.live("splits more than 100 users over several requests with repeated parameters", () =>
    Effect.gen(function*() {
      const users = yield* Users
      const logins = Array.from({ length: 250 }, (_, i) => `viewer${i}`)
      const found = yield* users.list({ logins, ids: ["42"] })
      expect(found.length).toBe(251)
      const requests = yield* seen
      expect(requests.length).toBe(3)
      const counts = requests.map((r) => r.params.getAll("login").length + r.params.getAll("id").length)
      expect(counts).toEqual([100, 100, 51])
      expect(requests[0].params.getAll("id")).toEqual(["42"])
    }).pipe(Effect.provide(layer((request) =>
      Effect.succeed({
        body: {
          data: [
            ...request.params.getAll("id").map((id) => wireUser(`id${id}`, id)),
            ...request.params.getAll("login").map((l) => wireUser(l))
          ]
        }
      })
    ))))

  it.live("maps 401 to NotAuthorized with Twitch's message and drops the token", () =>
    Effect.gen(function*() {
      const users = yield* Users
      const error = yield* Effect.flip(users.byLogin("someone"))
      expect(error._tag).toBe("NotAuthorized")
      if (error._tag !== "NotAuthorized") return
      expect(error.reason).toBe("InvalidToken")
      expect(error.status).toBe(401)
      expect(error.twitchMessage).toBe("Invalid OAuth token")
      expect(error.request?.url).toContain("/helix/users?login=someone")
      expect(isTwitchError(error)).toBe(true)
      expect(error.message).not.toContain(TOKEN)
      const again = yield* Effect.flip(users.byLogin("someone"))
      expect(again._tag === "NotAuthorized" && again.reason).toBe("NoToken")
      expect((yield* seen).length).toBe(1)
    }).pipe(
      Effect.provide(layer(() =>
        Effect.succeed({
          status: 401,
          body: { error: "Unauthorized", status: 401, message: "Invalid OAuth token" }
        })
      ))
    ))

  it.live("fails with NotAuthorized naming a missing scope before any request is made", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const error = yield* Effect.flip(Stream.runCollect(streams.followed()))
      expect(error._tag === "NotAuthorized" && error.reason).toBe("MissingScope")
      expect(error._tag === "NotAuthorized" && error.scope).toBe("user:read:follows")
      expect(error.message).toContain("user:read:follows")
      expect((yield* seen).length).toBe(0)
    }).pipe(Effect.provide(layer(() => Effect.succeed({ body: { data: [] } }), {
      token: AccessToken.make(TOKEN, { kind: "user", scopes: ["chat:read"], userId: "1" })
    }))))

  it.live("reads a scope Twitch says is missing from its 401 message", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const error = yield* Effect.flip(Stream.runCollect(streams.followed()))
      expect(error._tag === "NotAuthorized" && error.reason).toBe("MissingScope")
      expect(error._tag === "NotAuthorized" && error.scope).toBe("user:read:follows")
    }).pipe(Effect.provide(
      layer(() =>
        Effect.succeed({
          status: 401,
          body: { error: "Unauthorized", status: 401, message: "Missing scope: user:read:follows" }
        }), { token: AccessToken.make(TOKEN, { kind: "user", userId: "1" }) })
    )))

  it.effect("waits for Ratelimit-Reset after a 429 and retries, on the TestClock", () =>
    Effect.gen(function*() {
      const users = yield* Users
      const start = yield* Clock.currentTimeMillis
      const fiber = yield* Effect.fork(users.byLogin("alice"))
      const found = yield* driveUntilDone(fiber)
      expect(Option.getOrThrow(found).login).toBe("alice")
      const requests = yield* seen
      expect(requests.length).toBe(2)
      const waited = (yield* Clock.currentTimeMillis) - start
      expect(waited).toBeGreaterThanOrEqual(30_000)
      expect(waited).toBeLessThan(40_000)
    }).pipe(Effect.provide(layer((_, index) =>
      Effect.map(Clock.currentTimeMillis, (now) =>
        index === 0
          ? tooManyRequests(Math.ceil(now / 1000) + 30)
          : { body: { data: [wireUser("alice")] } })
    ))))

  it.effect("waits before sending when the bucket is empty instead of provoking a 429", () =>
    Effect.gen(function*() {
      const users = yield* Users
      const helix = yield* HelixClient
      yield* users.byLogin("first")
      const bucket = Option.getOrThrow(yield* helix.rateLimit)
      expect(bucket.tokens).toBe(0)
      expect(bucket.limit).toBe(60)
      const fiber = yield* Effect.fork(users.byLogin("second"))
      for (let i = 0; i < 5; i++) yield* realPause
      expect((yield* seen).length).toBe(1)
      yield* driveUntilDone(fiber, "1 second")
      expect((yield* seen).length).toBe(2)
    }).pipe(Effect.provide(layer((request) =>
      Effect.map(Clock.currentTimeMillis, (now) => ({
        body: { data: [wireUser(request.params.get("login") ?? "x")] },
        headers: {
          "Ratelimit-Limit": "60",
          "Ratelimit-Remaining": "0",
          "Ratelimit-Reset": String(Math.ceil(now / 1000) + 60)
        }
      }))
    ))))

  it.live("retries a 500 with backoff and then succeeds", () =>
    Effect.gen(function*() {
      const users = yield* Users
      const found = yield* users.byLogin("bob")
      expect(Option.getOrThrow(found).login).toBe("bob")
      expect((yield* seen).length).toBe(3)
    }).pipe(Effect.provide(layer((_, index) =>
      Effect.succeed(
        index < 2
          ? { status: 500, body: { error: "Internal Server Error", status: 500, message: "boom" } }
          : { body: { data: [wireUser("bob")] } }
      ), { helix: { retryBase: "5 millis" } }))))

  it.live("gives up after the bounded retries with an HttpError carrying Twitch's fields", () =>
    Effect.gen(function*() {
      const users = yield* Users
      const error = yield* Effect.flip(users.byLogin("bob"))
      expect(error._tag).toBe("HttpError")
      if (error._tag !== "HttpError") return
      expect(error.status).toBe(503)
      expect(error.error).toBe("Service Unavailable")
      expect(error.twitchMessage).toBe("try later")
      expect(error.request.method).toBe("GET")
      expect((yield* seen).length).toBe(3)
    }).pipe(
      Effect.provide(layer(() =>
        Effect.succeed({
          status: 503,
          body: { error: "Service Unavailable", status: 503, message: "try later" }
        }), {
        helix: { retryBase: "5 millis", maxRetries: 2 }
      }))
    ))

  it.live("never retries a 400", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const error = yield* Effect.flip(Stream.runCollect(streams.list({ type: "live" })))
      expect(error._tag === "HttpError" && error.status).toBe(400)
      expect((yield* seen).length).toBe(1)
    }).pipe(Effect.provide(layer(() =>
      Effect.succeed({ status: 400, body: { error: "Bad Request", status: 400, message: "bad type" } }), {
      helix: { retryBase: "5 millis" }
    }))))

  it.live("fails with a DecodeError on malformed JSON", () =>
    Effect.gen(function*() {
      const users = yield* Users
      const error = yield* Effect.flip(users.byLogin("bob"))
      expect(error._tag).toBe("DecodeError")
      expect(error._tag === "DecodeError" && error.path).toBe("<body>")
    }).pipe(Effect.provide(layer(() => Effect.succeed({ text: "{\"data\": [" })))))

  it.live("fails with a DecodeError naming the field of the wrong type", () =>
    Effect.gen(function*() {
      const streams = yield* Streams
      const error = yield* Effect.flip(Stream.runCollect(streams.list()))
      expect(error._tag).toBe("DecodeError")
      if (error._tag !== "DecodeError") return
      expect(error.path).toBe("data.1.viewer_count")
      expect(error.message).toContain("data.1.viewer_count")
    }).pipe(Effect.provide(layer(() =>
      Effect.succeed({
        body: { data: [wireStream(0), wireStream(1, { viewer_count: "many" })], pagination: {} }
      })
    ))))

  it.live("maps a refused connection to a TransportError after bounded retries", () =>
    Effect.gen(function*() {
      const helix = yield* HelixClient
      const error = yield* Effect.flip(helix.request("/users", Schema.Unknown))
      expect(error._tag).toBe("TransportError")
      expect(error._tag === "TransportError" && error.request?.url).toBe("http://127.0.0.1:1/helix/users")
      expect(error.message).not.toContain(TOKEN)
    }).pipe(Effect.provide(
      Helix.layer({ retryBase: "5 millis", maxRetries: 1 }).pipe(
        Layer.provide(TwitchAuth.layerStatic(TOKEN)),
        Layer.provide(TwitchConfig.layer({ clientId: CLIENT_ID, helixUrl: "http://127.0.0.1:1/helix" })),
        Layer.provide(NodeHttpClient.layerUndici)
      )
    )))

  it.effect("an attempt Helix never answers fails with a TransportError after requestTimeout (TestClock)", () =>
    Effect.gen(function*() {
      const helix = yield* HelixClient
      const fiber = yield* Effect.fork(Effect.flip(helix.request("/users", Schema.Unknown)))
      const error = yield* driveUntilDone(fiber)
      expect(error._tag).toBe("TransportError")
      expect(error._tag === "TransportError" && error.step).toBe("Timeout")
      expect(error._tag === "TransportError" && error.detail).toBe("no answer within 5s")
      // The timeout is retried like any transport failure: one try and one retry.
      expect((yield* seen).length).toBe(2)
      const bucket = Option.getOrThrow(yield* helix.rateLimit)
      expect(bucket.inFlight).toBe(0)
    }).pipe(Effect.provide(layer(() => Effect.never, {
      helix: { requestTimeout: "5 seconds", maxRetries: 1, retryBase: "10 millis" }
    }))))

  it.live("an interrupted request gives its in-flight point back to the bucket", () =>
    Effect.gen(function*() {
      const helix = yield* HelixClient
      const fiber = yield* Effect.fork(helix.request("/users", Schema.Unknown))
      while ((yield* seen).length === 0) yield* realPause
      expect(Option.getOrThrow(yield* helix.rateLimit).inFlight).toBe(1)
      yield* Fiber.interrupt(fiber)
      expect(Option.getOrThrow(yield* helix.rateLimit).inFlight).toBe(0)
    }).pipe(Effect.provide(layer(() => Effect.never))))

  it.live("a user's bucket outlives a token refresh and is never keyed by the token itself", () =>
    Effect.gen(function*() {
      const helix = yield* HelixClient
      const auth = yield* TwitchAuth.TwitchAuth
      yield* helix.request("/users", Schema.Unknown)
      const before = Option.getOrThrow(yield* helix.rateLimit)
      expect(before.tokens).toBe(500)
      // A refreshed token of the same user draws from the same Twitch bucket.
      yield* auth.set(AccessToken.make("refreshedtokenvalue", { kind: "user", userId: "42" }))
      const after = Option.getOrThrow(yield* helix.rateLimit)
      expect(after.tokens).toBeLessThanOrEqual(501)
      expect(after.tokens).toBeGreaterThanOrEqual(500)
      expect(HelixClientModule.bucketKey(AccessToken.make(TOKEN))).not.toContain(TOKEN)
      expect(HelixClientModule.bucketKey(AccessToken.make(TOKEN, { kind: "app" }))).toBe("app")
    }).pipe(Effect.provide(layer(() =>
      Effect.succeed({
        body: { data: [] },
        headers: { "Ratelimit-Limit": "800", "Ratelimit-Remaining": "500", "Ratelimit-Reset": "1" }
      }), { token: AccessToken.make(TOKEN, { kind: "user", userId: "42" }) }))))
})
