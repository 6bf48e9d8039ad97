/**
 * Seeds the third-party emotes from a generator of their own (so every other part of a world
 * stays as it was): each provider's global emotes (real names, BTTV's and 7TV's zero-width ones
 * among them), and emotes of the live channels. The most watched channel has all three providers,
 * with `KEKW` at both 7TV and BTTV (7TV's wins) and moving emotes; others get a drawn few.
 *
 * @since 0.1.0
 */
import { generator, HEX } from "./Random.js"
import type { ThirdPartyEmote } from "./ThirdPartyModels.js"

type Entry = readonly [name: string, animated?: boolean, zeroWidth?: boolean]

const globals: Readonly<Record<ThirdPartyEmote["provider"], ReadonlyArray<Entry>>> = {
  bttv: [
    [":tf:"],
    ["CiGrip"],
    ["DatSauce"],
    ["ForeverAlone"],
    ["GabeN"],
    ["HailHelix"],
    ["ShoopDaWhoop"],
    ["SourPls", true],
    ["FeelsBirthdayMan"],
    ["cvHazmat"],
    ["SoSnowy"]
  ],
  ffz: [["ZreknarF"], ["LilZ"], ["BeanieHipster"], ["ManChicken"], ["YooHoo"], ["CatBag"], ["ZrehplaR"]],
  "7tv": [["EZ"], ["Clap", true], ["RainTime", true, true], ["SteerR", false, true], ["FeelsDankMan"], [
    "ppL"
  ]]
}

const channelPool: ReadonlyArray<Entry> = [
  ["KEKW"],
  ["OMEGALUL"],
  ["monkaS"],
  ["Pog"],
  ["catJAM", true],
  ["pepeD", true],
  ["Sadge"],
  ["Copium"],
  ["widepeepoHappy"],
  ["PepeLaugh"],
  ["HYPERS"],
  ["5Head"],
  ["peepoClap", true],
  ["LULW"],
  ["modCheck", true],
  ["NODDERS", true]
]

/** The most watched channel's emotes: every provider, an overlap, moving ones. */
const showcase: Readonly<Record<ThirdPartyEmote["provider"], ReadonlyArray<Entry>>> = {
  "7tv": [["KEKW"], ["catJAM", true], ["pepeD", true], ["Sadge"]],
  bttv: [["KEKW"], ["OMEGALUL"], ["monkaS"]],
  ffz: [["LULW"], ["5Head"], ["Pog"]]
}

/**
 * Draws the third-party emotes for a world's users (the live ones are `liveUserIds`, most watched
 * first).
 *
 * @since 0.1.0
 * @category constructors
 */
export const drawThirdPartyEmotes = (
  seed: number,
  liveUserIds: ReadonlyArray<string>
): Array<ThirdPartyEmote> => {
  const g = generator(seed ^ 0x7e3d0c1a)
  let ffzId = 100000 + g.int(0, 99999)
  const idOf = (provider: ThirdPartyEmote["provider"]) =>
    provider === "ffz" ? String(ffzId++) : g.string(24, HEX)
  const make =
    (provider: ThirdPartyEmote["provider"], ownerId: string) =>
    ([name, animated = false, zeroWidth = false]: Entry): ThirdPartyEmote => ({
      provider,
      id: idOf(provider),
      name,
      ownerId,
      animated,
      zeroWidth
    })
  const emotes: Array<ThirdPartyEmote> = []
  for (const provider of ["bttv", "ffz", "7tv"] as const) {
    emotes.push(...globals[provider].map(make(provider, "0")))
  }
  liveUserIds.forEach((ownerId, k) => {
    for (const provider of ["7tv", "bttv", "ffz"] as const) {
      if (k === 0) {
        emotes.push(...showcase[provider].map(make(provider, ownerId)))
        continue
      }
      // 7TV is the most common, FFZ the least; a channel may have none at a provider (404 there).
      if (g.float() > (provider === "7tv" ? 0.8 : provider === "bttv" ? 0.6 : 0.4)) continue
      const count = g.int(2, 5)
      const names = new Set<number>()
      while (names.size < count) names.add(g.int(0, channelPool.length - 1))
      emotes.push(...[...names].map((i) => make(provider, ownerId)(channelPool[i])))
    }
  })
  return emotes
}
