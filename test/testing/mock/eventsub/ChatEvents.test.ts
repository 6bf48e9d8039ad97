import { assert, describe, it } from "@effect/vitest"
import * as ChatEvents from "../../../../src/testing/mock/eventsub/ChatEvents.js"
import * as Message from "../../../../src/testing/mock/irc/Message.js"
import type * as World from "../../../../src/testing/mock/World.js"

const user = (id: string, login: string): World.User => ({
  id,
  login,
  displayName: login.toUpperCase(),
  type: "",
  broadcasterType: "",
  description: "",
  profileImageUrl: "",
  offlineImageUrl: "",
  createdAt: "2020-01-01T00:00:00Z",
  email: "",
  chatColor: ""
})

const users = [user("1", "alice"), user("2", "bob")]

const lookups: ChatEvents.Lookups = {
  userByLogin: (login) => users.find((u) => u.login === login),
  userById: (id) => users.find((u) => u.id === id),
  emote: (id) =>
    id === "25"
      ? { id, name: "Kappa", ownerId: "0", setId: "0", type: "globals", formats: ["static"] }
      : undefined,
  time: (ms) => new Date(ms).toISOString(),
  sentWithHelix: (id) => id === "helix-1"
}

const none = { cheermote: null, emote: null, mention: null }

describe("ChatEvents", () => {
  it("fragments: emote positions in code points, mentions of known users, cheermotes when there are bits", () => {
    const text = "👋 Kappa @alice @nobody Cheer100 x"
    assert.deepStrictEqual(ChatEvents.fragments(text, "25:2-6", true, lookups), [
      { type: "text", text: "👋 ", ...none },
      {
        type: "emote",
        text: "Kappa",
        ...none,
        emote: { id: "25", emote_set_id: "0", owner_id: "0", format: ["static"] }
      },
      { type: "text", text: " ", ...none },
      {
        type: "mention",
        text: "@alice",
        ...none,
        mention: { user_id: "1", user_login: "alice", user_name: "ALICE" }
      },
      { type: "text", text: " @nobody ", ...none },
      { type: "cheermote", text: "Cheer100", ...none, cheermote: { prefix: "cheer", bits: 100, tier: 100 } },
      { type: "text", text: " x", ...none }
    ])
    assert.deepStrictEqual(ChatEvents.fragments("Cheer100", "", false, lookups), [{
      type: "text",
      text: "Cheer100",
      ...none
    }])
    assert.deepStrictEqual(ChatEvents.fragments("hi", "25:5-9", false, lookups), [{
      type: "text",
      text: "hi",
      ...none
    }])
  })

  it("badges take their info from badge-info", () => {
    assert.deepStrictEqual(ChatEvents.badges("moderator/1,subscriber/12", "subscriber/14"), [
      { set_id: "moderator", id: "1", info: "" },
      { set_id: "subscriber", id: "12", info: "14" }
    ])
    assert.deepStrictEqual(ChatEvents.badges("", ""), [])
  })

  it("a PRIVMSG with bits is a chat message and a cheer; /me keeps its ACTION in the text (as Twitch's does), not in the fragments", () => {
    const line = Message.parse(
      "@badge-info=;badges=;bits=100;color=#FF0000;display-name=Bob;emotes=;id=m1;room-id=1;user-id=2 " +
        ":bob!bob@bob.tmi.twitch.tv PRIVMSG #alice :\u0001ACTION Cheer100 wow\u0001"
    )
    assert.isDefined(line)
    if (line === undefined) return
    const [message, cheer] = ChatEvents.emissions(line, lookups)
    assert.strictEqual(message.type, "channel.chat.message")
    assert.deepStrictEqual(message.condition, { broadcaster_user_id: "1" })
    assert.include(message.event, { chatter_user_login: "bob", message_id: "m1", color: "#FF0000" })
    assert.deepStrictEqual(message.event.cheer, { bits: 100 })
    const body = message.event.message as { text: string; fragments: ReadonlyArray<{ text: string }> }
    assert.strictEqual(body.text, "\u0001ACTION Cheer100 wow\u0001")
    assert.strictEqual(body.fragments.map((f) => f.text).join(""), "Cheer100 wow")
    assert.strictEqual(cheer.type, "channel.cheer")
    assert.include(cheer.event, { bits: 100, user_id: "2", is_anonymous: false })
  })

  it("a PRIVMSG of a message sent with Send Chat Message is left to the world feed", () => {
    const line = Message.parse(
      "@badges=;display-name=Bob;id=helix-1;room-id=1;user-id=2 :bob!bob@bob.tmi.twitch.tv PRIVMSG #alice :hi"
    )
    if (line === undefined) return assert.fail("unparsed")
    assert.deepStrictEqual(ChatEvents.emissions(line, lookups), [])
  })

  it("a message sent with Send Chat Message: the sender's badges, and the Chat Bot badge with an app token", () => {
    const sent = (chatBot: boolean) =>
      ChatEvents.helixMessage({
        message: {
          id: "h2",
          broadcasterId: "1",
          senderId: "2",
          text: "hi @alice Kappa",
          replyParentMessageId: "",
          sentAt: "2020-01-01T00:00:00Z",
          dropReason: "",
          chatBot
        },
        sender: users[1],
        broadcaster: users[0],
        badges: "moderator/1",
        badgeInfo: "",
        color: "#00FF00",
        emotes: "25:10-14",
        parent: undefined
      }, lookups)
    const bot = sent(true)
    assert.strictEqual(bot.type, "channel.chat.message")
    assert.include(bot.event, {
      message_id: "h2",
      chatter_user_login: "bob",
      broadcaster_user_login: "alice"
    })
    assert.deepStrictEqual(bot.event.badges, [
      { set_id: "moderator", id: "1", info: "" },
      { set_id: "bot-badge", id: "1", info: "" }
    ])
    const fragments = (bot.event.message as { fragments: ReadonlyArray<{ type: string }> }).fragments
    assert.deepStrictEqual(fragments.map((f) => f.type), ["text", "mention", "text", "emote"])
    assert.deepStrictEqual(sent(false).event.badges, [{ set_id: "moderator", id: "1", info: "" }])
    assert.isNull(bot.event.reply)
  })

  it("USERNOTICE raid is a chat notification and a channel.raid to the room", () => {
    const line = Message.parse(
      "@display-name=Bob;id=n1;login=bob;msg-id=raid;msg-param-login=bob;msg-param-viewerCount=42;" +
        "msg-param-profileImageURL=https://x/y.png;room-id=1;system-msg=42\\sraiders;user-id=2 :tmi.twitch.tv USERNOTICE #alice"
    )
    if (line === undefined) return assert.fail("unparsed")
    const [notice, raid] = ChatEvents.emissions(line, lookups)
    assert.strictEqual(notice.event.notice_type, "raid")
    assert.include(notice.event.raid, { viewer_count: 42, user_login: "bob" })
    assert.strictEqual(notice.event.system_message, "42 raiders")
    assert.deepStrictEqual(raid.condition, { to_broadcaster_user_id: "1", from_broadcaster_user_id: "2" })
    assert.strictEqual(raid.event.viewers, 42)
    assert.strictEqual(
      ChatEvents.roomOf("channel.raid", { to_broadcaster_user_id: "1", from_broadcaster_user_id: "" }),
      "1"
    )
    assert.isUndefined(ChatEvents.roomOf("stream.online", { broadcaster_user_id: "1" }))
  })
})
