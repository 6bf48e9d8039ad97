import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Text from "../../../../src/chat/internal/engine/text.js"

const compose = (text: string, o: Partial<Text.Compose> = {}) =>
  Text.compose("room", text, {
    action: false,
    replyTo: undefined,
    tooLong: "split",
    commands: "escape",
    maxLength: 500,
    ...o
  })

const texts = (text: string, o: Partial<Text.Compose> = {}) =>
  Either.getOrThrow(compose(text, o)).map((l) => l.text)

describe("engine/text channels", () => {
  it("normalizes Twitch logins and RFC 1459/IRCv3 names, refuses what cannot be one", () => {
    assert.strictEqual(Text.normalizeChannel("#PyTwitcher"), "pytwitcher")
    assert.strictEqual(Text.normalizeChannel("chan-name"), "chan-name")
    assert.strictEqual(Text.normalizeChannel("&Local"), "&local")
    assert.strictEqual(Text.normalizeChannel("##meta"), "#meta")
    for (const bad of ["", "#", "a b", "a,b", "a:b", "a\nb", "a\x07", "x".repeat(201)]) {
      assert.isUndefined(Text.normalizeChannel(bad), JSON.stringify(bad))
    }
    assert.strictEqual(Text.wireChannel("pytwitcher"), "#pytwitcher")
    assert.strictEqual(Text.wireChannel("&local"), "&local")
    assert.strictEqual(Text.wireChannel("#meta"), "##meta")
    assert.isTrue(Text.sameChannel("Chan-Name", "chan-name"))
  })
})

describe("engine/text compose", () => {
  it("refuses CR, LF, NUL, empty texts and bad reply ids", () => {
    for (const bad of ["a\r\nQUIT", "a\nb", "nul\0", "   "]) {
      const result = compose(bad)
      assert(Either.isLeft(result) && result.left.reason === "InvalidText", JSON.stringify(bad))
    }
    assert(Either.isLeft(compose("hi", { replyTo: "a;b" })))
  })

  it("escapes command-looking texts, not actions, and splits again when the escape needs room", () => {
    assert.deepStrictEqual(texts("/color red"), ["\u200B/color red"])
    assert.deepStrictEqual(texts(" .ban x"), ["\u200B .ban x"])
    assert.deepStrictEqual(texts("/me raw", { commands: "allow" }), ["/me raw"])
    assert.deepStrictEqual(texts("waves", { action: true }), ["\x01ACTION waves\x01"])
    const parts = texts("/" + "a".repeat(499))
    assert.strictEqual(parts.length, 2)
    assert.strictEqual(parts[0], "\u200B/" + "a".repeat(498))
  })

  it("marks a part identical to the one before it, alternating, with room for the marker", () => {
    const parts = texts("a".repeat(1500))
    assert.deepStrictEqual(parts.map((p) => p.replace(Text.duplicateMarker, "").length), [498, 498, 498, 6])
    assert.deepStrictEqual(parts.map((p) => p.endsWith(Text.duplicateMarker)), [false, true, false, false])
    for (const p of parts) assert.isAtMost([...p].length, 500)
  })

  it("refuses over-long texts on request, counting the escape", () => {
    const refused = compose("x".repeat(501), { tooLong: "refuse" })
    assert(Either.isLeft(refused) && refused.left.reason === "TooLong")
    const escaped = compose("/" + "x".repeat(499), { tooLong: "refuse" })
    assert(Either.isLeft(escaped) && escaped.left.reason === "TooLong")
  })

  it("keeps every part within the limit and the text whole (property)", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(FastCheck.constantFrom("a", "b", " ", "👍🏽", "🇫🇷", "é", "Kappa "), {
          minLength: 1,
          maxLength: 400
        }),
        FastCheck.integer({ min: 20, max: 120 }),
        (pieces, max) => {
          const text = pieces.join("")
          if (text.trim().length === 0) return
          const parts = Text.splitText(text, max)
          for (const p of parts) assert.isAtMost(Text.codePoints(p), max)
          assert.strictEqual(parts.join("").replace(/\s+/g, ""), text.replace(/\s+/g, ""))
        }
      )
    )
  })
})

describe("engine/text distinct", () => {
  it("sends a repeat with the marker only when asked and when it fits", () => {
    assert.strictEqual(Text.distinct("gg", "hi", "refuse", 500), "gg")
    assert.isUndefined(Text.distinct("gg", "gg", "refuse", 500))
    assert.strictEqual(Text.distinct("gg", "gg", "distinct", 500), "gg" + Text.duplicateMarker)
    assert.strictEqual(
      Text.distinct("\x01ACTION waves\x01", "\x01ACTION waves\x01", "distinct", 500),
      `\x01ACTION waves${Text.duplicateMarker}\x01`
    )
    assert.isUndefined(Text.distinct("x".repeat(499), "x".repeat(499), "distinct", 500))
  })
})
