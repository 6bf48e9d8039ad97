import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as RawServer from "./rawServer.js"
import * as Virtual from "./virtual.js"

const clearChat = "@room-id=1;target-user-id=5;tmi-sent-ts=1000 :tmi.twitch.tv CLEARCHAT #room :baduser"
const clearMsg =
  "@login=baduser;room-id=1;target-msg-id=abc-1;tmi-sent-ts=1001 :tmi.twitch.tv CLEARMSG #room :bad"
const slowOn = "@msg-id=emote_only_on :tmi.twitch.tv NOTICE #room :This room is now in emote-only mode."
const roomState = "@emote-only=1;room-id=1 :tmi.twitch.tv ROOMSTATE #room"
/** What Twitch sends every connection in the room during the overlap; the notice comes twice. */
const roomEvents = [clearChat, clearMsg, slowOn, slowOn, roomState]
const end =
  "@display-name=X;id=end-1;room-id=1;tmi-sent-ts=1002;user-id=7 :x!x@x.tmi.twitch.tv PRIVMSG #room :end"

describe("ChatClient RECONNECT overlap", () => {
  it.scoped("CLEARCHAT, CLEARMSG, NOTICE and ROOMSTATE seen on both connections are delivered once", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => {
        const m = /^PRIVMSG #(\S+) :/.exec(line)
        if (m !== null && conn.index === 1) {
          // Twitch asks for a reconnect while this send is pending; the old connection gets the
          // room's events and then the answer, so the overlap lasts until then.
          conn.write(":tmi.twitch.tv RECONNECT")
          conn.later(300, () => {
            for (const l of roomEvents) conn.write(l)
            conn.write(RawServer.userState(m[1], "msg-1"))
          })
          return
        }
        RawServer.twitchLike(conn, line)
        if (conn.index === 2 && line === "JOIN #room") { for (const l of roomEvents) conn.write(l) }
      })
      const chat = yield* client({ sendTimeout: "3 seconds" })
      yield* chat.join("room")
      const inbound = yield* Effect.fork(
        chat.channel("room").pipe(
          Stream.filter((m) => m._tag !== "UserState" && m._tag !== "Join"),
          Stream.takeUntil((m) => m._tag === "Privmsg" && m.text === "end"),
          Stream.runCollect,
          Effect.timeout("10 seconds")
        )
      )
      const sent = yield* chat.say("room", "hello")
      assert.strictEqual(sent._tag, "Sent")
      // The old connection is dropped once its send is answered; after that an identical notice
      // is a new event and is delivered.
      yield* Effect.gen(function*() {
        while (conns.length < 2 || (yield* chat.stats).reconnects < 1) yield* Effect.sleep("20 millis")
      })
      yield* Effect.sleep("300 millis")
      conns[1].write(slowOn)
      conns[1].write(end)
      const messages = Chunk.toArray(yield* Fiber.join(inbound))
      const count = (tag: string) => messages.filter((m) => m._tag === tag).length
      assert.strictEqual(count("ClearChat"), 1)
      assert.strictEqual(count("ClearMsg"), 1)
      assert.strictEqual(count("RoomState"), 1)
      // Twice in the overlap (sent twice on each connection), once after it.
      assert.strictEqual(count("Notice"), 3)
      assert.strictEqual((yield* chat.connectionId)._tag, "Some")
      assert.isAtLeast((yield* chat.stats).duplicates, 5)
    })))
})
