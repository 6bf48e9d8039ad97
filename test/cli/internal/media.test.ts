import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as MockWorld from "../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import { cli } from "../support.js"

const setup = Effect.gen(function*() {
  const mock = yield* MockTwitch.MockTwitch
  const state = yield* mock.world.snapshot
  const loginOf = (userId: string) => state.users.find((u) => u.id === userId)!.login
  const plain = state.streams.find((s) => !s.geoBlocked && s.restrictedQualities.length === 0)!
  const restricted = state.streams.find((s) => s.restrictedQualities.length > 0)!
  const blocked = state.streams.find((s) => s.geoBlocked)!
  return { mock, state, plain, restricted, blocked, loginOf }
})

describe("twitcher playlist and emote, on a mock started for the command", () => {
  it.live(
    "emote url and playlist url say that the URL dies with the command, and what to run instead",
    () =>
      Effect.gen(function*() {
        const note =
          /^twitcher: note: this URL is served by a mock Twitch that stops when this command exits; .*`twitcher mock`/
        const emote = yield* cli(["emote", "url", "25"])
        expect(emote.code).toBe(0)
        expect(emote.lines).toEqual([
          expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.*25\/default\/dark\/1\.0$/)
        ])
        expect(emote.err).toMatch(note)
        const streams = yield* cli(["streams", "list", "--json", "--limit", "1"])
        const login = String(JSON.parse(streams.out)["user_login"])
        const playlist = yield* cli(["playlist", "url", login, "--json"])
        expect(playlist.code).toBe(0)
        expect(JSON.parse(playlist.out)).toMatchObject({ channel: login })
        expect(playlist.err).toMatch(note)
      }),
    30_000
  )
})

describe("twitcher playlist and emote", () => {
  layer(MockTwitch.layer({ irc: false }), { excludeTestServices: true })((it) => {
    it.effect("playlist qualities: the world's qualities; subscriber-only ones listed apart", () =>
      Effect.gen(function*() {
        const { loginOf, plain, restricted } = yield* setup
        const r = yield* cli(["playlist", "qualities", loginOf(plain.userId), "--json"])
        expect(r.code).toBe(0)
        const doc = JSON.parse(r.out)
        expect(doc.variants.map((v: { name: string }) => v.name).sort()).toEqual(
          plain.qualities.map((q) => q.name.replace(/ \(source\)$/, "")).sort()
        )
        // Every rendition by name, the source first, audio_only last.
        expect(doc.qualities).toEqual(plain.qualities.map((q) => q.name))
        expect(doc.restricted).toEqual([])

        const table = yield* cli(["playlist", "qualities", loginOf(restricted.userId)])
        expect(table.code).toBe(0)
        expect(table.lines[0]).toMatch(/^QUALITY\s+NAME\s+RESOLUTION\s+FPS\s+MBIT\/S\s+CODECS$/)
        expect(table.out).toContain(`subscriber-only: ${restricted.restrictedQualities.join(", ")}`)
        for (const q of restricted.restrictedQualities) {
          expect(table.lines.filter((l) => l.startsWith(q))).toEqual([])
        }
      }))

    it.effect("playlist url: the chosen variant's URL alone on stdout; typed failures exit 1", () =>
      Effect.gen(function*() {
        const { blocked, loginOf, plain, restricted } = yield* setup
        const login = loginOf(plain.userId)
        const best = yield* cli(["playlist", "url", login])
        expect(best.code).toBe(0)
        expect(best.lines).toHaveLength(1)
        expect(best.out).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*\.m3u8/)
        const audio = JSON.parse((yield* cli(["playlist", "url", login, "audio", "--json"])).out)
        expect(audio).toMatchObject({
          channel: login,
          requested: "audio",
          quality: "audio",
          isAudioOnly: true
        })
        const at720 = JSON.parse((yield* cli(["playlist", "url", login, "720p", "--json"])).out)
        expect(at720.resolution.height).toBeLessThanOrEqual(720)

        const unknown = yield* cli(["playlist", "url", "nosuchchannel"])
        expect(unknown).toMatchObject({
          code: 1,
          out: "",
          err: "twitcher: nosuchchannel is offline or does not exist."
        })
        const offline = yield* cli(["playlist", "url", MockWorld.defaultUserLogin])
        expect(offline.code).toBe(1)
        const geo = yield* cli(["playlist", "url", loginOf(blocked.userId)])
        expect(geo.code).toBe(1)
        expect(geo.err).toMatch(/not available in this region/)
        const sub = yield* cli([
          "playlist",
          "url",
          loginOf(restricted.userId),
          restricted.restrictedQualities[0]
        ])
        expect(sub.code).toBe(1)
        expect(sub.err).toMatch(/restricted \(subscriber-only\)/)
      }))

    it.effect("playlist: portrait renditions by name; --codecs brings HEVC and AV1 renditions", () =>
      Effect.gen(function*() {
        const { loginOf, state } = yield* setup
        const enhanced = state.streams.find((s) => s.qualities.some((q) => q.resolution === "1080x1920"))!
        const portrait = JSON.parse(
          (yield* cli(["playlist", "url", loginOf(enhanced.userId), "1080p60-portrait", "--json"])).out
        )
        expect(portrait).toMatchObject({
          name: "1080p60-portrait",
          resolution: { width: 1080, height: 1920 }
        })
        const landscape = JSON.parse(
          (yield* cli(["playlist", "url", loginOf(enhanced.userId), "--json"])).out
        )
        expect(landscape).toMatchObject({ name: "1080p60", resolution: { width: 1920, height: 1080 } })

        const multi = loginOf(
          state.streams.find((s) => s.qualities.some((q) => q.codecs.startsWith("av01")))!.userId
        )
        const h264 = JSON.parse((yield* cli(["playlist", "qualities", multi, "--json"])).out)
        expect(h264.qualities).not.toContain("1080p60-av1")
        const all = JSON.parse(
          (yield* cli(["playlist", "qualities", multi, "--codecs", "av1,hevc,h264", "--json"])).out
        )
        expect(all.qualities).toContain("1080p60-av1")
        expect(all.qualities.at(-1)).toBe("audio_only")
        const av1 = JSON.parse(
          (yield* cli(["playlist", "url", multi, "1080p", "--codecs", "av1,h264", "--json"])).out
        )
        expect(av1).toMatchObject({ name: "720p60-av1", videoCodec: "av1" })
        expect((yield* cli(["playlist", "url", multi, "--codecs", "vp9"])).code).toBe(2)
      }))

    it.effect("emote url and get: CDN URL, picture checked and saved; unknown emote exits 1", () =>
      Effect.gen(function*() {
        const { mock, state } = yield* setup
        const emote = state.emotes[0]
        const url = yield* cli(["emote", "url", emote.id, "--scale", "3.0", "--theme", "light"])
        expect(url.out).toBe(`${mock.http.emoteCdnUrl}/${emote.id}/default/light/3.0`)
        expect(url.err).toBe("") // a mock that outlives the command: no note

        const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "twitcher-emote-"))
        const file = Path.join(dir, "emote.png")
        const got = yield* cli([
          "emote",
          "get",
          emote.id,
          "--scale",
          "2.0",
          "--format",
          "static",
          "-o",
          file,
          "--json"
        ])
        expect(got.code).toBe(0)
        const doc = JSON.parse(got.out)
        expect(doc).toMatchObject({ id: emote.id, kind: "png", width: 56, height: 56, file })
        const bytes = Fs.readFileSync(file)
        expect(bytes.length).toBe(doc.bytes)
        expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG")
        Fs.rmSync(dir, { recursive: true })

        const text = yield* cli(["emote", "get", emote.id])
        expect(text.out).toMatch(/^size\s+28x28$/m)
        const missing = yield* cli(["emote", "get", "nosuchemote"])
        expect(missing).toMatchObject({ code: 1, err: `twitcher: No emote with id "nosuchemote".` })
        const badScale = yield* cli(["emote", "url", emote.id, "--scale", "4.0"])
        expect(badScale.code).toBe(2)
      }))
  })
})
