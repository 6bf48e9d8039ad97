import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { parseTwitchLine } from "../../src/chat/TwitchMessage.js"
import * as Tour from "../../src/cli/Tour.js"

const parse = (line: string) => Either.getOrThrow(parseTwitchLine(line))

describe("Tour.renderMessage", () => {
  it("shows badges, the name and emotes, and never passes terminal escapes through", () => {
    const line =
      "@badge-info=subscriber/14;badges=subscriber/12;color=#FF0000;display-name=Evil\u001b[2J;emotes=25:15-19;" +
      "id=abc;tmi-sent-ts=1700000000000;user-id=1 :evil!evil@evil.tmi.twitch.tv PRIVMSG #chan :\u001b]0;pwned\u0007hi 👋 Kappa"
    const text = Option.getOrThrow(Tour.renderMessage({ color: false }, parse(line)))
    const controls = [...text].filter((ch) =>
      ch.charCodeAt(0) < 0x20 || (ch.charCodeAt(0) >= 0x7f && ch.charCodeAt(0) <= 0x9f)
    )
    expect(controls).toEqual([])
    expect(text).toContain("[subscriber/12(14)]")
    expect(text).toContain("Evil")
    expect(text).toContain("[Kappa]")
    expect(text).toContain("22:13:20 ")
  })

  it("renders bans, timeouts and sub notices as system lines, and skips protocol traffic", () => {
    const ban = parse(
      "@room-id=1;target-user-id=2;tmi-sent-ts=1700000000000 :tmi.twitch.tv CLEARCHAT #chan :troll"
    )
    expect(Option.getOrThrow(Tour.renderMessage({ color: false }, ban))).toContain("* troll banned")
    const timeout = parse(
      "@ban-duration=600;room-id=1;target-user-id=2;tmi-sent-ts=1700000000000 :tmi.twitch.tv CLEARCHAT #chan :troll"
    )
    expect(Option.getOrThrow(Tour.renderMessage({ color: false }, timeout))).toContain("timed out for 600 s")
    expect(Option.isNone(Tour.renderMessage({ color: false }, parse("PING :tmi.twitch.tv")))).toBe(true)
  })
})
