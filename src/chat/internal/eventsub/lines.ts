/**
 * Chat events of EventSub in the form Twitch's IRC sends the same events, so that they parse into
 * the same message model (`parseTwitchLine`) and every field reads the same whichever way the
 * client reached Twitch: `channel.chat.message` is PRIVMSG, `channel.chat.notification`
 * USERNOTICE, `channel.chat.clear` and `channel.chat.clear_user_messages` CLEARCHAT,
 * `channel.chat.message_delete` CLEARMSG, `channel.chat_settings.update` (and Get Chat Settings)
 * ROOMSTATE. Twitch's own IRC-to-EventSub table, read backwards.
 *
 * A tag is written only where EventSub has the field, so what EventSub lacks reads as absent:
 * `first-msg` and `returning-chatter` (the model's `Option`s are `None`), `ban-duration` (a timeout
 * reads like a ban: EventSub's `channel.chat.clear_user_messages` does not say which), the text of a
 * deleted message, the months of a first sub. `mod`, `subscriber`, `turbo`, `vip` and `user-type`
 * are read from the badges, as Twitch derives them. `tmi-sent-ts` is the notification's time.
 * Pure functions.
 *
 * @internal
 */
import * as Option from "effect/Option"
import type * as Events from "../../../eventsub/generated/events.js"
import type { Delivered } from "../../../eventsub/Notification.js"
import { escapeTagValue } from "../../IrcFormatter.js"

/** Tags being written: key and value pairs, in order. */
type Tags = Array<readonly [string, string]>

/** A badge as EventSub gives it. */
interface Badge {
  readonly setId: string
  readonly id: string
  readonly info: string
}

/** A message fragment as EventSub gives it. */
interface Fragment {
  readonly text: string
  readonly emote: Option.Option<{ readonly id: string }>
}

/** A line from its parts; a tag with an empty value is left out. */
const line = (tags: Tags, prefix: string, command: string, params: string, trailing?: string): string => {
  let out = ""
  for (const [key, value] of tags) {
    if (value.length === 0) continue
    out += (out.length === 0 ? "@" : ";") + key + "=" + escapeTagValue(value)
  }
  const text = trailing === undefined ? "" : ` :${oneLine(trailing)}`
  return `${out.length === 0 ? "" : out + " "}:${prefix} ${command} ${params}${text}`
}

/** An IRC line is one line: CR, LF and NUL in a text become spaces. */
const oneLine = (text: string): string => text.replace(/[\r\n\0]/g, " ")

const server = "tmi.twitch.tv"

const userPrefix = (login: string) => `${login}!${login}@${login}.tmi.twitch.tv`

const room = (login: string) => `#${login.toLowerCase()}`

const flag = (value: boolean) => (value ? "1" : "0")

const sentTs = (at: Date): readonly [string, string] => ["tmi-sent-ts", String(at.getTime())]

/** `set/version,...` and `set/info,...` (info only where EventSub has one). */
const badgeTags = (badges: ReadonlyArray<Badge>, prefix = ""): Tags => [
  [
    `${prefix}badge-info`,
    badges.filter((b) => b.info.length > 0).map((b) => `${b.setId}/${b.info}`).join(",")
  ],
  [`${prefix}badges`, badges.map((b) => `${b.setId}/${b.id}`).join(",")]
]

/** What IRC's `mod`, `subscriber`, `turbo`, `vip` and `user-type` say, read from the badges. */
const roleTags = (badges: ReadonlyArray<Badge>): Tags => {
  const has = (set: string) => badges.some((b) => b.setId === set)
  const type = has("staff")
    ? "staff"
    : has("admin")
    ? "admin"
    : has("global_mod")
    ? "global_mod"
    : has("moderator")
    ? "mod"
    : ""
  return [
    ["mod", flag(has("moderator"))],
    ["subscriber", flag(has("subscriber") || has("founder"))],
    ["turbo", flag(has("turbo"))],
    ["user-type", type],
    ["vip", has("vip") ? "1" : ""]
  ]
}

/** IRC's `emotes` tag from the fragments: `id:start-end,.../id2:...`, code points of the text. */
export const emotesTag = (fragments: ReadonlyArray<Fragment>): string => {
  const ranges = new Map<string, Array<string>>()
  let at = 0
  for (const f of fragments) {
    let length = 0
    for (const _ of f.text) length++
    if (Option.isSome(f.emote) && length > 0) {
      const list = ranges.get(f.emote.value.id) ?? []
      list.push(`${at}-${at + length - 1}`)
      ranges.set(f.emote.value.id, list)
    }
    at += length
  }
  return [...ranges].map(([id, list]) => `${id}:${list.join(",")}`).join("/")
}

/** Twitch's `msg-id` of a PRIVMSG for EventSub's `message_type`. */
const privmsgKind: Readonly<Record<string, string>> = {
  channel_points_highlighted: "highlighted-message",
  channel_points_sub_only: "skip-subs-mode-message",
  user_intro: "user-intro",
  power_ups_gigantified_emote: "gigantified-emote-message",
  power_ups_message_effect: "animated-message"
}

/** The shared-chat source tags of a message or notice from another channel of the session. */
const sourceTags = (
  e: {
    readonly sourceBroadcasterUserId: Option.Option<string>
    readonly sourceMessageId: Option.Option<string>
    readonly sourceBadges: Option.Option<ReadonlyArray<Badge>>
  },
  only: boolean | undefined
): Tags => {
  if (Option.isNone(e.sourceBroadcasterUserId)) return []
  return [
    ["source-room-id", e.sourceBroadcasterUserId.value],
    ["source-id", Option.getOrElse(e.sourceMessageId, () => "")],
    ...badgeTags(Option.getOrElse(e.sourceBadges, () => []), "source-"),
    ["source-only", only === undefined ? "" : flag(only)]
  ]
}

/** The `reply-parent-*` and `reply-thread-parent-*` tags of a reply. */
const replyTags = (reply: Events.ChannelChatMessageV1["reply"]): Tags => {
  if (Option.isNone(reply)) return []
  const r = reply.value
  return [
    ["reply-parent-display-name", r.parentUserName],
    ["reply-parent-msg-body", r.parentMessageBody],
    ["reply-parent-msg-id", r.parentMessageId],
    ["reply-parent-user-id", r.parentUserId],
    ["reply-parent-user-login", r.parentUserLogin],
    ["reply-thread-parent-display-name", r.threadUserName],
    ["reply-thread-parent-msg-id", r.threadMessageId],
    ["reply-thread-parent-user-id", r.threadUserId],
    ["reply-thread-parent-user-login", r.threadUserLogin]
  ]
}

/** `channel.chat.message` as a PRIVMSG. */
export const privmsg = (e: Events.ChannelChatMessageV1, at: Date): string => {
  const tags: Tags = [
    ...badgeTags(e.badges),
    ["bits", Option.match(e.cheer, { onNone: () => "", onSome: (c) => String(c.bits) })],
    ["color", e.color],
    ["custom-reward-id", Option.getOrElse(e.channelPointsCustomRewardId, () => "")],
    ["display-name", e.chatterUserName],
    ["emotes", emotesTag(e.message.fragments)],
    ["id", e.messageId],
    ["msg-id", privmsgKind[e.messageType] ?? ""],
    ...roleTags(e.badges),
    ["room-id", e.broadcasterUserId],
    sentTs(at),
    ["user-id", e.chatterUserId],
    ...replyTags(e.reply),
    ...sourceTags(e, Option.getOrUndefined(e.isSourceOnly))
  ]
  return line(
    tags,
    userPrefix(e.chatterUserLogin),
    "PRIVMSG",
    room(e.broadcasterUserLogin),
    e.message.text
  )
}

type Notice = Events.ChannelChatNotificationV1

const plan = (tier: string, prime: boolean | undefined) => (prime === true ? "Prime" : tier)

/** A notice's kind and `msg-param-*` tags, from its notice type's object. */
interface Kind {
  readonly kind: string
  readonly params: Tags
}

const subKinds = (e: Notice, shared: boolean): Kind | undefined => {
  const sub = shared ? e.sharedChatSub : e.sub
  if (Option.isSome(sub)) {
    const s = sub.value
    return {
      kind: "sub",
      params: [["sub-plan", plan(s.subTier, s.isPrime)], ["multimonth-duration", String(s.durationMonths)]]
    }
  }
  const resub = shared ? e.sharedChatResub : e.resub
  if (Option.isSome(resub)) {
    const r = resub.value
    const gifter = r.isGift && Option.getOrElse(r.gifterIsAnonymous, () => false) === false
    return {
      kind: "resub",
      params: [
        ["cumulative-months", String(r.cumulativeMonths)],
        ["multimonth-duration", String(r.durationMonths)],
        ["should-share-streak", flag(Option.isSome(r.streakMonths))],
        ["streak-months", Option.match(r.streakMonths, { onNone: () => "", onSome: String })],
        ["sub-plan", plan(r.subTier, Option.getOrUndefined(r.isPrime))],
        ["was-gifted", String(r.isGift)],
        ["anon-gift", r.isGift ? String(Option.getOrElse(r.gifterIsAnonymous, () => false)) : ""],
        ["gifter-id", gifter ? Option.getOrElse(r.gifterUserId, () => "") : ""],
        ["gifter-login", gifter ? Option.getOrElse(r.gifterUserLogin, () => "") : ""],
        ["gifter-name", gifter ? Option.getOrElse(r.gifterUserName, () => "") : ""]
      ]
    }
  }
  return undefined
}

const giftKinds = (e: Notice, shared: boolean): Kind | undefined => {
  const gift = shared ? e.sharedChatSubGift : e.subGift
  if (Option.isSome(gift)) {
    const g = gift.value
    return {
      kind: "subgift",
      params: [
        ["gift-months", String(g.durationMonths)],
        ["recipient-id", g.recipientUserId],
        ["recipient-user-name", g.recipientUserLogin],
        ["recipient-display-name", g.recipientUserName],
        ["sub-plan", g.subTier],
        ["sender-count", Option.match(g.cumulativeTotal, { onNone: () => "", onSome: String })],
        ["community-gift-id", Option.getOrElse(g.communityGiftId, () => "")]
      ]
    }
  }
  const community = shared ? e.sharedChatCommunitySubGift : e.communitySubGift
  if (Option.isSome(community)) {
    const c = community.value
    return {
      kind: "submysterygift",
      params: [
        ["mass-gift-count", String(c.total)],
        ["sub-plan", c.subTier],
        ["sender-count", Option.match(c.cumulativeTotal, { onNone: () => "", onSome: String })],
        ["community-gift-id", c.id]
      ]
    }
  }
  const upgrade = shared ? e.sharedChatGiftPaidUpgrade : e.giftPaidUpgrade
  if (Option.isSome(upgrade)) {
    const u = upgrade.value
    if (u.gifterIsAnonymous) return { kind: "anongiftpaidupgrade", params: [] }
    return {
      kind: "giftpaidupgrade",
      params: [["sender-name", Option.getOrElse(u.gifterUserName, () => "")]]
    }
  }
  const prime = shared ? e.sharedChatPrimePaidUpgrade : e.primePaidUpgrade
  if (Option.isSome(prime)) return { kind: "primepaidupgrade", params: [["sub-plan", prime.value.subTier]] }
  const forward = shared ? e.sharedChatPayItForward : e.payItForward
  if (Option.isSome(forward)) {
    const f = forward.value
    const known = (o: Option.Option<string>) => (f.gifterIsAnonymous ? "" : Option.getOrElse(o, () => ""))
    // IRC tells a gift paid forward to one user from one to the community; EventSub does not.
    return {
      kind: "pay_it_forward",
      params: [
        ["prior-gifter-anonymous", String(f.gifterIsAnonymous)],
        ["prior-gifter-id", known(f.gifterUserId)],
        ["prior-gifter-user-name", known(f.gifterUserLogin)],
        ["prior-gifter-display-name", known(f.gifterUserName)]
      ]
    }
  }
  return undefined
}

const otherKinds = (e: Notice, shared: boolean): Kind | undefined => {
  const raid = shared ? e.sharedChatRaid : e.raid
  if (Option.isSome(raid)) {
    const r = raid.value
    return {
      kind: "raid",
      params: [
        ["login", r.userLogin],
        ["displayName", r.userName],
        ["viewerCount", String(r.viewerCount)],
        ["profileImageURL", r.profileImageUrl]
      ]
    }
  }
  if (Option.isSome(shared ? e.sharedChatUnraid : e.unraid)) return { kind: "unraid", params: [] }
  const announcement = shared ? e.sharedChatAnnouncement : e.announcement
  if (Option.isSome(announcement)) {
    return { kind: "announcement", params: [["color", announcement.value.color.toUpperCase()]] }
  }
  const tier = shared ? e.sharedChatBitsBadgeTier : e.bitsBadgeTier
  if (Option.isSome(tier)) return { kind: "bitsbadgetier", params: [["threshold", String(tier.value.tier)]] }
  const charity = shared ? e.sharedChatCharityDonation : e.charityDonation
  if (Option.isSome(charity)) {
    const c = charity.value
    return {
      kind: "charitydonation",
      params: [
        ["charity-name", c.charityName],
        ["donation-amount", String(c.amount.value)],
        ["donation-currency", c.amount.currency],
        ["exponent", String(c.amount.decimalPlace)]
      ]
    }
  }
  return undefined
}

/** The IRC kind of a notice (`sharedchatnotice` with the source's kind for `shared_chat_*`). */
const kindOf = (e: Notice): { readonly kind: string; readonly source: string; readonly params: Tags } => {
  const shared = e.noticeType.startsWith("shared_chat_")
  const found = subKinds(e, shared) ?? giftKinds(e, shared) ?? otherKinds(e, shared)
  if (found === undefined) return { kind: e.noticeType, source: "", params: [] }
  return shared
    ? { kind: "sharedchatnotice", source: found.kind, params: found.params }
    : { kind: found.kind, source: "", params: found.params }
}

/** `channel.chat.notification` as a USERNOTICE. */
export const userNotice = (e: Notice, at: Date): string => {
  const { kind, params, source } = kindOf(e)
  const login = e.chatterIsAnonymous ? "ananonymousgifter" : Option.getOrElse(e.chatterUserLogin, () => "")
  const tags: Tags = [
    ...badgeTags(e.badges),
    ["color", e.color],
    ["display-name", e.chatterUserName],
    ["emotes", emotesTag(e.message.fragments)],
    ["id", e.messageId],
    ["login", login],
    ...roleTags(e.badges),
    ["msg-id", kind],
    ...params.map(([key, value]) => [`msg-param-${key}`, value] as const),
    ["room-id", e.broadcasterUserId],
    ["system-msg", e.systemMessage],
    sentTs(at),
    ["user-id", e.chatterUserId],
    ...sourceTags(e, undefined),
    ["source-msg-id", source]
  ]
  const text = e.message.text
  return line(tags, server, "USERNOTICE", room(e.broadcasterUserLogin), text.length > 0 ? text : undefined)
}

/** `channel.chat.clear` (no target) or `channel.chat.clear_user_messages` as a CLEARCHAT. */
export const clearChat = (
  e: Events.ChannelChatClearV1 | Events.ChannelChatClearUserMessagesV1,
  at: Date
): string => {
  const target = "targetUserLogin" in e ? e : undefined
  return line(
    [["room-id", e.broadcasterUserId], ["target-user-id", target?.targetUserId ?? ""], sentTs(at)],
    server,
    "CLEARCHAT",
    room(e.broadcasterUserLogin),
    target?.targetUserLogin
  )
}

/** `channel.chat.message_delete` as a CLEARMSG (without the text, which EventSub does not give). */
export const clearMsg = (e: Events.ChannelChatMessageDeleteV1, at: Date): string =>
  line(
    [
      ["login", e.targetUserLogin],
      ["room-id", e.broadcasterUserId],
      ["target-msg-id", e.messageId],
      sentTs(at)
    ],
    server,
    "CLEARMSG",
    room(e.broadcasterUserLogin)
  )

/**
 * A channel's chat settings, as `channel.chat_settings.update` and Get Chat Settings give them.
 *
 * @internal
 */
export interface Settings {
  readonly emoteMode: boolean
  readonly followerMode: boolean
  readonly followerMinutes: Option.Option<number>
  readonly slowMode: boolean
  readonly slowSeconds: Option.Option<number>
  readonly subscriberMode: boolean
  readonly uniqueChatMode: boolean
}

/** Chat settings as a ROOMSTATE with every mode (as IRC sends on JOIN). */
export const roomState = (login: string, roomId: string, s: Settings): string =>
  line(
    [
      ["emote-only", flag(s.emoteMode)],
      ["followers-only", s.followerMode ? String(Option.getOrElse(s.followerMinutes, () => 0)) : "-1"],
      ["r9k", flag(s.uniqueChatMode)],
      ["room-id", roomId],
      ["slow", s.slowMode ? String(Option.getOrElse(s.slowSeconds, () => 0)) : "0"],
      ["subs-only", flag(s.subscriberMode)]
    ],
    server,
    "ROOMSTATE",
    room(login)
  )

/** `channel.chat_settings.update` as a ROOMSTATE. */
export const settingsUpdate = (e: Events.ChannelChatSettingsUpdateV1): string =>
  roomState(e.broadcasterUserLogin, e.broadcasterUserId, {
    emoteMode: e.emoteMode,
    followerMode: e.followerMode,
    followerMinutes: e.followerModeDurationMinutes,
    slowMode: e.slowMode,
    slowSeconds: e.slowModeWaitTimeSeconds,
    subscriberMode: e.subscriberMode,
    uniqueChatMode: e.uniqueChatMode
  })

/**
 * What the client sent, as others see it (the `message` of a `Sent` outcome): the PRIVMSG with
 * the id Twitch gave it, the account's badges in the channel as last seen, and the reply parent.
 */
export const sent = (options: {
  readonly id: string
  readonly login: string
  readonly userId: string
  readonly displayName: string
  readonly channel: string
  readonly roomId: string
  readonly text: string
  readonly replyTo: string | undefined
  readonly badges: ReadonlyArray<Badge>
  readonly at: Date
}): string =>
  line(
    [
      ...badgeTags(options.badges),
      ["display-name", options.displayName],
      ["id", options.id],
      ...roleTags(options.badges),
      ["reply-parent-msg-id", options.replyTo ?? ""],
      ["room-id", options.roomId],
      sentTs(options.at),
      ["user-id", options.userId]
    ],
    userPrefix(options.login),
    "PRIVMSG",
    room(options.channel),
    options.text
  )

/** The IRC line of a chat notification of EventSub; undefined for other types and revocations. */
export const fromEventSub = (delivered: Delivered): string | undefined => {
  if (delivered._tag !== "Notification" || delivered.version !== "1") return undefined
  switch (delivered.type) {
    case "channel.chat.message":
      return privmsg(delivered.event, delivered.timestamp)
    case "channel.chat.notification":
      return userNotice(delivered.event, delivered.timestamp)
    case "channel.chat.clear":
    case "channel.chat.clear_user_messages":
      return clearChat(delivered.event, delivered.timestamp)
    case "channel.chat.message_delete":
      return clearMsg(delivered.event, delivered.timestamp)
    case "channel.chat_settings.update":
      return settingsUpdate(delivered.event)
    default:
      return undefined
  }
}
