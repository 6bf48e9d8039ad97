/**
 * The resolver over the mock Twitch (its Helix, and its BTTV, FFZ and 7TV): a message with every
 * kind of emote, a channel no provider knows (their 404s: global emotes only, no failure), and
 * every source down (the message still reads as it was typed).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as TwitchAuth from "../../src/auth/TwitchAuth.js"
import { parseTwitchLine } from "../../src/chat/TwitchMessage.js"
import * as ChatInput from "../../src/emotes/ChatInput.js"
import * as EmotesConfig from "../../src/emotes/EmotesConfig.js"
import * as Fragment from "../../src/emotes/Fragment.js"
import * as MessageResolver from "../../src/emotes/MessageResolver.js"
import * as Helix from "../../src/helix/Helix.js"
import * as OverlayServer from "../../src/overlay/OverlayServer.js"
import * as MockEmotes from "../../src/testing/MockEmotes.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"

const Mock = MockTwitch.layer({ irc: false }).pipe(Layer.provideMerge(NodeHttpClient.layerUndici))

const closed = "http://127.0.0.1:1"

/** Resolves `text` (a PRIVMSG to `channelId` with `tags`) on the mock, or with every source down. */
const resolve = (channelId: string, tags: string, text: string, down = false) =>
  Effect.gen(function*() {
    const mock = yield* MockTwitch.MockTwitch
    const line = `@${tags};id=r1;room-id=${channelId};user-id=9;display-name=Viewer;color=#00FF00 ` +
      `:viewer!viewer@viewer.tmi.twitch.tv PRIVMSG #c :${text}`
    const message = Either.getOrThrow(parseTwitchLine(line))
    if (message._tag !== "Privmsg") return yield* Effect.die(message._tag)
    const config = MockTwitch.twitchConfig(mock)
    const emotes = MockEmotes.emotesConfig(
      mock,
      down ?
        {
          bttvApiUrl: closed,
          ffzApiUrl: closed,
          sevenTvApiUrl: closed,
          timeout: "2 seconds"
        } :
        {}
    )
    const resolver = yield* Effect.provide(
      MessageResolver.MessageResolver,
      OverlayServer.layerResolver({ scale: 2 }).pipe(
        Layer.provide(Helix.layer()),
        Layer.provide(TwitchAuth.layerValidated(mock.credentials.userToken)),
        Layer.provide(Layer.succeed(EmotesConfig.EmotesConfig, emotes)),
        Layer.provide(
          Layer.succeed(TwitchConfig.TwitchConfig, down ? { ...config, helixUrl: `${closed}/helix` } : config)
        )
      )
    )
    return yield* resolver.resolve(ChatInput.fromPrivmsg(message))
  })

const shape = (resolved: Fragment.Resolved) =>
  resolved.fragments.flatMap((f) =>
    f._tag === "Text" ?
      f.text.trim() === "" ? [] : [`text:${f.text.trim()}`] :
      f._tag === "Emote" ?
      [`twitch:${f.name}`] :
      f._tag === "ThirdPartyEmote" ?
      [`${f.provider}:${f.name}${f.overlays.map((o) => `+${o.name}`).join("")}`] :
      f._tag === "Cheermote" ?
      [`cheer:${f.prefix}${f.amount}`] :
      [`${f._tag.toLowerCase()}:${f.text}`]
  )

const text = "Kappa KEKW RainTime OMEGALUL LULW SourPls Cheer100 @someone hi"

layer(Mock, { excludeTestServices: true })("MessageResolver on the mock Twitch", (it) => {
  it.effect("resolves every kind: Twitch, 7TV with a zero-width overlay, BTTV, FFZ, cheermote, mention; badges", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const top = (yield* mock.world.snapshot).streams[0].userId
      const shown = yield* resolve(
        top,
        "badges=moderator/1,subscriber/6;badge-info=subscriber/7;bits=100;emotes=25:0-4",
        text
      )
      expect(shape(shown)).toEqual([
        "twitch:Kappa",
        "7tv:KEKW+RainTime",
        "bttv:OMEGALUL",
        "ffz:LULW",
        "bttv:SourPls",
        "cheer:Cheer100",
        "mention:@someone",
        "text:hi"
      ])
      expect(shown.unavailable).toEqual([])
      expect(shown.badges.map((b) => [b.title, b.url._tag])).toEqual([["Moderator", "Some"], [
        "6-Month Subscriber",
        "Some"
      ]])
      for (const f of shown.fragments) {
        if (f._tag === "ThirdPartyEmote" || f._tag === "Emote" || f._tag === "Cheermote") {
          expect(f.url.startsWith(mock.http.baseUrl)).toBe(true)
        }
      }
    }))

  it.effect("a channel no provider knows (404 at each): its global emotes only, and no source counted as down", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const shown = yield* resolve(mock.defaultUser.id, "badges=;emotes=", "KEKW RainTime SourPls LULW")
      expect(shape(shown)).toEqual(["text:KEKW", "7tv:RainTime", "bttv:SourPls", "text:LULW"])
      expect(shown.unavailable).toEqual([])
    }))

  it.effect("every source down: the message reads as typed, Twitch emotes from the message itself, badges without pictures", () =>
    Effect.gen(function*() {
      const mock = yield* MockTwitch.MockTwitch
      const top = (yield* mock.world.snapshot).streams[0].userId
      const shown = yield* resolve(top, "badges=moderator/1;bits=100;emotes=25:0-4", text, true)
      expect(shown.fragments.map(Fragment.text).join("")).toBe(text)
      expect(shape(shown).slice(0, 2)).toEqual([
        "twitch:Kappa",
        "text:KEKW RainTime OMEGALUL LULW SourPls Cheer100"
      ])
      expect([...shown.unavailable].sort()).toEqual([
        "7tv",
        "bttv",
        "ffz",
        "helix badges",
        "helix cheermotes",
        "helix emotes"
      ])
      expect(shown.badges.map((b) => [b.title, b.url._tag])).toEqual([["moderator", "None"]])
    }).pipe(Effect.timeout("20 seconds")))
})
