/**
 * `playlist` and `emote`: what a player needs (qualities, the playlist URL of one) and emote
 * pictures.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Codec from "../../playlist/Codec.js"
import * as Emotes from "../../playlist/Emotes.js"
import * as MasterPlaylist from "../../playlist/MasterPlaylist.js"
import * as Playlist from "../../playlist/Playlist.js"
import * as Quality from "../../playlist/Quality.js"
import { CliError } from "../CliError.js"
import * as Output from "../Output.js"
import { Tty } from "../Tty.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"
import * as Target from "./target.js"

const mediaLayer = (common: Target.Common) =>
  Layer.mergeAll(Playlist.layer(), Emotes.layer()).pipe(Layer.provideMerge(Target.layer(common)))

const encodeVariant = Schema.encodeSync(MasterPlaylist.Variant)

const vod = Options.boolean("vod").pipe(Options.withDescription("The argument is a VOD id, not a channel"))

const channelArg = Args.text({ name: "channel" }).pipe(
  Args.withDescription("A live channel's login (or VOD id)")
)

const codecs = Options.text("codecs").pipe(
  Options.withDescription("Codecs usher may send, most wanted first: h264,h265,av1 (default h264)"),
  Options.optional
)

/** `--codecs` as usher's `supported_codecs`, also the preference between codecs of one size. */
const codecList = (text: Option.Option<string>): Effect.Effect<ReadonlyArray<Codec.Codec>, CliError> =>
  Option.match(text, {
    onNone: () => Effect.succeed(["h264"]),
    onSome: (list) =>
      Option.match(Option.all(list.split(",").filter((c) => c.trim() !== "").map(Codec.parse)), {
        onSome: (parsed) => Effect.succeed(parsed.length > 0 ? parsed : ["h264"]),
        onNone: () =>
          Effect.fail(
            new CliError({
              reason: "BadInput",
              detail: `--codecs takes h264, h265 (hevc), av1; got "${list}".`
            })
          )
      })
  })

const master = (
  o: { readonly channel: string; readonly vod: boolean; readonly codecs: Option.Option<string> }
) =>
  Effect.gen(function*() {
    const playlist = yield* Playlist.Playlist
    const call = { supportedCodecs: yield* codecList(o.codecs) }
    return yield* (o.vod
      ? playlist.vodPlaylist(o.channel, call)
      : playlist.masterPlaylist(o.channel.toLowerCase(), call))
  })

const describeVariant = (v: MasterPlaylist.Variant) => ({
  resolution: Option.match(v.resolution, { onNone: () => "-", onSome: (r) => `${r.width}x${r.height}` }),
  fps: Render.opt(v.fps)
})

const qualities = Command.make(
  "qualities",
  { ...O.common, vod, codecs, channel: channelArg },
  (o) =>
    Effect.gen(function*() {
      const tty = yield* Tty
      const playlist = yield* master(o)
      const options = Quality.options(playlist.variants)
      if (o.json) {
        return yield* Render.json({
          channel: o.channel,
          qualities: options,
          restricted: playlist.restrictedQualities,
          variants: playlist.variants.map((v) => encodeVariant(v))
        })
      }
      yield* Console.log(Output.table(tty.style, playlist.variants, [
        { header: "QUALITY", cell: (v) => v.quality },
        { header: "NAME", cell: (v) => v.name },
        { header: "RESOLUTION", cell: (v) => describeVariant(v).resolution, align: "right" },
        { header: "FPS", cell: (v) => describeVariant(v).fps, align: "right" },
        { header: "MBIT/S", cell: (v) => (v.bandwidth / 1e6).toFixed(2), align: "right" },
        { header: "CODECS", cell: (v) => v.codecs.join(",") }
      ]))
      if (playlist.restrictedQualities.length > 0) {
        yield* Console.log(`subscriber-only: ${playlist.restrictedQualities.join(", ")}`)
      }
    }).pipe(Effect.provide(mediaLayer(o)))
).pipe(
  Command.withDescription("The qualities a live channel (or VOD) offers")
)

const url = Command.make(
  "url",
  {
    ...O.common,
    vod,
    codecs,
    channel: channelArg,
    quality: Args.text({ name: "quality" }).pipe(
      Args.withDescription(
        "A name from `qualities` (1080p60, 1080p60-portrait, audio_only...), or source, best, worst, audio, " +
          "<height>p[<fps>][-portrait]: the best at or below it, landscape unless -portrait"
      ),
      Args.withDefault("best")
    )
  },
  (o) =>
    Effect.gen(function*() {
      const playlist = yield* master(o)
      const preferredCodecs = yield* codecList(o.codecs)
      const chosen = yield* Quality.choose(playlist, o.quality, o.channel, { preferredCodecs })
      // Just the URL on stdout, so `mpv "$(twitcher playlist url <channel>)"` works.
      yield* o.json ?
        Render.json({ channel: o.channel, requested: o.quality, ...encodeVariant(chosen) }) :
        Console.log(chosen.url)
      yield* Target.noteEphemeralUrl
    }).pipe(Effect.provide(mediaLayer(o)))
).pipe(Command.withDescription("The playlist URL of a quality (plays in mpv, VLC, ffplay)"))

const playlistCommands = [qualities, url] as const

const playlist = Command.make("playlist").pipe(
  Command.withDescription("Live playlists: qualities, the URL of one"),
  Command.withSubcommands(playlistCommands)
)

// ---------------------------------------------------------------------------------------------
// emote

const emoteOptions = {
  format: O.choice("format", ["default", "static", "animated"]).pipe(
    Options.withDescription("animated, static, or default (animated when there is an animation)"),
    Options.withDefault("default" as const)
  ),
  theme: O.choice("theme", ["dark", "light"]).pipe(
    Options.withDescription("The background it is drawn for"),
    Options.withDefault("dark" as const)
  ),
  scale: O.choice("scale", ["1.0", "2.0", "3.0"]).pipe(
    Options.withDescription("1.0 (28 px), 2.0 (56 px), 3.0 (112 px)"),
    Options.withDefault("1.0" as const)
  ),
  id: Args.text({ name: "id" }).pipe(Args.withDescription("An emote id (25, or emotesv2_<hex>)"))
}

const emoteUrl = Command.make("url", { ...O.common, ...emoteOptions }, (o) =>
  Effect.gen(function*() {
    const emotes = yield* Emotes.Emotes
    const link = emotes.url(o.id, { format: o.format, theme: o.theme, scale: o.scale })
    yield* o.json ? Render.json({ id: o.id, url: link }) : Console.log(link)
    yield* Target.noteEphemeralUrl
  }).pipe(Effect.provide(mediaLayer(o)))).pipe(Command.withDescription("The CDN URL of an emote picture"))

const emoteGet = Command.make(
  "get",
  {
    ...O.common,
    ...emoteOptions,
    output: Options.text("output").pipe(
      Options.withAlias("o"),
      Options.withDescription("Write the picture to this file"),
      Options.optional
    )
  },
  (o) =>
    Effect.gen(function*() {
      const emotes = yield* Emotes.Emotes
      const picture = yield* emotes.picture(o.id, { format: o.format, theme: o.theme, scale: o.scale }).pipe(
        Effect.catchIf(
          (e) => e._tag === "HttpError" && e.status === 404,
          () =>
            new CliError({
              reason: "NotFound",
              detail: `No emote with id "${o.id}"${
                o.format === "animated" ? " (or it has no animation)" : ""
              }.`
            })
        )
      )
      const size = Emotes.dimensions(picture.bytes)
      if (Option.isSome(o.output)) {
        const file = o.output.value
        const fs = yield* FileSystem.FileSystem
        yield* fs.writeFile(file, picture.bytes).pipe(
          Effect.mapError((e) =>
            new CliError({ reason: "Io", detail: `Could not write ${file}: ${e.message}` })
          )
        )
      }
      if (o.json) {
        return yield* Render.json({
          id: picture.id,
          url: picture.url,
          kind: picture.kind,
          content_type: Option.getOrNull(picture.contentType),
          bytes: picture.bytes.length,
          width: Option.getOrNull(Option.map(size, (s) => s.width)),
          height: Option.getOrNull(Option.map(size, (s) => s.height)),
          file: Option.getOrNull(o.output)
        })
      }
      yield* Render.fields([
        ["emote", picture.id],
        ["url", picture.url],
        ["image", `${picture.kind.toUpperCase()}, ${Output.count(picture.bytes.length)} bytes`],
        ["size", Option.match(size, { onNone: () => "-", onSome: (s) => `${s.width}x${s.height}` })],
        ...Option.match(o.output, { onNone: () => [], onSome: (f) => [["saved to", f] as const] })
      ])
    }).pipe(Effect.provide(Layer.merge(mediaLayer(o), Target.fileSystemLayer)))
).pipe(Command.withDescription("Download an emote picture (--output to save it)"))

const emoteCommands = [emoteUrl, emoteGet] as const

const emote = Command.make("emote").pipe(
  Command.withDescription("Emote pictures: URL, download"),
  Command.withSubcommands(emoteCommands)
)

/** The media command groups. */
export const commands = [playlist, emote] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = [
  Help.family(playlist, playlistCommands),
  Help.family(emote, emoteCommands)
]
