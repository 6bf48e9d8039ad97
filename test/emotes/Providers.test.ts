import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Bttv from "../../src/emotes/Bttv.js"
import type { EmoteProvider } from "../../src/emotes/EmoteProvider.js"
import * as EmotesConfig from "../../src/emotes/EmotesConfig.js"
import * as Ffz from "../../src/emotes/Ffz.js"
import * as SevenTv from "../../src/emotes/SevenTv.js"
import type { ThirdPartyEmote } from "../../src/emotes/ThirdPartyEmote.js"
import * as ThirdPartyEmotes from "../../src/emotes/ThirdPartyEmotes.js"
import { sniff } from "../../src/playlist/Emotes.js"
import * as ThirdParty from "../../src/testing/mock/http/ThirdParty.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"

const Mock = MockTwitch.layer({ irc: false }).pipe(Layer.provideMerge(NodeHttpClient.layerUndici))

/** The mock's providers with `options` on top of the mock's URLs. */
const config = (options: EmotesConfig.EmotesConfig.Options = {}) =>
  Layer.unwrapEffect(
    Effect.map(MockTwitch.MockTwitch, (mock) =>
      EmotesConfig.layer({ ...ThirdParty.urls(mock.http.baseUrl), ...options }))
  )

const withConfig = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options: EmotesConfig.EmotesConfig.Options = {}
) => Effect.provide(effect, config(options))

/** The most watched live channel (all three providers know it) and an offline one (none does). */
const channels = Effect.gen(function*() {
  const mock = yield* MockTwitch.MockTwitch
  const snapshot = yield* mock.world.snapshot
  return { top: snapshot.streams[0].userId, unknown: mock.defaultUser.id }
})

const names = (emotes: ReadonlyArray<ThirdPartyEmote>) => emotes.map((e) => e.name).sort()

const picture = (url: string | undefined) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.get(url ?? "")
    expect(response.status).toBe(200)
    return Option.getOrNull(sniff(new Uint8Array(yield* response.arrayBuffer)))
  })

layer(Mock, { excludeTestServices: true })("third-party emotes on the mock Twitch", (it) => {
  it.effect("BTTV: global and channel emotes, 404 as none, pictures as PNG or GIF", () =>
    withConfig(Effect.gen(function*() {
      const { top, unknown } = yield* channels
      const bttv = yield* Bttv.make
      const global = yield* bttv.global
      const channel = yield* bttv.channel(top)
      expect(names(channel)).toEqual(["KEKW", "OMEGALUL", "monkaS"])
      expect(channel.every((e) => e.scope === "channel")).toBe(true)
      expect(yield* bttv.channel(unknown)).toEqual([])
      const sour = global.find((e) => e.name === "SourPls")
      expect(sour?.animated).toBe(true)
      expect(global.find((e) => e.name === "cvHazmat")?.zeroWidth).toBe(true)
      expect(yield* picture(sour?.urls[2])).toBe("gif")
      expect(yield* picture(channel[0].urls[3])).toBe("png")
    })))

  it.effect("FFZ: from FFZ and from BTTV's cache, the same emotes", () =>
    Effect.gen(function*() {
      const { top, unknown } = yield* channels
      const direct = yield* withConfig(Ffz.make)
      const cached = yield* withConfig(Ffz.make, { ffzSource: "betterttv" })
      expect(names(yield* direct.channel(top))).toEqual(["5Head", "LULW", "Pog"])
      expect(names(yield* cached.channel(top))).toEqual(names(yield* direct.channel(top)))
      expect(names(yield* cached.global)).toEqual(names(yield* direct.global))
      expect(names(yield* direct.global)).toContain("ZreknarF")
      expect(yield* direct.channel(unknown)).toEqual([])
      expect(yield* cached.channel(unknown)).toEqual([])
      expect(yield* picture((yield* direct.channel(top))[0].urls[4])).toBe("png")
    }))

  it.effect("7TV: zero-width and animated emotes, pictures as WebP", () =>
    withConfig(Effect.gen(function*() {
      const { top, unknown } = yield* channels
      const seventv = yield* SevenTv.make
      const global = yield* seventv.global
      const rain = global.find((e) => e.name === "RainTime")
      expect([rain?.zeroWidth, rain?.animated]).toEqual([true, true])
      expect(global.find((e) => e.name === "EZ")?.zeroWidth).toBe(false)
      const channel = yield* seventv.channel(top)
      expect(names(channel)).toEqual(["KEKW", "Sadge", "catJAM", "pepeD"])
      expect(yield* seventv.channel(unknown)).toEqual([])
      expect(yield* picture(rain?.urls[4])).toBe("webp")
      expect(yield* picture(channel.find((e) => e.name === "Sadge")?.urls[1])).toBe("webp")
    })))

  it.effect("one table: 7TV's KEKW over BTTV's; a provider switched off is not asked", () =>
    Effect.gen(function*() {
      const { top } = yield* channels
      const all = yield* withConfig(ThirdPartyEmotes.make)
      const table = yield* all.forChannel(top)
      expect(table.byName.get("KEKW")?.provider).toBe("7tv")
      expect(table.byName.get("OMEGALUL")?.provider).toBe("bttv")
      expect(table.byName.get("LULW")?.provider).toBe("ffz")
      expect(table.byName.get("SourPls")?.scope).toBe("global")
      const without = yield* withConfig(ThirdPartyEmotes.make, { enabled: { "7tv": false } })
      expect(without.providers).toEqual(["bttv", "ffz"])
      const rest = yield* without.forChannel(top)
      expect(rest.byName.get("KEKW")?.provider).toBe("bttv")
      expect(rest.byName.has("RainTime")).toBe(false)
    }))

  it.effect("a provider that does not answer is left out, the others are used", () =>
    Effect.gen(function*() {
      const { top } = yield* channels
      const service = yield* withConfig(ThirdPartyEmotes.make, {
        sevenTvApiUrl: "http://127.0.0.1:1/v3",
        timeout: "2 seconds"
      })
      const table = yield* service.forChannel(top)
      expect(table.failed.map((e) => [e.provider, e.reason])).toEqual([["7tv", "Transport"], [
        "7tv",
        "Transport"
      ]])
      expect(table.byName.get("KEKW")?.provider).toBe("bttv")
      expect(table.failed[0].message).toContain("7TV did not answer")
    }))
})

/** A client answering every GET with `body`. */
const answering = (body: unknown) =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      Effect.succeed(HttpClientResponse.fromWeb(request, new Response(JSON.stringify(body), { status: 200 })))
    )
  )

const active = (name: string, flags: number | undefined, dataFlags: number | undefined) => ({
  id: `id${name}`,
  name,
  ...(flags === undefined ? {} : { flags }),
  data: {
    ...(dataFlags === undefined ? {} : { flags: dataFlags }),
    animated: false,
    host: { url: `//cdn.7tv.app/emote/id${name}`, files: [{ name: "1x.webp" }, { name: "2x.webp" }] }
  }
})

describe("7TV answers", () => {
  it.effect("zero-width from the set's flags or the older emote flag 256; ill-shaped items skipped", () =>
    Effect.gen(function*() {
      const seventv: EmoteProvider = yield* SevenTv.make
      const global = yield* seventv.global
      expect(global.map((e) => [e.name, e.zeroWidth])).toEqual([["New", true], ["Old", false], [
        "Older",
        true
      ]])
      expect(global[0].urls).toEqual({
        1: "https://cdn.7tv.app/emote/idNew/1x.webp",
        2: "https://cdn.7tv.app/emote/idNew/2x.webp"
      })
    }).pipe(
      Effect.provide(EmotesConfig.layer()),
      Effect.provide(
        answering({
          emotes: [active("New", 1, 0), active("Old", 0, 0), active("Older", undefined, 256), { id: 3 }]
        })
      )
    ))
})
