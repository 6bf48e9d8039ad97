import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Option from "effect/Option"
import { readFileSync } from "node:fs"
import { IrcParseError } from "../../src/chat/IrcError.js"
import { parseTwitchLine, type TwitchMessage } from "../../src/chat/TwitchMessage.js"
import * as Fuzz from "./fuzz.js"

const examples = readFileSync(new URL("../fixtures/irc/twitch-examples.tsv", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.length > 0)
  .map((line) => {
    const tab = line.indexOf("\t")
    return { tag: line.slice(0, tab), line: line.slice(tab + 1) }
  })

const parse = (line: string): TwitchMessage => Either.getOrThrow(parseTwitchLine(line))

const as = <T extends TwitchMessage["_tag"]>(line: string, tag: T): Extract<TwitchMessage, { _tag: T }> => {
  const message = parse(line)
  expect(message._tag).toBe(tag)
  return message as Extract<TwitchMessage, { _tag: T }>
}

const example = (tag: string, contains: string) => {
  const found = examples.find((e) => e.tag === tag && e.line.includes(contains))
  if (!found) throw new Error(`no ${tag} example with ${contains}`)
  return found.line
}

describe("parseTwitchLine", () => {
  it("recognizes every example of the facts sheet", () => {
    expect(examples.length).toBeGreaterThan(40)
    for (const { line, tag } of examples) {
      expect([line, parse(line)._tag]).toEqual([line, tag])
    }
  })

  it("reads escaped typed values as the tag map reads them (IRCv3 drops a backslash without a meaning)", () => {
    const line =
      "@mod=\\1;subscriber=1\\;turbo=\\s;bits=\\1\\0;tmi-sent-ts=150\\7;first-msg=\\0;returning-chatter=\\ " +
      ":ronni!ronni@ronni.tmi.twitch.tv PRIVMSG #ronni :hi"
    const m = as(line, "Privmsg")
    expect([m.tags.get("mod"), m.tags.get("subscriber"), m.tags.get("turbo")]).toEqual(["1", "1", " "])
    expect([m.mod, m.subscriber, m.turbo]).toEqual([true, true, false])
    expect(m.bits).toEqual(Option.some(10))
    expect(m.sentAt).toEqual(Option.some(new Date(1507)))
    expect(m.firstMessage).toEqual(Option.some(false))
    // A lone trailing backslash is dropped: the value is empty, so the flag is unknown.
    expect(m.tags.get("returning-chatter")).toBe("")
    expect(m.returningChatter).toEqual(Option.none())
  })

  it("decodes Twitch's PRIVMSG example", () => {
    const m = as(example("Privmsg", "Kappa Keepo Kappa"), "Privmsg")
    expect(m.channel).toBe("ronni")
    expect(m.text).toBe("Kappa Keepo Kappa")
    expect(m.isAction).toBe(false)
    expect(m.chatter).toEqual({ nick: "ronni", user: "ronni", host: "ronni.tmi.twitch.tv" })
    expect(m.login).toBe("ronni")
    expect(m.displayName).toBe("ronni")
    expect(m.userId).toBe("1337")
    expect(m.roomId).toBe("1337")
    expect(m.id).toBe("b34ccfc7-4977-403a-8a94-33c6bac34fb8")
    expect(m.color).toEqual(Option.some("#0D4200"))
    expect([...m.badges]).toEqual([["turbo", "1"]])
    expect(m.badgeInfo.size).toBe(0)
    expect(m.subscriber).toBe(false)
    expect(m.turbo).toBe(true)
    expect(m.mod).toBe(false)
    expect(m.vip).toBe(false)
    expect(m.userType).toBe("global_mod")
    expect(m.sentAt).toEqual(Option.some(new Date(1507246572675)))
    expect(m.bits).toEqual(Option.none())
    expect(m.reply).toEqual(Option.none())
    expect(m.sharedChat).toEqual(Option.none())
    expect(m.emotes.map((e) => [e.id, e.name, e.start, e.end, e.utf16Start, e.utf16End])).toEqual([
      ["25", "Kappa", 0, 4, 0, 5],
      ["1902", "Keepo", 6, 10, 6, 11],
      ["25", "Kappa", 12, 16, 12, 17]
    ])
    expect(m.tags.get("user-type")).toBe("global_mod")
    expect(m.irc.command).toBe("PRIVMSG")
    expect(m.irc.params).toEqual(["#ronni", "Kappa Keepo Kappa"])
    expect(m.raw).toBe(example("Privmsg", "Kappa Keepo Kappa"))
  })

  it("reads bits, an empty color and staff badges", () => {
    const m = as(example("Privmsg", "cheer100"), "Privmsg")
    expect(m.bits).toEqual(Option.some(100))
    expect(m.color).toEqual(Option.none())
    expect(Object.fromEntries(m.badges)).toEqual({ staff: "1", bits: "1000" })
    expect(m.emotes).toEqual([])
  })

  it("reads reply and thread parents, vip, badge-info and escaped names", () => {
    const m = as(example("Privmsg", "reply-parent"), "Privmsg")
    expect(m.displayName).toBe("Reply Guy")
    expect(m.vip).toBe(true)
    expect(m.subscriber).toBe(true)
    expect(Object.fromEntries(m.badgeInfo)).toEqual({ subscriber: "14" })
    expect(m.reply).toEqual(Option.some({
      msgId: "b34ccfc7-4977-403a-8a94-33c6bac34fb8",
      userId: "1337",
      userLogin: "ronni",
      displayName: "Ronni",
      body: "hello there; Kappa"
    }))
    expect(m.thread).toEqual(Option.some({
      msgId: "b34ccfc7-4977-403a-8a94-33c6bac34fb8",
      userLogin: "ronni",
      userId: Option.some("1337"),
      displayName: Option.some("Ronni")
    }))
    expect(m.firstMessage).toEqual(Option.some(false))
  })

  it("reads shared-chat sources and first messages", () => {
    const m = as(example("Privmsg", "source-room-id"), "Privmsg")
    expect(m.firstMessage).toEqual(Option.some(true))
    expect(m.returningChatter).toEqual(Option.some(true))
    expect(m.mod).toBe(true)
    expect(m.userType).toBe("mod")
    const source = Option.getOrThrow(m.sharedChat)
    expect(source.roomId).toBe("2002")
    expect(source.messageId).toBe("0a1b2c3d-0000-4000-8000-000000000002")
    expect(Object.fromEntries(source.badges)).toEqual({ subscriber: "3", moderator: "1" })
    expect(Object.fromEntries(source.badgeInfo)).toEqual({ subscriber: "3" })
    expect(source.only).toBe(false)
  })

  it("unwraps /me actions; emote positions count after the ACTION wrapper", () => {
    const m = as(
      "@emotes=25:6-10 :a!a@a.tmi.twitch.tv PRIVMSG #c :\u0001ACTION waves Kappa\u0001",
      "Privmsg"
    )
    expect(m.isAction).toBe(true)
    expect(m.text).toBe("waves Kappa")
    expect(m.emotes.map((e) => e.name)).toEqual(["Kappa"])
  })

  describe("emotes", () => {
    const privmsg = (emotes: string, text: string) =>
      as(`@emotes=${emotes} :a!a@a.tmi.twitch.tv PRIVMSG #c :${text}`, "Privmsg")

    it("count code points: emoji before an emote come out right", () => {
      // 👋 and 👋🏽 are 1 and 2 code points (2 and 4 UTF-16 units): Kappa starts at code point 7,
      // UTF-16 unit 10
      const m = privmsg("25:7-11/1902:13-17", "👋👋🏽 hi Kappa Keepo")
      expect(m.emotes.map((e) => [e.id, e.name, e.start, e.end])).toEqual([
        ["25", "Kappa", 7, 11],
        ["1902", "Keepo", 13, 17]
      ])
      for (const e of m.emotes) expect(m.text.slice(e.utf16Start, e.utf16End)).toBe(e.name)
      expect(m.emotes[0].utf16Start).toBe(10)
    })

    it("handle non-Latin text and emotes inside emoji runs", () => {
      const m = privmsg("emotesv2_abc:7-11", "привет 😂LUL😂 x")
      expect(m.emotes).toHaveLength(1)
      expect(m.emotes[0].name).toBe("😂LUL😂")
      expect(m.emotes[0].utf16End - m.emotes[0].utf16Start).toBe(7)
    })

    it("are sorted by position across ids", () => {
      const m = privmsg("1902:6-10/25:0-4,12-16", "Kappa Keepo Kappa")
      expect(m.emotes.map((e) => e.start)).toEqual([0, 6, 12])
    })

    it("clamp ranges past the end and drop those starting past it", () => {
      const m = privmsg("25:0-4,6-100/1902:50-54", "Kappa Kap")
      expect(m.emotes.map((e) => [e.name, e.start, e.end, e.utf16End])).toEqual([
        ["Kappa", 0, 4, 5],
        ["Kap", 6, 8, 9]
      ])
    })

    it("skip malformed entries without failing", () => {
      const m = privmsg("25:x-4,0-4/:1-2/1902/33:4-2,/44:0-1-2", "Kappa")
      expect(m.emotes.map((e) => [e.id, e.name])).toEqual([["25", "Kappa"]])
    })

    it("are the same array on every read", () => {
      const m = privmsg("25:0-4", "Kappa")
      expect(m.emotes).toBe(m.emotes)
    })
  })

  it("decodes USERNOTICE kinds with their msg-param fields", () => {
    const resub = as(example("UserNotice", "msg-id=resub"), "UserNotice")
    expect(resub.kind).toBe("resub")
    expect(resub.channel).toBe("dallas")
    expect(resub.login).toBe("ronni")
    expect(resub.text).toEqual(Option.some("Great stream -- keep it up!"))
    expect(resub.systemMessage).toBe("ronni has subscribed for 6 months!")
    expect(resub.event).toEqual({
      _tag: "Resub",
      cumulativeMonths: 6,
      streakMonths: Option.some(2),
      shouldShareStreak: true,
      plan: "Prime",
      planName: "Prime"
    })
    expect(resub.sentAt).toEqual(Option.some(new Date(1507246572675)))

    const gift = as(example("UserNotice", "msg-id=subgift"), "UserNotice")
    expect(gift.text).toEqual(Option.none())
    expect(gift.emotes).toEqual([])
    expect(gift.event).toEqual({
      _tag: "SubGift",
      months: 1,
      giftMonths: 1,
      recipientId: "55554444",
      recipientLogin: "mr_woodchuck",
      recipientDisplayName: "Mr_Woodchuck",
      plan: "1000",
      planName: "House of Nyoro~n"
    })
    expect(gift.msgParams.get("sub-plan-name")).toBe("House of Nyoro~n")

    const raid = as(example("UserNotice", "msg-id=raid"), "UserNotice")
    expect(raid.event).toEqual({
      _tag: "Raid",
      login: "testchannel",
      displayName: "TestChannel",
      viewerCount: 15
    })
    expect(raid.systemMessage).toBe("15 raiders from TestChannel have joined\n!")

    const announcement = as(example("UserNotice", "msg-id=announcement"), "UserNotice")
    expect(announcement.event).toEqual({ _tag: "Announcement", color: "PURPLE" })
    expect(announcement.text).toEqual(Option.some("Welcome everyone!"))

    expect(as(example("UserNotice", "msg-id=viewermilestone"), "UserNotice").event).toEqual({
      _tag: "ViewerMilestone",
      category: "watch-streak",
      milestoneId: "2f6a9f5e-0000-4000-8000-00000000000b",
      value: 7,
      reward: Option.some(450)
    })
    expect(as(example("UserNotice", "msg-id=submysterygift"), "UserNotice").event).toEqual({
      _tag: "SubMysteryGift",
      count: 5,
      plan: "1000",
      senderCount: Option.some(25)
    })
    expect(as(example("UserNotice", "msg-id=giftpaidupgrade"), "UserNotice").event).toEqual({
      _tag: "GiftPaidUpgrade",
      senderLogin: "gifter",
      senderName: "Gifter",
      promoName: Option.none(),
      promoGiftTotal: Option.none()
    })
    expect(as(example("UserNotice", "msg-id=sub;"), "UserNotice").event).toEqual({
      _tag: "Sub",
      cumulativeMonths: 1,
      streakMonths: Option.none(),
      shouldShareStreak: false,
      plan: "2000",
      planName: "Tier 2"
    })
    const other = as(example("UserNotice", "some-future-kind"), "UserNotice")
    expect(other.event).toEqual({ _tag: "Other", kind: "some-future-kind" })
    expect(Object.fromEntries(other.msgParams)).toEqual({ foo: "bar baz" })
  })

  describe("USERNOTICE kinds that were Other", () => {
    // Real-shaped lines: tags in Twitch's order, escaped system messages, the tags Twitch sends
    // with every USERNOTICE.
    const notice = (kind: string, params: string, system: string, extra = "") =>
      `@badge-info=;badges=glitchcon2020/1;color=#8A2BE2;display-name=Gifter_1;emotes=;flags=;id=b4d5c7a1-0c35-4f5e-9f5c-1a2b3c4d5e6f;login=gifter_1;mod=0;msg-id=${kind};${params}room-id=71092938;${extra}subscriber=1;system-msg=${system};tmi-sent-ts=1718051640123;user-id=123456789;user-type= :tmi.twitch.tv USERNOTICE #xqc`

    it("decodes pay-forwards, prime upgrades, reward gifts, combos, modiversaries and prime gifts", () => {
      const standard = as(
        notice(
          "standardpayforward",
          "msg-param-prior-gifter-anonymous=false;msg-param-prior-gifter-display-name=Old_Gifter;msg-param-prior-gifter-id=11112222;msg-param-prior-gifter-user-name=old_gifter;msg-param-recipient-display-name=Lucky;msg-param-recipient-id=33334444;msg-param-recipient-user-name=lucky;",
          "Gifter_1\\sis\\spaying\\sforward\\sthe\\sGift\\sthey\\sgot\\sfrom\\sOld_Gifter\\sto\\sLucky!"
        ),
        "UserNotice"
      )
      expect(standard.systemMessage).toBe(
        "Gifter_1 is paying forward the Gift they got from Old_Gifter to Lucky!"
      )
      expect(standard.event).toEqual({
        _tag: "StandardPayForward",
        priorGifterAnonymous: false,
        priorGifterId: Option.some("11112222"),
        priorGifterLogin: Option.some("old_gifter"),
        priorGifterDisplayName: Option.some("Old_Gifter"),
        recipientId: "33334444",
        recipientLogin: "lucky",
        recipientDisplayName: "Lucky"
      })
      const community = as(
        notice(
          "communitypayforward",
          "msg-param-prior-gifter-anonymous=true;msg-param-prior-gifter-display-name=AnAnonymousGifter;msg-param-prior-gifter-id=274598607;msg-param-prior-gifter-user-name=ananonymousgifter;",
          "Gifter_1\\sis\\spaying\\sforward\\sthe\\sGift\\sthey\\sgot\\sfrom\\san\\sanonymous\\sgifter\\sto\\sthe\\scommunity!"
        ),
        "UserNotice"
      )
      expect(community.event).toEqual({
        _tag: "CommunityPayForward",
        priorGifterAnonymous: true,
        priorGifterId: Option.none(),
        priorGifterLogin: Option.none(),
        priorGifterDisplayName: Option.none()
      })
      expect(
        as(
          notice(
            "primepaidupgrade",
            "msg-param-sub-plan=1000;",
            "Gifter_1\\sconverted\\sfrom\\sa\\sPrime\\ssub\\sto\\sa\\sTier\\s1\\ssub!"
          ),
          "UserNotice"
        ).event
      ).toEqual({ _tag: "PrimePaidUpgrade", plan: "1000" })
      expect(
        as(
          notice(
            "rewardgift",
            "msg-param-domain=pride_megacommerce_2020;msg-param-selected-count=5;msg-param-total-reward-count=5;msg-param-trigger-amount=20;msg-param-trigger-type=SUBGIFT;",
            "reward"
          ),
          "UserNotice"
        ).event
      ).toEqual({
        _tag: "RewardGift",
        domain: "pride_megacommerce_2020",
        selectedCount: 5,
        totalRewardCount: 5,
        triggerAmount: 20,
        triggerType: "SUBGIFT"
      })
      const combo = as(
        notice(
          "onetapgiftredeemed",
          "msg-param-bits-spent=10;msg-param-gift-id=heart;msg-param-user-display-name=Gifter_1;msg-param-user-id=123456789;msg-param-user-login=gifter_1;",
          "Gifter_1\\ssent\\sa\\sHeart\\sCombo"
        ),
        "UserNotice"
      )
      expect(combo.event).toEqual({ _tag: "OneTapGiftRedeemed", bitsSpent: 10, giftId: "heart" })
      expect(combo.msgParams.get("user-login")).toBe("gifter_1")
      expect(
        as(
          notice("modiversary", "msg-param-months=24;", "Gifter_1\\shas\\sbeen\\sa\\smod\\sfor\\s2\\syears!"),
          "UserNotice"
        )
          .event
      ).toEqual({ _tag: "Modiversary", months: 24 })
      expect(
        as(
          notice(
            "primecommunitygiftreceived",
            "msg-param-gift-name=World\\sof\\sTanks:\\s1\\sDay\\sPremium;msg-param-recipient=lucky;",
            "gift"
          ),
          "UserNotice"
        ).event
      ).toEqual({
        _tag: "PrimeCommunityGiftReceived",
        giftName: "World of Tanks: 1 Day Premium",
        recipient: "lucky"
      })
    })

    it("decodes sharedchatnotice as the source channel's notice, with that kind's params", () => {
      const source =
        "source-badge-info=subscriber/7;source-badges=subscriber/6;source-id=9f1d1c6e-7c3e-4a8e-b3a2-0d4e5f6a7b8c;source-room-id=41245072;"
      const shared = as(
        notice(
          "sharedchatnotice",
          "msg-param-cumulative-months=7;msg-param-multimonth-duration=1;msg-param-multimonth-tenure=0;msg-param-should-share-streak=0;msg-param-sub-plan-name=Channel\\sSubscription\\s(xqc);msg-param-sub-plan=1000;msg-param-was-gifted=false;",
          "Gifter_1\\ssubscribed\\sat\\sTier\\s1.\\sThey've\\ssubscribed\\sfor\\s7\\smonths!",
          `${source}source-msg-id=resub;`
        ),
        "UserNotice"
      )
      expect(shared.kind).toBe("sharedchatnotice")
      expect(shared.event).toEqual({
        _tag: "SharedChatNotice",
        sourceKind: "resub",
        sourceEvent: {
          _tag: "Resub",
          cumulativeMonths: 7,
          streakMonths: Option.none(),
          shouldShareStreak: false,
          plan: "1000",
          planName: "Channel Subscription (xqc)"
        }
      })
      expect(Option.map(shared.sharedChat, (s) => s.roomId)).toEqual(Option.some("41245072"))
      const unknownSource = as(
        notice("sharedchatnotice", "msg-param-foo=1;", "x", `${source}source-msg-id=some-future-kind;`),
        "UserNotice"
      )
      expect(unknownSource.event).toEqual({
        _tag: "SharedChatNotice",
        sourceKind: "some-future-kind",
        sourceEvent: { _tag: "Other", kind: "some-future-kind" }
      })
    })
  })

  it("decodes NOTICE, with and without a channel", () => {
    const global = as(example("Notice", "Login authentication failed"), "Notice")
    expect(global.channel).toEqual(Option.none())
    expect(global.text).toBe("Login authentication failed")
    expect(global.msgId).toEqual(Option.none())
    const slow = as(example("Notice", "msg-id=slow_on"), "Notice")
    expect(slow.channel).toEqual(Option.some("bar"))
    expect(slow.msgId).toEqual(Option.some("slow_on"))
    expect(as(example("Notice", "target-user-id"), "Notice").targetUserId).toEqual(Option.some("87654321"))
  })

  it("decodes the three CLEARCHAT forms", () => {
    const all = as(":tmi.twitch.tv CLEARCHAT #dallas", "ClearChat")
    expect(all.channel).toBe("dallas")
    expect(all.targetLogin).toEqual(Option.none())
    expect(all.banDuration).toEqual(Option.none())
    const ban = as(example("ClearChat", "1642715756806"), "ClearChat")
    expect(ban.targetLogin).toEqual(Option.some("ronni"))
    expect(ban.targetUserId).toEqual(Option.some("87654321"))
    expect(ban.banDuration).toEqual(Option.none())
    expect(ban.sentAt).toEqual(Option.some(new Date(1642715756806)))
    const timeout = as(example("ClearChat", "ban-duration=350"), "ClearChat")
    expect(timeout.banDuration).toEqual(Option.some(350))
  })

  it("decodes CLEARMSG", () => {
    const m = as(example("ClearMsg", "what a great day"), "ClearMsg")
    expect([m.channel, m.text, m.login, m.roomId, m.targetMsgId]).toEqual([
      "bar",
      Option.some("what a great day"),
      "foo",
      "",
      "94e6c7ff-bf98-4faa-af5d-7ad633a158a9"
    ])
    const bare = parseTwitchLine("@login=foo;target-msg-id=x :tmi.twitch.tv CLEARMSG #bar")
    expect(Either.map(bare, (b) => b._tag === "ClearMsg" ? b.text : undefined)).toEqual(
      Either.right(Option.none())
    )
  })

  it("decodes full and partial ROOMSTATE", () => {
    const full = as(example("RoomState", "followers-only=-1"), "RoomState")
    expect([full.emoteOnly, full.followersOnly, full.r9k, full.slow, full.subsOnly]).toEqual([
      Option.some(false),
      Option.some(-1),
      Option.some(false),
      Option.some(0),
      Option.some(false)
    ])
    const partial = as(example("RoomState", "slow=10"), "RoomState")
    expect(partial.slow).toEqual(Option.some(10))
    expect(partial.emoteOnly).toEqual(Option.none())
    expect(partial.followersOnly).toEqual(Option.none())
    expect(partial.roomId).toBe("12345678")
  })

  it("decodes USERSTATE and GLOBALUSERSTATE", () => {
    const state = as(example("UserState", "staff/1"), "UserState")
    expect(state.channel).toBe("dallas")
    expect(state.mod).toBe(true)
    expect(state.emoteSets).toHaveLength(12)
    expect(state.id).toEqual(Option.none())
    expect(as(example("UserState", "id=1d6e5f0c"), "UserState").id).toEqual(
      Option.some("1d6e5f0c-0000-4000-8000-000000000003")
    )
    const global = as(example("GlobalUserState", "GLOBALUSERSTATE"), "GlobalUserState")
    expect(global.emoteSets).toEqual(["0", "300374282"])
    expect(global.userId).toBe("12345678")
    expect(global.color).toEqual(Option.none())
    expect(global.badges.size).toBe(0)
  })

  it("decodes WHISPER", () => {
    const m = as(example("Whisper", "WHISPER"), "Whisper")
    expect([m.login, m.recipient, m.text, m.messageId, m.threadId, m.displayName]).toEqual([
      "petsgomoo",
      "foo",
      "hello",
      "306",
      "12345678_87654321",
      "PetsgomOO"
    ])
  })

  it("decodes JOIN, PART and NAMES", () => {
    const join = as(example("Join", "JOIN"), "Join")
    expect([join.channel, join.login, join.chatter.host]).toEqual(["dallas", "ronni", "ronni.tmi.twitch.tv"])
    expect(as(example("Part", "PART"), "Part").login).toBe("ronni")
    const names = as(example("Names", "353"), "Names")
    expect(names.channel).toBe("dallas")
    expect(names.names).toEqual(["ronni", "fred", "wilma"])
    expect(as(example("EndOfNames", "366"), "EndOfNames").channel).toBe("dallas")
  })

  it("decodes PING, PONG, RECONNECT, CAP and numerics", () => {
    expect(as("PING :tmi.twitch.tv", "Ping").text).toBe("tmi.twitch.tv")
    expect(as("PING", "Ping").text).toBe("")
    expect(as(example("Pong", "PONG"), "Pong").text).toBe("tmi.twitch.tv")
    as(":tmi.twitch.tv RECONNECT", "Reconnect")
    const cap = as(example("Cap", "ACK"), "Cap")
    expect(cap.subcommand).toBe("ACK")
    expect(cap.capabilities).toEqual(["twitch.tv/membership", "twitch.tv/tags", "twitch.tv/commands"])
    expect(as(example("Cap", "NAK"), "Cap").subcommand).toBe("NAK")
    const welcome = as(example("Numeric", "001"), "Numeric")
    expect([welcome.code, welcome.text]).toEqual([1, "Welcome, GLHF!"])
    expect(as(example("Numeric", "421"), "Numeric").code).toBe(421)
  })

  it("keeps unknown commands and unfitting known ones as Unknown", () => {
    const host = as(":tmi.twitch.tv HOSTTARGET #abc :xyz 10", "Unknown")
    expect(host.command).toBe("HOSTTARGET")
    expect(host.irc.params).toEqual(["#abc", "xyz 10"])
    as(":tmi.twitch.tv PRIVMSG #no-text", "Unknown")
    as("PRIVMSG #ch :no prefix", "Unknown")
    as(":a!a@a JOIN", "Unknown")
  })

  it("lets the first of repeated tags win, in typed fields and tags alike", () => {
    const m = as("@color=#111111;badges=a/1;color=#222222;badges=b/2 :a!a@a PRIVMSG #c :x", "Privmsg")
    expect(m.color).toEqual(Option.some("#111111"))
    expect([...m.badges]).toEqual([["a", "1"]])
    expect(m.tags.get("color")).toBe("#111111")
    expect(Object.fromEntries(m.tags)).toEqual({ color: "#111111", badges: "a/1" })
  })

  it("does not take a tag name inside another tag's value or the text for the tag", () => {
    const m = as(
      "@display-name=x;note=color=#333333;xcolor=#444444 :a!a@a PRIVMSG #c :;color=#555555",
      "Privmsg"
    )
    expect(m.color).toEqual(Option.none())
    expect(m.tags.get("color")).toBeUndefined()
    expect(m.tags.has("note")).toBe(true)
    expect(m.tags.get("note")).toBe("color=#333333")
  })

  it("shows the decoded model in JSON", () => {
    const json = JSON.parse(JSON.stringify(parse(example("Privmsg", "Kappa Keepo Kappa"))))
    expect(json._tag).toBe("Privmsg")
    expect(json.text).toBe("Kappa Keepo Kappa")
    expect(json.badges).toEqual({ turbo: "1" })
    expect(json.sentAt).toEqual({ _id: "Option", _tag: "Some", value: "2017-10-05T23:36:12.675Z" })
    expect(json.emotes).toHaveLength(3)
  })

  it("fails like parseIrcLine on lines that are not IRC", () => {
    const result = parseTwitchLine("@only-tags=1")
    expect(Either.isLeft(result) && result.left).toBeInstanceOf(IrcParseError)
    expect(Either.isLeft(result) && result.left.line).toBe("@only-tags=1")
  })
})

// ---------------------------------------------------------------------------------------------
// Fuzz: random and mutated Twitch lines, reading every field
// ---------------------------------------------------------------------------------------------

const readAll = (m: TwitchMessage): void => {
  const json = JSON.stringify(m)
  if (typeof json !== "string") throw new Error("no JSON")
  void m.irc.params
  void m.irc.prefix
  void m.tags.size
}

describe("parseTwitchLine never throws", () => {
  const chars = FastCheck.oneof(
    FastCheck.constantFrom(
      " ",
      ";",
      "=",
      "\\",
      ":",
      "@",
      "!",
      "/",
      ",",
      "-",
      "#",
      "\r",
      "\u0001",
      "😂",
      "9",
      "0"
    ),
    FastCheck.string({ minLength: 1, maxLength: 1 })
  )
  const mutated = Fuzz.mutated(examples.map((e) => e.line), chars, 5)
  const emotes = Fuzz.emoteLines(example("Privmsg", "emotes=25:0-4"))
  const random = FastCheck.array(chars, { maxLength: 80 }).map((cs) => cs.join(""))

  // 45k lines: with the edits of fuzz.ts these reach more of src/chat (V8 block coverage, three
  // seeds) than the 100k lines of random characters and character edits this test used before.
  it("on 45k random, edited and emote lines: a message whose every field reads, or a typed error", () => {
    const check = (line: string) => {
      const result = parseTwitchLine(line)
      if (Either.isLeft(result)) return result.left instanceof IrcParseError && result.left.line === line
      readAll(result.right)
      return true
    }
    FastCheck.assert(FastCheck.property(random, check), { numRuns: 12_000 })
    FastCheck.assert(FastCheck.property(mutated, check), { numRuns: 28_000 })
    FastCheck.assert(FastCheck.property(emotes, check), { numRuns: 5_000 })
  })
})
