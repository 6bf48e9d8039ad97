/**
 * The chat client over EventSub through its connection's life and the Chat Bot path, against the
 * mock's EventSub server: a `session_reconnect` and a dropped socket lose and double nothing (what
 * Twitch resends is dropped), and an app token sends with the Chat Bot badge where the
 * broadcaster allowed it and is refused by Helix where not.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type * as ChatClient from "../../../src/chat/ChatClient.js"
import type { TwitchMessage } from "../../../src/chat/TwitchMessage.js"
import * as World from "../../../src/testing/mock/World.js"
import * as MockTwitch from "../../../src/testing/MockTwitch.js"
import { bot, botToken, channel, chatScopes, client, irc, take, waitEvent, withMock } from "./eventsub.js"

const fromBroadcaster = (m: TwitchMessage) => m._tag === "Privmsg" && m.login === World.defaultUserLogin

const textOf = (m: TwitchMessage) => (m._tag === "Privmsg" ? m.text : m._tag)

const connected = (n: number) => (e: ChatClient.ConnectionEvent) =>
  e._tag === "Connected" && e.connection === n

describe("ChatClient over EventSub: reconnects and the Chat Bot", () => {
  it.scopedLive("session_reconnect and a dropped socket: every message once, in order; a resent copy dropped", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const control = irc(mock).control
        const eventSub = mock.eventSub.control
        const post = (text: string) => control.postMessage({ channel, login: World.defaultUserLogin, text })
        const chat = yield* client(yield* botToken(mock, chatScopes), { channels: [channel] })
        const seen = yield* Queue.unbounded<TwitchMessage>()
        yield* Effect.forkScoped(Stream.runForEach(chat.channel(channel), (m) => Queue.offer(seen, m)))
        const received: Array<string> = []
        /** The broadcaster's next message, recorded. */
        const next = Queue.take(seen).pipe(
          Effect.repeat({ until: fromBroadcaster }),
          Effect.map((m) => received.push(textOf(m))),
          Effect.timeoutFail({
            duration: "10 seconds",
            onTimeout: () => new Error(`after ${received.join(", ")}`)
          })
        )
        const first = yield* post("before")
        yield* next
        // Twitch asks for a reconnect: the new connection is opened before the old one closes.
        const handedOver = yield* Effect.fork(waitEvent(chat, connected(2)))
        yield* eventSub.sendReconnect()
        yield* post("during the handover")
        yield* Fiber.join(handedOver)
        yield* post("after the handover")
        yield* next
        yield* next
        // The socket is lost: the client connects again and creates its subscriptions anew; the
        // channel is joined again once they all are (what is said meanwhile, Twitch does not keep).
        const back = yield* Effect.fork(waitEvent(chat, connected(3)))
        const rejoined = yield* Effect.fork(
          waitEvent(chat, (e) => e._tag === "Joined" && e.channel === channel)
        )
        expect(yield* eventSub.drop({ code: "abrupt" })).toBeGreaterThanOrEqual(1)
        yield* Fiber.join(back)
        yield* Fiber.join(rejoined)
        // Twitch sends a message it already delivered again (a new notification, the same chat id).
        yield* eventSub.fire({
          type: "channel.chat.message",
          condition: { broadcaster_user_id: World.defaultUserId },
          event: { message_id: first.id, message: { text: "before", fragments: [] } }
        })
        yield* post("after the drop")
        yield* next
        expect(received).toEqual(["before", "during the handover", "after the handover", "after the drop"])
        yield* Effect.sleep("200 millis")
        expect((yield* Queue.takeAll(seen)).pipe(Chunk.filter(fromBroadcaster), Chunk.size)).toBe(0)
        const stats = yield* chat.stats
        expect(stats.reconnects).toBe(2)
        expect(stats.duplicates).toBeGreaterThanOrEqual(1)
        expect(yield* chat.state).toBe("Connected")
        expect(yield* chat.joined).toEqual([channel])
      })
    ))

  it.scopedLive("a revoked chat subscription: JoinFailed with Twitch's status, the channel is left", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const eventSub = mock.eventSub.control
        const chat = yield* client(yield* botToken(mock, chatScopes), { channels: [channel] })
        const [sub] = (yield* eventSub.subscriptions).filter((s) => s.type === "channel.chat.message")
        assert(sub !== undefined, "no channel.chat.message subscription")
        expect(yield* chat.joined).toEqual([channel])
        const failed = yield* Effect.fork(
          waitEvent(chat, (e) => e._tag === "JoinFailed" && e.channel === channel)
        )
        yield* eventSub.revoke(sub.id, "authorization_revoked")
        const event = yield* Fiber.join(failed)
        expect(event._tag === "JoinFailed" && event.error.message).toContain("authorization_revoked")
        yield* Effect.repeat(chat.joined, { until: (joined) => joined.length === 0 }).pipe(
          Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => new Error("still joined") })
        )
      })
    ))

  it.scopedLive("Chat Bot: an app token sends with the bot badge where allowed, Helix refuses it elsewhere", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const chat = yield* client(yield* botToken(mock, [...chatScopes, "user:bot"]), {
          appToken: Redacted.make(MockTwitch.credentials.appToken),
          channels: [channel]
        })
        const own = yield* Effect.fork(take(chat.channel(channel), 1, (m) => m._tag === "Privmsg"))
        // The broadcaster (the default user) granted channel:bot to the client.
        const sent = yield* chat.say(channel, "beep boop", { forSourceOnly: true })
        assert(sent._tag === "Sent", sent._tag)
        const [arrived] = yield* Fiber.join(own)
        assert(arrived._tag === "Privmsg")
        expect([arrived.id, arrived.login]).toEqual([sent.id, bot.login])
        expect(arrived.badges.get("bot-badge")).toBe("1")
        const kept = (yield* mock.world.snapshot).sentMessages.find((m) => m.id === sent.id)
        expect(kept).toMatchObject({ chatBot: true, forSourceOnly: true })
        // A broadcaster who did not grant channel:bot, where the bot is no moderator.
        const s = yield* mock.world.snapshot
        const granted = (id: string) =>
          s.tokens.some((t) =>
            t.clientId === mock.credentials.clientId && t.userId === id && t.scopes.includes("channel:bot")
          )
        const other = s.channels.find((c) =>
          !granted(c.broadcasterId) && c.broadcasterId !== bot.id && !c.moderators.includes(bot.id) &&
          !c.suspended
        )
        const login = s.users.find((u) => u.id === other?.broadcasterId)?.login
        if (login === undefined) return assert.fail("no channel without channel:bot")
        const refused = yield* chat.say(login, "beep")
        assert(refused._tag === "Refused", refused._tag)
        expect(refused.reason).toBe("http_403")
        expect(refused.notice).toContain("channel:bot")
      })
    ))
})
