/**
 * `chat read` (a Stream of the channels' messages, printed as they arrive, JSON lines with
 * `--json`) and `chat send` (one message, with Twitch's verdict).
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as TwitchAuth from "../../auth/TwitchAuth.js"
import * as ChatClient from "../../chat/ChatClient.js"
import type * as SendOutcome from "../../chat/SendOutcome.js"
import type * as TwitchMessage from "../../chat/TwitchMessage.js"
import type { ChatError } from "../../TwitchError.js"
import * as CliErrorModule from "../CliError.js"
import { CliError } from "../CliError.js"
import * as Output from "../Output.js"
import { Tty } from "../Tty.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"
import * as SendLog from "./sendLog.js"
import * as Stdin from "./stdin.js"
import * as Target from "./target.js"

const chatTarget = (common: Target.Common) =>
  Target.authLayer.pipe(Layer.provideMerge(Target.layer(common, { irc: true })))

const channelName = (channel: string) => channel.replace(/^#/, "").toLowerCase()

/** The local time of day (`HH:MM:SS`) a message was sent. */
const time = (date: Option.Option<Date>) =>
  Option.getOrElse(
    Option.map(date, (d) =>
      [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":")),
    () =>
      "--:--:--"
  )

const mapToObject = (map: ReadonlyMap<string, string>) => Object.fromEntries(map)

const isoOrNull = (date: Option.Option<Date>) => Option.getOrNull(Option.map(date, (d) => d.toISOString()))

/** The JSON form of the messages people read; `undefined` for protocol chatter (PING, JOIN, ...). */
export const toJson = (m: TwitchMessage.TwitchMessage): Record<string, unknown> | undefined => {
  switch (m._tag) {
    case "Privmsg":
      return {
        type: "message",
        channel: m.channel,
        id: m.id,
        login: m.login,
        display_name: m.displayName,
        user_id: m.userId,
        color: Option.getOrNull(m.color),
        badges: mapToObject(m.badges),
        text: m.text,
        action: m.isAction,
        bits: Option.getOrNull(m.bits),
        reply_to: Option.getOrNull(Option.map(m.reply, (r) => r.msgId)),
        emotes: m.emotes.map((e) => ({ id: e.id, name: e.name, start: e.start, end: e.end })),
        sent_at: isoOrNull(m.sentAt)
      }
    case "UserNotice":
      return {
        type: "usernotice",
        channel: m.channel,
        id: m.id,
        kind: m.kind,
        login: m.login,
        display_name: m.displayName,
        system_message: m.systemMessage,
        text: Option.getOrNull(m.text),
        sent_at: isoOrNull(m.sentAt)
      }
    case "Notice":
      return {
        type: "notice",
        channel: Option.getOrNull(m.channel),
        msg_id: Option.getOrNull(m.msgId),
        text: m.text
      }
    case "ClearChat":
      return {
        type: "clearchat",
        channel: m.channel,
        login: Option.getOrNull(m.targetLogin),
        duration: Option.getOrNull(m.banDuration),
        sent_at: isoOrNull(m.sentAt)
      }
    case "ClearMsg":
      return {
        type: "clearmsg",
        channel: m.channel,
        login: m.login,
        target_id: m.targetMsgId,
        text: m.text,
        sent_at: isoOrNull(m.sentAt)
      }
    case "RoomState":
      return {
        type: "roomstate",
        channel: m.channel,
        emote_only: Option.getOrNull(m.emoteOnly),
        followers_only: Option.getOrNull(m.followersOnly),
        r9k: Option.getOrNull(m.r9k),
        slow: Option.getOrNull(m.slow),
        subs_only: Option.getOrNull(m.subsOnly)
      }
    default:
      return undefined
  }
}

/**
 * One line for people; `undefined` for protocol chatter. Every string that came from Twitch (text,
 * names, logins, notices, channels) goes through {@link Output.sanitize}: chat cannot move the
 * cursor, clear or retitle the terminal, or write the clipboard.
 */
export const toText = (style: Output.Style, m: TwitchMessage.TwitchMessage): string | undefined => {
  const s = Output.sanitize
  // When Twitch sent it (tmi-sent-ts, local time) and where: the start of every timed line.
  const head = (m: { readonly sentAt: Option.Option<Date>; readonly channel: string }) =>
    `${Output.dim(style, time(m.sentAt))} ${Output.dim(style, `#${s(m.channel)}`)}`
  switch (m._tag) {
    case "Privmsg": {
      const name = Output.bold(style, Output.hex(style, Option.getOrUndefined(m.color), s(m.displayName)))
      return m.isAction ? `${head(m)} * ${name} ${s(m.text)}` : `${head(m)} ${name}: ${s(m.text)}`
    }
    case "UserNotice":
      return `${head(m)} ${Output.yellow(style, `* ${s(m.systemMessage)}`)}${
        Option.match(m.text, { onNone: () => "", onSome: (t) => ` ${s(t)}` })
      }`
    case "Notice":
      return Output.yellow(style, `[notice] ${s(m.text)}`)
    case "ClearChat":
      return `${head(m)} ${
        Output.dim(
          style,
          Option.match(m.targetLogin, {
            onNone: () => "chat cleared",
            onSome: (login) =>
              `${s(login)} ${
                Option.match(m.banDuration, { onNone: () => "banned", onSome: (d) => `timed out for ${d}s` })
              }`
          })
        )
      }`
    case "ClearMsg":
      return `${head(m)} ${Output.dim(style, `a message of ${s(m.login)} was deleted`)}`
    default:
      return undefined
  }
}

const channelsArg = Args.text({ name: "channel" }).pipe(
  Args.atLeast(1),
  Args.withDescription("Channel logins (with or without #)")
)

/**
 * Whether `chat read` must read anonymously: no token (silently), or a token that cannot log in to
 * chat, an app token or one without `chat:read` (with a one-line note on stderr: reading is still
 * possible, read-only).
 */
const readsAnonymously: Effect.Effect<boolean, never, TwitchAuth.TwitchAuth> = Effect.gen(function*() {
  const auth = yield* TwitchAuth.TwitchAuth
  if (!(yield* TwitchAuth.authorized)) return true
  const checked = yield* Effect.either(TwitchAuth.tokenWithScope(auth, "chat:read"))
  if (checked._tag === "Right") return false
  const why = checked.left.reason === "WrongTokenKind" ?
    "an app token cannot log in to chat" :
    checked.left.reason === "MissingScope" ?
    "the token lacks the chat:read scope" :
    "the token cannot log in to chat"
  yield* Console.error(`twitcher: note: ${why}; reading anonymously (read-only).`)
  return true
})

const read = Command.make(
  "read",
  {
    ...O.common,
    channels: channelsArg,
    limit: O.integer("limit").pipe(
      Options.withDescription(
        "Stop after this many chat messages (PRIVMSG; default: run until Ctrl+C). Other lines printed in between (subs, raids, notices, bans, deletions; with --json room state too) are not counted"
      ),
      Options.optional
    ),
    raw: Options.boolean("raw").pipe(
      Options.withDescription(
        "Print every IRC line as received (control characters shown as \\xNN; with --json, as JSON strings)"
      )
    ),
    anonymous: Options.boolean("anonymous").pipe(
      Options.withDescription(
        "Read without logging in (also when there is no token, or it is an app token or lacks chat:read)"
      )
    )
  },
  (o) =>
    Effect.gen(function*() {
      if (Option.isSome(o.limit) && o.limit.value < 1) {
        return yield* new CliError({ reason: "BadInput", detail: "--limit must be at least 1." })
      }
      const tty = yield* Tty
      const anonymous = o.anonymous || (yield* readsAnonymously)
      yield* tty.status(`Connecting to chat${anonymous ? " anonymously" : ""}...`)
      const print = (m: TwitchMessage.TwitchMessage) => {
        if (o.raw) return Console.log(o.json ? JSON.stringify(m.raw) : Output.escapeControls(m.raw))
        const line = o.json ?
          Option.map(Option.fromNullable(toJson(m)), (j) => JSON.stringify(j)) :
          Option.fromNullable(toText(tty.style, m))
        return Option.match(line, { onNone: () => Effect.void, onSome: (l) => Console.log(l) })
      }
      yield* Effect.scoped(Effect.gen(function*() {
        const client = yield* ChatClient.make({ anonymous })
        const messages = client.messages
        // Start reading before joining, so the first lines after the JOIN are not missed.
        const counted = messages.pipe(
          Stream.tap(print),
          Stream.filter((m) => m._tag === "Privmsg"),
          (s) => Option.isSome(o.limit) ? Stream.take(s, o.limit.value) : s,
          Stream.runDrain
        )
        const fiber = yield* Effect.forkScoped(counted)
        yield* Effect.yieldNow()
        // Twitch drops a JOIN to a channel that does not exist (the join times out) and refuses a
        // suspended one: warn and keep reading the channels that were joined; fail if none was.
        const joining = Effect.gen(function*() {
          const results = yield* Effect.forEach(
            o.channels,
            (c) => Effect.map(Effect.either(client.join(c)), (r) => [channelName(c), r] as const),
            { concurrency: "unbounded" }
          )
          const joined = results.filter(([, r]) => r._tag === "Right").map(([c]) => c)
          const failed = results.flatMap(([c, r]) => r._tag === "Left" ? [[c, r.left] as const] : [])
          if (joined.length === 0 && failed.length > 0) {
            return yield* failed.length === 1 ? Effect.fail(failed[0][1]) : new CliError({
              reason: "NotFound",
              detail: `Could not join any channel: ${
                failed.map(([c, e]) => `#${c}: ${CliErrorModule.describe(e).line}`).join("; ")
              }`
            })
          }
          for (const [c, e] of failed) {
            yield* Console.error(`twitcher: warning: not reading #${c}: ${CliErrorModule.describe(e).line}`)
          }
          yield* tty.status("")
          if (tty.stderr) {
            yield* Console.error(
              `Joined ${joined.map((c) => `#${c}`).join(", ")}${
                anonymous ? " (anonymously)" : ` as ${client.login}`
              }. Ctrl+C to stop.`
            )
          }
        })
        // Done when the reader is (--limit), or when no channel could be joined.
        yield* Effect.raceFirst(
          Effect.flatten(fiber.await),
          Effect.zipRight(joining, Effect.flatten(fiber.await))
        )
      })).pipe(Effect.ensuring(tty.status("")))
    }).pipe(Effect.provide(chatTarget(o)))
).pipe(Command.withDescription("Print the chat of channels as it arrives (--json: JSON lines)"))

/** What happened to one message of `chat send`. */
type Result =
  | { readonly _tag: "Outcome"; readonly outcome: SendOutcome.SendOutcome }
  | { readonly _tag: "Invalid"; readonly error: ChatError }

/** The JSON form of a result: one line per message, whatever happened to it. */
export const resultJson = (channel: string, result: Result): Record<string, unknown> => {
  if (result._tag === "Invalid") {
    return { outcome: "invalid", channel, reason: result.error.reason, detail: result.error.message }
  }
  const o = result.outcome
  switch (o._tag) {
    case "Sent":
      return { outcome: "sent", channel: o.channel, id: o.id, ids: o.ids, parts: o.parts }
    case "Refused":
      return {
        outcome: "refused",
        channel: o.channel,
        reason: o.reason,
        notice: o.notice,
        ids: o.ids,
        parts: o.parts
      }
    case "Unconfirmed":
      return { outcome: "unconfirmed", channel: o.channel, reason: o.reason, ids: o.ids, parts: o.parts }
    case "Written":
      return { outcome: "written", channel }
  }
}

const unconfirmedWhy = (reason: SendOutcome.UnconfirmedReason): string => {
  switch (reason) {
    case "Timeout":
      return "no answer in time"
    case "ConnectionLost":
      return "the connection was lost"
    default:
      return `${reason}: the server sends no confirmations`
  }
}

/** The text form of a result: for stdout (sent) or stderr (the rest). */
const resultText = (result: Result): { readonly out: boolean; readonly line: string } => {
  if (result._tag === "Invalid") return { out: false, line: `twitcher: ${result.error.message}` }
  const o = result.outcome
  switch (o._tag) {
    case "Sent":
      return { out: true, line: `Sent to #${o.channel} (message id ${o.id}).` }
    case "Refused":
      return {
        out: false,
        line: `twitcher: Twitch refused the message in #${o.channel}: ${Output.sanitize(o.notice)} [${
          Output.sanitize(o.reason)
        }]`
      }
    case "Unconfirmed":
      return {
        out: false,
        line: `twitcher: Twitch did not confirm the message in #${o.channel} (${unconfirmedWhy(o.reason)}); ${
          o.reason === "NoConfirmation" ? "it was written" : "it may or may not have been sent"
        }.`
      }
    case "Written":
      return { out: true, line: "Written." }
  }
}

/** The exit status of a run from its results: an invalid message 2, else refused 3, else unconfirmed 4. */
const verdict = (results: ReadonlyArray<Result>): Effect.Effect<void, CliError> => {
  const has = (p: (r: Result) => boolean) => results.some(p)
  // Every problem was printed already: an empty detail prints nothing more.
  if (has((r) => r._tag === "Invalid")) return Effect.fail(new CliError({ reason: "BadInput", detail: "" }))
  if (has((r) => r._tag === "Outcome" && r.outcome._tag === "Refused")) {
    return Effect.fail(new CliError({ reason: "Refused", detail: "" }))
  }
  if (has((r) => r._tag === "Outcome" && r.outcome._tag === "Unconfirmed")) {
    return Effect.fail(new CliError({ reason: "Unconfirmed", detail: "" }))
  }
  return Effect.void
}

const sendHelp = HelpDoc.blocks([
  HelpDoc.p("Send a chat message (needs a user token with chat:edit) and print Twitch's verdict."),
  HelpDoc.p(
    "Limits: Twitch allows a plain user 20 messages per 30 s across channels and one per second per channel " +
      "(100 per 30 s as broadcaster, moderator or VIP); breaking them gets the account ignored for an hour. " +
      "To send many messages, use one run: `-` sends each line of stdin through one connection, spaced as " +
      "Twitch requires. Runs that follow one another (a script's loop) also wait for these limits, using the " +
      "times of recent sends kept next to the token file (chat-sends.json; on real Twitch, or with " +
      "--token-file/TWITCHER_TOKEN_FILE); runs started at the same moment are not protected."
  ),
  HelpDoc.p(
    "With --json, one JSON line per message: {\"outcome\":\"sent\",\"id\":...}, " +
      "{\"outcome\":\"refused\",\"reason\":<NOTICE msg-id>,\"notice\":...}, " +
      "{\"outcome\":\"unconfirmed\",\"reason\":\"Timeout\"|\"ConnectionLost\"|\"NoConfirmation\"}, {\"outcome\":\"invalid\",...}; " +
      "{\"outcome\":\"error\",...} when chat could not be used at all."
  ),
  HelpDoc.p(
    "Exit status: 0 sent; 1 could not connect or log in (network, token, scope); 2 bad usage or an invalid " +
      "message (empty, line breaks); 3 Twitch refused a message; 4 Twitch did not confirm a message (it may " +
      "have been sent). With several messages: 2 if any was invalid, else 3 if any was refused, else 4."
  )
])

const send = Command.make(
  "send",
  {
    ...O.common,
    me: Options.boolean("me").pipe(Options.withDescription("Send as an action (/me)")),
    replyTo: Options.text("reply-to").pipe(
      Options.withDescription("Reply to the message with this id"),
      Options.optional
    ),
    channel: Args.text({ name: "channel" }).pipe(Args.withDescription("Channel login")),
    text: Args.text({ name: "message" }).pipe(
      Args.withDescription(
        "The message (quote it: one argument), or - to send each line of stdin as a message (blank lines skipped)"
      )
    )
  },
  (o) =>
    Effect.gen(function*() {
      const channel = channelName(o.channel)
      if (o.me && Option.isSome(o.replyTo)) {
        return yield* new CliError({ reason: "BadInput", detail: "--me and --reply-to cannot be combined." })
      }
      const tty = yield* Tty
      const target = yield* Target.TargetTag
      const texts: Stream.Stream<string, CliError> = o.text === "-" ?
        Stream.filter(
          Stream.map((yield* Stdin.Stdin).lines, (line) => line.replace(/\r$/, "")),
          (line) => line.trim() !== ""
        ) :
        Stream.make(o.text)
      // Runs follow one another (a script's loop): share the send times through a file next to the
      // token store, where the token store is used (real Twitch, or a named token file).
      const logPath = target.kind === "twitch" || target.tokenFileExplicit ?
        Option.some(SendLog.pathFor(target.tokenFile)) :
        Option.none()
      let logWarned = false
      const print = (result: Result) => {
        if (o.json) return Render.json(resultJson(channel, result))
        const { line, out } = resultText(result)
        return out ? Console.log(line) : Console.error(line)
      }
      const results = yield* Effect.scoped(Effect.gen(function*() {
        const client = yield* ChatClient.make({ channels: [channel] })
        const waitForLimits = Option.match(logPath, {
          onNone: () => Effect.void,
          onSome: (path) =>
            Effect.gen(function*() {
              const limits = (yield* client.isElevated(channel)) ? SendLog.elevatedLimits : SendLog.userLimits
              const log = yield* SendLog.load(path)
              const delay = SendLog.delayFor(log, client.login, channel, Date.now(), limits)
              if (delay <= 0) return
              yield* tty.status(
                `Waiting ${(delay / 1000).toFixed(1)} s for Twitch's chat limits (recent sends)...`
              )
              yield* Effect.sleep(delay).pipe(Effect.ensuring(tty.status("")))
            })
        })
        const recordSend = (result: Result) =>
          Option.match(logPath, {
            onNone: () => Effect.void,
            onSome: (path) =>
              result._tag === "Outcome" && result.outcome._tag !== "Written" ?
                SendLog.record(path, client.login, channel, Date.now()).pipe(
                  Effect.catchAll((why) =>
                    logWarned ? Effect.void : Effect.zipRight(
                      Effect.sync(() => void (logWarned = true)),
                      Console.error(`twitcher: warning: ${why}; later runs cannot see this send.`)
                    )
                  )
                ) :
                Effect.void
          })
        const sendOne = (text: string) =>
          (Option.isSome(o.replyTo) ?
            client.reply(channel, o.replyTo.value, text) :
            o.me ?
            client.me(channel, text) :
            client.say(channel, text)).pipe(
              Effect.map((outcome): Result => ({ _tag: "Outcome", outcome })),
              Effect.catchIf(
                (e): e is ChatError =>
                  e._tag === "ChatError" && (e.reason === "InvalidText" || e.reason === "TooLong"),
                (error) => Effect.succeed<Result>({ _tag: "Invalid", error })
              ),
              Effect.tap(recordSend),
              Effect.tap(print)
            )
        // One client for every message: its limiter spaces them as Twitch requires.
        return yield* texts.pipe(
          Stream.mapEffect((text) => Effect.zipRight(waitForLimits, sendOne(text))),
          Stream.runCollect,
          Effect.map(Chunk.toReadonlyArray)
        )
      })).pipe(
        // Chat could not be used at all (connect, login, token, scope): JSON readers get a line too.
        Effect.tapError((error) =>
          o.json ?
            Render.json({
              outcome: "error",
              channel,
              error: error._tag,
              detail: CliErrorModule.describe(error).line
            }) :
            Effect.void
        )
      )
      yield* verdict(results)
    }).pipe(Effect.provide(chatTarget(o)))
).pipe(Command.withDescription(sendHelp))

const chatCommands = [read, send] as const

const chat = Command.make("chat").pipe(
  Command.withDescription("Chat: read channels, send a message"),
  Command.withSubcommands(chatCommands)
)

/** The chat commands. */
export const commands = [chat] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = [Help.family(chat, chatCommands)]
