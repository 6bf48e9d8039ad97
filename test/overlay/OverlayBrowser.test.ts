import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { mkdirSync } from "node:fs"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import * as ChatClient from "../../src/chat/ChatClient.js"
import * as EmotesConfig from "../../src/emotes/EmotesConfig.js"
import * as Helix from "../../src/helix/Helix.js"
import * as OverlayServer from "../../src/overlay/OverlayServer.js"
import * as MockEmotes from "../../src/testing/MockEmotes.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"
import * as Browser from "./browser.js"
import * as FrontHelix from "./frontHelix.js"

const lines = 8

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

/** The overlay of `channel` on the mock in context (badges and cheermotes from the front Helix). */
const overlay = (channel: string) =>
  Effect.gen(function*() {
    const mock = yield* MockTwitch.MockTwitch
    const helixUrl = yield* FrontHelix.start(mock.http.baseUrl)
    const stack = OverlayServer.layerNode({ channel, lines }).pipe(
      Layer.provide(ChatClient.layer({ anonymous: true })),
      Layer.provide(OverlayServer.layerResolver({ scale: 2 })),
      Layer.provide(Helix.layer()),
      Layer.provide(TwitchAuth.layerValidated(mock.credentials.userToken)),
      Layer.provide(Layer.succeed(EmotesConfig.EmotesConfig, MockEmotes.emotesConfig(mock))),
      Layer.provide(Layer.succeed(TwitchConfig.TwitchConfig, { ...MockTwitch.twitchConfig(mock), helixUrl })),
      Layer.provide(NodeHttpClient.layerUndici)
    )
    return Context.get(yield* Layer.build(stack), OverlayServer.OverlayServer)
  })

/** Whether every picture matching `selector` inside the chat has loaded (and there is one). */
const loaded = (selector: string) =>
  `(() => {
  const all = [...document.querySelectorAll(${JSON.stringify(selector)})]
  return all.length > 0 && all.every((img) => img.complete && img.naturalWidth > 0)
})()`

describe("the chat overlay in a real browser", () => {
  it.skipIf(!Browser.available)(
    "shows live chat with badges and every emote kind, removes deleted messages, escapes text",
    () =>
      Effect.gen(function*() {
        const mock = yield* MockTwitch.MockTwitch
        const irc = Option.getOrThrow(mock.irc)
        const world = yield* mock.world.snapshot
        const owner = world.users.find((u) => u.id === world.streams[0].userId)
        const channel = owner?.login ?? ""
        const server = yield* overlay(channel)
        expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)

        const context = yield* Browser.launch
        const page = yield* Effect.promise(() => context.newPage())
        const errors: Array<string> = []
        page.on("pageerror", (error) => errors.push(error.message))
        yield* Effect.promise(() => page.goto(`${server.url}?lines=${lines}`))
        // The mock's chatter talks: generated messages arrive over the event stream.
        yield* Effect.promise(() =>
          page.waitForFunction("document.querySelectorAll('#chat li.message').length >= 3", null, {
            timeout: 20_000
          })
        )
        yield* irc.control.setChatterRate(0)

        const moderator = world.users[1].login // a moderator of the most watched channel: a badge
        const post = (text: string) => irc.control.postMessage({ channel, login: moderator, text })
        const doomed = yield* post("this one gets deleted Kappa")
        yield* Effect.promise(() => page.waitForSelector(`li[data-id="${doomed.id}"]`, { timeout: 10_000 }))
        const emotes = yield* post("Kappa KEKW RainTime catJAM")
        const script = yield* post(
          "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned=2\"> hi"
        )
        yield* irc.control.sendRaw(
          `@badge-info=subscriber/7;badges=subscriber/6;bits=150;color=#FF7F50;display-name=Cheerer;emotes=;id=cheer-1;` +
            `mod=0;room-id=${owner?.id};subscriber=1;tmi-sent-ts=1700000000000;turbo=0;user-id=777;user-type= ` +
            `:cheerer!cheerer@cheerer.tmi.twitch.tv PRIVMSG #${channel} :Cheer100 thanks cheer50`,
          { channel }
        )
        yield* irc.control.deleteMessage(channel, doomed.id)

        const row = (id: string) => `li[data-id="${id}"]`
        yield* Effect.promise(() => page.waitForSelector(row("cheer-1"), { timeout: 10_000 }))
        yield* Effect.promise(() =>
          page.waitForSelector(row(doomed.id), { state: "detached", timeout: 10_000 })
        )
        // Pictures: a Twitch emote, 7TV emotes (one zero-width over KEKW), a badge, a cheermote.
        for (
          const selector of [
            `${row(emotes.id)} .emote-twitch img[alt="Kappa"]`,
            `${row(emotes.id)} .emote-7tv img[alt="KEKW"]`,
            `${row(emotes.id)} .emote-7tv img.overlay[alt="RainTime"]`,
            `${row(emotes.id)} .emote-7tv img[alt="catJAM"]`,
            `${row(emotes.id)} img.badge[title="Moderator"]`,
            `${row("cheer-1")} img.badge[title="6-Month Subscriber"]`,
            `${row("cheer-1")} .cheer img`
          ]
        ) {
          yield* Effect.promise(() => page.waitForFunction(loaded(selector), null, { timeout: 10_000 })).pipe(
            Effect.catchAllDefect(() => Effect.die(new Error(`not loaded: ${selector}`)))
          )
        }
        // Read in the page (a string: the browser's DOM types are not in this project's lib).
        const shown = yield* Effect.promise(() =>
          page.evaluate<Shown>(`(() => {
  const text = (id) => document.querySelector('li[data-id="' + id + '"] .body')?.textContent ?? null
  const amounts = [...document.querySelectorAll('li[data-id="cheer-1"] .cheer .amount')]
  return {
    script: text(${JSON.stringify(script.id)}),
    cheers: amounts.map((a) => a.textContent),
    cheerColor: amounts[0]?.style.color ?? null,
    scriptsInChat: document.querySelectorAll("#chat script, #chat img:not(.badge):not([alt])").length,
    pwned: window.pwned ?? null,
    rows: document.querySelectorAll("#chat li.message").length,
    name: document.querySelector('li[data-id="cheer-1"] .name')?.style.color ?? null,
    background: getComputedStyle(document.body).backgroundColor
  }
})()`)
        )
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
        expect(errors).toEqual([])
        expect((yield* server.shown).some((e) => e.type === "message" && e.id === doomed.id)).toBe(false)

        mkdirSync("test-results", { recursive: true })
        yield* Effect.promise(() => page.screenshot({ path: "test-results/overlay.png" }))
      }).pipe(Effect.provide(MockTwitch.layer({ irc: { chatterRate: 4 } })), Effect.scoped),
    120_000
  )
})
