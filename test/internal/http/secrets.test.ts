/**
 * Secrets in traces and logs: a Helix call, id.twitch.tv token calls and a usher playlist fetch
 * against the mock Twitch, traced by an in-memory tracer and logged at debug level. No token,
 * secret, code, signature or playback token may appear in any span attribute, log line or error.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as OAuth from "../../../src/auth/OAuth.js"
import * as TwitchAuth from "../../../src/auth/TwitchAuth.js"
import * as Helix from "../../../src/helix/Helix.js"
import { HelixClient } from "../../../src/helix/HelixClient.js"
import * as Playlist from "../../../src/playlist/Playlist.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import * as Recorder from "../../support/recorder.js"

const INTEGRITY = "integrity-token-that-is-secret-0123"
const REDEEM_CODE = "REDEEM-CODE-SECRET-42"

const onMock = Layer.mergeAll(
  Helix.layer({ maxRetries: 0 }),
  Playlist.layer({ clientIntegrity: Redacted.make(INTEGRITY) })
).pipe(
  Layer.provideMerge(TwitchAuth.layerStatic(MockTwitch.credentials.userToken)),
  Layer.provideMerge(MockTwitch.layerTwitchConfig),
  Layer.provideMerge(MockTwitch.layer({ irc: false })),
  Layer.provideMerge(NodeHttpClient.layerUndici)
)

/** A live channel of the mock world that usher serves. */
const liveLogin = Effect.gen(function*() {
  const mock = yield* MockTwitch.MockTwitch
  const stream = (yield* mock.world.streams).find((s) => !s.geoBlocked && s.restrictedQualities.length === 0)!
  return Option.getOrThrow(yield* mock.world.userById(stream.userId)).login
})

describe("secrets in traces and logs", () => {
  it.scopedLive("Helix, OAuth and usher calls leave no secret in any span attribute, log line or error", () =>
    Effect.gen(function*() {
      const recorder = Recorder.make()
      const traced = Recorder.provide(recorder)
      const helix = yield* HelixClient
      const playlist = yield* Playlist.Playlist
      const login = yield* liveLogin
      const { credentials } = yield* MockTwitch.MockTwitch

      // Helix: the bearer token in a header, and a secret query parameter on a failing call.
      yield* traced(helix.request("/users", Schema.Unknown, { query: { login } }))
      const redeem = yield* traced(
        Effect.flip(
          helix.request("/entitlements/code", Schema.Unknown, {
            method: "POST",
            query: { code: REDEEM_CODE }
          })
        )
      )
      // OAuth: client secret, refresh token and the tokens Twitch answers with.
      const app = yield* traced(OAuth.clientCredentials(Redacted.make(credentials.clientSecret)))
      yield* traced(OAuth.validate(Redacted.make(credentials.userToken)))
      const refreshed = yield* traced(OAuth.refresh({
        refreshToken: Redacted.make(credentials.refreshToken),
        clientSecret: Redacted.make(credentials.clientSecret)
      }))
      // Usher: the playback token and signature in the URL, the integrity token in a GQL header.
      const token = yield* traced(playlist.accessToken(login))
      const master = yield* traced(playlist.fetchMaster(token))
      expect(master.variants.length).toBeGreaterThan(0)

      const secrets = [
        credentials.userToken,
        credentials.clientSecret,
        credentials.refreshToken,
        Redacted.value(app.accessToken),
        Redacted.value(refreshed.accessToken),
        ...(refreshed.refreshToken === undefined ? [] : [Redacted.value(refreshed.refreshToken)]),
        token.value,
        token.signature,
        INTEGRITY,
        REDEEM_CODE
      ]
      Recorder.expectNoSecret(recorder, secrets)
      for (const secret of secrets) expect(redeem.message).not.toContain(secret)

      // The recorder did see the traffic: platform spans of Helix and id.twitch.tv with their URLs,
      // our spans of the playlist, debug lines of every area.
      const urls = Recorder.spansNamed(recorder, "http.client").map((s) =>
        String(s.attributes.get("url.full"))
      )
      expect(urls.some((u) => u.includes("/helix/users?login="))).toBe(true)
      expect(urls.some((u) => u.includes("/oauth2/token"))).toBe(true)
      expect(urls.some((u) => u.includes("/gql"))).toBe(true)
      // Usher's URL is the secret: no platform span for it (nor for the Helix call with `code`).
      expect(urls.some((u) => u.includes(".m3u8"))).toBe(false)
      expect(urls.some((u) => u.includes("/entitlements/code"))).toBe(false)
      expect(Recorder.spansNamed(recorder, "Playlist.fetchMaster").length).toBe(1)
      expect(Recorder.spansNamed(recorder, "Helix POST /entitlements/code").length).toBe(1)
      const areas = recorder.logs.map((l) => l.message)
      for (const area of ["helix", "oauth", "gql", "usher"]) expect(areas).toContain(`${area} answer`)
      expect(recorder.logs.some((l) => String(l.annotations["url"]).includes("code=<redacted>"))).toBe(true)
    }).pipe(Effect.provide(onMock)))

  it.scopedLive("the check can fail: a bare client traces usher's signature and token", () =>
    Effect.gen(function*() {
      const recorder = Recorder.make()
      const playlist = yield* Playlist.Playlist
      const token = yield* playlist.accessToken(yield* liveLogin)
      const url = yield* playlist.usherUrl(token)
      yield* Recorder.provide(recorder)(HttpClient.get(url))
      const traced = Recorder.texts(recorder).join("\n")
      expect(traced).toContain(encodeURIComponent(token.signature))
    }).pipe(Effect.provide(onMock)))
})
