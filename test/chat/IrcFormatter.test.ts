import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { IrcFormatError } from "../../src/chat/IrcError.js"
import { escapeTagValue, formatIrcLine } from "../../src/chat/IrcFormatter.js"
import * as IrcMessage from "../../src/chat/IrcMessage.js"

const format = (message: IrcMessage.IrcMessage) => Either.getOrThrow(formatIrcLine(message))

const failure = (message: IrcMessage.IrcMessage) => {
  const result = formatIrcLine(message)
  if (Either.isRight(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.right)}`)
  expect(result.left).toBeInstanceOf(IrcFormatError)
  return { reason: result.left.reason, part: result.left.part }
}

describe("formatIrcLine", () => {
  it("writes what a client sends to Twitch", () => {
    expect(format(IrcMessage.make({ command: "PRIVMSG", params: ["#ronni", "Kappa Keepo Kappa"] }))).toBe(
      "PRIVMSG #ronni :Kappa Keepo Kappa"
    )
    expect(
      format(IrcMessage.make({
        command: "PRIVMSG",
        params: ["#ronni", "hi"],
        tags: { "reply-parent-msg-id": "b34ccfc7-4977-403a-8a94-33c6bac34fb8" }
      }))
    ).toBe("@reply-parent-msg-id=b34ccfc7-4977-403a-8a94-33c6bac34fb8 PRIVMSG #ronni hi")
    expect(format(IrcMessage.make({ command: "JOIN", params: ["#a,#b"] }))).toBe("JOIN #a,#b")
    expect(format(IrcMessage.make({ command: "PONG", params: ["tmi.twitch.tv"] }))).toBe("PONG tmi.twitch.tv")
    expect(
      format(IrcMessage.make({ command: "CAP", params: ["REQ", "twitch.tv/membership twitch.tv/tags"] }))
    ).toBe("CAP REQ :twitch.tv/membership twitch.tv/tags")
  })

  it("escapes tag values and writes empty values as bare keys", () => {
    expect(escapeTagValue("a; b\\c\r\nd")).toBe("a\\:\\sb\\\\c\\r\\nd")
    expect(escapeTagValue("plain")).toBe("plain")
    expect(format(IrcMessage.make({ command: "PING", tags: { a: "x y", k: "" } }))).toBe("@a=x\\sy;k PING")
  })

  it("writes the prefix", () => {
    expect(
      format(
        IrcMessage.make({ command: "PRIVMSG", params: ["#a", ""], prefix: IrcMessage.prefix("n", "u", "h") })
      )
    ).toBe(":n!u@h PRIVMSG #a :")
    expect(format(IrcMessage.make({ command: "RECONNECT", prefix: IrcMessage.prefix("tmi.twitch.tv") })))
      .toBe(
        ":tmi.twitch.tv RECONNECT"
      )
  })

  it("gives the last param a colon when it needs one", () => {
    expect(format(IrcMessage.make({ command: "X", params: [":)"] }))).toBe("X ::)")
    expect(format(IrcMessage.make({ command: "X", params: [""] }))).toBe("X :")
  })

  it("refuses CR, LF and NUL with a typed error", () => {
    expect(failure(IrcMessage.make({ command: "PRIVMSG", params: ["#a", "hi\r\nQUIT"] }))).toEqual({
      reason: "ForbiddenCharacter",
      part: "param 1"
    })
    expect(failure(IrcMessage.make({ command: "PRIVMSG", params: ["#a\n", "x"] }))).toEqual({
      reason: "ForbiddenCharacter",
      part: "param 0"
    })
    expect(failure(IrcMessage.make({ command: "PRIVMSG", params: ["#a", "nul\0"] })).reason).toBe(
      "ForbiddenCharacter"
    )
    expect(failure(IrcMessage.make({ command: "PING\r" })).reason).toBe("ForbiddenCharacter")
    expect(failure(IrcMessage.make({ command: "PING", prefix: IrcMessage.prefix("a\nb") })).reason).toBe(
      "ForbiddenCharacter"
    )
    expect(failure(IrcMessage.make({ command: "PING", tags: { "a\r": "x" } })).reason).toBe(
      "ForbiddenCharacter"
    )
    expect(failure(IrcMessage.make({ command: "PING", tags: { a: "x\0" } })).reason).toBe(
      "ForbiddenCharacter"
    )
  })

  it("escapes CR and LF inside tag values instead of refusing them", () => {
    expect(format(IrcMessage.make({ command: "PING", tags: { a: "x\r\ny" } }))).toBe("@a=x\\r\\ny PING")
  })

  it("refuses invalid keys, prefixes, commands and middle params", () => {
    expect(failure(IrcMessage.make({ command: "PING", tags: { "": "x" } })).reason).toBe("InvalidTagKey")
    expect(failure(IrcMessage.make({ command: "PING", tags: { "a=b": "x" } })).reason).toBe("InvalidTagKey")
    expect(failure(IrcMessage.make({ command: "PING", tags: { "a b": "x" } })).reason).toBe("InvalidTagKey")
    expect(failure(IrcMessage.make({ command: "PING", prefix: IrcMessage.prefix("") })).reason).toBe(
      "InvalidPrefix"
    )
    expect(failure(IrcMessage.make({ command: "PING", prefix: IrcMessage.prefix("a b") })).reason).toBe(
      "InvalidPrefix"
    )
    expect(failure(IrcMessage.make({ command: "PING", prefix: IrcMessage.prefix("a!b") })).reason).toBe(
      "InvalidPrefix"
    )
    expect(failure(IrcMessage.make({ command: "" })).reason).toBe("InvalidCommand")
    expect(failure(IrcMessage.make({ command: "PRIV MSG" })).reason).toBe("InvalidCommand")
    expect(failure(IrcMessage.make({ command: "12" })).reason).toBe("InvalidCommand")
    expect(failure(IrcMessage.make({ command: "X", params: ["a b", "c"] }))).toEqual({
      reason: "InvalidParameter",
      part: "param 0"
    })
    expect(failure(IrcMessage.make({ command: "X", params: ["", "c"] })).reason).toBe("InvalidParameter")
    expect(failure(IrcMessage.make({ command: "X", params: [":a", "c"] })).reason).toBe("InvalidParameter")
  })
})
