import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as TwitchConfig from "../src/TwitchConfig.js"

describe("TwitchConfig", () => {
  it("fills production defaults and trims trailing slashes", () => {
    const config = TwitchConfig.make({ clientId: "abc", helixUrl: "http://127.0.0.1:1/helix/" })
    expect(config.helixUrl).toBe("http://127.0.0.1:1/helix")
    expect(config.idUrl).toBe("https://id.twitch.tv")
    expect(config.ircPort).toBe(6697)
  })

  it.effect("reads TWITCH_CLIENT_ID, falling back to PYTWITCHER_CLIENT_ID", () =>
    Effect.gen(function*() {
      const fallback = yield* TwitchConfig.fromEnv.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["PYTWITCHER_CLIENT_ID", "old"]])))
      )
      expect(fallback.clientId).toBe("old")
      const both = yield* TwitchConfig.fromEnv.pipe(
        Effect.withConfigProvider(
          ConfigProvider.fromMap(
            new Map([["PYTWITCHER_CLIENT_ID", "old"], ["TWITCH_CLIENT_ID", "new"], [
              "TWITCH_IRC_PORT",
              "6667"
            ]])
          )
        )
      )
      expect(both.clientId).toBe("new")
      expect(both.ircPort).toBe(6667)
      const missing = yield* Effect.either(
        TwitchConfig.fromEnv.pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map())))
      )
      expect(missing._tag).toBe("Left")
    }))
})
