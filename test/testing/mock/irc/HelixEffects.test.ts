/**
 * Helix writes as IRC clients in the room see them, through the library's ChatClient connected to
 * the mock: CLEARCHAT for bans, timeouts and cleared chats, CLEARMSG for deleted messages,
 * ROOMSTATE for chat settings, PRIVMSG for Send Chat Message, USERNOTICE for announcements,
 * WHISPER for whispers, and the color and badges of later messages.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import type { SendOutcome } from "../../../../src/chat/SendOutcome.js"
import {
  type Account,
  type Chat,
  connect,
  first,
  helix,
  is,
  type Mock,
  newViewer,
  owner,
  withMock
} from "./harness.js"

/** Sends a message through Helix as `account` in `channel`; returns Twitch's answer item. */
const send = (mock: Mock, account: Account, channel: string, message: string, extra: object = {}) =>
  Effect.map(
    helix(mock, account, "POST", "/chat/messages", {
      broadcaster_id: channel,
      sender_id: account.id,
      message,
      ...extra
    }),
    first
  )

/**
 * Waits until the IRC server has followed every world event so far: the owner sends a marker
 * through Helix and `watcher` waits for it (the server follows events in order).
 */
const settled = (mock: Mock, watcher: Chat, marker: string) =>
  Effect.gen(function*() {
    const o = owner(mock)
    yield* send(mock, o, o.id, marker)
    yield* watcher.next(is("Privmsg", (m) => m.text === marker))
  })

const sentOf = (outcome: SendOutcome) => {
  assert(outcome._tag === "Sent", `expected Sent, got ${outcome._tag}`)
  return outcome
}

const refusal = (outcome: SendOutcome) => {
  assert(outcome._tag === "Refused", `expected Refused, got ${outcome._tag}`)
  return outcome.reason
}

/** The owner's and a new viewer's clients, both in the owner's channel. */
const room = (mock: Mock, login: string) =>
  Effect.gen(function*() {
    const o = owner(mock)
    const v = yield* newViewer(mock, login)
    return { o, v, watcher: yield* connect(mock, o, o.login), viewer: yield* connect(mock, v, o.login) }
  })

describe("mock IRC: Helix writes seen by IRC clients", () => {
  it.live("a ban is CLEARCHAT with the user and refuses their messages; unban lifts it; a timeout has its duration", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { o, v, viewer, watcher } = yield* room(mock, "bannedviewer")
        const bans = `/moderation/bans?broadcaster_id=${o.id}&moderator_id=${o.id}`
        expect((yield* helix(mock, o, "POST", bans, { data: { user_id: v.id, reason: "spam" } })).status)
          .toBe(200)
        const clear = yield* watcher.next(is("ClearChat"))
        expect(clear.channel).toBe(o.login)
        expect(clear.roomId).toBe(o.id)
        expect(clear.targetLogin).toEqual(Option.some(v.login))
        expect(clear.targetUserId).toEqual(Option.some(v.id))
        expect(clear.banDuration).toEqual(Option.none())
        expect(Option.isSome(clear.sentAt)).toBe(true)
        // The banned user's own connection gets it too, and their messages are refused.
        yield* viewer.next(is("ClearChat"))
        expect(refusal(yield* viewer.chat.say(o.login, "let me talk"))).toBe("msg_banned")

        expect((yield* helix(mock, o, "DELETE", `${bans}&user_id=${v.id}`)).status).toBe(204)
        yield* settled(mock, watcher, "unbanned")
        const back = sentOf(yield* viewer.chat.say(o.login, "thanks"))
        expect((yield* watcher.next(is("Privmsg"))).id).toBe(back.id)

        yield* helix(mock, o, "POST", bans, { data: { user_id: v.id, duration: 600, reason: "calm down" } })
        const timeout = yield* watcher.next(is("ClearChat"))
        expect(timeout.targetUserId).toEqual(Option.some(v.id))
        expect(timeout.banDuration).toEqual(Option.some(600))
        yield* viewer.next(is("ClearChat"))
        expect(refusal(yield* viewer.chat.say(o.login, "still here"))).toBe("msg_timedout")
      })
    ))

  // On the TestClock: the timeout ends when the clock says so.
  it.scoped("a timeout refuses the user's messages until it ends", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { o, v, viewer } = yield* room(mock, "timedviewer")
        const bans = `/moderation/bans?broadcaster_id=${o.id}&moderator_id=${o.id}`
        yield* helix(mock, o, "POST", bans, { data: { user_id: v.id, duration: 10, reason: "wait" } })
        expect((yield* viewer.next(is("ClearChat"))).banDuration).toEqual(Option.some(10))
        expect(refusal(yield* viewer.chat.say(o.login, "too soon"))).toBe("msg_timedout")
        yield* TestClock.adjust("9 seconds")
        expect(refusal(yield* viewer.chat.say(o.login, "still too soon"))).toBe("msg_timedout")
        yield* TestClock.adjust("1 second")
        sentOf(yield* viewer.chat.say(o.login, "free again"))
      })
    ))

  it.live("deleting a message is CLEARMSG (IRC and API messages alike); clearing the chat is CLEARCHAT without a user", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { o, v, viewer, watcher } = yield* room(mock, "deletedviewer")
        const moderation = `/moderation/chat?broadcaster_id=${o.id}&moderator_id=${o.id}`
        const said = sentOf(yield* viewer.chat.say(o.login, "delete me"))
        yield* watcher.next(is("Privmsg", (m) => m.id === said.id))
        expect((yield* helix(mock, o, "DELETE", `${moderation}&message_id=${said.id}`)).status).toBe(204)
        const deleted = yield* watcher.next(is("ClearMsg"))
        expect(deleted).toMatchObject({
          channel: o.login,
          login: v.login,
          roomId: o.id,
          targetMsgId: said.id,
          text: Option.some("delete me")
        })

        const api = yield* send(mock, v, o.id, "sent through the API")
        yield* watcher.next(is("Privmsg", (m) => m.id === api["message_id"]))
        yield* helix(mock, o, "DELETE", `${moderation}&message_id=${api["message_id"]}`)
        expect((yield* watcher.next(is("ClearMsg"))).targetMsgId).toBe(api["message_id"])

        expect((yield* helix(mock, o, "DELETE", moderation)).status).toBe(204)
        const cleared = yield* watcher.next(is("ClearChat"))
        expect(cleared.targetLogin).toEqual(Option.none())
        expect(cleared.targetUserId).toEqual(Option.none())
        expect(cleared.banDuration).toEqual(Option.none())
        expect(cleared.roomId).toBe(o.id)
      })
    ))

  // On the TestClock: slow mode's wait is the point.
  it.scoped("chat settings are ROOMSTATE with only the changed tags; slow mode holds the next message back", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { o, v, watcher } = yield* room(mock, "slowviewer")
        const settings = `/chat/settings?broadcaster_id=${o.id}&moderator_id=${o.id}`
        yield* helix(mock, o, "PATCH", settings, { slow_mode: true, slow_mode_wait_time: 10 })
        // The first ROOMSTATE after the JOIN's full one.
        const slow = yield* watcher.next(is("RoomState", (m) => Option.isNone(m.r9k)))
        expect(slow.slow).toEqual(Option.some(10))
        expect([slow.emoteOnly, slow.followersOnly, slow.r9k, slow.subsOnly]).toEqual([
          Option.none(),
          Option.none(),
          Option.none(),
          Option.none()
        ])
        expect((yield* send(mock, v, o.id, "one"))["is_sent"]).toBe(true)
        const held = yield* send(mock, v, o.id, "two")
        expect(held).toMatchObject({ is_sent: false, drop_reason: { code: "msg_slowmode" } })
        yield* TestClock.adjust("10 seconds")
        expect((yield* send(mock, v, o.id, "three"))["is_sent"]).toBe(true)
        // What IRC shows: one, then three (two was dropped).
        expect((yield* watcher.next(is("Privmsg"))).text).toBe("one")
        expect((yield* watcher.next(is("Privmsg"))).text).toBe("three")

        yield* helix(mock, o, "PATCH", settings, { slow_mode: false, emote_mode: true })
        const off = yield* watcher.next(is("RoomState", (m) => Option.isNone(m.r9k)))
        expect([off.slow, off.emoteOnly, off.subsOnly]).toEqual([
          Option.some(0),
          Option.some(true),
          Option.none()
        ])
      })
    ))

  it.live("Send Chat Message is a PRIVMSG with the sender's tags and the API's id, for the sender's connection too", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { o, v, viewer, watcher } = yield* room(mock, "apiviewer")
        const sent = yield* send(mock, v, o.id, "hello from the API")
        expect(sent["is_sent"]).toBe(true)
        const seen = yield* watcher.next(is("Privmsg"))
        expect(seen).toMatchObject({
          id: sent["message_id"],
          channel: o.login,
          login: v.login,
          userId: v.id,
          roomId: o.id,
          text: "hello from the API",
          firstMessage: Option.some(true),
          mod: false
        })
        expect((yield* viewer.next(is("Privmsg"))).id).toBe(sent["message_id"])

        // Dropped: nothing on IRC; the owner's reply is the next message, with the parent's tags.
        const duplicate = yield* send(mock, v, o.id, "hello from the API")
        expect(duplicate).toMatchObject({ is_sent: false, drop_reason: { code: "msg_duplicate" } })
        const reply = yield* send(mock, o, o.id, "welcome!", { reply_parent_message_id: sent["message_id"] })
        const answer = yield* watcher.next(is("Privmsg"))
        expect(answer.id).toBe(reply["message_id"])
        expect(answer.badges.get("broadcaster")).toBe("1")
        expect(Option.map(answer.reply, (r) => [r.msgId, r.userLogin, r.body])).toEqual(
          Option.some([sent["message_id"], v.login, "hello from the API"])
        )

        // The limits are the account's: the same text over IRC right after is a duplicate.
        expect(refusal(yield* watcher.chat.say(o.login, "welcome!", { duplicates: "distinct" }))).toBe(
          "msg_duplicate"
        )
        const long = yield* helix(mock, v, "POST", "/chat/messages", {
          broadcaster_id: o.id,
          sender_id: v.id,
          message: "x".repeat(501)
        })
        expect(long.status).toBe(422)
      })
    ))

  it.live("an announcement is a USERNOTICE with msg-param-color; a shoutout shows nothing on IRC", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { o, watcher } = yield* room(mock, "announceviewer")
        const path = `/chat/announcements?broadcaster_id=${o.id}&moderator_id=${o.id}`
        expect(
          (yield* helix(mock, o, "POST", path, { message: "Stream in 5 Kappa", color: "purple" })).status
        ).toBe(
          204
        )
        const notice = yield* watcher.next(is("UserNotice"))
        expect(notice).toMatchObject({
          channel: o.login,
          kind: "announcement",
          login: o.login,
          userId: o.id,
          roomId: o.id,
          text: Option.some("Stream in 5 Kappa")
        })
        expect(notice.event).toEqual({ _tag: "Announcement", color: "PURPLE" })
        expect(notice.badges.get("broadcaster")).toBe("1")

        const target = (yield* mock.world.snapshot).users[5]
        const shoutout = yield* helix(
          mock,
          o,
          "POST",
          `/chat/shoutouts?from_broadcaster_id=${o.id}&to_broadcaster_id=${target.id}&moderator_id=${o.id}`
        )
        expect(shoutout.status).toBe(204)
        yield* send(mock, o, o.id, "after the shoutout")
        const next = yield* watcher.next((m) => m._tag === "UserNotice" || m._tag === "Privmsg")
        expect(next._tag === "Privmsg" && next.text).toBe("after the shoutout")
      }), { liveTokenUser: true }))

  it.live("a new chat color is in the user's later messages and USERSTATE", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { o, v, viewer, watcher } = yield* room(mock, "colorviewer")
        expect((yield* helix(mock, v, "PUT", `/chat/color?user_id=${v.id}&color=blue`)).status).toBe(204)
        yield* settled(mock, watcher, "color changed")
        const said = sentOf(yield* viewer.chat.say(o.login, "new color"))
        expect(said.message.color).toEqual(Option.some("#0000FF"))
        expect((yield* watcher.next(is("Privmsg", (m) => m.id === said.id))).color).toEqual(
          Option.some("#0000FF")
        )
        expect((yield* helix(mock, v, "PUT", `/chat/color?user_id=${v.id}&color=coral`)).status).toBe(204)
        const api = yield* send(mock, v, o.id, "through the API")
        expect((yield* watcher.next(is("Privmsg", (m) => m.id === api["message_id"]))).color).toEqual(
          Option.some("#FF7F50")
        )
      })
    ))

  it.live(
    "moderator and VIP changes are the badges of the user's later messages, with a fresh USERSTATE",
    () =>
      withMock((mock) =>
        Effect.gen(function*() {
          const { o, v, viewer, watcher } = yield* room(mock, "promotedviewer")
          const mods = `/moderation/moderators?broadcaster_id=${o.id}&user_id=${v.id}`
          const vips = `/channels/vips?broadcaster_id=${o.id}&user_id=${v.id}`
          const badgesOfNext = (text: string) =>
            Effect.gen(function*() {
              const said = sentOf(yield* viewer.chat.say(o.login, text))
              const seen = yield* watcher.next(is("Privmsg", (m) => m.id === said.id))
              return { badges: Object.fromEntries(seen.badges), mod: seen.mod, vip: seen.vip }
            })

          expect((yield* helix(mock, o, "POST", mods)).status).toBe(204)
          expect((yield* viewer.next(is("UserState", (m) => m.mod))).badges.get("moderator")).toBe("1")
          expect(yield* viewer.chat.isElevated(o.login)).toBe(true)
          expect(yield* badgesOfNext("as a moderator")).toEqual({
            badges: { moderator: "1" },
            mod: true,
            vip: false
          })

          expect((yield* helix(mock, o, "DELETE", mods)).status).toBe(204)
          yield* viewer.next(is("UserState", (m) => !m.mod))
          expect(yield* badgesOfNext("plain again")).toEqual({ badges: {}, mod: false, vip: false })

          expect((yield* helix(mock, o, "POST", vips)).status).toBe(204)
          yield* viewer.next(is("UserState", (m) => m.badges.has("vip")))
          expect(yield* badgesOfNext("as a VIP")).toEqual({ badges: { vip: "1" }, mod: false, vip: true })
        })
      ),
    { timeout: 20_000 }
  )

  it.live("a whisper is a WHISPER to the recipient's connection, numbered in its thread", () =>
    withMock((mock) =>
      Effect.gen(function*() {
        const { o, v, viewer } = yield* room(mock, "whisperedviewer")
        const path = `/whispers?from_user_id=${o.id}&to_user_id=${v.id}`
        expect((yield* helix(mock, o, "POST", path, { message: "psst Kappa" })).status).toBe(204)
        const whisper = yield* viewer.next(is("Whisper"))
        const [low, high] = Number(o.id) < Number(v.id) ? [o.id, v.id] : [v.id, o.id]
        expect(whisper).toMatchObject({
          login: o.login,
          userId: o.id,
          recipient: v.login,
          text: "psst Kappa",
          messageId: "1",
          threadId: `${low}_${high}`
        })
        expect(whisper.emotes.length).toBe(1)
        yield* helix(mock, o, "POST", path, { message: "again" })
        expect((yield* viewer.next(is("Whisper"))).messageId).toBe("2")
        expect((yield* mock.world.snapshot).whispers.filter((w) => w.toUserId === v.id).length).toBe(2)
      })
    ))
})
