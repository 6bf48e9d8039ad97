/**
 * The chat client over EventSub and Send Chat Message, against the mock's EventSub server and
 * Helix: what a room says arrives as the same message model, sends complete with the same
 * outcomes (sent, dropped by Twitch with its reason, refused by Helix), and what EventSub cannot
 * do fails at once.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import type { TwitchMessage } from "../../../src/chat/TwitchMessage.js"
import * as World from "../../../src/testing/mock/World.js"
import { bot, botToken, channel, chatScopes, client, irc, take, withMock } from "./eventsub.js"

const room = (m: TwitchMessage) => m._tag !== "Privmsg" || m.text !== "ignore"

describe("ChatClient over EventSub", () => {
  it.scopedLive("reads a channel: settings on join, messages, notices, clears, deletes, setting changes", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const control = irc(mock).control
        const chat = yield* client(yield* botToken(mock, chatScopes))
        expect(chat.login).toBe(bot.login)
        const reader = yield* Effect.fork(take(chat.channel(channel), 6, room))
        // Settings changes come from the world, not from the room's IRC traffic: read apart.
        const changes = yield* Effect.fork(take(chat.channel(channel), 2, (m) => m._tag === "RoomState"))
        yield* chat.join(channel)
        expect(yield* chat.joined).toEqual([channel])
        const posted = yield* control.postMessage({
          channel,
          login: World.defaultUserLogin,
          text: "hello Kappa"
        })
        yield* control.sendUserNotice({
          channel,
          msgId: "resub",
          login: World.defaultUserLogin,
          systemMsg: "Twitcher subscribed for 3 months",
          params: { "cumulative-months": "3", "sub-plan": "1000" },
          text: "three"
        })
        yield* control.ban({ channel, login: bot.login, seconds: 30 })
        yield* control.deleteMessage(channel, posted.id)
        yield* control.clearChat(channel)
        const got = yield* Fiber.join(reader)
        expect(got.map((m) => m._tag)).toEqual([
          "RoomState",
          "Privmsg",
          "UserNotice",
          "ClearChat",
          "ClearMsg",
          "ClearChat"
        ])
        yield* control.setRoomState(channel, { slow: 10 })
        const [, slow] = yield* Fiber.join(changes)
        const [settings, message, notice, timeout, deleted, clear] = got
        assert(settings._tag === "RoomState" && message._tag === "Privmsg" && notice._tag === "UserNotice")
        assert(timeout._tag === "ClearChat" && deleted._tag === "ClearMsg" && slow._tag === "RoomState")
        assert(clear._tag === "ClearChat")
        expect([settings.channel, settings.slow]).toEqual([channel, Option.some(0)])
        expect([message.id, message.login, message.text, message.channel]).toEqual([
          posted.id,
          World.defaultUserLogin,
          "hello Kappa",
          channel
        ])
        expect(message.badges.get("broadcaster")).toBe("1")
        expect(message.emotes.map((e) => e.name)).toEqual(["Kappa"])
        // What EventSub does not carry reads as absent.
        expect(message.firstMessage).toEqual(Option.none())
        expect([notice.kind, notice.text]).toEqual(["resub", Option.some("three")])
        expect(notice.event).toMatchObject({ _tag: "Resub", cumulativeMonths: 3 })
        expect([timeout.targetLogin, timeout.banDuration]).toEqual([Option.some(bot.login), Option.none()])
        expect([deleted.targetMsgId, deleted.text]).toEqual([posted.id, Option.none()])
        expect(slow.slow).toEqual(Option.some(10))
        expect(clear.targetLogin).toEqual(Option.none())
        expect(yield* chat.capabilities).toEqual([])
        expect(yield* chat.state).toBe("Connected")
      })
    ))

  it.scopedLive("sends: Sent (the message arrives once), dropped by Twitch (Refused with its drop reason)", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const chat = yield* client(yield* botToken(mock, chatScopes), { channels: [channel] })
        const own = yield* Effect.fork(take(chat.channel(channel), 2, (m) => m._tag === "Privmsg"))
        const sent = yield* chat.say(channel, "hello from the bot")
        assert(sent._tag === "Sent", sent._tag)
        expect([sent.message.login, sent.message.userId, sent.message.text, sent.message.channel]).toEqual([
          bot.login,
          bot.id,
          "hello from the bot",
          channel
        ])
        const reply = yield* chat.reply(channel, sent.id, "and a reply")
        assert(reply._tag === "Sent", reply._tag)
        const arrived = yield* Fiber.join(own)
        expect(arrived.map((m) => m._tag === "Privmsg" ? m.id : "")).toEqual([sent.id, reply.id])
        const echoed = arrived[1]
        assert(echoed._tag === "Privmsg")
        expect(Option.map(echoed.reply, (r) => [r.msgId, r.body])).toEqual(
          Option.some([sent.id, "hello from the bot"])
        )
        const kept = (yield* mock.world.snapshot).sentMessages.filter((m) => m.senderId === bot.id)
        expect(kept.map((m) => m.text)).toEqual(["hello from the bot", "and a reply"])
        // Timed out in the channel: Twitch drops the message and says why.
        yield* Effect.orDie(mock.world.ban({
          broadcasterId: World.defaultUserId,
          userId: bot.id,
          moderatorId: World.defaultUserId,
          reason: "test",
          durationSeconds: 60
        }))
        const dropped = yield* chat.say(channel, "let me talk")
        assert(dropped._tag === "Refused", dropped._tag)
        expect(dropped.reason).toBe("msg_timedout")
        expect(dropped.notice).toContain("timed out")
        expect(yield* chat.stats).toMatchObject({ sent: 2, refused: 1 })
      })
    ))

  it.scopedLive("a send Helix does not answer within sendTimeout is Unconfirmed when due; the next is sent", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const chat = yield* client(yield* botToken(mock, chatScopes), {
          channels: [channel],
          sendTimeout: "150 millis"
        })
        yield* mock.control.delay("1 second", { surface: "helix", times: 1 })
        const start = yield* Clock.currentTimeMillis
        const late = yield* chat.say(channel, "anyone there?")
        const took = (yield* Clock.currentTimeMillis) - start
        assert(late._tag === "Unconfirmed", late._tag)
        expect(late.reason).toBe("Timeout")
        expect(took).toBeGreaterThanOrEqual(150)
        expect(took).toBeLessThan(900)
        const next = yield* chat.say(channel, "and now?")
        assert(next._tag === "Sent", next._tag)
      })
    ))

  it.scopedLive("what Send Chat Message cannot do fails at once: /me, for_source_only with a user token, raw lines", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const chat = yield* client(yield* botToken(mock, chatScopes))
        const action = yield* Effect.flip(chat.me(channel, "waves"))
        expect(action).toMatchObject({ _tag: "ChatError", reason: "Unsupported" })
        const source = yield* Effect.flip(chat.say(channel, "only here", { forSourceOnly: true }))
        expect(source).toMatchObject({ _tag: "ChatError", reason: "Unsupported" })
        const raw = yield* Effect.flip(chat.sendRaw("PING :x"))
        expect(raw).toMatchObject({ _tag: "ChatError", reason: "Unsupported" })
        const privmsg = yield* chat.sendRaw(`PRIVMSG #${channel} :raw hello`)
        expect(privmsg._tag).toBe("Sent")
        expect((yield* mock.world.snapshot).sentMessages.map((m) => m.text)).toEqual(["raw hello"])
      })
    ))

  it.scopedLive("a token without user:read:chat, or an app token, is refused before anything is read", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const noScope = yield* Effect.flip(client(yield* botToken(mock, ["user:write:chat"])))
        expect(noScope).toMatchObject({
          _tag: "NotAuthorized",
          reason: "MissingScope",
          scope: "user:read:chat"
        })
        const user = yield* botToken(mock, chatScopes)
        const app = yield* Effect.flip(client({ ...user, kind: "app" }))
        expect(app).toMatchObject({ _tag: "NotAuthorized", reason: "WrongTokenKind" })
        const noWrite = yield* client(yield* botToken(mock, ["user:read:chat"]))
        const refused = yield* Effect.flip(noWrite.say(channel, "hi"))
        expect(refused).toMatchObject({ _tag: "NotAuthorized", scope: "user:write:chat" })
      })
    ))
})
