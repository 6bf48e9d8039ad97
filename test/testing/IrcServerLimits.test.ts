import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import * as World from "../../src/testing/mock/World.js"
import { joined, login, setup, user } from "./irc/fixture.js"
import * as Raw from "./irc/RawClient.js"

const sync = (c: Raw.RawClient, tag: string) =>
  Effect.gen(function*() {
    yield* c.send(`PING :${tag}`)
    yield* c.next((l) => l === `:tmi.twitch.tv PONG tmi.twitch.tv :${tag}`)
  })

const notices = (c: Raw.RawClient, msgId: string) =>
  c.matching((l) => Raw.is("NOTICE")(l) && Raw.tagsOf(l)["msg-id"] === msgId)

describe("IrcServer limits", () => {
  it.scopedLive("a plain user gets 20 messages per window, the 21st is msg_ratelimit and counted", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup({ limits: { channelIntervalMs: 0 } })
      const ch = live[5]
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(c, ch)
      for (let i = 0; i < 21; i++) yield* c.send(`PRIVMSG #${ch} :message ${i}`)
      const notice = yield* c.next(Raw.is("NOTICE"))
      assert.strictEqual(
        notice,
        `@msg-id=msg_ratelimit :tmi.twitch.tv NOTICE #${ch} :Your message was not sent because you are sending messages too quickly.`
      )
      yield* sync(c, "a")
      const counters = yield* server.control.counters
      assert.strictEqual(counters.privmsgsAccepted, 20)
      assert.strictEqual(counters.violations.userRate, 1)
      assert.strictEqual((yield* server.control.received(ch)).length, 20)
    }))

  it.scopedLive("the window slides: after it passes the user may send again", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup({
        limits: { channelIntervalMs: 0, messageWindowMs: 400, userMessages: 3 }
      })
      const ch = live[5]
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(c, ch)
      for (let i = 0; i < 4; i++) yield* c.send(`PRIVMSG #${ch} :burst ${i}`)
      yield* c.next(Raw.is("NOTICE"))
      yield* Effect.sleep("450 millis")
      yield* c.send(`PRIVMSG #${ch} :after the window`)
      yield* sync(c, "b")
      assert.strictEqual((yield* server.control.counters).privmsgsAccepted, 4)
      assert.strictEqual(notices(c, "msg_ratelimit").length, 1)
    }))

  it.scopedLive("a moderator gets 100 per window; those messages still fill the 20 bucket elsewhere", () =>
    Effect.gen(function*() {
      const { live, offline, server } = yield* setup({ limits: { channelIntervalMs: 0 } })
      const ch = live[5] // twitcherbot moderates every live channel
      const c = yield* user(server, World.secondUserLogin, World.secondUserToken)
      yield* joined(c, ch)
      for (let i = 0; i < 101; i++) yield* c.send(`PRIVMSG #${ch} :mod message ${i}`)
      yield* c.next(Raw.is("NOTICE"))
      yield* sync(c, "c")
      let counters = yield* server.control.counters
      assert.strictEqual(counters.privmsgsAccepted, 100)
      assert.strictEqual(counters.violations.userRate, 1)
      // In a channel where twitcherbot is a plain user, the 20 bucket is already full.
      yield* joined(c, offline[0])
      yield* c.send(`PRIVMSG #${offline[0]} :plain here`)
      yield* c.next((l) => Raw.is("NOTICE")(l) && l.includes(`#${offline[0]}`))
      counters = yield* server.control.counters
      assert.strictEqual(counters.privmsgsAccepted, 100)
      assert.strictEqual(counters.violations.userRate, 2)
    }))

  it.scopedLive("a plain user may send 1 message per second per channel; a moderator is exempt", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup({ limits: { channelIntervalMs: 300 } })
      const ch = live[6]
      const plain = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(plain, ch)
      yield* plain.send(`PRIVMSG #${ch} :one`, `PRIVMSG #${ch} :two`)
      yield* plain.next(Raw.is("NOTICE"))
      yield* Effect.sleep("350 millis")
      yield* plain.send(`PRIVMSG #${ch} :three`)
      yield* sync(plain, "d")
      const mod = yield* user(server, World.secondUserLogin, World.secondUserToken)
      yield* joined(mod, ch)
      yield* mod.send(`PRIVMSG #${ch} :m1`, `PRIVMSG #${ch} :m2`, `PRIVMSG #${ch} :m3`)
      yield* sync(mod, "e")
      const counters = yield* server.control.counters
      assert.strictEqual(counters.violations.channelRate, 1)
      assert.strictEqual(counters.privmsgsAccepted, 5)
      assert.deepStrictEqual((yield* server.control.received(ch)).map((m) => m.text), [
        "one",
        "three",
        "m1",
        "m2",
        "m3"
      ])
    }))

  it.scopedLive("21 JOINs within the window: the 21st is dropped and counted", () =>
    Effect.gen(function*() {
      const { live, offline, server } = yield* setup()
      const channels = [...live, ...offline].slice(0, 21)
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* c.send(`JOIN ${channels.map((ch) => `#${ch}`).join(",")}`)
      yield* c.count(Raw.is("ROOMSTATE"), 20)
      yield* sync(c, "f")
      assert.strictEqual(c.matching(Raw.is("ROOMSTATE")).length, 20)
      const counters = yield* server.control.counters
      assert.strictEqual(counters.joins, 20)
      assert.strictEqual(counters.violations.joinRate, 1)
      const info = yield* server.control.connections
      assert.isFalse(info[0].channels.includes(channels[20]))
    }))

  it.scopedLive("the same text within the duplicate window is msg_duplicate", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup({ limits: { channelIntervalMs: 0 } })
      const ch = live[7]
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(c, ch)
      yield* c.send(`PRIVMSG #${ch} :same`, `PRIVMSG #${ch} :same`, `PRIVMSG #${ch} :different`)
      const notice = yield* c.next(Raw.is("NOTICE"))
      assert.strictEqual(
        notice,
        `@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #${ch} :Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago.`
      )
      yield* sync(c, "g")
      assert.strictEqual((yield* server.control.counters).violations.duplicate, 1)
      assert.deepStrictEqual((yield* server.control.received(ch)).map((m) => m.text), ["same", "different"])
    }))

  it.scopedLive("slow mode, over-long messages, bans and timeouts", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup({ limits: { channelIntervalMs: 0 } })
      const ch = live[8]
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(c, ch)
      yield* server.control.setRoomState(ch, { slow: 5 })
      assert.strictEqual(
        yield* c.next((l) => Raw.is("ROOMSTATE")(l) && Raw.tagsOf(l).slow === "5"),
        `@room-id=${
          Raw.tagsOf(c.matching(Raw.is("ROOMSTATE"))[0])["room-id"]
        };slow=5 :tmi.twitch.tv ROOMSTATE #${ch}`
      )
      yield* c.send(`PRIVMSG #${ch} :first`, `PRIVMSG #${ch} :second`)
      assert.match(
        yield* c.next(Raw.is("NOTICE")),
        /msg-id=msg_slowmode .* You will be able to talk again in 5 seconds\.$/
      )
      yield* server.control.setRoomState(ch, { slow: 0 })
      yield* c.send(`PRIVMSG #${ch} :${"x".repeat(501)}`, `PRIVMSG #${ch} :${"😂".repeat(500)}`)
      yield* sync(c, "long")
      yield* server.control.ban({ channel: ch, login: World.defaultUserLogin, seconds: 30 })
      yield* c.send(`PRIVMSG #${ch} :timed out`)
      assert.match(
        yield* c.next((l) => Raw.tagsOf(l)["msg-id"] === "msg_timedout"),
        /:You are timed out for 30 more seconds\.$/
      )
      yield* server.control.ban({ channel: ch, login: World.defaultUserLogin })
      yield* c.send(`PRIVMSG #${ch} :banned`)
      assert.strictEqual(
        yield* c.next((l) => Raw.tagsOf(l)["msg-id"] === "msg_banned"),
        `@msg-id=msg_banned :tmi.twitch.tv NOTICE #${ch} :You are permanently banned from talking in ${ch}.`
      )
      yield* server.control.unban(ch, World.defaultUserLogin)
      yield* c.send(`PRIVMSG #${ch} :free again`)
      yield* sync(c, "h")
      const counters = yield* server.control.counters
      assert.deepStrictEqual(
        [
          counters.violations.slowMode,
          counters.violations.tooLong,
          counters.violations.timedOut,
          counters.violations.banned
        ],
        [1, 1, 1, 1]
      )
      // 500 emoji are 500 code points (1000 UTF-16 units): accepted.
      assert.deepStrictEqual(
        (yield* server.control.received(ch)).map((m) => m.text.slice(0, 10)),
        ["first", "😂".repeat(5), "free again"]
      )
    }))

  it.scopedLive("a token without chat:edit can read but not send", () =>
    Effect.gen(function*() {
      const { live, server, world } = yield* setup()
      const token = yield* world.issueToken({
        clientId: World.defaultClientId,
        userId: World.defaultUserId,
        scopes: ["chat:read"]
      })
      const c = yield* user(server, World.defaultUserLogin, token.value)
      yield* joined(c, live[0])
      yield* c.send(`PRIVMSG #${live[0]} :hello`)
      yield* sync(c, "i")
      const counters = yield* server.control.counters
      assert.strictEqual(counters.violations.missingScope, 1)
      assert.strictEqual(counters.privmsgsAccepted, 0)
    }))

  it.scoped("windows run on Effect's Clock: TestClock.adjust past 30 s reopens the 20 bucket", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup({ limits: { channelIntervalMs: 0 } })
      const ch = live[9]
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(c, ch)
      for (let i = 0; i < 21; i++) yield* c.send(`PRIVMSG #${ch} :clocked ${i}`)
      yield* c.next(Raw.is("NOTICE"))
      yield* TestClock.adjust("29 seconds")
      yield* c.send(`PRIVMSG #${ch} :still limited`)
      yield* c.next(Raw.is("NOTICE"))
      yield* TestClock.adjust("2 seconds")
      yield* c.send(`PRIVMSG #${ch} :window passed`)
      yield* sync(c, "clock")
      const received = yield* server.control.received(ch)
      assert.strictEqual(received.length, 21)
      assert.strictEqual(received[20].text, "window passed")
      assert.strictEqual(received[20].at, 31_000)
      assert.strictEqual((yield* server.control.counters).violations.userRate, 2)
    }))

  it.scopedLive("authentication attempts: over the limit per window is Login unsuccessful and a close; anonymous is free", () =>
    Effect.gen(function*() {
      const { server } = yield* setup({ limits: { auths: 3, authWindowMs: 500 } })
      const attempt = (nick: string, token: string | undefined) =>
        Effect.gen(function*() {
          const c = yield* Raw.connect({ _tag: "tcp", port: server.tcpPort })
          yield* c.send("CAP REQ :twitch.tv/tags twitch.tv/commands")
          if (token !== undefined) yield* c.send(`PASS oauth:${token}`)
          yield* c.send(`NICK ${nick}`)
          const answer = yield* c.next((l) => Raw.is("001")(l) || Raw.is("NOTICE")(l))
          return { c, answer }
        })
      // A failed attempt counts too: 1 bad token + 2 good logins fill the window of 3.
      const bad = yield* attempt(World.defaultUserLogin, "not-a-token")
      assert.strictEqual(bad.answer, ":tmi.twitch.tv NOTICE * :Login authentication failed")
      for (let i = 0; i < 2; i++) {
        assert.isTrue(Raw.is("001")((yield* attempt(World.defaultUserLogin, World.defaultUserToken)).answer))
      }
      const over = yield* attempt(World.defaultUserLogin, World.defaultUserToken)
      assert.strictEqual(over.answer, ":tmi.twitch.tv NOTICE * :Login unsuccessful")
      yield* over.c.closed()
      // Another user has a bucket of their own; anonymous logins are not counted at all.
      assert.isTrue(Raw.is("001")((yield* attempt(World.secondUserLogin, World.secondUserToken)).answer))
      for (let i = 0; i < 5; i++) {
        assert.isTrue(Raw.is("001")((yield* attempt(`justinfan${100 + i}`, undefined)).answer))
      }
      let counters = yield* server.control.counters
      assert.strictEqual(counters.violations.authRate, 1)
      assert.strictEqual(counters.loginFailures, 2)
      assert.strictEqual(counters.logins, 8)
      // The window slides: once it has passed the user may log in again.
      yield* Effect.sleep("550 millis")
      assert.isTrue(Raw.is("001")((yield* attempt(World.defaultUserLogin, World.defaultUserToken)).answer))
      counters = yield* server.control.counters
      assert.strictEqual(counters.violations.authRate, 1)
    }))

  it.scoped("the authentication window runs on Effect's Clock (20 per 10 s by default)", () =>
    Effect.gen(function*() {
      const { server } = yield* setup()
      for (let i = 0; i < 20; i++) {
        const c = yield* Raw.connect({ _tag: "tcp", port: server.tcpPort })
        yield* login(c, World.defaultUserLogin, World.defaultUserToken)
      }
      const over = yield* Raw.connect({ _tag: "tcp", port: server.tcpPort })
      yield* over.send(`PASS oauth:${World.defaultUserToken}`, `NICK ${World.defaultUserLogin}`)
      assert.strictEqual(yield* over.next(Raw.is("NOTICE")), ":tmi.twitch.tv NOTICE * :Login unsuccessful")
      yield* TestClock.adjust("10 seconds")
      const after = yield* Raw.connect({ _tag: "tcp", port: server.tcpPort })
      yield* login(after, World.defaultUserLogin, World.defaultUserToken)
      assert.strictEqual((yield* server.control.counters).violations.authRate, 1)
    }))

  it.scopedLive("concurrent rooms: past the cap a JOIN is refused with a NOTICE; own and moderated rooms are free", () =>
    Effect.gen(function*() {
      const { live, offline, server } = yield* setup({ limits: { concurrentRooms: 3 } })
      const limit = (c: Raw.RawClient) =>
        c.matching((l) => Raw.tagsOf(l)["msg-id"] === "msg_concurrent_channel_limit_reached")
      // twitcherbot moderates every live channel: those do not count.
      const a = yield* user(server, World.secondUserLogin, World.secondUserToken)
      for (const ch of live.slice(0, 4)) yield* joined(a, ch)
      yield* joined(a, World.secondUserLogin) // own channel
      yield* joined(a, World.defaultUserLogin) // moderator there too
      for (const ch of offline.slice(0, 3)) yield* joined(a, ch)
      // The cap is per user over all connections: a second connection cannot add a 4th counted room...
      const b = yield* user(server, World.secondUserLogin, World.secondUserToken)
      yield* b.send(`JOIN #${offline[3]}`)
      assert.strictEqual(
        yield* b.next(Raw.is("NOTICE")),
        `@msg-id=msg_concurrent_channel_limit_reached :tmi.twitch.tv NOTICE #${
          offline[3]
        } :You are connected to too many chat channels.`
      )
      // ...but may join a room the user is already in (it is not a new room)...
      yield* joined(b, offline[0])
      yield* sync(b, "rooms")
      assert.strictEqual(limit(b).length, 1)
      // ...and a PART frees a slot.
      yield* a.send(`PART #${offline[1]}`)
      yield* sync(a, "part")
      yield* joined(b, offline[3])
      const counters = yield* server.control.counters
      assert.strictEqual(counters.violations.concurrentRooms, 1)
      const info = yield* server.control.connections
      assert.isFalse(info.some((c) => c.channels.includes(offline[1])))
      assert.isTrue(info.some((c) => c.channels.includes(offline[3])))
    }))

  it.scopedLive("concurrent rooms: anonymous connections are not capped", () =>
    Effect.gen(function*() {
      const { live, offline, server } = yield* setup({ limits: { concurrentRooms: 2 } })
      const c = yield* Raw.connect({ _tag: "tcp", port: server.tcpPort })
      yield* login(c, "justinfan123", undefined)
      for (const ch of [...live, ...offline].slice(0, 5)) yield* joined(c, ch)
      assert.strictEqual((yield* server.control.counters).violations.concurrentRooms, 0)
    }))
})
