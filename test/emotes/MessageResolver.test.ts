import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { parseTwitchLine, type Privmsg } from "../../src/chat/TwitchMessage.js"
import * as ChatInput from "../../src/emotes/ChatInput.js"
import type { EmoteProvider } from "../../src/emotes/EmoteProvider.js"
import { EmoteProviderError } from "../../src/emotes/EmoteProviderError.js"
import type { Fragment } from "../../src/emotes/Fragment.js"
import * as MessageResolver from "../../src/emotes/MessageResolver.js"
import type { ThirdPartyEmote } from "../../src/emotes/ThirdPartyEmote.js"
import * as ThirdPartyEmotes from "../../src/emotes/ThirdPartyEmotes.js"
import * as TwitchAssets from "../../src/emotes/TwitchAssets.js"
import * as TwitchConfig from "../../src/TwitchConfig.js"

const cdn = "https://static-cdn.jtvnw.net/emoticons/v2"

/** A PRIVMSG as Twitch sends it, from tags and text. */
const privmsg = (tags: string, text: string): Privmsg => {
  const base = "badge-info=subscriber/14;badges=moderator/1,subscriber/12;color=#1E90FF;display-name=Ronni;" +
    "id=b34ccfc7-4977-403a-8a94-33c6bac34fb8;mod=1;room-id=1337;subscriber=1;tmi-sent-ts=1507246572675;turbo=0;" +
    "user-id=4242;user-type=mod"
  // The test's tags replace the base ones of the same name.
  const all = new Map(`${base};${tags}`.split(";").map((kv) => [kv.split("=")[0], kv] as const))
  const line = `@${[...all.values()].join(";")} :ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #ronni :${text}`
  const parsed = Either.getOrThrow(parseTwitchLine(line))
  if (parsed._tag !== "Privmsg") throw new Error(parsed._tag)
  return parsed
}

const tp = (
  provider: ThirdPartyEmote["provider"],
  name: string,
  scope: ThirdPartyEmote["scope"],
  extra: Partial<ThirdPartyEmote> = {}
): ThirdPartyEmote => ({
  provider,
  id: `${provider}-${name}-${scope}`,
  name,
  urls: {
    1: `https://cdn.example/${provider}/${name}/${scope}/1x`,
    2: `https://cdn.example/${provider}/${name}/${scope}/2x`
  },
  animated: false,
  zeroWidth: false,
  scope,
  ...extra
})

const tier = (minBits: number, color: string): TwitchAssets.CheerTier => {
  const urls = (theme: string, kind: string) => ({
    1: `https://cheer.example/${theme}/${kind}/${minBits}/1`,
    2: `https://cheer.example/${theme}/${kind}/${minBits}/2`
  })
  return {
    minBits,
    color,
    images: {
      dark: { animated: urls("dark", "animated"), static: urls("dark", "static") },
      light: { animated: urls("light", "animated"), static: urls("light", "static") }
    }
  }
}

const cheermotes: ReadonlyArray<TwitchAssets.Cheermote> = [
  { prefix: "Cheer", tiers: [tier(1, "#979797"), tier(100, "#9c3ee8"), tier(1000, "#1db2a5")] },
  { prefix: "BibleThump", tiers: [tier(1, "#979797"), tier(100, "#9c3ee8")] }
]

const badgeTable = (entries: ReadonlyArray<readonly [string, string, string]>): TwitchAssets.BadgeTable => {
  const table = new Map<string, Map<string, TwitchAssets.Badge>>()
  for (const [setId, version, title] of entries) {
    const versions = table.get(setId) ?? new Map()
    versions.set(version, {
      setId,
      version,
      title,
      urls: { 1: `https://badge.example/${setId}/${version}/1x` }
    })
    table.set(setId, versions)
  }
  return table
}

const catalog = (thirdParty: ReadonlyArray<ThirdPartyEmote> = []): MessageResolver.Catalog => ({
  emoteCdnUrl: cdn,
  twitchEmotes: new Map([["emotesv2_dance", {
    id: "emotesv2_dance",
    name: "DinoDance",
    animated: true,
    setId: Option.none(),
    ownerId: Option.none()
  }]]),
  thirdParty: ThirdPartyEmotes.merge([thirdParty]),
  cheermotes,
  channelBadges: badgeTable([["subscriber", "12", "1-Year Subscriber"]]),
  globalBadges: badgeTable([["moderator", "1", "Moderator"], ["subscriber", "12", "Global Subscriber"]])
})

/** The fragments as short strings, to compare whole messages at a glance. */
const shape = (fragments: ReadonlyArray<Fragment>): ReadonlyArray<string> =>
  fragments.map((f) => {
    switch (f._tag) {
      case "Text":
        return `text:${f.text}`
      case "Emote":
        return `emote:${f.name}${f.overlays.map((o) => `+${o.name}`).join("")}`
      case "ThirdPartyEmote":
        return `${f.provider}:${f.name}${f.overlays.map((o) => `+${o.name}`).join("")}`
      case "Cheermote":
        return `cheer:${f.prefix}:${f.amount}@${f.tier}`
      case "Mention":
        return `mention:${f.login}`
      case "Link":
        return `link:${f.url}`
    }
  })

describe("MessageResolver.resolve", () => {
  it("cuts Twitch emotes at code-point positions with emoji around them", () => {
    // 👍🏽 is two code points (and four UTF-16 units), 🇺🇸 two more: UTF-16 offsets would cut wrong.
    const m = privmsg("emotes=25:3-7/425618:12-14,19-21", "👍🏽 Kappa 🇺🇸 LUL ❤️ LUL!")
    const shown = MessageResolver.resolve(ChatInput.fromPrivmsg(m), catalog())
    expect(shape(shown.fragments)).toEqual([
      "text:👍🏽 ",
      "emote:Kappa",
      "text: 🇺🇸 ",
      "emote:LUL",
      "text: ❤️ ",
      "emote:LUL",
      "text:!"
    ])
    const kappa = shown.fragments[1]
    expect(kappa._tag === "Emote" && kappa.url).toBe(`${cdn}/25/default/dark/1.0`)
  })

  it("asks for an animated picture where the emote has one, at the chosen scale and theme", () => {
    const m = privmsg("emotes=emotesv2_dance:0-8/25:10-14", "DinoDance Kappa")
    const shown = MessageResolver.resolve(ChatInput.fromPrivmsg(m), catalog(), { scale: 3, theme: "light" })
    const [dance, , kappa] = shown.fragments
    expect(dance._tag === "Emote" && [dance.url, dance.animated]).toEqual([
      `${cdn}/emotesv2_dance/animated/light/3.0`,
      true
    ])
    expect(kappa._tag === "Emote" && kappa.url).toBe(`${cdn}/25/default/light/3.0`)
    const still = MessageResolver.resolve(ChatInput.fromPrivmsg(m), catalog(), { animated: false })
    expect(still.fragments[0]._tag === "Emote" && still.fragments[0].url).toBe(
      `${cdn}/emotesv2_dance/static/dark/1.0`
    )
  })

  it("ignores emote positions outside the text or overlapping an earlier one", () => {
    const m = privmsg("emotes=25:0-4,2-6/1:40-41", "Kappa hi")
    expect(shape(MessageResolver.resolve(ChatInput.fromPrivmsg(m), catalog()).fragments)).toEqual([
      "emote:Kappa",
      "text: hi"
    ])
  })

  it("reads cheermotes with amounts, any case, the tier the amount reaches", () => {
    const m = privmsg(
      "bits=1251;emotes=",
      "Cheer100 great cheer1000 BibleThump150 BibleThump Cheer0 Cheer1 Cheerful"
    )
    const shown = MessageResolver.resolve(ChatInput.fromPrivmsg(m), catalog())
    expect(shape(shown.fragments)).toEqual([
      "cheer:Cheer:100@100",
      "text: great ",
      "cheer:Cheer:1000@1000",
      "text: ",
      "cheer:BibleThump:150@100",
      "text: BibleThump Cheer0 ",
      "cheer:Cheer:1@1",
      "text: Cheerful"
    ])
    const first = shown.fragments[0]
    expect(first._tag === "Cheermote" && [first.url, first.color]).toEqual([
      "https://cheer.example/dark/animated/100/1",
      "#9c3ee8"
    ])
  })

  it("reads no cheer in a message without bits (Twitch's rule)", () => {
    const m = privmsg("emotes=", "Cheer100 is what I would type")
    expect(shape(MessageResolver.resolve(ChatInput.fromPrivmsg(m), catalog()).fragments)[0]).toBe(
      "text:Cheer100 is what I would type"
    )
  })

  it("matches third-party emotes by whole word, case-sensitive, overlapping names apart", () => {
    const emotes = [
      tp("7tv", "KEKW", "channel"),
      tp("bttv", "KEKWait", "global"),
      tp("ffz", "kekw", "global")
    ]
    const m = privmsg("emotes=", "KEKW KEKWait kekw KEKW, xKEKW")
    expect(shape(MessageResolver.resolve(ChatInput.fromPrivmsg(m), catalog(emotes)).fragments)).toEqual([
      "7tv:KEKW",
      "text: ",
      "bttv:KEKWait",
      "text: ",
      "ffz:kekw",
      "text: KEKW, xKEKW"
    ])
  })

  it("draws zero-width emotes over the emote before them, else on their own", () => {
    const emotes = [
      tp("7tv", "RainTime", "global", { zeroWidth: true }),
      tp("7tv", "SteerR", "global", { zeroWidth: true }),
      tp("7tv", "pepeD", "channel", { animated: true })
    ]
    const m = privmsg("emotes=25:0-4", "Kappa RainTime pepeD  SteerR RainTime hi RainTime")
    const shown = MessageResolver.resolve(ChatInput.fromPrivmsg(m), catalog(emotes))
    expect(shape(shown.fragments)).toEqual([
      "emote:Kappa+RainTime",
      "text: ",
      "7tv:pepeD+SteerR+RainTime",
      "text: hi ",
      "7tv:RainTime"
    ])
    const pepe = shown.fragments[2]
    expect(pepe._tag === "ThirdPartyEmote" && pepe.overlays[0].url).toBe(
      "https://cdn.example/7tv/SteerR/global/1x"
    )
  })

  it("reads mentions and links, and leaves what trails them as text", () => {
    const m = privmsg(
      "emotes=",
      "@Bob_42, see twitch.tv/ronni. or https://example.com/a?b=1 @ javascript:alert(1)"
    )
    expect(shape(MessageResolver.resolve(ChatInput.fromPrivmsg(m), catalog()).fragments)).toEqual([
      "mention:bob_42",
      "text:, see ",
      "link:https://twitch.tv/ronni",
      "text:. or ",
      "link:https://example.com/a?b=1",
      "text: @ javascript:alert(1)"
    ])
  })

  it("turns badges into pictures with titles, the channel's version first", () => {
    const m = privmsg("badges=moderator/1,subscriber/12,glitchcon2020/1;emotes=", "hi")
    const shown = MessageResolver.resolve(ChatInput.fromPrivmsg(m), catalog())
    expect(shown.badges.map((b) => [b.title, Option.getOrNull(b.url), Option.getOrNull(b.info)])).toEqual([
      ["Moderator", "https://badge.example/moderator/1/1x", null],
      ["1-Year Subscriber", "https://badge.example/subscriber/12/1x", "14"],
      ["glitchcon2020", null, null]
    ])
  })
})

const provider = (
  name: ThirdPartyEmote["provider"],
  global: Effect.Effect<ReadonlyArray<ThirdPartyEmote>, EmoteProviderError>,
  channel: ReadonlyArray<ThirdPartyEmote> = []
): EmoteProvider => ({
  provider: name,
  global,
  channel: () => Effect.succeed(channel),
  refresh: () => Effect.void
})

const assets = Layer.succeed(
  TwitchAssets.TwitchAssets,
  TwitchAssets.TwitchAssets.of({
    globalBadges: Effect.succeed(badgeTable([["moderator", "1", "Moderator"]])),
    channelBadges: () => Effect.succeed(new Map()),
    globalEmotes: Effect.succeed([]),
    channelEmotes: () => Effect.succeed([]),
    emoteSets: () => Effect.succeed([]),
    cheermotes: () => Effect.succeed(cheermotes),
    refresh: () => Effect.void
  })
)

const service = (providers: ReadonlyArray<EmoteProvider>) =>
  MessageResolver.layer().pipe(
    Layer.provide(Layer.effect(ThirdPartyEmotes.ThirdPartyEmotes, ThirdPartyEmotes.fromProviders(providers))),
    Layer.provide(assets),
    Layer.provide(TwitchConfig.layer({ clientId: "x" }))
  )

describe("MessageResolver service", () => {
  it.effect("prefers a channel's emote over a global one, then 7TV over BTTV over FFZ", () =>
    Effect.gen(function*() {
      const resolver = yield* MessageResolver.MessageResolver
      const m = privmsg("emotes=", "KEKW Pog OMEGALUL")
      const shown = yield* resolver.resolve(ChatInput.fromPrivmsg(m))
      expect(shape(shown.fragments)).toEqual(["ffz:KEKW", "text: ", "7tv:Pog", "text: ", "bttv:OMEGALUL"])
      expect(shown.fragments[0]._tag === "ThirdPartyEmote" && shown.fragments[0].id).toBe("ffz-KEKW-channel")
    }).pipe(Effect.provide(service([
      provider("7tv", Effect.succeed([tp("7tv", "KEKW", "global"), tp("7tv", "Pog", "global")])),
      provider("bttv", Effect.succeed([tp("bttv", "Pog", "global"), tp("bttv", "OMEGALUL", "global")])),
      provider("ffz", Effect.succeed([tp("ffz", "OMEGALUL", "global")]), [tp("ffz", "KEKW", "channel")])
    ]))))

  it.effect("renders a message while a provider is down, with text where its emotes would be", () =>
    Effect.gen(function*() {
      const resolver = yield* MessageResolver.MessageResolver
      const m = privmsg("bits=100;emotes=25:0-4", "Kappa KEKW catJAM Cheer100")
      const shown = yield* resolver.resolve(ChatInput.fromPrivmsg(m))
      expect(shape(shown.fragments)).toEqual([
        "emote:Kappa",
        "text: KEKW ",
        "bttv:catJAM",
        "text: ",
        "cheer:Cheer:100@100"
      ])
      expect(shown.unavailable).toEqual(["7tv"])
      expect(shown.badges.map((b) => b.title)).toEqual(["Moderator", "subscriber"])
    }).pipe(Effect.provide(service([
      provider(
        "7tv",
        Effect.fail(
          new EmoteProviderError({
            provider: "7tv",
            reason: "Transport",
            url: "https://7tv.io/v3/emote-sets/global",
            detail: "refused"
          })
        )
      ),
      provider("bttv", Effect.succeed([tp("bttv", "catJAM", "global", { animated: true })]))
    ]))))
})
