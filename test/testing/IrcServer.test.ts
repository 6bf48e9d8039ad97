import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as World from "../../src/testing/mock/World.js"
import { ALL_CAPS, joined, login, setup, user } from "./irc/fixture.js"
import * as Raw from "./irc/RawClient.js"

describe("IrcServer login", () => {
  it.scopedLive("logs a user in with CAP, PASS and NICK: 001-004, MOTD, GLOBALUSERSTATE with tags", () =>
    Effect.gen(function*() {
      const { server, tcp } = yield* setup()
      const c = yield* Raw.connect(tcp)
      yield* c.send("CAP LS 302")
      const ls = yield* c.next(Raw.is("CAP"))
      assert.strictEqual(
        ls,
        ":tmi.twitch.tv CAP * LS :twitch.tv/tags twitch.tv/commands twitch.tv/membership"
      )
      yield* c.send(`CAP REQ :${ALL_CAPS}`)
      assert.strictEqual(yield* c.next(Raw.is("CAP")), `:tmi.twitch.tv CAP * ACK :${ALL_CAPS}`)
      yield* c.send(`PASS oauth:${World.defaultUserToken}`, `NICK ${World.defaultUserLogin}`)
      const gus = yield* c.next(Raw.is("GLOBALUSERSTATE"))
      const numerics = c.lines.filter((l) => /^:tmi\.twitch\.tv \d{3} /.test(l))
      assert.deepStrictEqual(numerics, [
        ":tmi.twitch.tv 001 twitcher :Welcome, GLHF!",
        ":tmi.twitch.tv 002 twitcher :Your host is tmi.twitch.tv",
        ":tmi.twitch.tv 003 twitcher :This server is rather new",
        ":tmi.twitch.tv 004 twitcher :-",
        ":tmi.twitch.tv 375 twitcher :-",
        ":tmi.twitch.tv 372 twitcher :You are in a maze of twisty passages, all alike.",
        ":tmi.twitch.tv 376 twitcher :>"
      ])
      const tags = Raw.tagsOf(gus)
      assert.strictEqual(tags["user-id"], World.defaultUserId)
      assert.strictEqual(tags["display-name"], "Twitcher")
      assert.isTrue(tags["emote-sets"].split(",").includes("0"))
      assert.deepStrictEqual(Object.keys(tags).sort(), [
        "badge-info",
        "badges",
        "color",
        "display-name",
        "emote-sets",
        "turbo",
        "user-id",
        "user-type"
      ])
      assert.isTrue(gus.endsWith(" :tmi.twitch.tv GLOBALUSERSTATE"))
      const counters = yield* server.control.counters
      assert.strictEqual(counters.logins, 1)
    }))

  it.scopedLive("NAKs an unknown capability and keeps the others off", () =>
    Effect.gen(function*() {
      const { tcp } = yield* setup()
      const c = yield* Raw.connect(tcp)
      yield* c.send("CAP REQ :twitch.tv/tags twitch.tv/bogus")
      assert.strictEqual(
        yield* c.next(Raw.is("CAP")),
        ":tmi.twitch.tv CAP * NAK :twitch.tv/tags twitch.tv/bogus"
      )
      yield* c.send("CAP LIST")
      assert.strictEqual(yield* c.next(Raw.is("CAP")), ":tmi.twitch.tv CAP * LIST :")
    }))

  it.scopedLive("anonymous justinfan logs in with any PASS or none, without GLOBALUSERSTATE", () =>
    Effect.gen(function*() {
      const { server, tcp } = yield* setup()
      const a = yield* Raw.connect(tcp)
      yield* login(a, "justinfan12345", undefined)
      const b = yield* Raw.connect(tcp)
      yield* b.send(`CAP REQ :${ALL_CAPS}`, "PASS SCHMOOPIIE", "NICK justinfan4242")
      yield* b.next(Raw.is("376"))
      assert.strictEqual(a.matching(Raw.is("GLOBALUSERSTATE")).length, 0)
      const info = yield* server.control.connections
      assert.deepStrictEqual(info.map((i) => i.anonymous), [true, true])
    }))

  it.scopedLive("refuses a bad token, another user's token and a token without chat:read, then closes", () =>
    Effect.gen(function*() {
      const { server, tcp, world } = yield* setup()
      const readless = yield* world.issueToken({
        clientId: World.defaultClientId,
        userId: World.defaultUserId,
        scopes: ["chat:edit"]
      })
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["nosuchtoken000000000000000000", World.defaultUserLogin],
        [World.secondUserToken, World.defaultUserLogin],
        [World.expiredUserToken, World.defaultUserLogin],
        [World.appToken, World.defaultUserLogin],
        [readless.value, World.defaultUserLogin]
      ]
      for (const [token, nick] of cases) {
        const c = yield* Raw.connect(tcp)
        yield* c.send(`PASS oauth:${token}`, `NICK ${nick}`)
        assert.strictEqual(
          yield* c.next(Raw.is("NOTICE")),
          ":tmi.twitch.tv NOTICE * :Login authentication failed"
        )
        yield* c.closed()
        assert.strictEqual(c.matching(Raw.is("001")).length, 0)
      }
      assert.strictEqual((yield* server.control.counters).loginFailures, cases.length)
    }))

  it.scopedLive("NICK before PASS or a PASS without oauth: is improperly formatted auth", () =>
    Effect.gen(function*() {
      const { tcp } = yield* setup()
      const a = yield* Raw.connect(tcp)
      yield* a.send(`NICK ${World.defaultUserLogin}`, `PASS oauth:${World.defaultUserToken}`)
      assert.strictEqual(
        yield* a.next(Raw.is("NOTICE")),
        ":tmi.twitch.tv NOTICE * :Improperly formatted auth"
      )
      yield* a.closed()
      const b = yield* Raw.connect(tcp)
      yield* b.send(`PASS ${World.defaultUserToken}`, `NICK ${World.defaultUserLogin}`)
      assert.strictEqual(
        yield* b.next(Raw.is("NOTICE")),
        ":tmi.twitch.tv NOTICE * :Improperly formatted auth"
      )
      yield* b.closed()
    }))

  it.scopedLive("answers an unknown command with 421 and PING with PONG", () =>
    Effect.gen(function*() {
      const { server } = yield* setup()
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* c.send("FOO bar", "PING :hello there")
      assert.strictEqual(yield* c.next(Raw.is("421")), ":tmi.twitch.tv 421 twitcher FOO :Unknown command")
      assert.strictEqual(yield* c.next(Raw.is("PONG")), ":tmi.twitch.tv PONG tmi.twitch.tv :hello there")
    }))
})

describe("IrcServer bad input", () => {
  it.scopedLive("garbage lines, huge lines and binary frames are skipped; the connection keeps working", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup()
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* c.sendText(
        "@\r\n:\r\n\r\n   \r\n@a=b\r\n\u0000\u0001\r\nPRIVMSG\r\nPRIVMSG #\r\nJOIN\r\nPART\r\n"
      )
      yield* c.sendText("x".repeat(3_000_000))
      yield* c.sendText("\r\nPRIVMSG nochannel :hi\r\nPING :alive\r\n")
      assert.strictEqual(yield* c.next(Raw.is("PONG")), ":tmi.twitch.tv PONG tmi.twitch.tv :alive")
      yield* joined(c, live[0])
      const ws = yield* Raw.connect({ _tag: "ws", url: server.wsUrl })
      yield* ws.sendText("\r\n\r\n")
      yield* ws.send("NICK justinfan3", "PING :ws")
      yield* ws.next(Raw.is("PONG"))
      assert.strictEqual((yield* server.control.counters).privmsgsAccepted, 0)
    }))
})

describe("IrcServer JOIN", () => {
  it.scopedLive("JOIN answers JOIN, 353, 366, USERSTATE, ROOMSTATE with full tags", () =>
    Effect.gen(function*() {
      const { server, world } = yield* setup()
      const c = yield* user(server, World.secondUserLogin, World.secondUserToken)
      yield* c.send(`JOIN #${World.defaultUserLogin}`)
      yield* c.next(Raw.is("ROOMSTATE"))
      const after = c.lines.slice(c.lines.findIndex(Raw.is("JOIN")))
      assert.strictEqual(after[0], ":twitcherbot!twitcherbot@twitcherbot.tmi.twitch.tv JOIN #twitcher")
      assert.strictEqual(after[1], ":twitcherbot.tmi.twitch.tv 353 twitcherbot = #twitcher :twitcherbot")
      assert.strictEqual(after[2], ":twitcherbot.tmi.twitch.tv 366 twitcherbot #twitcher :End of /NAMES list")
      assert.strictEqual(Raw.commandOf(after[3]), "USERSTATE")
      const us = Raw.tagsOf(after[3])
      // twitcherbot moderates twitcher's channel and subscribes for 14 months (tier 1).
      assert.strictEqual(us.badges, "moderator/1,subscriber/12")
      assert.strictEqual(us["badge-info"], "subscriber/14")
      assert.strictEqual(us.mod, "1")
      assert.strictEqual(us.subscriber, "1")
      assert.strictEqual(us["user-type"], "mod")
      assert.strictEqual(us["display-name"], "TwitcherBot")
      assert.isDefined(us["emote-sets"])
      assert.strictEqual(Raw.commandOf(after[4]), "ROOMSTATE")
      assert.deepStrictEqual(Raw.tagsOf(after[4]), {
        "emote-only": "0",
        "followers-only": "-1",
        r9k: "0",
        "room-id": World.defaultUserId,
        slow: "0",
        "subs-only": "0"
      })
      // The world now lists the chatter.
      const chatters = yield* world.chatters(World.defaultUserId)
      assert.isTrue(chatters.some((u) => u.login === World.secondUserLogin))
    }))

  it.scopedLive("comma lists, nonexistent channels dropped, suspended channel NOTICE, PART", () =>
    Effect.gen(function*() {
      const { live, server, suspended } = yield* setup()
      const c = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* c.send(`JOIN #${live[0]},#nosuchchannel000,#${suspended[0]},#${live[1]}`)
      yield* c.count(Raw.is("ROOMSTATE"), 2)
      const notice = yield* c.next(Raw.is("NOTICE"))
      assert.strictEqual(
        notice,
        `@msg-id=msg_channel_suspended :tmi.twitch.tv NOTICE #${
          suspended[0]
        } :This channel does not exist or has been suspended.`
      )
      assert.deepStrictEqual(c.matching(Raw.is("JOIN")).map((l) => l.split(" ").pop()), [
        `#${live[0]}`,
        `#${live[1]}`
      ])
      yield* c.send(`PART #${live[0]}`)
      assert.strictEqual(
        yield* c.next(Raw.is("PART")),
        `:twitcher!twitcher@twitcher.tmi.twitch.tv PART #${live[0]}`
      )
      const info = yield* server.control.connections
      assert.deepStrictEqual(info[0].channels, [live[1]])
    }))

  it.scopedLive("without tags the lines carry none; without commands no USERSTATE/ROOMSTATE", () =>
    Effect.gen(function*() {
      const { live, tcp } = yield* setup()
      const c = yield* Raw.connect(tcp)
      yield* login(c, World.defaultUserLogin, World.defaultUserToken, null)
      yield* c.send(`JOIN #${live[0]}`)
      yield* c.next(Raw.is("366"))
      yield* c.send("PING :x")
      yield* c.next(Raw.is("PONG"))
      assert.deepStrictEqual(c.matching((l) => l.startsWith("@")), [])
      assert.strictEqual(c.matching(Raw.is("ROOMSTATE")).length, 0)
      assert.strictEqual(c.matching(Raw.is("GLOBALUSERSTATE")).length, 0)
      const d = yield* Raw.connect(tcp)
      yield* login(d, World.secondUserLogin, World.secondUserToken, "twitch.tv/commands")
      yield* d.send(`JOIN #${live[0]}`)
      const rs = yield* d.next(Raw.is("ROOMSTATE"))
      assert.strictEqual(rs, `:tmi.twitch.tv ROOMSTATE #${live[0]}`)
    }))

  it.scopedLive("membership: others' JOIN and PART, NAMES lists the chatters", () =>
    Effect.gen(function*() {
      const { offline, server } = yield* setup()
      const ch = offline[0]
      const a = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(a, ch)
      const b = yield* user(server, World.secondUserLogin, World.secondUserToken)
      yield* joined(b, ch)
      assert.strictEqual(
        yield* a.next((l) => Raw.is("JOIN")(l) && l.startsWith(":twitcherbot!")),
        `:twitcherbot!twitcherbot@twitcherbot.tmi.twitch.tv JOIN #${ch}`
      )
      assert.strictEqual(
        b.matching(Raw.is("353"))[0],
        `:twitcherbot.tmi.twitch.tv 353 twitcherbot = #${ch} :twitcherbot twitcher`
      )
      yield* b.send(`PART #${ch}`)
      assert.strictEqual(
        yield* a.next((l) => Raw.is("PART")(l)),
        `:twitcherbot!twitcherbot@twitcherbot.tmi.twitch.tv PART #${ch}`
      )
    }))
})

describe("IrcServer PRIVMSG", () => {
  it.scopedLive("relays to the other clients with full tags, USERSTATE with id to the sender, no echo", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup()
      const ch = live[3]
      const viewer = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(viewer, ch)
      const anon = yield* user(server, "justinfan777", undefined)
      yield* joined(anon, ch)
      const bot = yield* user(server, World.secondUserLogin, World.secondUserToken)
      yield* joined(bot, ch)
      yield* bot.send(`PRIVMSG #${ch} :😂 Kappa hello LUL`)
      const got = yield* viewer.next(Raw.is("PRIVMSG"))
      yield* anon.next(Raw.is("PRIVMSG"))
      const tags = Raw.tagsOf(got)
      assert.isTrue(
        got.endsWith(`:twitcherbot!twitcherbot@twitcherbot.tmi.twitch.tv PRIVMSG #${ch} :😂 Kappa hello LUL`)
      )
      assert.deepStrictEqual(Object.keys(tags), [...Object.keys(tags)].sort())
      for (
        const k of [
          "badge-info",
          "badges",
          "color",
          "display-name",
          "emotes",
          "first-msg",
          "flags",
          "id",
          "mod",
          "returning-chatter",
          "room-id",
          "subscriber",
          "tmi-sent-ts",
          "turbo",
          "user-id",
          "user-type"
        ]
      ) assert.property(tags, k)
      // Code points: the emoji is one, so Kappa is 2-6 and LUL 14-16.
      assert.strictEqual(tags.emotes, "25:2-6/425618:14-16")
      assert.strictEqual(tags.badges, "moderator/1")
      assert.strictEqual(tags.mod, "1")
      assert.strictEqual(tags["user-id"], World.secondUserId)
      assert.strictEqual(tags["first-msg"], "1")
      assert.match(tags.id, /^[0-9a-f-]{36}$/)
      const us = yield* bot.next((l) => Raw.is("USERSTATE")(l) && Raw.tagsOf(l).id !== undefined)
      assert.strictEqual(Raw.tagsOf(us).id, tags.id)
      assert.strictEqual(bot.matching(Raw.is("PRIVMSG")).length, 0)
      const received = yield* server.control.awaitPrivmsgs(ch, 1)
      assert.strictEqual(received[0].id, tags.id)
      assert.strictEqual((yield* server.control.counters).privmsgsAccepted, 1)
    }))

  it.scopedLive("replies get reply-parent tags; /me becomes ACTION; anonymous cannot send", () =>
    Effect.gen(function*() {
      const { live, server } = yield* setup({ limits: { channelIntervalMs: 0 } })
      const ch = live[4]
      const viewer = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(viewer, ch)
      const bot = yield* user(server, World.secondUserLogin, World.secondUserToken)
      yield* joined(bot, ch)
      const posted = yield* server.control.postMessage({
        channel: ch,
        login: World.defaultUserLogin,
        text: "parent text"
      })
      const parent = yield* bot.next(Raw.is("PRIVMSG"))
      assert.strictEqual(Raw.tagsOf(parent).id, posted.id)
      assert.strictEqual(Raw.tagsOf(yield* viewer.next(Raw.is("PRIVMSG"))).id, posted.id)
      yield* bot.send(`@reply-parent-msg-id=${posted.id} PRIVMSG #${ch} :@twitcher answer`)
      const reply = Raw.tagsOf(yield* viewer.next(Raw.is("PRIVMSG")))
      assert.strictEqual(reply["reply-parent-msg-id"], posted.id)
      assert.strictEqual(reply["reply-parent-msg-body"], "parent text")
      assert.strictEqual(reply["reply-parent-user-login"], "twitcher")
      assert.strictEqual(reply["reply-parent-display-name"], "Twitcher")
      assert.strictEqual(reply["reply-parent-user-id"], World.defaultUserId)
      assert.strictEqual(reply["reply-thread-parent-msg-id"], posted.id)
      yield* bot.send(`PRIVMSG #${ch} :/me waves Kappa`)
      const action = yield* viewer.next(Raw.is("PRIVMSG"))
      assert.isTrue(action.endsWith(`PRIVMSG #${ch} :\x01ACTION waves Kappa\x01`))
      assert.strictEqual(Raw.tagsOf(action).emotes, "25:6-10")
      const anon = yield* user(server, "justinfan1", undefined)
      yield* joined(anon, ch)
      yield* anon.send(`PRIVMSG #${ch} :hi`)
      yield* anon.send("PING :sync")
      yield* anon.next(Raw.is("PONG"))
      assert.strictEqual((yield* server.control.counters).violations.anonymousSend, 1)
      assert.strictEqual((yield* server.control.received(ch)).length, 2)
    }))

  it.scopedLive("setRole sends a fresh USERSTATE with the new badges; USERNOTICE, CLEARCHAT, CLEARMSG reach clients", () =>
    Effect.gen(function*() {
      const { offline, server } = yield* setup()
      const ch = offline[0]
      const viewer = yield* user(server, World.defaultUserLogin, World.defaultUserToken)
      yield* joined(viewer, ch)
      yield* server.control.setRole({
        channel: ch,
        login: World.defaultUserLogin,
        role: "moderator",
        enabled: true
      })
      const fresh = yield* viewer.next((l) => Raw.is("USERSTATE")(l) && Raw.tagsOf(l).mod === "1")
      assert.strictEqual(Raw.tagsOf(fresh).badges, "moderator/1")
      yield* server.control.setRole({
        channel: ch,
        login: World.defaultUserLogin,
        role: "moderator",
        enabled: false
      })
      yield* viewer.next((l) => Raw.is("USERSTATE")(l) && Raw.tagsOf(l).mod === "0" && l !== viewer.lines[0])
      const line = yield* server.control.sendUserNotice({
        channel: ch,
        msgId: "resub",
        login: World.secondUserLogin,
        systemMsg: "TwitcherBot subscribed at Tier 1. They've subscribed for 3 months!",
        params: { "cumulative-months": "3", "sub-plan": "1000" },
        text: "hi Kappa"
      })
      const un = yield* viewer.next(Raw.is("USERNOTICE"))
      assert.strictEqual(un, line)
      assert.include(
        un,
        "system-msg=TwitcherBot\\ssubscribed\\sat\\sTier\\s1.\\sThey've\\ssubscribed\\sfor\\s3\\smonths!"
      )
      assert.strictEqual(Raw.tagsOf(un)["msg-param-cumulative-months"], "3")
      yield* server.control.ban({ channel: ch, login: World.secondUserLogin, seconds: 60 })
      const cc = yield* viewer.next(Raw.is("CLEARCHAT"))
      assert.strictEqual(Raw.tagsOf(cc)["ban-duration"], "60")
      assert.isTrue(cc.endsWith(`CLEARCHAT #${ch} :twitcherbot`))
      const posted = yield* server.control.postMessage({
        channel: ch,
        login: World.secondUserLogin,
        text: "oops"
      })
      yield* server.control.deleteMessage(ch, posted.id)
      const cm = yield* viewer.next(Raw.is("CLEARMSG"))
      assert.strictEqual(Raw.tagsOf(cm)["target-msg-id"], posted.id)
      assert.isTrue(cm.endsWith(`CLEARMSG #${ch} :oops`))
    }))
})
