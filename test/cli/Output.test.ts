import { describe, expect, it } from "@effect/vitest"
import * as Output from "../../src/cli/Output.js"

const plain: Output.Style = { color: false }
const colored: Output.Style = { color: true }

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
