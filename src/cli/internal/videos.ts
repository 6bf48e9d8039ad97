/**
 * `videos list`: a channel's videos (past broadcasts, highlights, uploads), newest first, over the
 * generated `Videos` service.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Models from "../../helix/generated/models.js"
import { Videos } from "../../helix/generated/Videos.js"
import * as Output from "../Output.js"
import * as Actors from "./actors.js"
import { when } from "./clips.js"
import * as Help from "./help.js"
import * as O from "./options.js"
import * as Render from "./render.js"

const encodeVideo = Schema.encodeSync(Models.Video)

const videosList = Command.make(
  "list",
  {
    ...O.common,
    ...O.paging,
    type: O.choice("type", ["all", "archive", "highlight", "upload"]).pipe(
      Options.withDescription("archive: past broadcasts; highlight; upload (default all)"),
      Options.withDefault("all" as const)
    ),
    sort: O.choice("sort", ["time", "trending", "views"]).pipe(
      Options.withDescription("Order (default time: newest first)"),
      Options.withDefault("time" as const)
    ),
    channel: Actors.channelArg
  },
  (o) =>
    Actors.withHelix(
      o,
      Effect.gen(function*() {
        yield* O.checkPaging(o)
        const channel = yield* Actors.channelOf(o.channel)
        const videos = yield* Videos
        yield* Render.list(
          videos.list({ userId: channel.id, type: o.type, sort: o.sort, first: String(O.pageSize(o)) }),
          {
            ...o,
            encode: encodeVideo,
            columns: [
              { header: "CREATED", cell: (v) => when(v.createdAt) },
              { header: "TYPE", cell: (v) => v.type },
              { header: "LENGTH", cell: (v) => v.duration, align: "right" },
              { header: "VIEWS", cell: (v) => Output.count(v.viewCount), align: "right" },
              { header: "TITLE", cell: (v) => Output.sanitize(v.title), maxWidth: 40 },
              { header: "URL", cell: (v) => v.url }
            ]
          }
        )
      })
    )
).pipe(Command.withDescription("A channel's videos, newest first (default: your own channel's)"))

const videosCommands = [videosList] as const

const videos = Command.make("videos").pipe(
  Command.withDescription("Videos: a channel's past broadcasts, highlights and uploads"),
  Command.withSubcommands(videosCommands)
)

/** The videos commands. */
export const commands = [videos] as const

/** Their help nodes. */
export const nodes: ReadonlyArray<Help.Node> = [Help.family(videos, videosCommands)]
