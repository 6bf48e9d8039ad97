/**
 * The three providers against scripted answers in each one's documented shape (older and newer
 * item forms, 404s, ill-shaped items), every kind of failure of each, the cache on the
 * `TestClock` (ttl, the shorter failure ttl, refresh, one read for many waiting), and the spans of
 * the fetches.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as TestClock from "effect/TestClock"
import * as Bttv from "../../src/emotes/Bttv.js"
import type { EmoteProvider } from "../../src/emotes/EmoteProvider.js"
import * as EmotesConfig from "../../src/emotes/EmotesConfig.js"
import * as Ffz from "../../src/emotes/Ffz.js"
import * as SevenTv from "../../src/emotes/SevenTv.js"
import type { Provider } from "../../src/emotes/ThirdPartyEmote.js"
import * as ThirdPartyEmotes from "../../src/emotes/ThirdPartyEmotes.js"
import * as Spans from "../support/spans.js"

/** What the scripted services answer at a path: a status and body, or no answer at all. */
type Script = Record<string, { readonly status: number; readonly body: string } | "refused">

const ok = (body: unknown) => ({ status: 200, body: JSON.stringify(body) })
const notFound = { status: 404, body: JSON.stringify({ status: 404, message: "user not found" }) }

/** A client answering from a script (that may change), counting the requests per path. */
const scripted = (script: { current: Script }) => {
  const asked = new Map<string, number>()
  const client = HttpClient.make((request) => {
    const path = new URL(request.url).pathname
    asked.set(path, (asked.get(path) ?? 0) + 1)
    const answer = script.current[path] ?? { status: 404, body: "{}" }
    return answer === "refused"
      ? Effect.fail(
        new HttpClientError.RequestError({ request, reason: "Transport", description: "refused" })
      )
      : Effect.succeed(
        HttpClientResponse.fromWeb(request, new Response(answer.body, { status: answer.status }))
      )
  })
  return { asked, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

const urls = {
  bttvApiUrl: "https://bttv.test/3",
  bttvCdnUrl: "https://cdn.bttv.test",
  ffzApiUrl: "https://ffz.test/v1",
  sevenTvApiUrl: "https://7tv.test/v3"
}

/** Runs `effect` with the providers' config on a scripted client. */
const run = <A, E>(
  script: Script | { current: Script },
  effect: Effect.Effect<A, E, HttpClient.HttpClient | EmotesConfig.EmotesConfig>,
  options: EmotesConfig.EmotesConfig.Options = {}
) => {
  const client = scripted("current" in script ? script as { current: Script } : { current: script })
  return Effect.provide(effect, Layer.merge(client.layer, EmotesConfig.layer({ ...urls, ...options })))
}

const makers: Record<
  Provider,
  Effect.Effect<EmoteProvider, never, HttpClient.HttpClient | EmotesConfig.EmotesConfig>
> = {
  bttv: Bttv.make,
  ffz: Ffz.make,
  "7tv": SevenTv.make
}

/** The global and channel paths of each provider. */
const paths: Record<Provider, { readonly global: string; readonly channel: string }> = {
  bttv: { global: "/3/cached/emotes/global", channel: "/3/cached/users/twitch/42" },
  ffz: { global: "/v1/set/global", channel: "/v1/room/id/42" },
  "7tv": { global: "/v3/emote-sets/global", channel: "/v3/users/twitch/42" }
}

const seven = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  flags: 0,
  data: { name, animated: false, host: { url: `//cdn.7tv.test/emote/${id}`, files: [] }, ...extra }
})

describe("provider answers in each documented shape", () => {
  it.effect("BTTV: global list, a channel's own and shared emotes, older imageType, overlay emotes", () =>
    run(
      {
        [paths.bttv.global]: ok([
          { id: "g1", code: "SourPls", imageType: "gif" },
          { id: "g2", code: "cvHazmat", imageType: "png", animated: false },
          { id: 3, code: "broken" }
        ]),
        [paths.bttv.channel]: ok({
          id: "u",
          bots: [],
          channelEmotes: [{ id: "c1", code: "monkaS", imageType: "png", animated: false, userId: "u" }],
          sharedEmotes: [{ id: "s1", code: "catJAM", imageType: "gif", animated: true, user: { id: "x" } }]
        })
      },
      Effect.gen(function*() {
        const bttv = yield* Bttv.make
        const global = yield* bttv.global
        expect(global.map((e) => [e.name, e.animated, e.zeroWidth, e.scope])).toEqual([
          ["SourPls", true, false, "global"],
          ["cvHazmat", false, true, "global"]
        ])
        expect(global[0].urls).toEqual({
          1: "https://cdn.bttv.test/emote/g1/1x",
          2: "https://cdn.bttv.test/emote/g1/2x",
          3: "https://cdn.bttv.test/emote/g1/3x"
        })
        const channel = yield* bttv.channel("42")
        expect(channel.map((e) => [e.name, e.animated, e.scope])).toEqual([
          ["monkaS", false, "channel"],
          ["catJAM", true, "channel"]
        ])
      })
    ))

  it.effect("FFZ: only the default global sets, every room set, animated and protocol-relative URLs", () =>
    run(
      {
        [paths.ffz.global]: ok({
          default_sets: [3],
          sets: {
            "3": {
              id: 3,
              emoticons: [{ id: 9, name: "ZreknarF", urls: { "1": "//cdn.ffz.test/emote/9/1" } }]
            },
            "4330": { id: 4330, emoticons: [{ id: 10, name: "NotForEveryone", urls: { "1": "//x/1" } }] }
          },
          users: { "4330": ["someone"] }
        }),
        [paths.ffz.channel]: ok({
          room: { set: 7 },
          sets: {
            "7": {
              emoticons: [
                {
                  id: 1,
                  name: "LULW",
                  urls: { "1": "//cdn.ffz.test/emote/1/1", "2": "//cdn.ffz.test/emote/1/2", "4": null }
                },
                {
                  id: 2,
                  name: "Dance",
                  urls: { "1": "https://cdn.ffz.test/emote/2/1" },
                  animated: {
                    "1": "https://cdn.ffz.test/emote/2/animated/1",
                    "4": "https://cdn.ffz.test/emote/2/animated/4"
                  }
                }
              ]
            },
            "8": { emoticons: [{ id: "3", name: "Pog", urls: { "1": "//cdn.ffz.test/emote/3/1" } }] }
          }
        })
      },
      Effect.gen(function*() {
        const ffz = yield* Ffz.make
        const global = yield* ffz.global
        expect(global.map((e) => [e.id, e.name, e.urls])).toEqual([["9", "ZreknarF", {
          1: "https://cdn.ffz.test/emote/9/1"
        }]])
        const channel = yield* ffz.channel("42")
        expect(channel.map((e) => [e.name, e.animated, e.urls])).toEqual([
          ["LULW", false, { 1: "https://cdn.ffz.test/emote/1/1", 2: "https://cdn.ffz.test/emote/1/2" }],
          ["Dance", true, {
            1: "https://cdn.ffz.test/emote/2/animated/1",
            4: "https://cdn.ffz.test/emote/2/animated/4"
          }],
          ["Pog", false, { 1: "https://cdn.ffz.test/emote/3/1" }]
        ])
      })
    ))

  it.effect("FFZ through BTTV's cache: its own item shape", () =>
    run(
      {
        "/3/cached/frankerfacez/emotes/global": ok([
          {
            id: 9,
            user: { name: "x" },
            code: "ZreknarF",
            images: { "1x": "https://cdn.ffz.test/9/1", "2x": null }
          }
        ]),
        "/3/cached/frankerfacez/users/twitch/42": ok([
          {
            id: 2,
            code: "Dance",
            images: { "1x": "https://cdn.ffz.test/2/1", "4x": "https://cdn.ffz.test/2/4" },
            animated: true
          }
        ])
      },
      Effect.gen(function*() {
        const ffz = yield* Ffz.make
        expect((yield* ffz.global).map((e) => [e.name, e.urls])).toEqual([["ZreknarF", {
          1: "https://cdn.ffz.test/9/1"
        }]])
        expect((yield* ffz.channel("42")).map((e) => [e.name, e.animated, e.urls])).toEqual([
          ["Dance", true, { 1: "https://cdn.ffz.test/2/1", 4: "https://cdn.ffz.test/2/4" }]
        ])
      }),
      { ffzSource: "betterttv" }
    ))

  it.effect("7TV: a set's alias names, the files it lists, a channel without an active set", () =>
    run(
      {
        [paths["7tv"].global]: ok({
          id: "global",
          emotes: [seven("a", "EZ"), seven("b", "RainTime", { animated: true })]
        }),
        [paths["7tv"].channel]: ok({
          id: "u",
          emote_set: {
            emotes: [{
              ...seven("c", "myAlias"),
              data: {
                name: "Original",
                animated: false,
                host: {
                  url: "//cdn.7tv.test/emote/c",
                  files: [{ name: "1x.webp" }, { name: "1x.avif" }, { name: "4x.webp" }]
                }
              }
            }]
          }
        }),
        "/v3/users/twitch/43": ok({ id: "v", emote_set: null })
      },
      Effect.gen(function*() {
        const seventv = yield* SevenTv.make
        expect((yield* seventv.global).map((e) => [e.name, e.animated, Object.keys(e.urls).length])).toEqual([
          ["EZ", false, 4],
          ["RainTime", true, 4]
        ])
        const channel = yield* seventv.channel("42")
        expect(channel.map((e) => [e.name, e.urls])).toEqual([
          ["myAlias", {
            1: "https://cdn.7tv.test/emote/c/1x.webp",
            4: "https://cdn.7tv.test/emote/c/4x.webp"
          }]
        ])
        expect(yield* seventv.channel("43")).toEqual([])
      })
    ))

  for (const provider of ["bttv", "ffz", "7tv"] as const) {
    it.effect(`${provider}: a channel the provider does not know (404) has no emotes, and is no failure`, () =>
      run(
        { [paths[provider].channel]: notFound, [paths[provider].global]: notFound },
        Effect.gen(function*() {
          const service = yield* makers[provider]
          expect(yield* service.channel("42")).toEqual([])
          expect(yield* service.global).toEqual([])
        })
      ))
  }
})

describe("provider failures", () => {
  const failures = [
    { name: "no answer", answer: "refused" as const, reason: "Transport", status: undefined },
    { name: "a 500 after the retries", answer: { status: 500, body: "oops" }, reason: "Status", status: 500 },
    {
      name: "a 403",
      answer: { status: 403, body: "{\"message\":\"forbidden\"}" },
      reason: "Status",
      status: 403
    },
    {
      name: "a body that is not JSON",
      answer: { status: 200, body: "<html>" },
      reason: "Decode",
      status: undefined
    },
    { name: "JSON of another shape", answer: ok({ unexpected: true }), reason: "Decode", status: undefined }
  ]
  for (const provider of ["bttv", "ffz", "7tv"] as const) {
    it.effect(`${provider}: ${failures.map((f) => f.name).join(", ")}: typed errors`, () =>
      Effect.gen(function*() {
        for (const failure of failures) {
          const fiber = yield* Effect.fork(
            run(
              { [paths[provider].channel]: failure.answer },
              Effect.flatMap(makers[provider], (s) => Effect.either(s.channel("42")))
            )
          )
          yield* TestClock.adjust("1 minute") // the retries' backoff
          const result = yield* Fiber.join(fiber)
          if (Either.isRight(result)) {
            return expect.fail(`${failure.name}: answered ${JSON.stringify(result.right)}`)
          }
          expect([failure.name, result.left.provider, result.left.reason, result.left.status]).toEqual([
            failure.name,
            provider,
            failure.reason,
            failure.status
          ])
          expect(result.left.url).toContain(paths[provider].channel)
        }
      }))
  }

  it.effect("a transient 503 is tried again and the answer used", () =>
    Effect.gen(function*() {
      const script = { current: { [paths.bttv.global]: { status: 503, body: "busy" } } as Script }
      const fiber = yield* Effect.fork(run(script, Effect.flatMap(Bttv.make, (s) => s.global)))
      yield* TestClock.adjust("10 millis")
      script.current = { [paths.bttv.global]: ok([{ id: "g1", code: "SourPls", imageType: "gif" }]) }
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(fiber)).map((e) => e.name)).toEqual(["SourPls"])
    }))
})

describe("the providers' cache on the Clock", () => {
  it.effect("one read for many waiting, kept for the ttl, read again after it and after a refresh", () =>
    Effect.gen(function*() {
      const client = scripted({
        current: { [paths["7tv"].channel]: ok({ id: "u", emote_set: { emotes: [seven("a", "EZ")] } }) }
      })
      yield* Effect.gen(function*() {
        const seventv = yield* SevenTv.make
        const all = yield* Effect.all(Array.from({ length: 20 }, () => seventv.channel("42")), {
          concurrency: "unbounded"
        })
        expect(all.every((list) => list[0]?.name === "EZ")).toBe(true)
        expect(client.asked.get(paths["7tv"].channel)).toBe(1)
        yield* TestClock.adjust("9 minutes")
        yield* seventv.channel("42")
        expect(client.asked.get(paths["7tv"].channel)).toBe(1)
        yield* TestClock.adjust("2 minutes")
        yield* seventv.channel("42")
        expect(client.asked.get(paths["7tv"].channel)).toBe(2)
        yield* seventv.refresh("42")
        yield* seventv.channel("42")
        expect(client.asked.get(paths["7tv"].channel)).toBe(3)
      }).pipe(Effect.provide(Layer.merge(client.layer, EmotesConfig.layer(urls))))
    }))

  it.effect("a failure is kept for the failure ttl only; then the provider's emotes come back", () =>
    Effect.gen(function*() {
      const script = { current: { [paths.ffz.channel]: { status: 403, body: "{}" } } as Script }
      const client = scripted(script)
      yield* Effect.gen(function*() {
        const service = yield* ThirdPartyEmotes.make
        const first = yield* service.forChannel("42")
        expect(first.failed.map((e) => [e.provider, e.status])).toEqual([["ffz", 403]])
        script.current = {
          [paths.ffz.channel]: ok({
            sets: { "1": { emoticons: [{ id: 1, name: "LULW", urls: { "1": "//c/1" } }] } }
          })
        }
        yield* TestClock.adjust("20 seconds")
        expect((yield* service.forChannel("42")).failed).toHaveLength(1)
        expect(client.asked.get(paths.ffz.channel)).toBe(1)
        yield* TestClock.adjust("11 seconds")
        const later = yield* service.forChannel("42")
        expect(later.failed).toEqual([])
        expect(later.byName.get("LULW")?.provider).toBe("ffz")
        expect(client.asked.get(paths.ffz.channel)).toBe(2)
      }).pipe(
        Effect.provide(
          Layer.merge(client.layer, EmotesConfig.layer({ ...urls, enabled: { bttv: false, "7tv": false } }))
        )
      )
    }))

  it.effect("each fetch is a client span inside the read's span, with provider, URL and status", () =>
    Effect.gen(function*() {
      const recorder = Spans.make()
      yield* run({ [paths.bttv.channel]: notFound }, Effect.flatMap(Bttv.make, (s) => s.channel("42"))).pipe(
        Effect.provide(recorder.layer)
      )
      const fetch = recorder.spans.find((s) => s.name === "emotes.fetch")
      const read = recorder.spans.find((s) => s.name === "emotes.bttv.channel")
      expect(read?.attributes.get("twitch.channel_id")).toBe("42")
      expect(fetch?.kind).toBe("client")
      expect(Object.fromEntries(fetch?.attributes ?? [])).toMatchObject({
        "emotes.provider": "bttv",
        "url.full": "https://bttv.test/3/cached/users/twitch/42",
        "http.response.status_code": 404
      })
      expect(fetch?.parent._tag === "Some" && fetch.parent.value.spanId).toBe(read?.spanId)
    }))
})
