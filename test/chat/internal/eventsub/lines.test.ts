/**
 * EventSub chat events written as Twitch's IRC lines parse into the same message model, with what
 * EventSub lacks reading as absent.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Lines from "../../../../src/chat/internal/eventsub/lines.js"
import { parseTwitchLine, type TwitchMessage } from "../../../../src/chat/TwitchMessage.js"
import * as Events from "../../../../src/eventsub/generated/events.js"

const at = new Date(1_700_000_000_000)

const parsed = <T extends TwitchMessage["_tag"]>(
  line: string,
  tag: T
): Extract<TwitchMessage, { _tag: T }> => {
  const m = Either.getOrThrow(parseTwitchLine(line))
  if (m._tag !== tag) throw new Error(`${m._tag} is not ${tag}: ${line}`)
  return m as Extract<TwitchMessage, { _tag: T }>
}

const broadcaster = {
  broadcaster_user_id: "1",
  broadcaster_user_login: "alice",
  broadcaster_user_name: "Alice"
}

const message = (fields: Record<string, unknown>) =>
  Schema.decodeUnknownSync(Events.ChannelChatMessageV1)({
    ...broadcaster,
    chatter_user_id: "2",
    chatter_user_login: "bob",
    chatter_user_name: "Bob",
    message_id: "m-1",
    message: { text: "hi Kappa there", fragments: [] },
    message_type: "text",
    badges: [],
    cheer: null,
    color: "#FF0000",
    reply: null,
    channel_points_custom_reward_id: null,
    ...fields
  })

const fragment = (text: string, emote?: string) => ({
  type: emote === undefined ? "text" : "emote",
  text,
  cheermote: null,
  emote: emote === undefined ? null : { id: emote, emote_set_id: "0", owner_id: "0", format: ["static"] },
  mention: null
})

describe("EventSub chat as IRC lines", () => {
  it("channel.chat.message: sender, badges and roles from the badges, emotes in code points, no first-msg", () => {
    const m = parsed(
      Lines.privmsg(
        message({
          message: {
            text: "😀 hi Kappa Kappa",
            fragments: [fragment("😀 hi "), fragment("Kappa", "25"), fragment(" "), fragment("Kappa", "25")]
          },
          badges: [
            { set_id: "moderator", id: "1", info: "" },
            { set_id: "subscriber", id: "12", info: "14" }
          ],
          cheer: { bits: 100 },
          message_type: "channel_points_highlighted"
        }),
        at
      ),
      "Privmsg"
    )
    expect([m.channel, m.login, m.displayName, m.userId, m.roomId, m.id, m.text]).toEqual([
      "alice",
      "bob",
      "Bob",
      "2",
      "1",
      "m-1",
      "😀 hi Kappa Kappa"
    ])
    expect([...m.badges]).toEqual([["moderator", "1"], ["subscriber", "12"]])
    expect(m.badgeInfo.get("subscriber")).toBe("14")
    expect([m.mod, m.subscriber, m.vip, m.turbo, m.userType]).toEqual([true, true, false, false, "mod"])
    expect(m.emotes.map((e) => [e.id, e.name, e.start, e.end])).toEqual([["25", "Kappa", 5, 9], [
      "25",
      "Kappa",
      11,
      15
    ]])
    expect(m.bits).toEqual(Option.some(100))
    expect(m.color).toEqual(Option.some("#FF0000"))
    expect(m.msgId).toEqual(Option.some("highlighted-message"))
    expect(m.sentAt).toEqual(Option.some(at))
    expect(m.firstMessage).toEqual(Option.none())
    expect(m.returningChatter).toEqual(Option.none())
    expect(m.isAction).toBe(false)
  })

  it("a /me message (Twitch keeps the ACTION in the text), a reply, a shared-chat source, odd characters", () => {
    const m = parsed(
      Lines.privmsg(
        message({
          message: { text: "\u0001ACTION waves; \\ hi\u0001", fragments: [fragment("waves; \\ hi")] },
          reply: {
            parent_message_id: "p-1",
            parent_message_body: "hello; there",
            parent_user_id: "3",
            parent_user_name: "Carol",
            parent_user_login: "carol",
            thread_message_id: "t-1",
            thread_user_id: "4",
            thread_user_name: "Dave",
            thread_user_login: "dave"
          },
          source_broadcaster_user_id: "9",
          source_broadcaster_user_login: "zed",
          source_broadcaster_user_name: "Zed",
          source_message_id: "s-1",
          source_badges: [{ set_id: "vip", id: "1", info: "" }],
          is_source_only: true,
          color: ""
        }),
        at
      ),
      "Privmsg"
    )
    expect(m.isAction).toBe(true)
    expect(m.text).toBe("waves; \\ hi")
    expect(m.color).toEqual(Option.none())
    expect(m.reply).toEqual(Option.some({
      msgId: "p-1",
      userId: "3",
      userLogin: "carol",
      displayName: "Carol",
      body: "hello; there"
    }))
    expect(Option.map(m.thread, (t) => [t.msgId, t.userLogin])).toEqual(Option.some(["t-1", "dave"]))
    const source = Option.getOrThrow(m.sharedChat)
    expect([source.roomId, source.messageId, source.only, [...source.badges]]).toEqual(["9", "s-1", true, [[
      "vip",
      "1"
    ]]])
  })

  it("channel.chat.notification: subs, gifts, raids and shared-chat notices as USERNOTICE kinds", () => {
    const notice = (fields: Record<string, unknown>) =>
      Schema.decodeUnknownSync(Events.ChannelChatNotificationV1)({
        ...broadcaster,
        chatter_user_id: "2",
        chatter_user_login: "bob",
        chatter_user_name: "Bob",
        chatter_is_anonymous: false,
        color: "",
        badges: [],
        system_message: "Bob subscribed; nice",
        message_id: "n-1",
        message: { text: "", fragments: [] },
        ...fields
      })
    const resub = parsed(
      Lines.userNotice(
        notice({
          notice_type: "resub",
          message: { text: "3 months!", fragments: [fragment("3 months!")] },
          resub: {
            cumulative_months: 3,
            duration_months: 1,
            streak_months: 2,
            sub_tier: "1000",
            is_prime: false,
            is_gift: false
          }
        }),
        at
      ),
      "UserNotice"
    )
    expect([resub.kind, resub.login, resub.systemMessage, resub.text]).toEqual([
      "resub",
      "bob",
      "Bob subscribed; nice",
      Option.some("3 months!")
    ])
    expect(resub.event).toMatchObject({
      _tag: "Resub",
      cumulativeMonths: 3,
      plan: "1000",
      shouldShareStreak: true
    })
    const gift = parsed(
      Lines.userNotice(
        notice({
          notice_type: "community_sub_gift",
          community_sub_gift: { id: "g", total: 5, sub_tier: "2000", cumulative_total: 20 }
        }),
        at
      ),
      "UserNotice"
    )
    expect(gift.event).toEqual({
      _tag: "SubMysteryGift",
      count: 5,
      plan: "2000",
      senderCount: Option.some(20)
    })
    expect(gift.text).toEqual(Option.none())
    const raid = parsed(
      Lines.userNotice(
        notice({
          notice_type: "shared_chat_raid",
          source_broadcaster_user_id: "9",
          source_message_id: "s-2",
          shared_chat_raid: {
            user_id: "2",
            user_name: "Bob",
            user_login: "bob",
            viewer_count: 42,
            profile_image_url: "https://x/y.png"
          }
        }),
        at
      ),
      "UserNotice"
    )
    expect(raid.kind).toBe("sharedchatnotice")
    expect(raid.event).toMatchObject({
      _tag: "SharedChatNotice",
      sourceKind: "raid",
      sourceEvent: { _tag: "Raid", login: "bob", viewerCount: 42 }
    })
  })

  it("clear, clear of a user (no ban-duration: EventSub does not say), delete (no text), settings", () => {
    const clear = parsed(
      Lines.clearChat(Schema.decodeUnknownSync(Events.ChannelChatClearV1)(broadcaster), at),
      "ClearChat"
    )
    expect([clear.channel, clear.targetLogin]).toEqual(["alice", Option.none()])
    const user = parsed(
      Lines.clearChat(
        Schema.decodeUnknownSync(Events.ChannelChatClearUserMessagesV1)({
          ...broadcaster,
          target_user_id: "2",
          target_user_login: "bob",
          target_user_name: "Bob"
        }),
        at
      ),
      "ClearChat"
    )
    expect([user.targetLogin, user.targetUserId, user.banDuration]).toEqual([
      Option.some("bob"),
      Option.some("2"),
      Option.none()
    ])
    const deleted = parsed(
      Lines.clearMsg(
        Schema.decodeUnknownSync(Events.ChannelChatMessageDeleteV1)({
          ...broadcaster,
          target_user_id: "2",
          target_user_login: "bob",
          target_user_name: "Bob",
          message_id: "m-1"
        }),
        at
      ),
      "ClearMsg"
    )
    expect([deleted.login, deleted.targetMsgId, deleted.text]).toEqual(["bob", "m-1", Option.none()])
    const settings = parsed(
      Lines.settingsUpdate(
        Schema.decodeUnknownSync(Events.ChannelChatSettingsUpdateV1)({
          ...broadcaster,
          emote_mode: true,
          follower_mode: true,
          follower_mode_duration_minutes: 10,
          slow_mode: true,
          slow_mode_wait_time_seconds: 30,
          subscriber_mode: false,
          unique_chat_mode: false
        })
      ),
      "RoomState"
    )
    expect([settings.emoteOnly, settings.followersOnly, settings.slow, settings.subsOnly, settings.r9k])
      .toEqual([
        Option.some(true),
        Option.some(10),
        Option.some(30),
        Option.some(false),
        Option.some(false)
      ])
  })
})
