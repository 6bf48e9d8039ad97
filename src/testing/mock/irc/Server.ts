/**
 * The mock IRC server's engine: sessions, registration, JOIN/PART, PRIVMSG relay with Twitch's
 * tags and limits, keepalive, world events, the chatter generator and the control handle.
 * Public surface: `src/testing/mock/IrcServer.ts`.
 *
 * @since 0.1.0
 */
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import type * as World from "../World.js"
import * as Certificate from "./Certificate.js"
import * as Chatter from "./Chatter.js"
import * as Message from "./Message.js"
import type {
  BlastResult,
  ConnectionInfo,
  Control,
  Counters,
  IrcServer,
  Limits,
  Options,
  ReceivedMessage,
  ViolationKind
} from "./Model.js"
import { defaultLimits, MockIrcError } from "./Model.js"
import * as Transport from "./Transport.js"

const HOST = "tmi.twitch.tv"
const CAP_TAGS = "twitch.tv/tags"
const CAP_COMMANDS = "twitch.tv/commands"
const CAP_MEMBERSHIP = "twitch.tv/membership"
const SUPPORTED_CAPS: ReadonlyArray<string> = [CAP_TAGS, CAP_COMMANDS, CAP_MEMBERSHIP]

/** Twitch commands only sent to clients with `twitch.tv/commands`. */
const COMMANDS_ONLY = new Set([
  "USERSTATE",
  "GLOBALUSERSTATE",
  "ROOMSTATE",
  "USERNOTICE",
  "CLEARCHAT",
  "CLEARMSG",
  "RECONNECT",
  "HOSTTARGET",
  "WHISPER"
])

const ANONYMOUS = /^justinfan\d+$/

const noticeTexts = {
  msg_ratelimit: "Your message was not sent because you are sending messages too quickly.",
  msg_duplicate:
    "Your message was not sent because it is identical to the previous one you sent, less than 30 seconds ago.",
  msg_channel_suspended: "This channel does not exist or has been suspended.",
  // Not in Twitch's docs (neither the msg-id nor the text); the msg-id is what Twitch sends since
  // the 100-room cap (twitch4j NoticeTag, PR #985, 2024-05-20), the text is the one reported for it.
  msg_concurrent_channel_limit_reached: "You are connected to too many chat channels."
} as const

type Out =
  | {
    readonly _tag: "Text"
    readonly text: string
    readonly lines: number
    readonly at: number
    readonly done?: Deferred.Deferred<void> | undefined
  }
  | { readonly _tag: "Close"; readonly at: number }

interface Conn {
  readonly id: number
  readonly raw: Transport.RawConnection
  readonly caps: Set<string>
  readonly out: Queue.Queue<Out>
  readonly channels: Set<string>
  /** Last USERSTATE tag values sent per channel (to send a fresh one only on change). */
  readonly userStates: Map<string, string>
  pass: string | undefined
  phase: "new" | "registered" | "closing"
  nick: string | undefined
  user: World.User | undefined
  anonymous: boolean
  scopes: ReadonlyArray<string>
  emoteSets: string
  silent: boolean
  awaitingPong: boolean
}

interface HistoryEntry {
  readonly id: string
  readonly userId: string
  readonly login: string
  readonly displayName: string
  readonly body: string
  readonly thread: {
    readonly id: string
    readonly userId: string
    readonly login: string
    readonly displayName: string
  }
}

/** A refused client PRIVMSG: what is counted and the NOTICE (if any) the sender gets. */
interface Violation {
  readonly kind: ViolationKind
  readonly msgId?: string
  readonly text?: string
}

interface ChannelRef {
  readonly user: World.User
  readonly channel: World.Channel
}

const normalizeChannel = (channel: string): string => channel.replace(/^#/, "").toLowerCase()

const prefixOf = (login: string): string => `${login}!${login}@${login}.${HOST}`

const subscriberVersion = (sub: World.Subscriber): number => {
  const base = sub.tier === "3000" ? 3000 : sub.tier === "2000" ? 2000 : 0
  const steps = [0, 3, 6, 9, 12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72]
  let step = 0
  for (const s of steps) if (sub.months >= s) step = s
  return base + step
}

/** Badges and user flags of a user in a channel (Twitch order: broadcaster, moderator/vip, subscriber, global). */
const rolesIn = (user: World.User, channel: World.Channel | undefined) => {
  const broadcaster = channel !== undefined && channel.broadcasterId === user.id
  const moderator = channel !== undefined && channel.moderators.includes(user.id)
  const vip = channel !== undefined && channel.vips.includes(user.id)
  const sub = channel?.subscribers.find((s) => s.userId === user.id)
  const badges: Array<string> = []
  if (broadcaster) badges.push("broadcaster/1")
  else if (moderator) badges.push("moderator/1")
  else if (vip) badges.push("vip/1")
  if (sub !== undefined) badges.push(`subscriber/${subscriberVersion(sub)}`)
  if (user.type === "staff") badges.push("staff/1")
  else if (user.type === "admin") badges.push("admin/1")
  else if (user.type === "global_mod") badges.push("global_mod/1")
  return {
    broadcaster,
    moderator,
    vip,
    elevated: broadcaster || moderator || vip,
    badges: badges.join(","),
    badgeInfo: sub !== undefined ? `subscriber/${sub.months}` : "",
    subscriber: sub !== undefined,
    userType: user.type !== "" ? user.type : moderator ? "mod" : ""
  }
}

/**
 * Opens the server: listeners, keepalive, world events, chatter; everything closes with the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  world: World.World.Service,
  options: Options = {}
): Effect.Effect<IrcServer, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const clock = yield* Effect.clock
    const now = () => clock.unsafeCurrentTimeMillis()
    const limits: Limits = { ...defaultLimits, ...options.limits }
    const generator = Chatter.make(options.seed ?? world.seed)
    // Ids of posted, relayed, noticed and blasted messages: seeded and counter-based (reproducible, unique).
    const messageIds = Chatter.messageIds(options.seed ?? world.seed)
    const run = yield* FiberSet.makeRuntime<never>()
    const serverScope = yield* Effect.scope

    // ---------------------------------------------------------------- state
    const conns = new Set<Conn>()
    const rooms = new Map<string, Set<Conn>>()
    const userBuckets = new Map<string, Array<number>>()
    const joinBuckets = new Map<string, Array<number>>()
    const authBuckets = new Map<string, Array<number>>()
    const lastInChannel = new Map<string, { at: number; text: string }>()
    const bans = new Map<string, Map<string, number>>()
    const history = new Map<string, Array<HistoryEntry>>()
    const received = new Map<string, Array<ReceivedMessage>>()
    const firstSeen = new Set<string>()
    let msgWaiters: Array<{ channel: string; count: number; deferred: Deferred.Deferred<void> }> = []
    let loginWaiters: Array<{ count: number; deferred: Deferred.Deferred<void> }> = []
    let nextId = 1
    let chatterRate = options.chatterRate ?? 1
    let answerPings = true
    let delayMs = 0
    const violations: Record<ViolationKind, number> = {
      userRate: 0,
      channelRate: 0,
      slowMode: 0,
      duplicate: 0,
      tooLong: 0,
      banned: 0,
      timedOut: 0,
      joinRate: 0,
      authRate: 0,
      concurrentRooms: 0,
      anonymousSend: 0,
      missingScope: 0,
      suspended: 0,
      r9k: 0,
      emoteOnly: 0,
      subsOnly: 0,
      followersOnly: 0
    }
    const counters = {
      connections: 0,
      logins: 0,
      loginFailures: 0,
      linesReceived: 0,
      linesSent: 0,
      privmsgsAccepted: 0,
      joins: 0,
      pingsSent: 0,
      pongsReceived: 0
    }

    // ---------------------------------------------------------------- output
    const filterFor = (conn: Conn, line: string): string | undefined => {
      if (!conn.caps.has(CAP_COMMANDS) && COMMANDS_ONLY.has(Message.commandOf(line))) return undefined
      return conn.caps.has(CAP_TAGS) ? line : Message.stripTags(line)
    }
    const sendRawTo = (conn: Conn, line: string): void => {
      conn.out.unsafeOffer({ _tag: "Text", text: line + "\r\n", lines: 1, at: now() })
    }
    const send = (conn: Conn, line: string): boolean => {
      const filtered = filterFor(conn, line)
      if (filtered === undefined) return false
      sendRawTo(conn, filtered)
      return true
    }
    const closeConn = (conn: Conn): void => {
      conn.phase = "closing"
      conn.out.unsafeOffer({ _tag: "Close", at: now() })
    }
    const broadcast = (channel: string, line: string, exclude?: Conn): number => {
      const room = rooms.get(channel)
      if (room === undefined) return 0
      let n = 0
      for (const conn of room) if (conn !== exclude && send(conn, line)) n++
      return n
    }
    const notice = (conn: Conn, target: string, msgId: string | undefined, text: string): void => {
      send(
        conn,
        Message.format({
          tags: msgId === undefined ? undefined : { "msg-id": msgId },
          prefix: HOST,
          command: "NOTICE",
          params: [target],
          trailing: text
        })
      )
    }

    /** Completes every pending blast waiter of a connection that is going away. */
    const releaseWaiters = (conn: Conn, dones: Array<Deferred.Deferred<void>>) =>
      Effect.gen(function*() {
        for (const d of dones) Deferred.unsafeDone(d, Exit.void)
        dones.length = 0
        for (const item of yield* Queue.takeAll(conn.out)) {
          if (item._tag === "Text" && item.done) Deferred.unsafeDone(item.done, Exit.void)
        }
      })
    const writer = (conn: Conn): Effect.Effect<void> => {
      const dones: Array<Deferred.Deferred<void>> = []
      return Effect.gen(function*() {
        let text = ""
        let lines = 0
        const flush = Effect.gen(function*() {
          if (text.length > 0) {
            const ok = conn.raw.write(text)
            counters.linesSent += lines
            text = ""
            lines = 0
            if (!ok) yield* conn.raw.drain
          }
          for (const d of dones) Deferred.unsafeDone(d, Exit.void)
          dones.length = 0
        })
        while (true) {
          const items = yield* Queue.takeBetween(conn.out, 1, 1024)
          for (const item of items) {
            if (delayMs > 0) {
              const wait = item.at + delayMs - now()
              if (wait > 0) {
                yield* flush
                yield* Effect.sleep(Duration.millis(wait))
              }
            }
            if (item._tag === "Close") {
              yield* flush
              conn.raw.end()
              // A peer that never closes its side is cut off after a grace period.
              yield* Effect.sleep(Duration.seconds(2))
              conn.raw.destroy()
              return
            }
            if (item.done !== undefined) dones.push(item.done)
            if (conn.silent) continue
            text += item.text
            lines += item.lines
          }
          yield* flush
        }
      }).pipe(Effect.ensuring(releaseWaiters(conn, dones)))
    }

    // ---------------------------------------------------------------- world lookups
    const channelByLogin = (login: string): Effect.Effect<Option.Option<ChannelRef>> =>
      Effect.flatMap(world.userByLogin(login), (user) =>
        Option.match(user, {
          onNone: () => Effect.succeed(Option.none()),
          onSome: (u) => Effect.map(world.channel(u.id), Option.map((channel) => ({ user: u, channel })))
        }))
    const requireChannel = (channel: string) =>
      Effect.flatMap(
        channelByLogin(normalizeChannel(channel)),
        Option.match({
          onNone: () => Effect.fail(new MockIrcError({ message: `no channel ${channel}` })),
          onSome: Effect.succeed
        })
      )
    const requireUser = (login: string) =>
      Effect.flatMap(
        world.userByLogin(login),
        Option.match({
          onNone: () => Effect.fail(new MockIrcError({ message: `no user ${login}` })),
          onSome: Effect.succeed
        })
      )
    const emoteMap = (channelId: string): Effect.Effect<Map<string, string>> =>
      Effect.zipWith(
        world.globalEmotes,
        world.channelEmotes(channelId),
        (globals, own) => new Map([...globals, ...own].map((e) => [e.name, e.id] as const))
      )
    const emoteSetsOf = (user: World.User): Effect.Effect<string> =>
      Effect.map(world.snapshot, (s) => {
        const sets = new Set<string>(["0"])
        for (const channel of s.channels) {
          const sub = channel.subscribers.find((x) => x.userId === user.id)
          const owner = channel.broadcasterId === user.id
          if (sub === undefined && !owner) continue
          for (const e of s.emotes) {
            if (e.ownerId !== channel.broadcasterId || e.type !== "subscriptions") continue
            if (owner || (e.tier !== undefined && Number(e.tier) <= Number(sub?.tier ?? "0"))) {
              sets.add(e.setId)
            }
          }
        }
        return [...sets].join(",")
      })

    const userStateTags = (conn: Conn, user: World.User, channel: World.Channel): Record<string, string> => {
      const r = rolesIn(user, channel)
      return {
        "badge-info": r.badgeInfo,
        badges: r.badges,
        color: user.chatColor,
        "display-name": user.displayName,
        "emote-sets": conn.emoteSets,
        mod: r.moderator ? "1" : "0",
        subscriber: r.subscriber ? "1" : "0",
        turbo: "0",
        "user-type": r.userType
      }
    }
    const sendUserState = (conn: Conn, user: World.User, ref: ChannelRef, id?: string): void => {
      const tags = userStateTags(conn, user, ref.channel)
      conn.userStates.set(ref.user.login, JSON.stringify(tags))
      send(
        conn,
        Message.format({
          tags: id === undefined ? tags : { ...tags, id },
          prefix: HOST,
          command: "USERSTATE",
          params: [`#${ref.user.login}`]
        })
      )
    }
    const roomStateTags = (channel: World.Channel, keys?: ReadonlyArray<keyof World.RoomState>) => {
      const rs = channel.roomState
      const all: Record<keyof World.RoomState, readonly [string, string]> = {
        emoteOnly: ["emote-only", rs.emoteOnly ? "1" : "0"],
        followersOnly: ["followers-only", String(rs.followersOnly)],
        r9k: ["r9k", rs.r9k ? "1" : "0"],
        slow: ["slow", String(rs.slow)],
        subsOnly: ["subs-only", rs.subsOnly ? "1" : "0"]
      }
      const tags: Record<string, string> = { "room-id": channel.broadcasterId }
      for (const k of keys ?? (Object.keys(all) as Array<keyof World.RoomState>)) tags[all[k][0]] = all[k][1]
      return tags
    }

    // ---------------------------------------------------------------- limits
    const prune = (bucket: Array<number>, t: number, window: number) => {
      while (bucket.length > 0 && bucket[0] <= t - window) bucket.shift()
    }
    /** Takes one attempt from a sliding-window bucket; false when the window is full (the attempt is not recorded). */
    const take = (
      buckets: Map<string, Array<number>>,
      key: string,
      t: number,
      window: number,
      max: number
    ): boolean => {
      let bucket = buckets.get(key)
      if (bucket === undefined) {
        bucket = []
        buckets.set(key, bucket)
      }
      prune(bucket, t, window)
      if (bucket.length >= max) return false
      bucket.push(t)
      return true
    }
    const joinAllowed = (key: string, t: number): boolean =>
      take(joinBuckets, key, t, limits.joinWindowMs, limits.joins)
    /**
     * Rooms that count toward the concurrent-room cap for `user`: every room any of the user's
     * connections is in, except those where the user is broadcaster or moderator (checked now, so a
     * user modded after joining frees a slot).
     */
    const countedRooms = (user: World.User): Effect.Effect<number> =>
      Effect.gen(function*() {
        const joinedRooms = new Set<string>()
        for (const c of conns) {
          if (c.user?.id === user.id) { for (const login of c.channels) joinedRooms.add(login) }
        }
        let n = 0
        for (const login of joinedRooms) {
          const ref = yield* channelByLogin(login)
          if (Option.isNone(ref)) continue
          const r = rolesIn(user, ref.value.channel)
          if (!r.broadcaster && !r.moderator) n++
        }
        return n
      })

    // ---------------------------------------------------------------- registration
    const welcome = (conn: Conn, nick: string) => {
      for (
        const [code, text] of [
          ["001", "Welcome, GLHF!"],
          ["002", `Your host is ${HOST}`],
          ["003", "This server is rather new"],
          ["004", "-"],
          ["375", "-"],
          ["372", "You are in a maze of twisty passages, all alike."],
          ["376", ">"]
        ] as const
      ) {
        send(conn, Message.format({ prefix: HOST, command: code, params: [nick], trailing: text }))
      }
    }
    const registered = (conn: Conn) =>
      Effect.sync(() => {
        conn.phase = "registered"
        counters.logins++
        const logged = [...conns].filter((c) => c.phase === "registered").length
        loginWaiters = loginWaiters.filter((w) => {
          if (logged < w.count) return true
          Deferred.unsafeDone(w.deferred, Exit.void)
          return false
        })
      })
    const loginFailed = (conn: Conn, text: string) =>
      Effect.sync(() => {
        counters.loginFailures++
        notice(conn, "*", undefined, text)
        closeConn(conn)
      })

    const onNick = (conn: Conn, nickRaw: string | undefined) =>
      Effect.gen(function*() {
        if (conn.phase !== "new" || nickRaw === undefined) return
        const nick = nickRaw.toLowerCase()
        conn.nick = nick
        if (ANONYMOUS.test(nick)) {
          conn.anonymous = true
          welcome(conn, nick)
          yield* registered(conn)
          return
        }
        // 20 authentication attempts per 10 s per user (twitch-facts §5.8), counted by the login
        // claimed in NICK whatever the outcome. Twitch documents the limit, not the answer: ours is
        // the NOTICE Twitch sends for a refused login, then the connection closes.
        if (!take(authBuckets, nick, now(), limits.authWindowMs, limits.auths)) {
          violations.authRate++
          return yield* loginFailed(conn, "Login unsuccessful")
        }
        if (conn.pass === undefined || !conn.pass.startsWith("oauth:")) {
          return yield* loginFailed(conn, "Improperly formatted auth")
        }
        const token = yield* Effect.option(world.validateToken(conn.pass.slice("oauth:".length)))
        if (Option.isNone(token) || token.value.userId === undefined) {
          return yield* loginFailed(conn, "Login authentication failed")
        }
        const user = yield* world.userById(token.value.userId)
        if (Option.isNone(user) || user.value.login !== nick || !token.value.scopes.includes("chat:read")) {
          return yield* loginFailed(conn, "Login authentication failed")
        }
        conn.user = user.value
        conn.scopes = token.value.scopes
        conn.emoteSets = yield* emoteSetsOf(user.value)
        welcome(conn, nick)
        const r = rolesIn(user.value, undefined)
        send(
          conn,
          Message.format({
            tags: {
              "badge-info": "",
              badges: r.badges,
              color: user.value.chatColor,
              "display-name": user.value.displayName,
              "emote-sets": conn.emoteSets,
              turbo: "0",
              "user-id": user.value.id,
              "user-type": user.value.type
            },
            prefix: HOST,
            command: "GLOBALUSERSTATE"
          })
        )
        yield* registered(conn)
      })

    const onCap = (conn: Conn, params: ReadonlyArray<string>) =>
      Effect.sync(() => {
        const sub = (params[0] ?? "").toUpperCase()
        const target = conn.nick ?? "*"
        if (sub === "LS") {
          send(
            conn,
            Message.format({
              prefix: HOST,
              command: "CAP",
              params: [target, "LS"],
              trailing: SUPPORTED_CAPS.join(" ")
            })
          )
        } else if (sub === "LIST") {
          send(
            conn,
            Message.format({
              prefix: HOST,
              command: "CAP",
              params: [target, "LIST"],
              trailing: [...conn.caps].join(" ")
            })
          )
        } else if (sub === "REQ") {
          const requested = (params[1] ?? "").split(" ").filter((c) => c.length > 0)
          const ok = requested.length > 0 &&
            requested.every((c) => SUPPORTED_CAPS.includes(c.replace(/^-/, "")))
          if (ok) {
            for (const c of requested) {
              if (c.startsWith("-")) conn.caps.delete(c.slice(1))
              else conn.caps.add(c)
            }
          }
          send(
            conn,
            Message.format({
              prefix: HOST,
              command: "CAP",
              params: [target, ok ? "ACK" : "NAK"],
              trailing: requested.join(" ")
            })
          )
        }
      })

    // ---------------------------------------------------------------- JOIN / PART
    const leave = (conn: Conn, login: string, sendPart: boolean) =>
      Effect.gen(function*() {
        if (!conn.channels.delete(login)) return
        conn.userStates.delete(login)
        const room = rooms.get(login)
        room?.delete(conn)
        if (room !== undefined && room.size === 0) rooms.delete(login)
        if (sendPart && conn.nick !== undefined) {
          send(conn, Message.format({ prefix: prefixOf(conn.nick), command: "PART", params: [`#${login}`] }))
        }
        const user = conn.user
        if (user === undefined) return
        const stillThere = room !== undefined && [...room].some((c) => c.user?.id === user.id)
        if (stillThere) return
        const ref = yield* channelByLogin(login)
        if (Option.isSome(ref)) yield* world.removeChatter(ref.value.user.id, user.id)
      })

    const joinOne = (conn: Conn, login: string) =>
      Effect.gen(function*() {
        const nick = conn.nick ?? ""
        if (!joinAllowed(conn.user?.id ?? `anon:${conn.id}`, now())) {
          violations.joinRate++
          return
        }
        const found = yield* channelByLogin(login)
        if (Option.isNone(found)) return // nonexistent channels are silently dropped
        const ref = found.value
        if (ref.channel.suspended) {
          notice(conn, `#${login}`, "msg_channel_suspended", noticeTexts.msg_channel_suspended)
          return
        }
        if (conn.channels.has(login)) return
        const user = conn.user
        if (user !== undefined) {
          const r = rolesIn(user, ref.channel)
          const alreadyIn = [...conns].some((c) => c.user?.id === user.id && c.channels.has(login))
          if (
            !r.broadcaster && !r.moderator && !alreadyIn &&
            (yield* countedRooms(user)) >= limits.concurrentRooms
          ) {
            violations.concurrentRooms++
            notice(
              conn,
              `#${login}`,
              "msg_concurrent_channel_limit_reached",
              noticeTexts.msg_concurrent_channel_limit_reached
            )
            return
          }
        }
        counters.joins++
        conn.channels.add(login)
        let room = rooms.get(login)
        if (room === undefined) {
          room = new Set()
          rooms.set(login, room)
        }
        room.add(conn)
        if (user !== undefined) yield* Effect.ignore(world.addChatter(ref.user.id, user.id))
        send(conn, Message.format({ prefix: prefixOf(nick), command: "JOIN", params: [`#${login}`] }))
        const names = [nick]
        if (conn.caps.has(CAP_MEMBERSHIP)) {
          for (const u of yield* world.chatters(ref.user.id)) if (u.login !== nick) names.push(u.login)
        }
        for (let i = 0; i < names.length; i += 40) {
          send(
            conn,
            Message.format({
              prefix: `${nick}.${HOST}`,
              command: "353",
              params: [nick, "=", `#${login}`],
              trailing: names.slice(i, i + 40).join(" ")
            })
          )
        }
        send(
          conn,
          Message.format({
            prefix: `${nick}.${HOST}`,
            command: "366",
            params: [nick, `#${login}`],
            trailing: "End of /NAMES list"
          })
        )
        if (user !== undefined) sendUserState(conn, user, ref)
        send(
          conn,
          Message.format({
            tags: roomStateTags(ref.channel),
            prefix: HOST,
            command: "ROOMSTATE",
            params: [`#${login}`]
          })
        )
      })

    // ---------------------------------------------------------------- PRIVMSG
    const recordHistory = (channel: string, entry: HistoryEntry) => {
      let list = history.get(channel)
      if (list === undefined) {
        list = []
        history.set(channel, list)
      }
      list.push(entry)
      if (list.length > 500) list.shift()
    }
    const findHistory = (channel: string, id: string): HistoryEntry | undefined =>
      history.get(channel)?.find((e) => e.id === id)

    /** Builds the relayed PRIVMSG line of `user` in `ref` (tags, emotes, reply, ACTION). */
    const buildPrivmsg = (
      user: World.User,
      ref: ChannelRef,
      rawText: string,
      replyParentMsgId: string | undefined,
      t: number
    ) =>
      Effect.gen(function*() {
        const login = ref.user.login
        let body = rawText
        let action = false
        if (body.startsWith("\x01ACTION ") && body.endsWith("\x01")) {
          body = body.slice(8, -1)
          action = true
        } else if (body.startsWith("/me ")) {
          body = body.slice(4)
          action = true
        }
        const r = rolesIn(user, ref.channel)
        const id = messageIds.next()
        const firstKey = `${user.id}#${login}`
        const first = !firstSeen.has(firstKey)
        firstSeen.add(firstKey)
        const tags: Record<string, string> = {
          "badge-info": r.badgeInfo,
          badges: r.badges,
          color: user.chatColor,
          "display-name": user.displayName,
          emotes: Message.emoteTag(body, yield* emoteMap(ref.user.id)),
          "first-msg": first ? "1" : "0",
          flags: "",
          id,
          mod: r.moderator ? "1" : "0",
          "returning-chatter": "0",
          "room-id": ref.user.id,
          subscriber: r.subscriber ? "1" : "0",
          "tmi-sent-ts": String(t),
          turbo: "0",
          "user-id": user.id,
          "user-type": r.userType
        }
        if (r.vip) tags.vip = "1"
        const parent = replyParentMsgId === undefined ? undefined : findHistory(login, replyParentMsgId)
        if (parent !== undefined) {
          tags["reply-parent-display-name"] = parent.displayName
          tags["reply-parent-msg-body"] = parent.body
          tags["reply-parent-msg-id"] = parent.id
          tags["reply-parent-user-id"] = parent.userId
          tags["reply-parent-user-login"] = parent.login
          tags["reply-thread-parent-display-name"] = parent.thread.displayName
          tags["reply-thread-parent-msg-id"] = parent.thread.id
          tags["reply-thread-parent-user-id"] = parent.thread.userId
          tags["reply-thread-parent-user-login"] = parent.thread.login
        }
        const wire = action ? `\x01ACTION ${body}\x01` : body
        const self = { id, userId: user.id, login: user.login, displayName: user.displayName }
        recordHistory(login, { ...self, body: wire, thread: parent?.thread ?? self })
        const line = Message.format({
          tags,
          prefix: prefixOf(user.login),
          command: "PRIVMSG",
          params: [`#${login}`],
          trailing: wire
        })
        return { id, line, wire }
      })

    /**
     * Room modes (`r9k`, `emote-only`, `subs-only`, `followers-only`) for a client PRIVMSG, with the
     * documented NOTICE msg-ids. Broadcaster and moderators are exempt from all of them; VIPs from
     * subscribers-only and followers-only (Twitch's VIP rules), not from emote-only or unique chat.
     */
    const checkRoomModes = (
      user: World.User,
      ref: ChannelRef,
      rawText: string,
      t: number
    ): Effect.Effect<Violation | undefined> =>
      Effect.gen(function*() {
        if (options.enforceRoomModes !== true) return undefined
        const modes = ref.channel.roomState
        const r = rolesIn(user, ref.channel)
        if (r.broadcaster || r.moderator) return undefined
        const login = ref.user.login
        const body = rawText.startsWith("\x01ACTION ") && rawText.endsWith("\x01")
          ? rawText.slice(8, -1)
          : rawText.startsWith("/me ")
          ? rawText.slice(4)
          : rawText
        if (modes.emoteOnly) {
          const emotes = yield* emoteMap(ref.user.id)
          const words = body.split(" ").filter((w) => w.length > 0)
          if (words.length === 0 || !words.every((w) => emotes.has(w))) {
            return { kind: "emoteOnly", msgId: "msg_emoteonly", text: "This room is in emote-only mode." }
          }
        }
        if (modes.subsOnly && !r.subscriber && !r.vip) {
          return {
            kind: "subsOnly",
            msgId: "msg_subsonly",
            text:
              `This room is in subscribers-only mode. To talk, purchase a channel subscription at https://www.twitch.tv/products/${login}/ticket?ref=subscriber_only_mode_chat.`
          }
        }
        if (modes.followersOnly >= 0 && !r.vip) {
          const minutes = modes.followersOnly
          const follow = (yield* world.snapshot).follows.find((f) =>
            f.fromId === user.id && f.toId === ref.user.id
          )
          if (follow === undefined) {
            return minutes === 0
              ? {
                kind: "followersOnly",
                msgId: "msg_followersonly_zero",
                text: `This room is in followers-only mode. Follow ${login} to join the community!`
              }
              : {
                kind: "followersOnly",
                msgId: "msg_followersonly",
                text:
                  `This room is in ${minutes} minutes followers-only mode. Follow ${login} to join the community!`
              }
          }
          const followedMinutes = Math.floor((t - Date.parse(follow.followedAt)) / 60_000)
          if (minutes > 0 && followedMinutes < minutes) {
            return {
              kind: "followersOnly",
              msgId: "msg_followersonly_followed",
              text: `This room is in ${minutes} minutes followers-only mode. You have been following for ${
                Math.max(0, followedMinutes)
              } minutes. Continue following to chat!`
            }
          }
        }
        // Unique chat: a message over 9 characters that was already said in the room (by anyone).
        if (modes.r9k && Array.from(body).length > 9) {
          const wire = body === rawText ? body : `\x01ACTION ${body}\x01`
          if ((history.get(login) ?? []).some((e) => e.body === wire)) {
            return {
              kind: "r9k",
              msgId: "msg_r9k",
              text: "This room is in unique-chat mode and the message you attempted to send is not unique."
            }
          }
        }
        return undefined
      })

    /**
     * Checks Twitch's rules for a client PRIVMSG; returns the violation or undefined when accepted.
     * `modes` is the room-mode verdict ({@link checkRoomModes}), applied after bans and length and
     * before slow mode and the rate limits, so a refused message does not use up a send.
     */
    const checkSend = (
      user: World.User,
      ref: ChannelRef,
      text: string,
      t: number,
      modes: Violation | undefined
    ): Violation | undefined => {
      const login = ref.user.login
      if (ref.channel.suspended) {
        return { kind: "suspended", msgId: "msg_channel_suspended", text: noticeTexts.msg_channel_suspended }
      }
      const until = bans.get(ref.user.id)?.get(user.id)
      if (until !== undefined) {
        if (until === Infinity) {
          return {
            kind: "banned",
            msgId: "msg_banned",
            text: `You are permanently banned from talking in ${login}.`
          }
        }
        if (until > t) {
          return {
            kind: "timedOut",
            msgId: "msg_timedout",
            text: `You are timed out for ${Math.ceil((until - t) / 1000)} more seconds.`
          }
        }
      }
      if (Array.from(text).length > limits.maxMessageLength) return { kind: "tooLong" }
      if (modes !== undefined) return modes
      const r = rolesIn(user, ref.channel)
      const last = lastInChannel.get(`${user.id}#${login}`)
      const slow = ref.channel.roomState.slow
      if (!r.elevated && slow > 0 && last !== undefined && t - last.at < slow * 1000) {
        return {
          kind: "slowMode",
          msgId: "msg_slowmode",
          text:
            `This room is in slow mode and you are sending messages too quickly. You will be able to talk again in ${
              Math.ceil((last.at + slow * 1000 - t) / 1000)
            } seconds.`
        }
      }
      if (
        !r.elevated && limits.channelIntervalMs > 0 && last !== undefined &&
        t - last.at < limits.channelIntervalMs
      ) {
        return { kind: "channelRate", msgId: "msg_ratelimit", text: noticeTexts.msg_ratelimit }
      }
      if (
        limits.duplicateWindowMs > 0 && last !== undefined && last.text === text &&
        t - last.at < limits.duplicateWindowMs
      ) {
        return { kind: "duplicate", msgId: "msg_duplicate", text: noticeTexts.msg_duplicate }
      }
      let bucket = userBuckets.get(user.id)
      if (bucket === undefined) {
        bucket = []
        userBuckets.set(user.id, bucket)
      }
      prune(bucket, t, limits.messageWindowMs)
      // Messages of elevated users count toward the 20 bucket too; they may go on until 100.
      if (bucket.length >= (r.elevated ? limits.elevatedMessages : limits.userMessages)) {
        return { kind: "userRate", msgId: "msg_ratelimit", text: noticeTexts.msg_ratelimit }
      }
      bucket.push(t)
      lastInChannel.set(`${user.id}#${login}`, { at: t, text })
      return undefined
    }

    const onPrivmsg = (conn: Conn, tags: ReadonlyMap<string, string>, params: ReadonlyArray<string>) =>
      Effect.gen(function*() {
        const target = params[0]
        const text = params[1]
        if (target === undefined || text === undefined || !target.startsWith("#")) return
        const user = conn.user
        if (user === undefined) {
          violations.anonymousSend++
          return
        }
        if (!conn.scopes.includes("chat:edit")) {
          violations.missingScope++
          return
        }
        const login = normalizeChannel(target)
        const found = yield* channelByLogin(login)
        if (Option.isNone(found)) return
        const ref = found.value
        const t = now()
        const violation = checkSend(user, ref, text, t, yield* checkRoomModes(user, ref, text, t))
        if (violation !== undefined) {
          violations[violation.kind]++
          if (violation.msgId !== undefined) notice(conn, `#${login}`, violation.msgId, violation.text ?? "")
          return
        }
        const replyTo = tags.get("reply-parent-msg-id")
        const built = yield* buildPrivmsg(user, ref, text, replyTo, t)
        counters.privmsgsAccepted++
        broadcast(login, built.line, conn)
        sendUserState(conn, user, ref, built.id)
        let list = received.get(login)
        if (list === undefined) {
          list = []
          received.set(login, list)
        }
        list.push({
          id: built.id,
          channel: login,
          login: user.login,
          userId: user.id,
          text: built.wire,
          replyParentMsgId: replyTo,
          transport: conn.raw.kind,
          line: built.line,
          at: t
        })
        const count = list.length
        msgWaiters = msgWaiters.filter((w) => {
          if (w.channel !== login || count < w.count) return true
          Deferred.unsafeDone(w.deferred, Exit.void)
          return false
        })
      })

    // ---------------------------------------------------------------- dispatch
    const onLine = (conn: Conn, raw: string): Effect.Effect<void> =>
      Effect.gen(function*() {
        const msg = Message.parse(raw)
        if (msg === undefined) return
        switch (msg.command) {
          case "CAP":
            return yield* onCap(conn, msg.params)
          case "PASS":
            if (conn.phase === "new") conn.pass = msg.params[0]
            return
          case "NICK":
            return yield* onNick(conn, msg.params[0])
          case "USER":
            return
          case "PING":
            if (answerPings && !conn.silent) {
              send(
                conn,
                Message.format({
                  prefix: HOST,
                  command: "PONG",
                  params: [HOST],
                  trailing: msg.params[0] ?? ""
                })
              )
            }
            return
          case "PONG":
            counters.pongsReceived++
            conn.awaitingPong = false
            return
          case "QUIT":
            closeConn(conn)
            return
        }
        if (conn.phase !== "registered") return
        switch (msg.command) {
          case "JOIN":
            for (const ch of (msg.params[0] ?? "").split(",")) {
              if (ch.startsWith("#") && ch.length > 1) yield* joinOne(conn, normalizeChannel(ch))
            }
            return
          case "PART":
            for (const ch of (msg.params[0] ?? "").split(",")) yield* leave(conn, normalizeChannel(ch), true)
            return
          case "PRIVMSG":
            return yield* onPrivmsg(conn, msg.tags, msg.params)
          default:
            send(
              conn,
              Message.format({
                prefix: HOST,
                command: "421",
                params: [conn.nick ?? "*", msg.command],
                trailing: "Unknown command"
              })
            )
        }
      }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("mock IRC: line failed", cause)))

    const handleConnection = (raw: Transport.RawConnection) =>
      Effect.gen(function*() {
        const conn: Conn = {
          id: nextId++,
          raw,
          caps: new Set(),
          out: yield* Queue.unbounded<Out>(),
          channels: new Set(),
          userStates: new Map(),
          pass: undefined,
          phase: "new",
          nick: undefined,
          user: undefined,
          anonymous: false,
          scopes: [],
          emoteSets: "0",
          silent: false,
          awaitingPong: false
        }
        conns.add(conn)
        counters.connections++
        yield* Effect.fork(writer(conn))
        const cleanup = Effect.gen(function*() {
          conns.delete(conn)
          raw.destroy()
          for (const login of [...conn.channels]) yield* leave(conn, login, false)
        })
        const loop = Effect.gen(function*() {
          while (true) {
            const item = yield* Queue.take(raw.inbound)
            if (item._tag === "Closed") return
            for (const line of item.lines) {
              counters.linesReceived++
              if (conn.phase === "closing") continue
              yield* onLine(conn, line)
            }
          }
        })
        yield* Effect.ensuring(loop, cleanup)
      })

    // ---------------------------------------------------------------- world events
    const events = yield* PubSub.subscribe(world.events)
    const loginOfId = (id: string) => Effect.map(world.userById(id), Option.map((u) => u.login))
    const onEvent = (event: World.WorldEvent): Effect.Effect<void> =>
      Effect.gen(function*() {
        switch (event._tag) {
          case "RoomStateChanged": {
            const login = yield* loginOfId(event.channelId)
            if (Option.isNone(login)) return
            const channel = yield* world.channel(event.channelId)
            if (Option.isNone(channel)) return
            broadcast(
              login.value,
              Message.format({
                tags: roomStateTags({ ...channel.value, roomState: event.roomState }, event.changed),
                prefix: HOST,
                command: "ROOMSTATE",
                params: [`#${login.value}`]
              })
            )
            return
          }
          case "ChannelUpdated": {
            const owner = yield* world.userById(event.channel.broadcasterId)
            if (Option.isNone(owner)) return
            const ref: ChannelRef = { user: owner.value, channel: event.channel }
            for (const conn of rooms.get(owner.value.login) ?? []) {
              if (conn.user === undefined) continue
              const fresh = yield* world.userById(conn.user.id)
              const user = Option.getOrElse(fresh, () => conn.user ?? owner.value)
              conn.emoteSets = yield* emoteSetsOf(user)
              const tags = JSON.stringify(userStateTags(conn, user, event.channel))
              if (conn.userStates.get(owner.value.login) !== tags) sendUserState(conn, user, ref)
            }
            return
          }
          case "ChatterJoined":
          case "ChatterLeft": {
            const channel = yield* loginOfId(event.channelId)
            const user = yield* loginOfId(event.userId)
            if (Option.isNone(channel) || Option.isNone(user)) return
            const line = Message.format({
              prefix: prefixOf(user.value),
              command: event._tag === "ChatterJoined" ? "JOIN" : "PART",
              params: [`#${channel.value}`]
            })
            for (const conn of rooms.get(channel.value) ?? []) {
              if (conn.caps.has(CAP_MEMBERSHIP) && conn.user?.id !== event.userId) send(conn, line)
            }
            return
          }
          default:
            return
        }
      })
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.flatMap(
          Queue.take(events),
          (event) =>
            Effect.catchAllCause(onEvent(event), (cause) =>
              Effect.logWarning("mock IRC: world event failed", cause))
        )
      )
    )

    // ---------------------------------------------------------------- keepalive
    const pingInterval = Duration.decode(options.pingInterval ?? Duration.seconds(60))
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.zipRight(
          Effect.sleep(pingInterval),
          Effect.sync(() => {
            for (const conn of conns) {
              if (conn.phase !== "registered" || conn.silent) {
                continue
              }
              if (conn.awaitingPong) {
                conn.raw.destroy()
                continue
              }
              conn.awaitingPong = true
              counters.pingsSent++
              send(conn, Message.format({ command: "PING", trailing: HOST }))
            }
          })
        )
      )
    )

    // ---------------------------------------------------------------- chatter
    const chatterChannel = (ref: ChannelRef): Effect.Effect<Chatter.ChatterChannel> =>
      Effect.map(emoteMap(ref.user.id), (emotes) => ({
        login: ref.user.login,
        id: ref.user.id,
        displayName: ref.user.displayName,
        emotes: Array.from(emotes, ([name, id]) => ({ id, name }))
      }))
    const emitGenerated = (ref: ChannelRef, channel: Chatter.ChatterChannel) =>
      Effect.gen(function*() {
        const g = generator.next(channel, now())
        if (g.kind === "ROOMSTATE" && g.roomState !== undefined) {
          // Room modes live in the world: change them there, the event sends the ROOMSTATE.
          const patch: { -readonly [K in keyof World.RoomState]?: World.RoomState[K] } = {}
          for (const [k, v] of Object.entries(g.roomState)) {
            if (k === "emote-only") {
              patch.emoteOnly = v === "1"
            } else if (k === "followers-only") {
              patch.followersOnly = Number(v)
            } else if (k === "r9k") {
              patch.r9k = v === "1"
            } else if (k === "subs-only") {
              patch.subsOnly = v === "1"
            }
          }
          yield* Effect.ignore(world.setRoomState(ref.user.id, patch))
          return g.line
        }
        if (g.kind === "PRIVMSG" && g.id !== undefined && g.login !== undefined && g.text !== undefined) {
          const entry = {
            id: g.id,
            userId: g.userId ?? "",
            login: g.login,
            displayName: g.displayName ?? g.login
          }
          recordHistory(ref.user.login, { ...entry, body: g.text, thread: entry })
        }
        broadcast(ref.user.login, g.line)
        return g.line
      })
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.suspend(() => {
          if (chatterRate <= 0) {
            return Effect.sleep(Duration.millis(200))
          }
          const period = Duration.millis(Math.max(1, Math.round(1000 / chatterRate)))
          return Effect.zipRight(
            Effect.sleep(period),
            Effect.gen(function*() {
              for (const stream of yield* world.streams) {
                const owner = yield* world.userById(stream.userId)
                if (Option.isNone(owner) || !rooms.has(owner.value.login)) {
                  continue
                }
                const channel = yield* world.channel(stream.userId)
                if (Option.isNone(channel)) {
                  continue
                }
                const ref = { user: owner.value, channel: channel.value }
                yield* emitGenerated(ref, yield* chatterChannel(ref))
              }
            }).pipe(Effect.catchAllCause((cause) =>
              Effect.logWarning("mock IRC: chatter failed", cause)
            ))
          )
        })
      )
    )

    // ---------------------------------------------------------------- listeners
    const onConnection = (raw: Transport.RawConnection) => {
      run(handleConnection(raw))
    }
    const tcpPort = yield* Transport.listenTcp({ port: options.tcpPort ?? 0, onConnection })
    const certificatePem = options.certificatePem ?? Certificate.certificatePem
    const tlsPort = yield* Transport.listenTls({
      port: options.tlsPort ?? 0,
      onConnection,
      certificatePem,
      privateKeyPem: options.privateKeyPem ?? Certificate.privateKeyPem
    })
    const wsPort = yield* Transport.listenWebSocket({ port: options.wsPort ?? 0, onConnection })

    // ---------------------------------------------------------------- control
    /**
     * A blast line pre-rendered around its `id` and `tmi-sent-ts` values: a line is
     * `head + id + mid + ts + tail`, so every blasted line gets a fresh id and timestamp without
     * re-rendering its tags.
     */
    interface BlastTemplate {
      readonly head: string
      readonly mid: string
      readonly tail: string
      readonly plain: string
    }
    const blastPools = new Map<string, ReadonlyArray<BlastTemplate>>()
    /** Last `tmi-sent-ts` given to a blasted line: they strictly increase (1 ms apart at least). */
    let lastBlastTs = 0
    const blastTemplate = (g: Chatter.Generated, t: number): BlastTemplate => {
      const line = g.line
      const idKey = `;id=${g.id ?? ""};`
      const idAt = line.indexOf(idKey)
      const tsKey = `;tmi-sent-ts=${t};`
      const tsAt = line.indexOf(tsKey, idAt)
      if (g.id === undefined || idAt === -1 || tsAt === -1) {
        throw new Error(`mock IRC: blast template without id or tmi-sent-ts: ${line}`)
      }
      return {
        head: line.slice(0, idAt + 4),
        mid: line.slice(idAt + idKey.length - 1, tsAt + 13),
        tail: line.slice(tsAt + tsKey.length - 1) + "\r\n",
        plain: Message.stripTags(line) + "\r\n"
      }
    }
    const BLAST_CHUNK = 256

    const control: Control = {
      postMessage: ({ action, channel, login, replyParentMsgId, text }) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(channel)
          const user = yield* requireUser(login)
          const built = yield* buildPrivmsg(
            user,
            ref,
            action ? `\x01ACTION ${text}\x01` : text,
            replyParentMsgId,
            now()
          )
          const recipients = broadcast(ref.user.login, built.line)
          return { id: built.id, line: built.line, recipients }
        }),
      sendRaw: (line, target) =>
        Effect.sync(() => {
          let n = 0
          const channel = target?.channel === undefined ? undefined : normalizeChannel(target.channel)
          const login = target?.login?.toLowerCase()
          for (const conn of channel === undefined ? conns : rooms.get(channel) ?? []) {
            if (conn.phase !== "registered") continue
            if (login !== undefined && conn.nick !== login) continue
            sendRawTo(conn, line)
            n++
          }
          return n
        }),
      sendUserNotice: (n) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(n.channel)
          const user = yield* requireUser(n.login)
          const r = rolesIn(user, ref.channel)
          const tags: Record<string, string> = {
            "badge-info": r.badgeInfo,
            badges: r.badges,
            color: user.chatColor,
            "display-name": user.displayName,
            emotes: n.text === undefined ? "" : Message.emoteTag(n.text, yield* emoteMap(ref.user.id)),
            flags: "",
            id: messageIds.next(),
            login: user.login,
            mod: r.moderator ? "1" : "0",
            "msg-id": n.msgId,
            "room-id": ref.user.id,
            subscriber: r.subscriber ? "1" : "0",
            "system-msg": n.systemMsg,
            "tmi-sent-ts": String(now()),
            turbo: "0",
            "user-id": user.id,
            "user-type": r.userType
          }
          for (const [k, v] of Object.entries(n.params ?? {})) tags[`msg-param-${k}`] = v
          const line = Message.format({
            tags,
            prefix: HOST,
            command: "USERNOTICE",
            params: [`#${ref.user.login}`],
            trailing: n.text
          })
          broadcast(ref.user.login, line)
          return line
        }),
      generate: (channel, count = 1) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(channel)
          const cc = yield* chatterChannel(ref)
          const lines: Array<string> = []
          for (let i = 0; i < count; i++) lines.push(yield* emitGenerated(ref, cc))
          return lines
        }),
      setChatterRate: (perSecond) =>
        Effect.sync(() => {
          chatterRate = perSecond
        }),
      dropConnections: (login) =>
        Effect.sync(() => {
          let n = 0
          for (const conn of [...conns]) {
            if (login !== undefined && conn.nick !== login.toLowerCase()) continue
            conn.raw.destroy()
            n++
          }
          return n
        }),
      sendReconnect: (opts) =>
        Effect.gen(function*() {
          const targets = [...conns].filter((c) => c.phase === "registered")
          for (const conn of targets) send(conn, Message.format({ prefix: HOST, command: "RECONNECT" }))
          if (opts?.closeAfter !== undefined) {
            yield* Effect.forkIn(
              Effect.zipRight(
                Effect.sleep(opts.closeAfter),
                Effect.sync(() => {
                  for (const conn of targets) if (conn.phase !== "closing") closeConn(conn)
                })
              ),
              serverScope
            )
          }
          return targets.length
        }),
      setSilent: (silent) =>
        Effect.sync(() => {
          for (const conn of conns) conn.silent = silent
        }),
      setAnswerPings: (answer) =>
        Effect.sync(() => {
          answerPings = answer
        }),
      setOutgoingDelay: (delay) =>
        Effect.sync(() => {
          delayMs = Duration.toMillis(Duration.decode(delay))
        }),
      setRole: ({ channel, enabled, login, months, role }) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(channel)
          const user = yield* requireUser(login)
          const c = ref.channel
          const toggle = (list: ReadonlyArray<string>) =>
            enabled
              ? (list.includes(user.id) ? list : [...list, user.id])
              : list.filter((id) => id !== user.id)
          const patch: Partial<World.Channel> = role === "moderator"
            ? { moderators: toggle(c.moderators) }
            : role === "vip"
            ? { vips: toggle(c.vips) }
            : {
              subscribers: enabled
                ? [
                  ...c.subscribers.filter((s) => s.userId !== user.id),
                  { userId: user.id, months: months ?? 1, tier: "1000" as const }
                ]
                : c.subscribers.filter((s) => s.userId !== user.id)
            }
          yield* Effect.mapError(
            world.updateChannel(ref.user.id, patch),
            (e) => new MockIrcError({ message: e.message })
          )
        }),
      suspendChannel: (channel, suspended) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(channel)
          yield* Effect.mapError(
            world.updateChannel(ref.user.id, { suspended }),
            (e) => new MockIrcError({ message: e.message })
          )
        }),
      setRoomState: (channel, patch) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(channel)
          return yield* Effect.mapError(
            world.setRoomState(ref.user.id, patch),
            (e) => new MockIrcError({ message: e.message })
          )
        }),
      ban: ({ channel, login, seconds }) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(channel)
          const user = yield* requireUser(login)
          let m = bans.get(ref.user.id)
          if (m === undefined) {
            m = new Map()
            bans.set(ref.user.id, m)
          }
          const t = now()
          m.set(user.id, seconds === undefined ? Infinity : t + seconds * 1000)
          const tags: Record<string, string> = {
            "room-id": ref.user.id,
            "target-user-id": user.id,
            "tmi-sent-ts": String(t)
          }
          if (seconds !== undefined) tags["ban-duration"] = String(seconds)
          broadcast(
            ref.user.login,
            Message.format({
              tags,
              prefix: HOST,
              command: "CLEARCHAT",
              params: [`#${ref.user.login}`],
              trailing: user.login
            })
          )
        }),
      unban: (channel, login) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(channel)
          const user = yield* requireUser(login)
          bans.get(ref.user.id)?.delete(user.id)
        }),
      clearChat: (channel) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(channel)
          broadcast(
            ref.user.login,
            Message.format({
              tags: { "room-id": ref.user.id, "tmi-sent-ts": String(now()) },
              prefix: HOST,
              command: "CLEARCHAT",
              params: [`#${ref.user.login}`]
            })
          )
        }),
      deleteMessage: (channel, messageId) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(channel)
          const entry = findHistory(ref.user.login, messageId)
          if (entry === undefined) return yield* new MockIrcError({ message: `no message ${messageId}` })
          broadcast(
            ref.user.login,
            Message.format({
              tags: {
                login: entry.login,
                "room-id": ref.user.id,
                "target-msg-id": entry.id,
                "tmi-sent-ts": String(now())
              },
              prefix: HOST,
              command: "CLEARMSG",
              params: [`#${ref.user.login}`],
              trailing: entry.body
            })
          )
        }),
      counters: Effect.sync((): Counters => ({
        ...counters,
        openConnections: conns.size,
        violations: { ...violations }
      })),
      connections: Effect.sync(() =>
        [...conns].map((c): ConnectionInfo => ({
          id: c.id,
          transport: c.raw.kind,
          login: c.phase === "registered" ? c.nick : undefined,
          anonymous: c.anonymous,
          capabilities: [...c.caps],
          channels: [...c.channels]
        }))
      ),
      received: (channel) => Effect.sync(() => [...(received.get(normalizeChannel(channel)) ?? [])]),
      awaitPrivmsgs: (channel, count) =>
        Effect.gen(function*() {
          const login = normalizeChannel(channel)
          if ((received.get(login)?.length ?? 0) < count) {
            const deferred = yield* Deferred.make<void>()
            msgWaiters.push({ channel: login, count, deferred })
            yield* Deferred.await(deferred)
          }
          return (received.get(login) ?? []).slice(0, count)
        }),
      awaitLogins: (count) =>
        Effect.gen(function*() {
          if ([...conns].filter((c) => c.phase === "registered").length >= count) return
          const deferred = yield* Deferred.make<void>()
          loginWaiters.push({ count, deferred })
          yield* Deferred.await(deferred)
        }),
      blast: (channel, count) =>
        Effect.gen(function*() {
          const ref = yield* requireChannel(channel)
          const login = ref.user.login
          let pool = blastPools.get(login)
          if (pool === undefined) {
            const cc = yield* chatterChannel(ref)
            const blastGen = Chatter.make((options.seed ?? world.seed) ^ 0x5bd1e995)
            const t = now()
            const templates: Array<BlastTemplate> = []
            for (let i = 0; i < 1024; i++) templates.push(blastTemplate(blastGen.privmsg(cc, t), t))
            pool = templates
            blastPools.set(login, pool)
          }
          const targets = [...(rooms.get(login) ?? [])]
          const started = now()
          let bytes = 0
          let previous: Array<Deferred.Deferred<void>> = []
          for (let sent = 0; sent < count; sent += BLAST_CHUNK) {
            const n = Math.min(BLAST_CHUNK, count - sent)
            const live = targets.filter((c) => conns.has(c))
            const wantTagged = live.some((c) => c.caps.has(CAP_TAGS))
            const wantPlain = live.some((c) => !c.caps.has(CAP_TAGS))
            let tagged = ""
            let plain = ""
            const firstId = messageIds.reserve(n)
            let ts = Math.max(now(), lastBlastTs + 1)
            for (let i = 0; i < n; i++, ts++) {
              const tpl = pool[(sent + i) % pool.length]
              if (wantTagged) tagged += tpl.head + messageIds.format(firstId + i) + tpl.mid + ts + tpl.tail
              if (wantPlain) plain += tpl.plain
            }
            lastBlastTs = ts - 1
            const current: Array<Deferred.Deferred<void>> = []
            for (const conn of live) {
              const done = Deferred.unsafeMake<void>(FiberId.none)
              const text = conn.caps.has(CAP_TAGS) ? tagged : plain
              bytes += Buffer.byteLength(text)
              conn.out.unsafeOffer({ _tag: "Text", text, lines: n, at: now(), done })
              current.push(done)
            }
            for (const d of previous) yield* Deferred.await(d)
            previous = current
          }
          for (const d of previous) yield* Deferred.await(d)
          const result: BlastResult = {
            lines: count,
            connections: targets.length,
            bytes,
            millis: now() - started
          }
          return result
        })
    }

    return {
      host: "127.0.0.1" as const,
      tcpPort,
      tlsPort,
      wsPort,
      wsUrl: `ws://127.0.0.1:${wsPort}`,
      tlsCertificatePem: certificatePem,
      control,
      accept: onConnection
    }
  })
