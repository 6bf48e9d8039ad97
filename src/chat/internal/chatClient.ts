/**
 * The chat client's engine: connections (login, keepalive, RECONNECT overlap), the supervisor that
 * reconnects with backoff, per-channel send workers with answer correlation, joins, and the hub that
 * fans messages out to stream subscribers with back-pressure or drop-oldest.
 *
 * @internal
 */
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import type * as Duration from "effect/Duration"
import * as DurationM from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as Mailbox from "effect/Mailbox"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { AccessToken } from "../../auth/AccessToken.js"
import * as TwitchAuth from "../../auth/TwitchAuth.js"
import { ChatError, NotAuthorized } from "../../TwitchError.js"
import * as ChatConnection from "../ChatConnection.js"
import * as ChatRateLimits from "../ChatRateLimits.js"
import { formatIrcLine } from "../IrcFormatter.js"
import * as IrcMessage from "../IrcMessage.js"
import { SendOutcome } from "../SendOutcome.js"
import type * as TM from "../TwitchMessage.js"
import { parseTwitchLine } from "../TwitchMessage.js"

// ------------------------------------------------------------------ public-facing shapes (re-exported)

export type Overflow = "backpressure" | "dropOldest"

export type ConnectionEventShape =
  | { readonly _tag: "Connecting"; readonly attempt: number }
  | {
    readonly _tag: "Connected"
    readonly connection: number
    readonly login: string
    readonly anonymous: boolean
  }
  | { readonly _tag: "Joined"; readonly channel: string }
  | { readonly _tag: "JoinFailed"; readonly channel: string; readonly error: ChatError }
  | { readonly _tag: "Parted"; readonly channel: string }
  | { readonly _tag: "ReconnectRequested"; readonly connection: number }
  | { readonly _tag: "Disconnected"; readonly connection: number; readonly reason: string }
  | { readonly _tag: "Reconnecting"; readonly attempt: number; readonly delay: Duration.Duration }
  | { readonly _tag: "Failed"; readonly error: ChatError | NotAuthorized }
  | { readonly _tag: "Closed" }

export type StateShape = "Connecting" | "Connected" | "Reconnecting" | "Failed" | "Closed"

export interface StatsShape {
  readonly received: number
  readonly sent: number
  readonly refused: number
  readonly unconfirmed: number
  readonly dropped: number
  readonly duplicates: number
  readonly reconnects: number
  readonly invalidLines: number
}

export interface Settings {
  readonly transport: ChatConnection.Transport
  readonly anonymous: boolean
  readonly login: string | undefined
  readonly auth: TwitchAuth.TwitchAuth.Service | undefined
  readonly bufferSize: number
  readonly overflow: Overflow
  readonly limits: ChatRateLimits.Limits
  readonly sendTimeout: Duration.Duration
  readonly offlineSendTimeout: Duration.Duration
  readonly sendQueueSize: number
  readonly joinTimeout: Duration.Duration
  readonly loginTimeout: Duration.Duration
  readonly keepaliveIdle: Duration.Duration
  readonly keepaliveTimeout: Duration.Duration
  readonly reconnectBase: Duration.Duration
  readonly reconnectMax: Duration.Duration
  readonly reconnectStable: Duration.Duration
  readonly initialAttempts: number
  readonly maxLength: number
  readonly tooLong: "split" | "refuse"
  readonly commands: "escape" | "allow"
  readonly dedupeSize: number
  readonly onReceived: (n: number) => void
  readonly onSent: (outcome: SendOutcome) => void
  readonly onDropped: (n: number) => void
  readonly onReconnect: () => void
}

// ------------------------------------------------------------------ helpers

const TMI = "tmi.twitch.tv"

/** The channel a message belongs to, if any. */
export const channelOf = (m: TM.TwitchMessage): string | undefined => {
  switch (m._tag) {
    case "Privmsg":
    case "UserNotice":
    case "ClearChat":
    case "ClearMsg":
    case "RoomState":
    case "UserState":
    case "Join":
    case "Part":
    case "Names":
    case "EndOfNames":
      return m.channel
    case "Notice":
      return Option.getOrUndefined(m.channel)
    default:
      return undefined
  }
}

/** Lowercase login without `#`, or undefined when it cannot be a Twitch login. */
export const normalizeChannel = (channel: string): string | undefined => {
  const c = channel.startsWith("#") ? channel.slice(1).toLowerCase() : channel.toLowerCase()
  return /^[a-z0-9_]{1,25}$/.test(c) ? c : undefined
}

/** The index of the first CR, LF or NUL, or -1. */
export const forbiddenIndex = (text: string): number => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 13 || c === 10 || c === 0) return i
  }
  return -1
}

const codePoints = (text: string): number => {
  let n = 0
  for (const _ of text) n++
  return n
}

let segmenter: Intl.Segmenter | undefined

/**
 * Splits `text` into parts of at most `max` code points, on grapheme boundaries, preferring the
 * last space of a part when it falls in its second half. Leading/trailing spaces of parts are
 * trimmed.
 */
export const splitText = (text: string, max: number): Array<string> => {
  if (codePoints(text) <= max) return [text]
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })
  const parts: Array<string> = []
  let current: Array<string> = []
  let currentLength = 0
  let lastSpace = -1
  const flush = (upTo: number) => {
    const head = current.slice(0, upTo).join("").trim()
    if (head.length > 0) parts.push(head)
    current = current.slice(upTo)
    currentLength = 0
    lastSpace = -1
    for (let i = 0; i < current.length; i++) {
      currentLength += codePoints(current[i])
      if (current[i] === " ") lastSpace = i
    }
  }
  for (const { segment } of segmenter.segment(text)) {
    const size = codePoints(segment)
    if (currentLength + size > max) {
      flush(lastSpace > current.length / 2 ? lastSpace + 1 : current.length)
      if (currentLength + size > max) flush(current.length)
    }
    current.push(segment)
    currentLength += size
    if (segment === " ") lastSpace = current.length - 1
  }
  flush(current.length)
  return parts
}

/**
 * NOTICEs Twitch sends to a room on its own (room mode changes), which answer no PRIVMSG. While a
 * send is pending in a channel, any other NOTICE for that channel is its answer: besides the
 * documented `msg_*` refusals, Twitch answers text it reads as a command with `unrecognized_cmd`,
 * `no_permission`, `usage_*`, `bad_*`, `cmds_available`... (review #7).
 */
const isRoomNotice = (msgId: string) => /^(emote_only|followers|slow|subs|r9k|host)_/.test(msgId)
/**
 * Whether Twitch could read the text as a chat command (`/color red`, `.me`, ...). Over IRC Twitch
 * still runs `/me` and answers most others with NOTICEs, and what it interprets may change.
 */
const looksLikeCommand = (text: string) => /^\s*[./]/.test(text)

/**
 * What `say` puts before such a text (option `commands: "escape"`, the default): U+200B ZERO WIDTH
 * SPACE. Other libraries: dank-twitch-irc prefixes `/ ` (relying on Twitch's command parser to
 * print the rest), tmi.js runs the command, twurple sends the text as is. A zero-width space does
 * not depend on Twitch's parser (nor on the server being Twitch), is invisible, and the text Twitch
 * shows is exactly the one sent, so the own message put in the stream is right.
 */
export const commandEscape = "\u200B"

const isJoinRefusal = (msgId: string) =>
  msgId === "msg_channel_suspended" || msgId === "tos_ban" || msgId === "msg_banned" ||
  msgId === "msg_channel_blocked"

const isElevatedBadges = (badges: ReadonlyMap<string, string>) =>
  badges.has("broadcaster") || badges.has("moderator") || badges.has("vip")

// ------------------------------------------------------------------ connection

type Answer =
  | { readonly _tag: "Sent"; readonly state: TM.UserState }
  | { readonly _tag: "Refused"; readonly notice: TM.Notice }
  | { readonly _tag: "Lost" }
  /** Written, but the server did not grant `twitch.tv/tags` and `twitch.tv/commands`: no answer will come. */
  | { readonly _tag: "NoConfirmation" }

type JoinAnswer =
  | { readonly _tag: "Joined" }
  | { readonly _tag: "Refused"; readonly notice: TM.Notice }
  | { readonly _tag: "Lost" }

type EndReason =
  | { readonly _tag: "Closed" }
  | { readonly _tag: "Error"; readonly detail: string }
  | { readonly _tag: "Silent" }
  | { readonly _tag: "Reconnect" }
  | { readonly _tag: "Shutdown" }

interface Pending {
  readonly answer: Deferred.Deferred<Answer>
  readonly text: string
  readonly replyTo: string | undefined
  written: boolean
}

interface OutLine {
  readonly text: string
  readonly onWritten?: (() => void) | undefined
}

interface Conn {
  readonly id: number
  readonly socket: ChatConnection.LineSocket
  readonly scope: Scope.CloseableScope
  readonly outbox: Queue.Queue<OutLine>
  readonly pending: Map<string, Pending>
  readonly joins: Map<string, Deferred.Deferred<JoinAnswer>>
  readonly parts: Map<string, Deferred.Deferred<void>>
  /** Channels whose last send timed out: the answer Twitch may still send (see `sendOne`). */
  readonly owed: Map<string, Deferred.Deferred<void>>
  readonly welcomed: Deferred.Deferred<void, ChatError>
  readonly ended: Deferred.Deferred<EndReason>
  seen: number
  pongs: number
  draining: boolean
  endReason: EndReason | undefined
  welcomeDone: boolean
  /** Capabilities the server acknowledged. */
  readonly caps: Set<string>
  /** CAP REQs not answered yet; `CAP END` goes out when this reaches 0. */
  capOutstanding: number
  capEnded: boolean
}

/** What the client asks for; with `tags` and `commands` Twitch answers every PRIVMSG. */
const wantedCaps = ["twitch.tv/tags", "twitch.tv/commands", "twitch.tv/membership"] as const

/** Whether sends on this connection can be confirmed (USERSTATE with `id`, NOTICE with `msg-id`). */
const confirmable = (conn: Conn) => conn.caps.has("twitch.tv/tags") && conn.caps.has("twitch.tv/commands")

interface SendRequest {
  readonly channel: string
  readonly line: string
  readonly text: string
  readonly replyTo: string | undefined
  readonly part: number
  readonly parts: number
  /** Ids Twitch gave the parts of this text it accepted so far: one array shared by the parts. */
  readonly accepted: Array<string>
  readonly enqueuedAt: number
  readonly done: Deferred.Deferred<SendOutcome, ChatError | NotAuthorized>
  cancelled: boolean
}

interface Sub {
  readonly mailbox: Mailbox.Mailbox<TM.TwitchMessage, ChatError | NotAuthorized>
  readonly filter: ((m: TM.TwitchMessage) => boolean) | undefined
  readonly overflow: Overflow
  readonly capacity: number
  stalled: Array<TM.TwitchMessage> | undefined
}

export interface Engine {
  readonly login: string
  readonly anonymous: boolean
  readonly subscribe: (options: {
    readonly filter?: ((m: TM.TwitchMessage) => boolean) | undefined
    readonly bufferSize?: number | undefined
    readonly overflow?: Overflow | undefined
  }) => Stream.Stream<TM.TwitchMessage, ChatError | NotAuthorized>
  readonly events: Stream.Stream<ConnectionEventShape>
  readonly state: Effect.Effect<StateShape>
  readonly join: (channel: string) => Effect.Effect<void, ChatError | NotAuthorized>
  readonly part: (channel: string) => Effect.Effect<void, ChatError>
  readonly joined: Effect.Effect<ReadonlyArray<string>>
  readonly send: (
    channel: string,
    text: string,
    options: {
      readonly replyTo?: string | undefined
      readonly action?: boolean | undefined
      readonly tooLong?: "split" | "refuse" | undefined
      readonly commands?: "escape" | "allow" | undefined
    }
  ) => Effect.Effect<SendOutcome, ChatError | NotAuthorized>
  readonly sendRaw: (line: string) => Effect.Effect<SendOutcome, ChatError | NotAuthorized>
  readonly isElevated: (channel: string) => Effect.Effect<boolean>
  readonly stats: Effect.Effect<StatsShape>
  readonly capabilities: Effect.Effect<ReadonlyArray<string>>
  readonly connectionId: Effect.Effect<Option.Option<number>>
}

// ------------------------------------------------------------------ engine

export const make = (settings: Settings): Effect.Effect<Engine, ChatError | NotAuthorized, Scope.Scope> =>
  Effect.gen(function*() {
    const clientScope = yield* Effect.scope
    // Connections and background fibers live in child scopes created before the client's own
    // finalizer, so that the finalizer (PART, QUIT, flush) runs while they are still alive.
    const connsScope = yield* Scope.fork(clientScope, ExecutionStrategy.sequential)
    const fibersScope = yield* Scope.fork(clientScope, ExecutionStrategy.sequential)
    let shutdown: Effect.Effect<void> = Effect.void
    yield* Effect.addFinalizer(() => Effect.suspend(() => shutdown))
    const runtime = yield* Effect.runtime<never>()
    const runFork = Runtime.runFork(runtime)
    const limiter = yield* ChatRateLimits.make(settings.limits)
    const events = yield* PubSub.sliding<ConnectionEventShape>(1024)
    const emit = (event: ConnectionEventShape) => {
      events.unsafeOffer(event)
    }

    // ---- identity
    let token: AccessToken | undefined
    let login: string
    if (settings.anonymous || settings.auth === undefined) {
      login = `justinfan${10000 + Math.floor(Math.random() * 89999)}`
    } else {
      token = yield* TwitchAuth.tokenWithScope(settings.auth, "chat:read")
      const fromToken = Option.getOrUndefined(token.login)
      const chosen = settings.login ?? fromToken
      if (chosen === undefined) {
        return yield* new ChatError({
          reason: "LoginFailed",
          detail: "the token's login is unknown: validate the token or pass `login`"
        })
      }
      login = chosen.toLowerCase()
    }
    const anonymous = token === undefined

    // ---- shared state
    let state: StateShape = "Connecting"
    let closing = false
    let fatal: ChatError | NotAuthorized | undefined
    let current: Conn | undefined
    let readySignal = Deferred.unsafeMake<void, ChatError | NotAuthorized>(FiberId.none)
    let readyDone = false
    const completeReady = (exit: Exit.Exit<void, ChatError | NotAuthorized>) => {
      readyDone = true
      Deferred.unsafeDone(readySignal, exit)
    }
    let connCounter = 0
    const desired = new Set<string>()
    const joinedSet = new Set<string>()
    const joining = new Map<string, Deferred.Deferred<void, ChatError | NotAuthorized>>()
    const roles = new Map<string, boolean>()
    const roomIds = new Map<string, string>()
    const slowModes = new Map<string, number>()
    let userId = ""
    const sendQueues = new Map<string, Queue.Queue<SendRequest>>()
    /** Lines of `say`/`reply`/`me`/`sendRaw` calls not completed yet, per channel (`sendQueueSize`). */
    const waitingLines = new Map<string, number>()
    const outstanding = new Set<SendRequest>()
    const stats = {
      received: 0,
      sent: 0,
      refused: 0,
      unconfirmed: 0,
      dropped: 0,
      duplicates: 0,
      reconnects: 0,
      invalidLines: 0
    }

    // The ready signal is completed while, and only while, `current` is a live connection (or the
    // client failed or closed): a connection that ends or drains is unset at once (`endConn`,
    // RECONNECT), so `awaitReady` and `awaitSendConnection` wait on a pending signal whenever they
    // loop. Before, a dropped connection stayed current with the signal completed until the
    // supervisor closed it, and those loops ran without ever yielding (issue #17).

    /** When the client lost its last usable connection (undefined while connected). */
    let offlineSince: number | undefined
    const isLive = (conn: Conn) => !conn.draining && conn.endReason === undefined
    /** Makes `conn` the connection sends and joins use, unless it already ended. */
    const setCurrent = (conn: Conn) => {
      if (!isLive(conn)) return
      current = conn
      offlineSince = undefined
      state = "Connected"
      completeReady(Exit.void)
    }
    const unsetCurrent = (conn: Conn) => {
      if (current !== conn) return
      current = undefined
      offlineSince = Date.now()
      if (state === "Connected") state = "Reconnecting"
      if (readyDone && fatal === undefined && !closing) {
        readySignal = Deferred.unsafeMake(FiberId.none)
        readyDone = false
      }
    }
    /** The current connection if it is live; a dead or draining one is unset (see above). */
    const liveCurrent = (): Conn | undefined => {
      const conn = current
      if (conn === undefined || isLive(conn)) return conn
      unsetCurrent(conn)
      return undefined
    }
    const awaitReady: Effect.Effect<Conn, ChatError | NotAuthorized> = Effect.suspend(() => {
      if (fatal !== undefined) return Effect.fail(fatal)
      if (closing) return Effect.fail(new ChatError({ reason: "Closed" }))
      const conn = liveCurrent()
      if (conn !== undefined) return Effect.succeed(conn)
      return Effect.zipRight(Deferred.await(readySignal), awaitReady)
    })
    /**
     * `awaitReady` for sends: the wait is bounded by `offlineSendTimeout` counted from when the
     * client lost its connection, so every send queued during an outage (not only the first one
     * of each channel) fails `NotConnected` once the client has been offline that long, and sends
     * made later in the outage fail at once. The line was not written: nothing was sent.
     */
    const awaitSendConnection = (
      channel: string | undefined
    ): Effect.Effect<Conn, ChatError | NotAuthorized> =>
      Effect.suspend(() => {
        if (fatal !== undefined) return Effect.fail(fatal)
        if (closing) return Effect.fail(new ChatError({ reason: "Closed" }))
        const conn = liveCurrent()
        if (conn !== undefined) return Effect.succeed(conn)
        const now = Date.now()
        const left = (offlineSince ?? now) + DurationM.toMillis(settings.offlineSendTimeout) - now
        if (left <= 0) {
          return Effect.fail(
            new ChatError({
              reason: "NotConnected",
              ...(channel === undefined ? {} : { channel }),
              detail: `no connection for ${DurationM.format(settings.offlineSendTimeout)} ` +
                "(the client keeps reconnecting); the message was not sent"
            })
          )
        }
        return Deferred.await(readySignal).pipe(
          Effect.timeout(DurationM.millis(left)),
          Effect.catchTag("TimeoutException", () => Effect.void),
          Effect.zipRight(awaitSendConnection(channel))
        )
      })

    // ---- hub
    const subs = new Set<Sub>()
    const backlogCapacity = settings.bufferSize > 0 ? settings.bufferSize : 10_000
    let backlog: Array<TM.TwitchMessage> = []
    const pausedConns = new Set<Conn>()
    const countDropped = (n: number) => {
      stats.dropped += n
      settings.onDropped(n)
    }
    const resumeIfFree = () => {
      for (const sub of subs) if (sub.stalled !== undefined) return
      for (const conn of pausedConns) conn.socket.resume()
      pausedConns.clear()
    }
    const drain = (sub: Sub) =>
      Effect.gen(function*() {
        while (sub.stalled !== undefined && sub.stalled.length > 0) {
          const items = sub.stalled
          sub.stalled = []
          const rest = yield* sub.mailbox.offerAll(items)
          if (rest.length > 0) break // mailbox ended
        }
        sub.stalled = undefined
        resumeIfFree()
      })
    const publish = (batch: Array<TM.TwitchMessage>, conn: Conn) => {
      stats.received += batch.length
      settings.onReceived(batch.length)
      if (subs.size === 0) {
        for (const m of batch) backlog.push(m)
        if (backlog.length > backlogCapacity) {
          countDropped(backlog.length - backlogCapacity)
          backlog = backlog.slice(backlog.length - backlogCapacity)
        }
        return
      }
      for (const sub of subs) {
        const items = sub.filter === undefined ? batch : batch.filter(sub.filter)
        if (items.length === 0) continue
        if (sub.stalled !== undefined) {
          for (const m of items) sub.stalled.push(m)
          conn.socket.pause()
          pausedConns.add(conn)
          continue
        }
        if (sub.overflow === "dropOldest" && sub.capacity > 0) {
          const size = Option.getOrElse(sub.mailbox.unsafeSize(), () => 0)
          const over = size + items.length - sub.capacity
          if (over > 0) countDropped(over)
          sub.mailbox.unsafeOfferAll(items)
        } else {
          const rest = sub.mailbox.unsafeOfferAll(items)
          if (rest.length > 0) {
            sub.stalled = Chunk.toArray(rest) as Array<TM.TwitchMessage>
            conn.socket.pause()
            pausedConns.add(conn)
            runFork(drain(sub))
          }
        }
      }
    }
    const subscribe: Engine["subscribe"] = (options) =>
      Stream.unwrapScoped(
        Effect.gen(function*() {
          const capacity = options.bufferSize ?? settings.bufferSize
          const overflow = options.overflow ?? settings.overflow
          const mailbox = yield* Mailbox.make<TM.TwitchMessage, ChatError | NotAuthorized>(
            capacity > 0
              ? { capacity, strategy: overflow === "dropOldest" ? "sliding" : "suspend" }
              : undefined
          )
          const sub: Sub = { mailbox, filter: options.filter, overflow, capacity, stalled: undefined }
          yield* Effect.acquireRelease(
            Effect.sync(() => {
              if (fatal !== undefined) {
                mailbox.unsafeDone(Exit.fail(fatal))
                return
              }
              if (closing) {
                mailbox.unsafeDone(Exit.void)
                return
              }
              if (subs.size === 0 && backlog.length > 0) {
                const items = sub.filter === undefined ? backlog : backlog.filter(sub.filter)
                backlog = []
                const rest = mailbox.unsafeOfferAll(items)
                if (rest.length > 0) countDropped(rest.length)
              }
              subs.add(sub)
            }),
            () =>
              Effect.sync(() => {
                subs.delete(sub)
                sub.stalled = undefined
                mailbox.unsafeDone(Exit.void)
                resumeIfFree()
              })
          )
          return Mailbox.toStream(mailbox)
        })
      )

    // ---- dedupe
    const seenIds = new Set<string>()
    const ring: Array<string | undefined> = new Array(Math.max(1, settings.dedupeSize))
    let ringPos = 0
    const isDuplicate = (id: string): boolean => {
      if (id.length === 0) return false
      if (seenIds.has(id)) return true
      const old = ring[ringPos]
      if (old !== undefined) seenIds.delete(old)
      // A copy: the id is a slice of the received line, which would keep the line (and, before
      // ChatConnection decoded lines one by one, the whole socket read) alive for `dedupeSize`
      // messages.
      const own = (" " + id).slice(1)
      ring[ringPos] = own
      seenIds.add(own)
      ringPos = (ringPos + 1) % ring.length
      return false
    }

    // ---- dedupe across a RECONNECT overlap
    // While the old and the new connection are both live, Twitch sends each room event to both.
    // PRIVMSG and USERNOTICE carry an id (above); CLEARCHAT, CLEARMSG, NOTICE and ROOMSTATE do
    // not, so they are matched by a key (command, params, every tag: tmi-sent-ts, target-msg-id,
    // target-user-id, msg-id...): a message is dropped when the same key arrived on the *other*
    // connection and was not matched yet. Copies are counted, so an event that legitimately comes
    // twice (a mode switched on twice) still comes twice. Only during the overlap: outside it,
    // identical messages are all delivered.
    let overlapOld: Conn | undefined
    const overlapSeen = new Map<string, { conn: number; count: number }>()
    const overlapKey = (m: TM.TwitchMessage): string | undefined => {
      switch (m._tag) {
        case "ClearChat":
        case "ClearMsg":
        case "Notice":
        case "RoomState": {
          let key = `${m.irc.command} ${m.irc.params.join(" ")}`
          for (const [k, v] of [...m.irc.tags].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
            key += `;${k}=${v}`
          }
          return key
        }
        default:
          return undefined
      }
    }
    const isOverlapDuplicate = (conn: Conn, m: TM.TwitchMessage): boolean => {
      if (overlapOld === undefined) return false
      const key = overlapKey(m)
      if (key === undefined) return false
      const entry = overlapSeen.get(key)
      if (entry === undefined || entry.conn === conn.id) {
        if (entry === undefined) overlapSeen.set(key, { conn: conn.id, count: 1 })
        else entry.count++
        if (overlapSeen.size > Math.max(1, settings.dedupeSize)) {
          const oldest = overlapSeen.keys().next()
          if (oldest.done !== true) overlapSeen.delete(oldest.value)
        }
        return false
      }
      entry.count--
      if (entry.count === 0) overlapSeen.delete(key)
      return true
    }
    const endOverlap = () => {
      overlapOld = undefined
      overlapSeen.clear()
    }

    // ---- own messages
    const synthesize = (state: TM.UserState, id: string, pending: Pending): TM.Privmsg | undefined => {
      const tags = new Map<string, string>()
      for (const [key, value] of state.tags) if (key !== "emote-sets") tags.set(key, value)
      tags.set("emotes", "")
      tags.set("id", id)
      tags.set("room-id", roomIds.get(state.channel) ?? "")
      tags.set("tmi-sent-ts", String(Date.now()))
      tags.set("user-id", userId)
      if (pending.replyTo !== undefined) tags.set("reply-parent-msg-id", pending.replyTo)
      const line = formatIrcLine(IrcMessage.make({
        tags,
        prefix: IrcMessage.prefix(login, login, `${login}.${TMI}`),
        command: "PRIVMSG",
        params: [`#${state.channel}`, pending.text]
      }))
      if (Either.isLeft(line)) return undefined
      const parsed = parseTwitchLine(line.right)
      return Either.isRight(parsed) && parsed.right._tag === "Privmsg" ? parsed.right : undefined
    }

    // ---- capability negotiation (IRCv3 CAP)
    // The REQ is atomic: one unsupported capability NAKs the whole list. Twitch grants all three
    // at once; on a NAK of several the client asks for each one alone, so that a server without
    // `membership` still gives `tags` and `commands`. `CAP END` goes out once every REQ has been
    // answered: IRCv3 servers hold the welcome until then (Twitch does not wait for it and
    // ignores it).
    const onCap = (conn: Conn, m: TM.Cap) => {
      const sub = m.subcommand.toUpperCase()
      if (sub !== "ACK" && sub !== "NAK") return
      if (sub === "ACK") {
        for (const c of m.capabilities) {
          if (c.startsWith("-")) conn.caps.delete(c.slice(1))
          else conn.caps.add(c)
        }
      } else if (m.capabilities.length > 1 && !conn.capEnded) {
        for (const c of m.capabilities) {
          conn.capOutstanding++
          conn.outbox.unsafeOffer({ text: `CAP REQ :${c}` })
        }
      }
      conn.capOutstanding = Math.max(0, conn.capOutstanding - 1)
      if (conn.capOutstanding === 0 && !conn.capEnded) {
        conn.capEnded = true
        conn.outbox.unsafeOffer({ text: "CAP END" })
      }
    }

    /** A late answer to a send that timed out arrived: drop it, the channel is in sync again. */
    const payOwed = (conn: Conn, channel: string) => {
      const owed = conn.owed.get(channel)
      if (owed === undefined) return
      conn.owed.delete(channel)
      Deferred.unsafeDone(owed, Exit.void)
    }

    // ---- inbound
    /**
     * Marks `conn` ended: it stops being the current connection at once, and unless it only
     * drains after a RECONNECT (answers may still come on it), the sends and joins waiting on it
     * are told it was lost (unwritten ones go out on the next connection).
     */
    const endConn = (conn: Conn, reason: EndReason) => {
      if (conn.endReason !== undefined) return
      conn.endReason = reason
      unsetCurrent(conn)
      if (reason._tag !== "Reconnect") failPending(conn)
      Deferred.unsafeDone(conn.ended, Exit.succeed(reason))
    }
    const invalid: Array<string> = []
    const onLines = (conn: Conn, lines: Array<string>) => {
      conn.seen++
      const batch: Array<TM.TwitchMessage> = []
      for (const line of lines) {
        const parsed = parseTwitchLine(line)
        if (Either.isLeft(parsed)) {
          stats.invalidLines++
          if (invalid.length < 100) invalid.push(line.length > 200 ? line.slice(0, 200) + "…" : line)
          continue
        }
        const m = parsed.right
        let own: TM.Privmsg | undefined
        switch (m._tag) {
          case "Privmsg":
          case "UserNotice":
            if (isDuplicate(m.id)) {
              stats.duplicates++
              continue
            }
            break
          case "Ping":
            conn.outbox.unsafeOffer({ text: `PONG :${m.text.length > 0 ? m.text : TMI}` })
            break
          case "Pong":
            conn.pongs++
            break
          case "Reconnect":
            overlapOld = conn
            overlapSeen.clear()
            conn.draining = true
            unsetCurrent(conn)
            endConn(conn, { _tag: "Reconnect" })
            break
          case "Cap":
            onCap(conn, m)
            break
          case "Numeric":
            if (m.code === 421 && m.irc.params[1]?.toUpperCase() === "CAP") {
              // A server without IRCv3 capabilities: nothing to negotiate, nothing to end.
              conn.capOutstanding = 0
              conn.capEnded = true
            }
            if (m.code === 1) conn.capEnded = true
            if (m.code === 1 && !conn.welcomeDone) {
              conn.welcomeDone = true
              Deferred.unsafeDone(conn.welcomed, Exit.void)
            }
            break
          case "GlobalUserState":
            userId = m.userId
            break
          case "RoomState":
            if (m.roomId.length > 0) roomIds.set(m.channel, m.roomId)
            if (Option.isSome(m.slow)) slowModes.set(m.channel, m.slow.value * 1000)
            break
          case "Notice": {
            if (!conn.welcomeDone) {
              conn.welcomeDone = true
              Deferred.unsafeDone(
                conn.welcomed,
                Exit.fail(new ChatError({ reason: "LoginFailed", detail: m.text }))
              )
              break
            }
            const channel = Option.getOrUndefined(m.channel)
            const msgId = Option.getOrUndefined(m.msgId)
            if (channel === undefined || msgId === undefined) break
            const join = conn.joins.get(channel)
            if (join !== undefined && isJoinRefusal(msgId)) {
              Deferred.unsafeDone(join, Exit.succeed({ _tag: "Refused", notice: m }))
              break
            }
            if (isRoomNotice(msgId)) break
            const pending = conn.pending.get(channel)
            if (pending !== undefined) {
              conn.pending.delete(channel)
              Deferred.unsafeDone(pending.answer, Exit.succeed({ _tag: "Refused", notice: m }))
            } else {
              payOwed(conn, channel)
            }
            break
          }
          case "UserState": {
            roles.set(m.channel, isElevatedBadges(m.badges))
            const id = Option.getOrUndefined(m.id)
            const pending = conn.pending.get(m.channel)
            if (id !== undefined && pending !== undefined) {
              conn.pending.delete(m.channel)
              own = synthesize(m, id, pending)
              if (own !== undefined) isDuplicate(id)
              Deferred.unsafeDone(pending.answer, Exit.succeed({ _tag: "Sent", state: m }))
            } else if (id !== undefined) {
              payOwed(conn, m.channel)
            }
            break
          }
          case "Join":
            if (m.login === login) {
              const join = conn.joins.get(m.channel)
              if (join !== undefined) Deferred.unsafeDone(join, Exit.succeed({ _tag: "Joined" }))
            }
            break
          case "Part":
            if (m.login === login) {
              const part = conn.parts.get(m.channel)
              if (part !== undefined) Deferred.unsafeDone(part, Exit.void)
            }
            break
          default:
            break
        }
        if (isOverlapDuplicate(conn, m)) {
          stats.duplicates++
          continue
        }
        batch.push(m)
        if (own !== undefined) batch.push(own)
      }
      if (invalid.length > 0) {
        const skipped = invalid.splice(0)
        runFork(Effect.logWarning("chat: skipped lines that are not IRC", skipped))
      }
      if (batch.length > 0) publish(batch, conn)
    }

    // ---- connection
    const writerLoop = (conn: Conn) =>
      Effect.gen(function*() {
        for (;;) {
          const head = yield* Queue.take(conn.outbox)
          const items = [head, ...(yield* Queue.takeAll(conn.outbox))]
          let text = ""
          for (const item of items) text += item.text + "\r\n"
          const result = yield* Effect.either(conn.socket.write(text))
          if (Either.isLeft(result)) {
            endConn(conn, { _tag: "Error", detail: `write failed: ${result.left.message}` })
            return
          }
          for (const item of items) item.onWritten?.()
        }
      })

    const keepalive = (conn: Conn) =>
      Effect.gen(function*() {
        let lastSeen = conn.seen
        for (;;) {
          yield* Effect.sleep(settings.keepaliveIdle)
          // Silence while the client itself stopped reading (a stalled consumer under
          // backpressure) is ours, not the server's: no Silent verdict, no reconnect for it.
          if (conn.seen !== lastSeen || pausedConns.has(conn)) {
            lastSeen = conn.seen
            continue
          }
          const pongs = conn.pongs
          yield* Queue.offer(conn.outbox, { text: `PING :${TMI}` })
          yield* Effect.sleep(settings.keepaliveTimeout)
          if (conn.pongs === pongs) {
            endConn(conn, { _tag: "Silent" })
            return
          }
          lastSeen = conn.seen
        }
      })

    const passFor = (t: AccessToken) => {
      const value = Redacted.value(t.value)
      return value.startsWith("oauth:") ? value : `oauth:${value}`
    }

    /** Opens a connection and logs in. Failures: `Left` = transient (retry), error = fatal. */
    const openAndLogin: Effect.Effect<Either.Either<Conn, string>, ChatError | NotAuthorized> = Effect.gen(
      function*() {
        const id = ++connCounter
        const scope = yield* Scope.fork(connsScope, ExecutionStrategy.sequential)
        const socket = yield* ChatConnection.make(settings.transport)
        const conn: Conn = {
          id,
          socket,
          scope,
          outbox: yield* Queue.unbounded<OutLine>(),
          pending: new Map(),
          joins: new Map(),
          parts: new Map(),
          owed: new Map(),
          welcomed: yield* Deferred.make<void, ChatError>(),
          ended: yield* Deferred.make<EndReason>(),
          seen: 0,
          pongs: 0,
          draining: false,
          endReason: undefined,
          welcomeDone: false,
          caps: new Set(),
          capOutstanding: 1,
          capEnded: false
        }
        yield* socket.run((lines) => onLines(conn, lines), Effect.void).pipe(
          Effect.matchCause({
            onSuccess: () => endConn(conn, { _tag: "Closed" }),
            onFailure: (cause) => endConn(conn, { _tag: "Error", detail: String(cause).slice(0, 300) })
          }),
          // No answer comes once the socket closed, also on a connection draining after RECONNECT.
          Effect.ensuring(Effect.sync(() => failPending(conn))),
          Effect.forkIn(scope)
        )
        yield* Effect.forkIn(writerLoop(conn), scope)
        const hello: Array<OutLine> = [{ text: `CAP REQ :${wantedCaps.join(" ")}` }]
        const known = token
        if (known !== undefined && settings.auth !== undefined) {
          const latest = Option.getOrElse(yield* Effect.option(settings.auth.current), () => known)
          token = latest
          hello.push({ text: `PASS ${passFor(latest)}` })
        } else {
          hello.push({ text: "PASS SCHMOOPIIE" })
        }
        hello.push({ text: `NICK ${login}` })
        yield* Queue.offerAll(conn.outbox, hello)
        const welcome = yield* Deferred.await(conn.welcomed).pipe(
          Effect.map(() => Either.right(conn)),
          Effect.raceFirst(
            Effect.map(
              Deferred.await(conn.ended),
              (r) => Either.left(`connection ended before login (${r._tag})`)
            )
          ),
          Effect.timeoutTo({
            duration: settings.loginTimeout,
            onTimeout: () => Either.left("login timed out"),
            onSuccess: (x) => x
          }),
          Effect.either
        )
        if (Either.isLeft(welcome)) {
          yield* Scope.close(scope, Exit.void)
          return yield* welcome.left
        }
        if (Either.isLeft(welcome.right)) {
          yield* Scope.close(scope, Exit.void)
          return Either.left(welcome.right.left)
        }
        yield* Effect.forkIn(keepalive(conn), scope)
        if (!confirmable(conn)) {
          yield* Effect.logWarning(
            "chat: the server did not grant twitch.tv/tags and twitch.tv/commands; " +
              "sends complete Unconfirmed (NoConfirmation) once written",
            { granted: [...conn.caps] }
          )
        }
        return Either.right(conn)
      }
    )

    /**
     * One login. Every login, anonymous ones too, counts against Twitch's 20 authentication
     * attempts per 10 s per account: the slot is stamped when the login was answered or gave up.
     */
    const connect = Effect.flatMap(
      limiter.acquireAuth,
      (permit) => Effect.ensuring(openAndLogin, permit.settle)
    )

    /** Connects with a refresh of a refused token once. */
    const connectOnce: Effect.Effect<Either.Either<Conn, string>, ChatError | NotAuthorized> = connect.pipe(
      Effect.catchIf(
        (e): e is ChatError => e._tag === "ChatError" && e.reason === "LoginFailed" && token !== undefined,
        (e) =>
          Effect.gen(function*() {
            const auth = settings.auth
            const stale = token
            if (auth === undefined || stale === undefined) return yield* e
            const fresh = yield* Effect.either(auth.onUnauthorized(stale))
            if (Either.isLeft(fresh) || Redacted.value(fresh.right.value) === Redacted.value(stale.value)) {
              return yield* e
            }
            token = fresh.right
            return yield* connect
          })
      )
    )

    const backoff = (attempt: number) =>
      Effect.map(Random.next, (r) => {
        const base = DurationM.toMillis(settings.reconnectBase)
        const max = DurationM.toMillis(settings.reconnectMax)
        const raw = Math.min(max, base * 2 ** Math.max(0, attempt - 1))
        return DurationM.millis(Math.round(raw * (0.5 + r / 2)))
      })

    /** Connects, retrying transient failures with capped exponential backoff and jitter. */
    const connectWithRetry = (
      immediate: boolean,
      maxAttempts: number,
      firstAttempt = 1
    ): Effect.Effect<readonly [Conn, number], ChatError | NotAuthorized> =>
      Effect.gen(function*() {
        let lastFailure = ""
        for (let attempt = firstAttempt; attempt < firstAttempt + maxAttempts; attempt++) {
          if (!(immediate && attempt === firstAttempt)) {
            const delay = yield* backoff(attempt)
            emit({ _tag: "Reconnecting", attempt, delay })
            yield* Effect.sleep(delay)
          }
          emit({ _tag: "Connecting", attempt })
          const result = yield* connectOnce
          if (Either.isRight(result)) return [result.right, attempt] as const
          lastFailure = result.left
          yield* Effect.logDebug(`chat: connection attempt ${attempt} failed: ${lastFailure}`)
        }
        return yield* new ChatError({ reason: "Closed", detail: `could not connect: ${lastFailure}` })
      })

    const failPending = (conn: Conn) => {
      for (const [, p] of conn.pending) Deferred.unsafeDone(p.answer, Exit.succeed({ _tag: "Lost" }))
      conn.pending.clear()
      for (const [, j] of conn.joins) Deferred.unsafeDone(j, Exit.succeed({ _tag: "Lost" }))
      conn.joins.clear()
      for (const [, p] of conn.parts) Deferred.unsafeDone(p, Exit.void)
      conn.parts.clear()
    }

    const closeConn = (conn: Conn) =>
      Effect.suspend(() => {
        endConn(conn, { _tag: "Shutdown" })
        unsetCurrent(conn)
        failPending(conn)
        pausedConns.delete(conn)
        return Scope.close(conn.scope, Exit.void)
      })

    // ---- joins
    const joinOn = (channel: string): Effect.Effect<void, ChatError | NotAuthorized> =>
      Effect.gen(function*() {
        for (;;) {
          const first = yield* awaitReady
          const permit = yield* limiter.acquireJoin
          const conn = liveCurrent()
          if (conn === undefined || conn !== first) {
            yield* permit.settle
            continue
          }
          if (!desired.has(channel)) {
            yield* permit.settle
            return
          }
          const answer = yield* Deferred.make<JoinAnswer>()
          conn.joins.set(channel, answer)
          yield* Queue.offer(conn.outbox, { text: `JOIN #${channel}` })
          const result = yield* Deferred.await(answer).pipe(
            Effect.timeoutTo({
              duration: settings.joinTimeout,
              onTimeout: () => undefined,
              onSuccess: (a): JoinAnswer | undefined => a
            })
          )
          if (conn.joins.get(channel) === answer) conn.joins.delete(channel)
          yield* permit.settle
          if (result === undefined) {
            return yield* new ChatError({
              reason: "JoinTimeout",
              channel,
              detail:
                `no confirmation within ${DurationM.format(settings.joinTimeout)} after the JOIN was sent ` +
                `(${DurationM.format(permit.waited)} waiting for the join limit before that)`
            })
          }
          if (result._tag === "Lost") continue
          if (result._tag === "Refused") {
            return yield* new ChatError({
              reason: "JoinFailed",
              channel,
              noticeId: Option.getOrUndefined(result.notice.msgId),
              detail: result.notice.text
            })
          }
          joinedSet.add(channel)
          emit({ _tag: "Joined", channel })
          return
        }
      })

    const join = (raw: string, rejoining = false): Effect.Effect<void, ChatError | NotAuthorized> =>
      Effect.suspend(() => {
        const channel = normalizeChannel(raw)
        if (channel === undefined) {
          return Effect.fail(
            new ChatError({ reason: "JoinFailed", channel: raw, detail: "not a Twitch login" })
          )
        }
        const inFlight = joining.get(channel)
        if (inFlight !== undefined) return Deferred.await(inFlight)
        if (joinedSet.has(channel) && desired.has(channel)) return Effect.void
        const done = Deferred.unsafeMake<void, ChatError | NotAuthorized>(FiberId.none)
        joining.set(channel, done)
        desired.add(channel)
        const run = joinOn(channel).pipe(
          Effect.tapError((error) =>
            Effect.sync(() => {
              // A user's join that failed is not wanted any more (a typo times out: Twitch drops
              // JOINs of nonexistent channels silently). A rejoin of a channel the user joined
              // before is given up only on Twitch's refusal; a timeout is retried (`rejoin`).
              if (!rejoining || (error._tag === "ChatError" && error.reason === "JoinFailed")) {
                desired.delete(channel)
              }
              if (error._tag === "ChatError") emit({ _tag: "JoinFailed", channel, error })
            })
          ),
          Effect.onExit((exit) =>
            Effect.sync(() => {
              joining.delete(channel)
              Deferred.unsafeDone(done, exit)
            })
          )
        )
        return Effect.zipRight(Effect.forkIn(run, fibersScope), Deferred.await(done))
      })

    /** Rejoins a wanted channel after a reconnect, retrying timeouts with backoff while it is wanted. */
    const rejoin = (channel: string): Effect.Effect<void> =>
      Effect.gen(function*() {
        for (let attempt = 1;; attempt++) {
          if (!desired.has(channel) || closing || fatal !== undefined) return
          const result = yield* Effect.either(join(channel, true))
          if (Either.isRight(result)) return
          const error = result.left
          if (!(error._tag === "ChatError" && error.reason === "JoinTimeout")) return
          yield* Effect.sleep(yield* backoff(attempt))
        }
      })

    /** Rejoins every channel the user wants (`desired`), not only those joined when the connection died. */
    const rejoinAll = Effect.suspend(() => {
      joinedSet.clear()
      return Effect.forEach([...desired], rejoin, { concurrency: "unbounded", discard: true })
    })

    const part = (raw: string): Effect.Effect<void, ChatError> =>
      Effect.gen(function*() {
        const channel = normalizeChannel(raw)
        if (channel === undefined) {
          return yield* new ChatError({ reason: "JoinFailed", channel: raw, detail: "not a Twitch login" })
        }
        desired.delete(channel)
        // A join in flight: let it finish (it does not write JOIN any more, or its confirmation
        // adds the channel to `joinedSet`), then part what Twitch has us in.
        const inFlight = joining.get(channel)
        if (inFlight !== undefined) yield* Effect.ignore(Deferred.await(inFlight))
        const wasJoined = joinedSet.delete(channel)
        const conn = current
        if (conn === undefined || !wasJoined) return
        const done = yield* Deferred.make<void>()
        conn.parts.set(channel, done)
        yield* Queue.offer(conn.outbox, { text: `PART #${channel}` })
        yield* Deferred.await(done).pipe(Effect.timeout(settings.joinTimeout), Effect.ignore)
        conn.parts.delete(channel)
        emit({ _tag: "Parted", channel })
      })

    // ---- sending
    const settle = (req: SendRequest, outcome: SendOutcome) => {
      outstanding.delete(req)
      settings.onSent(outcome)
      switch (outcome._tag) {
        case "Sent":
          stats.sent++
          break
        case "Refused":
          stats.refused++
          break
        case "Unconfirmed":
          stats.unconfirmed++
          break
        default:
          break
      }
      Deferred.unsafeDone(req.done, Exit.succeed(outcome))
    }

    const sendOne = (req: SendRequest): Effect.Effect<SendOutcome | undefined, ChatError | NotAuthorized> =>
      Effect.gen(function*() {
        for (;;) {
          const first = yield* awaitSendConnection(req.channel)
          if (req.cancelled) return undefined
          // Twitch's answers carry nothing that names the PRIVMSG they answer (USERSTATE has the
          // new message's id, a NOTICE its msg-id; neither echoes the text or a nonce), so they
          // are matched by order: one send in flight per channel, and its answer is the next
          // USERSTATE-with-id or non-room NOTICE there. After a send timed out, its answer may
          // still come and would be taken for the next send's (wrong id, wrong text in the own
          // message). So the next send in that channel is held until that late answer arrived
          // (and was dropped) or another `sendTimeout` passed (then it is taken as never coming).
          const owed = first.owed.get(req.channel)
          if (owed !== undefined) {
            // No late answer comes on a connection that ended.
            yield* Deferred.await(owed).pipe(
              Effect.raceFirst(Deferred.await(first.ended)),
              Effect.timeout(settings.sendTimeout),
              Effect.ignore
            )
            if (first.owed.get(req.channel) === owed) first.owed.delete(req.channel)
            continue
          }
          const permit = yield* limiter.acquireSend(
            req.channel,
            () => roles.get(req.channel) === true,
            () => slowModes.get(req.channel) ?? 0
          )
          const conn = liveCurrent()
          if (conn === undefined || conn !== first) {
            yield* permit.settle
            continue
          }
          const writtenAt = Date.now()
          const answer = yield* Deferred.make<Answer>()
          const pending: Pending = { answer, text: req.text, replyTo: req.replyTo, written: false }
          conn.pending.set(req.channel, pending)
          const canConfirm = confirmable(conn)
          yield* Queue.offer(conn.outbox, {
            text: req.line,
            onWritten: () => {
              pending.written = true
              if (!canConfirm) Deferred.unsafeDone(answer, Exit.succeed({ _tag: "NoConfirmation" }))
            }
          })
          const result = yield* Deferred.await(answer).pipe(
            Effect.timeoutTo({
              duration: settings.sendTimeout,
              onTimeout: () => undefined,
              onSuccess: (a): Answer | undefined => a
            })
          )
          if (conn.pending.get(req.channel) === pending) conn.pending.delete(req.channel)
          yield* permit.settle
          const waited = DurationM.millis(writtenAt - req.enqueuedAt)
          const base = {
            channel: req.channel,
            text: req.text,
            waited,
            part: req.part,
            parts: req.parts,
            ids: [...req.accepted]
          }
          if (result === undefined) {
            if (pending.written) conn.owed.set(req.channel, yield* Deferred.make<void>())
            return SendOutcome.Unconfirmed({ ...base, reason: "Timeout" })
          }
          if (result._tag === "NoConfirmation") {
            return SendOutcome.Unconfirmed({ ...base, reason: "NoConfirmation" })
          }
          if (result._tag === "Lost") {
            if (!pending.written) continue
            return SendOutcome.Unconfirmed({ ...base, reason: "ConnectionLost" })
          }
          if (result._tag === "Refused") {
            if (Option.getOrUndefined(result.notice.msgId) === "msg_ratelimit") {
              // Breaking the limit again means being ignored for an hour: stop for one window.
              yield* limiter.penalize
              yield* Effect.logWarning(
                "chat: Twitch answered msg_ratelimit (another client of this account sends too?); " +
                  "no message is sent for one message window"
              )
            }
            return SendOutcome.Refused({
              ...base,
              reason: Option.getOrElse(result.notice.msgId, () => "unknown"),
              notice: result.notice.text
            })
          }
          const id = Option.getOrElse(result.state.id, () => "")
          const message = synthesize(result.state, id, pending)
          if (message === undefined) return SendOutcome.Unconfirmed({ ...base, reason: "Timeout" })
          req.accepted.push(id)
          return SendOutcome.Sent({ ...base, id, message, ids: [...req.accepted] })
        }
      })

    const worker = (queue: Queue.Queue<SendRequest>) =>
      Effect.forever(
        Effect.gen(function*() {
          const req = yield* Queue.take(queue)
          if (req.cancelled) {
            outstanding.delete(req)
            return
          }
          const result = yield* Effect.either(sendOne(req))
          if (Either.isLeft(result)) {
            outstanding.delete(req)
            Deferred.unsafeDone(req.done, Exit.fail(result.left))
          } else if (result.right === undefined) {
            outstanding.delete(req)
          } else {
            settle(req, result.right)
          }
        })
      )

    const queueFor = (channel: string): Effect.Effect<Queue.Queue<SendRequest>> =>
      Effect.suspend(() => {
        const existing = sendQueues.get(channel)
        if (existing !== undefined) return Effect.succeed(existing)
        const queue = Effect.runSync(Queue.unbounded<SendRequest>())
        sendQueues.set(channel, queue)
        return Effect.as(Effect.forkIn(worker(queue), fibersScope), queue)
      })

    const enqueue = (
      channel: string,
      lines: ReadonlyArray<{ readonly line: string; readonly text: string }>,
      replyTo: string | undefined
    ): Effect.Effect<SendOutcome, ChatError | NotAuthorized> =>
      Effect.gen(function*() {
        if (closing) return yield* new ChatError({ reason: "Closed", channel })
        const waiting = waitingLines.get(channel) ?? 0
        if (settings.sendQueueSize > 0 && waiting + lines.length > settings.sendQueueSize) {
          return yield* new ChatError({
            reason: "QueueFull",
            channel,
            detail:
              `${waiting} messages already waiting in this channel (sendQueueSize ${settings.sendQueueSize}); ` +
              "not sent"
          })
        }
        waitingLines.set(channel, waiting + lines.length)
        const release = Effect.sync(() => {
          const left = (waitingLines.get(channel) ?? lines.length) - lines.length
          if (left > 0) waitingLines.set(channel, left)
          else waitingLines.delete(channel)
        })
        return yield* Effect.ensuring(enqueueCounted(channel, lines, replyTo), release)
      })

    const enqueueCounted = (
      channel: string,
      lines: ReadonlyArray<{ readonly line: string; readonly text: string }>,
      replyTo: string | undefined
    ): Effect.Effect<SendOutcome, ChatError | NotAuthorized> =>
      Effect.gen(function*() {
        const queue = yield* queueFor(channel)
        const now = Date.now()
        const accepted: Array<string> = []
        const reqs: Array<SendRequest> = lines.map((l, i) => ({
          channel,
          line: l.line,
          text: l.text,
          replyTo,
          part: i + 1,
          parts: lines.length,
          accepted,
          enqueuedAt: now,
          done: Deferred.unsafeMake<SendOutcome, ChatError | NotAuthorized>(FiberId.none),
          cancelled: false
        }))
        for (const r of reqs) outstanding.add(r)
        yield* Queue.offerAll(queue, reqs)
        let last: SendOutcome | undefined
        for (let i = 0; i < reqs.length; i++) {
          const outcome = yield* Deferred.await(reqs[i].done).pipe(
            // Interrupted, or failed (NotConnected, Closed...): the other parts are not sent.
            Effect.onExit((exit) =>
              Effect.sync(() => {
                if (Exit.isFailure(exit)) { for (const r of reqs) r.cancelled = true }
              })
            )
          )
          last = outcome
          if (outcome._tag !== "Sent") {
            for (const r of reqs.slice(i + 1)) r.cancelled = true
            break
          }
        }
        return last!
      })

    const canSend = Effect.suspend(() => {
      if (token === undefined) {
        return Effect.fail(new NotAuthorized({ reason: "NoToken", scope: "chat:edit" }))
      }
      if (settings.auth === undefined) return Effect.void
      return Effect.asVoid(TwitchAuth.tokenWithScope(settings.auth, "chat:edit"))
    })

    const send: Engine["send"] = (rawChannel, text, options) =>
      Effect.gen(function*() {
        const channel = normalizeChannel(rawChannel)
        if (channel === undefined) {
          return yield* new ChatError({
            reason: "InvalidText",
            channel: rawChannel,
            detail: "not a Twitch login"
          })
        }
        const bad = forbiddenIndex(text)
        if (bad >= 0) {
          return yield* new ChatError({
            reason: "InvalidText",
            channel,
            detail: `CR, LF or NUL at index ${bad}: a chat message is one line`
          })
        }
        // Twitch's message ids are UUIDs: nothing else may reach the tag (no empty value, no `;`,
        // space, backslash or line break).
        if (options.replyTo !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(options.replyTo)) {
          return yield* new ChatError({ reason: "InvalidText", channel, detail: "invalid reply parent id" })
        }
        if (text.trim().length === 0) {
          return yield* new ChatError({ reason: "InvalidText", channel, detail: "empty message" })
        }
        yield* canSend
        const max = options.action ? settings.maxLength - 9 : settings.maxLength
        const tooLong = options.tooLong ?? settings.tooLong
        let parts: Array<string>
        if (codePoints(text) > max) {
          if (tooLong === "refuse") {
            return yield* new ChatError({
              reason: "TooLong",
              channel,
              detail: `${codePoints(text)} characters; Twitch accepts ${max}`
            })
          }
          parts = splitText(text, max)
        } else {
          parts = [text]
        }
        if (!options.action && (options.commands ?? settings.commands) === "escape") {
          // A leading ZERO WIDTH SPACE keeps the text from being read as a chat command; it counts
          // as one character, so parts that would go over the limit are split again.
          if (parts.some((p) => looksLikeCommand(p) && codePoints(p) + 1 > max)) {
            if (tooLong === "refuse") {
              return yield* new ChatError({
                reason: "TooLong",
                channel,
                detail: `${codePoints(text) + 1} characters with the command escape; Twitch accepts ${max}`
              })
            }
            parts = splitText(text, max - 1)
          }
          parts = parts.map((p) => looksLikeCommand(p) ? commandEscape + p : p)
        }
        const lines = parts.map((part) => {
          const wire = options.action ? `\x01ACTION ${part}\x01` : part
          const tags = options.replyTo === undefined ? "" : `@reply-parent-msg-id=${options.replyTo} `
          return { line: `${tags}PRIVMSG #${channel} :${wire}`, text: wire }
        })
        return yield* enqueue(channel, lines, options.replyTo)
      })

    const sendRaw: Engine["sendRaw"] = (line) =>
      Effect.gen(function*() {
        const bad = forbiddenIndex(line)
        if (bad >= 0) {
          return yield* new ChatError({ reason: "InvalidText", detail: `CR, LF or NUL at index ${bad}` })
        }
        const parsed = parseTwitchLine(line)
        if (Either.isLeft(parsed)) {
          return yield* new ChatError({ reason: "InvalidText", detail: parsed.left.message })
        }
        const irc = parsed.right.irc
        const command = irc.command.toUpperCase()
        if (command === "PRIVMSG" && irc.params.length === 2 && irc.params[0].startsWith("#")) {
          yield* canSend
          const channel = normalizeChannel(irc.params[0])
          if (channel === undefined) {
            return yield* new ChatError({ reason: "InvalidText", detail: "bad channel" })
          }
          return yield* enqueue(channel, [{ line, text: irc.params[1] }], irc.tags.get("reply-parent-msg-id"))
        }
        if (command === "JOIN" || command === "PART") {
          const channels = (irc.params[0] ?? "").split(",").filter((c) => c.length > 0)
          yield* Effect.forEach(channels, (c) => command === "JOIN" ? join(c) : part(c), {
            concurrency: "unbounded",
            discard: true
          })
          return SendOutcome.Written({ line, waited: DurationM.zero })
        }
        const start = Date.now()
        const conn = yield* awaitSendConnection(undefined)
        yield* Queue.offer(conn.outbox, { text: line })
        return SendOutcome.Written({ line, waited: DurationM.millis(Date.now() - start) })
      })

    // ---- supervisor
    const supervise = (first: Conn): Effect.Effect<void> =>
      Effect.gen(function*() {
        let conn = first
        let fresh = true
        // Backoff level: grows with every connection that did not stay up for `reconnectStable`
        // (a server that welcomes and then drops us, again and again), reset by a stable one.
        let level = 0
        let upSince = yield* Clock.currentTimeMillis
        for (;;) {
          if (fresh) {
            setCurrent(conn)
            emit({ _tag: "Connected", connection: conn.id, login, anonymous })
            yield* Effect.forkIn(rejoinAll, fibersScope)
          }
          const reason = yield* Deferred.await(conn.ended)
          if (closing || reason._tag === "Shutdown") return
          const now = yield* Clock.currentTimeMillis
          if (now - upSince >= DurationM.toMillis(settings.reconnectStable)) level = 0
          stats.reconnects++
          settings.onReconnect()
          if (reason._tag === "Reconnect") {
            emit({ _tag: "ReconnectRequested", connection: conn.id })
            const old = conn
            // Open the new connection while the old one still delivers, rejoin every channel on
            // it, let answers to sends already written on the old one arrive, then drop the old.
            const [next] = yield* connectWithRetry(true, Number.POSITIVE_INFINITY)
            upSince = yield* Clock.currentTimeMillis
            setCurrent(next)
            emit({ _tag: "Connected", connection: next.id, login, anonymous })
            // Both waits end early when the new connection ends too: then nothing is rejoined on
            // it, and the loop below must reconnect instead of waiting out the bounds.
            const nextEnded = Effect.asVoid(Deferred.await(next.ended))
            // Wait for the rejoin, bounded, without interrupting it (its retries go on).
            const rejoining = yield* Effect.forkIn(rejoinAll, fibersScope)
            yield* Fiber.await(rejoining).pipe(
              Effect.timeout(DurationM.sum(settings.joinTimeout, DurationM.seconds(1))),
              Effect.ignore,
              Effect.raceFirst(nextEnded)
            )
            // The answers to sends written on the old connection: each comes, or the send is
            // told Lost when the old socket closes (see `openAndLogin`).
            yield* Effect.forEach([...old.pending.values()], (p) => Deferred.await(p.answer), {
              discard: true
            }).pipe(
              Effect.timeout(settings.sendTimeout),
              Effect.ignore,
              Effect.raceFirst(nextEnded)
            )
            yield* closeConn(old)
            if (overlapOld === old) endOverlap()
            emit({ _tag: "Disconnected", connection: old.id, reason: "Reconnect" })
            conn = next
            fresh = false
          } else {
            yield* closeConn(conn)
            emit({ _tag: "Disconnected", connection: conn.id, reason: reason._tag })
            const [next, attempt] = yield* connectWithRetry(false, Number.POSITIVE_INFINITY, level + 1)
            level = attempt
            upSince = yield* Clock.currentTimeMillis
            conn = next
            fresh = true
          }
        }
      }).pipe(
        Effect.catchAll((error) =>
          Effect.sync(() => {
            if (closing) return
            fatal = error
            state = "Failed"
            emit({ _tag: "Failed", error })
            completeReady(Exit.fail(error))
            // Nothing more will arrive: every message stream ends with the error (after the
            // messages already buffered), queued sends and joins fail.
            for (const sub of subs) sub.mailbox.unsafeDone(Exit.fail(error))
            subs.clear()
            for (const req of outstanding) Deferred.unsafeDone(req.done, Exit.fail(error))
            outstanding.clear()
          })
        )
      )

    // ---- start
    const [first] = yield* connectWithRetry(true, Math.max(1, settings.initialAttempts))
    yield* Effect.forkIn(supervise(first), fibersScope)

    shutdown = Effect.gen(function*() {
      closing = true
      state = "Closed"
      const closed = new ChatError({ reason: "Closed", detail: "the chat client was closed" })
      for (const req of outstanding) Deferred.unsafeDone(req.done, Exit.fail(closed))
      outstanding.clear()
      completeReady(Exit.fail(closed))
      const conn = current
      if (conn !== undefined && conn.endReason === undefined) {
        const bye: Array<OutLine> = [...joinedSet].map((c) => ({ text: `PART #${c}` }))
        const flushed = yield* Deferred.make<void>()
        bye.push({ text: "QUIT", onWritten: () => Deferred.unsafeDone(flushed, Exit.void) })
        yield* Queue.offerAll(conn.outbox, bye)
        // Finalizers are uninterruptible: the timeout needs an interruptible region to fire.
        yield* Deferred.await(flushed).pipe(Effect.timeout("1 second"), Effect.ignore, Effect.interruptible)
      }
      if (conn !== undefined) yield* closeConn(conn)
      for (const sub of subs) sub.mailbox.unsafeDone(Exit.void)
      subs.clear()
      emit({ _tag: "Closed" })
    })

    return {
      login,
      anonymous,
      subscribe,
      events: Stream.fromPubSub(events),
      state: Effect.sync(() => state),
      join,
      part,
      joined: Effect.sync(() => [...joinedSet].sort()),
      send,
      sendRaw,
      isElevated: (channel) => Effect.sync(() => roles.get(normalizeChannel(channel) ?? channel) === true),
      stats: Effect.sync(() => ({ ...stats })),
      capabilities: Effect.sync(() => current === undefined ? [] : [...current.caps].sort()),
      connectionId: Effect.sync(() => Option.fromNullable(current?.id))
    }
  })
