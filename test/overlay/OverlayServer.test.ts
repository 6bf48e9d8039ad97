/**
 * The overlay server over HTTP (no browser): a page opened late gets the messages still shown
 * (the last `lines`, without deleted ones) before the live ones; the page and its files are sent
 * with their types and security headers; a name that is not a channel login is refused.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as Events from "./events.js"
import * as OnMock from "./onMock.js"

describe("OverlayServer", () => {
  it.live(
    "a page opened late gets the last `lines` messages still shown, then live ones",
    () =>
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const irc = Option.getOrThrow(mock.irc)
        const { login: channel, world } = yield* OnMock.topChannel
        const server = yield* OnMock.start(channel, 3)
        const post = (text: string) => irc.control.postMessage({ channel, login: world.users[1].login, text })
        const posted = [yield* post("one"), yield* post("two"), yield* post("three"), yield* post("four")]
        yield* irc.control.deleteMessage(channel, posted[2].id)
        // The server has seen them all (the deletion last).
        yield* server.shown.pipe(
          Effect.filterOrFail((shown) => shown.length === 2, () => "not yet"),
          Effect.retry({ schedule: Schedule.spaced("20 millis"), times: 250 })
        )
        const late = yield* Effect.fork(Events.read(`${server.url}events`, 3))
        yield* server.pages.pipe(
          Effect.filterOrFail((n) => n === 1, () => "not yet"),
          Effect.retry({ schedule: Schedule.spaced("20 millis"), times: 250 })
        )
        const live = yield* post("five")
        const got = yield* Fiber.join(late)
        expect(got.data.map((e) => e.id)).toEqual([posted[1].id, posted[3].id, live.id])
      }).pipe(Effect.provide(MockTwitch.layer({ irc: { chatterRate: 0 } })), Effect.scoped),
    30_000
  )

  it.live(
    "serves the page, style and script with their types and security headers; 404 elsewhere",
    () =>
      Effect.gen(function*() {
        const { login: channel } = yield* OnMock.topChannel
        const server = yield* OnMock.start(channel, 7)
        const get = (path: string) =>
          Effect.tryPromise(async () => {
            const answer = await fetch(`${server.url}${path}`)
            return { status: answer.status, headers: answer.headers, body: await answer.text() }
          })
        const page = yield* get("?lines=3")
        expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8")
        expect(page.headers.get("content-security-policy")).toContain("default-src 'none'; script-src 'self'")
        expect(page.headers.get("x-content-type-options")).toBe("nosniff")
        expect(page.body).toContain(`data-lines="7"`)
        expect((yield* get("overlay.js")).headers.get("content-type")).toBe("text/javascript; charset=utf-8")
        expect((yield* get("overlay.css")).body).toContain("background: transparent")
        expect((yield* get("nothing-here")).status).toBe(404)
      }).pipe(Effect.provide(MockTwitch.layer({ irc: { chatterRate: 0 } })), Effect.scoped),
    30_000
  )

  it.live("refuses a name that is not a channel login", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(OnMock.start("#not a channel", 5))
      expect(Either.isLeft(result) && result.left._tag).toBe("ChatError")
    }).pipe(Effect.provide(MockTwitch.layer({ irc: { chatterRate: 0 } })), Effect.scoped), 30_000)
})
