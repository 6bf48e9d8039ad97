import { describe, expect, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import * as ChatConnection from "../../src/chat/ChatConnection.js"

const line = FastCheck.array(
  FastCheck.constantFrom("a", "Z", " ", ":", ";", "é", "ж", "😀", "\r", "\u{1F3F3}\u{FE0F}\u200D\u{1F308}"),
  { minLength: 1, maxLength: 40 }
).map((parts) => parts.join("")).filter((l) => !l.endsWith("\r"))

const feedBytes = (text: string, cuts: ReadonlyArray<number>, frameIsLine = false) => {
  let oversized = 0
  const splitter = ChatConnection.lineSplitter(frameIsLine, () => {
    oversized++
  })
  const bytes = Buffer.from(text, "utf8")
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Array<string> = []
  let start = 0
  for (const cut of [...at, bytes.length]) {
    if (cut > start) out.push(...splitter.bytes(new Uint8Array(bytes.subarray(start, cut))))
    start = Math.max(start, cut)
  }
  return { out, oversized }
}

describe("ChatConnection.lineSplitter", () => {
  it("splits reads cut anywhere (inside CRLF, inside a UTF-8 character) into the sent lines", () => {
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(line, { minLength: 1, maxLength: 20 }),
        FastCheck.array(FastCheck.nat(), { maxLength: 12 }),
        (lines, cuts) => {
          const { out, oversized } = feedBytes(lines.map((l) => l + "\r\n").join(""), cuts)
          expect(out).toEqual(lines)
          expect(oversized).toBe(0)
        }
      )
    )
  })

  it("accepts bare LF and skips empty lines", () => {
    expect(feedBytes("a\n\r\n\nb\r\nc\n", [1, 2, 3]).out).toEqual(["a", "b", "c"])
  })

  it("keeps an unterminated stream line for the next read, ends a WebSocket frame's last line", () => {
    expect(feedBytes("PING :x", []).out).toEqual([])
    expect(feedBytes("PING :x\r", [], true).out).toEqual(["PING :x"])
    const ws = ChatConnection.lineSplitter(true, () => {})
    expect(ws.text("a\r\nb")).toEqual(["a", "b"])
    expect(ws.text("c\r\n")).toEqual(["c"])
  })

  it("joins stream text with pending bytes", () => {
    const s = ChatConnection.lineSplitter(false, () => {})
    expect(s.bytes(new Uint8Array(Buffer.from("ab")))).toEqual([])
    expect(s.text("c\r\nd")).toEqual(["abc"])
    expect(s.text("\r\n")).toEqual(["d"])
  })

  it("drops a line longer than maxLineLength up to its end, reports it, and reads on", () => {
    const long = "x".repeat(ChatConnection.maxLineLength + 10)
    const { oversized, out } = feedBytes(`a\r\n${long}\r\nb\r\n`, [5, 70_000, 600_000, 1_048_590])
    expect(out).toEqual(["a", "b"])
    expect(oversized).toBe(1)
  })

  it("decodes lines with and without characters beyond ASCII", () => {
    const { out } = feedBytes("ascii only\r\nwith 😀\r\n", [])
    expect(out).toEqual(["ascii only", "with 😀"])
  })
})
