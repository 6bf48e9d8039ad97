/**
 * The lazy implementation of the Twitch message model: one class per kind over the raw line.
 * Construction only records offsets found by the scan; each field is decoded when read, straight
 * from the line (a targeted `indexOf` per tag), and object-valued fields are kept once decoded.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { IrcParseError } from "../IrcError.js"
import type { IrcMessage } from "../IrcMessage.js"
import type * as TM from "../TwitchMessage.js"
import { decodeEmotes, noEmotes } from "./emotes.js"
import {
  decodePrefix,
  failure,
  firstParam,
  lastParamEnd,
  lastParamStart,
  LazyIrcMessage,
  P,
  S,
  scan,
  SCAN_OK,
  T,
  unescapeRange
} from "./irc.js"
import { type Key, key as k, lookup, V } from "./tagIndex.js"

const K = {
  badgeInfo: k("badge-info"),
  badges: k("badges"),
  banDuration: k("ban-duration"),
  bits: k("bits"),
  color: k("color"),
  customRewardId: k("custom-reward-id"),
  displayName: k("display-name"),
  emoteOnly: k("emote-only"),
  emoteSets: k("emote-sets"),
  emotes: k("emotes"),
  firstMsg: k("first-msg"),
  followersOnly: k("followers-only"),
  id: k("id"),
  login: k("login"),
  messageId: k("message-id"),
  mod: k("mod"),
  msgId: k("msg-id"),
  r9k: k("r9k"),
  replyDisplayName: k("reply-parent-display-name"),
  replyMsgBody: k("reply-parent-msg-body"),
  replyMsgId: k("reply-parent-msg-id"),
  replyUserId: k("reply-parent-user-id"),
  replyUserLogin: k("reply-parent-user-login"),
  returningChatter: k("returning-chatter"),
  roomId: k("room-id"),
  slow: k("slow"),
  sourceBadgeInfo: k("source-badge-info"),
  sourceBadges: k("source-badges"),
  sourceId: k("source-id"),
  sourceMsgId: k("source-msg-id"),
  sourceOnly: k("source-only"),
  sourceRoomId: k("source-room-id"),
  subscriber: k("subscriber"),
  subsOnly: k("subs-only"),
  systemMsg: k("system-msg"),
  targetMsgId: k("target-msg-id"),
  targetUserId: k("target-user-id"),
  threadDisplayName: k("reply-thread-parent-display-name"),
  threadMsgId: k("reply-thread-parent-msg-id"),
  threadUserId: k("reply-thread-parent-user-id"),
  threadUserLogin: k("reply-thread-parent-user-login"),
  threadId: k("thread-id"),
  tmiSentTs: k("tmi-sent-ts"),
  turbo: k("turbo"),
  userId: k("user-id"),
  userType: k("user-type"),
  vip: k("vip")
}

// Tags Twitch sends in PRIVMSGs that the model does not read, known so that the tag index's
// guesses follow Twitch's order of tags past them.
k("client-nonce")
k("flags")

const noBadges: ReadonlyMap<string, string> = new Map()

/** `set/version,set2/version2` → map. */
const decodeBadges = (value: string | undefined): ReadonlyMap<string, string> => {
  if (value === undefined || value.length === 0) return noBadges
  const map = new Map<string, string>()
  const len = value.length
  let i = 0
  while (i < len) {
    let comma = value.indexOf(",", i)
    if (comma < 0) comma = len
    const slash = value.indexOf("/", i)
    if (slash < 0 || slash > comma) {
      if (comma > i) map.set(value.slice(i, comma), "")
    } else if (slash > i) {
      map.set(value.slice(i, slash), value.slice(slash + 1, comma))
    }
    i = comma + 1
  }
  return map
}

const decodeList = (value: string | undefined): ReadonlyArray<string> => {
  if (value === undefined || value.length === 0) return []
  const out: Array<string> = []
  let i = 0
  for (;;) {
    const comma = value.indexOf(",", i)
    if (comma < 0) {
      if (i < value.length) out.push(value.slice(i))
      return out
    }
    if (comma > i) out.push(value.slice(i, comma))
    i = comma + 1
  }
}

/** An integer (optionally negative) in `s[start, end)`, or NaN. */
const readInt = (s: string, start: number, end: number): number => {
  let i = start
  let sign = 1
  if (i < end && s.charCodeAt(i) === 45) {
    sign = -1
    i++
  }
  if (i >= end || end - i > 15) return NaN
  let n = 0
  for (; i < end; i++) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) return NaN
    n = n * 10 + d
  }
  return sign * n
}

const intOf = (value: string | undefined): Option.Option<number> => {
  if (value === undefined) return Option.none()
  const n = readInt(value, 0, value.length)
  return Number.isNaN(n) ? Option.none() : Option.some(n)
}

const nonEmpty = (value: string | undefined): Option.Option<string> =>
  value === undefined || value.length === 0 ? Option.none() : Option.some(value)

const stripHash = (s: string): string => s.charCodeAt(0) === 35 ? s.slice(1) : s

const jsonValue = (u: unknown): unknown => {
  if (u instanceof Map) {
    const o: Record<string, unknown> = {}
    for (const [key, value] of u) o[key] = jsonValue(value)
    return o
  }
  if (Array.isArray(u)) return u.map(jsonValue)
  if (Option.isOption(u)) {
    return Option.isSome(u)
      ? { _id: "Option", _tag: "Some", value: jsonValue(u.value) }
      : { _id: "Option", _tag: "None" }
  }
  if (u instanceof Date) return u.toISOString()
  if (typeof u === "object" && u !== null) {
    const o: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(u)) o[key] = jsonValue(value)
    return o
  }
  return u
}

const ACTION = "\u0001ACTION "

/** What all kinds share: the IRC view, tag readers, the first parameter's range. */
abstract class TwitchBase extends LazyIrcMessage {
  declare readonly _tag: TM.TwitchMessage["_tag"]
  /** The names of the model fields, for `toJSON`. */
  declare readonly _fields: ReadonlyArray<string>
  /** The first parameter is `raw[_p0, _p1)`. */
  declare readonly _p0: number
  declare readonly _p1: number
  /** Slots for decoded values kept by the subclasses (see {@link LazyIrcMessage}). */
  declare _m1: unknown
  declare _m2: unknown
  constructor(
    raw: string,
    command: string,
    tagsEnd: number,
    prefixStart: number,
    prefixEnd: number,
    paramsStart: number,
    p0: number,
    p1: number
  ) {
    super(raw, command, tagsEnd, prefixStart, prefixEnd, paramsStart)
    this._p0 = p0
    this._p1 = p1
    this._m1 = undefined
    this._m2 = undefined
  }
  get irc(): IrcMessage {
    return this
  }
  /** Where the tag's value starts (it ends at `T.end`), or -1. */
  find(key: Key): number {
    return lookup(this, this.raw, this._tagsEnd, key)
  }
  /** The raw tag value, unescaped, or undefined. */
  s(key: Key): string | undefined {
    const start = lookup(this, this.raw, this._tagsEnd, key)
    if (start < 0) return undefined
    const end = T.end
    if (start === end) return ""
    return this.escaped(start, end) ?? this.raw.slice(start, end)
  }
  /**
   * The value `raw[start, end)` unescaped when it holds an escape, else undefined (it reads as it
   * is). Typed reads go through it so that `mod=\1` reads as the tag map does (`1`: IRCv3 drops
   * a backslash before a character without an escape meaning).
   */
  escaped(start: number, end: number): string | undefined {
    const raw = this.raw
    const escaped = V.escaped
    if (escaped === 1) return unescapeRange(raw, start, end, raw.indexOf("\\", start))
    if (escaped === 2) {
      for (let i = start; i < end; i++) {
        if (raw.charCodeAt(i) === 92) return unescapeRange(raw, start, end, i)
      }
    }
    return undefined
  }
  str(key: Key): string {
    return this.s(key) ?? ""
  }
  opt(key: Key): Option.Option<string> {
    return nonEmpty(this.s(key))
  }
  bool(key: Key): boolean {
    const start = this.find(key)
    if (start < 0) return false
    const end = T.end
    // One character: "1" or not, unless it is a lone backslash (which reads as "").
    if (end === start + 1) return this.raw.charCodeAt(start) === 49
    return this.escaped(start, end) === "1"
  }
  has(key: Key): boolean {
    return this.find(key) >= 0
  }
  optBool(key: Key): Option.Option<boolean> {
    const start = this.find(key)
    const end = T.end
    if (start < 0 || start === end) return Option.none()
    if (end === start + 1 && this.raw.charCodeAt(start) !== 92) {
      return Option.some(this.raw.charCodeAt(start) === 49)
    }
    const value = this.escaped(start, end)
    return value === "" ? Option.none() : Option.some(value === "1")
  }
  /** The tag's value as an integer (NaN when absent or not one). */
  num(key: Key): number {
    const start = this.find(key)
    if (start < 0) return NaN
    const end = T.end
    const value = this.escaped(start, end)
    return value === undefined ? readInt(this.raw, start, end) : readInt(value, 0, value.length)
  }
  int(key: Key): Option.Option<number> {
    const n = this.num(key)
    return Number.isNaN(n) ? Option.none() : Option.some(n)
  }
  date(key: Key): Option.Option<Date> {
    const n = this.num(key)
    return Number.isNaN(n) ? Option.none() : Option.some(new Date(n))
  }
  /** The first parameter without a leading `#`. */
  chan(): string {
    const raw = this.raw
    const start = raw.charCodeAt(this._p0) === 35 ? this._p0 + 1 : this._p0
    return raw.slice(start, this._p1)
  }
  /** The last parameter, or "" when there is none. */
  lastParam(): string {
    const start = lastParamStart(this.raw, this._paramsStart)
    return start < 0 ? "" : this.raw.slice(start, lastParamEnd(this.raw, start))
  }
  chatterOf(): TM.Chatter {
    const p = this._prefixEnd === 0 ? undefined : decodePrefix(this.raw, this._prefixStart, this._prefixEnd)
    return { nick: p?.nick ?? "", user: p?.user ?? "", host: p?.host ?? "" }
  }
  /** The login from the prefix: `nick` of `nick!user@host`. */
  get login(): string {
    const raw = this.raw
    const end = this._prefixEnd
    if (end === 0) return ""
    const start = this._prefixStart
    for (let i = start; i < end; i++) {
      const c = raw.charCodeAt(i)
      if (c === 33 || c === 64) return raw.slice(start, i)
    }
    return raw.slice(start, end)
  }
  override toJSON(): unknown {
    const self = this as unknown as Record<string, unknown>
    const o: Record<string, unknown> = { _tag: this._tag }
    for (const field of this._fields) o[field] = jsonValue(self[field])
    return o
  }
}

const senderFields = [
  "login",
  "displayName",
  "userId",
  "color",
  "badges",
  "badgeInfo",
  "subscriber",
  "turbo",
  "mod",
  "vip",
  "userType",
  "emotes"
]

/** Sender fields from tags (PRIVMSG, USERNOTICE, WHISPER). */
abstract class SenderBase extends TwitchBase {
  get displayName(): string {
    return this.str(K.displayName)
  }
  get userId(): string {
    return this.str(K.userId)
  }
  get color(): Option.Option<string> {
    return this.opt(K.color)
  }
  get badges(): ReadonlyMap<string, string> {
    return decodeBadges(this.s(K.badges))
  }
  get badgeInfo(): ReadonlyMap<string, string> {
    return decodeBadges(this.s(K.badgeInfo))
  }
  get subscriber(): boolean {
    return this.bool(K.subscriber)
  }
  get turbo(): boolean {
    return this.bool(K.turbo)
  }
  get mod(): boolean {
    return this.bool(K.mod)
  }
  get vip(): boolean {
    return this.has(K.vip)
  }
  get userType(): string {
    return this.str(K.userType)
  }
  /** Puts the range of the text the emotes are placed in (empty when none) in `P`. */
  abstract emoteRange(): void
  get emotes(): ReadonlyArray<TM.Emote> {
    if (this._m1 !== undefined) return this._m1 as ReadonlyArray<TM.Emote>
    const start = this.find(K.emotes)
    if (start < 0 || start === T.end) return (this._m1 = noEmotes)
    const end = T.end
    this.emoteRange()
    return (this._m1 = decodeEmotes(this.raw, start, end, this.raw, P.start, P.end, true))
  }
  /** Puts the range of the last parameter after `from` (empty when none) in `P`. */
  lastParamRange(from: number): void {
    const start = lastParamStart(this.raw, from)
    P.start = start < 0 ? 0 : start
    P.end = start < 0 ? 0 : lastParamEnd(this.raw, start)
  }
  sharedChatOf(): Option.Option<TM.SharedChatSource> {
    const roomId = this.s(K.sourceRoomId)
    if (roomId === undefined || roomId.length === 0) return Option.none()
    return Option.some({
      roomId,
      messageId: this.str(K.sourceId),
      badges: decodeBadges(this.s(K.sourceBadges)),
      badgeInfo: decodeBadges(this.s(K.sourceBadgeInfo)),
      only: this.bool(K.sourceOnly),
      kind: this.opt(K.sourceMsgId)
    })
  }
}

class PrivmsgImpl extends SenderBase implements TM.Privmsg {
  declare readonly _tag: "Privmsg"
  get channel(): string {
    return this.chan()
  }
  get chatter(): TM.Chatter {
    return this.chatterOf()
  }
  /** The raw last parameter range, in `P`. */
  textRange(): void {
    const raw = this.raw
    const start = lastParamStart(raw, this._p1)
    P.start = start
    P.end = lastParamEnd(raw, start)
  }
  /** The text without the `/me` wrapper, in `P`. */
  emoteRange(): void {
    this.textRange()
    const raw = this.raw
    let start = P.start
    let end = P.end
    if (raw.startsWith(ACTION, start)) {
      start += 8
      if (end > start && raw.charCodeAt(end - 1) === 1) end--
    }
    P.start = start
    P.end = end
  }
  get text(): string {
    this.emoteRange()
    return this.raw.slice(P.start, P.end)
  }
  get isAction(): boolean {
    this.textRange()
    return this.raw.startsWith(ACTION, P.start)
  }
  get id(): string {
    return this.str(K.id)
  }
  get roomId(): string {
    return this.str(K.roomId)
  }
  get bits(): Option.Option<number> {
    return this.int(K.bits)
  }
  get sentAt(): Option.Option<Date> {
    return this.date(K.tmiSentTs)
  }
  get firstMessage(): Option.Option<boolean> {
    return this.optBool(K.firstMsg)
  }
  get returningChatter(): Option.Option<boolean> {
    return this.optBool(K.returningChatter)
  }
  get reply(): Option.Option<TM.ReplyParent> {
    const msgId = this.s(K.replyMsgId)
    if (msgId === undefined || msgId.length === 0) return Option.none()
    return Option.some({
      msgId,
      userId: this.str(K.replyUserId),
      userLogin: this.str(K.replyUserLogin),
      displayName: this.str(K.replyDisplayName),
      body: this.str(K.replyMsgBody)
    })
  }
  get thread(): Option.Option<TM.ThreadParent> {
    const msgId = this.s(K.threadMsgId)
    if (msgId === undefined || msgId.length === 0) return Option.none()
    return Option.some({
      msgId,
      userLogin: this.str(K.threadUserLogin),
      userId: this.opt(K.threadUserId),
      displayName: this.opt(K.threadDisplayName)
    })
  }
  get sharedChat(): Option.Option<TM.SharedChatSource> {
    return this.sharedChatOf()
  }
  get customRewardId(): Option.Option<string> {
    return this.opt(K.customRewardId)
  }
  get msgId(): Option.Option<string> {
    return this.opt(K.msgId)
  }
}

const MSG_PARAM = "msg-param-"
const MSG_PARAM_NEEDLE = ";msg-param-"

/**
 * The `msg-param-*` tags of `line[1, tagsEnd)` without their prefix, found with `indexOf` (the
 * other tags are not decoded). As the tags map: the first of repeated keys wins, values unescaped.
 */
const decodeMsgParams = (line: string, tagsEnd: number): Map<string, string> => {
  const map = new Map<string, string>()
  let at = line.startsWith(MSG_PARAM, 1) ? 1 : line.indexOf(MSG_PARAM_NEEDLE, 1) + 1
  while (at > 0 && at < tagsEnd) {
    const keyStart = at + MSG_PARAM.length
    let k = keyStart
    while (k < tagsEnd) {
      const c = line.charCodeAt(k)
      if (c === 61 || c === 59) break
      k++
    }
    let end = k
    let value = ""
    if (k < tagsEnd && line.charCodeAt(k) === 61) {
      end = line.indexOf(";", k + 1)
      if (end < 0 || end > tagsEnd) end = tagsEnd
      const bs = line.indexOf("\\", k + 1)
      value = bs >= 0 && bs < end ? unescapeRange(line, k + 1, end, bs) : line.slice(k + 1, end)
    }
    const key = line.slice(keyStart, k)
    if (k <= tagsEnd && !map.has(key)) map.set(key, value)
    at = line.indexOf(MSG_PARAM_NEEDLE, end) + 1
  }
  return map
}

class UserNoticeImpl extends SenderBase implements TM.UserNotice {
  declare readonly _tag: "UserNotice"
  get channel(): string {
    return this.chan()
  }
  override get login(): string {
    return this.str(K.login)
  }
  get kind(): string {
    return this.str(K.msgId)
  }
  get text(): Option.Option<string> {
    if (!this.hasText()) return Option.none()
    return Option.some(this.lastParam())
  }
  hasText(): boolean {
    return lastParamStart(this.raw, this._p1) >= 0
  }
  emoteRange(): void {
    if (this.hasText()) this.lastParamRange(this._paramsStart)
    else P.start = P.end = 0
  }
  get systemMessage(): string {
    return this.str(K.systemMsg)
  }
  get id(): string {
    return this.str(K.id)
  }
  get roomId(): string {
    return this.str(K.roomId)
  }
  get sentAt(): Option.Option<Date> {
    return this.date(K.tmiSentTs)
  }
  get sharedChat(): Option.Option<TM.SharedChatSource> {
    return this.sharedChatOf()
  }
  get msgParams(): ReadonlyMap<string, string> {
    if (this._m2 !== undefined) return this._m2 as ReadonlyMap<string, string>
    const map = decodeMsgParams(this.raw, this._tagsEnd)
    this._m2 = map
    return map
  }
  get event(): TM.UserNoticeEvent {
    const kind = this.kind
    const params = this.msgParams
    if (kind !== "sharedchatnotice") return decodeEvent(kind, params)
    const sourceKind = this.str(K.sourceMsgId)
    // A shared notice is never itself the source of one: no recursion past one level.
    const sourceEvent = sourceKind === kind
      ? { _tag: "Other" as const, kind }
      : decodeEvent(sourceKind, params)
    return { _tag: "SharedChatNotice", sourceKind, sourceEvent }
  }
}

const num = (params: ReadonlyMap<string, string>, key: string): number => {
  const v = params.get(key)
  if (v === undefined) return 0
  const n = readInt(v, 0, v.length)
  return Number.isNaN(n) ? 0 : n
}

const str = (params: ReadonlyMap<string, string>, key: string): string => params.get(key) ?? ""

/** The `prior-gifter-*` params of a pay-forward: who gifted the sub first (none when anonymous). */
const priorGifter = (p: ReadonlyMap<string, string>): TM.PriorGifter => {
  const anonymous = p.get("prior-gifter-anonymous") === "true" || p.get("prior-gifter-anonymous") === "1"
  const known = (key: string) => anonymous ? Option.none() : nonEmpty(p.get(key))
  return {
    priorGifterAnonymous: anonymous,
    priorGifterId: known("prior-gifter-id"),
    priorGifterLogin: known("prior-gifter-user-name"),
    priorGifterDisplayName: known("prior-gifter-display-name")
  }
}

const decodeEvent = (kind: string, p: ReadonlyMap<string, string>): TM.UserNoticeEvent => {
  switch (kind) {
    case "sub":
    case "resub":
      return {
        _tag: kind === "sub" ? "Sub" : "Resub",
        cumulativeMonths: num(p, "cumulative-months"),
        streakMonths: intOf(p.get("streak-months")),
        shouldShareStreak: p.get("should-share-streak") === "1",
        plan: str(p, "sub-plan"),
        planName: str(p, "sub-plan-name")
      }
    case "subgift":
      return {
        _tag: "SubGift",
        months: num(p, "months"),
        giftMonths: p.has("gift-months") ? num(p, "gift-months") : 1,
        recipientId: str(p, "recipient-id"),
        recipientLogin: p.get("recipient-user-name") ?? str(p, "recipient-name"),
        recipientDisplayName: str(p, "recipient-display-name"),
        plan: str(p, "sub-plan"),
        planName: str(p, "sub-plan-name")
      }
    case "submysterygift":
      return {
        _tag: "SubMysteryGift",
        count: num(p, "mass-gift-count"),
        plan: str(p, "sub-plan"),
        senderCount: intOf(p.get("sender-count"))
      }
    case "giftpaidupgrade":
      return {
        _tag: "GiftPaidUpgrade",
        senderLogin: str(p, "sender-login"),
        senderName: str(p, "sender-name"),
        promoName: nonEmpty(p.get("promo-name")),
        promoGiftTotal: intOf(p.get("promo-gift-total"))
      }
    case "anongiftpaidupgrade":
      return {
        _tag: "AnonGiftPaidUpgrade",
        promoName: nonEmpty(p.get("promo-name")),
        promoGiftTotal: intOf(p.get("promo-gift-total"))
      }
    case "raid":
      return {
        _tag: "Raid",
        login: str(p, "login"),
        displayName: str(p, "displayName"),
        viewerCount: num(p, "viewerCount")
      }
    case "unraid":
      return { _tag: "Unraid" }
    case "bitsbadgetier":
      return { _tag: "BitsBadgeTier", threshold: num(p, "threshold") }
    case "announcement":
      return { _tag: "Announcement", color: p.get("color") ?? "PRIMARY" }
    case "viewermilestone":
      return {
        _tag: "ViewerMilestone",
        category: str(p, "category"),
        milestoneId: str(p, "id"),
        value: num(p, "value"),
        reward: intOf(p.get("copoReward"))
      }
    case "ritual":
      return { _tag: "Ritual", name: str(p, "ritual-name") }
    case "rewardgift":
      return {
        _tag: "RewardGift",
        domain: str(p, "domain"),
        selectedCount: num(p, "selected-count"),
        totalRewardCount: num(p, "total-reward-count"),
        triggerAmount: num(p, "trigger-amount"),
        triggerType: str(p, "trigger-type")
      }
    case "standardpayforward":
      return {
        _tag: "StandardPayForward",
        ...priorGifter(p),
        recipientId: str(p, "recipient-id"),
        recipientLogin: str(p, "recipient-user-name"),
        recipientDisplayName: str(p, "recipient-display-name")
      }
    case "communitypayforward":
      return { _tag: "CommunityPayForward", ...priorGifter(p) }
    case "primepaidupgrade":
      return { _tag: "PrimePaidUpgrade", plan: str(p, "sub-plan") }
    case "onetapgiftredeemed":
      return { _tag: "OneTapGiftRedeemed", bitsSpent: num(p, "bits-spent"), giftId: str(p, "gift-id") }
    case "primecommunitygiftreceived":
      return {
        _tag: "PrimeCommunityGiftReceived",
        giftName: str(p, "gift-name"),
        recipient: str(p, "recipient")
      }
    case "modiversary":
      return { _tag: "Modiversary", months: num(p, "months") }
    default:
      return { _tag: "Other", kind }
  }
}

class NoticeImpl extends TwitchBase implements TM.Notice {
  declare readonly _tag: "Notice"
  get channel(): Option.Option<string> {
    const ch = this.chan()
    return ch === "*" || ch.length === 0 ? Option.none() : Option.some(ch)
  }
  get text(): string {
    return this.lastParam()
  }
  get msgId(): Option.Option<string> {
    return this.opt(K.msgId)
  }
  get targetUserId(): Option.Option<string> {
    return this.opt(K.targetUserId)
  }
}

class ClearChatImpl extends TwitchBase implements TM.ClearChat {
  declare readonly _tag: "ClearChat"
  get channel(): string {
    return this.chan()
  }
  get roomId(): string {
    return this.str(K.roomId)
  }
  get targetLogin(): Option.Option<string> {
    const raw = this.raw
    let i = this._p1
    while (i < raw.length && raw.charCodeAt(i) === 32) i++
    if (i >= raw.length) return Option.none()
    return nonEmpty(this.lastParam())
  }
  get targetUserId(): Option.Option<string> {
    return this.opt(K.targetUserId)
  }
  get banDuration(): Option.Option<number> {
    return this.int(K.banDuration)
  }
  get sentAt(): Option.Option<Date> {
    return this.date(K.tmiSentTs)
  }
}

class ClearMsgImpl extends TwitchBase implements TM.ClearMsg {
  declare readonly _tag: "ClearMsg"
  get channel(): string {
    return this.chan()
  }
  get text(): Option.Option<string> {
    return lastParamStart(this.raw, this._p1) < 0 ? Option.none() : Option.some(this.lastParam())
  }
  override get login(): string {
    return this.str(K.login)
  }
  get roomId(): string {
    return this.str(K.roomId)
  }
  get targetMsgId(): string {
    return this.str(K.targetMsgId)
  }
  get sentAt(): Option.Option<Date> {
    return this.date(K.tmiSentTs)
  }
}

class RoomStateImpl extends TwitchBase implements TM.RoomState {
  declare readonly _tag: "RoomState"
  get channel(): string {
    return this.chan()
  }
  get roomId(): string {
    return this.str(K.roomId)
  }
  get emoteOnly(): Option.Option<boolean> {
    return this.optBool(K.emoteOnly)
  }
  get followersOnly(): Option.Option<number> {
    return this.int(K.followersOnly)
  }
  get r9k(): Option.Option<boolean> {
    return this.optBool(K.r9k)
  }
  get slow(): Option.Option<number> {
    return this.int(K.slow)
  }
  get subsOnly(): Option.Option<boolean> {
    return this.optBool(K.subsOnly)
  }
}

class UserStateImpl extends TwitchBase implements TM.UserState {
  declare readonly _tag: "UserState"
  get channel(): string {
    return this.chan()
  }
  get displayName(): string {
    return this.str(K.displayName)
  }
  get color(): Option.Option<string> {
    return this.opt(K.color)
  }
  get badges(): ReadonlyMap<string, string> {
    return decodeBadges(this.s(K.badges))
  }
  get badgeInfo(): ReadonlyMap<string, string> {
    return decodeBadges(this.s(K.badgeInfo))
  }
  get emoteSets(): ReadonlyArray<string> {
    return decodeList(this.s(K.emoteSets))
  }
  get id(): Option.Option<string> {
    return this.opt(K.id)
  }
  get mod(): boolean {
    return this.bool(K.mod)
  }
  get subscriber(): boolean {
    return this.bool(K.subscriber)
  }
  get turbo(): boolean {
    return this.bool(K.turbo)
  }
  get userType(): string {
    return this.str(K.userType)
  }
}

class GlobalUserStateImpl extends TwitchBase implements TM.GlobalUserState {
  declare readonly _tag: "GlobalUserState"
  get displayName(): string {
    return this.str(K.displayName)
  }
  get color(): Option.Option<string> {
    return this.opt(K.color)
  }
  get badges(): ReadonlyMap<string, string> {
    return decodeBadges(this.s(K.badges))
  }
  get badgeInfo(): ReadonlyMap<string, string> {
    return decodeBadges(this.s(K.badgeInfo))
  }
  get emoteSets(): ReadonlyArray<string> {
    return decodeList(this.s(K.emoteSets))
  }
  get userId(): string {
    return this.str(K.userId)
  }
  get turbo(): boolean {
    return this.bool(K.turbo)
  }
  get userType(): string {
    return this.str(K.userType)
  }
}

class WhisperImpl extends SenderBase implements TM.Whisper {
  declare readonly _tag: "Whisper"
  get chatter(): TM.Chatter {
    return this.chatterOf()
  }
  get recipient(): string {
    return this.raw.slice(this._p0, this._p1)
  }
  get text(): string {
    return this.lastParam()
  }
  emoteRange(): void {
    this.lastParamRange(this._paramsStart)
  }
  get messageId(): string {
    return this.str(K.messageId)
  }
  get threadId(): string {
    return this.str(K.threadId)
  }
}

class JoinImpl extends TwitchBase implements TM.Join {
  declare readonly _tag: "Join"
  get channel(): string {
    return this.chan()
  }
  get chatter(): TM.Chatter {
    return this.chatterOf()
  }
}

class PartImpl extends TwitchBase implements TM.Part {
  declare readonly _tag: "Part"
  get channel(): string {
    return this.chan()
  }
  get chatter(): TM.Chatter {
    return this.chatterOf()
  }
}

class NamesImpl extends TwitchBase implements TM.Names {
  declare readonly _tag: "Names"
  get channel(): string {
    return stripHash(this.params[2] ?? "")
  }
  get names(): ReadonlyArray<string> {
    const params = this.params
    if (params.length < 4) return []
    const out: Array<string> = []
    for (const name of params[params.length - 1].split(" ")) {
      if (name.length > 0) out.push(name)
    }
    return out
  }
}

class EndOfNamesImpl extends TwitchBase implements TM.EndOfNames {
  declare readonly _tag: "EndOfNames"
  get channel(): string {
    return stripHash(this.params[1] ?? "")
  }
}

class PingImpl extends TwitchBase implements TM.Ping {
  declare readonly _tag: "Ping"
  get text(): string {
    return this.lastParam()
  }
}

class PongImpl extends TwitchBase implements TM.Pong {
  declare readonly _tag: "Pong"
  get text(): string {
    return this.lastParam()
  }
}

class ReconnectImpl extends TwitchBase implements TM.Reconnect {
  declare readonly _tag: "Reconnect"
}

class CapImpl extends TwitchBase implements TM.Cap {
  declare readonly _tag: "Cap"
  get subcommand(): string {
    return this.params[1] ?? ""
  }
  get capabilities(): ReadonlyArray<string> {
    const params = this.params
    if (params.length < 3) return []
    return params[params.length - 1].split(" ").filter((cap) => cap.length > 0)
  }
}

class NumericImpl extends TwitchBase implements TM.Numeric {
  declare readonly _tag: "Numeric"
  get code(): number {
    return readInt(this.command, 0, this.command.length)
  }
  get text(): string {
    return this.lastParam()
  }
}

class UnknownImpl extends TwitchBase implements TM.Unknown {
  declare readonly _tag: "Unknown"
}

const define = (cls: { prototype: object }, tag: string, fields: ReadonlyArray<string>): void => {
  Object.defineProperty(cls.prototype, "_tag", { value: tag, enumerable: false, writable: false })
  Object.defineProperty(cls.prototype, "_fields", { value: fields, enumerable: false, writable: false })
}

/** The kinds whose `channel` is their first parameter without `#`. */
const channelKinds = new Set<unknown>([
  PrivmsgImpl.prototype,
  UserNoticeImpl.prototype,
  ClearChatImpl.prototype,
  ClearMsgImpl.prototype,
  RoomStateImpl.prototype,
  UserStateImpl.prototype,
  JoinImpl.prototype,
  PartImpl.prototype
])

/**
 * True when the message's `channel` is exactly `key`, compared in the line (nothing sliced: the
 * hub's channel filter runs for every message); `undefined` when that cannot be told this way
 * (another kind, or a channel written differently, e.g. in capitals): compare `channel` then.
 */
export const channelIs = (m: TM.TwitchMessage, key: string): true | undefined => {
  if (!(m instanceof TwitchBase) || !channelKinds.has(Object.getPrototypeOf(m))) return undefined
  const raw = m.raw
  const start = raw.charCodeAt(m._p0) === 35 ? m._p0 + 1 : m._p0
  return m._p1 - start === key.length && raw.startsWith(key, start) ? true : undefined
}

define(PrivmsgImpl, "Privmsg", [
  "channel",
  "text",
  "isAction",
  "chatter",
  "id",
  "roomId",
  ...senderFields,
  "bits",
  "sentAt",
  "firstMessage",
  "returningChatter",
  "reply",
  "thread",
  "sharedChat",
  "customRewardId",
  "msgId"
])
define(UserNoticeImpl, "UserNotice", [
  "channel",
  "kind",
  "text",
  "systemMessage",
  "id",
  "roomId",
  ...senderFields,
  "sentAt",
  "sharedChat",
  "msgParams",
  "event"
])
define(NoticeImpl, "Notice", ["channel", "text", "msgId", "targetUserId"])
define(ClearChatImpl, "ClearChat", [
  "channel",
  "roomId",
  "targetLogin",
  "targetUserId",
  "banDuration",
  "sentAt"
])
define(ClearMsgImpl, "ClearMsg", ["channel", "text", "login", "roomId", "targetMsgId", "sentAt"])
define(RoomStateImpl, "RoomState", [
  "channel",
  "roomId",
  "emoteOnly",
  "followersOnly",
  "r9k",
  "slow",
  "subsOnly"
])
define(UserStateImpl, "UserState", [
  "channel",
  "displayName",
  "color",
  "badges",
  "badgeInfo",
  "emoteSets",
  "id",
  "mod",
  "subscriber",
  "turbo",
  "userType"
])
define(GlobalUserStateImpl, "GlobalUserState", [
  "displayName",
  "color",
  "badges",
  "badgeInfo",
  "emoteSets",
  "userId",
  "turbo",
  "userType"
])
define(WhisperImpl, "Whisper", ["chatter", "recipient", "text", "messageId", "threadId", ...senderFields])
define(JoinImpl, "Join", ["channel", "login", "chatter"])
define(PartImpl, "Part", ["channel", "login", "chatter"])
define(NamesImpl, "Names", ["channel", "names"])
define(EndOfNamesImpl, "EndOfNames", ["channel"])
define(PingImpl, "Ping", ["text"])
define(PongImpl, "Pong", ["text"])
define(ReconnectImpl, "Reconnect", [])
define(CapImpl, "Cap", ["subcommand", "capabilities"])
define(NumericImpl, "Numeric", ["code", "text"])
define(UnknownImpl, "Unknown", ["command", "params"])

/** Whether there is a parameter after the first one (which ends at `p1`). */
const hasSecond = (line: string, p0: number, p1: number): boolean => {
  if (line.charCodeAt(p0 - 1) === 58) return false
  const len = line.length
  let i = p1
  while (i < len && line.charCodeAt(i) === 32) i++
  return i < len
}

/** Counts parameters up to `max`. */
const countParams = (line: string, from: number, max: number): number => {
  const len = line.length
  let n = 0
  let i = from
  while (n < max) {
    while (i < len && line.charCodeAt(i) === 32) i++
    if (i >= len) return n
    n++
    if (line.charCodeAt(i) === 58) return n
    const sp = line.indexOf(" ", i)
    if (sp < 0) return n
    i = sp
  }
  return n
}

type Ctor = new(
  raw: string,
  command: string,
  tagsEnd: number,
  prefixStart: number,
  prefixEnd: number,
  paramsStart: number,
  p0: number,
  p1: number
) => TwitchBase

/** Builds the message from the scratch state of the last successful scan. */
const build = (): TM.TwitchMessage => {
  const line = S.line
  const command = S.command
  const hasFirst = firstParam(line, S.paramsStart)
  const p0 = hasFirst ? P.start : line.length
  const p1 = hasFirst ? P.end : line.length
  const prefixed = S.prefixEnd !== 0
  let ctor: Ctor = UnknownImpl
  switch (command) {
    case "PRIVMSG":
      if (hasFirst && prefixed && hasSecond(line, p0, p1)) ctor = PrivmsgImpl
      break
    case "USERNOTICE":
      if (hasFirst) ctor = UserNoticeImpl
      break
    case "CLEARCHAT":
      if (hasFirst) ctor = ClearChatImpl
      break
    case "CLEARMSG":
      if (hasFirst) ctor = ClearMsgImpl
      break
    case "ROOMSTATE":
      if (hasFirst) ctor = RoomStateImpl
      break
    case "USERSTATE":
      if (hasFirst) ctor = UserStateImpl
      break
    case "GLOBALUSERSTATE":
      ctor = GlobalUserStateImpl
      break
    case "NOTICE":
      if (hasFirst && hasSecond(line, p0, p1)) ctor = NoticeImpl
      break
    case "WHISPER":
      if (hasFirst && prefixed && hasSecond(line, p0, p1)) ctor = WhisperImpl
      break
    case "JOIN":
      if (hasFirst && prefixed) ctor = JoinImpl
      break
    case "PART":
      if (hasFirst && prefixed) ctor = PartImpl
      break
    case "PING":
      ctor = PingImpl
      break
    case "PONG":
      ctor = PongImpl
      break
    case "RECONNECT":
      ctor = ReconnectImpl
      break
    case "CAP":
      if (countParams(line, S.paramsStart, 2) === 2) ctor = CapImpl
      break
    case "353":
      if (countParams(line, S.paramsStart, 3) === 3) ctor = NamesImpl
      break
    case "366":
      if (hasFirst && hasSecond(line, p0, p1)) ctor = EndOfNamesImpl
      break
    default: {
      const c = command.charCodeAt(0)
      if (c >= 48 && c <= 57) ctor = NumericImpl
    }
  }
  return new ctor(
    line,
    command,
    S.tagsEnd,
    S.prefixStart,
    S.prefixEnd,
    S.paramsStart,
    p0,
    p1
  ) as unknown as TM.TwitchMessage
}

/** See `TwitchMessage.parseTwitchLine`. */
export const parseTwitchLine = (line: string): Either.Either<TM.TwitchMessage, IrcParseError> => {
  if (typeof line !== "string") return Either.left(failure(0, line))
  const code = scan(line)
  return code === SCAN_OK ? Either.right(build()) : Either.left(failure(code, line))
}
