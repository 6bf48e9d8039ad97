import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Chatter from "../../../../src/testing/mock/irc/Chatter.js"
import { defaultWorldData } from "../../../../src/testing/mock/world/DefaultWorld.js"
import { get, withMock } from "./client.js"

const magic = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes.slice(0, 12))

describe("mock BTTV, FFZ and 7TV", () => {
  it.live("answer in each provider's shape, with 404s shaped as theirs for unknown channels", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const base = mock.http.baseUrl
        const world = yield* mock.world.snapshot
        const top = world.streams[0].userId
        const bttv = (yield* get(`${base}/bttv/3/cached/users/twitch/${top}`)).json<{
          channelEmotes: ReadonlyArray<{ id: string; code: string; imageType: string }>
          sharedEmotes: ReadonlyArray<{ code: string; user: unknown }>
        }>()
        expect([...bttv.channelEmotes, ...bttv.sharedEmotes].map((e) => e.code).sort()).toEqual([
          "KEKW",
          "OMEGALUL",
          "monkaS"
        ])
        expect(bttv.channelEmotes[0].id).toMatch(/^[0-9a-f]{24}$/)
        const missing = yield* get(`${base}/bttv/3/cached/users/twitch/${mock.defaultUser.id}`)
        expect([missing.status, missing.json()]).toEqual([404, { message: "user not found" }])
        const ffz = (yield* get(`${base}/ffz/v1/set/global`)).json<{
          default_sets: ReadonlyArray<number>
          sets: Record<string, { emoticons: ReadonlyArray<{ id: number; urls: Record<string, string> }> }>
        }>()
        expect(ffz.default_sets).toEqual([3])
        expect(Object.keys(ffz.sets["3"].emoticons[0].urls)).toEqual(["1", "2", "4"])
        expect((yield* get(`${base}/ffz/v1/room/id/${mock.defaultUser.id}`)).status).toBe(404)
        const room = (yield* get(`${base}/ffz/v1/room/id/${top}`)).json<
          { room: { set: number }; sets: Record<string, unknown> }
        >()
        expect(Object.keys(room.sets)).toEqual([String(room.room.set)])
        const global7tv = (yield* get(`${base}/7tv/v3/emote-sets/global`)).json<{
          emotes: ReadonlyArray<
            { name: string; flags: number; data: { flags: number; host: { url: string } } }
          >
        }>()
        const rain = global7tv.emotes.find((e) => e.name === "RainTime")
        expect([rain?.flags, rain?.data.flags]).toEqual([1, 256])
        expect((yield* get(`${base}/7tv/v3/users/twitch/${mock.defaultUser.id}`)).json()).toMatchObject({
          status_code: 404
        })
        const user7tv = (yield* get(`${base}/7tv/v3/users/twitch/${top}`)).json<
          { emote_set: { emotes: ReadonlyArray<unknown> } }
        >()
        expect(user7tv.emote_set.emotes.length).toBe(4)
        // Every emote of the world has its pictures, in the provider's format.
        const webp = yield* get(`${rain?.data.host.url}/4x.webp`)
        expect([webp.status, webp.headers.get("content-type"), magic(webp.bytes).slice(8)]).toEqual([
          200,
          "image/webp",
          "WEBP"
        ])
        expect(magic(webp.bytes).slice(0, 4)).toBe("RIFF")
        const ffzPicture = yield* get(ffz.sets["3"].emoticons[0].urls["4"])
        expect(magic(ffzPicture.bytes).slice(1, 4)).toBe("PNG")
        expect((yield* get(`${base}/bttv-cdn/emote/${bttv.channelEmotes[0].id}/3x`)).status).toBe(200)
        expect((yield* get(`${base}/bttv-cdn/emote/ffffffffffffffffffffffff/1x`)).status).toBe(404)
        expect((yield* get(`${base}/7tv-cdn/emote/${bttv.channelEmotes[0].id}/1x.webp`)).status).toBe(404)
      })
    ))

  it.live("serve badge and cheermote pictures for Helix answers to point at", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const base = mock.http.baseUrl
        const badge = yield* get(`${base}/badges/v1/moderator-1/3`)
        expect([badge.status, magic(badge.bytes).slice(1, 4)]).toEqual([200, "PNG"])
        expect(badge.bytes[19]).toBe(72) // IHDR width 72
        const cheer = yield* get(`${base}/actions/cheer/dark/animated/100/2.gif`)
        expect([cheer.status, magic(cheer.bytes).slice(0, 6)]).toEqual([200, "GIF89a"])
        expect((yield* get(`${base}/actions/cheer/dark/animated/100/2.png`)).status).toBe(404)
      })
    ))
})

describe("mock world: third-party emotes", () => {
  it("are drawn from a generator of their own, the same for the same seed", () => {
    const a = defaultWorldData(1_700_000_000_000, { seed: 9 })
    const b = defaultWorldData(1_700_000_000_000, { seed: 9 })
    expect(a.thirdPartyEmotes).toEqual(b.thirdPartyEmotes)
    expect(defaultWorldData(1_700_000_000_000, { seed: 10 }).thirdPartyEmotes).not.toEqual(a.thirdPartyEmotes)
    const ids = a.thirdPartyEmotes.map((e) => `${e.provider}/${e.id}`)
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe("the chatter with third-party emotes", () => {
  const channel: Chatter.ChatterChannel = {
    login: "somechannel",
    id: "123",
    displayName: "SomeChannel",
    emotes: Chatter.defaultEmotes,
    thirdPartyEmotes: [
      { name: "KEKW", zeroWidth: false },
      { name: "catJAM", zeroWidth: false },
      { name: "RainTime", zeroWidth: true }
    ]
  }
  const lines = (() => {
    const g = Chatter.make(3)
    return Array.from({ length: 600 }, (_, i) => g.privmsg(channel, 1_700_000_000_000 + i))
  })()

  it("types third-party names (outside the emotes tag), zero-width ones right after an emote", () => {
    const texts = lines.map((l) => l.text ?? "")
    expect(texts.filter((t) => /(^| )(KEKW|catJAM)( |$)/.test(t)).length).toBeGreaterThan(100)
    const overlaid = texts.filter((t) => / RainTime( |$)/.test(t))
    expect(overlaid.length).toBeGreaterThan(10)
    for (const t of overlaid) expect(t).toMatch(/(KEKW|catJAM) RainTime/)
    for (const l of lines) {
      const emotesTag = /;emotes=([^;]*);/.exec(l.line)?.[1] ?? ""
      const words = Array.from(l.text ?? "")
      for (const range of emotesTag.split("/").flatMap((e) => e.split(":")[1]?.split(",") ?? [])) {
        const [s, e] = range.split("-").map(Number)
        expect(["KEKW", "catJAM", "RainTime"]).not.toContain(words.slice(s, e + 1).join(""))
      }
    }
  })

  it("cheers with one or two cheermotes whose amounts add up to the bits tag", () => {
    const cheers = lines.filter((l) => l.line.includes(";bits="))
    expect(cheers.length).toBeGreaterThan(10)
    let doubles = 0
    for (const l of cheers) {
      const bits = Number(/;bits=(\d+)/.exec(l.line)?.[1])
      const amounts = [...(l.text ?? "").matchAll(/(?:^| )[Cc]heer(\d+)(?= |$)/g)].map((m) => Number(m[1]))
      if (amounts.length === 2) doubles++
      expect(amounts.reduce((a, b) => a + b, 0)).toBe(bits)
    }
    expect(doubles).toBeGreaterThan(0)
  })
})
