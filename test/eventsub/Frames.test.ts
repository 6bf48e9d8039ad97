/**
 * Notification frames read by their envelope alone (the event left as JSON text, parsed when a
 * stream pulls it) read as parsing the whole frame reads them, in any key order, with whitespace,
 * escapes, extra keys, damage and raw control characters; and through a client on a loopback
 * Twitch, odd frames are delivered once and bad ones (raw control characters too) are counted,
 * logged and skipped before user code, never thrown.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Schedule from "effect/Schedule"
import * as Types from "../../src/eventsub/generated/Types.js"
import * as Frames from "../../src/eventsub/internal/frames.js"
import { eventOf, eventually, take, withClient } from "./support/client.js"
import * as Samples from "./support/samples.js"
import { wireSub } from "./support/scriptedTwitch.js"

/** What a reading comes to: the message's parts, its subscription object and its events. */
const outcome = (read: Frames.Inbound | Frames.Unreadable) => {
  if (read._tag !== "Notification") return read._tag
  const events = Frames.eventsOf(read.payload)
  if ("_tag" in events) return "Unreadable"
  const { messageId, timestamp, type, version } = read
  const { id, status } = read.subscription
  return { messageId, timestamp, type, version, id, status, sub: Frames.recordOf(read.subscription), events }
}

const sampleSub = Samples.subscription

const metadata = (id: string) => ({
  message_id: id,
  message_type: "notification",
  message_timestamp: "2026-12-03T10:00:01.123456789Z",
  subscription_type: "channel.follow",
  subscription_version: "2"
})

/** An object's entries in the order given by `order` (a permutation key per entry). */
const reorder = (entries: ReadonlyArray<readonly [string, unknown]>, order: ReadonlyArray<number>) =>
  Object.fromEntries(
    entries.map((e, i) => [e, order[i] ?? 0] as const).sort((a, b) => a[1] - b[1]).map(([e]) => e)
  )

const text = fc.string({ unit: "binary", maxLength: 12 })
const extra = fc.array(
  fc.tuple(fc.constantFrom("x", "note", "event_", "metadata2", "events"), fc.jsonValue({ maxDepth: 2 })),
  {
    maxLength: 2
  }
)

/** A notification frame's JSON text, its strings and extra keys as given, in any order. */
const framesOf = (strings: fc.Arbitrary<string>, extras: typeof extra) =>
  fc.record({
    id: strings,
    userName: strings,
    subNote: strings,
    nested: fc.jsonValue({ maxDepth: 3 }),
    topExtra: extras,
    payloadExtra: extras,
    topOrder: fc.array(fc.integer(), { minLength: 4, maxLength: 4 }),
    payloadOrder: fc.array(fc.integer(), { minLength: 4, maxLength: 4 }),
    indent: fc.constantFrom(undefined, 0, 2, "\t"),
    batched: fc.boolean()
  }).map((f) => {
    const event = { user_id: "9", user_name: f.userName, nested: f.nested }
    const payload = reorder([
      ["subscription", { ...sampleSub, note: f.subNote }],
      [f.batched ? "events" : "event", f.batched ? [event, event] : event],
      ...f.payloadExtra
    ], f.payloadOrder)
    const top = reorder([["metadata", metadata(f.id)], ["payload", payload], ...f.topExtra], f.topOrder)
    return JSON.stringify(top, undefined, f.indent)
  })

const frames = framesOf(text, extra)

/** A control character (U+0000 to U+001F), which JSON.stringify escapes. */
const controlChar = fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c))
const withControl = fc.tuple(text, controlChar, text).map(([a, c, b]) => a + c + b)

/**
 * Frames with control characters in their strings (ids, the subscription, the event, extra keys
 * and values), some of them written raw as JSON.parse refuses them: the escapes picked by `raw`
 * (in turn) are replaced by the character itself.
 */
const controlFrames = fc.tuple(
  framesOf(
    fc.oneof(text, withControl),
    fc.array(
      fc.tuple(fc.oneof(fc.constantFrom("x", "event_"), withControl), fc.oneof(withControl, fc.jsonValue())),
      {
        maxLength: 2
      }
    )
  ),
  fc.array(fc.boolean(), { minLength: 1, maxLength: 8 })
).map(([frame, raw]) => {
  let k = 0
  return frame.replace(
    /\\(?:u00[01][0-9a-f]|[bfnrt]|.)/g,
    (escape) => {
      const char = JSON.parse(`"${escape}"`) as string
      return char.charCodeAt(0) < 32 && raw[k++ % raw.length] === true ? char : escape
    }
  )
})

/** Whether a frame has a raw control character inside one of its strings. */
const rawControlInString = (frame: string): boolean =>
  (frame.match(/"(?:[^"\\]|\\.)*"/g) ?? []).some((string) => [...string].some((c) => c.charCodeAt(0) < 32))

describe("notification frames read by their envelope", () => {
  it("read as parsing the whole frame reads them, in any order, with whitespace, escapes and extra keys", () => {
    let unread = 0
    fc.assert(
      fc.property(frames, (frame) => {
        const read = Frames.fromFrame(frame)
        if (read._tag === "Notification" && read.payload._tag === "Text") unread++
        expect(outcome(read)).toStrictEqual(outcome(Frames.parseFrame(frame)))
      }),
      { numRuns: 500 }
    )
    // compact frames were read by their envelope (pretty-printed ones are parsed in full)
    expect(unread).toBeGreaterThan(150)
  })

  it("a damaged frame reads as parsing it does: the same message, or unreadable (never a throw)", () => {
    const inserts = [
      "",
      "{",
      "}",
      ",",
      ":",
      "]",
      "\"",
      "1",
      "\u0000",
      "\u0001",
      "\u000b",
      "\u001f",
      "\t",
      "\n",
      "\r"
    ]
    const damaged = fc.tuple(frames, fc.nat(), fc.constantFrom(...inserts)).map(
      ([frame, at, insert]) => {
        const cut = at % (frame.length + 1)
        return insert === "" ? frame.slice(0, cut) : frame.slice(0, cut) + insert + frame.slice(cut)
      }
    )
    fc.assert(
      fc.property(damaged, (frame) => {
        expect(outcome(Frames.fromFrame(frame))).toStrictEqual(outcome(Frames.parseFrame(frame)))
      }),
      { numRuns: 1000 }
    )
  })

  it("a frame with a raw control character in a string is unreadable, as parsing it says", () => {
    let refused = 0
    fc.assert(
      fc.property(controlFrames, (frame) => {
        const read = outcome(Frames.fromFrame(frame))
        expect(read).toStrictEqual(outcome(Frames.parseFrame(frame)))
        if (rawControlInString(frame)) {
          expect(read).toBe("Unreadable")
          refused++
        }
      }),
      { numRuns: 1000 }
    )
    // most frames carried one, in every part of the frame over the runs
    expect(refused).toBeGreaterThan(300)
  })

  it("Twitch's order leaves the event unread until pulled; a bad event is unreadable then", () => {
    const frame = JSON.stringify({
      metadata: metadata("m1"),
      payload: { subscription: sampleSub, event: {} }
    })
      .replace("\"event\":{}", "\"event\":{\"user_id\": tru}")
    const read = Frames.fromFrame(frame)
    expect(read._tag).toBe("Notification")
    if (read._tag === "Notification") {
      expect(read.payload._tag).toBe("Text")
      expect(Frames.eventsOf(read.payload)).toMatchObject({ _tag: "Unreadable" })
    }
    expect(Frames.parseFrame(frame)).toMatchObject({ _tag: "Unreadable" })
  })
})

describe("odd frames through a client", () => {
  it.scopedLive("delivered once in order; bad events counted, logged and skipped in the stream", () =>
    withClient({ backoff: Schedule.spaced("50 millis") }, (client, server) =>
      Effect.gen(function*() {
        const events = yield* client.subscribeScoped(Types.channelFollowV2, {
          broadcasterUserId: "1",
          moderatorUserId: "1"
        })
        const sub = yield* eventually(() => server.enabled()[0])
        const socket = yield* eventually(() => server.current?.socket)
        const now = new Date().toISOString()
        const meta = (id: string) => ({ ...metadata(id), message_timestamp: now })
        const event = (userId: string) => eventOf("channel.follow", "2", { user_id: userId })
        const payload = (e: unknown) => ({ subscription: wireSub(sub), event: e })
        const frames = [
          // Twitch's order, the event broken: skipped when pulled
          JSON.stringify({ metadata: meta("a"), payload: payload({}) }).replace(
            "\"event\":{}",
            "\"event\":{\"user_id\": tru}"
          ),
          // metadata last
          JSON.stringify({ payload: payload(event("metadata last")), metadata: meta("b") }),
          // a key after the event
          JSON.stringify({ metadata: meta("c"), payload: { ...payload(event("key after")), extra: 1 } }),
          // pretty-printed, with escapes in the ids
          JSON.stringify({ metadata: meta("d\u00e9\"\\"), payload: payload(event("pretty")) }, undefined, 2),
          // a field of the wrong type: the event does not decode
          JSON.stringify({ metadata: meta("e"), payload: payload(event("x")) }).replace(
            "\"user_id\":\"x\"",
            "\"user_id\":42"
          ),
          // a copy of "b"
          JSON.stringify({ metadata: meta("b"), payload: payload(event("metadata last")) }),
          // a raw control character in the message id, then in the event: JSON refuses both
          JSON.stringify({ metadata: meta("g\u0001"), payload: payload(event("id")) }).replace(
            "\\u0001",
            "\u0001"
          ),
          JSON.stringify({ metadata: meta("h"), payload: payload(event("ev\u0002")) }).replace(
            "\\u0002",
            "\u0002"
          ),
          JSON.stringify({ metadata: meta("f"), payload: payload(event("last")) })
        ]
        for (const frame of frames) socket.send(frame)
        const got = (yield* take(events, 4)).map((e) => e.userId)
        expect(got).toEqual(["metadata last", "key after", "pretty", "last"])
        const stats = yield* client.stats
        expect(stats).toMatchObject({ unreadable: 4, duplicates: 1 })
      })))
})
