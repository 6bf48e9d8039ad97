import { describe, expect, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import * as Output from "../../src/cli/Output.js"

const plain: Output.Style = { color: false }
const colored: Output.Style = { color: true }

/** Whether `text` holds a C0 or C1 control character (ESC, BEL, CSI...). */
const hasControl = (text: string) =>
  [...text].some((c) => {
    const n = c.codePointAt(0) ?? 0
    return n < 0x20 || (n >= 0x7f && n <= 0x9f)
  })

describe("Output", () => {
  it("aligns columns, right-aligns numbers and truncates long cells", () => {
    const text = Output.table(plain, [{ n: "alpha", v: 5 }, { n: "a much longer name here", v: 12345 }], [
      { header: "NAME", cell: (r) => r.n, maxWidth: 10 },
      { header: "VIEWERS", cell: (r) => Output.count(r.v), align: "right" }
    ])
    expect(text.split("\n")).toEqual([
      "NAME        VIEWERS",
      "alpha             5",
      "a much lo…   12,345"
    ])
  })

  it("counts wide characters as two columns and ignores ANSI codes", () => {
    expect(Output.width("日本")).toBe(4)
    expect(Output.width(Output.bold(colored, "abc"))).toBe(3)
    expect(Output.width("👍a")).toBe(3)
  })

  it("measures display width per grapheme cluster, as terminals draw it", () => {
    const cases: ReadonlyArray<readonly [string, number]> = [
      ["ゲーマー7", 9], // a localized display name: kana take two columns
      ["한국어", 6],
      ["ＡＢ", 4], // fullwidth Latin
      ["ｶﾀｶﾅ", 4], // halfwidth katakana
      ["⭐⚡☕", 6], // wide emoji inside the BMP
      ["❤", 1], // text presentation...
      ["❤️", 2], // ...and emoji presentation (VS16)
      ["👍🏽", 2], // a skin tone is one emoji
      ["👨‍👩‍👧", 2], // a ZWJ family is one emoji
      ["🇯🇵", 2], // a flag
      ["1️⃣", 2], // a keycap
      ["e\u0301", 1], // a combining accent
      ["a\u200bb", 2] // a zero-width space
    ]
    expect(cases.map(([text]) => Output.width(text))).toEqual(cases.map(([, w]) => w))
  })

  it("aligns tables with wide names and emoji, and truncates between grapheme clusters", () => {
    const rows = [
      { name: "ゲーマー7", n: 1 },
      { name: "plain", n: 2 },
      { name: "👨‍👩‍👧 family", n: 3 },
      { name: "⭐star", n: 4 }
    ]
    const lines = Output.table(plain, rows, [
      { header: "NAME", cell: (r) => r.name },
      { header: "N", cell: (r) => String(r.n), align: "right" }
    ]).split("\n")
    // Every line ends its last column at the same screen column.
    expect(new Set(lines.map((l) => Output.width(l)))).toEqual(new Set([Output.width(lines[0])]))
    expect(lines.slice(1, 3)).toEqual(["ゲーマー7  1", "plain      2"])
    expect(Output.truncate("👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧", 5)).toBe("👨‍👩‍👧👨‍👩‍👧…")
    expect(Output.truncate("ゲーマー7", 6)).toBe("ゲー…")
  })

  it("colors only when asked, and only valid hex colors", () => {
    expect(Output.hex(plain, "#FF0000", "x")).toBe("x")
    expect(Output.hex(colored, "#FF0000", "x")).toBe("\u001b[38;2;255;0;0mx\u001b[39m")
    expect(Output.hex(colored, "", "x")).toBe("x")
    expect(Output.bold(plain, "x")).toBe("x")
  })

  it("detects colors from the terminal and the environment", () => {
    const saved = { ...process.env }
    try {
      delete process.env["FORCE_COLOR"]
      delete process.env["NO_COLOR"]
      process.env["TERM"] = "xterm"
      expect(Output.detect({ isTTY: false }).color).toBe(false)
      expect(Output.detect({ isTTY: true }).color).toBe(true)
      process.env["NO_COLOR"] = "1"
      expect(Output.detect({ isTTY: true }).color).toBe(false)
      process.env["FORCE_COLOR"] = "1"
      expect(Output.detect({ isTTY: false }).color).toBe(true)
    } finally {
      process.env = saved
    }
  })
})

describe("Output.sanitize", () => {
  it("removes escape sequences and control characters, keeps printable text", () => {
    expect(Output.sanitize("hi\u001b]0;pwn\u0007\u001b[2Jthere")).toBe("hithere")
    expect(Output.sanitize("a\u001b]52;c;ZXZpbA==\u001b\\b")).toBe("ab")
    expect(Output.sanitize("\u001b[31mred\u001b[0m \u009b1;2Hx \u001bcreset")).toBe("red x reset")
    expect(Output.sanitize("bell\u0007 nul\u0000 del\u007f c1\u0085")).toBe("bell nul del c1")
    expect(Output.sanitize("line\nbreak\ttab\r")).toBe("line break tab ")
    expect(Output.sanitize("unterminated \u001b]0;title")).toBe("unterminated ")
    expect(Output.sanitize("日本 👍 ÄÖü — ok")).toBe("日本 👍 ÄÖü — ok")
  })

  it("leaves no ESC, BEL or C1 byte whatever the input (property)", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.string({ unit: "binary" }), (s) => {
        expect(hasControl(Output.sanitize(s))).toBe(false)
      })
    )
  })

  it("escapeControls shows controls as \\xNN", () => {
    expect(Output.escapeControls("a\u001b[2J\u0001b")).toBe("a\\x1b[2J\\x01b")
  })
})
