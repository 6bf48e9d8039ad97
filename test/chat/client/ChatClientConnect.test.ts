import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as AccessToken from "../../../src/auth/AccessToken.js"
import type { TwitchMessage } from "../../../src/chat/TwitchMessage.js"
import * as World from "../../../src/testing/mock/World.js"
import { client, setup } from "./fixture.js"
import * as RawServer from "./rawServer.js"
import * as Virtual from "./virtual.js"

const take = <E>(stream: Stream.Stream<TwitchMessage, E>, until: (m: TwitchMessage) => boolean) =>
  stream.pipe(
    Stream.takeUntil(until),
    Stream.runCollect,
    Effect.map(Chunk.toArray),
    Effect.timeout("5 seconds")
  )

describe("ChatClient login", () => {
  it.scopedLive("logs in with the user token, joins and receives a PRIVMSG with its tags", () =>
    Effect.gen(function*() {
      const { config, control, live } = yield* setup()
      const chat = yield* client(config)
      assert.strictEqual(chat.login, "twitcher")
      assert.isFalse(chat.anonymous)
      const channel = live[0]
      yield* chat.join(channel)
      assert.deepStrictEqual(yield* chat.joined, [channel])
      const fiber = yield* Effect.fork(take(chat.channel(channel), (m) => m._tag === "Privmsg"))
      const posted = yield* control.postMessage({
        channel,
        login: World.secondUserLogin,
        text: "hello Kappa"
      })
      const messages = yield* Fiber.join(fiber)
      const kinds = messages.map((m) => m._tag)
      assert.includeMembers(kinds, ["Join", "Names", "EndOfNames", "UserState", "RoomState", "Privmsg"])
      const privmsg = messages[messages.length - 1]
      assert(privmsg._tag === "Privmsg")
      assert.strictEqual(privmsg.id, posted.id)
      assert.strictEqual(privmsg.text, "hello Kappa")
      assert.strictEqual(privmsg.login, World.secondUserLogin)
      assert.strictEqual(privmsg.channel, channel)
      const connections = yield* control.connections
      assert.deepStrictEqual(connections.map((c) => c.capabilities.slice().sort()), [[
        "twitch.tv/commands",
        "twitch.tv/membership",
        "twitch.tv/tags"
      ]])
    }))

  it.scopedLive("logs in anonymously (read-only): reads, and refuses to send with NotAuthorized", () =>
    Effect.gen(function*() {
      const { config, control, live } = yield* setup()
      const chat = yield* client(config, {}, null)
      assert.isTrue(chat.anonymous)
      assert.match(chat.login, /^justinfan\d+$/)
      yield* chat.join(live[0])
      const fiber = yield* Effect.fork(take(chat.channel(live[0]), (m) => m._tag === "Privmsg"))
      yield* control.postMessage({ channel: live[0], login: World.secondUserLogin, text: "hi anon" })
      const messages = yield* Fiber.join(fiber)
      assert.strictEqual(messages[messages.length - 1]._tag, "Privmsg")
      const refused = yield* Effect.either(chat.say(live[0], "hello"))
      assert(Either.isLeft(refused))
      assert.strictEqual(refused.left._tag, "NotAuthorized")
      const counters = yield* control.counters
      assert.strictEqual(counters.violations.anonymousSend, 0)
    }))

  it.scopedLive("fails with a typed LoginFailed when the server refuses the token", () =>
    Effect.gen(function*() {
      const { config } = yield* setup()
      const bad = AccessToken.make("notavalidtoken00000000000000", { kind: "user", login: "twitcher" })
      const result = yield* Effect.either(client(config, {}, bad))
      assert(Either.isLeft(result))
      const error = result.left
      assert(error._tag === "ChatError")
      assert.strictEqual(error.reason, "LoginFailed")
      assert.include(error.detail ?? "", "Login authentication failed")
    }))

  it.scopedLive("fails with NotAuthorized naming chat:read when the token lacks it", () =>
    Effect.gen(function*() {
      const { config } = yield* setup()
      const token = AccessToken.make(World.defaultUserToken, {
        kind: "user",
        login: "twitcher",
        scopes: ["user:read:email"]
      })
      const result = yield* Effect.either(client(config, {}, token))
      assert(Either.isLeft(result))
      assert(result.left._tag === "NotAuthorized")
      assert.strictEqual(result.left.scope, "chat:read")
    }))

  it.scopedLive("refuses to send with NotAuthorized naming chat:edit when the token lacks it", () =>
    Effect.gen(function*() {
      const { config, live } = yield* setup()
      const token = AccessToken.make(World.defaultUserToken, {
        kind: "user",
        login: "twitcher",
        scopes: ["chat:read"]
      })
      const chat = yield* client(config, {}, token)
      const result = yield* Effect.either(chat.say(live[0], "hi"))
      assert(Either.isLeft(result))
      assert(result.left._tag === "NotAuthorized")
      assert.strictEqual(result.left.scope, "chat:edit")
    }))

  it.scopedLive("closing the scope parts, quits and closes the socket", () =>
    Effect.gen(function*() {
      const { config, control, live } = yield* setup()
      yield* Effect.scoped(Effect.gen(function*() {
        const chat = yield* client(config)
        yield* chat.join(live[0])
        assert.strictEqual((yield* control.connections).length, 1)
        assert.isTrue(Option.isSome(yield* chat.connectionId))
      }))
      // The server sees the close when its socket does: wait for it (bounded), not a fixed time.
      yield* control.counters.pipe(
        Effect.repeat({
          until: (c) => c.openConnections === 0,
          schedule: Schedule.spaced("20 millis").pipe(Schedule.upTo("5 seconds"))
        })
      )
      const counters = yield* control.counters
      assert.strictEqual(counters.openConnections, 0)
    }))

  it.scoped("closed right after the server reset the socket: the goodbye does not wait for a write that failed", () =>
    Virtual.run(Effect.gen(function*() {
      const { client, conns } = yield* RawServer.start((conn, line) => void RawServer.twitchLike(conn, line))
      const scope = yield* Scope.make()
      const chat = yield* Scope.extend(client(), scope)
      yield* chat.join("somewhere")
      const start = yield* Clock.currentTimeMillis
      // The client has not read the reset yet: its PART and QUIT go to a socket that refuses them.
      conns[0].destroy()
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual(yield* Virtual.since(start), 0)
      assert.strictEqual(yield* chat.state, "Closed")
    })))
})
