/**
 * Draws docs/overlay.png, the README's picture of the chat overlay: the built-in mock Twitch, the
 * overlay of its most watched channel, a short conversation with every kind of picture (badges,
 * Twitch, BTTV, FFZ and 7TV emotes, a zero-width 7TV emote, cheermotes, a resub notice, a reply)
 * and a deleted message, shown in headless Chromium over a backdrop colour standing in for the
 * stream's scene (the page itself is transparent).
 *
 *   npx tsx scripts/overlay-screenshot.ts [out.png]     # needs Chromium (Debian's chromium)
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as MockTwitch from "../src/testing/MockTwitch.js"
import * as Browser from "../test/overlay/browser.js"
import * as OnMock from "../test/overlay/onMock.js"

const out = process.argv[2] ?? "docs/overlay.png"

/** What shows through the transparent page: a plain colour standing in for the stream's scene. */
const backdrop = { r: 38, g: 70, b: 96, a: 1 }

const program = Effect.gen(function*() {
  const mock = yield* MockTwitch.MockTwitch
  const irc = Option.getOrThrow(mock.irc)
  const { id: ownerId, login: channel, world } = yield* OnMock.topChannel
  const server = yield* OnMock.start(channel, 8)
  // People whose display names this Chromium's fonts can draw (Latin letters).
  const latin = world.users.filter((u) => /^[A-Za-z0-9_]+$/.test(u.displayName))
  const [moderator, viewer, fan] = [world.users[1], latin[7], latin[9]]
  const post = (login: string, text: string, reply?: string) =>
    irc.control.postMessage({ channel, login, text, replyParentMsgId: reply })

  const context = yield* Browser.launchWith({ viewport: { width: 720, height: 480 } })
  const page = yield* Effect.tryPromise(() => context.newPage())
  const devtools = yield* Effect.tryPromise(() => context.newCDPSession(page))
  yield* Effect.tryPromise(() =>
    devtools.send("Emulation.setDefaultBackgroundColorOverride", { color: backdrop })
  )
  yield* Effect.tryPromise(() => page.goto(server.url))

  yield* irc.control.sendUserNotice({
    channel,
    msgId: "resub",
    login: fan.login,
    systemMsg: `${fan.displayName} subscribed at Tier 1. They've subscribed for 14 months!`,
    params: { "cumulative-months": "14", "sub-plan": "1000" },
    text: "14 months already catJAM"
  })
  const first = yield* post(moderator.login, "what a play Kappa KEKW RainTime")
  const doomed = yield* post(viewer.login, "this message gets deleted by a moderator")
  yield* post(viewer.login, "@" + moderator.login + " OMEGALUL no way", first.id)
  yield* irc.control.sendRaw(
    `@badge-info=subscriber/7;badges=subscriber/6;bits=1100;color=#FF7F50;display-name=Cheerer;emotes=;` +
      `id=cheer-1;mod=0;room-id=${ownerId};subscriber=1;tmi-sent-ts=1700000000000;turbo=0;user-id=777;user-type= ` +
      `:cheerer!cheerer@cheerer.tmi.twitch.tv PRIVMSG #${channel} :Cheer1000 Cheer100 LULW gg`,
    { channel }
  )
  yield* post(fan.login, "pepeD pepeD SourPls")
  yield* irc.control.deleteMessage(channel, doomed.id)

  // Every picture loaded and the deleted message gone (checked through the DevTools protocol).
  const ready = `(() => {
    const imgs = [...document.querySelectorAll("#chat img")]
    return document.querySelectorAll("#chat li").length === 5 &&
      imgs.length > 10 && imgs.every((i) => i.complete && i.naturalWidth > 0)
  })()`
  yield* Effect.tryPromise(() => page.evaluate<boolean>(ready)).pipe(
    Effect.filterOrFail((ok) => ok, () => new Error("not ready")),
    Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 150 })
  )
  yield* Effect.sleep("700 millis") // animated pictures: a frame with the disc grown
  const box = yield* Effect.tryPromise(() => page.locator("#chat").boundingBox())
  const top = Math.max(0, Math.floor((box?.y ?? 0) - 12))
  yield* Effect.tryPromise(() =>
    page.screenshot({ path: out, clip: { x: 0, y: top, width: 720, height: 480 - top } })
  )
  yield* Console.log(`wrote ${out} (#${channel} on the mock)`)
})

program.pipe(
  Effect.provide(MockTwitch.layer({ irc: { chatterRate: 0 } })),
  Effect.scoped,
  NodeRuntime.runMain
)
