/**
 * Chat as EventSub sees it, from the lines the mock's IRC server sends to a room (Twitch's own
 * IRC-to-EventSub table): PRIVMSG is `channel.chat.message` (and `channel.cheer` with bits),
 * USERNOTICE is `channel.chat.notification` (and `channel.subscription.message`,
 * `channel.subscription.gift`, `channel.raid` for resubs, gifts and raids), CLEARCHAT is
 * `channel.chat.clear` or `channel.chat.clear_user_messages` plus `channel.ban`, CLEARMSG is
 * `channel.chat.message_delete`. Message text becomes fragments (text, emotes from the `emotes`
 * tag, mentions of known users, cheermotes). Pure functions of a parsed line.
 *
 * @since 0.1.0
 */
import type { IrcLine } from "../irc/Message.js"
import type * as MockWorld from "../World.js"
import type { Emission } from "./Delivery.js"
import type { Json, JsonObject } from "./Payload.js"

/**
 * What the mapping may look up in the world.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lookups {
  readonly userByLogin: (login: string) => MockWorld.User | undefined
  readonly userById: (id: string) => MockWorld.User | undefined
  readonly emote: (id: string) => MockWorld.Emote | undefined
  /** RFC3339 nanosecond timestamp of epoch milliseconds. */
  readonly time: (millis: number) => string
  /**
   * Whether a message id is one of a message sent with Send Chat Message: the world feed tells
   * those (with what only Helix knows, such as the Chat Bot badge), so their PRIVMSG is not told
   * twice.
   */
  readonly sentWithHelix: (messageId: string) => boolean
}

/**
 * The types this mapping produces (the chat tap joins a channel when one of them is subscribed).
 *
 * @since 0.1.0
 * @category constants
 */
export const types: ReadonlySet<string> = new Set([
  "channel.chat.message",
  "channel.chat.notification",
  "channel.chat.clear",
  "channel.chat.clear_user_messages",
  "channel.chat.message_delete",
  "channel.cheer",
  "channel.ban",
  "channel.subscription.message",
  "channel.subscription.gift",
  "channel.raid"
])

/**
 * The room (broadcaster id) whose chat a subscription needs the tap in, if any.
 *
 * @since 0.1.0
 * @category chat
 */
export const roomOf = (
  type: string,
  condition: Readonly<Record<string, string>>
): string | undefined => {
  if (!types.has(type)) return undefined
  const room = condition.broadcaster_user_id ?? condition.to_broadcaster_user_id
  return room === "" ? undefined : room
}

const fragment = (type: string, text: string, extra: JsonObject = {}): JsonObject => ({
  type,
  text,
  cheermote: null,
  emote: null,
  mention: null,
  ...extra
})

/** Text, mentions and cheermotes of a stretch of text without emotes. */
const wordFragments = (text: string, bits: boolean, lookups: Lookups): ReadonlyArray<JsonObject> => {
  const out: Array<JsonObject> = []
  let plain = ""
  const flush = () => {
    if (plain !== "") out.push(fragment("text", plain))
    plain = ""
  }
  for (const part of text.split(/( )/)) {
    const mentioned = part.startsWith("@") ? lookups.userByLogin(part.slice(1).toLowerCase()) : undefined
    const cheer = bits ? /^([A-Za-z]+)(\d+)$/.exec(part) : null
    if (mentioned !== undefined) {
      flush()
      out.push(fragment("mention", part, {
        mention: { user_id: mentioned.id, user_login: mentioned.login, user_name: mentioned.displayName }
      }))
    } else if (cheer !== null) {
      flush()
      const amount = Number(cheer[2])
      const tier = amount >= 10_000
        ? 10_000
        : amount >= 5_000
        ? 5_000
        : amount >= 1_000
        ? 1_000
        : amount >= 100
        ? 100
        : 1
      out.push(
        fragment("cheermote", part, { cheermote: { prefix: cheer[1].toLowerCase(), bits: amount, tier } })
      )
    } else {
      plain += part
    }
  }
  flush()
  return out
}

/**
 * A message's fragments from its text and `emotes` tag (`id:start-end,.../id2:...`, code points).
 *
 * @since 0.1.0
 * @category chat
 */
export const fragments = (
  text: string,
  emotesTag: string,
  bits: boolean,
  lookups: Lookups
): ReadonlyArray<JsonObject> => {
  const points = Array.from(text)
  const ranges: Array<{ readonly id: string; readonly start: number; readonly end: number }> = []
  for (const entry of emotesTag === "" ? [] : emotesTag.split("/")) {
    const [id, positions = ""] = entry.split(":")
    for (const range of positions.split(",")) {
      const [start, end] = range.split("-").map(Number)
      if (Number.isInteger(start) && Number.isInteger(end) && end >= start) ranges.push({ id, start, end })
    }
  }
  ranges.sort((a, b) => a.start - b.start)
  const out: Array<JsonObject> = []
  let at = 0
  for (const r of ranges) {
    if (r.start < at || r.end >= points.length) continue
    out.push(...wordFragments(points.slice(at, r.start).join(""), bits, lookups))
    const emote = lookups.emote(r.id)
    out.push(fragment("emote", points.slice(r.start, r.end + 1).join(""), {
      emote: {
        id: r.id,
        emote_set_id: emote?.setId ?? "0",
        owner_id: emote?.ownerId ?? "0",
        format: emote === undefined ? ["static"] : [...emote.formats]
      }
    }))
    at = r.end + 1
  }
  out.push(...wordFragments(points.slice(at).join(""), bits, lookups))
  return out
}

/**
 * Badges from the `badges` and `badge-info` tags (`set/id,...`).
 *
 * @since 0.1.0
 * @category chat
 */
export const badges = (badgesTag: string, infoTag: string): ReadonlyArray<JsonObject> => {
  const info = new Map(
    infoTag.split(",").filter((b) => b !== "").map((b) => {
      const [set, value = ""] = b.split("/")
      return [set, value] as const
    })
  )
  return badgesTag.split(",").filter((b) => b.includes("/")).map((b) => {
    const [set, id] = b.split("/")
    return { set_id: set, id, info: info.get(set) ?? "" }
  })
}

const tag = (line: IrcLine, key: string): string => line.tags.get(key) ?? ""

const nickOf = (line: IrcLine): string => (line.prefix ?? "").split("!")[0]

const bodyOf = (line: IrcLine): string => {
  const text = line.params[1] ?? ""
  return text.startsWith("\x01ACTION ") && text.endsWith("\x01") ? text.slice(8, -1) : text
}

const on = (type: string, broadcasterId: string, event: JsonObject): Emission => ({
  type,
  condition: { broadcaster_user_id: broadcasterId },
  event: { broadcaster_user_id: broadcasterId, ...event }
})

const reply = (line: IrcLine): Json => {
  const parent = tag(line, "reply-parent-msg-id")
  if (parent === "") return null
  return {
    parent_message_id: parent,
    parent_message_body: tag(line, "reply-parent-msg-body"),
    parent_user_id: tag(line, "reply-parent-user-id"),
    parent_user_name: tag(line, "reply-parent-display-name"),
    parent_user_login: tag(line, "reply-parent-user-login"),
    thread_message_id: tag(line, "reply-thread-parent-msg-id") || parent,
    thread_user_id: tag(line, "reply-thread-parent-user-id") || tag(line, "reply-parent-user-id"),
    thread_user_name: tag(line, "reply-thread-parent-display-name") || tag(line, "reply-parent-display-name"),
    thread_user_login: tag(line, "reply-thread-parent-user-login") || tag(line, "reply-parent-user-login")
  }
}

const messageType = (line: IrcLine): string => {
  switch (tag(line, "msg-id")) {
    case "highlighted-message":
      return "channel_points_highlighted"
    case "user-intro":
      return "user_intro"
    default:
      return tag(line, "custom-reward-id") === "" ? "text" : "channel_points_sub_only"
  }
}

const privmsg = (line: IrcLine, lookups: Lookups): ReadonlyArray<Emission> => {
  if (lookups.sentWithHelix(tag(line, "id"))) return []
  const room = tag(line, "room-id")
  const text = bodyOf(line)
  // Twitch keeps a `/me` message's `\x01ACTION ...\x01` in `message.text`; the fragments are the body.
  const wire = line.params[1] ?? ""
  const bits = Number(tag(line, "bits") || "0")
  const chatter = {
    user_id: tag(line, "user-id"),
    user_login: nickOf(line),
    user_name: tag(line, "display-name")
  }
  const message = on("channel.chat.message", room, {
    chatter_user_id: chatter.user_id,
    chatter_user_login: chatter.user_login,
    chatter_user_name: chatter.user_name,
    message_id: tag(line, "id"),
    message: { text: wire, fragments: fragments(text, tag(line, "emotes"), bits > 0, lookups) },
    message_type: messageType(line),
    badges: badges(tag(line, "badges"), tag(line, "badge-info")),
    cheer: bits > 0 ? { bits } : null,
    color: tag(line, "color"),
    reply: reply(line),
    channel_points_custom_reward_id: tag(line, "custom-reward-id") || null
  })
  if (bits <= 0) return [message]
  return [message, on("channel.cheer", room, { is_anonymous: false, ...chatter, message: text, bits })]
}

const tierOf = (plan: string): string => (plan === "2000" || plan === "3000" ? plan : "1000")

/** The notice type and its object for a USERNOTICE `msg-id`, and the extra types it also is. */
const noticeOf = (line: IrcLine, room: string): {
  readonly type: string
  readonly object: JsonObject
  readonly also: ReadonlyArray<Emission>
} | undefined => {
  const p = (key: string) => tag(line, `msg-param-${key}`)
  const plan = p("sub-plan")
  const user = {
    user_id: tag(line, "user-id"),
    user_login: tag(line, "login"),
    user_name: tag(line, "display-name")
  }
  switch (tag(line, "msg-id")) {
    case "sub":
      return {
        type: "sub",
        object: { sub_tier: tierOf(plan), is_prime: plan === "Prime", duration_months: 1 },
        also: []
      }
    case "resub": {
      const months = Number(p("cumulative-months") || "1")
      const streak = p("should-share-streak") === "1" ? Number(p("streak-months") || "0") : null
      const object = {
        cumulative_months: months,
        duration_months: 1,
        streak_months: streak,
        sub_tier: tierOf(plan),
        is_prime: plan === "Prime",
        is_gift: false
      }
      const also = on("channel.subscription.message", room, {
        ...user,
        tier: tierOf(plan),
        message: { text: bodyOf(line), emotes: [] },
        cumulative_months: months,
        streak_months: streak,
        duration_months: 1
      })
      return { type: "resub", object, also: [also] }
    }
    case "subgift":
      return {
        type: "sub_gift",
        object: {
          duration_months: Number(p("gift-months") || "1"),
          recipient_user_id: p("recipient-id"),
          recipient_user_name: p("recipient-display-name"),
          recipient_user_login: p("recipient-user-name"),
          sub_tier: tierOf(plan)
        },
        also: []
      }
    case "submysterygift": {
      const total = Number(p("mass-gift-count") || "1")
      const cumulative = p("sender-count") === "" ? null : Number(p("sender-count"))
      const gift = on("channel.subscription.gift", room, {
        ...user,
        total,
        tier: tierOf(plan),
        cumulative_total: cumulative,
        is_anonymous: false
      })
      return {
        type: "community_sub_gift",
        object: { id: tag(line, "id"), total, sub_tier: tierOf(plan), cumulative_total: cumulative },
        also: [gift]
      }
    }
    case "raid": {
      const viewers = Number(p("viewerCount") || "0")
      const raid: Emission = {
        type: "channel.raid",
        condition: { to_broadcaster_user_id: room, from_broadcaster_user_id: user.user_id },
        event: { to_broadcaster_user_id: room, from_broadcaster_user_id: user.user_id, viewers }
      }
      return {
        type: "raid",
        object: {
          ...user,
          user_login: p("login") || user.user_login,
          viewer_count: viewers,
          profile_image_url: p("profileImageURL")
        },
        also: [raid]
      }
    }
    case "announcement":
      return { type: "announcement", object: { color: p("color") || "PRIMARY" }, also: [] }
    case "primepaidupgrade":
      return { type: "prime_paid_upgrade", object: { sub_tier: tierOf(plan) }, also: [] }
    case "giftpaidupgrade":
      return { type: "gift_paid_upgrade", object: { gifter_is_anonymous: false }, also: [] }
    default:
      return undefined
  }
}

const usernotice = (line: IrcLine, lookups: Lookups): ReadonlyArray<Emission> => {
  const room = tag(line, "room-id")
  const notice = noticeOf(line, room)
  if (notice === undefined) return []
  const text = line.params[1] ?? ""
  return [
    on("channel.chat.notification", room, {
      chatter_user_id: tag(line, "user-id"),
      chatter_user_login: tag(line, "login"),
      chatter_user_name: tag(line, "display-name"),
      chatter_is_anonymous: false,
      color: tag(line, "color"),
      badges: badges(tag(line, "badges"), tag(line, "badge-info")),
      system_message: tag(line, "system-msg"),
      message_id: tag(line, "id"),
      message: { text, fragments: fragments(text, tag(line, "emotes"), false, lookups) },
      notice_type: notice.type,
      [notice.type]: notice.object
    }),
    ...notice.also
  ]
}

const clearchat = (line: IrcLine, lookups: Lookups): ReadonlyArray<Emission> => {
  const room = tag(line, "room-id")
  const login = line.params[1]
  if (login === undefined || login === "") return [on("channel.chat.clear", room, {})]
  const target = {
    user_id: tag(line, "target-user-id"),
    user_login: login,
    user_name: lookups.userByLogin(login)?.displayName ?? login
  }
  const duration = tag(line, "ban-duration")
  const at = Number(tag(line, "tmi-sent-ts") || "0")
  return [
    on("channel.chat.clear_user_messages", room, {
      target_user_id: target.user_id,
      target_user_login: target.user_login,
      target_user_name: target.user_name
    }),
    on("channel.ban", room, {
      ...target,
      moderator_user_id: room,
      reason: "",
      banned_at: lookups.time(at),
      ends_at: duration === "" ? null : lookups.time(at + Number(duration) * 1000),
      is_permanent: duration === ""
    })
  ]
}

const clearmsg = (line: IrcLine, lookups: Lookups): ReadonlyArray<Emission> => {
  const login = tag(line, "login")
  const user = lookups.userByLogin(login)
  return [
    on("channel.chat.message_delete", tag(line, "room-id"), {
      target_user_id: user?.id ?? "",
      target_user_login: login,
      target_user_name: user?.displayName ?? login,
      message_id: tag(line, "target-msg-id")
    })
  ]
}

/**
 * What a message sent with Send Chat Message needs from the world to be told as EventSub tells it.
 *
 * @since 0.1.0
 * @category models
 */
export interface HelixSent {
  readonly message: MockWorld.SentMessage
  readonly sender: MockWorld.User
  readonly broadcaster: MockWorld.User
  /** The sender's badges in the channel (`set/id,...`) and their info. */
  readonly badges: string
  readonly badgeInfo: string
  readonly color: string
  /** IRC's `emotes` tag of the text (emote names Twitch recognised). */
  readonly emotes: string
  /** The message replied to, when it was sent through Send Chat Message too. */
  readonly parent: { readonly message: MockWorld.SentMessage; readonly user: MockWorld.User } | undefined
}

/**
 * A message sent with Send Chat Message as `channel.chat.message`: the sender's badges, plus the
 * Chat Bot badge (`bot-badge`) when it was sent with an app token. (The mock has no shared chat
 * sessions, so `for_source_only` changes nothing here; the world keeps it.)
 *
 * @since 0.1.0
 * @category chat
 */
export const helixMessage = (sent: HelixSent, lookups: Lookups): Emission => {
  const { message, parent, sender } = sent
  const badgeList = [
    ...badges(sent.badges, sent.badgeInfo),
    ...(message.chatBot === true ? [{ set_id: "bot-badge", id: "1", info: "" }] : [])
  ]
  const reply: Json = message.replyParentMessageId === "" ? null : {
    parent_message_id: message.replyParentMessageId,
    parent_message_body: parent?.message.text ?? "",
    parent_user_id: parent?.user.id ?? "",
    parent_user_name: parent?.user.displayName ?? "",
    parent_user_login: parent?.user.login ?? "",
    thread_message_id: parent?.message.replyParentMessageId || message.replyParentMessageId,
    thread_user_id: parent?.user.id ?? "",
    thread_user_name: parent?.user.displayName ?? "",
    thread_user_login: parent?.user.login ?? ""
  }
  return on("channel.chat.message", message.broadcasterId, {
    broadcaster_user_login: sent.broadcaster.login,
    broadcaster_user_name: sent.broadcaster.displayName,
    chatter_user_id: sender.id,
    chatter_user_login: sender.login,
    chatter_user_name: sender.displayName,
    message_id: message.id,
    message: { text: message.text, fragments: fragments(message.text, sent.emotes, false, lookups) },
    message_type: "text",
    badges: badgeList,
    cheer: null,
    color: sent.color,
    reply,
    channel_points_custom_reward_id: null
  })
}

/**
 * The emissions of one line a room received (none for other commands).
 *
 * @since 0.1.0
 * @category chat
 */
export const emissions = (line: IrcLine, lookups: Lookups): ReadonlyArray<Emission> => {
  if (tag(line, "room-id") === "") return []
  switch (line.command) {
    case "PRIVMSG":
      return privmsg(line, lookups)
    case "USERNOTICE":
      return usernotice(line, lookups)
    case "CLEARCHAT":
      return clearchat(line, lookups)
    case "CLEARMSG":
      return clearmsg(line, lookups)
    default:
      return []
  }
}
