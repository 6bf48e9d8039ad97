/**
 * A seeded generator of realistic Twitch chat traffic, as received with the membership, tags and
 * commands capabilities: mostly PRIVMSG with full tag sets (badges, colors, emotes, client nonces,
 * replies with escaped bodies, shared-chat sources, bits, first messages), emoji and non-Latin
 * text, localized display names, USERNOTICE (sub, resub, subgift, submysterygift, raid,
 * announcement, viewermilestone) with escaped system messages, CLEARCHAT, CLEARMSG, ROOMSTATE,
 * USERSTATE, NOTICE, JOIN/PART and PING. The same seed gives the same lines.
 */

/** mulberry32: a small, fast, seeded PRNG. */
const rng = (seed: number) => {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const escape = (value: string): string =>
  value.replace(
    /[\\; \r\n]/g,
    (c) => c === "\\" ? "\\\\" : c === ";" ? "\\:" : c === " " ? "\\s" : c === "\r" ? "\\r" : "\\n"
  )

const WORDS = (
  "the a to is it that this you i and lol what why how no yes chat stream game play good bad nice wow " +
  "gg ez clip that pog poggers hype let's go again wait really bro he she they was were omg true same " +
  "first time here hello hi everyone love music song map boss fight run speedrun world record pb win " +
  "lose almost close one more please thanks for raid sub follow prime gift deleted mods ban timeout"
).split(" ")

const NON_LATIN = [
  "привет",
  "こんにちは",
  "你好",
  "안녕하세요",
  "مرحبا",
  "γεια",
  "שלום",
  "Straße",
  "café",
  "naïve"
]
const EMOJI = ["😂", "👍", "❤️", "🔥", "😭", "🙏", "💀", "👀", "🎉", "🤣", "👋🏽", "🇩🇪"]
const EMOTES: ReadonlyArray<readonly [string, string]> = [
  ["25", "Kappa"],
  ["1902", "Keepo"],
  ["305954156", "PogChamp"],
  ["425618", "LUL"],
  ["41", "Kreygasm"],
  ["88", "PogChamp"],
  ["354", "4Head"],
  ["86", "BibleThump"],
  ["emotesv2_dcd06b30a5c24f6eb871e8f5edbd44f7", "DinoDance"],
  ["emotesv2_e9c7a6b0f2d94a7e9e4e1b4c8a2f3d10", "chanHype"],
  ["emotesv2_5d523adb8bbb4786821cd7091e47da21", "chanLove"]
]
const BADGES = [
  "subscriber/12",
  "subscriber/3024",
  "vip/1",
  "moderator/1",
  "bits/1000",
  "premium/1",
  "glhf-pledge/1",
  "turbo/1",
  "partner/1",
  "sub-gifter/50",
  "bits-leader/1",
  "hype-train/1",
  "no_audio/1"
]
const COLORS = [
  "#FF0000",
  "#0000FF",
  "#008000",
  "#B22222",
  "#FF7F50",
  "#9ACD32",
  "#FF4500",
  "#2E8B57",
  "#DAA520",
  "#D2691E",
  "#5F9EA0",
  "#1E90FF",
  "#FF69B4",
  "#8A2BE2",
  "#00FF7F"
]
const CJK_NAMES = ["ゲーマー", "小明", "김철수", "Ñandú", "Зверь", "ねこ"]

interface User {
  readonly login: string
  readonly displayName: string
  readonly id: string
  readonly color: string
  readonly badges: string
  readonly badgeInfo: string
  readonly mod: boolean
  readonly vip: boolean
  readonly subscriber: boolean
  readonly turbo: boolean
}

interface Channel {
  readonly login: string
  readonly id: string
}

/**
 * The knobs of a corpus: how long texts are, how many emotes and badges, and how often the
 * heavier kinds of message (replies, shared chat, USERNOTICE) come.
 */
export interface Profile {
  readonly name: string
  readonly seed: number
  /** Words per text: `minWords` plus up to `extraWords` more. */
  readonly minWords: number
  readonly extraWords: number
  /** The chance that a word is an emote. */
  readonly emoteChance: number
  /** Extra badges a user wears beside mod/vip/subscriber: up to this many, each with `badgeChance`. */
  readonly extraBadges: number
  readonly badgeChance: number
  /**
   * Whether an extra badge of a set the user already wears is skipped (Twitch sends a set once).
   * Off in `typical`, which is kept line for line as its figures were published.
   */
  readonly uniqueBadgeSets: boolean
  readonly replyChance: number
  readonly sharedChatChance: number
  /** The share of USERNOTICE lines (PRIVMSG takes what it gives up). */
  readonly usernoticeShare: number
}

/**
 * The corpora of the parse benchmark: `typical` (what a busy channel sends: short texts, few
 * emotes) and `heavy` (a different seed, long texts, many emotes and badges, many replies, shared
 * chat and USERNOTICEs): a margin measured on one alone may not hold on the other.
 */
export const profiles = {
  typical: {
    name: "typical",
    seed: 20_261_001,
    minWords: 1,
    extraWords: 14,
    emoteChance: 0.15,
    extraBadges: 1,
    badgeChance: 0.3,
    uniqueBadgeSets: false,
    replyChance: 0.05,
    sharedChatChance: 0.03,
    usernoticeShare: 0.04
  },
  heavy: {
    name: "heavy",
    seed: 31_337,
    minWords: 8,
    extraWords: 60,
    emoteChance: 0.3,
    extraBadges: 4,
    badgeChance: 0.6,
    uniqueBadgeSets: true,
    replyChance: 0.2,
    sharedChatChance: 0.1,
    usernoticeShare: 0.15
  }
} satisfies Record<string, Profile>

/**
 * Generates `count` lines (without CRLF) of the profile (by default `typical`).
 */
export const generateCorpus = (count: number, profile: Profile = profiles.typical): Array<string> => {
  const p = profile
  const r = rng(p.seed)
  const int = (n: number) => Math.floor(r() * n)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[int(xs.length)]
  const chance = (p: number) => r() < p
  const hex = (n: number) => {
    let s = ""
    for (let i = 0; i < n; i++) s += "0123456789abcdef"[int(16)]
    return s
  }
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(4)]}${hex(3)}-${hex(12)}`
  const letters = "abcdefghijklmnopqrstuvwxyz0123456789_"
  const login = () => {
    let s = "abcdefghijklmnopqrstuvwxyz"[int(26)]
    const n = 3 + int(14)
    for (let i = 0; i < n; i++) s += letters[int(letters.length)]
    return s
  }
  const users: Array<User> = []
  for (let i = 0; i < 4000; i++) {
    const l = login()
    const subscriber = chance(0.4)
    const months = 1 + int(60)
    const badges: Array<string> = []
    const mod = chance(0.03)
    const vip = !mod && chance(0.03)
    if (mod) badges.push("moderator/1")
    if (vip) badges.push("vip/1")
    if (subscriber) badges.push(`subscriber/${months >= 12 ? 12 : months >= 6 ? 6 : months >= 3 ? 3 : 0}`)
    for (let b = 0; b < p.extraBadges; b++) {
      if (!chance(p.badgeChance)) continue
      const badge = pick(BADGES)
      const set = badge.slice(0, badge.indexOf("/"))
      if (!p.uniqueBadgeSets || !badges.some((x) => x.startsWith(set + "/"))) badges.push(badge)
    }
    users.push({
      login: l,
      displayName: chance(0.04)
        ? pick(CJK_NAMES) + int(100)
        : chance(0.5)
        ? l[0].toUpperCase() + l.slice(1)
        : l,
      id: String(10_000_000 + int(900_000_000)),
      color: chance(0.85) ? pick(COLORS) : "",
      badges: badges.join(","),
      badgeInfo: subscriber ? `subscriber/${months}` : "",
      mod,
      vip,
      subscriber,
      turbo: chance(0.02)
    })
  }
  const channels: Array<Channel> = []
  for (let i = 0; i < 20; i++) channels.push({ login: login(), id: String(20_000_000 + int(900_000_000)) })
  let ts = 1_790_000_000_000

  /** A chat text and its emotes tag (code-point positions). */
  const text = (prefix = ""): { text: string; emotes: string } => {
    const parts: Array<string> = []
    const emotes = new Map<string, Array<string>>()
    let cp = Array.from(prefix).length
    const n = p.minWords + int(p.extraWords)
    for (let i = 0; i < n; i++) {
      let word: string
      const roll = r()
      if (roll < p.emoteChance) {
        const [id, name] = pick(EMOTES)
        const ranges = emotes.get(id) ?? []
        ranges.push(`${cp}-${cp + name.length - 1}`)
        emotes.set(id, ranges)
        word = name
      } else if (roll < p.emoteChance + 0.05) {
        word = pick(EMOJI)
      } else if (roll < p.emoteChance + 0.08) {
        word = pick(NON_LATIN)
      } else {
        word = pick(WORDS)
      }
      parts.push(word)
      cp += Array.from(word).length + 1
    }
    return {
      text: prefix + parts.join(" "),
      emotes: [...emotes].map(([id, ranges]) => `${id}:${ranges.join(",")}`).join("/")
    }
  }

  const recent: Array<{ id: string; user: User; text: string }> = []

  const privmsg = (channel: Channel): string => {
    const user = pick(users)
    const reply = recent.length > 0 && chance(p.replyChance) ? pick(recent) : undefined
    const bits = !reply && chance(0.01) ? `cheer${100 * (1 + int(10))} ` : ""
    const { emotes, text: message } = text(reply ? `@${reply.user.login} ` : bits)
    const id = uuid()
    ts += int(40)
    const tags: Array<string> = [
      `badge-info=${user.badgeInfo}`,
      `badges=${user.badges}`
    ]
    if (bits) tags.push(`bits=${bits.slice(5, -1)}`)
    tags.push(
      `client-nonce=${hex(32)}`,
      `color=${user.color}`,
      `display-name=${escape(user.displayName)}`,
      `emotes=${emotes}`,
      `first-msg=${chance(0.02) ? 1 : 0}`,
      `flags=`,
      `id=${id}`,
      `mod=${user.mod ? 1 : 0}`
    )
    if (reply) {
      tags.push(
        `reply-parent-display-name=${escape(reply.user.displayName)}`,
        `reply-parent-msg-body=${escape(reply.text)}`,
        `reply-parent-msg-id=${reply.id}`,
        `reply-parent-user-id=${reply.user.id}`,
        `reply-parent-user-login=${reply.user.login}`,
        `reply-thread-parent-display-name=${escape(reply.user.displayName)}`,
        `reply-thread-parent-msg-id=${reply.id}`,
        `reply-thread-parent-user-id=${reply.user.id}`,
        `reply-thread-parent-user-login=${reply.user.login}`
      )
    }
    tags.push(`returning-chatter=${chance(0.01) ? 1 : 0}`, `room-id=${channel.id}`)
    if (chance(p.sharedChatChance)) {
      const source = pick(channels)
      tags.push(
        `source-badge-info=`,
        `source-badges=${user.badges}`,
        `source-id=${uuid()}`,
        `source-only=0`,
        `source-room-id=${source.id}`
      )
    }
    tags.push(
      `subscriber=${user.subscriber ? 1 : 0}`,
      `tmi-sent-ts=${ts}`,
      `turbo=${user.turbo ? 1 : 0}`,
      `user-id=${user.id}`,
      `user-type=${user.mod ? "mod" : ""}`
    )
    if (user.vip) tags.push("vip=1")
    const action = chance(0.02)
    recent.push({ id, user, text: message })
    if (recent.length > 50) recent.shift()
    const trailing = action ? `\u0001ACTION ${message}\u0001` : message
    return `@${
      tags.join(";")
    } :${user.login}!${user.login}@${user.login}.tmi.twitch.tv PRIVMSG #${channel.login} :${trailing}`
  }

  const usernotice = (channel: Channel): string => {
    const user = pick(users)
    ts += int(40)
    const roll = r()
    let kind: string
    let params: Array<string>
    let system: string
    let body: string | undefined
    const plan = pick(["Prime", "1000", "1000", "2000", "3000"])
    if (roll < 0.3) {
      kind = "resub"
      const months = 2 + int(60)
      params = [
        `msg-param-cumulative-months=${months}`,
        `msg-param-months=0`,
        `msg-param-multimonth-duration=0`,
        `msg-param-multimonth-tenure=0`,
        `msg-param-should-share-streak=1`,
        `msg-param-streak-months=${1 + int(months)}`,
        `msg-param-sub-plan-name=Channel\\sSubscription\\s(${channel.login})`,
        `msg-param-sub-plan=${plan}`,
        `msg-param-was-gifted=false`
      ]
      system = `${user.displayName} subscribed at Tier 1. They've subscribed for ${months} months!`
      body = chance(0.7) ? text().text : undefined
    } else if (roll < 0.45) {
      kind = "sub"
      params = [
        `msg-param-cumulative-months=1`,
        `msg-param-months=0`,
        `msg-param-should-share-streak=0`,
        `msg-param-sub-plan-name=Channel\\sSubscription\\s(${channel.login})`,
        `msg-param-sub-plan=${plan}`
      ]
      system = `${user.displayName} subscribed with Prime.`
    } else if (roll < 0.75) {
      kind = "subgift"
      const to = pick(users)
      params = [
        `msg-param-gift-months=1`,
        `msg-param-months=${1 + int(20)}`,
        `msg-param-origin-id=${hex(40)}`,
        `msg-param-recipient-display-name=${escape(to.displayName)}`,
        `msg-param-recipient-id=${to.id}`,
        `msg-param-recipient-user-name=${to.login}`,
        `msg-param-sender-count=0`,
        `msg-param-sub-plan-name=Channel\\sSubscription\\s(${channel.login})`,
        `msg-param-sub-plan=1000`
      ]
      system = `${user.displayName} gifted a Tier 1 sub to ${to.displayName}!`
    } else if (roll < 0.85) {
      kind = "submysterygift"
      const count = 1 + int(50)
      params = [
        `msg-param-mass-gift-count=${count}`,
        `msg-param-origin-id=${hex(40)}`,
        `msg-param-sender-count=${count + int(500)}`,
        `msg-param-sub-plan=1000`
      ]
      system = `${user.displayName} is gifting ${count} Tier 1 Subs to ${channel.login}'s community!`
    } else if (roll < 0.92) {
      kind = "raid"
      const viewers = 1 + int(5000)
      params = [
        `msg-param-displayName=${escape(user.displayName)}`,
        `msg-param-login=${user.login}`,
        `msg-param-profileImageURL=https://static-cdn.jtvnw.net/jtv_user_pictures/${uuid()}-profile_image-70x70.png`,
        `msg-param-viewerCount=${viewers}`
      ]
      system = `${viewers} raiders from ${user.displayName} have joined!`
    } else if (roll < 0.97) {
      kind = "announcement"
      params = [`msg-param-color=${pick(["PRIMARY", "BLUE", "GREEN", "ORANGE", "PURPLE"])}`]
      system = ""
      body = text().text
    } else {
      kind = "viewermilestone"
      params = [
        `msg-param-category=watch-streak`,
        `msg-param-copoReward=450`,
        `msg-param-id=${uuid()}`,
        `msg-param-value=${3 + int(20)}`
      ]
      system = `${user.displayName} watched ${3 + int(20)} consecutive streams and sparked a watch streak!`
      body = chance(0.5) ? text().text : undefined
    }
    const tags = [
      `badge-info=${user.badgeInfo}`,
      `badges=${user.badges}`,
      `color=${user.color}`,
      `display-name=${escape(user.displayName)}`,
      `emotes=`,
      `flags=`,
      `id=${uuid()}`,
      `login=${user.login}`,
      `mod=${user.mod ? 1 : 0}`,
      `msg-id=${kind}`,
      ...params,
      `room-id=${channel.id}`,
      `subscriber=${user.subscriber ? 1 : 0}`,
      `system-msg=${escape(system)}`,
      `tmi-sent-ts=${ts}`,
      `turbo=${user.turbo ? 1 : 0}`,
      `user-id=${user.id}`,
      `user-type=`
    ]
    return `@${tags.join(";")} :tmi.twitch.tv USERNOTICE #${channel.login}${
      body === undefined ? "" : ` :${body}`
    }`
  }

  const lines: Array<string> = []
  while (lines.length < count) {
    const channel = pick(channels)
    const roll = r()
    if (roll < 0.89 - p.usernoticeShare) lines.push(privmsg(channel))
    else if (roll < 0.89) lines.push(usernotice(channel))
    else if (roll < 0.92) {
      const u = pick(users).login
      lines.push(`:${u}!${u}@${u}.tmi.twitch.tv JOIN #${channel.login}`)
    } else if (roll < 0.94) {
      const u = pick(users).login
      lines.push(`:${u}!${u}@${u}.tmi.twitch.tv PART #${channel.login}`)
    } else if (roll < 0.955) {
      const u = pick(users)
      const timeout = chance(0.8)
      lines.push(
        `@${
          timeout ? `ban-duration=${pick([1, 60, 600, 3600, 86400])};` : ""
        }room-id=${channel.id};target-user-id=${u.id};tmi-sent-ts=${(ts +=
          5)} :tmi.twitch.tv CLEARCHAT #${channel.login} :${u.login}`
      )
    } else if (roll < 0.963) {
      const m = recent.length > 0 ? pick(recent) : undefined
      const u = m?.user ?? pick(users)
      lines.push(
        `@login=${u.login};room-id=;target-msg-id=${
          m?.id ?? uuid()
        };tmi-sent-ts=${(ts += 5)} :tmi.twitch.tv CLEARMSG #${channel.login} :${m?.text ?? "deleted"}`
      )
    } else if (roll < 0.968) {
      lines.push(
        chance(0.5)
          ? `@emote-only=0;followers-only=${pick([-1, 0, 10, 60])};r9k=0;room-id=${channel.id};slow=${
            pick([0, 3, 30])
          };subs-only=0 :tmi.twitch.tv ROOMSTATE #${channel.login}`
          : `@room-id=${channel.id};slow=${pick([0, 3, 30])} :tmi.twitch.tv ROOMSTATE #${channel.login}`
      )
    } else if (roll < 0.973) {
      lines.push(
        `@badge-info=;badges=moderator/1;color=#1E90FF;display-name=MyBot;emote-sets=0,33,50,237,793,2126,3517,4578,5569,9400,10337,12239;id=${uuid()};mod=1;subscriber=0;user-type=mod :tmi.twitch.tv USERSTATE #${channel.login}`
      )
    } else if (roll < 0.978) {
      lines.push(
        `@msg-id=${
          pick(["slow_on", "subs_off", "msg_ratelimit", "msg_duplicate", "emote_only_off"])
        } :tmi.twitch.tv NOTICE #${channel.login} :This room is now in slow mode. You may send messages every 30 seconds.`
      )
    } else if (roll < 0.98) {
      lines.push("PING :tmi.twitch.tv")
    } else {
      lines.push(privmsg(channel))
    }
  }
  return lines
}
