import { describe, expect, it } from "@effect/vitest"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Tty from "../../src/cli/Tty.js"

describe("Tty", () => {
  it.effect("console: log/info to out, error/warn to err, arguments formatted like node's console", () =>
    Effect.gen(function*() {
      const out: Array<string> = []
      const err: Array<string> = []
      const console = Tty.console({ out: (l) => void out.push(l), err: (l) => void err.push(l) })
      yield* Effect.gen(function*() {
        yield* Console.log("a", 1, { b: 2 })
        yield* Console.info("info")
        yield* Console.error("oops\n\n")
        yield* Console.warn("careful")
      }).pipe(Effect.withConsole(console))
      console.unsafe.log("unsafe")
      expect(out).toEqual(["a 1 { b: 2 }", "info", "unsafe"])
      expect(err).toEqual(["oops", "careful"])
    }))

  it.effect("stripAnsi removes SGR codes only; piped has no colors and no status", () =>
    Effect.gen(function*() {
      expect(Tty.stripAnsi("\u001b[1m\u001b[36mbold\u001b[39m\u001b[22m [x]")).toBe("bold [x]")
      expect(Tty.piped.style.color).toBe(false)
      yield* Tty.piped.status("ignored")
      const tty = yield* Tty.current
      expect(tty).toBe(Tty.piped)
    }))
})
