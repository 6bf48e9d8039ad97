/**
 * A small log of recent chat sends, shared by every `twitcher chat send` run of a user: each run
 * has its own chat client and limiter, so a script calling `chat send` in a loop would break
 * Twitch's limits (then Twitch ignores the account for an hour). The file lives next to the token
 * store (`chat-sends.json`) and keeps, per login, the times of the last sends and the last send per
 * channel; a run waits before sending until Twitch's limits allow it.
 *
 * Read-modify-write without a lock: it protects runs that follow one another (the loop case), not
 * runs started at the same moment.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Path from "node:path"

/** Twitch's send limits for an account (twitch-facts §5.8). */
export interface Limits {
  /** Messages per window across every channel. */
  readonly messages: number
  /** The window, in milliseconds. */
  readonly windowMillis: number
  /** Minimum gap between two messages in one channel, in milliseconds. */
  readonly channelGapMillis: number
}

/** A plain user: 20 messages per 30 s, one per second per channel. */
export const userLimits: Limits = { messages: 20, windowMillis: 30_000, channelGapMillis: 1_000 }

/** Broadcaster, moderator or VIP of the channel: 100 messages per 30 s, no per-channel gap. */
export const elevatedLimits: Limits = { messages: 100, windowMillis: 30_000, channelGapMillis: 0 }

const UserLog = Schema.Struct({
  /** Times (epoch ms) of the last sends, oldest first. */
  recent: Schema.Array(Schema.Number),
  /** Time (epoch ms) of the last send per channel. */
  channels: Schema.Record({ key: Schema.String, value: Schema.Number })
})

/** The file's content: per login. */
export const Log = Schema.Record({ key: Schema.String, value: UserLog })

/** The decoded file. */
export type Log = typeof Log.Type

const decode = Schema.decodeUnknownOption(Schema.parseJson(Log))

/** The log's path: next to the token file. */
export const pathFor = (tokenFile: string): string => Path.join(Path.dirname(tokenFile), "chat-sends.json")

/** How long (ms) `login` must wait before sending to `channel` at `now`; 0 when it may send now. */
export const delayFor = (log: Log, login: string, channel: string, now: number, limits: Limits): number => {
  const user = log[login]
  if (user === undefined) return 0
  const last = user.channels[channel]
  const gap = last === undefined ? 0 : last + limits.channelGapMillis - now
  const inWindow = user.recent.filter((t) => t > now - limits.windowMillis)
  const window = inWindow.length >= limits.messages ?
    inWindow[inWindow.length - limits.messages] + limits.windowMillis - now :
    0
  return Math.max(0, Math.ceil(gap), Math.ceil(window))
}

/** `log` with a send of `login` to `channel` at `at`; entries too old to matter are dropped. */
export const withSend = (log: Log, login: string, channel: string, at: number): Log => {
  const keepAfter = at - Math.max(userLimits.windowMillis, elevatedLimits.windowMillis)
  const user = log[login] ?? { recent: [], channels: {} }
  const recent = [...user.recent.filter((t) => t > keepAfter), at].sort((a, b) => a - b)
    .slice(-elevatedLimits.messages)
  const channels = Object.fromEntries(
    Object.entries({ ...user.channels, [channel]: at }).filter(([, t]) => t > keepAfter)
  )
  return { ...log, [login]: { recent, channels } }
}

/** Reads the log; a missing or unreadable file is an empty log. */
export const load = (path: string): Effect.Effect<Log, never, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* Effect.option(fs.readFileString(path))
    if (text._tag === "None") return {}
    const log = decode(text.value)
    return log._tag === "Some" ? log.value : {}
  })

/**
 * Records a send (re-reading the file first, so another run's sends are kept): written to a
 * temporary file, then renamed over the log. Fails only when the file cannot be written.
 */
export const record = (
  path: string,
  login: string,
  channel: string,
  at: number
): Effect.Effect<void, string, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const next = withSend(yield* load(path), login, channel, at)
    const tmp = `${path}.${process.pid}.tmp`
    yield* fs.makeDirectory(Path.dirname(path), { recursive: true, mode: 0o700 })
    yield* fs.writeFileString(tmp, JSON.stringify(next), { mode: 0o600 })
    yield* fs.rename(tmp, path).pipe(Effect.tapError(() => Effect.ignore(fs.remove(tmp))))
  }).pipe(Effect.mapError((error) => `could not write ${path}: ${error.message}`))
