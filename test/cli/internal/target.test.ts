import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Target from "../../../src/cli/internal/target.js"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("token file location", () => {
  it.effect("--token-file, then TWITCHER_TOKEN_FILE, then an absolute XDG_CONFIG_HOME, then HOME/.config", () =>
    Effect.gen(function*() {
      const env = { TWITCHER_TOKEN_FILE: "/env/t.json", XDG_CONFIG_HOME: "/xdg", HOME: "/home/u" }
      expect(yield* Target.tokenFile(Option.some("/flag/t.json")).pipe(withEnv(env))).toEqual({
        path: "/flag/t.json",
        explicit: true
      })
      expect(yield* Target.tokenFile(Option.none()).pipe(withEnv(env))).toEqual({
        path: "/env/t.json",
        explicit: true
      })
      expect(
        yield* Target.tokenFile(Option.none()).pipe(withEnv({ XDG_CONFIG_HOME: "/xdg", HOME: "/home/u" }))
      )
        .toEqual({ path: "/xdg/effect-twitcher/token.json", explicit: false })
      // A relative XDG_CONFIG_HOME is ignored (XDG spec), as is an empty one.
      for (const xdg of ["relative/dir", ""]) {
        expect(
          yield* Target.tokenFile(Option.none()).pipe(withEnv({ XDG_CONFIG_HOME: xdg, HOME: "/home/u" }))
        )
          .toEqual({ path: "/home/u/.config/effect-twitcher/token.json", explicit: false })
      }
    }))
})
