import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import { mkdirSync } from "node:fs"
import type { Page } from "playwright-core"
import { colorOf, png } from "../../src/testing/mock/http/Cdn.js"
import { pictureColor } from "../../src/testing/mock/http/ThirdPartyCdn.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as Browser from "./browser.js"
import * as OnMock from "./onMock.js"
import { pixel } from "./png.js"

const lines = 10

/** What the test reads off the page. */
interface Shown {
  readonly script: string | null
  readonly cheers: ReadonlyArray<string | null>
  readonly cheerColor: string | null
  readonly scriptsInChat: number
  readonly pwned: unknown
  readonly rows: number
  readonly name: string | null
  readonly background: string
}

/** The colour the mock drew at the centre of the picture at `src` (read from its path, as the mock names it). */
const expectedColor = (src: string): readonly [number, number, number] => {
  const path = new URL(src).pathname.split("/").slice(1)
  switch (path[0]) {
    case "emoticons":
      return colorOf(path[2])
    case "bttv-cdn":
    case "ffz-cdn":
    case "7tv-cdn":
      return pictureColor(`${path[0].replace("-cdn", "")}${path[2]}`)
    case "badges":
      return pictureColor(`badge${path[2]}`)
    case "actions":
      return pictureColor(`cheer${path[1]}${path[4]}`)
    default:
      throw new Error(`not a mock picture: ${src}`)
  }
}

/** Whether every picture matching `selector` has loaded (and there is one). */
const loaded = (selector: string) =>
  `(() => {
  const all = [...document.querySelectorAll(${JSON.stringify(selector)})]
  return all.length > 0 && all.every((img) => img.complete && img.naturalWidth > 0)
})()`

const wait = <A>(page: Page, what: string, run: (page: Page) => Promise<A>) =>
  Effect.tryPromise({
    try: () => run(page),
    catch: (error) => new Error(`${what}: ${error instanceof Error ? error.message.split("\n")[0] : error}`)
  })

/**
 * Polls `expression` in the page until it is true (through the DevTools protocol, which the page's
 * content security policy does not restrict, unlike `waitForFunction`'s in-page polling).
 */
const until = (
  page: Page,
  what: string,
  expression: string,
  timeout: Duration.DurationInput = "10 seconds"
) =>
  wait(page, what, (p) => p.evaluate<boolean>(expression)).pipe(
    Effect.filterOrFail((ok) => ok, () => new Error(`${what}: not yet`)),
    Effect.retry({
      schedule: Schedule.spaced("50 millis"),
      while: (error) => error.message.endsWith("not yet")
    }),
    Effect.timeoutFail({
      duration: timeout,
      onTimeout: () => new Error(`${what}: not within ${Duration.format(timeout)}`)
    })
  )

/** The centre of the first element matching `selector` and the `src` of the picture drawn there (on top). */
const centre = (page: Page, selector: string, src: string) =>
  Effect.gen(function*() {
    const box = yield* wait(page, `box of ${selector}`, (p) => p.locator(selector).first().boundingBox())
    const url = yield* wait(page, `src of ${src}`, (p) => p.locator(src).first().getAttribute("src"))
    if (box === null || url === null) return yield* Effect.die(new Error(`not shown: ${selector}`))
    return { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2), url }
  })

describe("the chat overlay in a real browser", () => {
  it("reads pixels of a PNG as the mock encodes it", () => {
    expect(pixel(png(10, [200, 10, 30], [1, 2, 3]), 5, 5)).toEqual([200, 10, 30])
    expect(pixel(png(10, [200, 10, 30], [1, 2, 3]), 0, 9)).toEqual([1, 2, 3])
  })

  it.live.skipIf(!Browser.enabled)(
    "shows live chat with badges and every emote kind, removes deleted, timed-out and cleared messages, escapes text",
    () =>
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const irc = Option.getOrThrow(mock.irc)
        const { id: ownerId, login: channel, world } = yield* OnMock.topChannel
        const server = yield* OnMock.start(channel, lines)
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)

        const context = yield* Browser.launch
        const page = yield* Effect.tryPromise(() => context.newPage())
        const errors: Array<string> = []
        page.on("pageerror", (error) => errors.push(error.message))
        yield* wait(page, "open the overlay", (p) => p.goto(server.url))
        // The mock's chatter talks: generated messages arrive over the event stream.
        yield* until(
          page,
          "live chat",
          "document.querySelectorAll('#chat li.message').length >= 3",
          "15 seconds"
        )
        yield* irc.control.setChatterRate(0)

        const moderator = world.users[1].login // a moderator of every live channel: a badge
        const victim = world.users[5].login
        const post = (text: string, login = moderator) => irc.control.postMessage({ channel, login, text })
        const doomed = yield* post("this one gets deleted Kappa")
        const emotes = yield* post("Kappa KEKW RainTime catJAM OMEGALUL LULW")
        const script = yield* post(
          "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned=2\"> hi"
        )
        const spam = [yield* post("spam one", victim), yield* post("spam two", victim)]
        yield* irc.control.sendRaw(
          `@badge-info=subscriber/7;badges=subscriber/6;bits=150;color=#FF7F50;display-name=Cheerer;emotes=;` +
            `id=cheer-1;mod=0;room-id=${ownerId};subscriber=1;tmi-sent-ts=1700000000000;turbo=0;user-id=777;` +
            `user-type= :cheerer!cheerer@cheerer.tmi.twitch.tv PRIVMSG #${channel} :Cheer100 thanks cheer50`,
          { channel }
        )
        const row = (id: string) => `li[data-id="${id}"]`
        yield* wait(page, "the victim's messages", (p) =>
          p.waitForSelector(row(spam[1].id), { timeout: 10_000 }))
        yield* irc.control.deleteMessage(channel, doomed.id)
        yield* irc.control.ban({ channel, login: victim, seconds: 60 })

        yield* wait(page, "the cheer", (p) =>
          p.waitForSelector(row("cheer-1"), { timeout: 10_000 }))
        for (
          const id of [
            doomed.id,
            ...spam.map((m) =>
              m.id
            )
          ]
        ) {
          yield* wait(
            page,
            `removal of ${id}`,
            (p) => p.waitForSelector(row(id), { state: "detached", timeout: 10_000 })
          )
        }
        // Pictures of every kind loaded: Twitch, 7TV (one zero-width over KEKW), BTTV, FFZ, badges, cheermotes.
        const pictures = {
          kappa: `${row(emotes.id)} .emote-twitch img[alt="Kappa"]`,
          kekw: `${row(emotes.id)} .emote-7tv img[alt="KEKW"]`,
          rain: `${row(emotes.id)} .emote-7tv img.overlay[alt="RainTime"]`,
          catjam: `${row(emotes.id)} .emote-7tv img[alt="catJAM"]`,
          omegalul: `${row(emotes.id)} .emote-bttv img[alt="OMEGALUL"]`,
          lulw: `${row(emotes.id)} .emote-ffz img[alt="LULW"]`,
          moderator: `${row(emotes.id)} img.badge[title="Moderator"]`,
          cheer: `${row("cheer-1")} .cheer img`
        }
        for (const selector of Object.values(pictures)) {
          yield* until(page, `loaded: ${selector}`, loaded(selector))
        }
        // What was drawn: the centre pixel of each picture has the colour the mock gave that picture;
        // over KEKW, the zero-width RainTime is drawn on top.
        const targets = yield* Effect.all([
          centre(page, pictures.kappa, pictures.kappa),
          centre(page, pictures.catjam, pictures.catjam),
          centre(page, pictures.omegalul, pictures.omegalul),
          centre(page, pictures.lulw, pictures.lulw),
          centre(page, pictures.moderator, pictures.moderator),
          centre(page, pictures.cheer, pictures.cheer),
          centre(page, `${row(emotes.id)} .emote-7tv:has(img.overlay)`, pictures.rain)
        ])
        const shot = yield* wait(page, "screenshot", (p) => p.screenshot())
        for (const target of targets) {
          expect({ url: target.url, color: pixel(shot, target.x, target.y) }).toEqual({
            url: target.url,
            color: expectedColor(target.url)
          })
        }
        expect(new Set(targets.map((t) => expectedColor(t.url).join())).size).toBe(targets.length)

        const shown = yield* wait(page, "read the page", (p) =>
          p.evaluate<Shown>(`(() => {
  const text = (id) => document.querySelector('li[data-id="' + id + '"] .body')?.textContent ?? null
  const amounts = [...document.querySelectorAll('li[data-id="cheer-1"] .cheer .amount')]
  return {
    script: text(${JSON.stringify(script.id)}),
    cheers: amounts.map((a) => a.textContent),
    cheerColor: amounts[0]?.style.color ?? null,
    scriptsInChat: document.querySelectorAll("#chat script, #chat img:not([alt])").length,
    pwned: window.pwned ?? null,
    rows: document.querySelectorAll("#chat li.message").length,
    name: document.querySelector('li[data-id="cheer-1"] .name')?.style.color ?? null,
    background: getComputedStyle(document.body).backgroundColor
  }
})()`))
        expect(shown.script).toBe(
          "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned=2\"> hi"
        )
        expect(shown.scriptsInChat).toBe(0)
        expect(shown.pwned).toBeNull()
        expect(shown.cheers).toEqual(["100", "50"])
        expect(shown.cheerColor).toBe("rgb(156, 62, 232)")
        expect(shown.name).toBe("rgb(255, 127, 80)")
        expect(shown.background).toBe("rgba(0, 0, 0, 0)")
        expect(shown.rows).toBeLessThanOrEqual(lines)
        mkdirSync("test-results", { recursive: true })
        yield* wait(page, "artefact", (p) => p.screenshot({ path: "test-results/overlay.png" }))

        // Pictures that do not load: an emote's and a cheer's names show instead, a badge goes.
        const missing = `${mock.http.baseUrl}/7tv-cdn/emote/no-such-emote/2x.webp`
        yield* server.publish({
          type: "message",
          id: "broken-1",
          userId: "1",
          login: "someone",
          name: "Someone",
          color: null,
          action: false,
          badges: [{ title: "Gone", url: `${mock.http.baseUrl}/badges/v1/x/9` }],
          fragments: [
            { kind: "emote", source: "7tv", name: "Missing", url: missing, overlays: [] },
            { kind: "text", text: " " },
            { kind: "cheer", text: "Cheer5", amount: 5, url: missing, color: "#979797" }
          ],
          notice: null,
          replyTo: null
        })
        yield* until(
          page,
          "broken pictures replaced",
          `document.querySelector('li[data-id="broken-1"] .body')?.textContent === "Missing Cheer5" &&
            document.querySelectorAll('li[data-id="broken-1"] img').length === 0`
        )

        // A chat clear takes everything away, on the page and for pages opened later.
        yield* irc.control.clearChat(channel)
        yield* until(page, "chat cleared", "document.querySelectorAll('#chat li').length === 0")
        expect(yield* server.shown).toEqual([])
        expect(errors).toEqual([])
      }).pipe(Effect.provide(MockTwitch.layer({ irc: { chatterRate: 4 } })), Effect.scoped),
    60_000
  )
})
