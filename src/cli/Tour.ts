/**
 * The main job (`npm start`): the tour pytwitcherapi's quickstart promised, section by section —
 * top games, live streams of the first games, one channel and its user, the channel's playlist
 * qualities, the logged-in user's followed streams, then chat. A section that fails prints one
 * readable line and the tour goes on; the tour fails only when a section it cannot do without
 * (top games) fails.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Chunk from "effect/Chunk"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { TwitchAuth } from "../auth/TwitchAuth.js"
import * as ChatClient from "../chat/ChatClient.js"
import type * as SendOutcome from "../chat/SendOutcome.js"
import type { Privmsg, Sender, TwitchMessage } from "../chat/TwitchMessage.js"
import { Channels } from "../helix/Channels.js"
import type { Game } from "../helix/Game.js"
import { Games } from "../helix/Games.js"
import * as Paging from "../helix/Paging.js"
import type { Stream as LiveStream } from "../helix/Stream.js"
import { Streams } from "../helix/Streams.js"
import { Users } from "../helix/Users.js"
import { Playlist } from "../playlist/Playlist.js"
import type { TwitchConfig } from "../TwitchConfig.js"
import type { TwitchError } from "../TwitchError.js"
import * as Output from "./Output.js"

/**
 * Options of the tour.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly style: Output.Style
  /** How many top games to list (default 10). */
  readonly games?: number
  /** Of how many of them to list live streams (default 3). */
  readonly gamesWithStreams?: number
  /** Streams listed per game (default 5). */
  readonly streamsPerGame?: number
  /** The quality whose URL is shown (default `720p`). */
  readonly quality?: string
}

/**
 * What the tour learned, for the sections that follow (chat joins `channel`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Result {
  /** The channel the tour looked at (the most watched live stream of the first game). */
  readonly channel: Option.Option<string>
  /** Sections that failed, by title. */
  readonly failed: ReadonlyArray<string>
}

/** Remote text (titles, names, chat) without terminal escape sequences or control characters. */
const clean = Output.sanitize

const describeError = (error: TwitchError): string => `${error._tag}: ${error.message}`

/**
 * Runs one section: prints its heading, then the body; a typed failure prints one line.
 *
 * @since 0.1.0
 * @category combinators
 */
export const section = <A, R>(
  style: Output.Style,
  title: string,
  body: Effect.Effect<A, TwitchError, R>
): Effect.Effect<Option.Option<A>, never, R> =>
  Effect.zipRight(
    Console.log(Output.heading(style, title)),
    body.pipe(
      Effect.map(Option.some),
      Effect.catchAll((error) =>
        Effect.as(Console.log(Output.red(style, `  ✗ ${describeError(error)}`)), Option.none<A>())
      )
    )
  ).pipe(Effect.withSpan(`tour ${title}`))

const ago = (date: Date): string => {
  const minutes = Math.max(0, Math.round((Date.now() - date.getTime()) / 60_000))
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

const streamTable = (style: Output.Style, streams: ReadonlyArray<LiveStream>) =>
  Output.table(style, streams, [
    { header: "CHANNEL", cell: (s) => clean(s.userName), maxWidth: 20 },
    { header: "VIEWERS", cell: (s) => Output.count(s.viewerCount), align: "right" },
    { header: "LIVE FOR", cell: (s) => ago(s.startedAt), align: "right" },
    { header: "LANG", cell: (s) => clean(s.language) },
    { header: "TITLE", cell: (s) => clean(s.title), maxWidth: 48 }
  ])

/** The tour's channel section: a live channel's fields and its follower count. */
const channelSection = (style: Output.Style, channels: Channels["Type"], login: string) =>
  Effect.gen(function*() {
    const found = yield* channels.byLogin(login)
    if (Option.isNone(found)) return yield* Console.log("  (no such channel)")
    const channel = found.value
    const followers = yield* Effect.either(channels.followerCount(channel.id))
    const rows: Array<[string, string]> = [
      ["Display name", channel.displayName],
      ["User id", channel.id],
      ["Title", channel.title],
      ["Game", Option.getOrElse(channel.information.gameName, () => "-")],
      ["Language", channel.information.broadcasterLanguage],
      ["Tags", channel.information.tags.join(", ") || "-"],
      ["Broadcaster type", channel.user.broadcasterType || "-"],
      ["Created", channel.user.createdAt.toISOString().slice(0, 10)],
      [
        "Followers",
        followers._tag === "Right" ? Output.count(followers.right) : "(needs a user token)"
      ],
      ["Logo", channel.logo]
    ]
    yield* Console.log(Output.table(style, rows, [
      { header: "FIELD", cell: (r) => r[0] },
      { header: "VALUE", cell: (r) => clean(r[1]), maxWidth: 70 }
    ]))
  })

/** The tour's playlist section: a channel's qualities and the best one at or below `quality`. */
const playlistSection = (style: Output.Style, playlist: Playlist["Type"], login: string, quality: string) =>
  Effect.gen(function*() {
    const master = yield* playlist.masterPlaylist(login)
    yield* Console.log(Output.table(style, master.variants, [
      {
        header: "QUALITY",
        cell: (v) => clean(v.quality === "source" ? `${v.name} (source)` : v.name)
      },
      {
        header: "RESOLUTION",
        cell: (v) =>
          Option.match(v.resolution, { onNone: () => "-", onSome: (r) => `${r.width}x${r.height}` }),
        align: "right"
      },
      {
        header: "FPS",
        cell: (v) => Option.match(v.frameRate, { onNone: () => "-", onSome: String }),
        align: "right"
      },
      { header: "KBIT/S", cell: (v) => Output.count(Math.round(v.bandwidth / 1000)), align: "right" },
      { header: "CODECS", cell: (v) => clean(v.codecs.join(",")) }
    ]))
    if (master.restrictedQualities.length > 0) {
      yield* Console.log(
        Output.yellow(style, `  subscriber-only: ${master.restrictedQualities.join(", ")}`)
      )
    }
    const variant = yield* playlist.variant(login, quality)
    yield* Console.log(
      `  ${Output.bold(style, `best at or below ${quality}:`)} ${variant.name} ${
        Output.dim(style, variant.url)
      }`
    )
  })

/**
 * The Helix and playlist part of the tour (sections 1-5).
 *
 * @since 0.1.0
 * @category tour
 */
export const helixSections = (
  options: Options
): Effect.Effect<Result, TwitchError, Games | Streams | Channels | Users | Playlist | TwitchAuth> =>
  Effect.gen(function*() {
    const { style } = options
    const games = yield* Games
    const streams = yield* Streams
    const channels = yield* Channels
    const users = yield* Users
    const playlist = yield* Playlist
    const auth = yield* TwitchAuth
    const failed: Array<string> = []
    const track = <A>(title: string, result: Option.Option<A>) => {
      if (Option.isNone(result)) failed.push(title)
      return result
    }

    // 1. Top games: the tour cannot go on without them.
    yield* Console.log(Output.heading(style, "Top games"))
    const limit = options.games ?? 10
    const top: ReadonlyArray<Game> = yield* Paging.collect(games.top({ pageSize: limit }), { limit })
    yield* Console.log(Output.table(style, top.map((game, i) => ({ game, rank: i + 1 })), [
      { header: "#", cell: (r) => String(r.rank), align: "right" },
      { header: "GAME", cell: (r) => clean(r.game.name), maxWidth: 40 },
      { header: "ID", cell: (r) => r.game.id, align: "right" },
      { header: "IGDB", cell: (r) => Option.getOrElse(r.game.igdbId, () => "-"), align: "right" }
    ]))

    // 2. Live streams of the first games.
    const firstGames = top.slice(0, options.gamesWithStreams ?? 3)
    const perGame = options.streamsPerGame ?? 5
    let chosen = Option.none<LiveStream>()
    for (const game of firstGames) {
      const result = yield* section(
        style,
        `Live streams of ${game.name}`,
        Effect.gen(function*() {
          const live = yield* Paging.collect(streams.list({ gameIds: [game.id], pageSize: perGame }), {
            limit: perGame
          })
          yield* Console.log(
            live.length === 0 ? Output.dim(style, "  (nobody is live)") : streamTable(style, live)
          )
          return live
        })
      )
      track(`Live streams of ${game.name}`, result)
      if (Option.isNone(chosen)) chosen = Option.flatMap(result, (live) => Option.fromNullable(live[0]))
    }

    // 3. One channel and its user.
    const login = Option.map(chosen, (s) => s.userLogin)
    if (Option.isSome(login)) {
      track(
        "Channel",
        yield* section(
          style,
          `Channel ${login.value}`,
          channelSection(style, channels, login.value)
        )
      )

      // 4. The channel's playlist qualities.
      track(
        "Playlist",
        yield* section(
          style,
          `Playlist qualities of ${login.value}`,
          playlistSection(style, playlist, login.value, options.quality ?? "720p")
        )
      )
    } else {
      yield* Console.log(Output.dim(style, "\n(no live channel found: skipping channel and playlist)"))
    }

    // 5. Followed streams of the logged-in user.
    track(
      "Followed streams",
      yield* section(
        style,
        "Followed streams",
        Effect.gen(function*() {
          const token = yield* auth.current
          if (token.kind === "app") {
            return yield* Console.log(
              Output.dim(style, "  (an app token has no user: log in to see followed streams)")
            )
          }
          const me = yield* users.me
          const followed = yield* Paging.collect(streams.followed({ pageSize: 20 }), { limit: 20 })
          yield* Console.log(
            `  ${Output.bold(style, me.displayName)} follows ${followed.length} live channel(s)`
          )
          if (followed.length > 0) yield* Console.log(streamTable(style, followed))
        })
      )
    )

    return { channel: login, failed }
  })

const time = (date: Option.Option<Date>): string =>
  Option.match(date, { onNone: () => "--:--:--", onSome: (d) => d.toISOString().slice(11, 19) })

/** The message text with each emote occurrence marked, sliced by its UTF-16 offsets. */
const withEmotes = (style: Output.Style, text: string, sender: Sender): string => {
  let out = ""
  let at = 0
  for (const emote of sender.emotes) {
    if (emote.utf16Start < at) continue
    out += clean(text.slice(at, emote.utf16Start)) + Output.yellow(style, `[${clean(emote.name)}]`)
    at = emote.utf16End
  }
  return out + clean(text.slice(at))
}

const badgesOf = (sender: Sender): string =>
  [...sender.badges.entries()].map(([set, version]) => {
    const months = sender.badgeInfo.get(set)
    return months === undefined ? `${set}/${version}` : `${set}/${version}(${months})`
  }).join(",")

const nameOf = (style: Output.Style, sender: Sender): string =>
  Output.hex(
    style,
    Option.getOrUndefined(sender.color),
    Output.bold(style, clean(sender.displayName || sender.login))
  )

/**
 * One chat message as a line a person reads: time, badges, the name in its chat color, the text
 * with emotes marked; sub/raid/... notices, bans and deletions as system lines. `None` for
 * protocol traffic (PING, numerics, USERSTATE...).
 *
 * @since 0.1.0
 * @category rendering
 */
export const renderMessage = (style: Output.Style, message: TwitchMessage): Option.Option<string> => {
  switch (message._tag) {
    case "Privmsg": {
      const badges = badgesOf(message)
      const bits = Option.match(message.bits, {
        onNone: () => "",
        onSome: (b) => Output.yellow(style, ` (${b} bits)`)
      })
      const text = withEmotes(style, message.text, message)
      return Option.some(
        `${Output.dim(style, time(message.sentAt))} ${badges ? Output.dim(style, `[${badges}] `) : ""}${
          nameOf(style, message)
        }${message.isAction ? " " : ": "}${
          message.isAction ? Output.hex(style, Option.getOrUndefined(message.color), text) : text
        }${bits}`
      )
    }
    case "UserNotice":
      return Option.some(
        `${Output.dim(style, time(message.sentAt))} ${Output.cyan(style, `* ${clean(message.kind)}:`)} ${
          clean(message.systemMessage)
        }${
          Option.match(message.text, {
            onNone: () => "",
            onSome: (t) => ` — ${withEmotes(style, t, message)}`
          })
        }`
      )
    case "ClearChat":
      return Option.some(
        `${Output.dim(style, time(message.sentAt))} ${
          Output.red(
            style,
            Option.match(message.targetLogin, {
              onNone: () => "* chat cleared",
              onSome: (login) =>
                Option.match(message.banDuration, {
                  onNone: () => `* ${clean(login)} banned`,
                  onSome: (seconds) => `* ${clean(login)} timed out for ${seconds} s`
                })
            })
          )
        }`
      )
    case "ClearMsg":
      return Option.some(Output.red(style, `* a message by ${clean(message.login)} was deleted`))
    case "Notice":
      return Option.some(Output.yellow(style, `* notice: ${clean(message.text)}`))
    case "RoomState": {
      const modes = [
        Option.map(message.emoteOnly, (on) => `emote-only ${on ? "on" : "off"}`),
        Option.map(message.followersOnly, (m) => m < 0 ? "followers-only off" : `followers-only ${m} min`),
        Option.map(message.r9k, (on) => `unique-chat ${on ? "on" : "off"}`),
        Option.map(message.slow, (s) => s === 0 ? "slow off" : `slow ${s} s`),
        Option.map(message.subsOnly, (on) => `subs-only ${on ? "on" : "off"}`)
      ].flatMap(Option.toArray)
      return Option.some(Output.dim(style, `* room: ${modes.join(", ")}`))
    }
    default:
      return Option.none()
  }
}

const describeOutcome = (style: Output.Style, outcome: SendOutcome.SendOutcome): string => {
  switch (outcome._tag) {
    case "Sent":
      return Output.green(
        style,
        `  ✓ sent as message ${outcome.id} (waited ${Duration.format(outcome.waited)})`
      )
    case "Refused":
      return Output.red(style, `  ✗ refused by Twitch: ${outcome.reason} (${outcome.notice})`)
    case "Unconfirmed":
      return Output.yellow(style, `  ? no answer from Twitch (${outcome.reason})`)
    case "Written":
      return Output.dim(style, `  written: ${outcome.line}`)
  }
}

/**
 * The chat section: joins `channel`, prints up to `messages` chat messages (waiting at most
 * `wait`), sends `text` and shows Twitch's answer. Over IRC (`via: "irc"`, the default) with the
 * `TwitchAuth` token when there is one (`chat:read` and `chat:edit`), anonymous read-only
 * otherwise; over EventSub and Send Chat Message (`via: "eventsub"`) with the `TwitchAuth` user
 * token (`user:read:chat` and `user:write:chat`).
 *
 * @since 0.1.0
 * @category tour
 */
export const chatSection = (options: {
  readonly style: Output.Style
  readonly channel: string
  readonly messages?: number
  readonly wait?: Duration.DurationInput
  readonly text?: string
  readonly via?: "irc" | "eventsub"
  readonly client?: ChatClient.Options
}): Effect.Effect<void, TwitchError, TwitchConfig | TwitchAuth | HttpClient.HttpClient> =>
  Effect.scoped(Effect.gen(function*() {
    const { style } = options
    const chat = options.via === "eventsub"
      ? yield* ChatClient.makeEventSub()
      : yield* ChatClient.make(options.client ?? {})
    yield* Console.log(
      `  connected as ${Output.bold(style, chat.login)}${chat.anonymous ? " (anonymous, read-only)" : ""}` +
        Output.dim(
          style,
          options.via === "eventsub" ? " over EventSub (Send Chat Message to send)" : " over IRC"
        )
    )
    const reader = yield* chat.channel(options.channel).pipe(
      Stream.filterMap((message) => renderMessage(style, message)),
      Stream.take(options.messages ?? 30),
      Stream.tap((line) => Console.log(`  ${line}`)),
      Stream.interruptWhen(Effect.sleep(options.wait ?? Duration.seconds(15))),
      Stream.runCollect,
      Effect.fork
    )
    yield* chat.join(options.channel)
    yield* Console.log(Output.dim(style, `  joined #${options.channel}`))
    const shown = yield* reader.await.pipe(Effect.flatMap((exit) => exit), Effect.map(Chunk.size))
    yield* Console.log(Output.dim(style, `  (${shown} messages shown)`))
    if (chat.anonymous) return
    const text = options.text ??
      `Hello from effect-twitcher's tour 👋 Kappa (${options.via === "eventsub" ? "EventSub" : "IRC"})`
    yield* Console.log(`  ${Output.bold(style, "sending:")} ${text}`)
    const outcome = yield* chat.say(options.channel, text)
    yield* Console.log(describeOutcome(style, outcome))
    if (outcome._tag === "Sent") {
      const echoed: Privmsg = outcome.message
      yield* Console.log(`  ${Option.getOrElse(renderMessage(style, echoed), () => "")}`)
    }
  }))
