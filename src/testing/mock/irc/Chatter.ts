/**
 * A deterministic chat generator for the mock IRC server: given a seed it produces the same
 * sequence of realistic Twitch lines per channel (PRIVMSGs with full tags, emoji, emotes with
 * code-point ranges, replies, cheers, `/me`, USERNOTICEs, CLEARCHAT, CLEARMSG, ROOMSTATE changes).
 *
 * @since 0.1.0
 */
import * as Message from "./Message.js"

/**
 * What the generator needs to know about a channel.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChatterChannel {
  readonly login: string
  readonly id: string
  readonly displayName: string
  /** Emotes usable in the channel (name -> id), global and channel emotes alike. */
  readonly emotes: ReadonlyArray<{ readonly id: string; readonly name: string }>
  /**
   * BTTV, FFZ and 7TV emotes chatters type in the channel (not in the `emotes` tag: Twitch does
   * not know them); zero-width ones are put right after another emote.
   */
  readonly thirdPartyEmotes?:
    | ReadonlyArray<{ readonly name: string; readonly zeroWidth: boolean }>
    | undefined
}

/**
 * One generated line with what tests may want to check about it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Generated {
  readonly kind: "PRIVMSG" | "USERNOTICE" | "CLEARCHAT" | "CLEARMSG" | "ROOMSTATE"
  /** The line without `\r\n`. */
  readonly line: string
  /** Message id (PRIVMSG, USERNOTICE). */
  readonly id?: string | undefined
  readonly login?: string | undefined
  readonly userId?: string | undefined
  readonly displayName?: string | undefined
  /** Message text as sent (with `\x01ACTION ...\x01` for `/me`). */
  readonly text?: string | undefined
  /** ROOMSTATE changes: the tag set on the channel. */
  readonly roomState?: Readonly<Record<string, string>> | undefined
}

/**
 * Emotes every generated channel knows, with Twitch's real global ids.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultEmotes: ReadonlyArray<{ readonly id: string; readonly name: string }> = [
  { id: "25", name: "Kappa" },
  { id: "305954156", name: "PogChamp" },
  { id: "425618", name: "LUL" },
  { id: "354", name: "4Head" },
  { id: "86", name: "BibleThump" },
  { id: "emotesv2_dcd06b30a5c24f6eb871e8f5edbd44f7", name: "DinoDance" }
]

/** mulberry32: tiny, fast, deterministic. */
const prng = (seed: number) => {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const hash = (text: string): number => {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 16777619)
  }
  return h >>> 0
}

interface Chatter {
  readonly login: string
  readonly displayName: string
  readonly userId: string
  readonly color: string
  readonly subMonths: number
  readonly mod: boolean
  readonly vip: boolean
  readonly turbo: boolean
}

const firstNames = [
  "pixel",
  "nova",
  "gamer",
  "lurker",
  "clip",
  "speed",
  "cozy",
  "night",
  "retro",
  "frog",
  "astro",
  "mango"
]
const lastNames = ["fox", "wizard", "runner", "owl", "bot", "queen", "king", "potato", "ninja", "cat"]

const words = [
  "hello",
  "chat",
  "that",
  "was",
  "insane",
  "gg",
  "no",
  "way",
  "clip",
  "it",
  "lets",
  "go",
  "first",
  "time",
  "here",
  "love",
  "the",
  "stream",
  "what",
  "a",
  "play",
  "wp",
  "hype",
  "omg",
  "bruh",
  "true",
  "W",
  "L",
  "poggers"
]

const emoji = ["😂", "👍🏽", "🔥", "❤️", "🇺🇸", "🎉", "😭", "👀", "✨"]

const colors = ["#FF0000", "#0000FF", "#00FF7F", "#9ACD32", "#FF7F50", "#1E90FF", "#DAA520", "#8A2BE2", ""]

const uuid = (rand: () => number): string => {
  const hex = (n: number) => {
    let s = ""
    for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16)
    return s
  }
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(rand() * 4)).toString(16)}${hex(3)}-${hex(12)}`
}

/**
 * A source of message ids that look like Twitch's (UUID v4 shape) but are a seeded prefix plus a
 * counter: unique for the life of the source, cheap (no crypto), and the same sequence for the same
 * seed, so runs are reproducible.
 *
 * @since 0.1.0
 * @category models
 */
export interface MessageIds {
  /** The first four groups and the dash before the last one (`xxxxxxxx-xxxx-4xxx-yxxx-`). */
  readonly prefix: string
  /** The next id: {@link MessageIds.prefix} followed by the counter as 12 hex digits. */
  readonly next: () => string
  /** Reserves `count` consecutive counter values and returns the first (for bulk id splicing). */
  readonly reserve: (count: number) => number
  /** The id of a reserved counter value. */
  readonly format: (counter: number) => string
}

/**
 * Makes a {@link MessageIds} source for a seed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const messageIds = (seed: number): MessageIds => {
  const rand = prng(seed ^ 0x1d5e_e7a1)
  const prefix = uuid(rand).slice(0, 24)
  let counter = 0
  const format = (n: number): string => prefix + n.toString(16).padStart(12, "0")
  return {
    prefix,
    format,
    next: () => format(counter++),
    reserve: (count) => {
      const first = counter
      counter += count
      return first
    }
  }
}

const pick = <A>(rand: () => number, items: ReadonlyArray<A>): A => items[Math.floor(rand() * items.length)]

const makeChatters = (rand: () => number, count: number): Array<Chatter> => {
  const list: Array<Chatter> = []
  for (let i = 0; i < count; i++) {
    const login = `${pick(rand, firstNames)}_${pick(rand, lastNames)}${Math.floor(rand() * 1000)}`
    const style = rand()
    // Some chatters have a localized display name; one quirk Twitch really sends is a trailing space.
    const displayName = style < 0.08
      ? "ゲーマー" + i
      : style < 0.12
      ? login.toUpperCase() + " "
      : login.replace(/^./, (c) => c.toUpperCase())
    list.push({
      login,
      displayName,
      userId: String(100000000 + Math.floor(rand() * 800000000)),
      color: pick(rand, colors),
      subMonths: rand() < 0.4 ? 1 + Math.floor(rand() * 40) : 0,
      mod: rand() < 0.05,
      vip: rand() < 0.05,
      turbo: rand() < 0.03
    })
  }
  return list
}

const badgesOf = (c: Chatter): { badges: string; badgeInfo: string } => {
  const badges: Array<string> = []
  if (c.mod) badges.push("moderator/1")
  if (c.vip) badges.push("vip/1")
  if (c.subMonths > 0) {
    badges.push(`subscriber/${c.subMonths >= 12 ? 12 : c.subMonths >= 6 ? 6 : c.subMonths >= 3 ? 3 : 0}`)
  }
  if (c.turbo) badges.push("turbo/1")
  return { badges: badges.join(","), badgeInfo: c.subMonths > 0 ? `subscriber/${c.subMonths}` : "" }
}

const userTags = (c: Chatter, channel: ChatterChannel, now: number, id: string): Record<string, string> => {
  const { badgeInfo, badges } = badgesOf(c)
  const tags: Record<string, string> = {
    "badge-info": badgeInfo,
    badges,
    color: c.color,
    "display-name": c.displayName,
    id,
    mod: c.mod ? "1" : "0",
    "room-id": channel.id,
    subscriber: c.subMonths > 0 ? "1" : "0",
    "tmi-sent-ts": String(now),
    turbo: c.turbo ? "1" : "0",
    "user-id": c.userId,
    "user-type": c.mod ? "mod" : ""
  }
  if (c.vip) tags.vip = "1"
  return tags
}

/**
 * A generator: call {@link Generator.next} for the next line of a channel, or
 * {@link Generator.privmsg} for a PRIVMSG only (used by the blast benchmark).
 *
 * @since 0.1.0
 * @category models
 */
export interface Generator {
  readonly next: (channel: ChatterChannel, now: number) => Generated
  readonly privmsg: (channel: ChatterChannel, now: number) => Generated
}

interface ChannelState {
  readonly rand: () => number
  readonly chatters: Array<Chatter>
  readonly recent: Array<{ id: string; chatter: Chatter; text: string }>
  count: number
}

const text = (s: ChannelState, channel: ChatterChannel): string => {
  const rand = s.rand
  const emotes = channel.emotes.length > 0 ? channel.emotes : defaultEmotes
  const n = 1 + Math.floor(rand() * 8)
  const parts: Array<string> = []
  for (let i = 0; i < n; i++) {
    const r = rand()
    parts.push(r < 0.2 ? pick(rand, emotes).name : r < 0.32 ? pick(rand, emoji) : pick(rand, words))
  }
  // Emoji right before an emote: the case that breaks UTF-16 offset math.
  if (rand() < 0.25) parts.unshift(pick(rand, emoji), pick(rand, emotes).name)
  const extra = channel.thirdPartyEmotes ?? []
  const plain = extra.filter((e) => !e.zeroWidth)
  if (plain.length > 0 && rand() < 0.5) {
    const at = Math.floor(rand() * (parts.length + 1))
    const added = [pick(rand, plain).name]
    // A zero-width emote goes over the emote before it.
    const overlays = extra.filter((e) => e.zeroWidth)
    if (overlays.length > 0 && rand() < 0.3) added.push(pick(rand, overlays).name)
    parts.splice(at, 0, ...added)
  }
  return parts.join(" ")
}

/** The channel's emotes by name (the default emotes when it has none). */
const emoteNamesOf = (channel: ChatterChannel): ReadonlyMap<string, string> =>
  new Map((channel.emotes.length > 0 ? channel.emotes : defaultEmotes).map((e) => [e.name, e.id] as const))

const privmsg = (s: ChannelState, channel: ChatterChannel, now: number): Generated => {
  const rand = s.rand
  const c = pick(rand, s.chatters)
  const id = uuid(rand)
  const tags = userTags(c, channel, now, id)
  let body = text(s, channel)
  const emoteNames = emoteNamesOf(channel)
  const r = rand()
  if (r < 0.05) {
    const bits = pick(rand, [1, 100, 500, 1000])
    // Sometimes a second cheer at the end, in another case (Twitch reads cheers case-insensitively).
    const more = rand() < 0.4 ? pick(rand, [1, 50, 250]) : 0
    tags.bits = String(bits + more)
    body = more > 0 ? `Cheer${bits} ${body} cheer${more}` : `Cheer${bits} ${body}`
  }
  tags.emotes = Message.emoteTag(body, emoteNames)
  tags["first-msg"] = rand() < 0.03 ? "1" : "0"
  tags["returning-chatter"] = rand() < 0.05 ? "1" : "0"
  tags.flags = ""
  if (rand() < 0.3) tags["client-nonce"] = uuid(rand).replace(/-/g, "")
  if (r >= 0.05 && r < 0.15 && s.recent.length > 0) {
    const parent = pick(rand, s.recent)
    tags["reply-parent-msg-id"] = parent.id
    tags["reply-parent-user-id"] = parent.chatter.userId
    tags["reply-parent-user-login"] = parent.chatter.login
    tags["reply-parent-display-name"] = parent.chatter.displayName
    tags["reply-parent-msg-body"] = parent.text
    tags["reply-thread-parent-msg-id"] = parent.id
    tags["reply-thread-parent-user-login"] = parent.chatter.login
    tags["reply-thread-parent-user-id"] = parent.chatter.userId
    tags["reply-thread-parent-display-name"] = parent.chatter.displayName
    body = `@${parent.chatter.login} ${body}`
    // The mention shifts the emote ranges.
    tags.emotes = Message.emoteTag(body, emoteNames)
  }
  let wire = body
  if (r >= 0.15 && r < 0.2) {
    wire = `\x01ACTION ${body}\x01`
  }
  s.recent.push({ id, chatter: c, text: body })
  if (s.recent.length > 50) s.recent.shift()
  s.count++
  return {
    kind: "PRIVMSG",
    line: Message.format({
      tags,
      prefix: `${c.login}!${c.login}@${c.login}.tmi.twitch.tv`,
      command: "PRIVMSG",
      params: [`#${channel.login}`],
      trailing: wire
    }),
    id,
    login: c.login,
    userId: c.userId,
    displayName: c.displayName,
    text: wire
  }
}

const usernotice = (s: ChannelState, channel: ChatterChannel, now: number): Generated => {
  const rand = s.rand
  const c = pick(rand, s.chatters)
  const id = uuid(rand)
  const tags = userTags(c, channel, now, id)
  tags.login = c.login
  tags.emotes = ""
  tags.flags = ""
  const kind = pick(rand, [
    "sub",
    "resub",
    "subgift",
    "submysterygift",
    "raid",
    "announcement",
    "viewermilestone"
  ])
  tags["msg-id"] = kind
  const plan = pick(rand, ["Prime", "1000", "2000", "3000"])
  const planName = plan === "Prime"
    ? "Channel Subscription (prime)"
    : `Channel Subscription (${channel.login})`
  const planText = plan === "Prime" ? "Prime" : `Tier ${plan[0]}`
  let trailing: string | undefined
  switch (kind) {
    case "sub":
      tags["msg-param-cumulative-months"] = "1"
      tags["msg-param-should-share-streak"] = "0"
      tags["msg-param-streak-months"] = "0"
      tags["msg-param-sub-plan"] = plan
      tags["msg-param-sub-plan-name"] = planName
      tags["system-msg"] = `${c.displayName.trim()} subscribed with ${planText}.`
      break
    case "resub": {
      const months = 2 + Math.floor(rand() * 40)
      tags["msg-param-cumulative-months"] = String(months)
      tags["msg-param-should-share-streak"] = "1"
      tags["msg-param-streak-months"] = String(Math.max(1, months - 1))
      tags["msg-param-sub-plan"] = plan
      tags["msg-param-sub-plan-name"] = planName
      tags["system-msg"] =
        `${c.displayName.trim()} subscribed at ${planText}. They've subscribed for ${months} months!`
      trailing = text(s, channel)
      tags.emotes = Message.emoteTag(
        trailing,
        emoteNamesOf(channel)
      )
      break
    }
    case "subgift": {
      const r = pick(rand, s.chatters)
      tags["msg-param-months"] = String(1 + Math.floor(rand() * 12))
      tags["msg-param-recipient-display-name"] = r.displayName
      tags["msg-param-recipient-id"] = r.userId
      tags["msg-param-recipient-user-name"] = r.login
      tags["msg-param-gift-months"] = "1"
      tags["msg-param-sub-plan"] = plan === "Prime" ? "1000" : plan
      tags["msg-param-sub-plan-name"] = planName
      tags["system-msg"] = `${c.displayName.trim()} gifted a Tier 1 sub to ${r.displayName.trim()}!`
      break
    }
    case "submysterygift": {
      const count = pick(rand, [1, 5, 10, 50])
      tags["msg-param-mass-gift-count"] = String(count)
      tags["msg-param-sender-count"] = String(count + Math.floor(rand() * 100))
      tags["msg-param-sub-plan"] = "1000"
      tags["system-msg"] =
        `${c.displayName.trim()} is gifting ${count} Tier 1 Subs to ${channel.displayName}'s community!`
      break
    }
    case "raid": {
      const viewers = 1 + Math.floor(rand() * 5000)
      tags["msg-param-displayName"] = c.displayName
      tags["msg-param-login"] = c.login
      tags["msg-param-viewerCount"] = String(viewers)
      tags["msg-param-profileImageURL"] =
        `https://static-cdn.jtvnw.net/jtv_user_pictures/${c.login}-profile_image-70x70.png`
      tags["system-msg"] = `${viewers} raiders from ${c.displayName.trim()} have joined!`
      break
    }
    case "announcement":
      tags["msg-param-color"] = pick(rand, ["PRIMARY", "BLUE", "GREEN", "ORANGE", "PURPLE"])
      tags["system-msg"] = ""
      trailing = text(s, channel)
      tags.emotes = Message.emoteTag(
        trailing,
        emoteNamesOf(channel)
      )
      break
    default: {
      const value = 3 + Math.floor(rand() * 50)
      tags["msg-param-category"] = "watch-streak"
      tags["msg-param-copoReward"] = "450"
      tags["msg-param-id"] = uuid(rand)
      tags["msg-param-value"] = String(value)
      tags["system-msg"] =
        `${c.displayName.trim()} watched ${value} consecutive streams and sparked a watch streak!`
    }
  }
  return {
    kind: "USERNOTICE",
    line: Message.format({
      tags,
      prefix: "tmi.twitch.tv",
      command: "USERNOTICE",
      params: [`#${channel.login}`],
      trailing
    }),
    id,
    login: c.login,
    userId: c.userId,
    displayName: c.displayName,
    text: trailing
  }
}

const moderation = (s: ChannelState, channel: ChatterChannel, now: number): Generated => {
  const rand = s.rand
  const r = rand()
  const room = `#${channel.login}`
  if (r < 0.4 && s.recent.length > 0) {
    const target = s.recent.splice(Math.floor(rand() * s.recent.length), 1)[0]
    return {
      kind: "CLEARMSG",
      line: Message.format({
        tags: {
          login: target.chatter.login,
          "room-id": channel.id,
          "target-msg-id": target.id,
          "tmi-sent-ts": String(now)
        },
        prefix: "tmi.twitch.tv",
        command: "CLEARMSG",
        params: [room],
        trailing: target.text
      }),
      id: target.id,
      login: target.chatter.login
    }
  }
  if (r < 0.95) {
    const target = pick(rand, s.chatters)
    const tags: Record<string, string> = {
      "room-id": channel.id,
      "target-user-id": target.userId,
      "tmi-sent-ts": String(now)
    }
    if (rand() < 0.7) tags["ban-duration"] = String(pick(rand, [1, 60, 600, 86400]))
    return {
      kind: "CLEARCHAT",
      line: Message.format({
        tags,
        prefix: "tmi.twitch.tv",
        command: "CLEARCHAT",
        params: [room],
        trailing: target.login
      }),
      login: target.login,
      userId: target.userId
    }
  }
  return {
    kind: "CLEARCHAT",
    line: Message.format({
      tags: { "room-id": channel.id, "tmi-sent-ts": String(now) },
      prefix: "tmi.twitch.tv",
      command: "CLEARCHAT",
      params: [room]
    })
  }
}

const roomstate = (s: ChannelState, channel: ChatterChannel): Generated => {
  const rand = s.rand
  const change: Record<string, string> = pick(rand, [
    { "emote-only": "1" },
    { "emote-only": "0" },
    { "followers-only": "10" },
    { "followers-only": "-1" },
    { "subs-only": "0" },
    { r9k: "0" }
  ])
  return {
    kind: "ROOMSTATE",
    line: Message.format({
      tags: { ...change, "room-id": channel.id },
      prefix: "tmi.twitch.tv",
      command: "ROOMSTATE",
      params: [`#${channel.login}`]
    }),
    roomState: change
  }
}

/**
 * Makes a deterministic generator: the same seed gives the same lines for the same channel and
 * clock readings.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (seed: number): Generator => {
  const states = new Map<string, ChannelState>()
  const stateOf = (channel: ChatterChannel): ChannelState => {
    let s = states.get(channel.login)
    if (!s) {
      const rand = prng(seed ^ hash(channel.login))
      s = { rand, chatters: makeChatters(rand, 40), recent: [], count: 0 }
      states.set(channel.login, s)
    }
    return s
  }
  return {
    privmsg: (channel, now) => privmsg(stateOf(channel), channel, now),
    next: (channel, now) => {
      const s = stateOf(channel)
      const r = s.rand()
      if (r < 0.85) return privmsg(s, channel, now)
      if (r < 0.95) return usernotice(s, channel, now)
      if (r < 0.99) return moderation(s, channel, now)
      return roomstate(s, channel)
    }
  }
}
