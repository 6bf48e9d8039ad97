import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { parseMessage } from "ircv3"
import * as Net from "node:net"
import * as Chatter from "../../src/testing/mock/irc/Chatter.js"
import * as World from "../../src/testing/mock/World.js"
import { joined, login, setup, user } from "./irc/fixture.js"
import * as Raw from "./irc/RawClient.js"

/** Checks one line with an independent parser (ircv3): emote ranges must name known emotes. */
const checkLine = (line: string, emotesById: ReadonlyMap<string, ReadonlySet<string>>) => {
  const msg = parseMessage(line)
  const tags = msg.tags
  const params = msg.rawParamValues
  let text = params[1] ?? ""
  if (text.startsWith("\x01ACTION ") && text.endsWith("\x01")) text = text.slice(8, -1)
  const emotes = tags.get("emotes") ?? ""
  const cps = Array.from(text)
  let ranges = 0
  if (emotes !== "") {
    for (const group of emotes.split("/")) {
      const [id, list] = group.split(":")
      for (const range of list.split(",")) {
        const [start, end] = range.split("-").map(Number)
        assert.isTrue(start <= end && end < cps.length, `range ${range} in ${line}`)
        const name = cps.slice(start, end + 1).join("")
        assert.isTrue(emotesById.get(id)?.has(name) ?? false, `${name} is not emote ${id} in ${line}`)
        ranges++
      }
    }
  }
  return { command: msg.command, tags, text, ranges }
}

describe("IrcServer chatter", () => {
  it.scopedLive("generated lines parse with another parser; emote ranges count code points", () =>
    Effect.gen(function*() {
      const { live, server, world } = yield* setup()
      const ch = live[0]
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(c, ch)
      const owner = (yield* world.snapshot).users.find((u) => u.login === ch)
      const emotes = [...(yield* world.globalEmotes), ...(yield* world.channelEmotes(owner?.id ?? ""))]
      const byId = new Map(emotes.map((e) => [e.id, new Set([e.name])] as const))
      const generated = yield* server.control.generate(ch, 400)
      assert.strictEqual(generated.length, 400)
      // Everything but the ROOMSTATE changes (those go through the world) reaches the client as generated.
      const direct = generated.filter((l) => Raw.commandOf(l) !== "ROOMSTATE")
      yield* c.count(
        (l) => ["PRIVMSG", "USERNOTICE", "CLEARCHAT", "CLEARMSG"].includes(Raw.commandOf(l)),
        direct.length
      )
      const kinds = new Map<string, number>()
      const noticeKinds = new Set<string>()
      let ranges = 0
      let emojiBeforeEmote = 0
      let escapedSpaces = 0
      for (const line of direct) {
        const r = checkLine(line, byId)
        kinds.set(r.command, (kinds.get(r.command) ?? 0) + 1)
        ranges += r.ranges
        if (r.command === "USERNOTICE") noticeKinds.add(r.tags.get("msg-id") ?? "")
        if (r.ranges > 0 && /^\p{Extended_Pictographic}/u.test(r.text)) emojiBeforeEmote++
        if (line.includes("\\s")) escapedSpaces++
        if (r.command === "PRIVMSG") {
          for (
            const k of [
              "badges",
              "color",
              "display-name",
              "emotes",
              "id",
              "room-id",
              "tmi-sent-ts",
              "user-id"
            ]
          ) {
            assert.isTrue(r.tags.has(k), `${k} missing in ${line}`)
          }
          assert.strictEqual(r.tags.get("room-id"), owner?.id)
        }
      }
      assert.isAbove(kinds.get("PRIVMSG") ?? 0, 250)
      assert.isAbove(kinds.get("USERNOTICE") ?? 0, 10)
      assert.isAbove(ranges, 50)
      assert.isAbove(emojiBeforeEmote, 5)
      assert.isAbove(escapedSpaces, 10)
      assert.isTrue(noticeKinds.size >= 5, [...noticeKinds].join())
      assert.isTrue(direct.some((l) => l.includes("reply-parent-msg-id=")))
      assert.isTrue(direct.some((l) => l.includes(";bits=")))
      assert.isTrue(direct.some((l) => l.includes("\x01ACTION ")))
      assert.isTrue(kinds.has("CLEARCHAT") || kinds.has("CLEARMSG"))
    }))

  it("the generator is deterministic per seed and channel", () => {
    const channel = {
      login: "somechannel",
      id: "123",
      displayName: "SomeChannel",
      emotes: Chatter.defaultEmotes
    }
    const run = (seed: number) => {
      const g = Chatter.make(seed)
      return Array.from({ length: 200 }, (_, i) => g.next(channel, 1_700_000_000_000 + i).line)
    }
    assert.deepStrictEqual(run(7), run(7))
    assert.notDeepEqual(run(7), run(8))
  })

  it.scopedLive("the chatter loop sends lines at the configured rate and can be turned off", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup({ chatterRate: 40 })
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(c, live[1])
      yield* c.count(Raw.is("PRIVMSG"), 5, "2 seconds")
      yield* server.control.setChatterRate(0)
      yield* Effect.sleep("100 millis")
      const before = c.matching(Raw.is("PRIVMSG")).length
      yield* Effect.sleep("300 millis")
      assert.strictEqual(c.matching(Raw.is("PRIVMSG")).length, before)
    }))
})

describe("IrcServer blast", () => {
  it.scopedLive("pushes N full-tag PRIVMSGs to every joined client", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup()
      const ch = live[2]
      const a = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(a, ch)
      const b = yield* Raw.connect({ _tag: "ws", url: server.wsUrl })
      yield* login(b, "justinfan99", undefined)
      yield* joined(b, ch)
      const result = yield* server.control.blast(ch, 20_000)
      assert.strictEqual(result.lines, 20_000)
      assert.strictEqual(result.connections, 2)
      const got = yield* a.count(Raw.is("PRIVMSG"), 20_000, "20 seconds")
      yield* b.count(Raw.is("PRIVMSG"), 20_000, "20 seconds")
      assert.isTrue(got.slice(0, 50).every((l) => Raw.tagsOf(l)["room-id"] !== undefined))
    }), 60_000)

  it.scopedLive(
    "every blasted line has its own id and a strictly increasing tmi-sent-ts",
    () =>
      Effect.gen(function*() {
        const { live, server } = yield* setup()
        const ch = live[2]
        const a = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
        yield* joined(a, ch)
        // Two blasts, each longer than the 1,024-line pool: ids must not repeat within or across them.
        yield* server.control.blast(ch, 3000)
        yield* server.control.blast(ch, 1500)
        const got = yield* a.count(Raw.is("PRIVMSG"), 4500, "20 seconds")
        const ids = got.map((l) => Raw.tagsOf(l).id)
        assert.strictEqual(new Set(ids).size, 4500)
        assert.isTrue(
          ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))
        )
        const ts = got.map((l) => Number(Raw.tagsOf(l)["tmi-sent-ts"]))
        for (let i = 1; i < ts.length; i++) assert.isAbove(ts[i], ts[i - 1], `line ${i}`)
        // The rest of the line still parses with an independent parser and keeps its room.
        assert.isTrue(got.every((l) => parseMessage(l).tags.get("room-id") === Raw.tagsOf(got[0])["room-id"]))
      }),
    60_000
  )

  it.scopedLive(
    "blasted and posted ids are the same for the same seed and differ for another",
    () =>
      Effect.gen(function*() {
        const run = (seed: number) =>
          Effect.gen(function*() {
            const { live, server } = yield* setup({ seed })
            const ch = live[2]
            const a = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
            yield* joined(a, ch)
            yield* server.control.blast(ch, 300)
            const posted = yield* server.control.postMessage({
              channel: ch,
              login: World.secondUserLogin,
              text: "hi"
            })
            const got = yield* a.count(Raw.is("PRIVMSG"), 301, "10 seconds")
            const ids = got.map((l) => Raw.tagsOf(l).id)
            assert.strictEqual(ids[300], posted.id)
            return ids
          })
        const first = yield* run(7)
        assert.deepStrictEqual(yield* run(7), first)
        const other = yield* run(8)
        assert.isTrue(other.every((id) => !first.includes(id)))
      }),
    30_000
  )

  it.scopedLive(
    "waits for a slow reader (back-pressure) and finishes when it reads",
    () =>
      Effect.gen(function*() {
        const { live, server } = yield* setup()
        const ch = live[2]
        let received = 0
        const socket = yield* Effect.acquireRelease(
          Effect.async<Net.Socket>((resume) => {
            const s = Net.connect(server.tcpPort, "127.0.0.1", () => resume(Effect.succeed(s)))
          }),
          (s) => Effect.sync(() => s.destroy())
        )
        socket.setEncoding("utf8")
        let joinedRoom = false
        socket.on("data", (d: string) => {
          if (d.includes(`ROOMSTATE #${ch}`)) joinedRoom = true
          received += Buffer.byteLength(d)
        })
        socket.write(`CAP REQ :twitch.tv/tags twitch.tv/commands\r\nNICK justinfan5\r\nJOIN #${ch}\r\n`)
        for (let i = 0; i < 300 && !joinedRoom; i++) yield* Effect.sleep("10 millis")
        socket.pause()
        const fiber = yield* Effect.fork(server.control.blast(ch, 60_000))
        yield* Effect.sleep("300 millis")
        // ~60k lines of ~400 bytes cannot fit in the socket buffers: the blast must still be waiting.
        assert.isNull(yield* Fiber.poll(fiber).pipe(Effect.map((o) => (o._tag === "Some" ? "done" : null))))
        socket.resume()
        const result = yield* Fiber.join(fiber)
        assert.strictEqual(result.lines, 60_000)
        assert.isAbove(result.bytes, 10_000_000)
        const deadline = Date.now() + 20_000
        // Everything blasted arrives (plus the login/JOIN lines received before).
        while (received < result.bytes && Date.now() < deadline) yield* Effect.sleep("10 millis")
        assert.isAtLeast(received, result.bytes)
      }),
    60_000
  )
})
