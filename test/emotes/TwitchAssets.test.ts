import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as TwitchAssets from "../../src/emotes/TwitchAssets.js"
import * as FakeHelix from "../helix/fakeHelix.js"

/**
 * Until the mock Twitch answers the chat badge and cheermote operations, these run against a
 * scripted Helix on loopback, with bodies shaped as Twitch's reference shows them.
 */
const version = (setId: string, id: string, title: string) => ({
  id,
  image_url_1x: `https://static-cdn.jtvnw.net/badges/v1/${setId}-${id}/1`,
  image_url_2x: `https://static-cdn.jtvnw.net/badges/v1/${setId}-${id}/2`,
  image_url_4x: `https://static-cdn.jtvnw.net/badges/v1/${setId}-${id}/3`,
  title,
  description: title,
  click_action: "visit_url",
  click_url: "https://bits.twitch.tv"
})

const emote = (
  id: string,
  name: string,
  format: ReadonlyArray<string>,
  extra: Record<string, string> = {}
) => ({
  id,
  name,
  images: { url_1x: `u/${id}/1`, url_2x: `u/${id}/2`, url_4x: `u/${id}/3` },
  format,
  scale: ["1.0", "2.0", "3.0"],
  theme_mode: ["light", "dark"],
  ...extra
})

const images = (prefix: string, tier: number) => {
  const urls = (theme: string, kind: string, ext: string) =>
    Object.fromEntries(
      ["1", "1.5", "2", "3", "4"].map((
        s
      ) => [s, `https://cheer.example/${prefix}/${theme}/${kind}/${tier}/${s}.${ext}`])
    )
  const theme = (t: string) => ({ animated: urls(t, "animated", "gif"), static: urls(t, "static", "png") })
  return { dark: theme("dark"), light: theme("light") }
}

const cheermote = (prefix: string, tiers: ReadonlyArray<readonly [number, string]>) => ({
  prefix,
  tiers: tiers.map(([min, color]) => ({
    min_bits: min,
    id: String(min),
    color,
    images: images(prefix, min),
    can_cheer: true,
    show_in_bits_card: true
  })),
  type: "global_first_party",
  order: 1,
  last_updated: "2024-05-01T00:00:00Z",
  is_charitable: false
})

const template = "https://static-cdn.jtvnw.net/emoticons/v2/{{id}}/{{format}}/{{theme_mode}}/{{scale}}"

/** Helix as scripted: badges fail with a 400 while `failBadges` is set for the channel `666`. */
const answer = (request: FakeHelix.SeenRequest): Effect.Effect<FakeHelix.Reply> => {
  const broadcaster = request.params.get("broadcaster_id")
  switch (request.path) {
    case "/helix/chat/badges/global":
      return Effect.succeed({
        body: { data: [{ set_id: "moderator", versions: [version("moderator", "1", "Moderator")] }] }
      })
    case "/helix/chat/badges":
      return Effect.succeed(
        broadcaster === "666"
          ? { status: 400, body: { error: "Bad Request", status: 400, message: "Invalid broadcaster_id" } }
          : {
            body: {
              data: [{
                set_id: "subscriber",
                versions: [
                  version("subscriber", "0", "Subscriber"),
                  version("subscriber", "12", "1-Year Subscriber")
                ]
              }]
            }
          }
      )
    case "/helix/chat/emotes/global":
      return Effect.succeed({ body: { data: [emote("25", "Kappa", ["static"])], template } })
    case "/helix/chat/emotes":
      return Effect.succeed({
        body: {
          data: [
            emote("emotesv2_a", "ronniHype", ["static", "animated"], {
              tier: "1000",
              emote_type: "subscriptions",
              emote_set_id: "300"
            })
          ],
          template
        }
      })
    case "/helix/chat/emotes/set":
      return Effect.succeed({
        body: {
          data: request.params.getAll("emote_set_id").map((set) =>
            emote(`e${set}`, `set${set}`, ["static"], {
              emote_type: "subscriptions",
              emote_set_id: set,
              owner_id: "1"
            })
          ),
          template
        }
      })
    case "/helix/bits/cheermotes":
      return Effect.succeed({
        body: {
          data: [
            ...(broadcaster === undefined || broadcaster === null
              ? []
              : [cheermote("ronniCheer", [[100, "#9c3ee8"], [1, "#979797"]])]),
            cheermote("Cheer", [[1, "#979797"], [100, "#9c3ee8"]])
          ]
        }
      })
    default:
      return Effect.succeed({ status: 404, body: { error: "Not Found", status: 404, message: "" } })
  }
}

const TestLayer = TwitchAssets.layer().pipe(Layer.provideMerge(FakeHelix.layer(answer)))

const asked = (path: string) => Effect.map(FakeHelix.seen, (all) => all.filter((r) => r.path === path))

describe("TwitchAssets (scripted Helix)", () => {
  it.effect("turns badges into tables by set and version, with titles and picture URLs", () =>
    Effect.gen(function*() {
      const assets = yield* TwitchAssets.TwitchAssets
      const global = yield* assets.globalBadges
      const channel = yield* assets.channelBadges("1337")
      expect(global.get("moderator")?.get("1")).toEqual({
        setId: "moderator",
        version: "1",
        title: "Moderator",
        urls: {
          1: "https://static-cdn.jtvnw.net/badges/v1/moderator-1/1",
          2: "https://static-cdn.jtvnw.net/badges/v1/moderator-1/2",
          4: "https://static-cdn.jtvnw.net/badges/v1/moderator-1/3"
        }
      })
      expect([...(channel.get("subscriber")?.keys() ?? [])]).toEqual(["0", "12"])
      expect((yield* asked("/helix/chat/badges"))[0].params.get("broadcaster_id")).toBe("1337")
    }).pipe(Effect.provide(TestLayer)))

  it.effect("asks once for many concurrent readers, again after the ttl, and after a refresh", () =>
    Effect.gen(function*() {
      const assets = yield* TwitchAssets.TwitchAssets
      yield* Effect.all(Array.from({ length: 8 }, () => assets.channelEmotes("1337")), {
        concurrency: "unbounded"
      })
      expect((yield* asked("/helix/chat/emotes")).length).toBe(1)
      yield* TestClock.adjust("9 minutes")
      yield* assets.channelEmotes("1337")
      expect((yield* asked("/helix/chat/emotes")).length).toBe(1)
      yield* TestClock.adjust("2 minutes")
      const emotes = yield* assets.channelEmotes("1337")
      expect((yield* asked("/helix/chat/emotes")).length).toBe(2)
      expect(emotes.map((e) => [e.name, e.animated, Option.getOrNull(e.setId)])).toEqual([[
        "ronniHype",
        true,
        "300"
      ]])
      yield* assets.refresh("1337")
      yield* assets.channelEmotes("1337")
      yield* assets.globalEmotes
      yield* assets.refresh("1337")
      yield* assets.globalEmotes
      expect((yield* asked("/helix/chat/emotes")).length).toBe(3)
      expect((yield* asked("/helix/chat/emotes/global")).length).toBe(1)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("keeps a failure for its shorter ttl only", () =>
    Effect.gen(function*() {
      const assets = yield* TwitchAssets.TwitchAssets
      const first = yield* Effect.flip(assets.channelBadges("666"))
      expect(first._tag).toBe("HttpError")
      yield* Effect.flip(assets.channelBadges("666"))
      expect((yield* asked("/helix/chat/badges")).length).toBe(1)
      yield* TestClock.adjust("31 seconds")
      yield* Effect.flip(assets.channelBadges("666"))
      expect((yield* asked("/helix/chat/badges")).length).toBe(2)
    }).pipe(Effect.provide(TestLayer)))

  it.effect("keeps each emote set on its own", () =>
    Effect.gen(function*() {
      const assets = yield* TwitchAssets.TwitchAssets
      const first = yield* assets.emoteSets(["1", "2"])
      const second = yield* assets.emoteSets(["2", "3"])
      expect(first.map((e) => e.name)).toEqual(["set1", "set2"])
      expect(second.map((e) => e.name)).toEqual(["set2", "set3"])
      const sets = (yield* asked("/helix/chat/emotes/set")).flatMap((r) => r.params.getAll("emote_set_id"))
      expect(sets.sort()).toEqual(["1", "2", "3"])
    }).pipe(Effect.provide(TestLayer)))

  it.effect("reads cheermotes with their tiers lowest first, a channel's own with the global ones", () =>
    Effect.gen(function*() {
      const assets = yield* TwitchAssets.TwitchAssets
      const channel = yield* assets.cheermotes("1337")
      const global = yield* assets.cheermotes()
      expect(channel.map((c) => c.prefix)).toEqual(["ronniCheer", "Cheer"])
      expect(global.map((c) => c.prefix)).toEqual(["Cheer"])
      const tiers = channel[0].tiers
      expect(tiers.map((t) => [t.minBits, t.color])).toEqual([[1, "#979797"], [100, "#9c3ee8"]])
      expect(tiers[1].images.light.static[4]).toBe("https://cheer.example/ronniCheer/light/static/100/4.png")
      const calls = yield* asked("/helix/bits/cheermotes")
      expect(calls.map((r) => r.params.get("broadcaster_id"))).toEqual(["1337", null])
    }).pipe(Effect.provide(TestLayer)))
})
