import { assert, describe, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Dedupe from "../../../../src/chat/internal/engine/dedupe.js"
import { parseTwitchLine } from "../../../../src/chat/TwitchMessage.js"

const parse = (line: string) => Either.getOrThrow(parseTwitchLine(line))
const clear = parse("@room-id=1;target-user-id=5;tmi-sent-ts=1000 :tmi.twitch.tv CLEARCHAT #room :baduser")
const notice = parse("@msg-id=slow_on :tmi.twitch.tv NOTICE #room :This room is now in slow mode.")
const privmsg = parse("@id=abc :u!u@u.tmi.twitch.tv PRIVMSG #room :hi")

describe("engine/dedupe", () => {
  it("drops a repeated id while it is among the last `size` ids", () => {
    const d = Dedupe.make(2)
    assert.isFalse(d.seenId("a"))
    assert.isTrue(d.seenId("a"))
    assert.isFalse(d.seenId("b"))
    assert.isFalse(d.seenId("c")) // evicts a
    assert.isFalse(d.seenId("a"))
    assert.isFalse(d.seenId(""))
    assert.isFalse(d.seenId(""))
  })

  it("during an overlap, drops a room event the other connection delivered, counting copies", () => {
    const d = Dedupe.make(16)
    // Outside an overlap nothing is a copy.
    assert.isFalse(d.overlapCopy(1, clear))
    assert.isFalse(d.overlapCopy(2, clear))
    const overlap = d.startOverlap()
    assert.isFalse(d.overlapCopy(1, notice))
    assert.isFalse(d.overlapCopy(1, notice)) // it really came twice on the old connection
    assert.isTrue(d.overlapCopy(2, notice))
    assert.isTrue(d.overlapCopy(2, notice))
    assert.isFalse(d.overlapCopy(2, notice)) // a third one is new
    assert.isFalse(d.overlapCopy(2, privmsg)) // PRIVMSGs go by id
    // An earlier overlap's end does not end a later one.
    const later = d.startOverlap()
    d.endOverlap(overlap)
    assert.isFalse(d.overlapCopy(1, clear))
    assert.isTrue(d.overlapCopy(2, clear))
    d.endOverlap(later)
    assert.isFalse(d.overlapCopy(1, clear))
    assert.isFalse(d.overlapCopy(2, clear))
  })
})

describe("engine/dedupe lines", () => {
  it("reads the id tag in place, wherever it stands, and only in the tags", () => {
    const d = Dedupe.make(8)
    assert.isFalse(d.seenLine("@id=a-1;x=y :u PRIVMSG #r :t"))
    assert.isTrue(d.seenLine("@id=a-1;x=z :u PRIVMSG #r :other text"))
    assert.isTrue(d.seenId("a-1"))
    assert.isFalse(d.seenLine("@badges=;reply-parent-msg-id=a-1;id=b-2 :u PRIVMSG #r :t"))
    assert.isTrue(d.seenLine("@id=b-2 :u PRIVMSG #r :t"))
    assert.isFalse(d.seenLine(":u PRIVMSG #r :;id=b-2"))
    assert.isFalse(d.seenLine(":u PRIVMSG #r :;id=b-2"))
    assert.isFalse(d.seenLine("@x=1 :u PRIVMSG #r :t ;id=b-2"))
    assert.isFalse(d.seenLine("@id= :u PRIVMSG #r :t"))
  })

  it("forgets ids beyond its size, and tells ids apart (no false copies over 200k ids)", () => {
    const d = Dedupe.make(4096)
    let copies = 0
    for (let i = 0; i < 200_000; i++) if (d.seenId(`${i.toString(16)}-${(i * 7919) % 100_003}`)) copies++
    assert.strictEqual(copies, 0)
    assert.isTrue(d.seenId(`${(199_999).toString(16)}-${(199_999 * 7919) % 100_003}`))
    assert.isFalse(d.seenId(`${(0).toString(16)}-0`))
  })

  it("fingerprints an id the same in a line and alone, and tells apart ids that differ in length or order", () => {
    const d = Dedupe.make(4096)
    // every length up to 40 (odd and even: characters are hashed two at a time), ended by ; or space
    const ids = Array.from(
      { length: 40 },
      (_, n) => "7f3e1c0a-9b8d-4e2f-a1b3-c5d7e9f1a3b5-0123".slice(0, n + 1)
    )
    for (const [k, id] of ids.entries()) {
      assert.isFalse(
        d.seenLine(k % 2 === 0 ? `@id=${id};mod=0 :u PRIVMSG #r :t` : `@mod=0;id=${id} :u PRIVMSG #r :t`)
      )
      assert.isTrue(d.seenId(id))
    }
    // prefixes with NUL, swapped neighbours, characters beyond Latin-1: all distinct
    const tricky = [
      "a",
      "a\u0000",
      "a\u0000\u0000",
      "ab",
      "ba",
      "abc",
      "acb",
      "\u00e9",
      "e\u0301",
      "\ud83d\ude00",
      "\ude00\ud83d"
    ]
    for (const id of tricky) assert.isFalse(d.seenId(id), id)
    for (const id of tricky) assert.isTrue(d.seenId(id), id)
  })
})
