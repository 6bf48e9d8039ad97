/**
 * Twurple's OAuth helpers, pointed at the mock through `TWURPLE_MOCK_API_PORT` (the twitch-cli
 * layout: `http://localhost:<port>/auth/...`), work against it unchanged.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  exchangeDeviceCode,
  getAppToken,
  getTokenInfo,
  refreshUserToken,
  revokeToken,
  startDeviceCodeFlow
} from "@twurple/auth"
import * as Effect from "effect/Effect"
import { MockTwitch } from "../../../../src/testing/index.js"
import * as MockWorld from "../../../../src/testing/mock/World.js"
import { withMock } from "./client.js"

const creds = MockTwitch.credentials

const withTwurplePort = <A, E>(port: number, effect: Effect.Effect<A, E>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const previous = process.env.TWURPLE_MOCK_API_PORT
      process.env.TWURPLE_MOCK_API_PORT = String(port)
      return previous
    }),
    () => effect,
    (previous) =>
      Effect.sync(() => {
        if (previous === undefined) delete process.env.TWURPLE_MOCK_API_PORT
        else process.env.TWURPLE_MOCK_API_PORT = previous
      })
  )

describe("Twurple against the mock (twitch-cli layout)", () => {
  it.live("getAppToken, getTokenInfo, refreshUserToken, device flow and revokeToken", () =>
    withMock((mock) =>
      withTwurplePort(
        mock.http.port,
        Effect.gen(function*() {
          const app = yield* Effect.promise(() => getAppToken(creds.clientId, creds.clientSecret))
          expect(app.accessToken).toMatch(/^[a-z0-9]{30}$/)
          expect(app.expiresIn).toBeGreaterThan(0)

          const info = yield* Effect.promise(() => getTokenInfo(creds.userToken, creds.clientId))
          expect(info.userId).toBe(MockWorld.defaultUserId)
          expect(info.userName).toBe(MockWorld.defaultUserLogin)
          expect(info.scopes).toContain("user:read:follows")

          const refreshed = yield* Effect.promise(() =>
            refreshUserToken(creds.clientId, creds.clientSecret, creds.refreshToken)
          )
          expect(refreshed.refreshToken).not.toBe(creds.refreshToken)
          expect(refreshed.scope).toEqual(MockWorld.allScopes)
          const reused = yield* Effect.promise(() =>
            refreshUserToken(creds.clientId, creds.clientSecret, creds.refreshToken).then(
              () => "accepted",
              (e: unknown) => String(e)
            )
          )
          expect(reused).toContain("Invalid refresh token")

          const device = yield* Effect.promise(() =>
            startDeviceCodeFlow(MockWorld.publicClientId, ["chat:read"])
          )
          expect(device.userCode).toMatch(/^[A-Z]{8}$/)
          const pending = yield* Effect.promise(() =>
            exchangeDeviceCode(MockWorld.publicClientId, device.deviceCode, ["chat:read"]).then(
              () => "accepted",
              (e: unknown) => String(e)
            )
          )
          expect(pending).toContain("authorization_pending")

          yield* Effect.promise(() => revokeToken(creds.clientId, refreshed.accessToken))
          const revoked = yield* Effect.promise(() =>
            getTokenInfo(refreshed.accessToken).then(() => "valid", (e: unknown) => String(e))
          )
          expect(revoked).not.toBe("valid")
        })
      )
    ))
})
