import { assert, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Queue from "effect/Queue"
import * as TestClock from "effect/TestClock"
import * as Connection from "../../../../src/chat/internal/engine/connection.js"
import * as Session from "../../../../src/chat/internal/engine/session.js"
import type * as Transport from "../../../../src/testing/mock/irc/Transport.js"
import * as Memory from "../../client/memory.js"

/** A connection over an in-memory pair; the server's end records the lines it got. */
const open = Effect.gen(function*() {
  const accepted = yield* Deferred.make<Transport.RawConnection>()
  const conn = yield* Connection.open({
    id: 1,
    transport: Memory.transport((raw) => Deferred.unsafeDone(accepted, Exit.succeed(raw))),
    parent: yield* Effect.scope,
    session: Session.make(),
    onLines: (c, lines) => {
      c.seen++
      for (const line of lines) if (line.startsWith(":server PONG")) c.pongs++
    }
  })
  const server = yield* Deferred.await(accepted)
  const received: Array<string> = []
  const read = Effect.gen(function*() {
    for (const item of yield* Queue.takeAll(server.inbound)) {
      if (item._tag === "Lines") received.push(...item.lines)
    }
    return received
  })
  return { conn, server, read }
})

describe("engine/connection", () => {
  it.scoped("keepalive: PING after silence, Silent without a PONG; no verdict while the client paused", () =>
    Effect.gen(function*() {
      const { conn, read, server } = yield* open
      let paused = false
      yield* Effect.forkScoped(
        Connection.keepalive(conn, Duration.seconds(60), Duration.seconds(10), () => paused)
      )
      yield* TestClock.adjust("60 seconds")
      assert.deepStrictEqual(yield* read, ["PING :tmi.twitch.tv"])
      server.write(":server PONG server :tmi.twitch.tv\r\n")
      yield* TestClock.adjust("10 seconds")
      assert.isTrue(Connection.live(conn))
      // Silence while the client itself stopped reading is not the server's.
      paused = true
      yield* TestClock.adjust("2 minutes")
      assert.deepStrictEqual(yield* read, ["PING :tmi.twitch.tv"])
      assert.isTrue(Connection.live(conn))
      paused = false
      yield* TestClock.adjust("70 seconds")
      assert.deepStrictEqual(conn.endReason, { _tag: "Silent" })
      assert.deepStrictEqual(yield* Deferred.await(conn.ended), { _tag: "Silent" })
    }))

  it.scoped("lines queued together go out together; an ended connection writes nothing and loses what waits", () =>
    Effect.gen(function*() {
      const { conn, read } = yield* open
      yield* Deferred.await(conn.opened)
      const written: Array<string> = []
      Connection.write(conn, { text: "A", onWritten: () => written.push("A") }, {
        text: "B",
        onWrite: () => written.push("B")
      })
      yield* TestClock.adjust(0)
      assert.deepStrictEqual(yield* read, ["A", "B"])
      assert.deepStrictEqual(written, ["B", "A"])
      const answer = yield* Deferred.make<Connection.Answer>()
      conn.pending.set("room", { answer, text: "x", replyTo: undefined, probe: undefined, written: true })
      Connection.end(conn, { _tag: "Error", detail: "test" })
      Connection.write(conn, { text: "C" })
      yield* TestClock.adjust(0)
      assert.deepStrictEqual(yield* read, ["A", "B"])
      assert.deepStrictEqual(yield* Deferred.await(answer), { _tag: "Lost" })
    }))

  it.scoped("after RECONNECT the connection drains: answers still count, lines still go out", () =>
    Effect.gen(function*() {
      const { conn, read } = yield* open
      yield* Deferred.await(conn.opened)
      const answer = yield* Deferred.make<Connection.Answer>()
      conn.pending.set("room", { answer, text: "x", replyTo: undefined, probe: undefined, written: true })
      Connection.end(conn, { _tag: "Reconnect" })
      assert.isFalse(Connection.live(conn))
      assert.isFalse(yield* Deferred.isDone(answer))
      Connection.write(conn, { text: "PONG :tmi.twitch.tv" })
      yield* TestClock.adjust(0)
      assert.deepStrictEqual(yield* read, ["PONG :tmi.twitch.tv"])
      yield* Connection.close(conn)
      assert.deepStrictEqual(yield* Deferred.await(answer), { _tag: "Lost" })
    }))
})
