import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Option from "effect/Option"
import { readFileSync } from "node:fs"
import { decodeEmotes } from "../../../src/chat/internal/emotes.js"
import { channelOf } from "../../../src/chat/internal/engine/text.js"
import { unescapeTagValue } from "../../../src/chat/internal/irc.js"
import { resetReads } from "../../../src/chat/internal/tagIndex.js"
import { channelIs } from "../../../src/chat/internal/twitch.js"
import { parseTwitchLine, type TwitchMessage } from "../../../src/chat/TwitchMessage.js"

// The model decodes fields on read: a tag is searched in the line (`findTag`) until a message has
// been read more than a few times (or at once when the messages before were each read that many
// times), then found in an index of its tags built in one pass, which also notes which values hold
// escapes; emotes are read from the tag in one pass and placed by jumping from surrogate pair to
// surrogate pair; `msgParams` picks its tags out of the line. These tests check each against the
// plain way: the same field read alone, the tags decoded eagerly into a map, and the emote decoder
// that splits the tag and walks the text one character at a time.

const examples = readFileSync(new URL("../../fixtures/irc/twitch-examples.tsv", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.length > 0)
  .map((l) => l.slice(l.indexOf("\t") + 1))

const parse = (line: string): TwitchMessage => {
  const result = parseTwitchLine(line)
  if (Either.isLeft(result)) throw result.left
  return result.right
}

/** The names of the model fields of a message (what its JSON shows). */
const fieldsOf = (m: TwitchMessage): Array<string> =>
  Object.keys(JSON.parse(JSON.stringify(m)) as object).filter((k) => k !== "_tag")

const field = (m: TwitchMessage, name: string): unknown => (m as unknown as Record<string, unknown>)[name]

/**
 * Reads `name` alone on a fresh message (searched), after every other field (indexed on the 7th
 * lookup), and first on a fresh message after messages read field after field (indexed at once).
 */
const threeWays = (line: string, name: string, others: ReadonlyArray<string>) => {
  resetReads()
  const alone = field(parse(line), name)
  const m = parse(line)
  for (const other of others) void field(m, other)
  void field(m, name)
  const indexed = field(m, name)
  resetReads(true)
  const eager = field(parse(line), name)
  resetReads()
  return { alone, indexed, eager }
}

const keys = [
  "badge-info",
  "badges",
  "bits",
  "color",
  "display-name",
  "emotes",
  "first-msg",
  "id",
  "login",
  "mod",
  "msg-id",
  "msg-param-months",
  "msg-param-sub-plan",
  "reply-parent-msg-id",
  "reply-parent-msg-body",
  "returning-chatter",
  "room-id",
  "source-room-id",
  "subscriber",
  "system-msg",
  "target-user-id",
  "tmi-sent-ts",
  "turbo",
  "user-id",
  "user-type",
  "vip",
  "x-unknown",
  "colour",
  "i",
  "ids"
]

const value = FastCheck.oneof(
  FastCheck.constantFrom(
    "",
    "0",
    "1",
    "12",
    "-3",
    "#FF0000",
    "moderator/1,subscriber/12",
    "25:0-4,6-10/1902:12-16"
  ),
  FastCheck.stringMatching(/^[a-z0-9\\:s/,#\-😂]{0,12}$/u)
)

const tag = FastCheck.tuple(FastCheck.constantFrom(...keys), FastCheck.option(value, { nil: undefined }))
  .map(([key, v]) => v === undefined ? key : `${key}=${v}`)

const generated = FastCheck.tuple(
  FastCheck.array(tag, { minLength: 1, maxLength: 24 }),
  FastCheck.constantFrom(
    ":ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #dallas :",
    ":ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #dallas :\u0001ACTION ",
    ":tmi.twitch.tv USERNOTICE #dallas :",
    ":tmi.twitch.tv USERNOTICE #dallas",
    ":tmi.twitch.tv CLEARCHAT #dallas :ronni",
    ":tmi.twitch.tv CLEARMSG #dallas :",
    ":tmi.twitch.tv ROOMSTATE #dallas",
    ":tmi.twitch.tv USERSTATE #dallas",
    ":tmi.twitch.tv NOTICE #dallas :",
    ":ronni!ronni@ronni.tmi.twitch.tv WHISPER dallas :"
  ),
  FastCheck.stringMatching(/^[a-zA-Z 😂é\u{1F600}]{0,24}$/u)
).map(([tags, rest, text]) => `@${tags.join(";")} ${rest}${text}`)

describe("lazily decoded fields", () => {
  it("a field read alone (searched) equals the same field read after all others or first after heavily read messages (indexed)", () => {
    const check = (line: string) => {
      const result = parseTwitchLine(line)
      if (Either.isLeft(result)) return true
      const names = fieldsOf(result.right)
      for (const name of names) {
        const { alone, eager, indexed } = threeWays(line, name, names.filter((n) => n !== name))
        expect(indexed).toEqual(alone)
        expect(eager).toEqual(alone)
      }
      return true
    }
    for (const line of examples) check(line)
    // Each run parses its line twice per field and reads every field each time (quadratic), so
    // fewer runs than the single-pass properties below.
    FastCheck.assert(FastCheck.property(generated, check), { numRuns: 1_000 })
  })

  it("tag-backed fields equal the tags decoded eagerly (first of repeated keys wins)", () => {
    FastCheck.assert(
      FastCheck.property(generated, (line) => {
        const result = parseTwitchLine(line)
        if (Either.isLeft(result)) return true
        const m = result.right
        const eager = new Map(m.tags)
        for (const name of fieldsOf(m)) void field(m, name)
        if (m._tag === "Privmsg" || m._tag === "UserNotice") {
          expect(m.displayName).toBe(eager.get("display-name") ?? "")
          expect(m.userId).toBe(eager.get("user-id") ?? "")
          expect(m.roomId).toBe(eager.get("room-id") ?? "")
          expect(m.mod).toBe(eager.get("mod") === "1")
          expect(m.subscriber).toBe(eager.get("subscriber") === "1")
          expect(m.turbo).toBe(eager.get("turbo") === "1")
          expect(m.vip).toBe(eager.has("vip"))
        }
        if (m._tag === "Privmsg") {
          const first = eager.get("first-msg")
          expect(m.firstMessage).toEqual(
            first === undefined || first === "" ? Option.none() : Option.some(first === "1")
          )
        }
        if (m._tag === "UserNotice") {
          const params = [...eager].filter(([k]) => k.startsWith("msg-param-"))
          expect(m.msgParams).toEqual(new Map(params.map(([k, v]) => [k.slice(10), v])))
          expect(m.systemMessage).toBe(eager.get("system-msg") ?? "")
        }
        return true
      }),
      { numRuns: 3_000 }
    )
  })

  it("the same values when messages are read interleaved (the index belongs to one message)", () => {
    const lines = examples.filter((l) => l.startsWith("@"))
    const first = lines.map(parse)
    const second = lines.map(parse)
    // read the first copies one by one (each indexed), the second interleaved field by field
    const expected = first.map((m) => fieldsOf(m).map((name) => field(m, name)))
    const names = second.map(fieldsOf)
    const actual: Array<Array<unknown>> = second.map(() => [])
    for (let f = 0; f < 40; f++) {
      second.forEach((m, i) => {
        if (f < names[i].length) actual[i].push(field(m, names[i][f]))
      })
    }
    expect(actual).toEqual(expected)
  })
})

describe("the channel compared in the line", () => {
  it("says true exactly when the channel read from the message is the key", () => {
    const channel = FastCheck.constantFrom("dallas", "Dallas", "dallas2", "#dallas", "", "da")
    const lines = FastCheck.tuple(generated, channel).map(([line, c]) => line.replace("#dallas", `#${c}`))
    FastCheck.assert(
      FastCheck.property(lines, FastCheck.constantFrom("dallas", "#dallas", "da"), (line, key) => {
        const result = parseTwitchLine(line)
        if (Either.isLeft(result)) return true
        const m = result.right
        const received = channelOf(m)
        const fast = channelIs(m, key)
        if (fast === true) expect(received).toBe(key)
        if (received === key && m._tag !== "Notice") expect(fast).toBe(true)
        return true
      }),
      { numRuns: 3_000 }
    )
  })
})

/** The reference emote decoder: walks the text one UTF-16 unit at a time (the decoder before the jump). */
const slowEmotes = (spec: string, text: string) => {
  const found: Array<{ id: string; start: number; end: number }> = []
  for (const entry of spec.split("/")) {
    const colon = entry.indexOf(":")
    if (colon <= 0) continue
    for (const range of entry.slice(colon + 1).split(",")) {
      const m = /^(\d{1,9})-(\d{1,9})/.exec(range)
      if (m === null || range.indexOf("-") !== m[1].length) continue
      if (!/^\d{1,9}-\d{1,9}$/.test(range)) continue
      const start = Number(m[1])
      const end = Number(m[2])
      if (end >= start) found.push({ id: entry.slice(0, colon), start, end })
    }
  }
  found.sort((a, b) => a.start - b.start)
  const out = []
  const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff
  const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff
  let cp = 0
  let u = 0
  for (const { end, id, start } of found) {
    if (start < cp) {
      cp = 0
      u = 0
    }
    while (cp < start && u < text.length) {
      u += isHigh(text.charCodeAt(u)) && isLow(text.charCodeAt(u + 1)) ? 2 : 1
      cp++
    }
    if (u >= text.length) break
    const utf16Start = u
    while (cp <= end && u < text.length) {
      u += isHigh(text.charCodeAt(u)) && isLow(text.charCodeAt(u + 1)) ? 2 : 1
      cp++
    }
    out.push({ id, name: text.slice(utf16Start, u), start, end: cp - 1, utf16Start, utf16End: u })
  }
  return out
}

describe("emote placement", () => {
  const text = FastCheck.array(
    FastCheck.constantFrom("a", "Kappa", " ", "😂", "é", "\uD83D", "\uDE02", "👋🏽", "x"),
    { maxLength: 30 }
  ).map((parts) => parts.join(""))
  const range = FastCheck.tuple(FastCheck.nat(40), FastCheck.nat(8)).map(([s, n]) => `${s}-${s + n}`)
  const spec = FastCheck.array(
    FastCheck.tuple(
      FastCheck.constantFrom("25", "1902", "emotesv2_abc"),
      FastCheck.array(range, { minLength: 1, maxLength: 4 })
    ),
    { minLength: 1, maxLength: 4 }
  ).map((entries) => entries.map(([id, ranges]) => `${id}:${ranges.join(",")}`).join("/"))

  it("jumping between surrogate pairs places emotes as walking every character does", () => {
    FastCheck.assert(
      FastCheck.property(spec, text, FastCheck.nat(5), (s, t, pad) => {
        // the text sits inside a longer line, as in a message
        const line = "x".repeat(pad) + t + "\u0001tail😂"
        const fast = decodeEmotes(s, 0, s.length, line, pad, pad + t.length)
        expect(fast).toEqual(slowEmotes(s, t))
      }),
      { numRuns: 5_000 }
    )
  })

  it("malformed and escaped tags read in one pass as split after unescaping", () => {
    // well-formed tags with a few pieces inserted: separators, letters, wide characters and
    // escapes (a backslash before a separator reads as the separator: `1\\-2` is `1-2`)
    const piece = FastCheck.constantFrom(
      "\\",
      "\\s",
      "\\:",
      "\\\\",
      ":",
      ",",
      "/",
      "-",
      "1",
      "x",
      "é",
      "😂",
      ""
    )
    const edit = FastCheck.tuple(FastCheck.nat(80), piece)
    const raw = FastCheck.tuple(spec, FastCheck.array(edit, { maxLength: 4 })).map(([s, edits]) =>
      edits.reduce((acc, [at, p]) => {
        const i = at % (acc.length + 1)
        return acc.slice(0, i) + p + acc.slice(i)
      }, s)
    )
    FastCheck.assert(
      FastCheck.property(raw, text, (s, t) => {
        // the tag and the text inside one line, as the model reads them
        const line = `@emotes=${s};x=\\s :a PRIVMSG #c :${t}`
        const textStart = line.length - t.length
        const fast = decodeEmotes(line, 8, 8 + s.length, line, textStart, line.length, true)
        expect(fast).toEqual(slowEmotes(unescapeTagValue(s), t))
      }),
      { numRuns: 3_000 }
    )
  })
})
