/**
 * `Gql.request`, the raw GQL call, against the mock Twitch: a persisted-query operation decoded
 * with the caller's schema, Twitch's GQL errors and bad client ids as `HttpError`s, a schema that
 * does not fit as a `DecodeError` without the value, and spans that record the operation name but
 * no token, signature, OAuth token or integrity token.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Gql from "../../src/playlist/Gql.js"
import * as MockTwitch from "../../src/testing/MockTwitch.js"
import * as Spans from "../support/spans.js"

const onMock = Layer.mergeAll(MockTwitch.layerTwitchConfig, NodeHttpClient.layerUndici).pipe(
  Layer.provideMerge(MockTwitch.layer({ irc: false }))
)

/** The web player's persisted PlaybackAccessToken query, as `Playlist` sends it. */
const playbackToken = (login: string): Gql.Operation => ({
  operationName: "PlaybackAccessToken",
  extensions: {
    persistedQuery: {
      version: 1,
      sha256Hash: "ed230aa1e33e07eebb8928504583da78a5173989fadfb1ac94be06a04f3cdbe9"
    }
  },
  variables: { isLive: true, login, isVod: false, vodID: "", playerType: "embed", platform: "site" }
})

const TokenData = Schema.Struct({
  streamPlaybackAccessToken: Schema.Struct({ value: Schema.String, signature: Schema.String })
})

const liveLogin = Effect.gen(function*() {
  const mock = yield* MockTwitch.MockTwitch
  const stream = (yield* mock.world.streams).find((s) => !s.geoBlocked && s.restrictedQualities.length === 0)!
  return Option.getOrThrow(yield* mock.world.userById(stream.userId)).login
})

describe("Gql.request on the mock Twitch", () => {
  it.scopedLive("sends an operation and decodes its data; spans carry the operation name and no secret", () => {
    const recorder = Spans.make()
    return Effect.gen(function*() {
      const login = yield* liveLogin
      const data = yield* Gql.request(playbackToken(login), TokenData, {
        authToken: Redacted.make(MockTwitch.credentials.userToken),
        clientIntegrity: Redacted.make("integrity-secret-0123456789")
      })
      const token = data.streamPlaybackAccessToken
      expect(JSON.parse(token.value)).toMatchObject({ channel: login })
      expect(token.signature).toMatch(/^[0-9a-f]{40}$/)

      const mine = Spans.named(recorder.spans, "Gql PlaybackAccessToken")
      expect(mine.length).toBe(1)
      expect(mine[0].attributes.get("twitch.gql.operation")).toBe("PlaybackAccessToken")
      const recorded = Spans.texts(recorder.spans).join("\n")
      for (
        const secret of [
          token.value,
          token.signature,
          MockTwitch.credentials.userToken,
          "integrity-secret-0123456789"
        ]
      ) {
        expect(recorded).not.toContain(secret)
      }
    }).pipe(Spans.recording(recorder), Effect.provide(onMock))
  })

  it.scopedLive("Twitch's GQL errors and refusals are HttpErrors with its message; a misfit schema a DecodeError", () =>
    Effect.gen(function*() {
      const unknown = yield* Effect.flip(
        Gql.request({
          operationName: "Nope",
          extensions: { persistedQuery: { version: 1, sha256Hash: "00" } }
        }, TokenData)
      )
      expect(unknown._tag).toBe("HttpError")
      expect(unknown.message).toContain("PersistedQueryNotFound")

      const badClient = yield* Effect.flip(
        Gql.request(playbackToken(yield* liveLogin), TokenData, { clientId: "not-a-client" })
      )
      expect(badClient._tag).toBe("HttpError")
      if (badClient._tag === "HttpError") expect(badClient.status).toBe(400)

      const misfit = yield* Effect.flip(
        Gql.request(
          playbackToken(yield* liveLogin),
          Schema.Struct({ streamPlaybackAccessToken: Schema.Struct({ value: Schema.Number }) })
        )
      )
      expect(misfit._tag).toBe("DecodeError")
      if (misfit._tag === "DecodeError") {
        expect(misfit.path).toBe("data.streamPlaybackAccessToken.value")
        // The playback token is not quoted.
        expect(misfit.message).not.toContain("\"channel\"")
      }
    }).pipe(Effect.provide(onMock)))
})
